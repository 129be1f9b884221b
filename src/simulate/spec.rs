//! The run service: a [`RunSpec`], built once from a command's options, says how to
//! simulate a scenario; [`run`] builds the trial source it describes (the sampling design
//! with the scenario's correlations, or the point values), runs the trials, and summarises
//! them, under precision control ([`super::precision`]) when the spec asks for it. Every
//! command that simulates goes through it; the trials export
//! (`trials.csv`, written by the report layer) re-runs the same trials from the same spec.

use std::sync::atomic::{AtomicBool, AtomicU64};

use super::precision::{self, PrecisionTarget};
use super::{RunConfig, RunResult};
use crate::engine::{FixedSource, RunError, RunOptions, TrialSource};
use crate::model::Plan;
use crate::sampling::{CorrelationError, Design, Method, correlation};
use crate::scenario::Scenario;
use crate::summary::Sampling;

/// Where a run reports progress: each stretch of trials before it starts, then a counter
/// of the trials of that stretch finished so far.
pub trait Progress: Sync {
    /// A stretch of `trials` trials starts; its finished trials are counted into the
    /// returned counter.
    fn stretch(&self, trials: u64) -> &AtomicU64;
}

/// How to simulate a scenario: what a command decided from its options and the
/// scenario's own `trials` and `seed`, once, before anything runs.
#[derive(Clone, Copy)]
pub struct RunSpec<'a> {
    /// Trials of the run (at least 1; precision control starts from it).
    pub trials: u64,
    /// Seed of the keyed draws (same seed, same results).
    pub seed: u64,
    /// How inputs are drawn.
    pub method: Method,
    /// One trial with every input at its point value, instead of drawn values.
    pub point_values: bool,
    /// Worker threads (None = all cores). Results do not depend on it.
    pub threads: Option<usize>,
    /// Replace inconsistent correlations by the nearest valid matrix (with a note).
    pub repair_correlations: bool,
    /// Keep doubling the trials until this target is met (ignored for point values).
    pub precision: Option<PrecisionTarget>,
    /// Stops the run when set (the run then fails with [`RunError::Interrupted`]).
    pub cancel: Option<&'a AtomicBool>,
    /// Told of each stretch of trials, and counts them as they finish.
    pub progress: Option<&'a dyn Progress>,
    /// Keep the sample of the first trials for charts, rank correlations and the cash-flow
    /// fan (false: the summary alone, with less memory and time). A point-value run always
    /// keeps its one trial: its monthly cash flow is the result.
    pub keep_sample: bool,
}

impl<'a> RunSpec<'a> {
    /// A plain run of `trials` trials with `seed` under `method`: all cores, the
    /// scenario's correlations as they are, no precision control, no cancel flag and no
    /// progress.
    pub fn new(trials: u64, seed: u64, method: Method) -> Self {
        RunSpec {
            trials,
            seed,
            method,
            point_values: false,
            threads: None,
            repair_correlations: false,
            precision: None,
            cancel: None,
            progress: None,
            keep_sample: true,
        }
    }

    /// How the run's summary records its sampling.
    pub fn sampling(&self) -> Sampling {
        if self.point_values {
            Sampling::Deterministic
        } else {
            self.method.into()
        }
    }

    /// Engine options of a stretch of `trials` trials: threads, the cancel flag, and the
    /// stretch's progress counter.
    pub fn engine(&self, trials: u64) -> RunOptions<'a> {
        RunOptions {
            threads: self.threads,
            record_paths_below: 0,
            cancel: self.cancel,
            progress: self.progress.map(|p| p.stretch(trials)),
            statistics_only: !self.keep_sample && !self.point_values,
            ..RunOptions::default()
        }
    }

    /// The summary's configuration of a run of `trials` trials (no progress).
    pub fn config(&self, trials: u64) -> RunConfig<'a> {
        RunConfig {
            trials,
            seed: self.seed,
            sampling: self.sampling(),
            engine: RunOptions {
                threads: self.threads,
                ..RunOptions::default()
            },
        }
    }
}

/// Why a run could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    /// The scenario's correlations are not mutually consistent (and are not to be
    /// repaired).
    #[error("correlations: {0}")]
    Correlations(#[from] CorrelationError),
    /// The sampling design cannot be built (e.g. more trials than Sobol points allow).
    #[error("{0}")]
    Design(String),
    /// The engine stopped: a non-finite amount, an overflow, or the cancel flag.
    #[error(transparent)]
    Run(#[from] RunError),
}

/// The sampling design of `trials` trials of a scenario under the spec's method and seed,
/// joined by its correlations, with the notes of any repair (shown as warnings).
///
/// # Errors
/// [`SimulateError::Correlations`] or [`SimulateError::Design`].
pub fn design(
    s: &Scenario,
    spec: &RunSpec,
    trials: u64,
) -> Result<(Design, Vec<String>), SimulateError> {
    let names: Vec<String> = s.inputs.iter().map(|i| i.name.clone()).collect();
    let (copula, notes) = correlation::build(&s.correlations, &names, spec.repair_correlations)?;
    let d =
        Design::new(s, spec.seed, spec.method, trials, copula).map_err(SimulateError::Design)?;
    Ok((d, notes))
}

/// Run a scenario as the spec says and summarise it.
///
/// # Errors
/// A design that cannot be built, or the engine's error.
pub fn run(s: &Scenario, spec: &RunSpec) -> Result<RunResult, SimulateError> {
    run_plan(s, &Plan::compile(s), spec)
}

/// [`run`] on the scenario's compiled plan.
///
/// # Errors
/// As [`run`].
pub fn run_plan(s: &Scenario, plan: &Plan, spec: &RunSpec) -> Result<RunResult, SimulateError> {
    match &spec.precision {
        Some(target) if !spec.point_values => precision::run(s, plan, spec, target),
        _ => run_trials(s, plan, spec, spec.trials),
    }
}

/// One run of `trials` trials (the design's notes close the warnings).
pub(super) fn run_trials(
    s: &Scenario,
    plan: &Plan,
    spec: &RunSpec,
    trials: u64,
) -> Result<RunResult, SimulateError> {
    // The design is built for a point-value run too: its correlations are checked.
    let (design, notes) = design(s, spec, trials)?;
    let fixed = FixedSource {
        values: s.point_values(),
    };
    let source: &dyn TrialSource = if spec.point_values { &fixed } else { &design };
    let cfg = RunConfig {
        engine: spec.engine(trials),
        ..spec.config(trials)
    };
    let mut r = super::simulate_plan(s, plan, source, &cfg)?;
    r.summary.warnings.extend(notes);
    Ok(r)
}

/// The trial source of the spec's run of `trials` trials: its design, or the point values.
///
/// # Errors
/// As [`design`].
pub fn source(
    s: &Scenario,
    spec: &RunSpec,
    trials: u64,
) -> Result<Box<dyn TrialSource>, SimulateError> {
    let design = design(s, spec, trials)?.0;
    Ok(if spec.point_values {
        Box::new(FixedSource {
            values: s.point_values(),
        })
    } else {
        Box::new(design)
    })
}

/// The warning for a Sobol run whose trial count is not a power of two.
pub fn sobol_note(trials: u64) -> Option<String> {
    (!trials.is_power_of_two()).then(|| {
        format!(
            "Sobol points are balanced at powers of two; {} trials is not one (use {} or {})",
            crate::format::thousands(trials as f64, 0),
            crate::format::thousands(prev_power_of_two(trials) as f64, 0),
            crate::format::thousands((prev_power_of_two(trials) * 2) as f64, 0)
        )
    })
}

/// The largest power of two not above `n` (n ≥ 1).
pub fn prev_power_of_two(n: u64) -> u64 {
    1u64 << (63 - n.max(1).leading_zeros())
}
