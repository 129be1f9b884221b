//! Inputs written as ranges ("5 to 30", p10/p90, p10/mode/p90): the closed forms, every
//! family meeting its quantiles through the scenario parser, located errors, `--set`, the
//! report's assumptions table, and a round trip through `payback validate`.

use payback::format::NumberStyle;
use payback::report::html::{self, ReportInput};
use payback::scenario::parse_input_value;

use crate::util::{bin, monte_carlo, scenario, tempdir};

/// A scenario whose one cost is the sum of the given inputs.
fn with_inputs(inputs: &str) -> String {
    let names: Vec<&str> = inputs
        .lines()
        .filter_map(|l| l.split('=').next())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    format!(
        "name = \"ranges\"\n[inputs]\n{inputs}\n[[costs]]\nname = \"c\"\ncategory = \"licence\"\nwhen = \"monthly\"\namount = \"{}\"\n",
        names.join(" + ")
    )
}

#[test]
fn five_to_thirty_is_a_lognormal_with_exact_p5_and_p95() {
    let s = scenario(&with_inputs(
        "a = \"5 to 30\"\nb = \"-5 to 10\"\nc = \"0 to 1\"",
    ));
    let (a, b, c) = (&s.inputs[0], &s.inputs[1], &s.inputs[2]);
    assert_eq!(a.dist.dist.family(), "lognormal");
    assert!(
        (a.quantile(0.05) - 5.0).abs() < 1e-12 * 5.0,
        "{}",
        a.quantile(0.05)
    );
    assert!(
        (a.quantile(0.95) - 30.0).abs() < 1e-12 * 30.0,
        "{}",
        a.quantile(0.95)
    );
    // Point value: the median, √(5·30).
    assert!((a.point_value() - 150f64.sqrt()).abs() < 1e-9);
    // An end ≤ 0: a normal with mean at the middle and sd = (b − a)/(2·1.6448536).
    for (inp, lo, hi) in [(b, -5.0, 10.0), (c, 0.0, 1.0)] {
        assert_eq!(inp.dist.dist.family(), "normal");
        let payback::distributions::Dist::Normal(payback::distributions::families::Normal {
            mean,
            sd,
        }) = inp.dist.dist
        else {
            unreachable!()
        };
        assert!((mean - 0.5 * (lo + hi)).abs() < 1e-12);
        assert!((sd - (hi - lo) / (2.0 * 1.644_853_626_951_472_2)).abs() < 1e-12);
    }
    let r = a.dist.range.as_ref().expect("the range is kept");
    assert_eq!(r.written, "5 to 30");
    assert_eq!(
        a.dist.describe_as_written(),
        "5 to 30 (a 90% range, lognormal)"
    );
}

#[test]
fn every_family_meets_its_quantiles_through_the_parser() {
    let cases = [
        (
            "{ dist = \"normal\", p10 = 5, p90 = 30 }",
            (0.10, 5.0),
            (0.90, 30.0),
        ),
        (
            "{ dist = \"lognormal\", p25 = 5, p75 = 30 }",
            (0.25, 5.0),
            (0.75, 30.0),
        ),
        (
            "{ dist = \"uniform\", p5 = 5, p95 = 30 }",
            (0.05, 5.0),
            (0.95, 30.0),
        ),
        (
            "{ dist = \"gamma\", p10 = 5, p90 = 30 }",
            (0.10, 5.0),
            (0.90, 30.0),
        ),
        (
            "{ dist = \"weibull\", median = 8, p90 = 30 }",
            (0.5, 8.0),
            (0.90, 30.0),
        ),
        (
            "{ dist = \"beta\", p10 = 0.2, p90 = 0.7 }",
            (0.10, 0.2),
            (0.90, 0.7),
        ),
        (
            "{ dist = \"beta\", p10 = 20, p90 = 70, min = 0, max = 200 }",
            (0.10, 20.0),
            (0.90, 70.0),
        ),
        (
            "{ dist = \"triangular\", p10 = 5, mode = 12, p90 = 30 }",
            (0.10, 5.0),
            (0.90, 30.0),
        ),
        (
            "{ dist = \"pert\", p5 = 5, mode = 12, p95 = 30, lambda = 3 }",
            (0.05, 5.0),
            (0.95, 30.0),
        ),
    ];
    for (text, (p_lo, x_lo), (p_hi, x_hi)) in cases {
        let d = parse_input_value(text, "x").unwrap_or_else(|e| panic!("{text}: {e}"));
        let s = d.sampler().unwrap();
        // Closed forms are exact; the tabulated families (gamma, beta, PERT) hold their
        // quantiles to the table's 1e-5 in probability.
        let tol = 1e-4 * (x_hi - x_lo);
        for (p, x) in [(p_lo, x_lo), (p_hi, x_hi)] {
            assert!(
                (s.quantile(p) - x).abs() < tol,
                "{text}: Q({p}) = {} ≠ {x}",
                s.quantile(p)
            );
        }
        let point = d.point_value(&s);
        if text.contains("mode") {
            assert_eq!(point, 12.0, "{text}: the mode");
        } else {
            assert!((point - s.quantile(0.5)).abs() < tol, "{text}: the median");
        }
        assert!(d.range.is_some());
    }
    // min/max truncate the distribution the quantiles define, as for every input.
    let t = parse_input_value("{ dist = \"gamma\", p10 = 5, p90 = 30, max = 40 }", "x").unwrap();
    let u = parse_input_value("{ dist = \"gamma\", p10 = 5, p90 = 30 }", "x").unwrap();
    assert_eq!((t.dist, t.trunc_max), (u.dist, Some(40.0)));
}

/// (input value, key path, message) for ranges that cannot be met.
#[test]
fn impossible_ranges_are_located_errors() {
    let cases = [
        (
            "\"30 to 5\"",
            "inputs.a",
            5,
            "the low end (30) must be less than the high end (5)",
        ),
        (
            "\"5 to 5\"",
            "inputs.a",
            5,
            "the low end (5) must be less than the high end (5)",
        ),
        ("\"five to 30\"", "inputs.a", 5, "is not a range"),
        (
            "{ dist = \"normal\", p10 = 9, p90 = 3 }",
            "inputs.a.p90",
            39,
            "`p10` (9) must be less than `p90` (3)",
        ),
        (
            "{ dist = \"gamma\", p10 = 9, p90 = 9 }",
            "inputs.a.p90",
            38,
            "`p10` (9) must be less than `p90` (9)",
        ),
        (
            "{ dist = \"lognormal\", p10 = 0, p90 = 9 }",
            "inputs.a.p10",
            33,
            "lognormal `p10` must be greater than 0 (got 0)",
        ),
        (
            "{ dist = \"lognormal\", p10 = -2, p90 = 9 }",
            "inputs.a.p10",
            33,
            "lognormal `p10` must be greater than 0 (got -2)",
        ),
        (
            "{ dist = \"weibull\", p10 = -2, p90 = 9 }",
            "inputs.a.p10",
            31,
            "weibull `p10` must be greater than 0",
        ),
        (
            "{ dist = \"triangular\", p10 = 10, mode = 5, p90 = 20 }",
            "inputs.a.mode",
            45,
            "no triangular with mode 5 has p10 = 10 and p90 = 20",
        ),
        (
            "{ dist = \"pert\", p10 = 10, mode = 40, p90 = 12 }",
            "inputs.a.mode",
            39,
            "no pert with mode 40 has p10 = 10 and p90 = 12",
        ),
        (
            "{ dist = \"beta\", p10 = 0.5, p90 = 2 }",
            "inputs.a.p90",
            39,
            "beta `p90` (2) must lie between `min` (0) and `max` (1)",
        ),
        (
            "{ dist = \"gamma\", p10 = 1, p90 = 1e6 }",
            "inputs.a",
            5,
            "too wide for a gamma",
        ),
        (
            "{ dist = \"normal\", mean = 3, p90 = 9 }",
            "inputs.a.mean",
            31,
            "not a mix",
        ),
        (
            "{ dist = \"normal\", p90 = 9 }",
            "inputs.a",
            5,
            "needs two of them",
        ),
        (
            "{ dist = \"triangular\", p10 = 1, p90 = 9 }",
            "inputs.a.mode",
            5,
            "needs `mode` as well",
        ),
        (
            "{ dist = \"poisson\", p10 = 1, p90 = 9 }",
            "inputs.a.p10",
            31,
            "cannot be given by quantiles",
        ),
    ];
    let dir = tempdir();
    for (value, key, column, message) in cases {
        let path = dir.path().join("s.toml");
        std::fs::write(&path, with_inputs(&format!("a = {value}"))).unwrap();
        let out = bin().arg("validate").arg(&path).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{value}: {err}");
        let want = format!("{}:3:{column}: {key}: ", path.display());
        assert!(err.contains(&want), "{value}: wanted `{want}` in {err}");
        assert!(
            err.contains(message),
            "{value}: wanted `{message}` in {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}

#[test]
fn set_takes_a_range_quoted_or_not() {
    let npv = |set: &str| -> f64 {
        let out = bin()
            .args([
                "run",
                "scenarios/cloud_im_500.toml",
                "--deterministic",
                "--format",
                "json",
            ])
            .args(["--set", set])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{set}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["npv"]["mean"].as_f64().unwrap()
    };
    // The point value of "5 to 30" is its median, √150.
    let median = npv(&format!("minutes_saved={}", 150f64.sqrt()));
    for set in [
        "minutes_saved=5 to 30",
        "minutes_saved=\"5 to 30\"",
        "minutes_saved= 5  to 30 ",
    ] {
        let got = npv(set);
        assert!(
            (got - median).abs() < 1e-6 * median.abs(),
            "{set}: {got} vs {median}"
        );
    }
    let out = bin()
        .args([
            "run",
            "scenarios/cloud_im_500.toml",
            "-n",
            "100",
            "--set",
            "minutes_saved=30 to 5",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--set minutes_saved: `30 to 5`: the low end (30)"),
        "{err}"
    );
}

#[test]
fn the_report_shows_the_range_as_written() {
    let s = scenario(&with_inputs(
        "minutes = \"5 to 30\"\ndays = { dist = \"gamma\", p10 = 5, p90 = 3_0 }\nfix = { dist = \"pert\", p10 = 6, mode = 12, p90 = 30 }",
    ));
    let r = monte_carlo(&s, 1_000, 3, Some(1));
    let doc = html::render(&ReportInput {
        scenario: &s,
        result: &r,
        style: NumberStyle::Plain,
        charts: Vec::new(),
        extra_sections: Vec::new(),
    });
    let table = &doc[doc.find("id=\"assumptions\"").unwrap()..];
    for want in [
        "5 to 30 (a 90% range, lognormal)",
        "gamma with p10 = 5, p90 = 3_0",
        "pert with p10 = 6, mode = 12, p90 = 30",
    ] {
        assert!(table.contains(want), "{want}");
    }
}

/// `validate` prints what each range became; those parameters, read back as a scenario
/// input, have the range's quantiles (to the 6 significant digits printed).
#[test]
fn validate_round_trip() {
    let inputs = [
        ("a", "\"5 to 30\"", (0.05, 5.0), (0.95, 30.0)),
        (
            "b",
            "{ dist = \"gamma\", p10 = 5, p90 = 30 }",
            (0.1, 5.0),
            (0.9, 30.0),
        ),
        (
            "c",
            "{ dist = \"beta\", p25 = 0.4, p75 = 0.7 }",
            (0.25, 0.4),
            (0.75, 0.7),
        ),
        (
            "d",
            "{ dist = \"triangular\", p10 = 6, mode = 12, p90 = 30 }",
            (0.1, 6.0),
            (0.9, 30.0),
        ),
        (
            "e",
            "{ dist = \"weibull\", median = 3, p95 = 9 }",
            (0.5, 3.0),
            (0.95, 9.0),
        ),
    ];
    let text: Vec<String> = inputs
        .iter()
        .map(|(n, v, ..)| format!("{n} = {v}"))
        .collect();
    let dir = tempdir();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, with_inputs(&text.join("\n"))).unwrap();
    let out = bin().arg("validate").arg(&path).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    for (name, _, (p_lo, x_lo), (p_hi, x_hi)) in inputs {
        let at = lines
            .iter()
            .position(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} in {stdout}"));
        assert!(lines[at].contains("P10–P90"), "{}", lines[at]);
        // "= lognormal mu 2.50532, sigma 0.544656; mean 14.2056"
        let became = lines[at + 1]
            .trim()
            .strip_prefix("= ")
            .expect("what it became");
        let (params, mean) = became.split_once("; mean ").unwrap();
        let (family, rest) = params.split_once(' ').unwrap();
        let keys: Vec<String> = rest
            .split(", ")
            .map(|kv| {
                let (k, v) = kv.split_once(' ').unwrap();
                format!(", {k} = {v}")
            })
            .collect();
        let toml = format!("{{ dist = \"{family}\"{} }}", keys.concat());
        let d = parse_input_value(&toml, name).unwrap_or_else(|e| panic!("{toml}: {e}"));
        let s = d.sampler().unwrap();
        for (p, x) in [(p_lo, x_lo), (p_hi, x_hi)] {
            assert!(
                (s.quantile(p) - x).abs() < 1e-4 * (x_hi - x_lo),
                "{toml}: Q({p}) = {} ≠ {x}",
                s.quantile(p)
            );
        }
        let mean: f64 = mean.parse().unwrap();
        assert!(
            (s.mean() - mean).abs() < 1e-4 * mean.abs(),
            "{toml}: mean {mean}"
        );
    }
}
