//! Sharded runs: `run --shard I/K` parts merged by `payback merge` give exactly the run on
//! one machine (stdout, summary.json, cashflow.csv and every chart, bit for bit), and
//! merge refuses parts that are not the K shards of one run, naming what is wrong.

use std::path::Path;

use crate::util::{bin, tempdir};

const SCENARIO: &str = "scenarios/cloud_im_500.toml";

fn run_shard(dir: &Path, args: &[&str], shard: &str) -> String {
    let file = dir.join(format!("part-{}.json", shard.replace('/', "-of-")));
    bin()
        .args(["run", SCENARIO, "--quiet"])
        .args(args)
        .args(["--shard", shard, "--out"])
        .arg(&file)
        .assert()
        .success();
    file.display().to_string()
}

fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("out dir")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("file"),
            )
        })
        .collect();
    v.sort();
    v
}

/// `payback CMD…` on one machine against its K shards merged (given to merge in reverse
/// order, each shard with its own thread count: neither may matter): stdout and every
/// output file, charts included, identical. Returns the folder and the part files.
fn assert_merge_equals_whole(
    cmd: &[&str],
    k: u64,
    threads: &[&str],
) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempdir();
    let d = dir.path();
    let one = d.join("one");
    let whole = bin()
        .args(cmd)
        .args(["--quiet", "--format", "json", "--charts", "png", "--out"])
        .arg(&one)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let parts: Vec<String> = (0..k)
        .map(|i| {
            let file = d.join(format!("part-{i}.json"));
            bin()
                .args(cmd)
                .args(["--quiet", "--threads", threads[i as usize % threads.len()]])
                .args(["--shard", &format!("{i}/{k}"), "--out"])
                .arg(&file)
                .assert()
                .success();
            file.display().to_string()
        })
        .collect();
    let merged_dir = d.join("merged");
    let merged = bin()
        .arg("merge")
        .args(parts.iter().rev())
        .args(["--format", "json", "--charts", "png", "--out"])
        .arg(&merged_dir)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&merged),
        String::from_utf8_lossy(&whole),
        "merged stdout differs ({cmd:?}, {k} shards)"
    );
    let (a, b) = (files_of(&one), files_of(&merged_dir));
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs ({cmd:?}, {k} shards)");
    }
    (dir, parts)
}

/// A run against its K shards merged.
fn assert_merge_equals_run(args: &[&str], k: u64, threads: &[&str]) {
    let mut cmd = vec!["run", SCENARIO];
    cmd.extend(args);
    assert_merge_equals_whole(&cmd, k, threads);
}

#[test]
fn merged_shards_equal_one_run_under_monte_carlo() {
    // 150,000 trials: the kept sample (first 100,000) spans the first two of three shards.
    assert_merge_equals_run(&["--trials", "150000", "--seed", "5"], 3, &["1", "2"]);
}

#[test]
fn merged_shards_equal_one_run_under_lhs_and_sobol() {
    assert_merge_equals_run(
        &[
            "--trials",
            "20000",
            "--sampling",
            "lhs",
            "--set",
            "employees=650",
        ],
        4,
        &["2", "1"],
    );
    assert_merge_equals_run(&["--trials", "16384", "--sampling", "sobol"], 2, &["1"]);
}

#[test]
fn more_shards_than_batches_leave_some_empty_and_still_merge() {
    assert_merge_equals_run(&["--trials", "600"], 5, &["1"]);
}

fn merge_error(parts: &[&str]) -> String {
    let out = bin().arg("merge").args(parts).assert().failure().code(2);
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

#[test]
fn merge_refuses_parts_that_are_not_the_shards_of_one_run() {
    let dir = tempdir();
    let d = dir.path();
    let base = ["--trials", "5000"];
    let p0 = run_shard(d, &base, "0/3");
    let p1 = run_shard(d, &base, "1/3");
    let p2 = run_shard(d, &base, "2/3");
    let missing = merge_error(&[&p0, &p2]);
    assert!(missing.contains("1 of 3 shards missing: 1"), "{missing}");
    let twice = merge_error(&[&p0, &p1, &p1, &p2]);
    assert!(twice.contains("shard 1/3 is given twice"), "{twice}");

    let other_dir = d.join("other");
    std::fs::create_dir(&other_dir).expect("dir");
    let seed = run_shard(&other_dir, &["--trials", "5000", "--seed", "9"], "1/3");
    let e = merge_error(&[&p0, &seed, &p2]);
    assert!(e.contains("differ in seed"), "{e}");
    let set = run_shard(
        &other_dir,
        &["--trials", "5000", "--set", "employees=900"],
        "2/3",
    );
    let e = merge_error(&[&p0, &p1, &set]);
    assert!(e.contains("differ in overrides"), "{e}");
    let n = run_shard(&other_dir, &["--trials", "6000"], "0/3");
    let e = merge_error(&[&n, &p1, &p2]);
    assert!(e.contains("differ in trials"), "{e}");

    // A part edited by hand or cut short.
    let text = std::fs::read_to_string(&p1).expect("part");
    let edited = d.join("edited.json");
    std::fs::write(&edited, text.replacen("\"n\":", "\"n\": ", 1)).expect("write");
    let e = merge_error(&[&p0, edited.to_str().expect("utf-8"), &p2]);
    assert!(e.contains("checksum mismatch"), "{e}");
    let cut = d.join("cut.json");
    std::fs::write(&cut, &text[..text.len() / 2]).expect("write");
    let e = merge_error(&[&p0, cut.to_str().expect("utf-8"), &p2]);
    assert!(e.contains("damaged or cut short"), "{e}");
    let newer = d.join("newer.json");
    std::fs::write(
        &newer,
        text.replacen("\"part_version\":1", "\"part_version\":99", 1),
    )
    .expect("write");
    let e = merge_error(&[&p0, newer.to_str().expect("utf-8"), &p2]);
    assert!(e.contains("part file version 99"), "{e}");
    let e = merge_error(&[SCENARIO]);
    assert!(e.contains("not a payback part file"), "{e}");
    #[cfg(unix)]
    {
        let e = merge_error(&["/dev/zero"]);
        assert!(e.contains("not a regular file"), "{e}");
    }
}

#[test]
fn shard_options_are_checked_before_anything_runs() {
    let dir = tempdir();
    let out = dir.path().join("p.json");
    let o = out.to_str().expect("utf-8");
    for (args, needle) in [
        (vec!["--shard", "4/4", "--out", o], "from 0 to 3"),
        (vec!["--shard", "0/4"], "--shard needs --out FILE"),
        (
            vec!["--shard", "0/4", "--out", o, "--precision", "1"],
            "--precision does not apply",
        ),
        (
            vec!["--shard", "0/2", "--out", SCENARIO],
            "refusing to overwrite",
        ),
        // Replaced by a rename, a device would stop being one.
        (
            vec!["--shard", "0/2", "--out", "/dev/null"],
            "not a regular file",
        ),
    ] {
        let a = bin()
            .args(["run", SCENARIO])
            .args(&args)
            .assert()
            .failure()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    // A folder that is not there is found before the run, not after it.
    let a = bin()
        .args(["run", SCENARIO, "--trials", "4000000", "--shard", "1/2"])
        .args(["--out", "no-such-folder/p.json"])
        .assert()
        .failure()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("does not exist"), "{err}");
    assert!(!out.exists());
}

#[test]
fn merged_compare_shards_equal_one_comparison() {
    let cmd = [
        "compare",
        "scenarios/vendor_a_low_price.toml",
        "scenarios/vendor_b_mature.toml",
        "scenarios/vendor_c_tech_leader.toml",
        "--trials",
        "120000",
    ];
    // The kept sample (first 100,000 trials) spans the first two of three shards.
    let (dir, parts) = assert_merge_equals_whole(&cmd, 3, &["2", "1"]);
    let d = dir.path();
    // A part of a run is not a part of this comparison.
    let run_part = run_shard(d, &["--trials", "120000"], "1/3");
    let e = merge_error(&[&parts[0], &run_part, &parts[2]]);
    assert!(e.contains("differ in command"), "{e}");
}

/// A sweep against its shards merged (grid points shared out; the break-evens refined by the
/// merge).
fn assert_sweep_merge_equals_sweep(files: &[&str], args: &[&str], k: u64) {
    let mut cmd = vec!["sweep"];
    cmd.extend(files);
    cmd.extend(args);
    assert_merge_equals_whole(&cmd, k, &["2", "1"]);
}

#[test]
fn merged_sweep_shards_equal_one_sweep() {
    // Three files over one parameter: break-evens refined at merge, leaders and crossovers.
    assert_sweep_merge_equals_sweep(
        &[
            "scenarios/licence_buyout.toml",
            "scenarios/licence_subscription.toml",
            "scenarios/licence_usage.toml",
        ],
        &["--vary", "users=100:3000:7", "--trials", "3000"],
        4,
    );
    // Two parameters (a heatmap), more shards than some have points.
    assert_sweep_merge_equals_sweep(
        &[SCENARIO],
        &[
            "--vary",
            "adoption_peak=0.4:1:3",
            "--vary",
            "horizon_months=24:48:3",
            "--trials",
            "2000",
        ],
        5,
    );
}
