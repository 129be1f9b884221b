//! Bit-identical results at any thread count; accumulated percentiles against exact ones.

use payback::report::summary_json;
use payback::scenario::Scenario;

use crate::util::{monte_carlo, root};

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
        |_| maker.block_sink(),
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
            sampling: method.name().into(),
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
