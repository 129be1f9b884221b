//! The sensitivity analyses a command asks for, run in order on one scenario: the tornado,
//! one Monte Carlo run through the run service (rank correlation, value of information,
//! the decision rule), Sobol indices and spider lines, with the notes on method choices
//! that go with them.

use crate::accum::Metric;
use crate::engine::{RunError, RunOptions};
use crate::model::Plan;
use crate::sampling::{Copula, CorrelationError, correlation};
use crate::scenario::Scenario;
use crate::sensitivity::rule::{self, Rule, RuleError};
use crate::sensitivity::spider::SpiderError;
use crate::sensitivity::target::{self, Reruns, Target, TargetError};
use crate::sensitivity::{Output, SensitivityReport, rank, sobol, spider, tornado, voi};
use crate::simulate::{RunResult, RunSpec, SimulateError};

/// The rule explained by the report and by the decision-rule analysis when none is given.
pub const DEFAULT_RULE: &str = "payback <= 24";

/// Inputs whose threshold is searched (the most influential ones).
pub const TOP: usize = 3;

/// Which analyses to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// One input at a time at two percentiles.
    Tornado,
    /// Rank (Spearman) correlation on the Monte Carlo run.
    Rank,
    /// Sobol indices on their own design.
    Sobol,
    /// Value of information on the Monte Carlo run.
    Voi,
    /// Spider lines.
    Spider,
    /// The decision rule only.
    Target,
    /// Every analysis but the decision rule alone (it runs when a rule is given).
    All,
}

impl Method {
    /// Does asking for `self` run the analysis `m`?
    pub fn runs(self, m: Method) -> bool {
        (self == Method::All && m != Method::Target) || self == m
    }

    /// Does it need the Monte Carlo run (rank, value of information, spider)?
    fn needs_run(self) -> bool {
        [Method::Rank, Method::Voi, Method::Spider]
            .iter()
            .any(|m| self.runs(*m))
    }
}

/// What to analyse, and how finely.
#[derive(Clone, Debug)]
pub struct Request {
    /// The analyses.
    pub method: Method,
    /// The output analysed (value of information always uses NPV).
    pub output: Output,
    /// Tornado percentiles, low and high (0 < low < high < 1).
    pub low: f64,
    /// See `low`.
    pub high: f64,
    /// Sobol base rows N (N·(k+2) model runs).
    pub base_samples: u64,
    /// Bootstrap resamples of the Sobol intervals.
    pub bootstrap: usize,
    /// Trials per point of a spider line.
    pub spider_trials: u64,
    /// Inputs in the spider lines (the top ones by rank correlation).
    pub spider_inputs: usize,
    /// A decision rule to explain (None: no rule analysis).
    pub rule: Option<Rule>,
    /// The probability of the rule whose crossing the threshold search looks for.
    pub level: f64,
    /// Trials of each rerun of the threshold search.
    pub target_trials: u64,
}

/// Why an analysis failed.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// The scenario's correlations are not mutually consistent.
    #[error("correlations: {0}")]
    Correlations(#[from] CorrelationError),
    /// The Monte Carlo run failed.
    #[error(transparent)]
    Simulate(#[from] SimulateError),
    /// A tornado or Sobol run stopped.
    #[error(transparent)]
    Run(#[from] RunError),
    /// Rank correlations of ROI when it is undefined in some trials.
    #[error(
        "ROI is undefined in some trials (the present value of costs is 0 or negative there); analyse npv or payback instead"
    )]
    RoiUndefined,
    /// The spider lines failed.
    #[error("spider: {0}")]
    Spider(SpiderError),
    /// The decision-rule analysis failed.
    #[error(transparent)]
    Target(#[from] TargetError),
}

impl SensitivityReport {
    /// A report on `s` with no analysis yet.
    pub fn new(s: &Scenario, output: Output, trials: u64, seed: u64) -> Self {
        SensitivityReport {
            schema_version: 1,
            scenario: s.name.clone(),
            currency: s.currency.clone(),
            output,
            horizon_months: s.horizon,
            trials,
            trials_analysed: 0,
            seed,
            tornado: None,
            rank: None,
            sobol: None,
            voi: None,
            spider: None,
            target: None,
            notes: Vec::new(),
        }
    }
}

/// A decision rule parsed against a scenario's cost categories and checked against its
/// horizon.
///
/// # Errors
/// The rule's syntax, metric, or a threshold beyond the horizon.
pub fn rule_for(s: &Scenario, text: &str) -> Result<Rule, RuleError> {
    let plan = Plan::compile(s);
    rule::parse(text, &plan.categories).and_then(|r| r.check_horizon(s.horizon).map(|()| r))
}

/// Run the requested analyses; the Monte Carlo run (rank, value of information, spider,
/// the decision rule) is `spec`'s.
///
/// # Errors
/// See [`AnalysisError`].
pub fn analyse(
    s: &Scenario,
    spec: &RunSpec,
    req: &Request,
) -> Result<SensitivityReport, AnalysisError> {
    let opts = engine_options(spec);
    let mut notes = Vec::new();
    let names_all: Vec<String> = s.inputs.iter().map(|i| i.name.clone()).collect();
    // The Monte Carlo run's design joins the inputs by the same copula, with the same notes.
    let (copula, repairs) =
        correlation::build(&s.correlations, &names_all, spec.repair_correlations)?;
    if copula.is_some() {
        notes.push(
            "inputs are correlated: the tornado moves one input at a time with the others at their point values, so it ignores the correlations; rank correlations include what an input carries through its correlated partners, and their shares of Σρ² are not reported (they would count shared variation twice)"
                .into(),
        );
    }
    let mut rep = SensitivityReport::new(s, req.output, spec.trials, spec.seed);
    if req.method.runs(Method::Tornado) {
        rep.tornado = Some(tornado::tornado(s, req.output, req.low, req.high, &opts)?);
    }
    if req.method.needs_run() || req.rule.is_some() {
        let r = crate::simulate::run(s, spec)?;
        notes.extend(repairs);
        on_run(s, spec, req, &r, copula.is_some(), &mut rep, &mut notes)?;
    }
    if req.method.runs(Method::Sobol) {
        let sb = sobol::sobol(
            s,
            req.output,
            req.base_samples,
            req.bootstrap,
            spec.seed,
            copula.as_ref(),
            &opts,
        )?;
        rep.sobol = Some(sb);
        notes.extend(sobol_notes(s, req.output, copula.as_ref()));
    }
    if req.method.runs(Method::Spider) {
        spider_lines(s, spec, req, &opts, &mut rep)?;
    }
    rep.notes = notes;
    Ok(rep)
}

/// The analyses on the Monte Carlo run's kept trials: rank correlation, value of
/// information, the decision rule.
fn on_run(
    s: &Scenario,
    spec: &RunSpec,
    req: &Request,
    r: &RunResult,
    correlated: bool,
    rep: &mut SensitivityReport,
    notes: &mut Vec<String>,
) -> Result<(), AnalysisError> {
    rep.trials_analysed = r
        .sample
        .outputs
        .first()
        .map(|v| v.len() as u64)
        .unwrap_or(0);
    if rep.trials_analysed < spec.trials {
        notes.push(format!(
            "rank correlations and value of information use the first {} of the {} trials (a bounded sample keeps memory flat)",
            crate::format::count(rep.trials_analysed),
            crate::format::count(spec.trials)
        ));
    }
    let unc = s.uncertain_inputs();
    let names: Vec<String> = unc.iter().map(|i| s.inputs[*i].name.clone()).collect();
    let cols: Vec<&[f64]> = unc.iter().map(|i| r.sample.inputs[*i].as_slice()).collect();
    let m = req.method;
    if m.runs(Method::Rank) || m.runs(Method::Spider) {
        let y = r.sample.output(req.output.metric());
        if req.output == Output::Roi && y.iter().any(|v| !v.is_finite()) {
            return Err(AnalysisError::RoiUndefined);
        }
        rep.rank = Some(rank::rank(&names, &cols, y, !correlated));
        if req.output == Output::Payback {
            notes.push(
                "rank correlation: trials that do not pay back within the horizon rank last".into(),
            );
        }
    }
    if m.runs(Method::Voi) {
        rep.voi = Some(voi::voi(&names, &cols, r.sample.output(Metric::Npv)));
        notes.push(VOI_NOTE.into());
    }
    if let Some(rule) = &req.rule {
        let re = Reruns {
            scenario: s,
            trials: req.target_trials,
            seed: spec.seed,
            repair: spec.repair_correlations,
            opts: &engine_options(spec),
        };
        let t = explain_rule(s, r, rule, req.level, &re)?;
        notes.extend(rule_notes(s, &t));
        // A rule that every trial meets, or none does, has nothing to decide it.
        if t.probability == 0.0 || t.probability == 1.0 {
            notes.push(format!(
                "`{}` holds in {} of the {} trials analysed: no input decides it; choose a threshold inside the range the metric takes",
                t.rule,
                if t.probability == 1.0 { "all" } else { "none" },
                crate::format::count(t.trials)
            ));
        }
        rep.target = Some(t);
    }
    Ok(())
}

/// The note that goes with value of information.
pub const VOI_NOTE: &str =
    "value of information is for the decision \"deploy if expected NPV > 0\", in currency";

/// Engine options of the analyses' own runs: the spec's threads and cancel flag, no
/// progress.
fn engine_options<'a>(spec: &RunSpec<'a>) -> RunOptions<'a> {
    RunOptions {
        threads: spec.threads,
        record_paths_below: 0,
        cancel: spec.cancel,
        progress: None,
        ..RunOptions::default()
    }
}

/// The notes on Sobol indices of `output`.
fn sobol_notes(s: &Scenario, output: Output, copula: Option<&Copula>) -> Vec<String> {
    let mut notes = Vec::new();
    if output == Output::Payback {
        notes.push(format!(
            "Sobol indices use payback capped at the horizon ({} months)",
            s.horizon
        ));
    }
    if copula.is_some() {
        notes.push(
            "Sobol indices with correlated inputs: first-order indices are Var(E[output | input]) / Var(output) on the correlated trials (binned), including what each input carries through its correlated partners, so they can sum above 1; total-effect indices are not defined for dependent inputs and are not reported"
                .into(),
        );
    }
    notes
}

/// The spider lines of the top inputs by rank correlation (else the first inputs).
fn spider_lines(
    s: &Scenario,
    spec: &RunSpec,
    req: &Request,
    opts: &RunOptions,
    rep: &mut SensitivityReport,
) -> Result<(), AnalysisError> {
    let top: Vec<String> = match &rep.rank {
        Some(rows) => rows
            .iter()
            .take(req.spider_inputs)
            .map(|r| r.input.clone())
            .collect(),
        None => s
            .uncertain_inputs()
            .iter()
            .take(req.spider_inputs)
            .map(|i| s.inputs[*i].name.clone())
            .collect(),
    };
    let sp = spider::spider(
        s,
        &top,
        req.output,
        req.spider_trials,
        spec.seed,
        spec.repair_correlations,
        opts,
    )
    .map_err(|e| match e {
        SpiderError::Run(e) => AnalysisError::Run(e),
        other => AnalysisError::Spider(other),
    })?;
    rep.spider = Some(sp);
    // The rank correlations the spider lines were chosen by are shown only when asked for.
    if req.method == Method::Spider {
        rep.rank = None;
    }
    Ok(())
}

/// What decides whether `rule` holds, on a run's kept trials (also what the report runs).
///
/// # Errors
/// The analysis's own, or a rerun's engine error.
pub fn explain_rule(
    s: &Scenario,
    r: &RunResult,
    rule: &Rule,
    level: f64,
    re: &Reruns,
) -> Result<Target, TargetError> {
    let unc = s.uncertain_inputs();
    let names: Vec<String> = unc.iter().map(|i| s.inputs[*i].name.clone()).collect();
    let cols: Vec<&[f64]> = unc.iter().map(|i| r.sample.inputs[*i].as_slice()).collect();
    let y = r.sample.output(rule.metric);
    target::target(&names, &cols, y, rule, level, TOP, re)
}

/// The method notes of a decision-rule analysis.
pub fn rule_notes(s: &Scenario, t: &Target) -> Vec<String> {
    let mut n = vec![format!(
        "decision rule: trials split by `{}` ({} trials); KS p-values are asymptotic (Kolmogorov's limit law with Stephens' correction), conservative for inputs with ties; decile probabilities are on the same trials; thresholds of the top {TOP} inputs by bisection over each input's P1–P99, {} trials a rerun with common random numbers",
        t.rule,
        crate::format::thousands(t.trials as f64, 0),
        crate::format::thousands(t.threshold_trials as f64, 0),
    )];
    if !s.correlations.is_empty() {
        n.push("decision rule with correlated inputs: the KS distances and deciles include what an input carries through its partners; the threshold search fixes an input and drops its correlations".into());
    }
    n
}
