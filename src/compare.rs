//! Comparing options side by side with common random numbers (`payback compare`).
//!
//! Every option is simulated with the same seed and trial indices. Draws are keyed by
//! (seed, input name, trial) (docs/MODEL.md "Reproducibility"), so an input that two scenarios
//! share — adoption, hourly cost, the company's size — takes the same value in trial *i* of
//! both: the options are compared on the same simulated futures, and statistics such as
//! "P(A has the higher NPV on the same trial)" are paired. A pair that differs only by a
//! fixed cost then has P(higher NPV) = 1 exactly, which independent runs would never show.
//!
//! This module is pure: it runs already-built trial sources and returns a [`Comparison`]
//! (serialised as `compare.json`), with renderers for the terminal table, CSV, charts and an
//! HTML fragment. Loading files and checking that they are comparable
//! ([`check_comparable`]) is the caller's job.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64};

use serde::Serialize;

use crate::accum::Metric;
use crate::charts::{
    self, BoxCompareData, BoxSeries, CdfCompareData, CdfSeries, ChartError, ChartFormat, ChartMeta,
};
use crate::engine::{RunError, RunOptions, TrialSource};
use crate::format::{self, NumberStyle};
use crate::model::Plan;
use crate::scenario::Scenario;
use crate::simulate::{RunConfig, RunResult, SAMPLE, Sample};
use crate::stats::{Moments, Z975};
use crate::summary::Summary;

mod state;
use state::PairAcc;
pub use state::{CompareState, compare_range};

// The paired statistics are sums over every trial (counts and moments of per-trial
// differences); only first-order dominance, which compares whole distributions, is judged
// on each option's kept sample of the first `SAMPLE` trials.

/// Version of the `compare.json` wire format.
pub const SCHEMA_VERSION: u32 = 1;

/// One option to compare: a scenario and its trial source (built with the common seed).
pub struct OptionInput<'a> {
    /// The scenario (after any `--horizon` / `--set`).
    pub scenario: &'a Scenario,
    /// Its trial source; every option's source must use the same seed.
    pub source: &'a dyn TrialSource,
    /// Where it was read from, as the user wrote it (for messages and the JSON).
    pub file: Option<String>,
    /// Notes from building the source (e.g. repaired correlations).
    pub notes: Vec<String>,
}

/// How to run a comparison.
pub struct CompareConfig<'a> {
    /// Trials per option.
    pub trials: u64,
    /// The common seed (recorded).
    pub seed: u64,
    /// Sampling label.
    pub sampling: String,
    /// Worker threads (None = all cores).
    pub threads: Option<usize>,
    /// Stop early when set.
    pub cancel: Option<&'a AtomicBool>,
    /// Counts finished trials.
    pub progress: Option<&'a AtomicU64>,
}

/// A mean difference with its 95% interval (mean ± 1.96 s.e. of the per-trial differences).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Difference {
    /// Mean of the per-trial differences.
    pub mean: f64,
    /// Standard error of that mean.
    pub se: f64,
    /// 95% interval.
    pub ci: [f64; 2],
}

/// One option's results.
#[derive(Clone, Debug, Serialize)]
pub struct OptionResult {
    /// Short key used in tables: `A`, `B`, …
    pub key: String,
    /// Display name (the scenario name; made unique with the file name when two agree).
    pub name: String,
    /// The file it came from.
    pub file: Option<String>,
    /// The full summary of `payback run` (schema_version 1).
    pub summary: Summary,
}

/// Paired statistics of two options over the same trials. "a" is `options[a]`.
#[derive(Clone, Debug, Serialize)]
pub struct PairResult {
    /// Index of the first option.
    pub a: usize,
    /// Index of the second option.
    pub b: usize,
    /// Key of the first option.
    pub a_key: String,
    /// Key of the second option.
    pub b_key: String,
    /// P(NPV_a > NPV_b) on the same trial (ties count for neither).
    pub prob_a_higher_npv: f64,
    /// P(NPV_b > NPV_a).
    pub prob_b_higher_npv: f64,
    /// P(payback_a < payback_b) on the same trial; a trial that does not pay back counts as
    /// +∞, so two censored trials tie.
    pub prob_a_shorter_payback: f64,
    /// P(payback_b < payback_a).
    pub prob_b_shorter_payback: f64,
    /// P(NPV_a > NPV_b and payback_a < payback_b) on the same trial.
    pub prob_a_better_on_both: f64,
    /// P(NPV_b > NPV_a and payback_b < payback_a).
    pub prob_b_better_on_both: f64,
    /// P(TCO_a < TCO_b) on the same trial.
    pub prob_a_lower_tco: f64,
    /// P(TCO_b < TCO_a).
    pub prob_b_lower_tco: f64,
    /// NPV_a − NPV_b, per trial.
    pub npv_difference: Difference,
    /// TCO_a − TCO_b, per trial.
    pub tco_difference: Difference,
    /// The empirical NPV distribution of a first-order stochastically dominates b's: every
    /// order statistic of a's NPV is ≥ b's, and one is >.
    pub a_dominates_b_on_npv: bool,
    /// b dominates a on NPV.
    pub b_dominates_a_on_npv: bool,
    /// a's payback distribution dominates b's (every order statistic ≤, one <; censored = +∞).
    pub a_dominates_b_on_payback: bool,
    /// b dominates a on payback.
    pub b_dominates_a_on_payback: bool,
}

/// The option best by a criterion.
#[derive(Clone, Debug, Serialize)]
pub struct Pick {
    /// Option indices (several when they tie).
    pub options: Vec<usize>,
    /// Their keys.
    pub keys: Vec<String>,
    /// The criterion's value for the pick.
    pub value: f64,
}

/// What the comparison says.
#[derive(Clone, Debug, Serialize)]
pub struct Decision {
    /// Highest expected (mean) NPV.
    pub best_expected_npv: Pick,
    /// Its lead over the runner-up, paired (best − runner-up); None with one option.
    pub lead_over_runner_up: Option<Difference>,
    /// Key of the runner-up by expected NPV.
    pub runner_up: Option<String>,
    /// Lowest P(NPV < 0).
    pub lowest_prob_negative_npv: Pick,
    /// Lowest expected TCO.
    pub lowest_expected_tco: Pick,
    /// Highest P(payback ≤ 24 months).
    pub highest_prob_within_24: Pick,
    /// Sentences, in order, for people.
    pub statements: Vec<String>,
}

/// Chart inputs kept with the comparison (not serialised).
#[derive(Clone, Debug, Default)]
pub struct ChartInputs {
    /// Overlaid payback CDFs.
    pub payback: Option<CdfCompareData>,
    /// NPV boxes.
    pub npv: Option<BoxCompareData>,
    /// TCO boxes.
    pub tco: Option<BoxCompareData>,
}

/// The result of `payback compare` (`compare.json`).
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    /// Wire format version.
    pub schema_version: u32,
    /// Always `"comparison"`.
    pub kind: String,
    /// Trials per option.
    pub trials: u64,
    /// The common seed.
    pub seed: u64,
    /// Sampling method.
    pub sampling: String,
    /// Common horizon.
    pub horizon_months: u32,
    /// Common currency.
    pub currency: String,
    /// Trials behind the paired statistics (all of them).
    pub paired_trials: u64,
    /// Trials behind first-order dominance (the kept sample: min(trials, 100,000)).
    pub dominance_trials: u64,
    /// The options, in command-line order.
    pub options: Vec<OptionResult>,
    /// Every pair (a < b).
    pub pairs: Vec<PairResult>,
    /// Picks and dominance.
    pub decision: Decision,
    /// Things the analyst should know.
    pub warnings: Vec<String>,
    /// Chart data.
    #[serde(skip)]
    pub charts: ChartInputs,
}

/// Why two scenarios cannot be compared; `Err` is one line for the user.
pub fn check_comparable(options: &[(&Scenario, String)]) -> Result<Vec<String>, String> {
    let mut warnings = Vec::new();
    let Some((first, f0)) = options.first() else {
        return Err("give at least two scenarios to compare".into());
    };
    for (s, f) in &options[1..] {
        if s.horizon != first.horizon {
            return Err(format!(
                "{f0} has horizon_months = {} but {f} has {}; compare options over the same horizon (use --horizon)",
                first.horizon, s.horizon
            ));
        }
        if s.currency != first.currency {
            return Err(format!(
                "{f0} is in {} but {f} is in {}; convert one so that every option uses the same currency",
                first.currency, s.currency
            ));
        }
    }
    if let Some((s, f)) = options[1..]
        .iter()
        .find(|(s, _)| s.discount_rate != first.discount_rate)
    {
        warnings.push(format!(
            "{f0} discounts at {}%/yr but {f} at {}%/yr: their NPVs are not on the same footing",
            format::thousands(100.0 * first.discount_rate, 1),
            format::thousands(100.0 * s.discount_rate, 1)
        ));
    }
    // Common random numbers need shared input names.
    let shared = |a: &Scenario, b: &Scenario| {
        a.inputs
            .iter()
            .filter(|i| i.is_uncertain() && b.input_index(&i.name).is_some())
            .count()
    };
    for i in 0..options.len() {
        for j in i + 1..options.len() {
            let (a, fa) = (&options[i].0, &options[i].1);
            let (b, fb) = (&options[j].0, &options[j].1);
            let any_uncertain = a.inputs.iter().any(|x| x.is_uncertain())
                || b.inputs.iter().any(|x| x.is_uncertain());
            if any_uncertain && shared(a, b) == 0 && shared(b, a) == 0 {
                warnings.push(format!(
                    "{fa} and {fb} share no uncertain input name, so their trials are not paired: the paired probabilities treat them as independent"
                ));
            }
        }
    }
    Ok(warnings)
}

/// Option keys: A, B, …, Z, AA, AB, …
pub fn key(i: usize) -> String {
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    if i < 26 {
        (letters[i] as char).to_string()
    } else {
        format!("{}{}", key(i / 26 - 1), letters[i % 26] as char)
    }
}

/// Chart labels: the names without the words every name shares at the start and the end
/// (e.g. "Vendor " and " (500 employees)"), prefixed by the option's key unless the short
/// name already starts with it.
pub fn chart_labels(names: &[String]) -> Vec<String> {
    let chars: Vec<Vec<char>> = names.iter().map(|n| n.chars().collect()).collect();
    let min_len = chars.iter().map(Vec::len).min().unwrap_or(0);
    let boundary = |c: char| {
        c.is_whitespace() || matches!(c, ':' | '：' | '·' | '-' | '—' | '(' | '（' | ',' | '，')
    };
    let mut pre = 0;
    while names.len() > 1 && pre < min_len && chars.iter().all(|c| c[pre] == chars[0][pre]) {
        pre += 1;
    }
    // Cut back to just after a boundary character.
    while pre > 0 && !boundary(chars[0][pre - 1]) {
        pre -= 1;
    }
    let mut suf = 0;
    while names.len() > 1
        && suf < min_len - pre
        && chars
            .iter()
            .all(|c| c[c.len() - 1 - suf] == chars[0][chars[0].len() - 1 - suf])
    {
        suf += 1;
    }
    // Cut back to start at a boundary character.
    while suf > 0 && !boundary(chars[0][chars[0].len() - suf]) {
        suf -= 1;
    }
    let short: Vec<String> = chars
        .iter()
        .map(|c| {
            c[pre..c.len() - suf]
                .iter()
                .collect::<String>()
                .trim_matches(|x: char| x.is_whitespace() || matches!(x, ':' | '：' | '·' | ','))
                .to_string()
        })
        .map(|s| close_brackets(&s))
        .collect();
    let ok = short.iter().all(|s| s.chars().count() >= 3);
    short
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let s = if ok { s.as_str() } else { names[i].as_str() };
            let k = key(i);
            if s.starts_with(&format!("{k}:")) || s.starts_with(&format!("{k} ")) {
                s.to_string()
            } else {
                format!("{k} · {s}")
            }
        })
        .collect()
}

/// Drop a closing bracket left without its opening one when a shared prefix ending in `(`
/// was cut: `vendor_b)` → `vendor_b`.
fn close_brackets(s: &str) -> String {
    let mut out = s.to_string();
    for (open, close) in [('(', ')'), ('（', '）')] {
        if out.ends_with(close) && out.matches(open).count() < out.matches(close).count() {
            out.pop();
        }
    }
    out.trim_end().to_string()
}

fn display_names(options: &[OptionInput]) -> Vec<String> {
    let names: Vec<String> = options.iter().map(|o| o.scenario.name.clone()).collect();
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let dup = names.iter().filter(|m| *m == n).count() > 1;
            match (&options[i].file, dup) {
                (Some(f), true) => {
                    let stem = std::path::Path::new(f)
                        .file_stem()
                        .map(|s| s.to_string_lossy().to_string())
                        .unwrap_or_else(|| f.clone());
                    format!("{n} ({stem})")
                }
                (None, true) => format!("{n} ({})", key(i)),
                _ => n.clone(),
            }
        })
        .collect()
}

/// A run failure, with the option it happened in.
#[derive(Debug, thiserror::Error)]
#[error("{option}: {error}")]
pub struct CompareError {
    /// Index of the option (command-line order).
    pub index: usize,
    /// Its file, else its scenario name.
    pub option: String,
    /// What the engine reported.
    #[source]
    pub error: RunError,
}

/// Run every option with common random numbers and compare them.
///
/// # Errors
/// A [`CompareError`]: the engine's error (non-finite amount, interruption) in one option.
pub fn compare(options: &[OptionInput], cfg: &CompareConfig) -> Result<Comparison, CompareError> {
    compare_inner(options, cfg, false)
        .map(|(c, _)| c)
        .map_err(|e| compare_error(options, e))
}

fn compare_error(options: &[OptionInput], (index, error): (usize, RunError)) -> CompareError {
    CompareError {
        index,
        option: options
            .get(index)
            .map(|o| o.file.clone().unwrap_or_else(|| o.scenario.name.clone()))
            .unwrap_or_default(),
        error,
    }
}

/// [`compare`], also returning each option's whole run (its kept sample and cash-flow
/// fan), in option order: what a report needs to show each option's own charts.
///
/// # Errors
/// As [`compare`].
pub fn compare_with_runs(
    options: &[OptionInput],
    cfg: &CompareConfig,
) -> Result<(Comparison, Vec<RunResult>), CompareError> {
    compare_inner(options, cfg, true).map_err(|e| compare_error(options, e))
}

/// The comparison; with `paths`, each option's run also records the cash-flow paths of
/// its fan chart.
fn compare_inner(
    options: &[OptionInput],
    cfg: &CompareConfig,
    paths: bool,
) -> Result<(Comparison, Vec<RunResult>), (usize, RunError)> {
    let state = compare_range(options, cfg, 0..cfg.trials, paths)?;
    Ok(finish_with_runs(options, cfg, state))
}

/// The comparison from the paired state of all its trials (one run's, or the merged
/// shards' of [`compare_range`]).
pub fn finish(options: &[OptionInput], cfg: &CompareConfig, state: CompareState) -> Comparison {
    finish_with_runs(options, cfg, state).0
}

fn finish_with_runs(
    options: &[OptionInput],
    cfg: &CompareConfig,
    state: CompareState,
) -> (Comparison, Vec<RunResult>) {
    let n = cfg.trials;
    let names = display_names(options);
    let labels = chart_labels(&names);
    let mut warnings = Vec::new();
    let k = options.len();
    let plans: Vec<Plan> = options.iter().map(|o| Plan::compile(o.scenario)).collect();
    let (accs, pair_acc) = state.into_parts();
    let mut results = Vec::new();
    let mut runs = Vec::new();
    let mut cdf = Vec::new();
    for (i, ((acc, o), plan)) in accs.into_iter().zip(options).zip(&plans).enumerate() {
        let run_cfg = RunConfig {
            trials: n,
            seed: cfg.seed,
            sampling: cfg.sampling.clone(),
            engine: RunOptions::default(),
        };
        let mut r = acc.finish(o.scenario, plan, &run_cfg);
        r.summary.warnings.extend(o.notes.iter().cloned());
        let mut values: Vec<f64> = r
            .sample
            .output(Metric::Payback)
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        values.sort_by(f64::total_cmp);
        cdf.push(CdfSeries {
            name: labels[i].clone(),
            values,
            censored_share: 1.0 - r.summary.payback.prob_within_horizon,
        });
        results.push(OptionResult {
            key: key(i),
            name: names[i].clone(),
            file: o.file.clone(),
            summary: r.summary.clone(),
        });
        runs.push(r);
    }
    let nd = n.min(SAMPLE);
    if nd < n && k > 1 {
        warnings.push(format!(
            "first-order dominance is judged on the first {} of {} trials (the kept sample); every other paired number uses all trials",
            format::thousands(nd as f64, 0),
            format::thousands(n as f64, 0)
        ));
    }
    let mut pairs = Vec::new();
    let mut sums = pair_acc.iter();
    for a in 0..results.len() {
        for b in a + 1..results.len() {
            if let Some(sum) = sums.next() {
                pairs.push(pair_stats(a, b, sum, &runs[a].sample, &runs[b].sample));
            }
        }
    }
    let decision = decide(&results, &pairs, n);
    let currency = options
        .first()
        .map(|o| o.scenario.currency.clone())
        .unwrap_or_default();
    let horizon = options.first().map(|o| o.scenario.horizon).unwrap_or(0);
    let boxes =
        |label: String, f: &dyn Fn(&Summary) -> &crate::summary::ValueStats| BoxCompareData {
            label,
            options: results
                .iter()
                .zip(&labels)
                .map(|(o, label)| {
                    let v = f(&o.summary);
                    BoxSeries {
                        name: label.clone(),
                        p5: v.pct.p5,
                        p25: v.pct.p25,
                        p50: v.pct.p50,
                        p75: v.pct.p75,
                        p95: v.pct.p95,
                        mean: v.mean,
                    }
                })
                .collect(),
        };
    let charts = ChartInputs {
        payback: Some(CdfCompareData {
            horizon: horizon as f64,
            options: cdf,
        }),
        npv: Some(boxes(format!("NPV ({currency})"), &|s| &s.npv.stats)),
        tco: Some(boxes(
            format!("TCO over {horizon} months ({currency})"),
            &|s| &s.tco.stats,
        )),
    };
    let comparison = Comparison {
        schema_version: SCHEMA_VERSION,
        kind: "comparison".into(),
        trials: n,
        seed: cfg.seed,
        sampling: cfg.sampling.clone(),
        horizon_months: horizon,
        currency,
        paired_trials: n,
        dominance_trials: nd,
        options: results,
        pairs,
        decision,
        warnings,
        charts,
    };
    (comparison, runs)
}

/// Mean and 95% interval of per-trial differences `a[i] − b[i]`.
pub fn paired_difference(a: &[f64], b: &[f64]) -> Difference {
    let mut m = Moments::default();
    for (x, y) in a.iter().zip(b) {
        m.push(x - y);
    }
    difference_of(&m)
}

/// Mean and 95% interval from the moments of per-trial differences.
fn difference_of(m: &Moments) -> Difference {
    let se = if m.n == 0 { f64::NAN } else { m.se() };
    Difference {
        mean: m.mean,
        se,
        ci: [m.mean - Z975 * se, m.mean + Z975 * se],
    }
}

/// Does the empirical distribution of `a` first-order stochastically dominate that of `b`
/// when larger is better? Equal sample sizes: every order statistic of a ≥ b's, one >.
pub fn dominates_larger(a: &[f64], b: &[f64]) -> bool {
    dominates(a, b, |x, y| x >= y, |x, y| x > y)
}

/// The same when smaller is better (payback; +∞ = censored).
pub fn dominates_smaller(a: &[f64], b: &[f64]) -> bool {
    dominates(a, b, |x, y| x <= y, |x, y| x < y)
}

fn dominates(
    a: &[f64],
    b: &[f64],
    weak: impl Fn(f64, f64) -> bool,
    strict: impl Fn(f64, f64) -> bool,
) -> bool {
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    let sorted = |v: &[f64]| {
        let mut s = v.to_vec();
        s.sort_unstable_by(f64::total_cmp);
        s
    };
    let (sa, sb) = (sorted(a), sorted(b));
    let mut any = false;
    for (x, y) in sa.iter().zip(&sb) {
        if !weak(*x, *y) {
            return false;
        }
        any |= strict(*x, *y);
    }
    any
}

fn pair_stats(a: usize, b: usize, sum: &PairAcc, sa: &Sample, sb: &Sample) -> PairResult {
    let (npv, tco) = (sum.npv.moments(), sum.tco.moments());
    let n = npv.n;
    let c = &sum.c;
    let p = |k: u64| {
        if n == 0 {
            f64::NAN
        } else {
            k as f64 / n as f64
        }
    };
    let (na, nb) = (sa.output(Metric::Npv), sb.output(Metric::Npv));
    let (ya, yb) = (sa.output(Metric::Payback), sb.output(Metric::Payback));
    PairResult {
        a,
        b,
        a_key: key(a),
        b_key: key(b),
        prob_a_higher_npv: p(c[0]),
        prob_b_higher_npv: p(c[1]),
        prob_a_shorter_payback: p(c[2]),
        prob_b_shorter_payback: p(c[3]),
        prob_a_better_on_both: p(c[4]),
        prob_b_better_on_both: p(c[5]),
        prob_a_lower_tco: p(c[6]),
        prob_b_lower_tco: p(c[7]),
        npv_difference: difference_of(&npv),
        tco_difference: difference_of(&tco),
        a_dominates_b_on_npv: dominates_larger(na, nb),
        b_dominates_a_on_npv: dominates_larger(nb, na),
        a_dominates_b_on_payback: dominates_smaller(ya, yb),
        b_dominates_a_on_payback: dominates_smaller(yb, ya),
    }
}

fn pick(results: &[OptionResult], f: impl Fn(&Summary) -> f64, larger: bool) -> Pick {
    let vals: Vec<f64> = results.iter().map(|o| f(&o.summary)).collect();
    pick_values(&vals, larger)
}

/// The best of the options' values of a criterion (the largest if `larger`, else the
/// smallest; non-finite values never win). Options whose values equal the best exactly tie,
/// and all of them are picked: this is the one rule of ties for `compare` and `sweep`.
pub fn pick_values(vals: &[f64], larger: bool) -> Pick {
    let best = vals
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(None, |acc: Option<f64>, v| match acc {
            None => Some(v),
            Some(a) => Some(if (v > a) == larger && v != a { v } else { a }),
        })
        .unwrap_or(f64::NAN);
    let options: Vec<usize> = (0..vals.len()).filter(|i| vals[*i] == best).collect();
    Pick {
        keys: options.iter().map(|i| key(*i)).collect(),
        options,
        value: best,
    }
}

/// The paired difference `x − y` of two options' NPV, from the pair list.
fn npv_lead(pairs: &[PairResult], x: usize, y: usize) -> Option<Difference> {
    pairs.iter().find_map(|p| {
        if p.a == x && p.b == y {
            Some(p.npv_difference.clone())
        } else if p.a == y && p.b == x {
            let d = &p.npv_difference;
            Some(Difference {
                mean: -d.mean,
                se: d.se,
                ci: [-d.ci[1], -d.ci[0]],
            })
        } else {
            None
        }
    })
}

fn join_keys(results: &[OptionResult], idx: &[usize]) -> String {
    let v: Vec<String> = idx
        .iter()
        .map(|i| format!("{} ({})", key(*i), results[*i].name))
        .collect();
    match v.len() {
        0 => "none".into(),
        1 => v[0].clone(),
        _ => format!("{} (tied)", v.join(" and ")),
    }
}

fn decide(results: &[OptionResult], pairs: &[PairResult], np: u64) -> Decision {
    let money = |x: f64| format::thousands(x, 0);
    let cur = results
        .first()
        .map(|o| o.summary.currency.clone())
        .unwrap_or_default();
    let best = pick(results, |s| s.npv.stats.mean, true);
    let neg = pick(results, |s| s.npv.prob_negative, false);
    let tco = pick(results, |s| s.tco.stats.mean, false);
    let p24 = pick(
        results,
        |s| s.payback.prob_within_24.unwrap_or(f64::NAN),
        true,
    );
    let mut statements = Vec::new();
    let mut runner_up = None;
    let mut lead = None;
    if let Some(&b) = best.options.first() {
        let ru = (0..results.len()).filter(|i| *i != b).max_by(|x, y| {
            results[*x]
                .summary
                .npv
                .stats
                .mean
                .total_cmp(&results[*y].summary.npv.stats.mean)
        });
        let mut s = format!(
            "Best by expected NPV: {}, E[NPV] {} {cur}",
            join_keys(results, &best.options),
            money(best.value)
        );
        if let Some(r) = ru {
            runner_up = Some(key(r));
            lead = npv_lead(pairs, b, r);
            if best.options.len() > 1 {
                // A tie is not a lead: no "ahead of B by 0".
                if lead.as_ref().is_some_and(|d| d.mean == 0.0 && d.se == 0.0) {
                    s.push_str("; their NPVs are equal in every simulated future");
                }
            } else if let Some(d) = &lead {
                let _ = write!(
                    s,
                    "; ahead of {} by {} [{}, {}] (paired 95% interval)",
                    key(r),
                    money(d.mean),
                    money(d.ci[0]),
                    money(d.ci[1])
                );
                if d.ci[0] <= 0.0 {
                    s.push_str(", which includes 0: the two are not clearly apart");
                } else if d.mean < 0.01 * best.value.abs() {
                    let _ = write!(
                        s,
                        ", under 1% of its E[NPV]: in practice a tie with {}",
                        key(r)
                    );
                }
            }
        }
        s.push('.');
        statements.push(s);
    }
    statements.push(format!(
        "Lowest risk of losing money: {}, P(NPV < 0) = {}.",
        join_keys(results, &neg.options),
        format::percent(neg.value)
    ));
    statements.push(format!(
        "Lowest expected TCO: {}, {} {cur}.",
        join_keys(results, &tco.options),
        money(tco.value)
    ));
    statements.push(format!(
        "Most likely to pay back within 24 months: {}, {}.",
        join_keys(results, &p24.options),
        format::percent(p24.value)
    ));
    let n = format::thousands(np as f64, 0);
    let mut dom = Vec::new();
    for p in pairs {
        for (x, y, npv, pb) in [
            (p.a, p.b, p.a_dominates_b_on_npv, p.a_dominates_b_on_payback),
            (p.b, p.a, p.b_dominates_a_on_npv, p.b_dominates_a_on_payback),
        ] {
            let on = match (npv, pb) {
                (true, true) => "NPV and payback",
                (true, false) => "NPV",
                (false, true) => "payback",
                _ => continue,
            };
            dom.push(format!("{} dominates {} on {on}", key(x), key(y)));
        }
    }
    if dom.is_empty() {
        statements.push(format!(
            "No option first-order stochastically dominates another on NPV or payback (checked on {n} paired trials)."
        ));
    } else {
        statements.push(format!(
            "First-order stochastic dominance: {} (empirical: every percentile of the first is at least as good over these {n} trials; the true tails may still cross).",
            dom.join("; ")
        ));
    }
    Decision {
        best_expected_npv: best,
        lead_over_runner_up: lead,
        runner_up,
        lowest_prob_negative_npv: neg,
        lowest_expected_tco: tco,
        highest_prob_within_24: p24,
        statements,
    }
}

// ------------------------------------------------------------------------------------------
// Output
// ------------------------------------------------------------------------------------------

/// A pair seen from the option with the higher expected NPV ("X vs Y").
pub struct Oriented {
    /// Key of X (the higher E[NPV]).
    pub x: String,
    /// Key of Y.
    pub y: String,
    /// P(NPV_X > NPV_Y).
    pub higher_npv: f64,
    /// P(payback_X < payback_Y).
    pub shorter_payback: f64,
    /// Both on the same trial.
    pub both: f64,
    /// P(TCO_X < TCO_Y).
    pub lower_tco: f64,
    /// NPV_X − NPV_Y.
    pub npv_difference: Difference,
}

/// Orient a pair so that the option with the higher expected NPV comes first.
pub fn oriented(p: &PairResult) -> Oriented {
    if p.npv_difference.mean < 0.0 {
        Oriented {
            x: p.b_key.clone(),
            y: p.a_key.clone(),
            higher_npv: p.prob_b_higher_npv,
            shorter_payback: p.prob_b_shorter_payback,
            both: p.prob_b_better_on_both,
            lower_tco: p.prob_b_lower_tco,
            npv_difference: Difference {
                mean: -p.npv_difference.mean,
                se: p.npv_difference.se,
                ci: [-p.npv_difference.ci[1], -p.npv_difference.ci[0]],
            },
        }
    } else {
        Oriented {
            x: p.a_key.clone(),
            y: p.b_key.clone(),
            higher_npv: p.prob_a_higher_npv,
            shorter_payback: p.prob_a_shorter_payback,
            both: p.prob_a_better_on_both,
            lower_tco: p.prob_a_lower_tco,
            npv_difference: p.npv_difference.clone(),
        }
    }
}

/// The comparison as a terminal table.
pub fn render_table(c: &Comparison) -> String {
    let h = c.horizon_months;
    let mut o = String::new();
    let money = |x: f64| format::thousands(x, 0);
    let _ = writeln!(
        o,
        "Comparison of {} options · {} trials each · seed {} · {} sampling · common random numbers (paired) · horizon {h} months · {}",
        c.options.len(),
        format::thousands(c.trials as f64, 0),
        c.seed,
        c.sampling,
        c.currency
    );
    o.push('\n');
    for opt in &c.options {
        let _ = writeln!(
            o,
            "  {}  {}{}",
            opt.key,
            opt.name,
            opt.file
                .as_ref()
                .map(|f| format!("   ({f})"))
                .unwrap_or_default()
        );
    }
    o.push('\n');
    let kw = c
        .options
        .iter()
        .map(|x| format::display_width(&x.key))
        .max()
        .unwrap_or(1)
        + 2;
    let _ = write!(o, "{}", format::pad_right("Payback months", 16.max(kw)));
    for hd in ["P10", "P25", "P50", "P75", "P90"] {
        let _ = write!(o, "{hd:>8}");
    }
    let _ = writeln!(
        o,
        "{:>10}{:>10}{:>10}",
        "P(≤ 12)",
        "P(≤ 24)",
        format!("P(≤ {h})")
    );
    for opt in &c.options {
        let p = &opt.summary.payback;
        let _ = write!(
            o,
            "{}",
            format::pad_right(&format!("  {}", opt.key), 16.max(kw))
        );
        for v in [p.pct.p10, p.pct.p25, p.pct.p50, p.pct.p75, p.pct.p90] {
            let _ = write!(o, "{:>8}", format::months_or_beyond(v, h));
        }
        let _ = writeln!(
            o,
            "{:>10}{:>10}{:>10}",
            format::percent(p.prob_within_12.unwrap_or(f64::NAN)),
            format::percent(p.prob_within_24.unwrap_or(f64::NAN)),
            format::percent(p.prob_within_horizon)
        );
    }
    o.push('\n');
    let _ = write!(
        o,
        "{}",
        format::pad_right(&format!("NPV ({})", c.currency), 16.max(kw))
    );
    for hd in ["P10", "P50", "P90", "mean", "± s.e."] {
        let _ = write!(o, "{hd:>13}");
    }
    let _ = writeln!(o, "{:>12}", "P(NPV < 0)");
    for opt in &c.options {
        let v = &opt.summary.npv;
        let _ = write!(
            o,
            "{}",
            format::pad_right(&format!("  {}", opt.key), 16.max(kw))
        );
        for x in [
            v.stats.pct.p10,
            v.stats.pct.p50,
            v.stats.pct.p90,
            v.stats.mean,
            v.stats.mean_se,
        ] {
            let _ = write!(o, "{:>13}", money(x));
        }
        let _ = writeln!(o, "{:>12}", format::percent(v.prob_negative));
    }
    o.push('\n');
    let _ = write!(
        o,
        "{}",
        format::pad_right(&format!("TCO ({h} months)"), 16.max(kw))
    );
    for hd in ["P10", "P50", "P90", "mean"] {
        let _ = write!(o, "{hd:>13}");
    }
    o.push('\n');
    for opt in &c.options {
        let v = &opt.summary.tco.stats;
        let _ = write!(
            o,
            "{}",
            format::pad_right(&format!("  {}", opt.key), 16.max(kw))
        );
        for x in [v.pct.p10, v.pct.p50, v.pct.p90, v.mean] {
            let _ = write!(o, "{:>13}", money(x));
        }
        o.push('\n');
    }
    if !c.pairs.is_empty() {
        let _ = writeln!(
            o,
            "\nPaired, trial by trial ({} trials): how often X beats Y on the same simulated future\n(both = higher NPV and shorter payback in the same trial)",
            format::thousands(c.paired_trials as f64, 0)
        );
        let oriented_pairs: Vec<Oriented> = c.pairs.iter().map(oriented).collect();
        let xw = format::column_width(
            oriented_pairs
                .iter()
                .map(|p| format!("{} vs {}", p.x, p.y))
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str),
            8,
        );
        let _ = writeln!(
            o,
            "  {}{:>15}{:>17}{:>12}{:>15}   NPV X − Y: mean [95% interval] ({})",
            format::pad_right("X vs Y", xw),
            "higher NPV",
            "shorter payback",
            "both",
            "lower TCO",
            c.currency
        );
        for p in oriented_pairs {
            let Oriented {
                x,
                y,
                higher_npv: hn,
                shorter_payback: sp,
                both,
                lower_tco: lt,
                npv_difference: d,
            } = p;
            let _ = writeln!(
                o,
                "  {}{:>15}{:>17}{:>12}{:>15}   {} [{}, {}]",
                format::pad_right(&format!("{x} vs {y}"), xw),
                format::percent(hn),
                format::percent(sp),
                format::percent(both),
                format::percent(lt),
                money(d.mean),
                money(d.ci[0]),
                money(d.ci[1])
            );
        }
    }
    o.push('\n');
    for s in &c.decision.statements {
        let _ = writeln!(o, "{s}");
    }
    for w in &c.warnings {
        let _ = writeln!(o, "warning: {w}");
    }
    for x in &c.options {
        for w in &x.summary.warnings {
            let _ = writeln!(o, "warning: {}: {w}", x.key);
        }
    }
    o
}

/// `compare.json`.
pub fn to_json(c: &Comparison) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(c).unwrap_or_default();
    v.push(b'\n');
    v
}

fn opt_num(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// `compare.csv`: one row per option.
pub fn options_csv(c: &Comparison) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "key",
        "option",
        "file",
        "payback_p10",
        "payback_p25",
        "payback_p50",
        "payback_p75",
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
    ]);
    for o in &c.options {
        let s = &o.summary;
        let p = &s.payback;
        let _ = w.write_record([
            o.key.clone(),
            o.name.clone(),
            o.file.clone().unwrap_or_default(),
            opt_num(p.pct.p10),
            opt_num(p.pct.p25),
            opt_num(p.pct.p50),
            opt_num(p.pct.p75),
            opt_num(p.pct.p90),
            opt_num(p.prob_within_12),
            opt_num(p.prob_within_24),
            p.prob_within_horizon.to_string(),
            s.npv.stats.mean.to_string(),
            s.npv.stats.mean_se.to_string(),
            s.npv.stats.pct.p10.to_string(),
            s.npv.stats.pct.p50.to_string(),
            s.npv.stats.pct.p90.to_string(),
            s.npv.prob_negative.to_string(),
            s.tco.stats.mean.to_string(),
            s.tco.stats.pct.p10.to_string(),
            s.tco.stats.pct.p50.to_string(),
            s.tco.stats.pct.p90.to_string(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// `compare_pairs.csv`: one row per pair (a before b in command-line order).
pub fn pairs_csv(c: &Comparison) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "a",
        "b",
        "paired_trials",
        "prob_a_higher_npv",
        "prob_b_higher_npv",
        "prob_a_shorter_payback",
        "prob_b_shorter_payback",
        "prob_a_better_on_both",
        "prob_b_better_on_both",
        "prob_a_lower_tco",
        "prob_b_lower_tco",
        "npv_diff_mean",
        "npv_diff_ci_low",
        "npv_diff_ci_high",
        "tco_diff_mean",
        "tco_diff_ci_low",
        "tco_diff_ci_high",
        "a_dominates_b_on_npv",
        "b_dominates_a_on_npv",
        "a_dominates_b_on_payback",
        "b_dominates_a_on_payback",
    ]);
    for p in &c.pairs {
        let _ = w.write_record([
            p.a_key.clone(),
            p.b_key.clone(),
            c.paired_trials.to_string(),
            p.prob_a_higher_npv.to_string(),
            p.prob_b_higher_npv.to_string(),
            p.prob_a_shorter_payback.to_string(),
            p.prob_b_shorter_payback.to_string(),
            p.prob_a_better_on_both.to_string(),
            p.prob_b_better_on_both.to_string(),
            p.prob_a_lower_tco.to_string(),
            p.prob_b_lower_tco.to_string(),
            p.npv_difference.mean.to_string(),
            p.npv_difference.ci[0].to_string(),
            p.npv_difference.ci[1].to_string(),
            p.tco_difference.mean.to_string(),
            p.tco_difference.ci[0].to_string(),
            p.tco_difference.ci[1].to_string(),
            p.a_dominates_b_on_npv.to_string(),
            p.b_dominates_a_on_npv.to_string(),
            p.a_dominates_b_on_payback.to_string(),
            p.b_dominates_a_on_payback.to_string(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// Titles and footer of the comparison charts.
pub fn chart_meta(c: &Comparison, style: NumberStyle) -> ChartMeta {
    ChartMeta {
        scenario: String::new(),
        currency: c.currency.clone(),
        number_style: style,
        footer: format!(
            "{} options · {} trials each · seed {} · {} sampling · common random numbers · payback {}",
            c.options.len(),
            format::thousands(c.trials as f64, 0),
            c.seed,
            c.sampling,
            env!("CARGO_PKG_VERSION")
        ),
    }
}

/// The comparison charts: (file name, bytes) for `compare_payback`, `compare_npv` and
/// `compare_tco` in each format.
///
/// # Errors
/// A [`ChartError`] when drawing fails.
pub fn charts(
    c: &Comparison,
    style: NumberStyle,
    fmts: &[ChartFormat],
) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    let m = chart_meta(c, style);
    let mut out = Vec::new();
    for &f in fmts {
        let ext = f.extension();
        if let Some(d) = &c.charts.payback {
            out.push((
                format!("compare_payback.{ext}"),
                charts::cdf_compare_chart(d, &m, f)?,
            ));
        }
        if let Some(d) = &c.charts.npv {
            out.push((
                format!("compare_npv.{ext}"),
                charts::box_compare_chart(d, &m, f)?,
            ));
        }
        if let Some(d) = &c.charts.tco {
            out.push((
                format!("compare_tco.{ext}"),
                charts::box_compare_chart(d, &m, f)?,
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_run_past_z() {
        assert_eq!(key(0), "A");
        assert_eq!(key(25), "Z");
        assert_eq!(key(26), "AA");
        assert_eq!(key(27), "AB");
    }

    #[test]
    fn dominance_on_sorted_samples() {
        assert!(dominates_larger(&[3.0, 1.0, 2.0], &[0.0, 2.0, 1.0]));
        assert!(!dominates_larger(&[3.0, 1.0, 2.0], &[3.0, 1.0, 2.0]));
        assert!(!dominates_larger(&[5.0, 0.0], &[1.0, 1.0]));
        let inf = f64::INFINITY;
        assert!(dominates_smaller(&[1.0, inf], &[2.0, inf]));
        assert!(!dominates_smaller(&[1.0, inf], &[inf, 0.5]));
    }

    #[test]
    fn paired_difference_of_a_constant_shift_has_zero_width() {
        let a = [1.0, 5.0, 9.0];
        let b = [0.0, 4.0, 8.0];
        let d = paired_difference(&a, &b);
        assert_eq!(d.mean, 1.0);
        assert_eq!(d.se, 0.0);
        assert_eq!(d.ci, [1.0, 1.0]);
    }

    #[test]
    fn chart_labels_drop_shared_words() {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            chart_labels(&v(&[
                "Vendor A: low-price entry (500 employees)",
                "Vendor B: mature and stable (500 employees)",
            ])),
            v(&["A: low-price entry", "B: mature and stable"])
        );
        assert_eq!(
            chart_labels(&v(&["Licence model: buy-out", "Licence model: usage"])),
            v(&["A · buy-out", "B · usage"])
        );
        assert_eq!(
            chart_labels(&v(&["方案一：云", "方案二：私有"])),
            v(&["A · 方案一：云", "B · 方案二：私有"])
        );
        assert_eq!(chart_labels(&v(&["x", "x"])), v(&["A · x", "B · x"]));
        // Names made unique by their files keep no stray bracket.
        assert_eq!(
            chart_labels(&v(&["Vendor B (500) (vendor_b)", "Vendor B (500) (copy)"])),
            v(&["A · vendor_b", "B · copy"])
        );
    }
}
