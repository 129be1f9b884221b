//! Bit-identical results at any thread count; the streaming method equals the exact one.

use payback::report::summary_json;
use payback::sampling::Design;
use payback::scenario::Scenario;
use payback::simulate::simulate;

use crate::util::{config, monte_carlo, root};

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

#[test]
fn streaming_percentiles_equal_exact_percentiles() {
    let s = cloud();
    let mc = Design::monte_carlo(&s, 11);
    let exact = simulate(&s, &mc, &config(120_000, 11, None)).unwrap();
    let mut cfg = config(120_000, 11, None);
    cfg.force_streaming = true;
    let streamed = simulate(&s, &mc, &cfg).unwrap();
    assert_eq!(exact.summary.payback.pct, streamed.summary.payback.pct);
    assert_eq!(exact.summary.payback.ci, streamed.summary.payback.ci);
    assert_eq!(exact.summary.npv.stats.pct, streamed.summary.npv.stats.pct);
    assert_eq!(exact.summary.tco.stats.pct, streamed.summary.tco.stats.pct);
    assert_eq!(
        exact.summary.npv.prob_negative,
        streamed.summary.npv.prob_negative
    );
    assert!((exact.summary.npv.stats.mean / streamed.summary.npv.stats.mean - 1.0).abs() < 1e-12);
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
