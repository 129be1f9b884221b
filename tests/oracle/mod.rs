//! A differential oracle: random valid scenarios run through the engine and through a
//! second, deliberately plain implementation of the model contract (`model.rs`, with its
//! own expression evaluator in `expr.rs`), trial by trial. The only thing the two share
//! is each trial's input draws, read from the engine's `BatchOut::inputs`.
//!
//! Default run: 64 random scenarios of up to 64 trials (debug, a few seconds). The long
//! run: `cargo test --release --test integration oracle -- --ignored --nocapture`.

mod expr;
mod inputs;
mod marginals;
mod model;
mod scenarios;

use std::collections::HashMap;

use payback::engine::{self, BatchOut, RunOptions, Sink};
use payback::model::Plan;
use payback::sampling::{Design, correlation};
use payback::scenario::parse_str;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

use scenarios::Spec;

/// What the engine reported for one trial.
#[derive(Clone, Debug)]
struct Rec {
    inputs: Vec<f64>,
    payback: f64,
    dpayback: f64,
    npv: f64,
    roi: f64,
    tco: f64,
    pvc: f64,
    pvb: f64,
    tco_cat: Vec<f64>,
    path: Vec<f64>,
}

struct Keep(Vec<Rec>);

impl Sink for Keep {
    fn absorb(&mut self, b: &BatchOut) {
        for l in 0..b.len {
            self.0.push(Rec {
                inputs: b.inputs.iter().map(|c| c[l]).collect(),
                payback: b.payback[l],
                dpayback: b.dpayback[l],
                npv: b.npv[l],
                roi: b.roi[l],
                tco: b.tco[l],
                pvc: b.pvc[l],
                pvb: b.pvb[l],
                tco_cat: b.tco_cat.iter().map(|c| c[l]).collect(),
                path: b.paths.iter().map(|c| c[l]).collect(),
            });
        }
    }
}

/// Tallies over a run of the oracle.
#[derive(Default, Debug)]
struct Tally {
    scenarios: u64,
    trials: u64,
    /// Trials where some Cum(t) or DCum(t) is within rounding of 0, so the crossing month
    /// (and censoring) may legitimately differ: payback compared for range only.
    near_ties: u64,
    /// Trials where an amount's comparison or floor/ceil sat within rounding of its
    /// threshold: the two implementations may legitimately take different branches, so
    /// the trial is not compared (see `expr::Env::near_discontinuity`).
    near_discontinuities: u64,
    /// Trials with PV costs = 0 (ROI undefined by the contract), and what the engine
    /// reported for ROI there.
    roi_undefined: u64,
    roi_nan: u64,
    roi_inf: u64,
    roi_zero: u64,
    roi_other: u64,
}

/// The engine's side of one spec.
struct EngineRun {
    /// Input names, in the order of `Rec::inputs`.
    names: Vec<String>,
    /// The cost categories of `Rec::tco_cat`, in order.
    categories: Vec<String>,
    recs: Vec<Rec>,
}

/// Parse the spec's TOML with the product and run every trial through the engine.
fn run_engine(spec: &Spec) -> Result<EngineRun, String> {
    let s = parse_str(&spec.toml(), "<oracle>", None).map_err(|e| e.to_string())?;
    let names: Vec<String> = s.inputs.iter().map(|i| i.name.clone()).collect();
    let copula = correlation::build(&s.correlations, &names, false)
        .map_err(|e| e.to_string())?
        .0;
    let design = Design::new(&s, spec.seed, spec.method, spec.trials, copula)?;
    let plan = Plan::compile(&s);
    let opts = RunOptions {
        threads: Some(1),
        record_paths_below: spec.trials,
        ..RunOptions::default()
    };
    let mut all = Vec::new();
    engine::run_fold(
        &plan,
        &design,
        0..spec.trials,
        &opts,
        |_| Keep(Vec::new()),
        |k| all.extend(k.0),
    )
    .map_err(|e| e.to_string())?;
    Ok(EngineRun {
        names,
        categories: plan.categories.clone(),
        recs: all,
    })
}

/// Compare every trial of one spec; an `Err` names the first disagreement.
fn check(spec: &Spec, tally: &mut Tally) -> Result<(), String> {
    let EngineRun {
        names,
        categories: cats,
        recs,
    } = run_engine(spec)?;
    let amounts = model::parse_items(spec);
    let h = spec.h() as usize;
    if recs.len() as u64 != spec.trials {
        return Err(format!("{} trials, expected {}", recs.len(), spec.trials));
    }
    tally.scenarios += 1;
    for (i, e) in recs.iter().enumerate() {
        let draws: HashMap<String, f64> = names.iter().cloned().zip(e.inputs.clone()).collect();
        let o = model::trial(spec, &amounts, &draws);
        tally.trials += 1;
        if o.near_discontinuity {
            tally.near_discontinuities += 1;
            continue;
        }
        let fail = |what: &str, got: f64, want: f64| {
            Err(format!(
                "trial {i}: {what}: engine {got:e}, contract {want:e} (scale {:e}); draws {draws:?}",
                o.scale
            ))
        };
        // Money: to 1e-9 of the trial's Σ|amounts| (exact when every amount is 0).
        let tol = 1e-9 * o.scale;
        let close = |a: f64, b: f64| (a - b).abs() <= tol;
        if e.path.len() != h + 1 {
            return Err(format!(
                "trial {i}: {} path months, expected {}",
                e.path.len(),
                h + 1
            ));
        }
        for t in 0..=h {
            if !close(e.path[t], o.cum[t]) {
                return fail(&format!("Cum({t})"), e.path[t], o.cum[t]);
            }
        }
        for (what, got, want) in [
            ("NPV", e.npv, o.npv),
            ("PV costs", e.pvc, o.pvc),
            ("PV benefits", e.pvb, o.pvb),
            ("TCO", e.tco, o.tco),
        ] {
            if !close(got, want) {
                return fail(what, got, want);
            }
        }
        for c in o.tco_cat.keys() {
            if !cats.contains(c) {
                return Err(format!(
                    "trial {i}: TCO category {c} missing from the engine's"
                ));
            }
        }
        for (c, got) in cats.iter().zip(&e.tco_cat) {
            let want = o.tco_cat.get(c).copied().unwrap_or(0.0);
            if !close(*got, want) {
                return fail(&format!("TCO {c}"), *got, want);
            }
        }
        // Payback: the crossing month is decided by signs of Cum(t); where some Cum(t) is
        // within rounding (1e-12 of Σ|amounts| up to t) of 0 but not exactly 0 with
        // nothing fallen yet, the two sums may fall on either side, so only the range is
        // checked there. Elsewhere censoring must agree and the month to 1e-9, plus the
        // rounding of the flows magnified by 1 / (crossing flow).
        let band = 1e-12 * o.scale;
        let tie = |path: &[f64]| {
            (0..=h).any(|t| o.partial_scale[t] > 0.0 && path[t].abs() <= 1e-12 * o.partial_scale[t])
        };
        for (what, got, want, path, flow) in [
            ("payback", e.payback, o.payback, &o.cum, o.cross_flow.0),
            (
                "discounted payback",
                e.dpayback,
                o.dpayback,
                &o.dcum,
                o.cross_flow.1,
            ),
        ] {
            let in_range = got.is_infinite() || (0.0..=h as f64).contains(&got);
            if !in_range || got.is_nan() || got == f64::NEG_INFINITY {
                return fail(what, got, want);
            }
            if tie(path) {
                tally.near_ties += 1;
                continue;
            }
            if got.is_infinite() != want.is_infinite() {
                return fail(&format!("{what} censoring"), got, want);
            }
            if want.is_finite() {
                let tol_m = 1e-9 + if flow != 0.0 { band / flow.abs() } else { 0.0 };
                if (got - want).abs() > tol_m {
                    return fail(what, got, want);
                }
            }
        }
        // ROI: undefined when PV costs are ≤ 0 (the engine must say NaN; tallied);
        // otherwise to 1e-9 of scale / |PV costs| (the ratio's conditioning).
        if o.pvc <= 0.0 {
            if !e.roi.is_nan() {
                return fail("ROI with PV costs <= 0", e.roi, o.roi);
            }
            tally.roi_undefined += 1;
            match e.roi {
                r if r.is_nan() => tally.roi_nan += 1,
                r if r.is_infinite() => tally.roi_inf += 1,
                0.0 => tally.roi_zero += 1,
                _ => tally.roi_other += 1,
            }
        } else {
            let tol_roi = 1e-9 * (o.scale / o.pvc.abs()) * (1.0 + o.roi.abs());
            // (A NaN from the engine fails too: the comparison is then false.)
            let agrees = (e.roi - o.roi).abs() <= tol_roi;
            if !agrees {
                return fail("ROI", e.roi, o.roi);
            }
        }
    }
    Ok(())
}

/// Run `cases` random scenarios; panics with the shrunk scenario on a disagreement.
fn run_oracle(cases: u32, max_trials: u64, rng: TestRng) -> Tally {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, rng);
    let tally = std::cell::RefCell::new(Tally::default());
    let result = runner.run(&scenarios::spec(max_trials), |spec| {
        check(&spec, &mut tally.borrow_mut()).map_err(|m| {
            TestCaseError::fail(format!(
                "{m}\nsampling {} seed {} trials {}\n--- scenario ---\n{}",
                spec.method.name(),
                spec.seed,
                spec.trials,
                spec.toml()
            ))
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    tally.into_inner()
}

#[test]
fn oracle_agrees_with_the_engine_on_random_scenarios() {
    // A fixed generator seed, so CI sees the same 64 scenarios every time.
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let t = run_oracle(64, 64, rng);
    eprintln!("oracle: {t:?}");
    assert!(t.scenarios >= 64 && t.trials > 64, "{t:?}");
}

#[test]
#[ignore = "long run: cargo test --release --test integration oracle -- --ignored"]
fn oracle_long_run_on_5000_random_scenarios() {
    let start = std::time::Instant::now();
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &rand_seed());
    let t = run_oracle(5000, 256, rng);
    eprintln!(
        "oracle long run: {t:?} in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    assert!(t.scenarios >= 5000, "{t:?}");
}

/// A fresh generator seed for the long run (printed, so a failure can be replayed).
fn rand_seed() -> [u8; 32] {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let seed: u64 = std::env::var("ORACLE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(nanos as u64);
    eprintln!("oracle long run: ORACLE_SEED={seed}");
    let mut out = [0u8; 32];
    out[..8].copy_from_slice(&seed.to_le_bytes());
    out
}
