//! What a sweep produces (`sweep.json`): the statistics at each grid point, break-evens,
//! cost of delay, leaders and crossovers among several scenarios.

use serde::Serialize;

use super::{Param, SweepError};
use crate::compare::Pick;
use crate::scenario::Scenario;
use crate::summary::{Sampling, Summary};

/// The statistics of one grid point.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// The parameter values, in `--vary` order.
    pub values: Vec<f64>,
    /// Payback P10 (None = beyond the horizon).
    pub payback_p10: Option<f64>,
    /// Payback P50.
    pub payback_p50: Option<f64>,
    /// Payback P90.
    pub payback_p90: Option<f64>,
    /// P(payback ≤ 12 months).
    pub prob_payback_within_12: Option<f64>,
    /// P(payback ≤ 24 months).
    pub prob_payback_within_24: Option<f64>,
    /// P(payback ≤ H).
    pub prob_payback_within_horizon: f64,
    /// E[NPV].
    pub npv_mean: f64,
    /// Its standard error.
    pub npv_mean_se: f64,
    /// NPV P10.
    pub npv_p10: f64,
    /// NPV P50.
    pub npv_p50: f64,
    /// NPV P90.
    pub npv_p90: f64,
    /// P(NPV < 0).
    pub prob_npv_negative: f64,
    /// E[TCO] over the horizon.
    pub tco_mean: f64,
    /// TCO P10.
    pub tco_p10: f64,
    /// TCO P50.
    pub tco_p50: f64,
    /// TCO P90.
    pub tco_p90: f64,
    /// The horizon at this point.
    pub horizon_months: u32,
}

impl Point {
    pub(super) fn new(values: Vec<f64>, s: &Summary) -> Self {
        Point {
            values,
            payback_p10: s.payback.pct.p10,
            payback_p50: s.payback.pct.p50,
            payback_p90: s.payback.pct.p90,
            prob_payback_within_12: s.payback.prob_within_12,
            prob_payback_within_24: s.payback.prob_within_24,
            prob_payback_within_horizon: s.payback.prob_within_horizon,
            npv_mean: s.npv.stats.mean,
            npv_mean_se: s.npv.stats.mean_se,
            npv_p10: s.npv.stats.pct.p10,
            npv_p50: s.npv.stats.pct.p50,
            npv_p90: s.npv.stats.pct.p90,
            prob_npv_negative: s.npv.prob_negative,
            tco_mean: s.tco.stats.mean,
            tco_p10: s.tco.stats.pct.p10,
            tco_p50: s.tco.stats.pct.p50,
            tco_p90: s.tco.stats.pct.p90,
            horizon_months: s.horizon_months,
        }
    }
}

/// Which statistic a break-even is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// Median payback (beyond the horizon = +∞).
    PaybackP50,
    /// E[NPV].
    NpvMean,
    /// E[TCO].
    TcoMean,
}

impl Statistic {
    pub(super) fn of(&self, p: &Point) -> f64 {
        match self {
            Statistic::PaybackP50 => p.payback_p50.unwrap_or(f64::INFINITY),
            Statistic::NpvMean => p.npv_mean,
            Statistic::TcoMean => p.tco_mean,
        }
    }
}

/// Where a statistic crosses a threshold as the (single) parameter varies.
#[derive(Clone, Debug, Serialize)]
pub struct Breakeven {
    /// The statistic.
    pub statistic: Statistic,
    /// The threshold (12 or 24 months, 0 currency units).
    pub threshold: f64,
    /// The two adjacent grid values that bracket the crossing.
    pub between: [f64; 2],
    /// Linear interpolation between them.
    pub interpolated: f64,
    /// The refined value (bisection, then interpolation inside the final bracket); equal to
    /// `interpolated` when not refined.
    pub value: f64,
    /// The final bracket.
    pub bracket: [f64; 2],
    /// Extra runs used to refine.
    pub evaluations: usize,
    /// Is the statistic on the good side (payback ≤ threshold, E[NPV] ≥ 0) above the value?
    pub good_above: bool,
    /// The break-even as a sentence.
    pub sentence: String,
}

/// Cost of delay of a line item's start (a single `start:ITEM` sweep).
#[derive(Clone, Debug, Serialize)]
pub struct CostOfDelay {
    /// The item.
    pub item: String,
    /// Least-squares slope of E[NPV] per month of later start (currency per month).
    pub npv_slope_per_month: f64,
    /// What one month of delay costs: −slope (negative = delay gains, e.g. for a cost item).
    pub cost_per_month: f64,
    /// E[NPV] lost by the first month of delay on the grid (first step, per month).
    pub first_step_cost_per_month: f64,
    /// E[NPV] lost by the last month of delay on the grid (last step, per month).
    pub last_step_cost_per_month: f64,
    /// Least-squares slope of median payback per month of delay (points beyond the horizon
    /// left out; None if fewer than two remain).
    pub payback_p50_slope_per_month: Option<f64>,
    /// The sentence.
    pub sentence: String,
}

/// One scenario's sweep.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioSweep {
    /// `A`, `B`, … (with several scenarios).
    pub key: String,
    /// Scenario name.
    pub name: String,
    /// File.
    pub file: String,
    /// Notes (uncertain input fixed, correlations dropped, …).
    pub notes: Vec<String>,
    /// Every grid point; with two parameters, the first varies fastest.
    pub points: Vec<Point>,
    /// Break-evens (one parameter only).
    pub breakevens: Vec<Breakeven>,
    /// One sentence per break-even statistic: where it is on the good side.
    pub statements: Vec<String>,
    /// Cost of delay (a single `start:` parameter).
    pub cost_of_delay: Option<CostOfDelay>,
}

/// The leader among several scenarios at one grid point.
#[derive(Clone, Debug, Serialize)]
pub struct Leader {
    /// Grid point index.
    pub point: usize,
    /// The parameter values.
    pub values: Vec<f64>,
    /// The scenario(s) with the lowest E[TCO]: several when they tie, by the rule of
    /// `compare` ([`crate::compare::pick_values`]).
    pub cheapest: Pick,
    /// The scenario(s) with the highest E[NPV] (several when they tie).
    pub best_npv: Pick,
}

/// Where the leader changes between two scenarios (one parameter, several scenarios).
#[derive(Clone, Debug, Serialize)]
pub struct Crossover {
    /// `tco_mean` (cheapest) or `npv_mean` (best).
    pub statistic: Statistic,
    /// The leader below the crossing.
    pub from: usize,
    /// The leader above it.
    pub to: usize,
    /// Grid values bracketing it.
    pub between: [f64; 2],
    /// Linear interpolation of the difference.
    pub interpolated: f64,
    /// Refined by bisection.
    pub value: f64,
    /// Extra runs (of both scenarios) used.
    pub evaluations: usize,
}

/// Output description of a parameter.
#[derive(Clone, Debug, Serialize)]
pub struct ParamOut {
    /// The parameter.
    pub param: Param,
    /// Label.
    pub label: String,
    /// As written on the command line.
    pub spec: String,
    /// Grid values.
    pub values: Vec<f64>,
}

impl ParamOut {
    /// How charts draw the parameter along an axis: its label and the factor its values
    /// are drawn at (a discount rate in percent a year, as the tables write it).
    pub fn axis(&self) -> (String, f64) {
        match self.param {
            Param::DiscountRate => (format!("{} (%)", self.label), 100.0),
            _ => (self.label.clone(), 1.0),
        }
    }

    /// The grid values as the axis draws them.
    pub fn axis_values(&self) -> Vec<f64> {
        let (_, k) = self.axis();
        self.values.iter().map(|v| v * k).collect()
    }
}

/// The result of `payback sweep` (`sweep.json`).
#[derive(Clone, Debug, Serialize)]
pub struct SweepResult {
    /// Wire format version.
    pub schema_version: u32,
    /// Always `"sweep"`.
    pub kind: String,
    /// Trials per grid point.
    pub trials: u64,
    /// The common seed.
    pub seed: u64,
    /// Sampling method.
    pub sampling: Sampling,
    /// Currency.
    pub currency: String,
    /// The varied parameters.
    pub params: Vec<ParamOut>,
    /// One sweep per scenario.
    pub scenarios: Vec<ScenarioSweep>,
    /// With several scenarios: the leader at each grid point.
    pub leaders: Vec<Leader>,
    /// With several scenarios and one parameter: where the leader changes.
    pub crossovers: Vec<Crossover>,
    /// Sentences about the crossovers.
    pub crossover_statements: Vec<String>,
    /// Things to know.
    pub warnings: Vec<String>,
}

/// One scenario to sweep.
pub struct SweepInput<'a> {
    /// The scenario (after `--horizon` / `--set`).
    pub scenario: &'a Scenario,
    /// The file, as written.
    pub file: String,
}

/// How to sweep.
#[derive(Clone, Debug)]
pub struct SweepConfig {
    /// Trials per point (recorded).
    pub trials: u64,
    /// Seed (recorded).
    pub seed: u64,
    /// Sampling (recorded).
    pub sampling: Sampling,
    /// Refine break-evens by bisection (else interpolation only).
    pub refine: bool,
}

/// Runs one scenario and summarises it (the caller's engine set-up, same seed every time).
pub type Evaluator<'e> = dyn FnMut(&Scenario) -> Result<Summary, SweepError> + 'e;
