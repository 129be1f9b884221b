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

/// A run that keeps no sample of its first trials (a summary alone) reports exactly the
/// same summary as one that keeps it, and holds no inputs, outputs or paths.
#[test]
fn a_statistics_only_run_has_the_same_summary_and_no_sample() {
    use payback::sampling::Design;
    let s = cloud();
    let full = monte_carlo(&s, 150_000, 9, Some(2));
    let mut cfg = config(150_000, 9, Some(2));
    cfg.engine.statistics_only = true;
    let lean = payback::simulate::simulate(&s, &Design::monte_carlo(&s, 9), &cfg).expect("runs");
    assert_eq!(summary_json(&full.summary), summary_json(&lean.summary));
    assert_eq!(full.sample.outputs[0].len(), 100_000);
    assert!(lean.sample.outputs.iter().all(|c| c.is_empty()));
    assert!(lean.sample.inputs.iter().all(|c| c.is_empty()));
    assert_eq!(lean.fan.trials, 0);
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

/// Run the trials `range` of an `n`-trial run into a serialised state (what a shard sends).
fn state_json(
    s: &Scenario,
    plan: &payback::model::Plan,
    source: &dyn payback::engine::TrialSource,
    n: u64,
    range: std::ops::Range<u64>,
    threads: Option<usize>,
) -> String {
    use payback::engine::RunOptions;
    use payback::simulate::RunAcc;
    let _ = s;
    let mut acc = RunAcc::new(plan, n, source.replicates(), threads);
    let maker = acc.sinks();
    let opts = acc.options(&RunOptions {
        threads,
        ..RunOptions::default()
    });
    payback::engine::run_fold(
        plan,
        source,
        range.clone(),
        &opts,
        |start| maker.block_sink(start),
        |k| acc.merge_block(k),
    )
    .unwrap();
    drop(maker);
    serde_json::to_string(&acc.into_state(range)).unwrap()
}

/// merge(a, b) of two ranges' serialised states equals one accumulator over both, for
/// Monte Carlo and replicated (LHS) designs, whatever the thread counts of the parts.
#[test]
fn merged_states_of_split_ranges_equal_one_run() {
    use payback::sampling::{Design, Method};
    use payback::simulate::{RunAcc, RunConfig, RunState};
    let s = cloud();
    let plan = payback::model::Plan::compile(&s);
    let n = 40_000u64;
    for method in [Method::Mc, Method::Lhs] {
        let d = Design::new(&s, 21, method, n, None).unwrap();
        let cfg = RunConfig {
            trials: n,
            seed: 21,
            sampling: method.into(),
            engine: Default::default(),
        };
        let one = payback::simulate::simulate_plan(&s, &plan, &d, &cfg).unwrap();
        for (k, m) in [(256 * 20, 256 * 100), (4096 * 3, 30_208)] {
            let parts = [
                state_json(&s, &plan, &d, n, 0..k, Some(1)),
                state_json(&s, &plan, &d, n, k..m, Some(2)),
                state_json(&s, &plan, &d, n, m..n, Some(1)),
            ];
            let mut states = parts
                .iter()
                .map(|j| serde_json::from_str::<RunState>(j).unwrap());
            let mut acc = RunAcc::from_state(&plan, states.next().unwrap(), None);
            for st in states {
                acc.merge_state(st);
            }
            let merged = acc.finish(&s, &plan, &cfg);
            for (k_out, (x, y)) in one
                .sample
                .outputs
                .iter()
                .zip(&merged.sample.outputs)
                .enumerate()
            {
                if let Some(i) = (0..x.len()).find(|i| x[*i].to_bits() != y[*i].to_bits()) {
                    panic!(
                        "{method:?} output {k_out} differs at trial {i}: {} vs {}",
                        x[i], y[i]
                    );
                }
            }
            let (a, b) = (
                String::from_utf8(summary_json(&one.summary)).unwrap(),
                String::from_utf8(summary_json(&merged.summary)).unwrap(),
            );
            let diff: Vec<(&str, &str)> =
                a.lines().zip(b.lines()).filter(|(x, y)| x != y).collect();
            assert!(diff.is_empty(), "{method:?} split at {k}, {m}: {diff:?}");
            assert_eq!(one.sample.outputs, merged.sample.outputs);
        }
    }
}

/// A state whose histograms do not fit the run is refused by `RunState::check`, not
/// merged into nonsense: another resolution, a bucket outside its key, counts that do not
/// add up.
#[test]
fn a_state_with_histograms_that_do_not_fit_is_refused() {
    use payback::sampling::{Design, Method};
    use payback::simulate::RunState;
    let s = cloud();
    let plan = payback::model::Plan::compile(&s);
    let n = 5_000u64;
    let d = Design::new(&s, 3, Method::Mc, n, None).unwrap();
    let good = state_json(&s, &plan, &d, n, 0..n, Some(1));
    let state: RunState = serde_json::from_str(&good).unwrap();
    assert_eq!(state.check(&plan), Ok(()));
    let tampered = [
        (
            good.replacen("\"bits\":10", "\"bits\":9", 1),
            "bits per bucket",
        ),
        (
            good.replacen("\"n\":5000", "\"n\":5001", 1),
            "does not count",
        ),
    ];
    for (text, why) in tampered {
        assert_ne!(text, good, "the tampering applies");
        let state: RunState = serde_json::from_str(&text).unwrap();
        let e = state.check(&plan).expect_err(why);
        assert!(e.contains(why), "{e}");
    }
}
