#!/usr/bin/env python3
"""An independent NumPy implementation of scenarios/cloud_im_500.toml.

Written by hand from docs/MODEL.md (the model contract) and the scenario file, the
way an analyst would do it without `payback`: one NumPy array per input (one value per trial),
then a loop over the months that updates cash flows, cumulative sums, payback and NPV for all
trials at once. Large trial counts are processed in chunks (default 100,000 trials) so that
10^7 trials fit in memory. Nothing here calls or imports `payback`; the random draws come from
NumPy's own generator (PCG64), so results agree with `payback` only statistically.

Usage as a script (prints one JSON object on stdout):

    python3 cloud_im_numpy.py --trials 1000000 --seed 1 [--chunk 1000000] [--save out.npz]

The JSON holds the summary (payback / NPV / ... percentiles), the wall time of the simulation
plus summary (imports excluded), trials per second and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import time

import numpy as np
from scipy import special, stats

# ------------------------------------------------------------------ scenario constants
# From scenarios/cloud_im_500.toml (copied by hand; keep in step with the file).
HORIZON = 36            # horizon_months
RATE = 0.10             # discount_rate, annual
EMPLOYEES = 500.0       # employees = 500 (constant)
TRAINING_HOURS = 2.0    # training_hours = 2 (constant)
Z95 = stats.norm.ppf(0.95)  # 1.6448536...: the 90% interval of docs/MODEL.md

COST_CATEGORIES = ("licence", "implementation", "integration", "training", "hidden",
                   "operations", "upgrade", "risk")

INPUT_NAMES = ("employees", "seat_price", "price_rise", "minutes_saved", "hourly_cost",
               "value_capture", "adoption_peak", "months_to_peak", "implementation_fee",
               "integration_days", "training_hours", "dip_share", "admin_hours", "addon_fee",
               "rework_event", "rework_cost", "legacy_savings")


# ------------------------------------------------------------------ samplers
def pert(rng, lo, mode, hi, n, lam=4.0):
    """Beta-PERT: lo + (hi - lo) * Beta(1 + lam (mode-lo)/(hi-lo), 1 + lam (hi-mode)/(hi-lo))."""
    a = 1.0 + lam * (mode - lo) / (hi - lo)
    b = 1.0 + lam * (hi - mode) / (hi - lo)
    return lo + (hi - lo) * rng.beta(a, b, n)


def lognormal_p5_p95(rng, p5, p95, n):
    mu = 0.5 * (math.log(p5) + math.log(p95))
    sigma = (math.log(p95) - math.log(p5)) / (2.0 * Z95)
    return rng.lognormal(mu, sigma, n)


def lognormal_median_p95(rng, median, p95, n, upper=None):
    """Lognormal through (median, p95); with `upper`, truncated above by inverse CDF."""
    mu = math.log(median)
    sigma = (math.log(p95) - mu) / Z95
    if upper is None:
        return rng.lognormal(mu, sigma, n)
    # Inverse transform on the truncated range: u ~ U(0, F(upper)), x = F^-1(u).
    f_hi = special.ndtr((math.log(upper) - mu) / sigma)
    u = rng.uniform(0.0, f_hi, n)
    return np.exp(mu + sigma * special.ndtri(u))


def normal_p5_p95_truncated(rng, p5, p95, n, lower=-np.inf, upper=np.inf):
    """Normal through (p5, p95), truncated to [lower, upper] by inverse CDF on the truncated
    range (same distribution as scipy.stats.truncnorm, several times faster; not clipping)."""
    mean = 0.5 * (p5 + p95)
    sd = (p95 - p5) / (2.0 * Z95)
    f_lo = special.ndtr((lower - mean) / sd)
    f_hi = special.ndtr((upper - mean) / sd)
    u = rng.uniform(f_lo, f_hi, n)
    return mean + sd * special.ndtri(u)


def sample_inputs(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """One array of n draws per input of cloud_im_500.toml (independent inputs)."""
    x = {}
    x["employees"] = np.full(n, EMPLOYEES)
    x["seat_price"] = rng.triangular(12.0, 18.0, 30.0, n)
    x["price_rise"] = rng.uniform(0.0, 0.12, n)
    x["minutes_saved"] = pert(rng, 6.0, 20.0, 25.0, n)
    x["hourly_cost"] = lognormal_p5_p95(rng, 55.0, 130.0, n)
    x["value_capture"] = rng.beta(3.0, 5.0, n)
    x["adoption_peak"] = rng.beta(8.0, 2.0, n)
    x["months_to_peak"] = rng.uniform(3.0, 9.0, n)
    x["implementation_fee"] = pert(rng, 10_000.0, 30_000.0, 80_000.0, n)
    x["integration_days"] = lognormal_median_p95(rng, 30.0, 90.0, n, upper=250.0)
    x["training_hours"] = np.full(n, TRAINING_HOURS)
    x["dip_share"] = pert(rng, 0.003, 0.01, 0.03, n)
    x["admin_hours"] = rng.gamma(4.0, 5.0, n)
    x["addon_fee"] = normal_p5_p95_truncated(rng, 10_000.0, 40_000.0, n, lower=0.0)
    x["rework_event"] = (rng.random(n) < 0.2).astype(np.float64)
    x["rework_cost"] = lognormal_median_p95(rng, 60_000.0, 200_000.0, n)
    x["legacy_savings"] = rng.uniform(2000.0, 6000.0, n)
    return x


# ------------------------------------------------------------------ model
def adoption(t: int, peak: np.ndarray, months_to_peak: np.ndarray) -> np.ndarray:
    """Logistic adoption of docs/MODEL.md: A(t) = peak (L(t) - L(0)) / (1 - L(0)), A(0) = 0."""
    if t == 0:
        return np.zeros_like(peak)
    m = months_to_peak / 2.0
    k = 2.0 * math.log(20.0) / months_to_peak
    l0 = 1.0 / (1.0 + np.exp(k * m))
    lt = 1.0 / (1.0 + np.exp(-k * (t - m)))
    return peak * (lt - l0) / (1.0 - l0)


def model(x: dict[str, np.ndarray], horizon: int = HORIZON, rate: float = RATE,
          keep_cf: bool = False) -> dict:
    """Monthly cash-flow model for all trials at once. Returns per-trial outputs (and, with
    keep_cf, the net cash flow of every month as "cf", shape (horizon + 1, n))."""
    n = len(x["seat_price"])
    emp = x["employees"]
    hc = x["hourly_cost"]

    # Per-trial quantities that do not depend on the month (hoisted out of the loop).
    seat_bill = emp * x["seat_price"]                  # licence per month in year 1
    growth = 1.0 + x["price_rise"]
    dip_full = emp * 21.75 * 8.0 * hc * x["dip_share"]  # month-1 dip; x (4 - month)/3
    admin = x["admin_hours"] * hc * 1.3
    benefit_per_adopter = emp * x["minutes_saved"] / 60.0 * 21.75 * hc * x["value_capture"]
    peak, mtp = x["adoption_peak"], x["months_to_peak"]

    cat = {c: np.zeros(n) for c in COST_CATEGORIES}     # undiscounted TCO by category
    cum = np.zeros(n)
    dcum = np.zeros(n)
    pv_costs = np.zeros(n)
    pv_benefits = np.zeros(n)
    payback = np.empty(n)
    dpayback = np.empty(n)
    cfs = []

    with np.errstate(divide="ignore", invalid="ignore"):
        for t in range(horizon + 1):
            year = math.ceil(t / 12)
            costs = np.zeros(n)
            benefits = np.zeros(n)

            if t == 0:  # once, at = 0
                c = x["implementation_fee"]
                cat["implementation"] += c
                costs += c
                c = x["integration_days"] * 1800.0
                cat["integration"] += c
                costs += c
                c = emp * x["training_hours"] * hc + 15000.0
                cat["training"] += c
                costs += c
            if t >= 1:  # monthly, start 1 .. H
                c = seat_bill * growth ** (year - 1)
                cat["licence"] += c
                costs += c
                if t <= 3:  # if(month <= 3, ... * (4 - month) / 3, 0)
                    c = dip_full * (4 - t) / 3.0
                    cat["hidden"] += c
                    costs += c
                cat["operations"] += admin
                costs += admin
                benefits += benefit_per_adopter * adoption(t, peak, mtp)
            if t >= 13 and (t - 13) % 12 == 0:  # yearly, start 13: months 13, 25
                c = x["addon_fee"]
                cat["upgrade"] += c
                costs += c
            if t == 6:  # once, at = 6
                c = x["rework_event"] * x["rework_cost"]
                cat["risk"] += c
                costs += c
            if t >= 4:  # monthly, start 4
                benefits += x["legacy_savings"]

            cf = benefits - costs
            if keep_cf:
                cfs.append(cf)
            disc = (1.0 + rate) ** (-t / 12.0)
            dcf = cf * disc
            pv_costs += costs * disc
            pv_benefits += benefits * disc

            prev, dprev = cum, dcum
            cum = prev + cf
            dcum = dprev + dcf
            if t == 0:
                payback[:] = np.where(cum >= 0.0, 0.0, np.inf)
                dpayback[:] = np.where(dcum >= 0.0, 0.0, np.inf)
            else:
                # Negative now: not paid back (yet). Crossing from < 0 to >= 0 in month t:
                # interpolate, T = (t - 1) + (-Cum(t-1)) / CF(t). Otherwise keep the last value,
                # so at the end payback holds the *last* crossing (inf if Cum(H) < 0).
                crossing = (prev < 0.0) & (cum >= 0.0)
                payback = np.where(cum < 0.0, np.inf,
                                   np.where(crossing, (t - 1) - prev / cf, payback))
                dcross = (dprev < 0.0) & (dcum >= 0.0)
                dpayback = np.where(dcum < 0.0, np.inf,
                                    np.where(dcross, (t - 1) - dprev / dcf, dpayback))

    tco = sum(cat.values())
    extra = {"cf": np.array(cfs)} if keep_cf else {}
    return {**extra,
        "payback": payback,
        "discounted_payback": dpayback,
        "npv": dcum,
        "pv_costs": pv_costs,
        "pv_benefits": pv_benefits,
        "roi": (pv_benefits - pv_costs) / pv_costs,
        "tco": tco,
        **{"tco_" + c: v for c, v in cat.items()},
    }


def simulate(n: int, seed: int, chunk: int = 100_000, keep_inputs: bool = False) -> dict:
    """Run n trials in chunks; return the per-trial outputs concatenated."""
    rng = np.random.default_rng(seed)
    parts = []
    done = 0
    while done < n:
        m = min(chunk, n - done)
        x = sample_inputs(rng, m)
        out = model(x)
        if keep_inputs:
            out.update({"in_" + k: v for k, v in x.items()})
        parts.append(out)
        done += m
    if len(parts) == 1:
        return parts[0]
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


# ------------------------------------------------------------------ summary
QS = (5, 10, 25, 50, 75, 90, 95)


def _pcts(v: np.ndarray) -> dict:
    with np.errstate(invalid="ignore"):  # inf - inf inside the interpolation: beyond H
        p = np.percentile(v, QS)  # linear interpolation (numpy default), as docs/MODEL.md says
    return {f"p{q}": (None if not np.isfinite(x) else float(x)) for q, x in zip(QS, p)}


def summarise(out: dict, horizon: int = HORIZON) -> dict:
    """The numbers payback's summary reports: payback percentiles and probabilities, money
    percentiles and means, TCO by category (mean, P10, P90)."""
    s = {"trials": int(len(out["npv"]))}
    for k in ("payback", "discounted_payback"):
        v = out[k]
        fin = np.isfinite(v)
        s[k] = {**_pcts(v),
                "prob_within_horizon": float(fin.mean()),
                "prob_within_12": float((v <= 12).mean()),
                "prob_within_24": float((v <= 24).mean()),
                "mean_if_paid_back": float(v[fin].mean()) if fin.any() else None}
    for k in ("npv", "roi", "tco", "pv_costs", "pv_benefits"):
        v = out[k]
        s[k] = {"mean": float(v.mean()), "sd": float(v.std(ddof=1)), **_pcts(v)}
    s["npv"]["prob_negative"] = float((out["npv"] < 0).mean())
    s["tco"]["categories"] = sorted(
        ({"category": c, "mean": float(out["tco_" + c].mean()),
          "p10": float(np.percentile(out["tco_" + c], 10)),
          "p90": float(np.percentile(out["tco_" + c], 90))} for c in COST_CATEGORIES),
        key=lambda d: -d["mean"])
    return s


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", "-n", type=float, default=1e5)
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--chunk", type=float, default=1e5,
                    help="trials per chunk (default 1e5: faster than 1e6 here, cache-sized)")
    ap.add_argument("--save", help="write payback, discounted_payback, npv, ... to this .npz")
    args = ap.parse_args(argv)
    n, chunk = int(args.trials), int(args.chunk)

    t0, c0 = time.perf_counter(), time.process_time()
    out = simulate(n, args.seed, chunk)
    t1 = time.perf_counter()
    summary = summarise(out)
    t2, c2 = time.perf_counter(), time.process_time()
    if args.save:
        np.savez(args.save, **{k: out[k] for k in ("payback", "discounted_payback", "npv",
                                                     "roi", "tco")})
    ru = resource.getrusage(resource.RUSAGE_SELF)
    report = {
        "trials": n, "seed": args.seed, "chunk": chunk,
        "simulate_seconds": t1 - t0, "summary_seconds": t2 - t1, "seconds": t2 - t0,
        "cpu_seconds": c2 - c0,
        "trials_per_second": n / (t2 - t0),
        "peak_rss_kb": ru.ru_maxrss,  # kilobytes on Linux
        "summary": summary,
    }
    json.dump(report, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
