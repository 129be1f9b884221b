//! Property tests (proptest, bounded case counts so CI stays fast) and fuzzing of the
//! scenario parser and the expression language: no input may panic or hang.

use payback::engine::{self, BatchOut, RunOptions, Sink};
use payback::expr;
use payback::model::Plan;
use payback::sampling::{Design, Method};
use payback::scenario::parse_str;
use proptest::prelude::*;

use crate::util::{bin, monte_carlo, scenario, tempdir};

fn small(cost: f64, benefit_median: f64, horizon: u32, rate: f64) -> String {
    format!(
        r#"name = "p"
horizon_months = {horizon}
discount_rate = {rate}
[inputs]
b = {{ dist = "lognormal", median = {benefit_median}, p95 = {} }}
c = {{ dist = "triangular", min = {}, mode = {cost}, max = {} }}
shock = {{ dist = "bernoulli", p = 0.2 }}
[adoption]
curve = "linear"
peak = 0.9
months_to_peak = 4
[[costs]]
name = "up-front"
category = "implementation"
when = "once"
amount = "c"
[[costs]]
name = "shock"
category = "risk"
when = "once"
at = {}
amount = "shock * c * 2"
[[benefits]]
name = "benefit"
category = "productivity"
when = "monthly"
amount = "b * adoption"
"#,
        benefit_median * 2.5,
        cost * 0.5,
        cost * 2.0,
        horizon / 2
    )
}

struct Npv(Vec<f64>);
impl Sink for Npv {
    fn absorb(&mut self, b: &BatchOut) {
        self.0.extend_from_slice(&b.npv[..b.len]);
    }
}

fn npvs(src: &str, seed: u64, range: std::ops::Range<u64>, threads: usize) -> Vec<f64> {
    let s = scenario(src);
    let plan = Plan::compile(&s);
    let d = Design::new(&s, seed, Method::Mc, 0, None).unwrap();
    let opts = RunOptions {
        threads: Some(threads),
        ..RunOptions::default()
    };
    engine::run(&plan, &d, range, &opts, |_| Npv(Vec::new()))
        .unwrap()
        .into_iter()
        .flat_map(|s| s.0)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn results_do_not_depend_on_threads_or_how_the_trials_are_split(
        seed in 0u64..1000, threads in 1usize..5, split in 1u64..9000, cost in 1e3f64..1e6
    ) {
        let src = small(cost, cost / 10.0, 36, 0.1);
        let whole = npvs(&src, seed, 0..9000, 1);
        let mut parts = npvs(&src, seed, 0..split, threads);
        parts.extend(npvs(&src, seed, split..9000, threads));
        prop_assert_eq!(whole, parts);
    }

    #[test]
    fn percentiles_are_monotone_and_payback_is_within_the_horizon_or_censored(
        seed in 0u64..1000, cost in 1e3f64..1e6, ratio in 0.005f64..0.5, horizon in 1u32..120, rate in 0.0f64..0.3
    ) {
        let s = scenario(&small(cost, cost * ratio, horizon, rate));
        let r = monte_carlo(&s, 3000, seed, None);
        let p = &r.summary.payback.pct;
        let seq = [p.p5, p.p10, p.p25, p.p50, p.p75, p.p90, p.p95];
        for w in seq.windows(2) {
            let (a, b) = (w[0].unwrap_or(f64::INFINITY), w[1].unwrap_or(f64::INFINITY));
            prop_assert!(a <= b);
        }
        let n = &r.summary.npv.stats.pct;
        let seq = [n.p5, n.p10, n.p25, n.p50, n.p75, n.p90, n.p95];
        for w in seq.windows(2) {
            prop_assert!(w[0] <= w[1]);
        }
        for x in &r.sample.outputs[0] {
            prop_assert!(x.is_infinite() || (*x >= 0.0 && *x <= horizon as f64), "payback {}", x);
        }
        let within = r.sample.outputs[0].iter().filter(|x| x.is_finite()).count() as f64 / 3000.0;
        prop_assert!((within - r.summary.payback.prob_within_horizon).abs() < 1e-12);
    }
}

#[test]
fn npv_equals_the_discounted_sum_of_the_saved_cash_flows() {
    let d = tempdir();
    bin()
        .args([
            "run",
            "scenarios/onprem_im_2000.toml",
            "-n",
            "300",
            "-q",
            "--save-trials",
            "--out",
        ])
        .arg(d.path())
        .assert()
        .success();
    let text = std::fs::read_to_string(d.path().join("trials.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let npv_col = header.iter().position(|h| *h == "npv").unwrap();
    let cf0 = header.iter().position(|h| *h == "cf_0").unwrap();
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.path().join("summary.json")).unwrap()).unwrap();
    let r = summary["discount_rate"].as_f64().unwrap();
    let mut rows = 0;
    for line in lines {
        let f: Vec<f64> = line
            .split(',')
            .map(|x| x.parse().unwrap_or(f64::NAN))
            .collect();
        let pv: f64 = f[cf0..]
            .iter()
            .enumerate()
            .map(|(t, c)| c * (1.0 + r).powf(-(t as f64) / 12.0))
            .sum();
        let npv = f[npv_col];
        assert!(
            (pv - npv).abs() <= 1e-6 * npv.abs().max(1.0),
            "{pv} vs {npv}"
        );
        rows += 1;
    }
    assert_eq!(rows, 300);
}

const VALID: &str = r#"name = "fuzz base"
[inputs]
a = { dist = "pert", min = 1, mode = 2, max = 5 }
b = { dist = "normal", p5 = 10, p95 = 20, min = 0 }
员工数 = 50
[adoption]
curve = "logistic"
peak = 0.8
months_to_peak = 6
[correlations]
pairs = [["a", "b", 0.3]]
[[costs]]
name = "c"
category = "licence"
when = "monthly"
amount = "员工数 * a * (1 + 0.05) ^ (year - 1)"
[[benefits]]
name = "d"
category = "productivity"
when = "monthly"
amount = "if(month > 2, b * adoption * 100, 0) / max(a, 0.5)"
"#;

fn run_a_few(src: &str) {
    if let Ok(s) = parse_str(src, "fuzz.toml", None) {
        let plan = Plan::compile(&s);
        let names: Vec<String> = s.inputs.iter().map(|i| i.name.clone()).collect();
        let copula = payback::sampling::correlation::build(&s.correlations, &names, true)
            .ok()
            .and_then(|c| c.0);
        if let Ok(d) = Design::new(&s, 1, Method::Mc, 300, copula) {
            let _ = engine::run(
                &plan,
                &d,
                0..300,
                &RunOptions {
                    threads: Some(1),
                    ..RunOptions::default()
                },
                |_| Npv(Vec::new()),
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_scenario_parser_never_panics_on_mutated_scenarios(
        edits in proptest::collection::vec((0usize..2000, any::<u8>(), 0u8..3), 1..6)
    ) {
        let mut bytes = VALID.as_bytes().to_vec();
        for (pos, byte, op) in edits {
            let p = pos % (bytes.len() + 1);
            match op {
                0 => bytes.insert(p, byte),
                1 if p < bytes.len() => { bytes.remove(p); }
                _ if p < bytes.len() => bytes[p] = byte,
                _ => {}
            }
        }
        if let Ok(text) = String::from_utf8(bytes) {
            run_a_few(&text);
        }
    }

    #[test]
    fn the_scenario_parser_never_panics_on_arbitrary_text(text in "\\PC{0,400}") {
        let _ = parse_str(&text, "fuzz.toml", None);
    }

    #[test]
    fn expressions_never_panic(src in "[-+*/^(),.<>=!0-9a-z_ 员工数]{0,80}") {
        if let Ok(ast) = expr::parse(&src) {
            let names = ["a", "b"];
            let lookup = |n: &str| names.iter().position(|x| *x == n);
            if let Ok(node) = expr::resolve(&ast, &lookup, &names) {
                let _ = node.eval(&expr::Env { inputs: &[1.0, 0.0], month: 3.0, adoption: 0.5 });
                let amount = format!("name = \"x\"\n[inputs]\na = 1\nb = {{ dist = \"uniform\", min = 0, max = 1 }}\n[[costs]]\nname = \"c\"\ncategory = \"licence\"\nwhen = \"monthly\"\namount = \"{src}\"\n");
                run_a_few(&amount);
            }
        }
    }
}

#[test]
fn fuzz_regressions_do_not_panic() {
    // Inputs that once crashed or hung a fuzzer, kept as regression tests.
    let dir = crate::util::root().join("tests/fuzz_regressions");
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        run_a_few(&String::from_utf8_lossy(&bytes));
    }
}
