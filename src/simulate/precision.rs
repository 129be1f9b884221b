//! Precision control: double a run's trials until the 95% intervals of P50 and P90 payback
//! are narrow enough in months, or that of mean NPV in a share of the mean, or the trial
//! limit is reached. Under Monte Carlo sampling one run grows (no trial runs twice); a
//! Latin hypercube or Sobol design depends on the total, so it is run again.

use super::spec::{RunSpec, SimulateError, design, prev_power_of_two, run_trials};
use super::{RunAcc, RunResult};
use crate::engine;
use crate::model::Plan;
use crate::sampling::{Design, Method};
use crate::scenario::Scenario;
use crate::summary::{self, Precision, PrecisionStop, Summary};

/// What precision control aims at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrecisionTarget {
    /// Half-width in months of the 95% intervals of P50 and P90 payback.
    pub months: Option<f64>,
    /// Half-width of the 95% interval of mean NPV, as a share of |mean NPV| (0.01 = 1%).
    pub npv_share: Option<f64>,
    /// Most trials run.
    pub max_trials: u64,
}

impl PrecisionTarget {
    /// The most trials under `method`: the limit, and under Sobol the power of two below
    /// it (where the points are balanced).
    pub fn limit(&self, method: Method) -> u64 {
        if method == Method::Sobol {
            prev_power_of_two(self.max_trials)
        } else {
            self.max_trials
        }
    }

    /// The trials of the first run when `trials` are asked for: within the limit, and under
    /// Sobol a power of two.
    pub fn first_trials(&self, trials: u64, method: Method) -> u64 {
        let t = trials.min(self.limit(method));
        if method == Method::Sobol {
            prev_power_of_two(t)
        } else {
            t
        }
    }

    /// Where a run of `trials` trials stands against the target: None while more trials
    /// may still meet it.
    fn judge(&self, sm: &Summary, trials: u64, method: Method) -> Option<Precision> {
        let (h50, h90) = (
            summary::half_width(sm.payback.ci.p50_ci),
            summary::half_width(sm.payback.ci.p90_ci),
        );
        let npv_rel = crate::stats::Z975 * sm.npv.stats.mean_se / sm.npv.stats.mean.abs();
        let ok_months = self
            .months
            .is_none_or(|p| h50.is_some_and(|h| h <= p) && h90.is_some_and(|h| h <= p));
        let met = ok_months && self.npv_share.is_none_or(|p| npv_rel <= p);
        // A percentile whose whole interval lies beyond the horizon has no half-width to
        // shrink: more trials cannot meet a target in months.
        let out_of_reach = self.months.is_some()
            && [sm.payback.ci.p50_ci, sm.payback.ci.p90_ci]
                .iter()
                .any(|c| c[0].is_none());
        let stop = if met {
            PrecisionStop::Met
        } else if out_of_reach {
            PrecisionStop::OutOfReach
        } else if trials >= self.limit(method) {
            PrecisionStop::Limit
        } else {
            return None;
        };
        Some(Precision {
            target_months: self.months,
            target_npv_relative: self.npv_share,
            p50_half_width: h50,
            p90_half_width: h90,
            npv_relative_half_width: npv_rel,
            met,
            max_trials: self.max_trials,
            stop,
        })
    }
}

/// Run with precision control: the result of the last run, its `precision` set. A target
/// out of reach adds a warning; one not met within the limit does not (the caller says
/// how to raise the limit).
///
/// # Errors
/// As [`super::spec::run`].
pub fn run(
    s: &Scenario,
    plan: &Plan,
    spec: &RunSpec,
    target: &PrecisionTarget,
) -> Result<RunResult, SimulateError> {
    let mut trials = target.first_trials(spec.trials, spec.method);
    let mut growing = (spec.method == Method::Mc)
        .then(|| Growing::start(s, plan, spec, trials))
        .transpose()?;
    let mut result = match &growing {
        Some(g) => g.result(s, plan, spec, trials),
        None => run_trials(s, plan, spec, trials)?,
    };
    loop {
        if let Some(p) = target.judge(&result.summary, trials, spec.method) {
            if p.stop == PrecisionStop::OutOfReach {
                result.summary.warnings.push(format!(
                    "precision target cannot be met: the P50 or P90 payback lies beyond the {}-month horizon, so its interval has no width to narrow; stopped at {} trials",
                    s.horizon,
                    crate::format::thousands(trials as f64, 0)
                ));
            }
            result.summary.precision = Some(p);
            return Ok(result);
        }
        let next = (trials * 2).min(target.limit(spec.method));
        result = match &mut growing {
            Some(g) => {
                g.extend(plan, spec, trials..next)?;
                g.result(s, plan, spec, next)
            }
            None => run_trials(s, plan, spec, next)?,
        };
        trials = next;
    }
}

/// One Monte Carlo run that precision control extends instead of re-running.
struct Growing {
    acc: RunAcc,
    design: Design,
    notes: Vec<String>,
}

impl Growing {
    fn start(
        s: &Scenario,
        plan: &Plan,
        spec: &RunSpec,
        trials: u64,
    ) -> Result<Self, SimulateError> {
        // A Monte Carlo design does not depend on the trial count.
        let (design, notes) = design(s, spec, trials)?;
        let mut g = Growing {
            acc: RunAcc::new(plan, trials, 1, spec.threads).statistics_only(!spec.keep_sample),
            design,
            notes,
        };
        g.extend(plan, spec, 0..trials)?;
        Ok(g)
    }

    /// Run the trials `range` (those that follow the ones run so far).
    fn extend(
        &mut self,
        plan: &Plan,
        spec: &RunSpec,
        range: std::ops::Range<u64>,
    ) -> Result<(), SimulateError> {
        self.acc.grow(range.end);
        let maker = self.acc.sinks();
        let acc = &mut self.acc;
        let opts = acc.options(&spec.engine(range.end - range.start));
        engine::run_fold(
            plan,
            &self.design,
            range,
            &opts,
            |start| maker.block_sink(start),
            |k| acc.merge_block(k),
        )?;
        Ok(())
    }

    fn result(&self, s: &Scenario, plan: &Plan, spec: &RunSpec, trials: u64) -> RunResult {
        let mut r = self.acc.result_so_far(s, plan, &spec.config(trials));
        r.summary.warnings.extend(self.notes.iter().cloned());
        r
    }
}
