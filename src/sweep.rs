//! Parameter sweeps (`payback sweep`): run a scenario at every point of a grid of one or
//! two parameters, with common random numbers across the points, and find break-even
//! values.
//!
//! A parameter is an input (fixed at each grid value: the sweep answers "what if we knew it
//! was x"), `horizon_months`, `discount_rate`, or the start month of a line item, written
//! `start:ITEM NAME` (a delayed roll-out; the item's end moves with it). Every point runs the
//! same trials with the same seed, so the other inputs take the same values at every point
//! and differences between points are not Monte Carlo noise.
//!
//! Break-evens of one varied parameter: where the median payback crosses 12 and 24 months
//! and where E[NPV] crosses 0, found by linear interpolation between the grid points that
//! bracket the crossing and refined by bisection (re-running at midpoints). A median payback
//! beyond the horizon counts as +∞. For a start month, the cost of delay is the
//! least-squares slope of E[NPV] per month of delay.
//!
//! With several scenarios (the same grid for each), the sweep also says which one is
//! cheapest (lowest E[TCO]) and best (highest E[NPV]) at each point, and where that changes.
//!
//! The module is pure: the caller supplies an evaluator that runs one scenario and returns
//! its [`Summary`].

use std::fmt::Write as _;

use serde::Serialize;

use crate::distributions::{Dist, InputDist};
use crate::engine::RunError;
use crate::format;
use crate::scenario::Scenario;
use crate::summary::Summary;

/// Version of the `sweep.json` wire format.
pub const SCHEMA_VERSION: u32 = 2;
/// Most grid points per parameter.
pub const MAX_STEPS: usize = 201;
/// Most runs of a bisection (the brief's "about 20 iterations").
pub const MAX_BISECTIONS: usize = 20;
/// Bisection stops when the bracket is narrower than this share of the swept range.
pub const BRACKET_TOLERANCE: f64 = 1e-3;

/// A failure of a sweep.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// A bad parameter or grid value (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// The engine failed.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The engine failed in a scenario at a grid point (`context` names both).
    #[error("{context}: {error}")]
    RunIn {
        /// File and grid point, e.g. `s.toml at users = 100`.
        context: String,
        /// What the engine reported.
        error: RunError,
    },
}

/// What is varied.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Param {
    /// An input, fixed at each grid value.
    Input(String),
    /// `horizon_months`.
    HorizonMonths,
    /// `discount_rate` (annual).
    DiscountRate,
    /// The start month of the line item(s) with this name.
    Start(String),
}

impl Param {
    /// Integer-valued parameters (months).
    pub fn integer(&self) -> bool {
        matches!(self, Param::HorizonMonths | Param::Start(_))
    }

    /// Label for tables and charts.
    pub fn label(&self) -> String {
        match self {
            Param::Input(n) => n.clone(),
            Param::HorizonMonths => "horizon in months".into(),
            Param::DiscountRate => "annual discount rate".into(),
            Param::Start(i) => format!("start month of “{i}”"),
        }
    }

    /// The name as written after `--vary` (`users`, `horizon_months`, `start:ITEM`).
    pub fn short_name(&self) -> String {
        match self {
            Param::Input(n) => n.clone(),
            Param::HorizonMonths => "horizon_months".into(),
            Param::DiscountRate => "discount_rate".into(),
            Param::Start(i) => format!("start:{i}"),
        }
    }

    /// A value of this parameter as people read it: a discount rate as `10.0%/yr` (as
    /// `payback run` prints it), anything else by [`format::grid_value`].
    pub fn value_text(&self, v: f64) -> String {
        match self {
            Param::DiscountRate => format::rate_per_year(v),
            _ => format::grid_value(v),
        }
    }

    /// Short label for table headers.
    pub fn short(&self) -> String {
        match self {
            Param::Input(n) => n.clone(),
            Param::HorizonMonths => "horizon".into(),
            Param::DiscountRate => "rate".into(),
            Param::Start(_) => "start".into(),
        }
    }
}

/// One `--vary NAME=FROM:TO:STEPS`.
#[derive(Clone, Debug, Serialize)]
pub struct Vary {
    /// The parameter.
    pub param: Param,
    /// As written.
    pub spec: String,
    /// First value.
    pub from: f64,
    /// Last value.
    pub to: f64,
    /// Number of grid points (≥ 2).
    pub steps: usize,
    /// The grid values, from `from` to `to` inclusive, evenly spaced.
    pub values: Vec<f64>,
}

/// Parse `NAME=FROM:TO:STEPS`. NAME is an input, `horizon_months`, `discount_rate` or
/// `start:ITEM NAME`.
pub fn parse_vary(spec: &str) -> Result<Vary, String> {
    let usage = "expected NAME=FROM:TO:STEPS, e.g. users=100:3000:15, discount_rate=0.05:0.15:5 or 'start:Time saved=1:12:12'";
    let Some((name, range)) = spec.rsplit_once('=') else {
        return Err(format!("--vary `{spec}`: {usage}"));
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("--vary `{spec}`: the name is missing; {usage}"));
    }
    let parts: Vec<&str> = range.split(':').map(str::trim).collect();
    if parts.len() != 3 {
        return Err(format!("--vary `{spec}`: {usage}"));
    }
    let num = |s: &str, what: &str| -> Result<f64, String> {
        s.replace('_', "")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("--vary `{spec}`: {what} `{s}` is not a number"))
    };
    let from = num(parts[0], "FROM")?;
    let to = num(parts[1], "TO")?;
    let steps: usize = parts[2].parse().map_err(|_| {
        format!(
            "--vary `{spec}`: STEPS `{}` must be a whole number of grid points (≥ 2)",
            parts[2]
        )
    })?;
    if !(2..=MAX_STEPS).contains(&steps) {
        return Err(format!(
            "--vary `{spec}`: STEPS is the number of grid points and must be from 2 to {MAX_STEPS} (got {steps})"
        ));
    }
    if from == to {
        return Err(format!(
            "--vary `{spec}`: FROM and TO are equal; give a range"
        ));
    }
    let param = if let Some(item) = name.strip_prefix("start:") {
        let item = item.trim();
        if item.is_empty() {
            return Err(format!(
                "--vary `{spec}`: write a line item's start as start:ITEM NAME"
            ));
        }
        Param::Start(item.to_string())
    } else if name == "horizon_months" {
        Param::HorizonMonths
    } else if name == "discount_rate" {
        Param::DiscountRate
    } else {
        Param::Input(name.to_string())
    };
    let values: Vec<f64> = (0..steps)
        .map(|k| {
            if k + 1 == steps {
                to
            } else {
                from + (to - from) * k as f64 / (steps - 1) as f64
            }
        })
        .collect();
    let integer = param.integer();
    if integer {
        if let Some(v) = values.iter().find(|v| (*v - v.round()).abs() > 1e-9) {
            let n = (to - from).abs() + 1.0;
            let hint = if n.fract() == 0.0 && n >= 2.0 {
                format!(" (e.g. {}:{}:{})", from, to, n as u64)
            } else {
                String::new()
            };
            return Err(format!(
                "--vary `{spec}`: months must be whole numbers, but the grid has {}; choose STEPS so that the points fall on whole months{hint}",
                format::grid_value(*v)
            ));
        }
        if values.iter().any(|v| *v < 0.0) {
            return Err(format!("--vary `{spec}`: months cannot be negative"));
        }
    }
    Ok(Vary {
        param,
        spec: spec.to_string(),
        from,
        to,
        steps,
        values: values
            .into_iter()
            .map(|v| if integer { v.round() } else { v })
            .collect(),
    })
}

/// Where a break-even or crossover lies: `at 977.3`, `at 7.5%/yr`; for whole months, which
/// two months it lies between (`between month 6 and 7`, `between 24 and 25 months`), since
/// a start month or a horizon is never 6.4.
pub fn crossing_at(p: &Param, v: f64) -> String {
    if !p.integer() || !v.is_finite() {
        return format!("at {}", p.value_text(v));
    }
    let m = v.floor();
    match p {
        Param::HorizonMonths => format!(
            "between {} and {} months",
            format::grid_value(m),
            format::grid_value(m + 1.0)
        ),
        _ => format!(
            "between month {} and {}",
            format::grid_value(m),
            format::grid_value(m + 1.0)
        ),
    }
}

/// One side of a break-even: `users ≥ 977.3`; for whole months the whole months on that
/// side and where the break-even lies (`start month of “X” ≤ 6 (break-even between month 6
/// and 7)`).
fn side_of(p: &Param, v: f64, above: bool) -> String {
    let label = p.label();
    let sign = if above { "≥" } else { "≤" };
    if !p.integer() || !v.is_finite() {
        return format!("{label} {sign} {}", p.value_text(v));
    }
    let m = if above { v.floor() + 1.0 } else { v.floor() };
    format!(
        "{label} {sign} {} (break-even {})",
        format::grid_value(m),
        crossing_at(p, v)
    )
}

/// Check that a parameter applies to a scenario; returns notes to show the user.
pub fn check_param(s: &Scenario, file: &str, p: &Param) -> Result<Vec<String>, String> {
    let mut notes = Vec::new();
    match p {
        Param::Input(name) => {
            let Some(i) = s.input_index(name) else {
                let names: Vec<&str> = s.inputs.iter().map(|i| i.name.as_str()).collect();
                let hint = match crate::expr::nearest(name, names.iter().copied()) {
                    Some(n) => format!(" (did you mean `{n}`?)"),
                    None => String::new(),
                };
                return Err(format!(
                    "{file}: no input named `{name}`{hint}; --vary takes an input, horizon_months, discount_rate or start:ITEM NAME"
                ));
            };
            let input = &s.inputs[i];
            if input.is_uncertain() {
                notes.push(format!(
                    "`{name}` is uncertain in {file} ({}); the sweep fixes it at each grid value",
                    input.dist.describe()
                ));
            }
            if s.correlations.iter().any(|c| c.a == i || c.b == i) {
                notes.push(format!(
                    "`{name}` is correlated with other inputs in {file}; those correlations are dropped while it is fixed"
                ));
            }
        }
        Param::Start(item) => {
            let n = s.items.iter().filter(|it| it.name == *item).count();
            if n == 0 {
                let names: Vec<&str> = s.items.iter().map(|i| i.name.as_str()).collect();
                let hint = match crate::expr::nearest(item, names.iter().copied()) {
                    Some(m) => format!(" (did you mean `{m}`?)"),
                    None => String::new(),
                };
                return Err(format!(
                    "{file}: no line item named `{item}`{hint}; line items: {}",
                    names.join(", ")
                ));
            }
            if n > 1 {
                notes.push(format!(
                    "{n} line items in {file} are named `{item}`; the sweep moves all of them"
                ));
            }
            notes.push(format!(
                "moving `{item}` does not move the adoption curve or `month`/`year` in its amount (they stay counted from go-live), so a later start drops its first months rather than shifting its ramp-up"
            ));
        }
        Param::HorizonMonths | Param::DiscountRate => {}
    }
    Ok(notes)
}

/// Check every grid value against a scenario before any run (e.g. an adoption peak above
/// 1, a start month after the horizon).
pub fn check_values(s: &Scenario, file: &str, varies: &[Vary]) -> Result<(), String> {
    let longest = varies
        .iter()
        .find(|v| v.param == Param::HorizonMonths)
        .and_then(|v| v.values.iter().copied().reduce(f64::max));
    for v in varies {
        for &x in &v.values {
            let mut c = s.clone();
            if let (Some(h), Param::Start(_)) = (longest, &v.param) {
                c.horizon = h.round().clamp(1.0, 600.0) as u32;
            }
            apply(&mut c, &v.param, x).map_err(|e| format!("{file}: --vary {}: {e}", v.spec))?;
        }
    }
    Ok(())
}

/// Set a parameter to a value in a scenario.
pub fn apply(s: &mut Scenario, p: &Param, v: f64) -> Result<(), String> {
    match p {
        Param::Input(name) => {
            let i = s
                .input_index(name)
                .ok_or_else(|| format!("no input named `{name}`"))?;
            if s.adoption.peak == crate::scenario::Param::Input(i) && !(0.0..=1.0).contains(&v) {
                return Err(format!(
                    "{name} = {} but {name} is the adoption peak, a share of users: grid values must lie within 0 to 1",
                    format::grid_value(v)
                ));
            }
            if s.adoption.months_to_peak == crate::scenario::Param::Input(i) && v < 0.0 {
                return Err(format!(
                    "{name} = {} but {name} is adoption.months_to_peak: grid values cannot be negative",
                    format::grid_value(v)
                ));
            }
            s.set_input(name, InputDist::plain(Dist::Constant(v)))
                .map_err(|e| format!("{name} = {}: {e}", format::grid_value(v)))?;
            // A fixed input takes no part in the copula.
            s.correlations.retain(|c| c.a != i && c.b != i);
        }
        Param::HorizonMonths => {
            if !(1.0..=600.0).contains(&v) {
                return Err(format!(
                    "horizon_months = {}: the horizon must be from 1 to 600 months",
                    format::grid_value(v)
                ));
            }
            s.horizon = v.round() as u32;
        }
        Param::DiscountRate => {
            if !(-0.5..=10.0).contains(&v) {
                return Err(format!(
                    "discount_rate = {}: not a plausible annual rate (give e.g. 0.10 for 10%)",
                    format::grid_value(v)
                ));
            }
            s.discount_rate = v;
        }
        Param::Start(item) => {
            let m = v.round();
            if m < 0.0 || m > s.horizon as f64 {
                return Err(format!(
                    "start of `{item}` = {}: must be a month from 0 to the horizon ({})",
                    format::grid_value(v),
                    s.horizon
                ));
            }
            for it in s.items.iter_mut().filter(|it| it.name == *item) {
                it.timing = it.timing.shifted_to(m as u32);
            }
        }
    }
    Ok(())
}

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
    fn new(values: Vec<f64>, s: &Summary) -> Self {
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
    fn of(&self, p: &Point) -> f64 {
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
    pub sampling: String,
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
    pub sampling: String,
    /// Refine break-evens by bisection (else interpolation only).
    pub refine: bool,
}

/// Runs one scenario and summarises it (the caller's engine set-up, same seed every time).
pub type Evaluator<'e> = dyn FnMut(&Scenario) -> Result<Summary, SweepError> + 'e;

/// The scenario at one grid point: `base` with each varied parameter set to its value.
///
/// # Errors
/// [`SweepError::Usage`] when a value cannot be applied (naming the `--vary`).
pub fn scenario_at(
    base: &Scenario,
    varies: &[Vary],
    values: &[f64],
) -> Result<Scenario, SweepError> {
    let mut s = base.clone();
    // Horizon first, so that a start month is checked against the swept horizon.
    let mut order: Vec<usize> = (0..varies.len()).collect();
    order.sort_by_key(|i| varies[*i].param != Param::HorizonMonths);
    for i in order {
        apply(&mut s, &varies[i].param, values[i])
            .map_err(|e| SweepError::Usage(format!("--vary {}: {e}", varies[i].spec)))?;
    }
    Ok(s)
}

fn evaluate_at(
    base: &Scenario,
    varies: &[Vary],
    values: &[f64],
    eval: &mut Evaluator,
) -> Result<Point, SweepError> {
    let s = scenario_at(base, varies, values)?;
    let summary = eval(&s).map_err(|e| match e {
        SweepError::Run(error @ (RunError::NonFinite { .. } | RunError::Overflow { .. })) => {
            let at: Vec<String> = varies
                .iter()
                .zip(values)
                .map(|(v, x)| format!("{} = {}", v.param.short_name(), format::grid_value(*x)))
                .collect();
            SweepError::RunIn {
                context: format!(
                    "{} at {}",
                    base.path
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| base.name.clone()),
                    at.join(", ")
                ),
                error,
            }
        }
        other => other,
    })?;
    Ok(Point::new(values.to_vec(), &summary))
}

/// The grid: every combination, the first parameter varying fastest.
pub fn grid(varies: &[Vary]) -> Vec<Vec<f64>> {
    match varies {
        [a] => a.values.iter().map(|v| vec![*v]).collect(),
        [a, b] => b
            .values
            .iter()
            .flat_map(|y| a.values.iter().map(move |x| vec![*x, *y]))
            .collect(),
        _ => Vec::new(),
    }
}

/// Linear interpolation of the zero of g between (a, ga) and (b, gb); the midpoint when a
/// value is infinite.
fn interp_zero(a: f64, ga: f64, b: f64, gb: f64) -> f64 {
    if ga.is_finite() && gb.is_finite() && ga != gb {
        (a + (0.0 - ga) * (b - a) / (gb - ga)).clamp(a.min(b), a.max(b))
    } else {
        (a + b) / 2.0
    }
}

/// Refine the zero of g (sign change between lo and hi, "side" = g > 0) by one
/// interpolation step then bisection. Returns (value, bracket, evaluations).
#[allow(clippy::too_many_arguments)]
fn refine(
    mut lo: f64,
    mut g_lo: f64,
    mut hi: f64,
    mut g_hi: f64,
    integer: bool,
    tol: f64,
    enabled: bool,
    g: &mut dyn FnMut(f64) -> Result<f64, SweepError>,
) -> Result<(f64, [f64; 2], usize), SweepError> {
    let mut evals = 0;
    let side = |v: f64| v > 0.0;
    let done = |lo: f64, hi: f64| {
        if integer {
            (hi - lo).abs() <= 1.0
        } else {
            (hi - lo).abs() < tol
        }
    };
    let mut first = true;
    while enabled && evals < MAX_BISECTIONS && !done(lo, hi) {
        let mut x = if first {
            interp_zero(lo, g_lo, hi, g_hi)
        } else {
            (lo + hi) / 2.0
        };
        first = false;
        if integer {
            x = x.round();
            if x <= lo.min(hi) || x >= lo.max(hi) {
                x = ((lo + hi) / 2.0).floor();
            }
        }
        if x <= lo.min(hi) || x >= lo.max(hi) {
            x = (lo + hi) / 2.0;
        }
        let gx = g(x)?;
        evals += 1;
        if side(gx) == side(g_lo) {
            lo = x;
            g_lo = gx;
        } else {
            hi = x;
            g_hi = gx;
        }
    }
    Ok((interp_zero(lo, g_lo, hi, g_hi), [lo, hi], evals))
}

fn statistic_words(st: Statistic, threshold: f64) -> (String, String) {
    match st {
        Statistic::PaybackP50 => (
            format!("median payback ≤ {} months", format::grid_value(threshold)),
            format!("median payback > {} months", format::grid_value(threshold)),
        ),
        Statistic::NpvMean => ("E[NPV] ≥ 0".into(), "E[NPV] < 0".into()),
        Statistic::TcoMean => ("E[TCO] lower".into(), "E[TCO] higher".into()),
    }
}

fn breakevens(
    base: &Scenario,
    vary: &Vary,
    points: &[Point],
    refine_on: bool,
    eval: &mut Evaluator,
) -> Result<(Vec<Breakeven>, Vec<String>), SweepError> {
    let mut out = Vec::new();
    let mut statements = Vec::new();
    let tol = BRACKET_TOLERANCE * (vary.to - vary.from).abs();
    for (st, threshold) in [
        (Statistic::PaybackP50, 12.0),
        (Statistic::PaybackP50, 24.0),
        (Statistic::NpvMean, 0.0),
    ] {
        // g > 0 is the bad side: payback longer than the threshold, or E[NPV] below 0.
        let g_of = |p: &Point| match st {
            Statistic::PaybackP50 => st.of(p) - threshold,
            _ => threshold - st.of(p),
        };
        let gs: Vec<f64> = points.iter().map(g_of).collect();
        let (good, bad) = statistic_words(st, threshold);
        let good = good.as_str();
        // A median payback exactly at the threshold, or E[NPV] exactly 0, counts as good.
        let bad_side = |g: f64| g > 0.0;
        for k in 0..points.len().saturating_sub(1) {
            let (a, b) = (vary.values[k], vary.values[k + 1]);
            let (ga, gb) = (gs[k], gs[k + 1]);
            if bad_side(ga) == bad_side(gb) {
                continue;
            }
            let interpolated = interp_zero(a, ga, b, gb);
            let mut f = |x: f64| -> Result<f64, SweepError> {
                let p = evaluate_at(base, std::slice::from_ref(vary), &[x], eval)?;
                Ok(g_of(&p))
            };
            let (value, bracket, evaluations) =
                refine(a, ga, b, gb, vary.param.integer(), tol, refine_on, &mut f)?;
            // Is the good side at larger parameter values?
            let good_above = if a < b { !bad_side(gb) } else { !bad_side(ga) };
            let sentence = format!(
                "{good} when {} (between grid points {} and {}{})",
                side_of(&vary.param, value, good_above),
                vary.param.value_text(a),
                vary.param.value_text(b),
                if evaluations > 0 {
                    format!("; refined by bisection, {evaluations} extra runs")
                } else {
                    "; interpolated".into()
                }
            );
            out.push(Breakeven {
                statistic: st,
                threshold,
                between: [a, b],
                interpolated,
                value,
                bracket,
                evaluations,
                good_above,
                sentence,
            });
        }
        if !points.is_empty() {
            statements.push(region_statement(
                vary,
                &gs.iter().map(|g| !bad_side(*g)).collect::<Vec<_>>(),
                &out.iter()
                    .filter(|b: &&Breakeven| b.statistic == st && b.threshold == threshold)
                    .collect::<Vec<_>>(),
                good,
                &bad,
            ));
        }
    }
    Ok((out, statements))
}

/// "median payback ≤ 12 months for users ≥ 977.3 …": the set of parameter values on the
/// good side, from the grid's sides and the crossings between them.
fn region_statement(
    vary: &Vary,
    good_at: &[bool],
    crossings: &[&Breakeven],
    good: &str,
    bad: &str,
) -> String {
    let label = vary.param.label();
    let (lo_r, hi_r) = (vary.from.min(vary.to), vary.from.max(vary.to));
    let first_good = if vary.from <= vary.to {
        good_at.first()
    } else {
        good_at.last()
    }
    .copied()
    .unwrap_or(false);
    let mut cross: Vec<f64> = crossings.iter().map(|b| b.value).collect();
    cross.sort_by(f64::total_cmp);
    let mut regions = Vec::new();
    let mut start = first_good.then_some(lo_r);
    for c in &cross {
        match start.take() {
            Some(s) => regions.push((s, *c)),
            None => start = Some(*c),
        }
    }
    if let Some(s) = start {
        regions.push((s, hi_r));
    }
    let range = format!(
        "{} to {}",
        vary.param.value_text(lo_r),
        vary.param.value_text(hi_r)
    );
    if regions.is_empty() {
        return format!("{bad} over the whole range of {label} ({range})");
    }
    if regions.len() == 1 && regions[0] == (lo_r, hi_r) {
        return format!("{good} over the whole range of {label} ({range})");
    }
    let pieces: Vec<String> = regions
        .iter()
        .map(|&(a, b)| {
            if a == lo_r {
                side_of(&vary.param, b, false)
            } else if b == hi_r {
                side_of(&vary.param, a, true)
            } else if vary.param.integer() {
                format!(
                    "{label} from {} to {} (break-evens {} and {})",
                    format::grid_value(a.floor() + 1.0),
                    format::grid_value(b.floor()),
                    crossing_at(&vary.param, a),
                    crossing_at(&vary.param, b)
                )
            } else {
                format!(
                    "{label} from {} to {}",
                    vary.param.value_text(a),
                    vary.param.value_text(b)
                )
            }
        })
        .collect();
    let runs: usize = crossings.iter().map(|b| b.evaluations).sum();
    let how = if runs > 0 {
        format!("interpolated between grid points, refined by bisection in {runs} extra runs")
    } else {
        "interpolated between grid points".to_string()
    };
    format!("{good} for {} (in {range}; {how})", pieces.join(" and "))
}

fn least_squares_slope(x: &[f64], y: &[f64]) -> Option<f64> {
    let pts: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(a, b)| (*a, *b))
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx == 0.0 { None } else { Some(sxy / sxx) }
}

fn cost_of_delay(item: &str, vary: &Vary, points: &[Point], currency: &str) -> CostOfDelay {
    let npv: Vec<f64> = points.iter().map(|p| p.npv_mean).collect();
    let slope = least_squares_slope(&vary.values, &npv).unwrap_or(f64::NAN);
    let pb: Vec<f64> = points
        .iter()
        .map(|p| p.payback_p50.unwrap_or(f64::NAN))
        .collect();
    let pb_slope = least_squares_slope(&vary.values, &pb);
    let cost = -slope;
    let k = points.len();
    let step = |i: usize| {
        -(points[i + 1].npv_mean - points[i].npv_mean) / (vary.values[i + 1] - vary.values[i])
    };
    let (first, last) = if k >= 2 {
        (step(0), step(k - 2))
    } else {
        (f64::NAN, f64::NAN)
    };
    let mut sentence = if cost >= 0.0 {
        format!(
            "Cost of delay: each month that “{item}” starts later costs about {} {currency} of expected NPV (least-squares slope over start months {} to {})",
            format::thousands(cost, 0),
            format::grid_value(vary.from),
            format::grid_value(vary.to)
        )
    } else {
        format!(
            "Delaying “{item}” raises expected NPV by about {} {currency} a month (least-squares slope over start months {} to {}): it is a net cost",
            format::thousands(-cost, 0),
            format::grid_value(vary.from),
            format::grid_value(vary.to)
        )
    };
    if k > 2 && (first - last).abs() > 0.1 * cost.abs() {
        let _ = write!(
            sentence,
            "; not constant: {} for the first month of delay on the grid, {} for the last",
            format::thousands(first, 0),
            format::thousands(last, 0)
        );
    }
    if let Some(s) = pb_slope {
        let _ = write!(
            sentence,
            "; the median payback moves {s:+.2} months per month of delay"
        );
    }
    sentence.push('.');
    CostOfDelay {
        item: item.to_string(),
        npv_slope_per_month: slope,
        cost_per_month: cost,
        first_step_cost_per_month: first,
        last_step_cost_per_month: last,
        payback_p50_slope_per_month: pb_slope,
        sentence,
    }
}

/// Run the sweep of every scenario.
///
/// # Errors
/// [`SweepError::Usage`] for a parameter that does not apply or a grid value a scenario
/// rejects; [`SweepError::Run`] from the engine.
pub fn sweep(
    inputs: &[SweepInput],
    varies: &[Vary],
    cfg: &SweepConfig,
    eval: &mut Evaluator,
) -> Result<SweepResult, SweepError> {
    if varies.is_empty() || varies.len() > 2 {
        return Err(SweepError::Usage(
            "give --vary once (a line chart and break-evens) or twice (a heatmap)".into(),
        ));
    }
    if varies.len() == 2 && varies[0].param == varies[1].param {
        return Err(SweepError::Usage(format!(
            "--vary {} and --vary {} vary the same parameter",
            varies[0].spec, varies[1].spec
        )));
    }
    let mut warnings = Vec::new();
    let points_grid = grid(varies);
    let mut out = Vec::new();
    for (si, inp) in inputs.iter().enumerate() {
        let mut notes = Vec::new();
        for v in varies {
            notes
                .extend(check_param(inp.scenario, &inp.file, &v.param).map_err(SweepError::Usage)?);
            if v.param == Param::HorizonMonths {
                // `run --horizon` refuses a horizon before an item's first month; a sweep of
                // the horizon keeps such points (the item simply falls outside them) but
                // says so, never silently.
                let shortest = v.from.min(v.to).round().max(1.0) as u32;
                let never = inp.scenario.items_after_horizon(shortest);
                if !never.is_empty() {
                    notes.push(format!(
                        "at horizons shorter than an item's first month that item does not count: {} (in {})",
                        never.join("; "),
                        inp.file
                    ));
                }
            }
        }
        let mut points = Vec::with_capacity(points_grid.len());
        for values in &points_grid {
            let p = evaluate_at(inp.scenario, varies, values, eval).map_err(|e| match e {
                SweepError::Usage(m) => SweepError::Usage(format!("{}: {m}", inp.file)),
                other => other,
            })?;
            points.push(p);
        }
        let (breakevens, no_crossing, cod) = if varies.len() == 1 {
            let (b, n) = breakevens(inp.scenario, &varies[0], &points, cfg.refine, eval)?;
            let cod = match &varies[0].param {
                Param::Start(item) => Some(cost_of_delay(
                    item,
                    &varies[0],
                    &points,
                    &inp.scenario.currency,
                )),
                _ => None,
            };
            (b, n, cod)
        } else {
            (Vec::new(), Vec::new(), None)
        };
        out.push(ScenarioSweep {
            key: crate::compare::key(si),
            name: inp.scenario.name.clone(),
            file: inp.file.clone(),
            notes,
            points,
            breakevens,
            statements: no_crossing,
            cost_of_delay: cod,
        });
    }
    // Several scenarios: leaders and crossovers.
    let mut leaders = Vec::new();
    let mut crossovers = Vec::new();
    let mut crossover_statements = Vec::new();
    if out.len() > 1 {
        for (k, values) in points_grid.iter().enumerate() {
            let tco: Vec<f64> = out.iter().map(|s| s.points[k].tco_mean).collect();
            let npv: Vec<f64> = out.iter().map(|s| s.points[k].npv_mean).collect();
            leaders.push(Leader {
                point: k,
                values: values.clone(),
                cheapest: pick_values(&tco, false),
                best_npv: pick_values(&npv, true),
            });
        }
        if varies.len() == 1 {
            let vary = &varies[0];
            let tol = BRACKET_TOLERANCE * (vary.to - vary.from).abs();
            let names: Vec<String> = out.iter().map(|o| o.name.clone()).collect();
            let short_names = crate::compare::chart_labels(&names);
            for st in [Statistic::TcoMean, Statistic::NpvMean] {
                let lead = |l: &Leader| -> Vec<usize> {
                    match st {
                        Statistic::TcoMean => l.cheapest.options.clone(),
                        _ => l.best_npv.options.clone(),
                    }
                };
                // Runs of grid points with the same leader(s): (leaders, first, last point).
                let mut runs: Vec<(Vec<usize>, usize, usize)> = Vec::new();
                for (k, l) in leaders.iter().enumerate() {
                    match runs.last_mut() {
                        Some(r) if r.0 == lead(l) => r.2 = k,
                        _ => runs.push((lead(l), k, k)),
                    }
                }
                // Where one leader gives way to another, find the crossing; a tie on either
                // side has no single crossing and is named as such below.
                let mut crossing = vec![None; runs.len()];
                for w in 1..runs.len() {
                    let (&[p], &[q]) = (runs[w - 1].0.as_slice(), runs[w].0.as_slice()) else {
                        continue;
                    };
                    let k = runs[w - 1].2;
                    let (a, b) = (vary.values[k], vary.values[k + 1]);
                    // g = how much better q is than p (> 0 where q leads).
                    let diff = |sp: &Point, sq: &Point| match st {
                        Statistic::TcoMean => sp.tco_mean - sq.tco_mean,
                        _ => sq.npv_mean - sp.npv_mean,
                    };
                    let ga = diff(&out[p].points[k], &out[q].points[k]);
                    let gb = diff(&out[p].points[k + 1], &out[q].points[k + 1]);
                    let interpolated = interp_zero(a, ga, b, gb);
                    let (sp, sq) = (inputs[p].scenario, inputs[q].scenario);
                    let mut f = |x: f64| -> Result<f64, SweepError> {
                        let pp = evaluate_at(sp, std::slice::from_ref(vary), &[x], eval)?;
                        let pq = evaluate_at(sq, std::slice::from_ref(vary), &[x], eval)?;
                        Ok(diff(&pp, &pq))
                    };
                    let (value, _, evaluations) = if ga.is_finite() && gb.is_finite() {
                        refine(a, ga, b, gb, vary.param.integer(), tol, cfg.refine, &mut f)?
                    } else {
                        (interpolated, [a, b], 0)
                    };
                    crossing[w] = Some(value);
                    crossovers.push(Crossover {
                        statistic: st,
                        from: p,
                        to: q,
                        between: [a, b],
                        interpolated,
                        value,
                        evaluations,
                    });
                }
                // One sentence per statistic: "A up to x, then B up to y, then C".
                if runs.is_empty() {
                    continue;
                }
                let what = match st {
                    Statistic::TcoMean => "Cheapest (lowest E[TCO])",
                    _ => "Best by expected NPV",
                };
                let label = vary.param.label();
                let mut named = vec![false; out.len()];
                let mut name = |i: usize| {
                    if std::mem::replace(&mut named[i], true) {
                        out[i].key.clone()
                    } else {
                        short_names[i].clone()
                    }
                };
                let mut who = |set: &[usize]| match set {
                    [] => "none".to_string(),
                    [i] => name(*i),
                    _ => {
                        let v: Vec<String> = set.iter().map(|i| name(*i)).collect();
                        format!("{} (tied)", v.join(" and "))
                    }
                };
                let mut s = format!(
                    "{what} as {label} goes from {} to {}: {}",
                    vary.param.value_text(vary.from),
                    vary.param.value_text(vary.to),
                    who(&runs[0].0)
                );
                if runs.len() == 1 {
                    s.push_str(" throughout");
                }
                for w in 1..runs.len() {
                    let lab = if w == 1 {
                        format!("{label} ")
                    } else {
                        String::new()
                    };
                    match crossing[w] {
                        Some(x) => {
                            let at = if vary.param.integer() {
                                crossing_at(&vary.param, x)
                            } else {
                                format!("≈ {}", vary.param.value_text(x))
                            };
                            let _ = write!(s, " until {lab}{at}, then {}", who(&runs[w].0));
                        }
                        None => {
                            // A tie on one side: the grid values where each run starts/ends.
                            let at = |k: usize| vary.param.value_text(vary.values[k]);
                            let (prev, this) = (&runs[w - 1], &runs[w]);
                            let single = |r: &(Vec<usize>, usize, usize)| r.1 == r.2;
                            if w == 1 || !single(prev) {
                                let _ = write!(s, " up to {lab}{}", at(prev.2));
                            }
                            let span = if single(this) && w + 1 < runs.len() {
                                format!("at {}", at(this.1))
                            } else {
                                format!("from {}", at(this.1))
                            };
                            let _ = write!(s, ", then {} {span}", who(&this.0));
                        }
                    }
                }
                s.push('.');
                crossover_statements.push(s);
            }
        } else {
            warnings.push(
                "with two parameters the leaders are listed per grid point; crossovers are found for one parameter only".into(),
            );
        }
    }
    let currency = inputs
        .first()
        .map(|i| i.scenario.currency.clone())
        .unwrap_or_default();
    Ok(SweepResult {
        schema_version: SCHEMA_VERSION,
        kind: "sweep".into(),
        trials: cfg.trials,
        seed: cfg.seed,
        sampling: cfg.sampling.clone(),
        currency,
        params: varies
            .iter()
            .map(|v| ParamOut {
                param: v.param.clone(),
                label: v.param.label(),
                spec: v.spec.clone(),
                values: v.values.clone(),
            })
            .collect(),
        scenarios: out,
        leaders,
        crossovers,
        crossover_statements,
        warnings,
    })
}

// ------------------------------------------------------------------------------------------
// Output
// ------------------------------------------------------------------------------------------

use crate::compare::{Pick, pick_values};
use crate::format::{months_or_beyond, pad_left, percent};

/// The sweep as terminal tables.
pub fn render_table(r: &SweepResult) -> String {
    let mut o = String::new();
    let money = |x: f64| format::thousands(x, 0);
    let ranges: Vec<String> = r
        .params
        .iter()
        .map(|p| {
            format!(
                "{} from {} to {} ({} points)",
                p.label,
                p.param.value_text(*p.values.first().unwrap_or(&f64::NAN)),
                p.param.value_text(*p.values.last().unwrap_or(&f64::NAN)),
                p.values.len()
            )
        })
        .collect();
    let _ = writeln!(
        o,
        "Sweep of {} · {} trials per point · seed {} · {} sampling · the same trials at every point (common random numbers) · {}",
        ranges.join(" × "),
        format::thousands(r.trials as f64, 0),
        r.seed,
        r.sampling,
        r.currency
    );
    let widths: Vec<usize> = r
        .params
        .iter()
        .map(|p| {
            p.values
                .iter()
                .map(|v| format::display_width(&p.param.value_text(*v)))
                .chain([format::display_width(&p.param.short())])
                .max()
                .unwrap_or(4)
                + 2
        })
        .collect();
    for sc in &r.scenarios {
        if r.scenarios.len() == 1 {
            let _ = writeln!(o, "\n{}   ({})", sc.name, sc.file);
        } else {
            let _ = writeln!(o, "\n{}  {}   ({})", sc.key, sc.name, sc.file);
        }
        let mut head = String::from(" ");
        for (p, w) in r.params.iter().zip(&widths) {
            head.push_str(&pad_left(&p.param.short(), *w));
        }
        let _ = writeln!(
            o,
            "{head}{:>9}{:>8}{:>8}{:>9}{:>9}{:>14}{:>14}{:>12}{:>14}",
            "pb P10",
            "P50",
            "P90",
            "P(≤ 12)",
            "P(≤ 24)",
            "NPV P50",
            "E[NPV]",
            "P(NPV < 0)",
            "E[TCO]"
        );
        for p in &sc.points {
            let mut row = String::from(" ");
            for ((v, w), q) in p.values.iter().zip(&widths).zip(&r.params) {
                row.push_str(&pad_left(&q.param.value_text(*v), *w));
            }
            let h = p.horizon_months;
            let _ = writeln!(
                o,
                "{row}{:>9}{:>8}{:>8}{:>9}{:>9}{:>14}{:>14}{:>12}{:>14}",
                months_or_beyond(p.payback_p10, h),
                months_or_beyond(p.payback_p50, h),
                months_or_beyond(p.payback_p90, h),
                percent(p.prob_payback_within_12.unwrap_or(f64::NAN)),
                percent(p.prob_payback_within_24.unwrap_or(f64::NAN)),
                money(p.npv_p50),
                money(p.npv_mean),
                percent(p.prob_npv_negative),
                money(p.tco_mean)
            );
        }
        if !sc.statements.is_empty() {
            let _ = writeln!(o, "  Break-even:");
            for b in &sc.statements {
                let _ = writeln!(o, "    {b}");
            }
        }
        if let Some(c) = &sc.cost_of_delay {
            let _ = writeln!(o, "  {}", c.sentence);
        }
        for n in &sc.notes {
            let _ = writeln!(o, "  note: {n}");
        }
    }
    if r.scenarios.len() > 1 && !r.leaders.is_empty() {
        let _ = writeln!(
            o,
            "\nCheapest and best at each point (E[TCO] and E[NPV], {}):",
            r.currency
        );
        let mut head = String::from(" ");
        for (p, w) in r.params.iter().zip(&widths) {
            head.push_str(&pad_left(&p.param.short(), *w));
        }
        for sc in &r.scenarios {
            head.push_str(&format!("{:>14}", format!("E[TCO] {}", sc.key)));
        }
        head.push_str(&format!("{:>10}", "cheapest"));
        for sc in &r.scenarios {
            head.push_str(&format!("{:>14}", format!("E[NPV] {}", sc.key)));
        }
        head.push_str(&format!("{:>8}", "best"));
        let _ = writeln!(o, "{head}");
        for l in &r.leaders {
            let mut row = String::from(" ");
            for ((v, w), q) in l.values.iter().zip(&widths).zip(&r.params) {
                row.push_str(&pad_left(&q.param.value_text(*v), *w));
            }
            for sc in &r.scenarios {
                row.push_str(&format!("{:>14}", money(sc.points[l.point].tco_mean)));
            }
            row.push_str(&format!("{:>10}", leader_keys(&l.cheapest)));
            for sc in &r.scenarios {
                row.push_str(&format!("{:>14}", money(sc.points[l.point].npv_mean)));
            }
            row.push_str(&format!("{:>8}", leader_keys(&l.best_npv)));
            let _ = writeln!(o, "{row}");
        }
        if r.leaders
            .iter()
            .any(|l| l.cheapest.options.len() > 1 || l.best_npv.options.len() > 1)
        {
            let _ = writeln!(
                o,
                "(A=B: tied, the same E[TCO] or E[NPV], as in `payback compare`)"
            );
        }
        for s in &r.crossover_statements {
            let _ = writeln!(o, "{s}");
        }
    }
    for w in &r.warnings {
        let _ = writeln!(o, "warning: {w}");
    }
    o
}

/// The keys of a leader pick, `=`-joined when they tie (`A=B`).
fn leader_keys(p: &Pick) -> String {
    if p.keys.is_empty() {
        "none".into()
    } else {
        p.keys.join("=")
    }
}

/// `sweep.json`.
pub fn to_json(r: &SweepResult) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(r).unwrap_or_default();
    v.push(b'\n');
    v
}

/// `sweep.csv`: one row per scenario and grid point.
pub fn to_csv(r: &SweepResult) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head: Vec<String> = vec!["scenario".into(), "file".into()];
    for p in &r.params {
        head.push(p.param.short_name());
    }
    for h in [
        "payback_p10",
        "payback_p50",
        "payback_p90",
        "prob_payback_within_12",
        "prob_payback_within_24",
        "prob_payback_within_horizon",
        "npv_mean",
        "npv_mean_se",
        "npv_p10",
        "npv_p50",
        "npv_p90",
        "prob_npv_negative",
        "tco_mean",
        "tco_p10",
        "tco_p50",
        "tco_p90",
        "option",
        "cheapest",
        "best_npv",
    ] {
        head.push(h.into());
    }
    let _ = w.write_record(&head);
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for sc in &r.scenarios {
        for (k, p) in sc.points.iter().enumerate() {
            let mut row: Vec<String> = vec![sc.name.clone(), sc.file.clone()];
            row.extend(p.values.iter().map(|v| v.to_string()));
            row.extend([
                opt(p.payback_p10),
                opt(p.payback_p50),
                opt(p.payback_p90),
                opt(p.prob_payback_within_12),
                opt(p.prob_payback_within_24),
                p.prob_payback_within_horizon.to_string(),
                p.npv_mean.to_string(),
                p.npv_mean_se.to_string(),
                p.npv_p10.to_string(),
                p.npv_p50.to_string(),
                p.npv_p90.to_string(),
                p.prob_npv_negative.to_string(),
                p.tco_mean.to_string(),
                p.tco_p10.to_string(),
                p.tco_p50.to_string(),
                p.tco_p90.to_string(),
                sc.key.clone(),
            ]);
            // The leaders at this point, with several scenarios (A=B: tied).
            match r.leaders.iter().find(|l| l.point == k) {
                Some(l) => row.extend([leader_keys(&l.cheapest), leader_keys(&l.best_npv)]),
                None => row.extend([String::new(), String::new()]),
            }
            let _ = w.write_record(&row);
        }
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_parses_inputs_keywords_and_item_starts() {
        let v = parse_vary("users=100:3000:15").unwrap();
        assert_eq!(v.param, Param::Input("users".into()));
        assert_eq!(v.values.len(), 15);
        assert_eq!(v.values[0], 100.0);
        assert_eq!(v.values[14], 3000.0);
        let v = parse_vary("start:沟通时间节省=0:12:13").unwrap();
        assert_eq!(v.param, Param::Start("沟通时间节省".into()));
        assert_eq!(v.values[5], 5.0);
        assert_eq!(
            parse_vary("horizon_months=24:60:4").unwrap().param,
            Param::HorizonMonths
        );
        assert_eq!(
            parse_vary("discount_rate=0.05:0.15:3").unwrap().values[1],
            0.1
        );
    }

    #[test]
    fn vary_rejects_bad_grids() {
        for bad in [
            "users",
            "users=1:2",
            "users=1:2:1",
            "users=a:2:3",
            "users=1:1:3",
            "=1:2:3",
            "start:x=0:12:6",
            "horizon_months=12:13:5",
        ] {
            assert!(parse_vary(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn interpolation_and_bisection_find_a_linear_zero() {
        let mut g = |x: f64| -> Result<f64, SweepError> { Ok(x * x - 2.0) };
        let (v, br, n) = refine(0.0, -2.0, 2.0, 2.0, false, 1e-6, true, &mut g).unwrap();
        assert!((v - 2f64.sqrt()).abs() < 1e-5, "{v}");
        assert!(br[1] - br[0] < 1e-3);
        assert!(n <= MAX_BISECTIONS);
    }

    #[test]
    fn least_squares_slope_of_a_line() {
        let s = least_squares_slope(&[0.0, 1.0, 2.0, 3.0], &[5.0, 3.0, 1.0, -1.0]).unwrap();
        assert!((s + 2.0).abs() < 1e-12);
    }
}
