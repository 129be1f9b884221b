//! Output files: options checked before anything is written, one run per directory,
//! inputs never overwritten, signals leave nothing behind, sweep names and ties.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::util::{bin, root, tempdir};

/// A small, fast scenario (one uncertain input, 12 months).
const TINY: &str = r#"name = "tiny"
horizon_months = 12
discount_rate = 0.05
[inputs]
u = { dist = "uniform", min = 50, max = 150 }
[[costs]]
name = "Setup"
category = "implementation"
when = "once"
amount = "500"
[[benefits]]
name = "Saving"
category = "productivity"
when = "monthly"
amount = "u"
"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

/// Every entry of a directory (hidden ones too), sorted; empty if it does not exist.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_bad_font_or_option_writes_nothing_in_any_command() {
    let d = tempdir();
    let s = write(d.path(), "s.toml", TINY);
    let t = write(
        d.path(),
        "t.toml",
        &TINY.replace("\"tiny\"", "\"tiny two\""),
    );
    let font = d.path().join("no-such-font.ttf");
    let out = d.path().join("out");
    let runs: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["run".into(), s.clone().into(), "-n".into(), "200".into()],
        vec![
            "sensitivity".into(),
            s.clone().into(),
            "-n".into(),
            "200".into(),
        ],
        vec![
            "compare".into(),
            s.clone().into(),
            t.clone().into(),
            "-n".into(),
            "200".into(),
        ],
        vec![
            "sweep".into(),
            s.clone().into(),
            "--vary".into(),
            "u=50:150:3".into(),
            "-n".into(),
            "200".into(),
        ],
    ];
    for args in &runs {
        bin()
            .args(args)
            .arg("--out")
            .arg(&out)
            .arg("--font")
            .arg(&font)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--font"));
        assert!(!out.exists(), "{args:?} left {:?}", entries(&out));
    }
    // A bad analysis option is found before the output directory is made.
    bin()
        .arg("sensitivity")
        .arg(&s)
        .args(["--low", "0.9", "--high", "0.1", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists(), "{:?}", entries(&out));
    // The report checks its font before writing, too.
    let html = d.path().join("r.html");
    bin()
        .arg("report")
        .arg(&s)
        .args(["-n", "200", "-o"])
        .arg(&html)
        .arg("--font")
        .arg(&font)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--font"));
    assert!(!html.exists());
}

#[test]
fn rerunning_into_the_same_out_removes_the_earlier_runs_files_only() {
    let d = tempdir();
    let s = write(d.path(), "s.toml", TINY);
    let out = d.path().join("out");
    bin()
        .arg("run")
        .arg(&s)
        .args(["-n", "300", "--save-trials", "--charts", "svg", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("trials.csv").exists() && out.join("payback.svg").exists());
    write(&out, "notes.txt", "mine");
    write(&out, "trials.csv.bak", "mine too");
    bin()
        .arg("run")
        .arg(&s)
        .args(["-n", "300", "--charts", "none", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("trials.csv").and(predicate::str::contains("payback.svg")),
        );
    assert_eq!(
        entries(&out),
        [
            "cashflow.csv",
            "notes.txt",
            "summary.json",
            "trials.csv.bak"
        ]
    );
    // Another command into the same directory replaces the run's files.
    bin()
        .arg("sensitivity")
        .arg(&s)
        .args([
            "-n", "300", "--method", "tornado", "--charts", "none", "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("summary.json"));
    assert_eq!(
        entries(&out),
        [
            "notes.txt",
            "sensitivity.json",
            "tornado.csv",
            "trials.csv.bak"
        ]
    );
}

#[test]
fn an_input_is_never_overwritten() {
    let d = tempdir();
    let s = write(d.path(), "S.toml", TINY);
    bin()
        .arg("report")
        .arg(&s)
        .args(["-n", "200", "-o"])
        .arg(d.path().join(".").join("S.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("S.toml").and(predicate::str::contains("input")));
    assert_eq!(std::fs::read_to_string(&s).unwrap(), TINY);
    // The font is an input too.
    let font = d.path().join("f.ttc");
    std::fs::copy(root().join("assets/fonts/wqy-microhei.ttc"), &font).unwrap();
    let before = std::fs::metadata(&font).unwrap().len();
    bin()
        .arg("report")
        .arg(&s)
        .args(["-n", "200", "-o"])
        .arg(&font)
        .arg("--font")
        .arg(&font)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("f.ttc"));
    assert_eq!(std::fs::metadata(&font).unwrap().len(), before);
    // An earlier run's trials.csv resampled by the scenario, with --out that directory.
    let out = d.path().join("out");
    let data = write(&out, "trials.csv", "npv\n1\n2\n3\n");
    let e = write(
        d.path(),
        "e.toml",
        &TINY.replace(
            "u = { dist = \"uniform\", min = 50, max = 150 }",
            "u = { dist = \"empirical\", file = \"out/trials.csv\", column = \"npv\" }",
        ),
    );
    for extra in [&["--save-trials"][..], &[][..]] {
        bin()
            .arg("run")
            .arg(&e)
            .args(["-n", "200", "--charts", "none"])
            .args(extra)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("trials.csv"));
        assert_eq!(std::fs::read_to_string(&data).unwrap(), "npv\n1\n2\n3\n");
        assert_eq!(entries(&out), ["trials.csv"]);
    }
    // A scenario that sits in --out under a name payback writes there.
    let inside = write(&out, "summary.json", TINY);
    bin()
        .arg("sweep")
        .arg(&inside)
        .args(["--vary", "u=50:150:3", "-n", "200", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("summary.json"));
    assert_eq!(std::fs::read_to_string(&inside).unwrap(), TINY);
}

/// Start `payback ARGS`, wait until `ready(out)` (bounded), send `signal`, and return the
/// exit status and stderr.
#[cfg(unix)]
fn interrupt(
    args: &[std::ffi::OsString],
    out: &Path,
    signal: &str,
    ready: impl Fn(&Path) -> bool,
) -> (Option<i32>, String) {
    let exe = assert_cmd::cargo::cargo_bin("payback");
    let child = std::process::Command::new(exe)
        .current_dir(root())
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Poll (not a timing assertion): signal as soon as the run reaches the phase wanted.
    for _ in 0..6000 {
        if ready(out) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status();
    let o = child.wait_with_output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Every file under `dir`, one level of subdirectories included.
#[cfg(unix)]
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            v.extend(
                std::fs::read_dir(&p)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path()),
            );
        } else {
            v.push(p);
        }
    }
    v
}

#[cfg(unix)]
#[test]
fn int_or_term_while_trials_are_written_leaves_no_file() {
    let d = tempdir();
    let s = write(d.path(), "s.toml", TINY);
    for signal in ["-INT", "-TERM"] {
        let out = d.path().join(format!("out{signal}"));
        let args: Vec<std::ffi::OsString> = vec![
            "run".into(),
            s.clone().into(),
            "-n".into(),
            "1000000".into(),
            "--quiet".into(),
            "--charts".into(),
            "none".into(),
            "--save-trials".into(),
            "--out".into(),
            out.clone().into(),
        ];
        // trials.csv is written after cashflow.csv: a temporary file beside cashflow.csv.
        let (code, err) = interrupt(&args, &out, signal, |o| {
            let f = files_under(o);
            let name = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
            f.iter().any(|p| name(p) == "cashflow.csv")
                && f.iter().any(|p| name(p).ends_with(".tmp"))
        });
        assert_eq!(code, Some(130), "{signal}: {err}");
        assert!(err.contains("interrupted"), "{err}");
        assert!(!out.exists(), "{signal} left {:?}", files_under(&out));
    }
}

#[cfg(unix)]
#[test]
fn term_during_the_simulation_leaves_no_file() {
    let d = tempdir();
    let s = write(d.path(), "s.toml", TINY);
    let out = d.path().join("existing");
    write(&out, "notes.txt", "mine");
    let args: Vec<std::ffi::OsString> = vec![
        "run".into(),
        s.into(),
        "-n".into(),
        "2000000000".into(),
        "--quiet".into(),
        "--save-trials".into(),
        "--out".into(),
        out.clone().into(),
    ];
    let (code, err) = interrupt(&args, &out, "-TERM", |o| entries(o).len() > 1);
    assert_eq!(code, Some(130), "{err}");
    assert_eq!(entries(&out), ["notes.txt"]);
}

#[test]
fn sweep_of_identical_options_says_tied_and_names_every_chart_apart() {
    let d = tempdir();
    let x = write(d.path(), "x/s.toml", TINY);
    let y = write(d.path(), "y/s.toml", TINY);
    let out = d.path().join("out");
    let o = bin()
        .arg("sweep")
        .arg(&x)
        .arg(&y)
        .args([
            "--vary",
            "u=50:150:3",
            "-n",
            "300",
            "--charts",
            "svg",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(!text.contains("A throughout"), "{text}");
    assert!(text.contains("tied"), "{text}");
    let charts: Vec<String> = entries(&out)
        .into_iter()
        .filter(|n| n.ends_with(".svg"))
        .collect();
    // Two per file (payback, NPV) and the options' leaders (best, cheapest).
    assert_eq!(charts.len(), 6, "{charts:?}");
    for name in ["sweep_best.svg", "sweep_cheapest.svg"] {
        assert!(charts.iter().any(|c| c == name), "{charts:?}");
    }
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("sweep.json")).unwrap()).unwrap();
    for l in v["leaders"].as_array().unwrap() {
        assert_eq!(l["cheapest"]["options"], serde_json::json!([0, 1]), "{l}");
        assert_eq!(l["best_npv"]["options"], serde_json::json!([0, 1]), "{l}");
    }
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with("option,cheapest,best_npv"),
        "{csv}"
    );
    assert!(csv.lines().nth(1).unwrap().ends_with("A,A=B,A=B"), "{csv}");
}

#[test]
fn a_sweep_names_a_tie_at_one_grid_point_between_two_leaders() {
    let d = tempdir();
    // TCO: 1,000 flat against 100 a user: equal at exactly 10 users.
    let flat = r#"name = "Flat fee"
horizon_months = 12
discount_rate = 0
[inputs]
users = 10
[[costs]]
name = "Fee"
category = "licence"
when = "once"
amount = "1000"
[[benefits]]
name = "Value"
category = "productivity"
when = "monthly"
amount = "users * 50"
"#;
    let a = write(d.path(), "flat.toml", flat);
    let b = write(
        d.path(),
        "seat.toml",
        &flat
            .replace("Flat fee", "Per seat")
            .replace("amount = \"1000\"", "amount = \"users * 100\""),
    );
    let o = bin()
        .arg("sweep")
        .arg(&a)
        .arg(&b)
        .args(["--vary", "users=5:15:3", "-n", "100", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let cheapest: Vec<_> = v["leaders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["cheapest"]["options"].clone())
        .collect();
    assert_eq!(
        cheapest,
        [
            serde_json::json!([1]),
            serde_json::json!([0, 1]),
            serde_json::json!([0])
        ]
    );
    let st = v["crossover_statements"][0].as_str().unwrap();
    assert!(st.contains("(tied) at 10, then A from 15"), "{st}");
}
