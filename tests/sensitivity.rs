//! Sensitivity methods against closed forms.

use payback::engine::RunOptions;
use payback::sensitivity::{Output, rank, sobol, tornado, voi};
use payback::stats::spearman;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::util::{bin, monte_carlo, scenario, tempdir};

fn linear() -> payback::scenario::Scenario {
    scenario(
        r#"name = "linear"
[inputs]
x1 = { dist = "normal", mean = 0, sd = 2 }
x2 = { dist = "normal", mean = 0, sd = 1 }
[[benefits]]
name = "y"
category = "revenue"
when = "once"
amount = "3 * x1 + 4 * x2"
"#,
    )
}

#[test]
fn linear_model_has_the_known_variance_shares_and_rank_correlations() {
    // Var = 9·4 + 16·1 = 52: S1(x1) = 36/52, S1(x2) = 16/52; no interactions.
    let s = linear();
    let r = sobol::sobol(&s, Output::Npv, 8192, 200, 1, None, &RunOptions::default()).unwrap();
    let get = |n: &str| r.rows.iter().find(|x| x.input == n).unwrap().clone();
    let (a, b) = (get("x1"), get("x2"));
    assert!(
        (a.s1 - 36.0 / 52.0).abs() < 0.02 && (a.st - 36.0 / 52.0).abs() < 0.02,
        "{a:?}"
    );
    assert!(
        (b.s1 - 16.0 / 52.0).abs() < 0.02 && (b.st - 16.0 / 52.0).abs() < 0.02,
        "{b:?}"
    );
    // Spearman of jointly normal variables: (6/π)·asin(ρ/2), ρ = 6/√52 and 4/√52.
    let mc = monte_carlo(&s, 100_000, 2, None);
    let want = |rho: f64| 6.0 / std::f64::consts::PI * (rho / 2.0).asin();
    let r1 = spearman(&mc.sample.inputs[0], &mc.sample.outputs[2]);
    let r2 = spearman(&mc.sample.inputs[1], &mc.sample.outputs[2]);
    assert!((r1 - want(6.0 / 52f64.sqrt())).abs() < 0.01, "{r1}");
    assert!((r2 - want(4.0 / 52f64.sqrt())).abs() < 0.01, "{r2}");
    let rows = rank::rank(
        &["x1".into(), "x2".into()],
        &[&mc.sample.inputs[0], &mc.sample.inputs[1]],
        &mc.sample.outputs[2],
        true,
    );
    assert_eq!(rows[0].input, "x1");
    let share = |i: usize| rows[i].contribution.unwrap();
    assert!((share(0) + share(1) - 1.0).abs() < 1e-12);
}

#[test]
fn ishigami_indices_match_the_analytic_values() {
    // docs/MODEL.md: a = 7, b = 0.1. Documented sample size: N = 16,384 base rows.
    let s = scenario(
        r#"name = "ishigami"
[inputs]
x1 = { dist = "uniform", min = -3.141592653589793, max = 3.141592653589793 }
x2 = { dist = "uniform", min = -3.141592653589793, max = 3.141592653589793 }
x3 = { dist = "uniform", min = -3.141592653589793, max = 3.141592653589793 }
[[benefits]]
name = "f"
category = "revenue"
when = "once"
amount = "sin(x1) + 7 * sin(x2) ^ 2 + 0.1 * x3 ^ 4 * sin(x1)"
"#,
    );
    let r = sobol::sobol(
        &s,
        Output::Npv,
        16_384,
        500,
        3,
        None,
        &RunOptions::default(),
    )
    .unwrap();
    let want = [
        ("x1", 0.3139, 0.5576),
        ("x2", 0.4424, 0.4424),
        ("x3", 0.0, 0.2437),
    ];
    for (name, s1, st) in want {
        let row = r.rows.iter().find(|x| x.input == name).unwrap();
        assert!((row.s1 - s1).abs() < 0.02, "{name} S1 {} vs {s1}", row.s1);
        assert!((row.st - st).abs() < 0.02, "{name} ST {} vs {st}", row.st);
        assert!(
            row.s1_low <= s1 + 0.005 && s1 - 0.005 <= row.s1_high,
            "{name} S1 interval {:?}",
            (row.s1_low, row.s1_high)
        );
        assert!(
            row.st_low <= st + 0.005 && st - 0.005 <= row.st_high,
            "{name} ST interval {:?}",
            (row.st_low, row.st_high)
        );
    }
}

#[test]
fn tornado_orders_inputs_by_hand_computed_swing() {
    // NPV = 10a + b + 5c at month 0; uniform(0,1) inputs: P10..P90 spans 0.8, so the swings
    // are 8, 0.8 and 4.
    let s = scenario(
        r#"name = "t"
[inputs]
a = { dist = "uniform", min = 0, max = 1 }
b = { dist = "uniform", min = 0, max = 1 }
c = { dist = "uniform", min = 0, max = 1 }
[[benefits]]
name = "f"
category = "revenue"
when = "once"
amount = "10 * a + b + 5 * c"
"#,
    );
    let t = tornado::tornado(&s, Output::Npv, 0.1, 0.9, &RunOptions::default()).unwrap();
    let order: Vec<&str> = t.rows.iter().map(|r| r.input.as_str()).collect();
    assert_eq!(order, ["a", "c", "b"]);
    assert!(
        (t.rows[0].swing - 8.0).abs() < 1e-9
            && (t.rows[1].swing - 4.0).abs() < 1e-9
            && (t.rows[2].swing - 0.8).abs() < 1e-9
    );
    assert!((t.base.unwrap() - 8.0).abs() < 1e-12); // point values are means: 5 + 0.5 + 2.5
    assert!((t.rows[0].output_low.unwrap() - (1.0 + 0.5 + 2.5)).abs() < 1e-9);
}

#[test]
fn evpi_matches_the_normal_closed_form() {
    let (mu, sigma): (f64, f64) = (300.0, 1000.0);
    let s = scenario(&format!(
        r#"name = "v"
[inputs]
x = {{ dist = "normal", mean = {mu}, sd = {sigma} }}
noise = {{ dist = "uniform", min = 0, max = 1 }}
[[benefits]]
name = "npv"
category = "revenue"
when = "once"
amount = "x + 0 * noise"
"#
    ));
    let mc = monte_carlo(&s, 100_000, 4, None);
    let v = voi::voi(
        &["x".into(), "noise".into()],
        &[&mc.sample.inputs[0], &mc.sample.inputs[1]],
        &mc.sample.outputs[2],
    );
    let n = Normal::standard();
    let phi = (-0.5 * (mu / sigma).powi(2)).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let want = sigma * phi - mu.abs() * n.cdf(-mu.abs() / sigma);
    assert!((v.evpi - want).abs() < 0.03 * want, "{} vs {want}", v.evpi);
    assert_eq!(v.inputs[0].input, "x");
    assert!(
        (v.inputs[0].evppi - want).abs() < 0.05 * want,
        "{}",
        v.inputs[0].evppi
    );
    assert!(v.inputs[1].evppi < 0.05 * want, "{}", v.inputs[1].evppi);
}

#[test]
fn sensitivity_all_writes_json_csv_and_charts() {
    let d = tempdir();
    let out = bin()
        .args([
            "sensitivity",
            "scenarios/cloud_im_500.toml",
            "--trials",
            "5000",
            "--base-samples",
            "512",
            "--spider-trials",
            "1000",
            "--format",
            "json",
            "-q",
            "--out",
        ])
        .arg(d.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for k in [
        "input",
        "low_value",
        "high_value",
        "output_low",
        "output_high",
        "swing",
    ] {
        assert!(v["tornado"]["rows"][0].get(k).is_some(), "tornado.{k}");
    }
    for k in ["input", "spearman", "contribution"] {
        assert!(v["rank"][0].get(k).is_some(), "rank.{k}");
    }
    for k in [
        "input", "s1", "s1_low", "s1_high", "st", "st_low", "st_high",
    ] {
        assert!(v["sobol"]["rows"][0].get(k).is_some(), "sobol.{k}");
    }
    assert!(
        v["voi"]["evpi"].as_f64().is_some() && v["voi"]["inputs"][0]["evppi"].as_f64().is_some()
    );
    for f in ["tornado", "rank", "sobol", "voi", "spider"] {
        assert!(d.path().join(format!("{f}.png")).exists(), "{f}.png");
        assert!(d.path().join(format!("{f}.svg")).exists(), "{f}.svg");
        assert!(d.path().join(format!("{f}.csv")).exists(), "{f}.csv");
    }
    let table = bin()
        .args([
            "sensitivity",
            "scenarios/cloud_im_500.toml",
            "--method",
            "voi",
            "-n",
            "5000",
        ])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&table.stdout).contains("Most worth measuring")
            || String::from_utf8_lossy(&table.stdout).contains("not worth paying")
    );
}
