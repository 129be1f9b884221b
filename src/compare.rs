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
//! (serialised as `compare.json`), with renderers for the terminal table, CSV and charts
//! (the HTML report's blocks are `report::choice`'s). Loading files and checking that they
//! are comparable ([`check_comparable`]) is the caller's job.

use serde::Serialize;

use crate::accum::Metric;
use crate::charts::{BoxCompareData, BoxSeries, CdfCompareData, CdfSeries};
use crate::engine::{RunError, TrialSource};
use crate::format;
use crate::model::Plan;
use crate::scenario::Scenario;
use crate::simulate::{RunResult, RunSpec, SAMPLE, Sample};
use crate::stats::{Moments, Z975};
use crate::summary::{Sampling, Summary};

pub mod columns;
mod decision;
mod render;
mod state;
use decision::decide;
pub use decision::pick_values;
pub use render::{
    Oriented, chart_meta, charts, options_csv, oriented, pairs_csv, render_table, to_json,
};
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

/// How to run a comparison: the run spec every option runs under (its trials, common
/// seed, sampling, threads, cancel flag and progress; each option's design is built from
/// it by [`crate::simulate::spec::design`]).
pub type CompareConfig<'a> = RunSpec<'a>;

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
    pub sampling: Sampling,
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

/// Why scenarios cannot be compared (each names the files as shown).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NotComparable {
    /// Fewer than two scenarios.
    #[error("give at least two scenarios to compare")]
    TooFew,
    /// Two horizons differ.
    #[error(
        "{first} has horizon_months = {first_months} but {other} has {other_months}; compare options over the same horizon"
    )]
    Horizon {
        /// The first scenario's file.
        first: String,
        /// Its horizon in months.
        first_months: u32,
        /// The other scenario's file.
        other: String,
        /// Its horizon in months.
        other_months: u32,
    },
    /// Two currencies differ.
    #[error(
        "{first} is in {first_currency} but {other} is in {other_currency}; convert one so that every option uses the same currency"
    )]
    Currency {
        /// The first scenario's file.
        first: String,
        /// Its currency.
        first_currency: String,
        /// The other scenario's file.
        other: String,
        /// Its currency.
        other_currency: String,
    },
}

/// Check that scenarios (each with its file as shown) can be compared: the warnings on
/// what makes the comparison weaker, or why it cannot be made.
///
/// # Errors
/// [`NotComparable`].
pub fn check_comparable(options: &[(&Scenario, String)]) -> Result<Vec<String>, NotComparable> {
    let mut warnings = Vec::new();
    let Some((first, f0)) = options.first() else {
        return Err(NotComparable::TooFew);
    };
    for (s, f) in &options[1..] {
        if s.horizon != first.horizon {
            return Err(NotComparable::Horizon {
                first: f0.clone(),
                first_months: first.horizon,
                other: f.clone(),
                other_months: s.horizon,
            });
        }
        if s.currency != first.currency {
            return Err(NotComparable::Currency {
                first: f0.clone(),
                first_currency: first.currency.clone(),
                other: f.clone(),
                other_currency: s.currency.clone(),
            });
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
        let mut r = acc.finish(o.scenario, plan, &cfg.config(n));
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
        sampling: cfg.sampling(),
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
