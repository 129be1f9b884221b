//! Bit-identical results at any thread count; accumulated percentiles against exact ones.

use payback::report::summary_json;
use payback::scenario::Scenario;

use crate::util::{config, monte_carlo, root, scenario};

fn cloud() -> Scenario {
    Scenario::load(&root().join("scenarios/cloud_im_500.toml")).expect("bundled scenario")
}

#[test]
fn identical_json_for_1_2_and_4_threads() {
    let s = cloud();
    let runs: Vec<Vec<u8>> = [1, 2, 4]
        .iter()
        .map(|t| summary_json(&monte_carlo(&s, 50_000, 5, Some(*t)).summary))
        .collect();
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);
}

/// The one-pass histogram's percentiles against the exact order statistics of the same
/// trials: within 0.1 Monte Carlo standard errors or 1e-4 relative, whichever is looser
/// (the documented bound), for every metric with ties, censoring and negative values.
#[test]
fn accumulated_percentiles_are_within_the_documented_bound_of_exact_ones() {
    use payback::stats::{percentile_sorted, rank_of};
    let s = cloud();
    let n = 100_000;
    let r = monte_carlo(&s, n, 11, None);
    let sm = &r.summary;
    let checks: [(&str, usize, [f64; 7]); 4] = [
        ("payback", 0, pcts_opt(&sm.payback.pct)),
        ("npv", 2, pcts(&sm.npv.stats.pct)),
        ("tco", 4, pcts(&sm.tco.stats.pct)),
        ("pv_costs", 5, pcts(&sm.pv_costs.pct)),
    ];
    for (name, k, got) in checks {
        let mut v = r.sample.outputs[k].clone();
        assert_eq!(v.len() as u64, n);
        v.sort_by(f64::total_cmp);
        for (j, p) in [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95]
            .into_iter()
            .enumerate()
        {
            let want = percentile_sorted(&v, p);
            if !want.is_finite() {
                assert!(!got[j].is_finite(), "{name} P{p}: {} vs {want}", got[j]);
                continue;
            }
            // Monte Carlo s.e. of the percentile from the order statistics ±1 s.d. of the rank.
            let h = rank_of(p, n);
            let sd = (n as f64 * p * (1.0 - p)).sqrt();
            let lo = v[((h - sd).floor().max(0.0)) as usize];
            let hi = v[((h + sd).ceil() as usize).min(v.len() - 1)];
            let se = (hi - lo) / 2.0;
            let bound = (0.1 * se).max(1e-4 * want.abs());
            assert!(
                (got[j] - want).abs() <= bound,
                "{name} P{p}: {} vs exact {want} (bound {bound})",
                got[j]
            );
        }
    }
}

fn pcts(p: &payback::summary::Pct<f64>) -> [f64; 7] {
    [p.p5, p.p10, p.p25, p.p50, p.p75, p.p90, p.p95]
}

fn pcts_opt(p: &payback::summary::Pct<Option<f64>>) -> [f64; 7] {
    [p.p5, p.p10, p.p25, p.p50, p.p75, p.p90, p.p95].map(|x| x.unwrap_or(f64::INFINITY))
}

#[test]
fn any_split_and_thread_count_gives_identical_summaries_at_scale() {
    let s = cloud();
    let a = summary_json(&monte_carlo(&s, 300_000, 9, Some(1)).summary);
    let b = summary_json(&monte_carlo(&s, 300_000, 9, Some(2)).summary);
    let c = summary_json(&monte_carlo(&s, 300_000, 9, Some(7)).summary);
    assert_eq!(a, b);
    assert_eq!(a, c);
}

/// The AVX2 and portable kernels (see `payback::engine::simd`) give byte-identical
/// summaries, at 1 and 2 threads, on the flagship scenario and on small ones with each
/// adoption curve, yearly and delayed items, discounting and a risk event. On a CPU
/// without AVX2 both runs take the portable path and the test only checks determinism.
#[test]
fn portable_and_avx2_paths_give_identical_json() {
    use payback::engine::{Kernel, Simd};
    use payback::sampling::Design;
    use payback::simulate::simulate;
    if Kernel::select(Simd::Auto) == Kernel::select(Simd::Portable) {
        eprintln!(
            "no AVX2 here (or PAYBACK_SIMD=portable): comparing the portable path with itself"
        );
    }
    let small = |curve: &str| {
        scenario(&format!(
            r#"name = "ramp-{curve}"
horizon_months = 48
discount_rate = 0.09
[inputs]
seats = {{ dist = "triangular", min = 150, mode = 250, max = 500 }}
price = {{ dist = "uniform", min = 8, max = 20 }}
rise = {{ dist = "uniform", min = 0, max = 0.1 }}
saved = {{ dist = "pert", min = 0.5, mode = 2, max = 5 }}
peak = {{ dist = "beta", alpha = 8, beta = 2 }}
ramp = {{ dist = "uniform", min = 0, max = 12 }}
setup = {{ dist = "lognormal", median = 60000, p95 = 150000 }}
incident = {{ dist = "bernoulli", p = 0.3 }}
[adoption]
curve = "{curve}"
peak = "peak"
months_to_peak = "ramp"
[[costs]]
name = "licence"
category = "licence"
when = "yearly"
amount = "12 * seats * price * (1 + rise) ^ (year - 1)"
[[costs]]
name = "setup"
category = "implementation"
when = "once"
at = 0
amount = "setup"
[[costs]]
name = "incident"
category = "risk"
when = "once"
at = 7
amount = "incident * min(setup, 90000)"
[[costs]]
name = "support"
category = "operations"
when = "monthly"
start = 3
amount = "max(800, seats * adoption * 2.5)"
[[benefits]]
name = "time"
category = "productivity"
when = "monthly"
amount = "seats * adoption * saved * 45 * clamp(month / 6, 0.5, 1)"
"#
        ))
    };
    let scenarios = [
        (cloud(), 200_000),
        (small("logistic"), 60_000),
        (small("linear"), 60_000),
        (small("step"), 60_000),
    ];
    for (s, n) in &scenarios {
        for threads in [1, 2] {
            let run = |simd: Simd| {
                let mut cfg = config(*n, 11, Some(threads));
                cfg.engine.simd = simd;
                let src = Design::monte_carlo(s, 11);
                summary_json(
                    &simulate(s, &src, &cfg)
                        .unwrap_or_else(|e| panic!("{e}"))
                        .summary,
                )
            };
            let (auto, portable) = (run(Simd::Auto), run(Simd::Portable));
            assert!(
                auto == portable,
                "{} at {threads} threads: the {} and portable summaries differ",
                s.name,
                Kernel::select(Simd::Auto).name()
            );
        }
    }
}

#[test]
fn adding_an_input_leaves_other_draws_alone() {
    let base = r#"name = "t"
[inputs]
a = { dist = "uniform", min = 0, max = 1 }
[[benefits]]
name = "b"
category = "productivity"
when = "once"
amount = "a"
"#;
    let extra = base.replace(
        "[inputs]\n",
        "[inputs]\nz = { dist = \"normal\", mean = 0, sd = 1 }\n",
    );
    let r1 = monte_carlo(&crate::util::scenario(base), 1000, 3, None);
    let r2 = monte_carlo(&crate::util::scenario(&extra), 1000, 3, None);
    assert_eq!(r1.sample.inputs[0], r2.sample.inputs[1]);
}
