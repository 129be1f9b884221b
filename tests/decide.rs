//! `payback compare` and `payback sweep`: paired comparisons with common random numbers,
//! sweeps, break-evens, cost of delay, output files and errors.

use std::path::{Path, PathBuf};

use payback::compare::{self, OptionInput};
use payback::format::NumberStyle;
use payback::sampling::Design;
use payback::sampling::Method;
use payback::simulate::RunSpec;
use predicates::prelude::*;
use serde_json::Value;

use crate::util::{bin, scenario, tempdir};

/// An uncertain project; `extra` adds line items (TOML) at the end.
fn project(name: &str, horizon: u32, currency: &str, extra: &str) -> String {
    format!(
        r#"
name = "{name}"
currency = "{currency}"
horizon_months = {horizon}
discount_rate = 0.08

[inputs]
employees = 300
hourly_cost = {{ dist = "lognormal", p5 = 50, p95 = 120 }}
minutes_saved = {{ dist = "pert", min = 3, mode = 10, max = 20 }}
adoption_peak = {{ dist = "beta", alpha = 6, beta = 2 }}
setup = {{ dist = "triangular", min = 50000, mode = 80000, max = 150000 }}
seat_price = {{ dist = "uniform", min = 15, max = 30 }}

[adoption]
curve = "logistic"
peak = "adoption_peak"
months_to_peak = 6

[[costs]]
name = "Setup"
category = "implementation"
when = "once"
amount = "setup"

[[costs]]
name = "Seats"
category = "licence"
when = "monthly"
amount = "employees * seat_price"

[[benefits]]
name = "Time saved"
category = "productivity"
when = "monthly"
amount = "employees * adoption * minutes_saved / 60 * 21.75 * hourly_cost * 0.4"
{extra}
"#
    )
}

const EXTRA_FEE: &str = r#"
[[costs]]
name = "Extra fixed fee"
category = "support"
when = "once"
at = 3
amount = "5000"
"#;

fn write(dir: &Path, file: &str, text: &str) -> PathBuf {
    let p = dir.join(file);
    std::fs::write(&p, text).unwrap();
    p
}

fn json_of(args: &[&str]) -> Value {
    let out = bin().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn an_option_that_only_adds_a_fixed_cost_loses_on_npv_in_every_paired_trial() {
    let d = tempdir();
    let a = write(d.path(), "a.toml", &project("Plain", 36, "CNY", ""));
    let b = write(
        d.path(),
        "b.toml",
        &project("With fee", 36, "CNY", EXTRA_FEE),
    );
    let v = json_of(&[
        "compare",
        s(&a),
        s(&b),
        "--trials",
        "20000",
        "--format",
        "json",
    ]);
    let p = &v["pairs"][0];
    assert_eq!(p["prob_a_higher_npv"], 1.0, "{p}");
    assert_eq!(p["prob_b_higher_npv"], 0.0);
    // The fee is 5,000 at month 3, discounted at 8%/yr: the difference is that constant.
    let expected = 5000.0 / 1.08f64.powf(3.0 / 12.0);
    let diff = p["npv_difference"]["mean"].as_f64().unwrap();
    assert!((diff - expected).abs() < 1e-6, "{diff} vs {expected}");
    let ci = p["npv_difference"]["ci"].as_array().unwrap();
    assert!((ci[1].as_f64().unwrap() - ci[0].as_f64().unwrap()).abs() < 1e-6);
    assert_eq!(p["a_dominates_b_on_npv"], true);
    assert_eq!(v["decision"]["best_expected_npv"]["keys"][0], "A");
    assert_eq!(v["paired_trials"], 20000);
}

#[test]
fn without_common_random_numbers_the_same_pair_is_not_always_ordered() {
    // The contrast to the test above: independent seeds per option, as separate runs would
    // give, leave the fee buried in noise.
    let a = scenario(&project("Plain", 36, "CNY", ""));
    let b = scenario(&project("With fee", 36, "CNY", EXTRA_FEE));
    let (sa, sb) = (Design::monte_carlo(&a, 1), Design::monte_carlo(&b, 2));
    let opts = [
        OptionInput {
            scenario: &a,
            source: &sa,
            file: None,
            notes: vec![],
        },
        OptionInput {
            scenario: &b,
            source: &sb,
            file: None,
            notes: vec![],
        },
    ];
    let cfg = RunSpec::new(20_000, 1, Method::Mc);
    let c = compare::compare(&opts, &cfg).unwrap();
    let p = c.pairs[0].prob_a_higher_npv;
    assert!(p > 0.4 && p < 0.6, "independent runs: P(A higher) = {p}");
}

#[test]
fn compare_of_the_vendor_trio_prints_a_table_and_writes_json_csv_and_charts() {
    let d = tempdir();
    let out = d.path().join("cmp");
    bin()
        .args([
            "compare",
            "scenarios/vendor_a_low_price.toml",
            "scenarios/vendor_b_mature.toml",
            "scenarios/vendor_c_tech_leader.toml",
            "-n",
            "5000",
            "--out",
            s(&out),
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Paired, trial by trial")
                .and(predicate::str::contains("Best by expected NPV: C"))
                .and(predicate::str::contains("Lowest expected TCO: B"))
                .and(predicate::str::contains("P(≤ 24)")),
        );
    for f in [
        "compare.json",
        "compare.csv",
        "compare_pairs.csv",
        "compare_payback.png",
        "compare_payback.svg",
        "compare_npv.png",
        "compare_npv.svg",
        "compare_tco.png",
        "compare_tco.svg",
    ] {
        let p = out.join(f);
        assert!(p.metadata().is_ok_and(|m| m.len() > 100), "{f}");
    }
    let v: Value =
        serde_json::from_slice(&std::fs::read(out.join("compare.json")).unwrap()).unwrap();
    assert_eq!(v["kind"], "comparison");
    assert_eq!(v["options"].as_array().unwrap().len(), 3);
    assert_eq!(v["pairs"].as_array().unwrap().len(), 3);
    assert!(v["options"][1]["summary"]["npv"]["prob_negative"].is_number());
    let csv = std::fs::read_to_string(out.join("compare.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4);
    assert!(csv.starts_with("key,option,file,payback_p10"));
}

#[test]
fn the_choice_page_leads_with_the_decision_and_escapes_names() {
    use payback::report::choice::{ChoiceInput, render_choice};
    use payback::report::sections::OptionBlocks;
    let a = scenario(&project("方案甲 <plain>", 36, "CNY", ""));
    let b = scenario(&project("方案乙", 36, "CNY", EXTRA_FEE));
    let (sa, sb) = (Design::monte_carlo(&a, 7), Design::monte_carlo(&b, 7));
    let opts = [
        OptionInput {
            scenario: &a,
            source: &sa,
            file: None,
            notes: vec![],
        },
        OptionInput {
            scenario: &b,
            source: &sb,
            file: None,
            notes: vec![],
        },
    ];
    let cfg = RunSpec::new(2_000, 7, Method::Mc);
    let (c, runs) = compare::compare_with_runs(&opts, &cfg).unwrap();
    assert_eq!(runs.len(), 2);
    // The runs kept for the report are the comparison's own, fan included.
    for (r, o) in runs.iter().zip(&c.options) {
        assert_eq!(r.summary.npv.stats.mean, o.summary.npv.stats.mean);
        assert!(!r.fan.months.is_empty(), "cash-flow fan recorded");
    }
    let page = render_choice(&ChoiceInput {
        comparison: &c,
        options: runs
            .iter()
            .zip([&a, &b])
            .map(|(r, s)| OptionBlocks {
                scenario: s,
                result: r,
                style: NumberStyle::Wan,
                charts: &[],
                extra_sections: &[],
            })
            .collect(),
        style: NumberStyle::Wan,
        charts: Vec::new(),
        sources: Vec::new(),
    });
    assert!(page.contains("方案甲 &lt;plain&gt;"));
    assert!(!page.contains("<plain>"));
    // B only adds a fixed fee: A is the pick, and B never gains more in the same future.
    let decision =
        &page[page.find("id=\"decision\"").unwrap()..page.find("id=\"side-by-side\"").unwrap()];
    assert!(decision.contains("Choose A"), "{decision}");
    // The paired NPV difference is the fee in every trial up to rounding (a spread of a few
    // 1e-10 on about 4,905), which the moments report as no spread at all.
    assert!(
        decision.contains("more than B (方案乙) in every simulated future"),
        "{decision}"
    );
    let at = |id: &str| {
        page.find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert!(at("decision") < at("side-by-side"));
    assert!(at("side-by-side") < at("head-to-head"));
    assert!(at("head-to-head") < at("option-a"));
    assert!(at("option-a") < at("a-summary") && at("a-summary") < at("option-b"));
    assert!(at("option-b") < at("b-line-items"));
}

#[test]
fn compare_refuses_options_with_different_horizons_or_currencies() {
    let d = tempdir();
    let a = write(d.path(), "a.toml", &project("A", 36, "CNY", ""));
    let b = write(d.path(), "b.toml", &project("B", 60, "CNY", ""));
    let c = write(d.path(), "c.toml", &project("C", 36, "USD", ""));
    bin()
        .args(["compare", s(&a), s(&b), "-n", "1000"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("has horizon_months = 36 but")
                .and(predicate::str::contains("has 60"))
                .and(predicate::str::contains("--horizon")),
        );
    bin()
        .args(["compare", s(&a), s(&c), "-n", "1000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is in CNY but").and(predicate::str::contains("USD")));
    // The suggested fix works.
    bin()
        .args(["compare", s(&a), s(&b), "-n", "1000", "--horizon", "48"])
        .assert()
        .success()
        .stdout(predicate::str::contains("horizon 48 months"));
    // One scenario is not a comparison.
    bin().args(["compare", s(&a)]).assert().code(2);
}

/// Everything constant: one up-front cost of 1,200, a monthly benefit `rate`, no
/// discounting. Payback = 1200 / rate months exactly; NPV = 36·rate − 1200.
const HAND: &str = r#"
name = "Hand-computed"
horizon_months = 36
discount_rate = 0

[inputs]
rate = 100

[[costs]]
name = "Up-front"
category = "implementation"
when = "once"
amount = "1200"

[[benefits]]
name = "Saving"
category = "avoided_cost"
when = "monthly"
amount = "rate"
"#;

#[test]
fn break_evens_match_a_hand_computed_case() {
    let d = tempdir();
    let f = write(d.path(), "hand.toml", HAND);
    let v = json_of(&[
        "sweep",
        s(&f),
        "--vary",
        "rate=25:205:10",
        "-n",
        "200",
        "--format",
        "json",
    ]);
    let sc = &v["scenarios"][0];
    let be = sc["breakevens"].as_array().unwrap();
    let find = |stat: &str, thr: f64| {
        be.iter()
            .find(|b| b["statistic"] == stat && b["threshold"].as_f64() == Some(thr))
            .unwrap_or_else(|| panic!("no {stat} {thr} in {be:?}"))["value"]
            .as_f64()
            .unwrap()
    };
    // Median payback 12 months at rate 100 (grid 85 → 105), 24 months at 50 (45 → 65): the
    // curve 1200/rate is not linear, so bisection does the work; tolerance 1e-3 of the range.
    assert!((find("payback_p50", 12.0) - 100.0).abs() < 0.2);
    assert!((find("payback_p50", 24.0) - 50.0).abs() < 0.2);
    // E[NPV] = 0 at 1200 / 36 = 33.33 (linear: interpolation is exact).
    assert!((find("npv_mean", 0.0) - 1200.0 / 36.0).abs() < 1e-6);
    // A grid point's numbers are the hand-computed ones.
    let p = &sc["points"][0];
    assert_eq!(p["values"][0], 25.0);
    assert!((p["npv_mean"].as_f64().unwrap() - (36.0 * 25.0 - 1200.0)).abs() < 1e-9);
    assert!(p["payback_p50"].is_null(), "1200/25 = 48 > 36 months");
}

#[test]
fn the_cost_of_delay_of_a_benefit_is_its_monthly_amount() {
    let d = tempdir();
    let f = write(d.path(), "hand.toml", HAND);
    let v = json_of(&[
        "sweep",
        s(&f),
        "--vary",
        "start:Saving=1:7:7",
        "-n",
        "100",
        "--format",
        "json",
    ]);
    let c = &v["scenarios"][0]["cost_of_delay"];
    assert!(
        (c["cost_per_month"].as_f64().unwrap() - 100.0).abs() < 1e-9,
        "{c}"
    );
    // Payback 12 months when starting in month 1; each month of delay adds one.
    let pts = v["scenarios"][0]["points"].as_array().unwrap();
    for (k, p) in pts.iter().enumerate() {
        let pb = p["payback_p50"].as_f64().unwrap();
        assert!(
            (pb - (12.0 + k as f64)).abs() < 1e-9,
            "start {}: {pb}",
            k + 1
        );
    }
}

#[test]
fn a_sweep_of_a_benefit_driver_is_monotone_with_common_random_numbers() {
    let d = tempdir();
    let f = write(d.path(), "p.toml", &project("P", 36, "CNY", ""));
    let v = json_of(&[
        "sweep",
        s(&f),
        "--vary",
        "adoption_peak=0.2:1:9",
        "-n",
        "10000",
        "--no-refine",
        "--format",
        "json",
    ]);
    let pts = v["scenarios"][0]["points"].as_array().unwrap();
    assert_eq!(pts.len(), 9);
    let num = |p: &Value, k: &str| p[k].as_f64().unwrap_or(f64::INFINITY);
    for w in pts.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(num(b, "npv_mean") > num(a, "npv_mean"));
        assert!(num(b, "npv_p10") >= num(a, "npv_p10"));
        assert!(num(b, "npv_p90") >= num(a, "npv_p90"));
        assert!(num(b, "prob_npv_negative") <= num(a, "prob_npv_negative"));
        assert!(num(b, "prob_payback_within_24") >= num(a, "prob_payback_within_24"));
        assert!(num(b, "payback_p50") <= num(a, "payback_p50"));
        // Adoption drives benefits only: the cost side is identical at every point.
        assert_eq!(num(b, "tco_mean"), num(a, "tco_mean"));
    }
    assert!(
        v["scenarios"][0]["notes"][0]
            .as_str()
            .unwrap()
            .contains("fixes it at each grid value")
    );
}

#[test]
fn two_parameters_give_a_grid_and_a_heatmap() {
    let d = tempdir();
    let f = write(d.path(), "p.toml", &project("P", 36, "CNY", ""));
    let out = d.path().join("sw");
    bin()
        .args([
            "sweep",
            s(&f),
            "--vary",
            "seat_price=10:40:4",
            "--vary",
            "adoption_peak=0.4:1:3",
            "-n",
            "2000",
            "--out",
            s(&out),
            "--charts",
            "png",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("seat_price").and(predicate::str::contains("adoption_peak")),
        );
    assert!(out.join("sweep_heatmap.png").exists());
    assert!(out.join("sweep.json").exists());
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 4 * 3);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .contains("seat_price,adoption_peak,payback_p10")
    );
}

#[test]
fn sweeping_several_scenarios_names_the_cheapest_and_where_it_changes() {
    let d = tempdir();
    // A platform fee of 20,000 plus 10 a user a month against 100 a user a month: over 36
    // months TCO is 20,000 + 360·users against 3,600·users, equal at 20,000 / 3,240 = 6.17.
    let plan = |name: &str, fixed: f64, per_user: f64| {
        format!(
            r#"
name = "{name}"
horizon_months = 36
discount_rate = 0
[inputs]
users = 10
[[costs]]
name = "Fixed"
category = "licence"
when = "once"
amount = "{fixed}"
[[costs]]
name = "Per user"
category = "licence"
when = "monthly"
amount = "users * {per_user}"
[[benefits]]
name = "Value"
category = "productivity"
when = "monthly"
amount = "users * 200"
"#
        )
    };
    let a = write(d.path(), "fixed.toml", &plan("Platform", 20000.0, 10.0));
    let b = write(d.path(), "seat.toml", &plan("Per seat", 0.0, 100.0));
    let v = json_of(&[
        "sweep",
        s(&a),
        s(&b),
        "--vary",
        "users=1:21:5",
        "-n",
        "100",
        "--format",
        "json",
    ]);
    let x = v["crossovers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["statistic"] == "tco_mean")
        .unwrap()
        .clone();
    assert_eq!(x["from"], 1);
    assert_eq!(x["to"], 0);
    let at = x["value"].as_f64().unwrap();
    assert!((at - 20000.0 / 3240.0).abs() < 1e-6, "{at}");
    assert_eq!(
        v["leaders"][0]["cheapest"]["options"],
        serde_json::json!([1])
    );
    assert_eq!(
        v["leaders"][4]["cheapest"]["options"],
        serde_json::json!([0])
    );
}

#[test]
fn sweep_errors_are_one_clear_line_with_exit_code_2() {
    let d = tempdir();
    let f = write(d.path(), "p.toml", &project("P", 36, "CNY", ""));
    let cases: [(&[&str], &str); 6] = [
        (
            &["--vary", "seat_prise=10:40:4"],
            "did you mean `seat_price`",
        ),
        (&["--vary", "seat_price=10:40"], "NAME=FROM:TO:STEPS"),
        (&["--vary", "seat_price=10:40:1"], "STEPS"),
        (&["--vary", "adoption_peak=0.5:1.5:3"], "adoption peak"),
        (&["--vary", "start:Setup=0:10:4"], "whole numbers"),
        (
            &["--vary", "start:Set up=0:10:11"],
            "no line item named `Set up`",
        ),
    ];
    for (args, msg) in cases {
        let mut all = vec!["sweep", s(&f), "-n", "500"];
        all.extend_from_slice(args);
        let out = bin().args(&all).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(msg), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}

#[test]
fn paired_statistics_use_every_trial_in_one_pass() {
    let a = scenario(&project("Plain", 36, "CNY", ""));
    let b = scenario(&project("With fee", 36, "CNY", EXTRA_FEE));
    let (sa, sb) = (Design::monte_carlo(&a, 3), Design::monte_carlo(&b, 3));
    let opts = [
        OptionInput {
            scenario: &a,
            source: &sa,
            file: None,
            notes: vec![],
        },
        OptionInput {
            scenario: &b,
            source: &sb,
            file: None,
            notes: vec![],
        },
    ];
    let cfg = RunSpec::new(5_000, 3, Method::Mc);
    let c = compare::compare(&opts, &cfg).unwrap();
    assert_eq!(c.paired_trials, 5_000);
    assert_eq!(c.dominance_trials, 5_000);
    assert_eq!(c.options[0].summary.trials, 5_000);
    assert_eq!(c.pairs[0].prob_a_higher_npv, 1.0);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn a_division_by_zero_at_a_grid_point_names_the_file_and_the_point() {
    let d = tempdir();
    let f = write(
        d.path(),
        "div.toml",
        &HAND.replace("amount = \"rate\"", "amount = \"1200 / rate\""),
    );
    let out = bin()
        .args(["sweep", s(&f), "--vary", "rate=0:10:3", "-n", "100"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("div.toml at rate = 0"), "{err}");
    assert!(err.contains("line item `Saving`"), "{err}");
}
