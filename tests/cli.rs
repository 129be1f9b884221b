//! The command line as a user runs it.

use predicates::prelude::*;

use crate::util::{bin, root, tempdir};

#[test]
fn run_prints_a_table_with_the_verdict() {
    bin()
        .args(["run", "scenarios/cloud_im_500.toml", "--trials", "20000"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("P(≤ 12 months)")
                .and(predicate::str::contains("Verdict:"))
                .and(predicate::str::contains("seed")),
        );
}

#[test]
fn run_json_has_the_documented_keys() {
    let out = bin()
        .args([
            "run",
            "scenarios/cloud_im_500.toml",
            "-n",
            "5000",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for k in [
        "scenario",
        "trials",
        "seed",
        "horizon_months",
        "discount_rate",
        "payback",
        "discounted_payback",
        "npv",
        "roi",
        "tco",
        "pv_costs",
        "pv_benefits",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    for k in [
        "p5",
        "p10",
        "p25",
        "p50",
        "p75",
        "p90",
        "p95",
        "prob_within_horizon",
        "prob_within_12",
        "prob_within_24",
        "p50_ci",
    ] {
        assert!(v["payback"].get(k).is_some(), "payback.{k}");
    }
    for k in ["mean", "sd", "p5", "p95", "prob_negative"] {
        assert!(v["npv"].get(k).is_some(), "npv.{k}");
    }
    assert!(
        v["tco"]["by_category"]
            .as_object()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(v["trials"], 5000);
}

#[test]
fn out_dir_gets_summary_cashflow_and_trials() {
    let d = tempdir();
    bin()
        .args([
            "run",
            "scenarios/smb_customer_service.toml",
            "-n",
            "3000",
            "--quiet",
            "--save-trials",
            "--out",
        ])
        .arg(d.path())
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["trials"], 3000);
    let cash = std::fs::read_to_string(d.path().join("cashflow.csv")).unwrap();
    assert!(cash.starts_with("month,p5,p25,p50,p75,p95"));
    assert_eq!(cash.lines().count(), 1 + 37);
    let trials = std::fs::read_to_string(d.path().join("trials.csv")).unwrap();
    assert_eq!(trials.lines().count(), 1 + 3000);
    let header = trials.lines().next().unwrap();
    assert!(
        header.contains(",payback,discounted_payback,npv,roi,tco,cf_0,"),
        "{header}"
    );
    assert!(header.ends_with(",cf_36"), "{header}");
    // No temporary files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn npv_equals_the_discounted_trials_rows_mean() {
    let d = tempdir();
    bin()
        .args([
            "run",
            "scenarios/cloud_im_500.toml",
            "-n",
            "2000",
            "--save-trials",
            "--format",
            "json",
            "--out",
        ])
        .arg(d.path())
        .assert()
        .success();
    let trials = std::fs::read_to_string(d.path().join("trials.csv")).unwrap();
    let header: Vec<&str> = trials.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "npv").unwrap();
    let npvs: Vec<f64> = trials
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(col).unwrap().parse().unwrap())
        .collect();
    let mean = npvs.iter().sum::<f64>() / npvs.len() as f64;
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.path().join("summary.json")).unwrap()).unwrap();
    let m = summary["npv"]["mean"].as_f64().unwrap();
    assert!((mean / m - 1.0).abs() < 1e-9, "{mean} vs {m}");
}

#[test]
fn set_and_deterministic_and_horizon() {
    bin()
        .args([
            "run",
            "scenarios/cloud_im_500.toml",
            "--deterministic",
            "--format",
            "json",
            "--horizon",
            "24",
        ])
        .arg("--set")
        .arg("hourly_cost={dist=\"pert\",min=60,mode=80,max=120}")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("\"trials\": 1")
                .and(predicate::str::contains("\"horizon_months\": 24")),
        );
    bin()
        .args([
            "run",
            "scenarios/cloud_im_500.toml",
            "--set",
            "hourly_cots=3",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `hourly_cost`"));
}

#[test]
fn validate_describes_the_scenario() {
    bin()
        .args(["validate", "scenarios/onprem_im_2000.toml"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("valid")
                .and(predicate::str::contains("Line items:"))
                .and(predicate::str::contains("P10–P90")),
        );
}

#[test]
fn init_writes_a_scenario_that_validates() {
    let d = tempdir();
    let p = d.path().join("new.toml");
    bin()
        .args(["init"])
        .arg(&p)
        .args(["--template", "service"])
        .assert()
        .success();
    bin().args(["validate"]).arg(&p).assert().success();
    bin()
        .args(["init"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    bin()
        .args(["init"])
        .arg(d.path().join("x.toml"))
        .args(["--template", "nope"])
        .assert()
        .code(2);
}

#[test]
fn every_bundled_scenario_runs() {
    for e in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            bin()
                .args(["run", "-n", "2000", "--quiet"])
                .arg(&p)
                .assert()
                .success();
        }
    }
}

#[test]
fn help_has_examples_on_every_subcommand() {
    for sub in [
        "run",
        "validate",
        "init",
        "sensitivity",
        "compare",
        "sweep",
        "report",
        "completions",
        "man",
        "fit",
    ] {
        bin()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Example"));
    }
}

#[test]
fn bad_scenarios_give_one_located_message_and_exit_2() {
    let dir = root().join("tests/bad");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).to_string();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or("the file is empty")
            .to_string();
        let out = bin().args(["validate"]).arg(&p).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {err}", p.display());
        assert!(
            err.contains(&expect),
            "{}: wanted `{expect}` in `{err}`",
            p.display()
        );
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{}: one line: {err}",
            p.display()
        );
        assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"));
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            err.starts_with(&format!("error: {}", p.display())) || name == "division_by_zero.toml",
            "{err}"
        );
        n += 1;
    }
    assert!(n >= 20);
}

#[test]
fn a_directory_or_missing_file_is_a_clear_error() {
    bin()
        .args(["run", "scenarios"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a directory"));
    bin()
        .args(["run", "nope.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}

#[test]
fn unwritable_out_is_a_clear_error() {
    bin()
        .args([
            "run",
            "scenarios/cloud_im_500.toml",
            "-n",
            "1000",
            "--out",
            "/proc/payback-out",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--out"));
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let d = tempdir();
    let p = d.path().join("huge.toml");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    bin()
        .args(["validate"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("scenario files may be at most"));
}

#[test]
fn a_failed_write_leaves_no_file_and_no_temporary() {
    let d = tempdir();
    let target = d.path().join("summary.json");
    let r = payback::report::atomic::write_with(&target, |w| {
        w.write_all(b"{\"half\": ")?;
        Err(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "disk full",
        ))
    });
    assert!(r.is_err());
    assert_eq!(
        std::fs::read_dir(d.path()).unwrap().count(),
        0,
        "nothing left behind"
    );
    // An existing file survives a failed rewrite untouched.
    std::fs::write(&target, b"old").unwrap();
    let _ = payback::report::atomic::write_with(&target, |_| Err(std::io::Error::other("boom")));
    assert_eq!(std::fs::read(&target).unwrap(), b"old");
}

#[test]
fn out_under_a_file_or_a_read_only_place_is_a_clear_error() {
    let d = tempdir();
    let file = d.path().join("f");
    std::fs::write(&file, "x").unwrap();
    bin()
        .args(["run", "scenarios/cloud_im_500.toml", "-n", "100", "--out"])
        .arg(file.join("sub"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--out"));
    bin()
        .args([
            "run",
            "scenarios/cloud_im_500.toml",
            "-n",
            "100",
            "--out",
            "/sys/payback",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot create"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_and_leaves_no_output_files() {
    let d = tempdir();
    let exe = assert_cmd::cargo::cargo_bin("payback");
    let child = std::process::Command::new(exe)
        .current_dir(root())
        .args([
            "run",
            "scenarios/cloud_im_500.toml",
            "-n",
            "2000000000",
            "--quiet",
            "--save-trials",
            "--out",
        ])
        .arg(d.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    let left: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn an_absurd_thread_count_is_refused_before_any_thread_is_started() {
    // Loading a scenario builds its tables on the run's threads: the count must be checked
    // first, or a million threads are spawned before the message.
    for cmd in ["run", "sensitivity"] {
        bin()
            .args([cmd, "scenarios/cloud_im_500.toml", "-n", "100"])
            .args(["--threads", "1000000"])
            .timeout(std::time::Duration::from_secs(30))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "--threads must be from 1 to 1024 (got 1000000)",
            ));
    }
    // merge sizes its per-thread statistics by the count.
    let dir = tempdir();
    let part = dir.path().join("part-0.json");
    bin()
        .args(["run", "scenarios/cloud_im_500.toml", "-n", "300", "-q"])
        .args(["--shard", "0/1", "--out"])
        .arg(&part)
        .assert()
        .success();
    bin()
        .arg("merge")
        .arg(&part)
        .args(["--threads", "1000000"])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--threads must be from 1 to 1024"));
}
