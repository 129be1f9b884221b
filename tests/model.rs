//! Hand-computed cases of docs/MODEL.md.

use crate::util::{deterministic, monte_carlo, scenario};

fn df(t: f64) -> f64 {
    1.1f64.powf(-t / 12.0)
}

#[test]
fn payback_interpolates_inside_the_crossing_month_and_npv_is_exact() {
    let r = deterministic(
        r#"name = "t"
[[costs]]
name = "Setup"
category = "implementation"
when = "once"
amount = "1000"
[[benefits]]
name = "Saving"
category = "productivity"
when = "monthly"
amount = "150"
"#,
    );
    // Cum(6) = -100, CF(7) = 150 → T = 6 + 100/150.
    let pb = r.summary.payback.pct.p50.expect("pays back");
    assert!((pb - (6.0 + 100.0 / 150.0)).abs() < 1e-12, "{pb}");
    let npv: f64 = -1000.0 + (1..=36).map(|t| 150.0 * df(t as f64)).sum::<f64>();
    assert!(
        (r.summary.npv.stats.mean - npv).abs() < 1e-9,
        "{} vs {npv}",
        r.summary.npv.stats.mean
    );
    assert!((r.summary.tco.stats.mean - 1000.0).abs() < 1e-12);
    let pvb: f64 = (1..=36).map(|t| 150.0 * df(t as f64)).sum();
    assert!((r.summary.roi.as_ref().unwrap().mean - (pvb - 1000.0) / 1000.0).abs() < 1e-12);
    // Discounted payback: the same on discounted flows.
    let mut dcum = -1000.0;
    let mut t = 0;
    while dcum < 0.0 {
        t += 1;
        dcum += 150.0 * df(t as f64);
    }
    let prev = dcum - 150.0 * df(t as f64);
    let want = (t - 1) as f64 + (-prev) / (150.0 * df(t as f64));
    let got = r.summary.discounted_payback.pct.p50.expect("pays back");
    assert!((got - want).abs() < 1e-9, "{got} vs {want}");
}

#[test]
fn yearly_once_and_monthly_timing() {
    let r = deterministic(
        r#"name = "t"
horizon_months = 36
[[costs]]
name = "Maintenance"
category = "support"
when = "yearly"
amount = "1200"
[[costs]]
name = "Upgrade"
category = "upgrade"
when = "once"
at = 18
amount = "500"
[[costs]]
name = "Ops"
category = "operations"
when = "monthly"
start = 4
end = 9
amount = "10"
[[benefits]]
name = "B"
category = "productivity"
when = "monthly"
amount = "1000"
"#,
    );
    let by = &r.summary.tco.by_category;
    assert_eq!(by["support"], 3600.0); // months 1, 13, 25
    assert_eq!(by["upgrade"], 500.0);
    assert_eq!(by["operations"], 60.0); // months 4..=9
    let npv: f64 = [1.0, 13.0, 25.0]
        .iter()
        .map(|t| -1200.0 * df(*t))
        .sum::<f64>()
        - 500.0 * df(18.0)
        + (4..=9).map(|t| -10.0 * df(t as f64)).sum::<f64>()
        + (1..=36).map(|t| 1000.0 * df(t as f64)).sum::<f64>();
    assert!((r.summary.npv.stats.mean - npv).abs() < 1e-9);
    // Month 1: 1000 - 1200 < 0; month 2: cum = 800 → T = 1 + 200/1000.
    assert!((r.summary.payback.pct.p50.unwrap() - 1.2).abs() < 1e-12);
}

fn adoption_npv(curve: &str) -> f64 {
    deterministic(&format!(
        r#"name = "t"
horizon_months = 24
[adoption]
curve = "{curve}"
peak = 0.8
months_to_peak = 6
[[benefits]]
name = "B"
category = "productivity"
when = "monthly"
amount = "1000 * adoption"
"#
    ))
    .summary
    .npv
    .stats
    .mean
}

#[test]
fn adoption_curves_follow_model_md() {
    let k = 2.0 * 20f64.ln() / 6.0;
    let l = |t: f64| 1.0 / (1.0 + (-k * (t - 3.0)).exp());
    let logistic = |t: f64| 0.8 * (l(t) - l(0.0)) / (1.0 - l(0.0));
    assert!((logistic(6.0) - 0.95 * 0.8).abs() < 1e-12);
    let want = |a: &dyn Fn(f64) -> f64| {
        (1..=24)
            .map(|t| 1000.0 * a(t as f64) * df(t as f64))
            .sum::<f64>()
    };
    assert!((adoption_npv("logistic") - want(&logistic)).abs() < 1e-7);
    assert!((adoption_npv("linear") - want(&|t| 0.8 * (t / 6.0).min(1.0))).abs() < 1e-9);
    assert!((adoption_npv("step") - want(&|_| 0.8)).abs() < 1e-9);
}

#[test]
fn uncertain_adoption_parameters_match_the_fixed_curve() {
    // A constant peak given through a (degenerate) input goes the per-lane path.
    let fixed = adoption_npv("logistic");
    let r = deterministic(
        r#"name = "t"
horizon_months = 24
[inputs]
pk = { dist = "uniform", min = 0.79999999, max = 0.80000001, base = 0.8 }
mtp = { dist = "uniform", min = 5.9999999, max = 6.0000001, base = 6 }
[adoption]
curve = "logistic"
peak = "pk"
months_to_peak = "mtp"
[[benefits]]
name = "B"
category = "productivity"
when = "monthly"
amount = "1000 * adoption"
"#,
    );
    assert!(
        (r.summary.npv.stats.mean - fixed).abs() < 1e-7,
        "{} vs {fixed}",
        r.summary.npv.stats.mean
    );
}

#[test]
fn censored_trials_are_beyond_the_horizon() {
    let r = deterministic(
        r#"name = "t"
horizon_months = 12
[[costs]]
name = "C"
category = "licence"
when = "once"
amount = "10000"
[[benefits]]
name = "B"
category = "productivity"
when = "monthly"
amount = "100"
"#,
    );
    assert_eq!(r.summary.payback.pct.p50, None);
    assert_eq!(r.summary.payback.prob_within_horizon, 0.0);
    assert_eq!(r.summary.payback.prob_within_12, Some(0.0));
}

/// Setup 1,000 at month 0, then +200 a month; a 2,000 re-platform at month 8 takes Cum
/// from 600 to -1,400.
const SECOND_DIP: &str = r#"name = "t"
[[costs]]
name = "Setup"
category = "implementation"
when = "once"
amount = "1000"
[[costs]]
name = "Re-platform"
category = "upgrade"
when = "once"
at = 8
amount = "2000"
[[benefits]]
name = "B"
category = "productivity"
when = "monthly"
amount = "200"
"#;

#[test]
fn payback_is_the_last_crossing_when_cash_flow_turns_negative_again() {
    let r = deterministic(SECOND_DIP);
    // Cum(5) = 0 (first crossing), Cum(8) = -1400, then +200/month: zero at month 15.
    assert!((r.summary.payback.pct.p50.unwrap() - 15.0).abs() < 1e-12);
}

#[test]
fn paid_back_at_go_live_is_zero() {
    let r = deterministic(
        r#"name = "t"
[[benefits]]
name = "Grant"
category = "avoided_cost"
when = "once"
amount = "100"
"#,
    );
    assert_eq!(r.summary.payback.pct.p50, Some(0.0));
}

#[test]
fn closed_form_payback_is_cost_over_benefit() {
    // C up front, monthly benefit B ~ lognormal, step adoption: payback = C / B exactly.
    let s = scenario(
        r#"name = "t"
horizon_months = 120
[inputs]
B = { dist = "lognormal", median = 10000, p95 = 20000 }
[[costs]]
name = "C"
category = "licence"
when = "once"
amount = "100000"
[[benefits]]
name = "Benefit"
category = "productivity"
when = "monthly"
amount = "B"
"#,
    );
    let r = monte_carlo(&s, 400_000, 9, None);
    let b = &s.inputs[0];
    for (p, got) in [
        (0.1, r.summary.payback.pct.p10),
        (0.5, r.summary.payback.pct.p50),
        (0.9, r.summary.payback.pct.p90),
    ] {
        let want = 100_000.0 / b.quantile(1.0 - p);
        let got = got.expect("within horizon");
        // MC error of a quantile at n = 400k is well under 0.5%.
        assert!((got / want - 1.0).abs() < 0.005, "p={p}: {got} vs {want}");
    }
}

#[test]
fn peak_funding_is_the_deepest_cumulative_cash_position() {
    // The re-platform's -1,400 is the deepest point, deeper than the -1,000 at go-live.
    let r = deterministic(SECOND_DIP);
    assert_eq!(r.summary.peak_funding.mean, 1400.0);
    assert_eq!(r.summary.peak_funding.pct.p50, 1400.0);
    // Never below zero: nothing to front.
    let r = deterministic(
        r#"name = "t"
[[benefits]]
name = "Grant"
category = "avoided_cost"
when = "once"
amount = "100"
"#,
    );
    assert_eq!(r.summary.peak_funding.mean, 0.0);
}

#[test]
fn peak_funding_of_an_up_front_cost_is_that_cost_in_every_trial() {
    // C up front (uncertain), then benefits only: the deepest point is -C at month 0, so
    // the peak funding need has C's distribution exactly.
    let s = scenario(
        r#"name = "t"
[inputs]
c = { dist = "uniform", min = 1000, max = 3000 }
[[costs]]
name = "Setup"
category = "implementation"
when = "once"
amount = "c"
[[benefits]]
name = "B"
category = "productivity"
when = "monthly"
amount = "100"
"#,
    );
    let r = monte_carlo(&s, 20_000, 3, Some(2));
    let f = &r.summary.peak_funding;
    let c = &r.sample.inputs[0];
    let mean_c = c.iter().sum::<f64>() / c.len() as f64;
    assert!(
        (f.mean - mean_c).abs() < 1e-6 * mean_c,
        "{} vs {mean_c}",
        f.mean
    );
    assert!((f.pct.p50 - 2000.0).abs() < 40.0, "{}", f.pct.p50);
}
