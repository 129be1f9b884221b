//! Hostile or extreme inputs: endless files, huge shapes, overflowing ranges, control bytes,
//! files outside the scenario's folder. Each test names the issue item it guards.

use std::path::Path;

use predicates::prelude::*;

use crate::util::{bin, root, tempdir};

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
    let out = limited(&["validate", "--allow-files-outside", p.to_str().unwrap()]);
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

// 17. A scenario reads only files in its own folder and below, unless allowed.

#[test]
fn empirical_file_outside_the_folder_is_refused_without_quoting_it() {
    let d = tempdir();
    let data = d.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("ok.csv"), "minutes\n3\n5\n8\n").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", data.join("link.csv")).unwrap();
    for file in [
        "/etc/passwd",
        "../../../../../../etc/passwd",
        "data/link.csv",
    ] {
        let p = write_scenario(
            d.path(),
            &format!(r#"x = {{ dist = "empirical", file = "{file}", column = "minutes" }}"#),
        );
        let out = bin().arg("validate").arg(&p).output().unwrap();
        let err = one_line_error(&out);
        assert!(
            err.contains("outside the scenario's folder"),
            "{file}: {err}"
        );
        assert!(err.contains("--allow-files-outside"), "{err}");
        assert!(!err.contains("root:"), "quotes the refused file: {err}");
        assert!(
            err.starts_with(&format!("error: {}:3:", p.display())),
            "{err}"
        );
        // Allowed explicitly, the file is read (and has no such column).
        let out = bin()
            .args(["validate", "--allow-files-outside"])
            .arg(&p)
            .output()
            .unwrap();
        let err = one_line_error(&out);
        assert!(err.contains("has no column `minutes`"), "{file}: {err}");
    }
    // In the folder and below: fine.
    let p = write_scenario(
        d.path(),
        r#"x = { dist = "empirical", file = "data/ok.csv", column = "minutes" }"#,
    );
    bin().arg("validate").arg(&p).assert().success();
}

#[test]
fn every_scenario_command_has_allow_files_outside() {
    for sub in [
        "run",
        "sensitivity",
        "compare",
        "sweep",
        "report",
        "validate",
    ] {
        bin()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("--allow-files-outside"));
    }
}

#[test]
fn run_with_allow_files_outside_reads_the_file() {
    let d = tempdir();
    let other = tempdir();
    std::fs::write(other.path().join("m.csv"), "minutes\n3\n5\n8\n").unwrap();
    let file = other.path().join("m.csv");
    let p = write_scenario(
        d.path(),
        &format!(
            r#"x = {{ dist = "empirical", file = "{}", column = "minutes" }}"#,
            file.display()
        ),
    );
    bin()
        .args(["run", "-n", "1000", "--quiet"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("outside the scenario's folder"));
    bin()
        .args(["run", "-n", "1000", "--quiet", "--allow-files-outside"])
        .arg(&p)
        .assert()
        .success();
}

// 14. What a message quotes from a file is capped and escaped.

#[test]
fn a_200000_column_csv_header_gives_a_short_error() {
    let d = tempdir();
    let header: Vec<String> = (0..200_000).map(|i| format!("column_{i}")).collect();
    std::fs::write(d.path().join("wide.csv"), format!("{}\n", header.join(","))).unwrap();
    let p = write_scenario(
        d.path(),
        r#"x = { dist = "empirical", file = "wide.csv", column = "minutes" }"#,
    );
    let out = bin().arg("validate").arg(&p).output().unwrap();
    let err = one_line_error(&out);
    assert!(err.len() < 2_000, "{} bytes", err.len());
    assert!(err.contains("(200000 in all)"), "{err}");
}

#[test]
fn control_bytes_from_files_are_escaped() {
    let d = tempdir();
    std::fs::write(
        d.path().join("evil.csv"),
        "a\u{1b}[2J\u{7},minutes\n1,\u{1b}]0;pwned\u{7}\n",
    )
    .unwrap();
    for (column, wanted) in [
        ("nope", "\\u{1b}[2J\\u{7}"),
        ("minutes", "\\u{1b}]0;pwned\\u{7}"),
    ] {
        let p = write_scenario(
            d.path(),
            &format!(r#"x = {{ dist = "empirical", file = "evil.csv", column = "{column}" }}"#),
        );
        let out = bin().arg("validate").arg(&p).output().unwrap();
        let err = one_line_error(&out);
        assert!(
            !err.contains(['\u{1b}', '\u{7}']),
            "raw control bytes: {err:?}"
        );
        assert!(err.contains(wanted), "{err}");
    }
    // A scenario's own strings (TOML escapes) are escaped too.
    let p = d.path().join("t.toml");
    std::fs::write(
        &p,
        "name = \"s\"\n[[costs]]\nname = \"c\"\ncategory = \"lic\\u001b[2Jence\"\nwhen = \"once\"\namount = \"1\"\n",
    )
    .unwrap();
    let out = bin().arg("validate").arg(&p).output().unwrap();
    let err = one_line_error(&out);
    assert!(!err.contains('\u{1b}'), "raw ESC: {err:?}");
    assert!(err.contains("lic\\u{1b}[2Jence"), "{err}");
}

// 15. `--set` with a line break is refused, not half-applied.

#[test]
fn set_with_a_newline_is_a_usage_error() {
    for kv in ["employees=1\nhourly_cost=5", "employees=1\r\n[inputs]\nx=2"] {
        let out = bin()
            .args([
                "run",
                "scenarios/cloud_im_500.toml",
                "-n",
                "1000",
                "--quiet",
                "--set",
                kv,
            ])
            .output()
            .unwrap();
        let err = one_line_error(&out);
        assert!(err.contains("--set"), "{err}");
        assert!(err.contains("line break"), "{err}");
    }
}

#[test]
fn set_value_with_trailing_keys_is_refused_by_the_library() {
    let e = payback::scenario::parse_input_value("1\nemployees = 5", "a").unwrap_err();
    assert!(e.message.contains("nothing after it"), "{e}");
    assert!(payback::scenario::parse_input_value("{dist=\"uniform\",min=1,max=2}", "a").is_ok());
}
