//! Sensitivity analysis (docs/MODEL.md "Sensitivity"): which uncertainty drives the output, and
//! which is worth measuring before deciding. [`analysis`] runs the ones a command asks for.
//!
//! - [`tornado`]: one input at a time at its P10 and P90, the others at their point values.
//! - [`rank`]: Spearman correlation of each input's draws with the output over one Monte
//!   Carlo run (censored paybacks rank last), and shares of the squared correlations
//!   (independent inputs only).
//! - [`sobol`]: first-order (Saltelli 2010) and total (Jansen 1999) indices on an
//!   A/B/AB_i design, with bootstrap 95% intervals.
//! - [`voi`]: EVPI and per-input partial EVPI by binning trials on the input's rank.
//! - [`spider`]: the output's median as one input moves through its percentiles.
//! - [`target`]: what drives a decision rule (`payback <= 24`): Monte Carlo filtering, the
//!   rule's probability with each input in its lowest or highest decile, and the value of
//!   each top input at which the probability crosses a level ([`rule`] parses the rule).

pub mod analysis;
pub mod dependent;
pub mod rank;
pub mod rule;
pub mod sobol;
pub mod spider;
pub mod target;
pub mod tornado;
pub mod voi;

use std::str::FromStr;

use crate::accum::Metric;
use crate::engine::{self, BatchOut, RunError, RunOptions, Sink, TrialSource};
use crate::model::Plan;
use crate::model::program::Col;

/// Everything `sensitivity` computes (the JSON object).
#[derive(Debug, serde::Serialize)]
pub struct SensitivityReport {
    /// Wire format version of the sensitivity JSON.
    pub schema_version: u32,
    /// Scenario name.
    pub scenario: String,
    /// Currency.
    pub currency: String,
    /// Output analysed.
    pub output: Output,
    /// Horizon.
    pub horizon_months: u32,
    /// Monte Carlo trials used by rank and voi.
    pub trials: u64,
    /// Trials of that run whose draws were kept for rank and voi.
    pub trials_analysed: u64,
    /// Seed.
    pub seed: u64,
    /// Tornado.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tornado: Option<tornado::Tornado>,
    /// Rank correlations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<Vec<rank::RankRow>>,
    /// Sobol indices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sobol: Option<sobol::SobolIndices>,
    /// Value of information.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voi: Option<voi::Voi>,
    /// Spider lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spider: Option<spider::Spider>,
    /// What drives a decision rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<target::Target>,
    /// Notes on method choices.
    pub notes: Vec<String>,
}

/// The output analysed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Output {
    /// Payback period (months; ∞ = censored).
    Payback,
    /// NPV.
    Npv,
    /// ROI.
    Roi,
    /// TCO.
    Tco,
}

impl FromStr for Output {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "payback" => Ok(Output::Payback),
            "npv" => Ok(Output::Npv),
            "roi" => Ok(Output::Roi),
            "tco" => Ok(Output::Tco),
            _ => Err(format!(
                "unknown output `{s}`: use payback, npv, roi or tco"
            )),
        }
    }
}

impl Output {
    /// Name.
    pub fn name(&self) -> &'static str {
        match self {
            Output::Payback => "payback",
            Output::Npv => "npv",
            Output::Roi => "roi",
            Output::Tco => "tco",
        }
    }

    /// Axis label.
    pub fn label(&self, currency: &str) -> String {
        match self {
            Output::Payback => "payback (months)".into(),
            Output::Npv => format!("NPV ({currency})"),
            Output::Roi => "ROI".into(),
            Output::Tco => format!("TCO ({currency})"),
        }
    }

    /// The metric of the registry this output is.
    pub fn metric(&self) -> Metric {
        match self {
            Output::Payback => Metric::Payback,
            Output::Npv => Metric::Npv,
            Output::Roi => Metric::Roi,
            Output::Tco => Metric::Tco,
        }
    }

    /// The column of a batch holding this output.
    pub fn col<'a>(&self, b: &'a BatchOut) -> &'a Col {
        self.metric().col(b)
    }
}

/// Collects one metric per trial, in order.
struct Collect(Metric, Vec<f64>);

impl Sink for Collect {
    fn absorb(&mut self, b: &BatchOut) {
        self.1.extend_from_slice(&self.0.col(b)[..b.len]);
    }
}

/// Evaluate `output` for trials `0..n` of a source, in trial order.
pub fn evaluate(
    plan: &Plan,
    source: &dyn TrialSource,
    n: u64,
    output: Output,
    opts: &RunOptions,
) -> Result<Vec<f64>, RunError> {
    evaluate_metric(plan, source, n, output.metric(), opts)
}

/// Evaluate any metric of the registry for trials `0..n` of a source, in trial order.
pub fn evaluate_metric(
    plan: &Plan,
    source: &dyn TrialSource,
    n: u64,
    metric: Metric,
    opts: &RunOptions,
) -> Result<Vec<f64>, RunError> {
    let mut all = Vec::with_capacity(n as usize);
    engine::run_fold(
        plan,
        source,
        0..n,
        opts,
        |_| Collect(metric, Vec::new()),
        |c| all.extend(c.1),
    )?;
    Ok(all)
}

/// Trials given as explicit rows of input values (tornado ends, fixed points).
pub struct Rows {
    /// `rows[trial][input]`.
    pub rows: Vec<Vec<f64>>,
}

impl TrialSource for Rows {
    fn fill(&self, start: u64, _len: usize, inputs: &mut [Col]) {
        let last = self.rows.len().saturating_sub(1);
        for (i, col) in inputs.iter_mut().enumerate() {
            for (l, x) in col.iter_mut().enumerate() {
                let r = (start as usize + l).min(last);
                *x = self
                    .rows
                    .get(r)
                    .and_then(|row| row.get(i))
                    .copied()
                    .unwrap_or(0.0);
            }
        }
    }
}
