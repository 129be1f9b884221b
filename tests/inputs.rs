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

// 13. Every input is checked or built in bounded time.

#[test]
fn huge_shapes_are_refused_in_bounded_time() {
    let d = tempdir();
    for (input, wanted) in [
        (
            r#"x = { dist = "gamma", shape = 1e12, scale = 1 }"#,
            "`shape` must be from 0.5 to 10000",
        ),
        (
            r#"x = { dist = "gamma", shape = 1e9, scale = 1 }"#,
            "`shape` must be from 0.5 to 10000",
        ),
        (
            r#"x = { dist = "beta", alpha = 2, beta = 1e12 }"#,
            "`beta` must be from 0.5 to 100000",
        ),
        (
            r#"x = { dist = "pert", min = 0, mode = 1, max = 9, lambda = 1e12 }"#,
            "`lambda` must be from 0 to 10000",
        ),
    ] {
        let p = write_scenario(d.path(), input);
        let t = std::time::Instant::now();
        let out = bin()
            .timeout(std::time::Duration::from_secs(20))
            .arg("validate")
            .arg(&p)
            .output()
            .unwrap();
        let err = one_line_error(&out);
        assert!(err.contains(wanted), "{input}: {err}");
        assert!(
            t.elapsed().as_secs_f64() < 5.0,
            "{input}: {:?}",
            t.elapsed()
        );
    }
}

#[test]
fn the_largest_supported_shapes_validate_quickly() {
    let d = tempdir();
    for input in [
        r#"x = { dist = "gamma", shape = 1e4, scale = 1e-300 }"#,
        r#"x = { dist = "beta", alpha = 1e5, beta = 0.5 }"#,
        r#"x = { dist = "pert", min = 0, mode = 1, max = 9, lambda = 1e4 }"#,
    ] {
        let p = write_scenario(d.path(), input);
        let t = std::time::Instant::now();
        bin()
            .timeout(std::time::Duration::from_secs(20))
            .arg("validate")
            .arg(&p)
            .assert()
            .success();
        assert!(
            t.elapsed().as_secs_f64() < 5.0,
            "{input}: {:?}",
            t.elapsed()
        );
    }
}

// 16. What cannot be computed is refused at the input that causes it.

#[test]
fn a_subnormal_months_to_peak_from_an_input_is_a_step_not_nan() {
    let d = tempdir();
    let p = d.path().join("s.toml");
    std::fs::write(
        &p,
        r#"name = "s"
[inputs]
m = 5e-324
[adoption]
curve = "logistic"
months_to_peak = "m"
[[benefits]]
name = "b"
category = "productivity"
when = "monthly"
amount = "100 * adoption"
[[costs]]
name = "c"
category = "licence"
when = "once"
amount = "1000"
"#,
    )
    .unwrap();
    let out = bin()
        .args(["run", "-n", "2000", "--quiet", "--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // A step: 100 a month from month 1 pays 1000 back in month 10.
    assert_eq!(v["payback"]["p50"].as_f64(), Some(10.0), "{v}");
}

mod library {
    use payback::distributions::{Dist, DistError, InputDist, families};

    fn sampler(d: Dist) -> Result<payback::distributions::Sampler, DistError> {
        InputDist::plain(d).sampler()
    }

    #[test]
    fn overflowing_ranges_and_spreads_are_refused() {
        for d in [
            Dist::Uniform(families::Uniform {
                min: -1.7e308,
                max: 1.7e308,
            }),
            Dist::Triangular(families::Triangular {
                min: -1e200,
                mode: 0.0,
                max: 1e200,
            }),
            Dist::Pert(families::Pert {
                min: -1.7e308,
                mode: 0.0,
                max: 1.7e308,
                lambda: 4.0,
            }),
            Dist::Beta(families::Beta {
                alpha: 2.0,
                beta: 2.0,
                min: -1.7e308,
                max: 1.7e308,
            }),
            Dist::Normal(families::Normal {
                mean: 0.0,
                sd: 1e307,
            }),
            Dist::LogNormal(families::LogNormal {
                mu: 0.0,
                sigma: 100.0,
            }),
            Dist::Gamma(families::Gamma {
                shape: 2.0,
                scale: 1e307,
            }),
        ] {
            let e = sampler(d.clone()).unwrap_err();
            assert!(
                matches!(
                    e,
                    DistError::RangeTooWide { .. } | DistError::Overflow { .. }
                ),
                "{d:?}: {e}"
            );
        }
        // A constant-like normal (sd tiny against a huge mean) is fine.
        let s = sampler(Dist::Normal(families::Normal {
            mean: 1e300,
            sd: 1e-300,
        }))
        .unwrap();
        assert_eq!(s.quantile(0.5), 1e300);
    }

    #[test]
    fn uniform_near_the_largest_double_has_a_finite_point_value() {
        let d = InputDist::plain(Dist::Uniform(families::Uniform {
            min: 1e308,
            max: 1.7e308,
        }));
        let s = d.sampler().unwrap();
        assert!(d.point_value(&s).is_finite());
        let n = InputDist {
            trunc_min: Some(1e308),
            ..InputDist::plain(Dist::Normal(families::Normal {
                mean: 1.5e308,
                sd: 1e306,
            }))
        };
        let s = n.sampler().unwrap();
        assert!(s.mean().is_finite(), "{}", s.mean());
    }

    #[test]
    fn gamma_with_a_tiny_scale_has_scaled_quantiles() {
        // Median of Gamma(2, 1) is 1.67834699…
        let s = sampler(Dist::Gamma(families::Gamma {
            shape: 2.0,
            scale: 1e-300,
        }))
        .unwrap();
        let m = s.quantile(0.5) / 1e-300;
        assert!((m - 1.678_346_990_016_661).abs() < 1e-6, "{m}");
    }

    #[test]
    fn beta_and_pert_at_the_copula_extremes_do_not_panic() {
        for d in [
            Dist::Beta(families::Beta {
                alpha: 2.0,
                beta: 5.0,
                min: 0.0,
                max: 1.0,
            }),
            Dist::Pert(families::Pert {
                min: 1.0,
                mode: 2.0,
                max: 9.0,
                lambda: 4.0,
            }),
        ] {
            let s = sampler(d).unwrap();
            for p in [1e-300, 1e-200, 1e-17, 1.0 - f64::EPSILON / 2.0] {
                assert!(s.quantile(p).is_finite(), "{p}");
            }
        }
    }

    #[test]
    fn shapes_outside_the_supported_range_are_refused() {
        for d in [
            Dist::Gamma(families::Gamma {
                shape: 1e12,
                scale: 1.0,
            }),
            Dist::Gamma(families::Gamma {
                shape: 0.1,
                scale: 1.0,
            }),
            Dist::Beta(families::Beta {
                alpha: 1e7,
                beta: 2.0,
                min: 0.0,
                max: 1.0,
            }),
            Dist::Beta(families::Beta {
                alpha: 0.01,
                beta: 2.0,
                min: 0.0,
                max: 1.0,
            }),
            Dist::Pert(families::Pert {
                min: 0.0,
                mode: 1.0,
                max: 2.0,
                lambda: 1e12,
            }),
        ] {
            let t = std::time::Instant::now();
            let e = sampler(d.clone()).unwrap_err();
            assert!(matches!(e, DistError::ShapeOutOfRange { .. }), "{d:?}: {e}");
            assert!(t.elapsed().as_millis() < 100);
        }
    }
}
