//! Spider lines: the output's median as one input is fixed at each of its percentiles
//! 10, 20, …, 90 while every other input stays uncertain (common random numbers across
//! the points, so the lines are smooth).

use serde::Serialize;

use super::{Output, evaluate_metric};
use crate::accum::Metric;
use crate::distributions::{Dist, InputDist};
use crate::engine::{RunError, RunOptions};
use crate::model::Plan;
use crate::sampling::{Design, Method};
use crate::scenario::Scenario;
use crate::stats::percentile_sorted;

/// One input's line.
#[derive(Clone, Debug, Serialize)]
pub struct SpiderLine {
    /// Input.
    pub input: String,
    /// The input's value at each percentile.
    pub input_values: Vec<f64>,
    /// Output median at each percentile (None: payback beyond the horizon).
    pub medians: Vec<Option<f64>>,
}

/// The spider.
#[derive(Clone, Debug, Serialize)]
pub struct Spider {
    /// Percentiles (0..1).
    pub percentiles: Vec<f64>,
    /// Trials per point.
    pub trials: u64,
    /// Lines.
    pub lines: Vec<SpiderLine>,
}

/// Why a spider line cannot be drawn.
#[derive(Debug, thiserror::Error)]
pub enum SpiderError {
    /// A run failed.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The correlations left after fixing an input are not a valid matrix.
    #[error("with `{input}` fixed, the remaining correlations are inconsistent: {message}")]
    Correlation {
        /// The fixed input.
        input: String,
        /// What is wrong.
        message: String,
    },
    /// The input cannot be fixed at one of its percentiles.
    #[error("{0}")]
    Fix(String),
    /// The input is not in the scenario.
    #[error("unknown input `{0}`")]
    UnknownInput(String),
}

/// Lines for the named inputs. `repair` is the run's choice for correlation matrices that
/// are not positive semi-definite.
pub fn spider(
    s: &Scenario,
    inputs: &[String],
    output: Output,
    trials: u64,
    seed: u64,
    repair: bool,
    opts: &RunOptions,
) -> Result<Spider, SpiderError> {
    let percentiles: Vec<f64> = (1..=9).map(|p| p as f64 / 10.0).collect();
    let mut lines = Vec::new();
    for name in inputs {
        let i = s
            .input_index(name)
            .ok_or_else(|| SpiderError::UnknownInput(name.clone()))?;
        let mut input_values = Vec::new();
        let mut medians = Vec::new();
        for &p in &percentiles {
            let v = s.inputs[i].quantile(p);
            let mut out = run_fixed(s, name, v, output.metric(), trials, seed, repair, opts)?;
            out.sort_by(f64::total_cmp);
            let m = percentile_sorted(&out, 0.5);
            input_values.push(v);
            medians.push(if m.is_finite() { Some(m) } else { None });
        }
        lines.push(SpiderLine {
            input: name.clone(),
            input_values,
            medians,
        });
    }
    Ok(Spider {
        percentiles,
        trials,
        lines,
    })
}

/// `metric` over trials `0..trials` of a Monte Carlo run with input `name` fixed at `v`
/// and every other input uncertain. Draws are keyed by (seed, input, trial), so runs at
/// different values of `v` see the same draws of the other inputs (common random numbers)
/// unless those are correlated with `name`, whose correlations are dropped.
#[allow(clippy::too_many_arguments)]
pub fn run_fixed(
    s: &Scenario,
    name: &str,
    v: f64,
    metric: Metric,
    trials: u64,
    seed: u64,
    repair: bool,
    opts: &RunOptions,
) -> Result<Vec<f64>, SpiderError> {
    let i = s
        .input_index(name)
        .ok_or_else(|| SpiderError::UnknownInput(name.to_string()))?;
    let mut fixed = s.clone();
    fixed
        .set_input(name, InputDist::plain(Dist::Constant(v)))
        .map_err(SpiderError::Fix)?;
    // A fixed input leaves the copula's other members correlated among themselves.
    fixed.correlations.retain(|c| c.a != i && c.b != i);
    let names: Vec<String> = fixed.inputs.iter().map(|x| x.name.clone()).collect();
    let copula = crate::sampling::correlation::build(&fixed.correlations, &names, repair)
        .map_err(|e| SpiderError::Correlation {
            input: name.to_string(),
            message: e.to_string(),
        })?
        .0;
    let plan = Plan::compile(&fixed);
    let d = match Design::new(&fixed, seed, Method::Mc, trials, copula) {
        Ok(d) => d,
        // Only Sobol designs can fail to build.
        Err(_) => unreachable!("a Monte Carlo design always builds"),
    };
    Ok(evaluate_metric(&plan, &d, trials, metric, opts)?)
}
