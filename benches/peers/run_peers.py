#!/usr/bin/env python3
"""Peer benchmark: `payback` against an independent NumPy model of scenarios/cloud_im_500.toml.

1. Speed: for each N in --sizes (default 1e5, 1e6, 1e7) run the NumPy model
   (cloud_im_numpy.py, one subprocess per run) and
   `payback run scenarios/cloud_im_500.toml --trials N --seed 1 --format json --quiet --threads T`
   for T = 1 and 2; --reps repetitions (default 3), interleaved, medians reported. Peak RSS of
   each run comes from GNU time around the command (os.wait4's ru_maxrss without it).
2. Agreement at --compare-trials (default 1e6): payback's `--save-trials` output against the
   NumPy samples (independent draws, so the comparison is statistical): P10/P50/P90 of payback
   (censored = +inf), discounted payback, NPV and TCO within 4 standard errors (order-statistic
   s.e.), P(payback <= 12), P(<= 24), P(censored), P(NPV < 0) within 4 binomial s.e., means
   within 4 s.e., two-sample KS tests on payback (censored as a large value), discounted
   payback and NPV (fail when p < 0.001), and on every input's marginal. Also a paired check:
   payback's own per-trial input draws, fed through the NumPy cash-flow model, must give the
   same per-trial payback, NPV, ROI and TCO (to rounding).
3. Prints Markdown tables; exits 1 when any distribution check fails (speed targets are
   reported, not enforced).

    pip install -r benches/peers/requirements.txt && python3 benches/peers/run_peers.py
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import stats

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
import cloud_im_numpy as peer  # noqa: E402

SCENARIO = REPO / "scenarios" / "cloud_im_500.toml"
TOL_SE = 4.0      # flag differences beyond this many standard errors
KS_ALPHA = 1e-3   # fail a KS test when p < this
CENSORED = 1e9    # stand-in for +inf in the KS test on payback


# ------------------------------------------------------------------ running and measuring
def busy_seconds() -> float:
    """CPU seconds spent busy by the whole machine so far (all processes, from /proc/stat)."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return math.nan
    idle = v[3] + (v[4] if len(v) > 4 else 0)  # idle + iowait
    return (sum(v[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wait_quiet(max_wait: float, threshold: float = 0.25) -> float:
    """Wait (at most max_wait s) until other processes use < threshold cores over 1 s.
    Returns the background load seen last (cores)."""
    t_end = time.monotonic() + max_wait
    said = 0.0
    while True:
        b0, t0 = busy_seconds(), time.monotonic()
        time.sleep(1.0)
        load = (busy_seconds() - b0) / (time.monotonic() - t0)
        if load < threshold or time.monotonic() >= t_end:
            return load
        if time.monotonic() - said > 10:
            said = time.monotonic()
            print(f"  (waiting: other processes use {load:.1f} cores)", file=sys.stderr,
                  flush=True)


def measured(cmd: list[str], stdout_path: Path) -> dict:
    """Run cmd with stdout to a file. Returns wall seconds, the child's CPU seconds and peak
    RSS in KB (os.wait4: this child's own rusage, so every run is measured separately), the
    exit code, and the background load: cores used by *other* processes during the run."""
    # A child forked from this (large) Python process inherits its peak RSS at exec, so
    # ru_maxrss from os.wait4 would report Python's size for a small program. Where GNU time
    # is installed, it forks the command from its own small process and reports the
    # command's peak RSS; wait4 on `time` still gives the CPU time (children included).
    gnu_time = Path("/usr/bin/time")
    rss_file = stdout_path.with_suffix(".rss")
    wrapped = ([str(gnu_time), "-f", "%M", "-o", str(rss_file)] + cmd) if gnu_time.exists() else cmd
    with open(stdout_path, "wb") as out:
        b0 = busy_seconds()
        t0 = time.perf_counter()
        p = subprocess.Popen(wrapped, stdout=out, stderr=subprocess.PIPE, cwd=REPO)
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        busy = busy_seconds() - b0
        p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.stderr.write(f"command failed ({p.returncode}): {' '.join(cmd)}\n{err.decode()}\n")
    rss_kb = ru.ru_maxrss
    if gnu_time.exists():
        try:
            rss_kb = int(rss_file.read_text().strip().splitlines()[-1])
        except (OSError, ValueError, IndexError):
            pass
    cpu = ru.ru_utime + ru.ru_stime
    return {"wall": wall, "cpu": cpu, "rss_kb": rss_kb, "rc": p.returncode,
            "background": max(0.0, (busy - cpu) / wall)}


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def fmt_rate(x: float) -> str:
    return f"{x / 1e6:.2f} M/s" if x >= 1e6 else f"{x / 1e3:.0f} k/s"


def fmt_mb(kb: float) -> str:
    return f"{kb / 1024:.0f} MB"


def fmt_n(n: int) -> str:
    e = int(round(math.log10(n)))
    return f"10^{e}" if 10 ** e == n else f"{n:,}"


def speed(args, payback_bin: Path, tmp: Path) -> list[dict]:
    rows = []
    for n in args.sizes:
        runs = {"numpy": [], **{f"payback{t}": [] for t in args.threads}}
        for rep in range(args.reps):
            # NumPy model: the rate is from its own clock (simulation + summary, without the
            # ~0.3 s of interpreter start and imports); RSS is the whole process.
            if args.wait_quiet:
                wait_quiet(args.wait_quiet)
            cmd = [sys.executable, str(HERE / "cloud_im_numpy.py"), "--trials", str(n),
                   "--seed", str(args.numpy_seed + rep), "--chunk", str(args.chunk)]
            m = measured(cmd, tmp / "numpy.json")
            if m["rc"] != 0:
                sys.exit(1)
            own = json.loads((tmp / "numpy.json").read_text())
            m["seconds"], m["cpu"] = own["seconds"], own["cpu_seconds"]  # imports excluded
            runs["numpy"].append(m)
            for t in args.threads:
                if args.wait_quiet:
                    wait_quiet(args.wait_quiet)
                cmd = [str(payback_bin), "run", str(SCENARIO), "--trials", str(n), "--seed", "1",
                       "--format", "json", "--quiet", "--threads", str(t)]
                m = measured(cmd, tmp / "payback.json")
                if m["rc"] != 0:
                    sys.exit(1)
                json.loads((tmp / "payback.json").read_text())  # it printed valid JSON
                m["seconds"] = m["wall"]
                runs[f"payback{t}"].append(m)
            print(f"  N={n:>10,}  rep {rep + 1}/{args.reps}  " + "  ".join(
                f"{k}: {v[-1]['seconds']:.2f} s (bg {v[-1]['background']:.1f})"
                for k, v in runs.items()), file=sys.stderr, flush=True)
        row = {"n": n}
        for k, v in runs.items():
            med = statistics.median
            row[k] = {"seconds": med(r["seconds"] for r in v),
                      "rate": n / med(r["seconds"] for r in v),
                      "best_rate": n / min(r["seconds"] for r in v),
                      "cpu": med(r["cpu"] for r in v),
                      "rss_kb": med(r["rss_kb"] for r in v),
                      "background": med(r["background"] for r in v),
                      "runs": v}
        rows.append(row)
    return rows


def md_table(head, body) -> str:
    """A Markdown table: the header row, then one row of cells per entry of body."""
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cells) + " |" for cells in body]
    return "\n".join(lines)


def rate_cells(r, threads, key) -> list[str]:
    """N, NumPy's and payback's trials/s (the rate under key), the ratio payback/NumPy at
    the most threads, and payback's scaling from the fewest threads to the most."""
    t1, tk = threads[0], threads[-1]
    cells = [fmt_n(r["n"]), fmt_rate(r["numpy"][key])]
    cells += [fmt_rate(r[f"payback{t}"][key]) for t in threads]
    cells.append(f"{r[f'payback{tk}'][key] / r['numpy'][key]:.1f}x")
    cells.append(f"{r[f'payback{tk}'][key] / r[f'payback{t1}'][key]:.2f}x")
    return cells


def speed_table(rows, threads) -> str:
    t1, tk = threads[0], threads[-1]
    head = (["N", "NumPy trials/s"] + [f"payback trials/s ({t} thr)" for t in threads]
            + [f"ratio payback({tk} thr)/NumPy", f"scaling {tk} thr vs {t1}",
               "peak RSS NumPy"] + [f"peak RSS payback ({t} thr)" for t in threads]
            + ["other load (cores)"])
    body = []
    for r in rows:
        cells = rate_cells(r, threads, "rate")
        cells.append(fmt_mb(r["numpy"]["rss_kb"]))
        cells += [fmt_mb(r[f"payback{t}"]["rss_kb"]) for t in threads]
        bg = [r[k]["background"] for k in r if k != "n"]
        cells.append(f"{min(bg):.1f}–{max(bg):.1f}")
        body.append(cells)
    return md_table(head, body)


def best_table(rows, threads) -> str:
    """Best of the repetitions (least disturbed by other load), and CPU seconds per 10^6."""
    t1, tk = threads[0], threads[-1]
    head = (["N", "NumPy best"] + [f"payback best ({t} thr)" for t in threads]
            + [f"ratio ({tk} thr)/NumPy", f"scaling {tk} vs {t1}", "CPU s per 10^6: NumPy"]
            + [f"payback ({t} thr)" for t in threads])
    body = []
    for r in rows:
        cells = rate_cells(r, threads, "best_rate")
        cells += [f"{r[k]['cpu'] * 1e6 / r['n']:.2f}"
                  for k in ["numpy"] + [f"payback{t}" for t in threads]]
        body.append(cells)
    return md_table(head, body)


# ------------------------------------------------------------------ reading payback's trials
def read_trials_csv(path: Path, cf_rows: int = 100_000) -> dict[str, np.ndarray]:
    """trials.csv: trial, inputs..., payback (empty = censored), discounted_payback, npv, roi,
    tco[, cf_0 .. cf_H]. Empty fields become +inf. The per-month cash flows (newer versions)
    are read for the first cf_rows trials only, as "cf" with shape (H + 1, rows)."""
    with open(path) as f:
        names = f.readline().strip().split(",")
    main = [i for i, nm in enumerate(names) if not nm.startswith("cf_")]
    cfc = [i for i, nm in enumerate(names) if nm.startswith("cf_")]

    def lines():
        with open(path) as f:
            f.readline()
            for line in f:
                # An empty field can only be a censored payback; ",,," needs two passes.
                yield line.replace(",,", ",inf,").replace(",,", ",inf,")

    data = np.loadtxt(lines(), delimiter=",", dtype=np.float64, ndmin=2, usecols=main)
    out = {names[i]: data[:, j] for j, i in enumerate(main)}
    if cfc:
        cf = np.loadtxt(lines(), delimiter=",", dtype=np.float64, ndmin=2, usecols=cfc,
                        max_rows=cf_rows)
        out["cf"] = cf.T.copy()
    return out


# ------------------------------------------------------------------ statistics
def quantile_se(sorted_x: np.ndarray, q: float) -> tuple[float, float, float, float]:
    """Percentile (numpy's linear method) and its order-statistic standard error: the ranks
    n q +- 1.96 sqrt(n q (1-q)) bracket the quantile with 95% probability, so their values'
    half-distance / 1.96 estimates the s.e. (inf when the bracket reaches censored trials)."""
    n = len(sorted_x)
    with np.errstate(invalid="ignore"):
        est = float(np.percentile(sorted_x, 100 * q))
    if math.isnan(est):
        est = math.inf
    h = 1.96 * math.sqrt(n * q * (1 - q))
    lo = sorted_x[max(0, int(math.floor(n * q - h)))]
    hi = sorted_x[min(n - 1, int(math.ceil(n * q + h)))]
    se = (hi - lo) / (2 * 1.96) if math.isfinite(hi) else math.inf
    return est, se, float(lo), float(hi)


class Checks:
    def __init__(self):
        self.rows = []

    def add(self, what, a, b, z=None, p=None, ok=True, note=""):
        self.rows.append({"what": what, "payback": a, "numpy": b, "z": z, "p": p, "ok": ok,
                          "note": note})

    @property
    def failed(self):
        return [r for r in self.rows if not r["ok"]]

    def table(self) -> str:
        lines = ["| check | payback | NumPy | z (s.e.) / KS p | result |", "|---|---|---|---|---|"]
        for r in self.rows:
            stat = (f"z = {r['z']:+.2f}" if r["z"] is not None
                    else f"D = {r['note']}, p = {r['p']:.3g}" if r["p"] is not None else r["note"])
            lines.append(f"| {r['what']} | {fv(r['payback'])} | {fv(r['numpy'])} | {stat} | "
                         f"{'ok' if r['ok'] else '**DISAGREE**'} |")
        return "\n".join(lines)


def fv(x) -> str:
    if isinstance(x, str):
        return x
    if x is None or (isinstance(x, float) and math.isinf(x)):
        return "> H (censored)"
    ax = abs(x)
    if ax >= 1000:
        return f"{x:,.0f}"
    if ax >= 1:
        return f"{x:.3f}"
    return f"{x:.4f}"


def compare_quantiles(ck: Checks, label: str, a: np.ndarray, b: np.ndarray, qs):
    sa, sb = np.sort(a), np.sort(b)
    for q in qs:
        ea, sea, _, hia = quantile_se(sa, q)
        eb, seb, _, hib = quantile_se(sb, q)
        what = f"{label} P{int(round(100 * q))}"
        if math.isinf(ea) and math.isinf(eb):
            ck.add(what, ea, eb, ok=True, note="both beyond the horizon")
        elif math.isinf(ea) or math.isinf(eb):
            # One is censored: consistent only if the other's 95% bracket reaches censoring.
            ok = math.isinf(hia) and math.isinf(hib)
            ck.add(what, ea, eb, ok=ok, note="one beyond the horizon")
        else:
            se = math.hypot(sea, seb)
            z = (ea - eb) / se if se > 0 else (0.0 if ea == eb else math.inf)
            ck.add(what, ea, eb, z=z, ok=abs(z) <= TOL_SE)


def compare_prob(ck: Checks, label: str, a: np.ndarray, b: np.ndarray):
    pa, pb = float(a.mean()), float(b.mean())
    se = math.sqrt(pa * (1 - pa) / len(a) + pb * (1 - pb) / len(b))
    z = (pa - pb) / se if se > 0 else (0.0 if pa == pb else math.inf)
    ck.add(label, pa, pb, z=z, ok=abs(z) <= TOL_SE)


def compare_mean(ck: Checks, label: str, a: np.ndarray, b: np.ndarray):
    ma, mb = float(a.mean()), float(b.mean())
    se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    z = (ma - mb) / se if se > 0 else (0.0 if ma == mb else math.inf)
    ck.add(label, ma, mb, z=z, ok=abs(z) <= TOL_SE)


def compare_ks(ck: Checks, label: str, a: np.ndarray, b: np.ndarray):
    a = np.where(np.isfinite(a), a, CENSORED)
    b = np.where(np.isfinite(b), b, CENSORED)
    r = stats.ks_2samp(a, b)
    ck.add(label, "", "", p=float(r.pvalue), ok=r.pvalue >= KS_ALPHA,
           note=f"{r.statistic:.5f}")


def paired_check(pb: dict) -> tuple[Checks, dict]:
    """Feed payback's per-trial input draws through the NumPy cash-flow model."""
    x = {k: pb[k] for k in peer.INPUT_NAMES}
    out = peer.model(x, keep_cf="cf" in pb)
    ck = Checks()
    worst = {}
    for k, tol in (("payback", 1e-6), ("discounted_payback", 1e-6), ("npv", 1e-9),
                   ("roi", 1e-9), ("tco", 1e-9)):
        a, b = pb[k], out[k]
        fa, fb = np.isfinite(a), np.isfinite(b)
        censor_mismatch = int((fa != fb).sum())
        both = fa & fb
        if k in ("payback", "discounted_payback"):
            err = np.abs(a[both] - b[both])            # months
        else:
            err = np.abs(a[both] - b[both]) / np.maximum(np.abs(b[both]), 1.0)
        bad = int((err > tol).sum())
        i_worst = int(np.flatnonzero(both)[np.argmax(err)]) if err.size else -1
        worst[k] = {"max_err": float(err.max()) if err.size else 0.0, "trial": i_worst,
                    "censor_mismatch": censor_mismatch, "beyond_tol": bad}
        ck.add(f"paired {k} ({len(a):,} trials): max {'abs (months)' if 'payback' in k else 'rel'}"
               " error", "", "", ok=(bad == 0 and censor_mismatch == 0),
               note=f"{worst[k]['max_err']:.2e} (tol {tol:g}); {bad} beyond tol; "
                    f"{censor_mismatch} censoring mismatches")
    if "cf" in pb:
        a = pb["cf"]
        b = out["cf"][:, : a.shape[1]]
        # Relative to the size of that trial's flows (a month's CF can be ~0).
        scale = np.maximum(np.abs(b).max(axis=0), 1.0)
        err = np.abs(a - b) / scale
        t, i = np.unravel_index(np.argmax(err), err.shape)
        bad = int((err > 1e-9).sum())
        worst["cf"] = {"max_err": float(err.max()), "month": int(t), "trial": int(i),
                       "beyond_tol": bad}
        ck.add(f"paired monthly CF(t), t = 0..{a.shape[0] - 1} (first {a.shape[1]:,} trials): "
               "max rel error", "", "", ok=bad == 0,
               note=f"{err.max():.2e} (tol 1e-09) at month {t}, trial {i}; {bad} beyond tol")
    return ck, worst


def agreement(args, payback_bin: Path, tmp: Path) -> tuple[Checks, Checks, Checks, dict]:
    n = args.compare_trials
    outdir = tmp / "pb_out"
    cmd = [str(payback_bin), "run", str(SCENARIO), "--trials", str(n), "--seed", "1",
           "--format", "json", "--quiet", "--out", str(outdir), "--save-trials"]
    t0 = time.perf_counter()
    if measured(cmd, tmp / "pb_cmp.json")["rc"] != 0:
        sys.exit(1)
    pb = read_trials_csv(outdir / "trials.csv")
    print(f"  payback --save-trials {n:,} trials and read back: {time.perf_counter() - t0:.1f} s",
          file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    npy = peer.simulate(n, args.numpy_seed + 1000, args.chunk, keep_inputs=True)
    print(f"  NumPy {n:,} trials: {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)

    ck = Checks()
    for label, key in (("payback", "payback"), ("discounted payback", "discounted_payback")):
        compare_quantiles(ck, label, pb[key], npy[key], (0.10, 0.50, 0.90))
    for label, key in (("NPV", "npv"), ("TCO", "tco")):
        compare_quantiles(ck, label, pb[key], npy[key], (0.10, 0.50, 0.90))
    compare_prob(ck, "P(payback <= 12)", pb["payback"] <= 12, npy["payback"] <= 12)
    compare_prob(ck, "P(payback <= 24)", pb["payback"] <= 24, npy["payback"] <= 24)
    compare_prob(ck, "P(payback censored)", ~np.isfinite(pb["payback"]),
                 ~np.isfinite(npy["payback"]))
    compare_prob(ck, "P(disc. payback censored)", ~np.isfinite(pb["discounted_payback"]),
                 ~np.isfinite(npy["discounted_payback"]))
    compare_prob(ck, "P(NPV < 0)", pb["npv"] < 0, npy["npv"] < 0)
    compare_mean(ck, "mean NPV", pb["npv"], npy["npv"])
    compare_mean(ck, "mean TCO", pb["tco"], npy["tco"])
    compare_ks(ck, "KS payback (censored = 1e9)", pb["payback"], npy["payback"])
    compare_ks(ck, "KS discounted payback", pb["discounted_payback"], npy["discounted_payback"])
    compare_ks(ck, "KS NPV", pb["npv"], npy["npv"])
    compare_ks(ck, "KS ROI", pb["roi"], npy["roi"])
    compare_ks(ck, "KS TCO", pb["tco"], npy["tco"])

    inputs = Checks()
    for name in peer.INPUT_NAMES:
        a, b = pb[name], npy["in_" + name]
        if np.ptp(a) == 0 and np.ptp(b) == 0:
            inputs.add(f"input {name} (constant)", float(a[0]), float(b[0]), ok=a[0] == b[0],
                       note="constant")
        elif name == "rework_event":
            compare_prob(inputs, f"input {name}: P(1)", a == 1, b == 1)
        else:
            compare_ks(inputs, f"KS input {name}", a, b)

    paired, worst = paired_check(pb)
    return ck, inputs, paired, worst


# ------------------------------------------------------------------ main
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1e5,1e6,1e7",
                    help="comma-separated trial counts to time (default 1e5,1e6,1e7)")
    ap.add_argument("--quick", action="store_true", help="time only 1e5 trials")
    ap.add_argument("--reps", type=int, default=3, help="repetitions per timing (median)")
    ap.add_argument("--threads", default="1,2", help="payback thread counts (default 1,2)")
    ap.add_argument("--compare-trials", type=float, default=1e6,
                    help="trials for the distribution comparison (default 1e6; 0 = skip)")
    ap.add_argument("--chunk", type=float, default=1e5, help="NumPy chunk size (default 1e5)")
    ap.add_argument("--numpy-seed", type=int, default=20240601)
    ap.add_argument("--payback", help="payback binary (default: cargo build --release, "
                    "then target/release/payback)")
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                    help="before each timed run, wait up to SECONDS for other processes to "
                    "use < 0.25 cores (shared machines; default 0 = do not wait)")
    ap.add_argument("--no-build", action="store_true", help="skip cargo build --release")
    ap.add_argument("--json-out", help="also write all results to this JSON file")
    args = ap.parse_args()
    args.sizes = [int(float(s)) for s in ("1e5" if args.quick else args.sizes).split(",")]
    args.threads = [int(t) for t in args.threads.split(",")]
    args.compare_trials = int(args.compare_trials)
    args.chunk = int(args.chunk)

    if args.payback:
        payback_bin = Path(args.payback).resolve()
    else:
        payback_bin = REPO / "target" / "release" / "payback"
        if not args.no_build:
            print("cargo build --release ...", file=sys.stderr, flush=True)
            r = subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
            if r.returncode != 0:
                return r.returncode
    if not payback_bin.exists():
        sys.stderr.write(f"no payback binary at {payback_bin}\n")
        return 1

    t_start = time.perf_counter()
    try:
        rev = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO, text=True,
                             capture_output=True).stdout.strip() or "unknown"
    except OSError:
        rev = "unknown"
    print(f"# payback vs NumPy peer: {SCENARIO.relative_to(REPO)} (payback at {rev})\n")
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')} · {os.cpu_count()} CPUs ({cpu_model()}) · "
          f"Python {platform.python_version()}, NumPy {np.__version__}, "
          f"SciPy {__import__('scipy').__version__} · load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}\n", flush=True)

    results = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "cpus": os.cpu_count(), "rev": rev,
               "cpu": cpu_model(), "numpy": np.__version__}
    with tempfile.TemporaryDirectory(prefix="payback-peers-") as tmpname:
        tmp = Path(tmpname)
        print("timing ...", file=sys.stderr, flush=True)
        rows = speed(args, payback_bin, tmp)
        results["speed"] = rows
        print(f"## Throughput (median of {args.reps}; NumPy chunk {args.chunk:,})\n")
        print(speed_table(rows, args.threads))
        print("\nNumPy trials/s: simulation + summary inside the process (imports excluded); "
              "payback trials/s: whole process wall time (`run --format json --quiet`). "
              "Peak RSS: each command's own (GNU time). Other load: cores used by other "
              "processes during the runs (from /proc/stat; range of the medians): above ~0.2 "
              "the 2-thread figures are disturbed.\n")
        print(f"Best of {args.reps} (least disturbed), and median CPU seconds (user + sys; "
              "NumPy: its own process time without imports) per million trials:\n")
        print(best_table(rows, args.threads))
        print()
        tk, t1 = args.threads[-1], args.threads[0]
        for r in rows:
            ratio = r[f"payback{tk}"]["rate"] / r["numpy"]["rate"]
            scal = r[f"payback{tk}"]["rate"] / r[f"payback{t1}"]["rate"]
            # The targets: >= 20x NumPy at 10^6 trials and above, >= 10x below.
            goal = 20 if r["n"] >= 1_000_000 else 10
            print(f"- N = {fmt_n(r['n'])}: payback ({tk} threads) is {ratio:.1f}x NumPy "
                  f"(target >= {goal}x: {'met' if ratio >= goal else 'NOT met'}); "
                  f"{t1} -> {tk} threads {scal:.2f}x (ideal {tk / t1:.0f}x)")
        print(flush=True)

        failed = []
        if args.compare_trials > 0:
            print("comparing distributions ...", file=sys.stderr, flush=True)
            ck, inputs, paired, worst = agreement(args, payback_bin, tmp)
            n = args.compare_trials
            print(f"## Agreement at {n:,} trials (payback seed 1 vs NumPy seed "
                  f"{args.numpy_seed + 1000}; independent draws)\n")
            print(f"Outputs: percentiles within {TOL_SE:g} s.e. (order-statistic), "
                  f"probabilities within {TOL_SE:g} binomial s.e., two-sample KS p >= "
                  f"{KS_ALPHA:g}.\n")
            print(ck.table())
            print("\nInput marginals (payback's draws in trials.csv vs NumPy's):\n")
            print(inputs.table())
            print("\nPaired model check: payback's own per-trial inputs through the NumPy "
                  "cash-flow model (tests the arithmetic, not the sampling):\n")
            print(paired.table())
            failed = ck.failed + inputs.failed + paired.failed
            results["agreement"] = {"outputs": ck.rows, "inputs": inputs.rows,
                                    "paired": paired.rows, "paired_worst": worst}
            print()
            if failed:
                print(f"**{len(failed)} check(s) DISAGREE:** "
                      + "; ".join(r["what"] for r in failed))
            else:
                print(f"All {len(ck.rows) + len(inputs.rows) + len(paired.rows)} "
                      "agreement checks pass.")
    print(f"\n(total {time.perf_counter() - t_start:.0f} s)")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=1, default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
