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

// Decision rule: payback = C/B for one cost C at month 0 and a constant monthly benefit B
// (Cum(t) = tB − C crosses 0 at t = C/B), with C and B lognormal, and an input `noise` that
// enters no amount. ln(payback) = ln C − ln B is normal, so P(payback ≤ 24), P(rule | B in
// a decile) and the B at which P(rule | B = b) = P(C ≤ 24b) crosses a level are known.
const C_OVER_B: &str = r#"name = "cost over benefit"
horizon_months = 36
[inputs]
cost = { dist = "lognormal", mu = 9.615805480084347, sigma = 0.4 }
benefit = { dist = "lognormal", mu = 6.907755278982137, sigma = 0.5 }
noise = { dist = "uniform", min = 0, max = 1 }
[[costs]]
name = "setup"
category = "implementation"
when = "once"
amount = "cost"
[[benefits]]
name = "saving"
category = "productivity"
when = "monthly"
amount = "benefit"
"#;

const MU_C: f64 = 9.615805480084347; // ln 15,000
const MU_B: f64 = 6.907755278982137; // ln 1,000
const SD_C: f64 = 0.4;
const SD_B: f64 = 0.5;

/// (1/mass)·∫ φ(z)·g(z) dz over [a, b] (Simpson, 4,000 intervals).
fn conditional(a: f64, b: f64, g: &dyn Fn(f64) -> f64, mass: f64) -> f64 {
    let n = 4000;
    let h = (b - a) / n as f64;
    let phi = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let f = |z: f64| phi(z) * g(z);
    let mut s = f(a) + f(b);
    for i in 1..n {
        s += f(a + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    s * h / 3.0 / mass
}

#[test]
fn decision_rule_matches_the_closed_forms_of_payback_c_over_b() {
    use payback::sensitivity::rule;
    use payback::sensitivity::target::{self, Reruns, Side};
    let s = scenario(C_OVER_B);
    let z = Normal::new(0.0, 1.0).unwrap();
    let ln24 = 24f64.ln();
    let mc = monte_carlo(&s, 100_000, 11, None);
    let r = rule::parse("payback <= 24", &[]).unwrap();
    let names: Vec<String> = s.inputs.iter().map(|i| i.name.clone()).collect();
    let cols: Vec<&[f64]> = mc.sample.inputs.iter().map(Vec::as_slice).collect();
    let y = mc.sample.output(payback::accum::Metric::Payback);
    assert_eq!(y.len(), 100_000);
    let opts = RunOptions::default();
    let re = Reruns {
        scenario: &s,
        trials: 20_000,
        seed: 5,
        repair: false,
        opts: &opts,
    };
    let t = target::target(&names, &cols, y, &r, 0.8, 3, &re).unwrap();
    let p = z.cdf((ln24 - MU_C + MU_B) / (SD_C * SD_C + SD_B * SD_B).sqrt());
    let se = |p: f64, n: f64| (p * (1.0 - p) / n).sqrt();
    assert!(
        (t.probability - p).abs() < 4.0 * se(p, 1e5),
        "{} vs {p}",
        t.probability
    );
    let order: Vec<&str> = t.inputs.iter().map(|r| r.input.as_str()).collect();
    assert_eq!(order, ["benefit", "cost", "noise"]);

    // P(rule | B = exp(μB + σB·z)) = Φ((ln 24 + μB + σB·z − μC)/σC); likewise for C.
    let (z10, z90) = (z.inverse_cdf(0.1), z.inverse_cdf(0.9));
    let given_b = |x: f64| z.cdf((ln24 + MU_B + SD_B * x - MU_C) / SD_C);
    let given_c = |x: f64| z.cdf((MU_B - (MU_C + SD_C * x) + ln24) / SD_B);
    for (row, g) in [
        (&t.inputs[0], &given_b as &dyn Fn(f64) -> f64),
        (&t.inputs[1], &given_c),
    ] {
        let low = conditional(-9.0, z10, g, 0.1);
        let high = conditional(z90, 9.0, g, 0.1);
        assert!(
            (row.p_low_decile - low).abs() < 4.0 * se(low, 1e4) + 1e-3,
            "{row:?} {low}"
        );
        assert!(
            (row.p_high_decile - high).abs() < 4.0 * se(high, 1e4) + 1e-3,
            "{row:?} {high}"
        );
    }
    assert!(t.inputs[0].p_low_decile < 0.4 && t.inputs[0].p_high_decile > 0.99);
    assert!(t.inputs[0].median_met.unwrap() > t.inputs[0].median_not_met.unwrap());

    // The input that enters no amount: KS ≈ 0 (the 99.9% critical distance here is
    // 1.95·√(1/n₁ + 1/n₂) ≈ 0.015), a p-value far from 0 and a flat decile bar.
    let noise = &t.inputs[2];
    assert!(noise.ks.unwrap() < 0.015, "{noise:?}");
    assert!(noise.ks_p.unwrap() > 0.001, "{noise:?}");
    let flat = 4.0 * se(p, 1e4);
    assert!(
        (noise.p_low_decile - t.probability).abs() < flat,
        "{noise:?}"
    );
    assert!(
        (noise.p_high_decile - t.probability).abs() < flat,
        "{noise:?}"
    );
    assert!(noise.threshold.is_none());
    let note = noise.note.as_deref().unwrap();
    assert!(
        note.contains("below 80.0%") && note.contains("its P1–P99"),
        "{note}"
    );

    // With B fixed at b, P(rule) = P(C ≤ 24b) crosses 0.8 at b = exp(μC + σC·z₀.₈)/24; the
    // reruns estimate the 0.8 quantile of C from 20,000 draws (relative s.e. ≈ 0.4%).
    let b_star = (MU_C + SD_C * z.inverse_cdf(0.8)).exp() / 24.0;
    let got = t.inputs[0].threshold.unwrap();
    assert!((got / b_star - 1.0).abs() < 0.02, "{got} vs {b_star}");
    assert_eq!(t.inputs[0].threshold_side, Some(Side::AtLeast));
    // For C the level is reached when C ≤ 24·B's 0.2 quantile.
    let c_star = 24.0 * (MU_B + SD_B * z.inverse_cdf(0.2)).exp();
    let got = t.inputs[1].threshold.unwrap();
    assert!((got / c_star - 1.0).abs() < 0.03, "{got} vs {c_star}");
    assert_eq!(t.inputs[1].threshold_side, Some(Side::AtMost));
    let w = t.watch().unwrap();
    assert!(
        w.starts_with("The input to watch is benefit: if it lands in its lowest 10%"),
        "{w}"
    );
}

#[test]
fn decision_rule_on_the_command_line() {
    let d = tempdir();
    let path = d.path().join("c_over_b.toml");
    std::fs::write(&path, C_OVER_B).unwrap();
    let out = bin()
        .arg("sensitivity")
        .arg(&path)
        .args(["--target", "npv < 0", "--method", "tornado", "-n", "2000"])
        .args(["--target-trials", "500", "--format", "json", "-q", "--out"])
        .arg(d.path().join("out"))
        .arg("--xlsx")
        .arg(d.path().join("s.xlsx"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = &v["target"];
    assert_eq!(t["rule"], "npv < 0");
    assert_eq!(t["trials"], 2000);
    assert!(t["probability"].as_f64().is_some() && v["tornado"].is_object());
    for k in [
        "input",
        "ks",
        "ks_p",
        "median_met",
        "median_not_met",
        "p_low_decile",
        "p_high_decile",
        "threshold",
    ] {
        assert!(t["inputs"][0].get(k).is_some(), "target.inputs.{k}");
    }
    assert!(t["inputs"][2]["threshold"].is_null() || t["inputs"][2]["note"].is_string());
    for f in ["target.csv", "target_ks.png", "target_tornado.svg"] {
        assert!(d.path().join("out").join(f).exists(), "{f}");
    }
    {
        use calamine::{Data, Reader, Xlsx, open_workbook};
        let mut b: Xlsx<_> = open_workbook(d.path().join("s.xlsx")).unwrap();
        assert!(b.sheet_names().contains(&"Decision rule".to_string()));
        let r = b.worksheet_range("Decision rule").unwrap();
        let cell = |row: u32, col: u32| r.get_value((row, col)).cloned().unwrap_or(Data::Empty);
        assert_eq!(cell(2, 1), Data::Float(t["probability"].as_f64().unwrap()));
        let first = t["inputs"][0]["input"].as_str().unwrap().to_string();
        assert_eq!(cell(6, 0), Data::String(first));
    }
    let csv = std::fs::read_to_string(d.path().join("out/target.csv")).unwrap();
    assert!(
        csv.starts_with("rule,input,ks,ks_p,median_met,median_not_met,probability"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 4);

    let fail = |rule: &str, want: &str| {
        let out = bin()
            .arg("sensitivity")
            .arg(&path)
            .args(["--target", rule, "-n", "500"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{rule}: {err}");
        assert!(err.contains(want), "{rule}: {err}");
    };
    fail(
        "paybak <= 24",
        "--target: `paybak <= 24`, column 1: unknown metric `paybak` (did you mean `payback`?)",
    );
    fail("payback <= 48", "column 12: the horizon is 36 months");
    fail("payback 24", "column 9: expected a comparison");
    fail("npv < zero", "column 7: `zero` is not a number");
    fail("tco_licence > 5", "unknown metric `tco_licence`");
    assert!(
        bin()
            .arg("sensitivity")
            .arg(&path)
            .args(["--target", "npv < 0", "--level", "1"])
            .output()
            .unwrap()
            .status
            .code()
            == Some(2)
    );
}

#[test]
fn a_rule_every_trial_meets_is_said_to_have_nothing_deciding_it() {
    let out = bin()
        .args([
            "sensitivity",
            "scenarios/cloud_im_500.toml",
            "--method",
            "target",
        ])
        .args([
            "--target",
            "payback >= 0",
            "--trials",
            "2000",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v["target"]["probability"], 1.0);
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("holds in all of the 2,000 trials analysed: no input decides it"),
        "{notes}"
    );
}
