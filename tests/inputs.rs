//! Hostile or extreme inputs: endless files, huge shapes, overflowing ranges, control bytes,
//! files outside the scenario's folder. Each test names the issue item it guards.

use std::path::Path;

use crate::util::{root, tempdir};

/// Run the binary under a 1 GB address-space limit, so that an unbounded read fails
/// (allocation failure) instead of swallowing the machine.
fn limited(args: &[&str]) -> std::process::Output {
    let exe = env!("CARGO_BIN_EXE_payback");
    let mut c = std::process::Command::new("sh");
    c.arg("-c")
        .arg("ulimit -v 1000000; exec \"$0\" \"$@\"")
        .arg(exe)
        .args(args)
        .current_dir(root());
    c.output().expect("sh runs")
}

fn one_line_error(out: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

const ITEM: &str = r#"
[[costs]]
name = "c"
category = "licence"
when = "once"
amount = "x"
"#;

fn write_scenario(dir: &Path, inputs: &str) -> std::path::PathBuf {
    let p = dir.join("s.toml");
    std::fs::write(&p, format!("name = \"s\"\n[inputs]\n{inputs}\n{ITEM}")).unwrap();
    p
}

// 12. Endless inputs: bound what is read, not what `stat` says.

#[test]
fn validate_dev_zero_stops_at_the_size_limit() {
    let out = limited(&["validate", "/dev/zero"]);
    let err = one_line_error(&out);
    assert!(err.contains("scenario files may be at most"), "{err}");
}

#[test]
fn empirical_file_dev_zero_stops_at_the_size_limit() {
    let d = tempdir();
    let p = write_scenario(
        d.path(),
        r#"x = { dist = "empirical", file = "/dev/zero", column = "a" }"#,
    );
    let out = limited(&["validate", p.to_str().unwrap()]);
    let err = one_line_error(&out);
    assert!(err.contains("more than 67108864 bytes"), "{err}");
}

#[test]
fn font_dev_zero_stops_at_the_size_limit() {
    let d = tempdir();
    let out = limited(&[
        "run",
        "scenarios/cloud_im_500.toml",
        "-n",
        "1000",
        "--quiet",
        "--font",
        "/dev/zero",
        "--out",
        d.path().to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("larger than"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}
