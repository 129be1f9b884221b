//! What drives a decision rule such as `payback <= 24` (docs/MODEL.md "Decision rule"):
//!
//! - Monte Carlo filtering (regional sensitivity): the kept trials split into those that
//!   meet the rule and those that do not; for each uncertain input, the two-sample
//!   Kolmogorov–Smirnov distance between its draws in the two groups, its asymptotic
//!   p-value and the input's median in each group;
//! - a tornado of the probability: P(rule) among the same trials with the input in its
//!   lowest and in its highest decile (no new runs);
//! - what you would need to believe: for the top inputs, the value at which P(rule), with
//!   the input fixed there and every other input uncertain, crosses a level, by bisection on
//!   reruns with common random numbers.

use serde::Serialize;

use super::rule::Rule;
use super::spider::{SpiderError, run_fixed};
use crate::engine::RunOptions;
use crate::format;
use crate::scenario::Scenario;
use crate::stats::percentile_sorted;

/// Trials the filtering needs at least (each decile holds a tenth of them).
pub const MIN_TRIALS: usize = 100;

/// The input's range searched for a threshold: its P1 to its P99.
pub const RANGE: (f64, f64) = (0.01, 0.99);

/// Bisection stops when the bracket is this share of the searched range.
const TOLERANCE: f64 = 1e-4;

/// Which side of the threshold the input must lie on for P(rule) to reach the level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// P(rule) reaches the level when the input is at least the threshold.
    AtLeast,
    /// … when it is at most the threshold.
    AtMost,
}

/// One input.
#[derive(Clone, Debug, Serialize)]
pub struct TargetRow {
    /// Input name.
    pub input: String,
    /// Kolmogorov–Smirnov distance between the input's draws in the trials that meet the
    /// rule and in those that do not (None: one group is empty).
    pub ks: Option<f64>,
    /// Its asymptotic p-value.
    pub ks_p: Option<f64>,
    /// Median of the input in the trials that meet the rule.
    pub median_met: Option<f64>,
    /// Median of the input in the trials that do not.
    pub median_not_met: Option<f64>,
    /// P(rule) among the trials whose draw of the input is in its lowest decile.
    pub p_low_decile: f64,
    /// P(rule) among those in its highest decile.
    pub p_high_decile: f64,
    /// The input's value at which P(rule) crosses the level (None: not computed, or no
    /// crossing within the input's P1–P99 range; `note` says which).
    pub threshold: Option<f64>,
    /// Which side of the threshold reaches the level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_side: Option<Side>,
    /// Why there is no threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The analysis of one rule.
#[derive(Clone, Debug, Serialize)]
pub struct Target {
    /// The rule as written.
    pub rule: String,
    /// P(rule) over the analysed trials.
    pub probability: f64,
    /// Trials analysed (the run's kept trials).
    pub trials: u64,
    /// The level a threshold makes P(rule) cross.
    pub level: f64,
    /// Trials of each rerun of the threshold search.
    pub threshold_trials: u64,
    /// Inputs, most influential (largest KS distance) first.
    pub inputs: Vec<TargetRow>,
    /// The parsed rule.
    #[serde(skip)]
    pub parsed: Rule,
}

/// Why the analysis cannot be done.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// Too few trials to split.
    #[error(
        "the decision rule needs at least {MIN_TRIALS} trials (got {0}): each decile holds a tenth of them"
    )]
    TooFewTrials(usize),
    /// The metric is undefined in some trials (ROI with PV costs ≤ 0).
    #[error(
        "`{metric}` is undefined in {count} of the trials (ROI needs positive costs), so whether they meet `{rule}` is not known; use npv or payback instead"
    )]
    Undefined {
        /// The metric's name.
        metric: String,
        /// The rule.
        rule: String,
        /// Trials where it is undefined.
        count: usize,
    },
    /// A rerun of the threshold search failed.
    #[error(transparent)]
    Rerun(#[from] SpiderError),
}

/// The reruns of the threshold search.
pub struct Reruns<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Trials per rerun.
    pub trials: u64,
    /// Seed (the same for every rerun: common random numbers).
    pub seed: u64,
    /// Repair correlation matrices that are not positive semi-definite.
    pub repair: bool,
    /// How to run.
    pub opts: &'a RunOptions<'a>,
}

/// The Kolmogorov–Smirnov distance sup |F_a − F_b| of two sorted samples (ties handled:
/// both empirical CDFs step past a shared value together).
pub fn ks_distance(a: &[f64], b: &[f64]) -> f64 {
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (mut i, mut j, mut d) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        let x = a[i].min(b[j]);
        while i < a.len() && a[i] <= x {
            i += 1;
        }
        while j < b.len() && b[j] <= x {
            j += 1;
        }
        d = d.max((i as f64 / na - j as f64 / nb).abs());
    }
    d
}

/// The asymptotic p-value of a two-sample KS distance `d` (Kolmogorov's limit law with
/// Stephens' small-sample correction: λ = (√nₑ + 0.12 + 0.11/√nₑ)·d, nₑ = n₁n₂/(n₁+n₂)).
/// Exact for continuous inputs as n grows; conservative when the input has ties.
pub fn ks_p_value(d: f64, n1: usize, n2: usize) -> f64 {
    let ne = (n1 as f64 * n2 as f64) / (n1 + n2).max(1) as f64;
    let sq = ne.sqrt();
    kolmogorov_q((sq + 0.12 + 0.11 / sq) * d)
}

/// Q(λ) = P(K > λ) for the Kolmogorov distribution: the alternating series for λ ≥ 1.18,
/// Jacobi's form 1 − (√(2π)/λ)·Σ exp(−(2j−1)²π²/(8λ²)) below (both converge fast there).
pub fn kolmogorov_q(lambda: f64) -> f64 {
    if lambda.is_nan() || lambda <= 0.0 {
        return 1.0;
    }
    let q = if lambda < 1.18 {
        let pi2 = std::f64::consts::PI.powi(2);
        let s: f64 = (1..=8)
            .map(|j| (-((2 * j - 1) as f64).powi(2) * pi2 / (8.0 * lambda * lambda)).exp())
            .sum();
        1.0 - (2.0 * std::f64::consts::PI).sqrt() / lambda * s
    } else {
        (1..=20)
            .map(|j| {
                let sign = if j % 2 == 1 { 2.0 } else { -2.0 };
                sign * (-2.0 * (j * j) as f64 * lambda * lambda).exp()
            })
            .sum()
    };
    q.clamp(0.0, 1.0)
}

/// P(rule) among the trials in the lowest and in the highest decile of `x` (trials ranked
/// by their draw, ties by trial index, ⌊n/10⌋ trials each).
pub fn decile_probabilities(x: &[f64], met: &[bool]) -> (f64, f64) {
    let n = x.len().min(met.len());
    let k = (n / 10).max(1).min(n);
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|a, b| x[*a].total_cmp(&x[*b]).then(a.cmp(b)));
    let share = |ids: &[usize]| ids.iter().filter(|i| met[**i]).count() as f64 / k as f64;
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    (share(&idx[..k]), share(&idx[n - k..]))
}

/// Monte Carlo filtering and the decile tornado of every input on the same trials: P(rule)
/// and the rows, most influential first (no thresholds yet).
pub fn filter(names: &[String], cols: &[&[f64]], y: &[f64], rule: &Rule) -> (f64, Vec<TargetRow>) {
    let met: Vec<bool> = y.iter().map(|v| rule.holds(*v)).collect();
    let n_met = met.iter().filter(|m| **m).count();
    let probability = n_met as f64 / y.len().max(1) as f64;
    let mut rows: Vec<TargetRow> = names
        .iter()
        .zip(cols)
        .map(|(name, x)| {
            let (mut a, mut b): (Vec<f64>, Vec<f64>) = (Vec::new(), Vec::new());
            for (v, m) in x.iter().zip(&met) {
                if *m { a.push(*v) } else { b.push(*v) }
            }
            a.sort_by(f64::total_cmp);
            b.sort_by(f64::total_cmp);
            let split = !a.is_empty() && !b.is_empty();
            let ks = split.then(|| ks_distance(&a, &b));
            let median = |s: &[f64]| (!s.is_empty()).then(|| percentile_sorted(s, 0.5));
            let (p_low_decile, p_high_decile) = decile_probabilities(x, &met);
            TargetRow {
                input: name.clone(),
                ks,
                ks_p: ks.map(|d| ks_p_value(d, a.len(), b.len())),
                median_met: median(&a),
                median_not_met: median(&b),
                p_low_decile,
                p_high_decile,
                threshold: None,
                threshold_side: None,
                note: None,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let spread = |r: &TargetRow| (r.p_high_decile - r.p_low_decile).abs();
        b.ks.unwrap_or(-1.0)
            .total_cmp(&a.ks.unwrap_or(-1.0))
            .then(spread(b).total_cmp(&spread(a)))
            .then_with(|| a.input.cmp(&b.input))
    });
    (probability, rows)
}

/// Where P(rule) crosses the level as one input is fixed at values in its P1–P99 range.
#[derive(Clone, Debug, PartialEq)]
pub enum Crossing {
    /// It crosses at `value`; the level is reached on `side` of it.
    At {
        /// The input's value.
        value: f64,
        /// Which side reaches the level.
        side: Side,
    },
    /// It does not cross: P(rule) at the range's two ends.
    Never {
        /// The range searched.
        range: (f64, f64),
        /// P(rule) with the input at the low end and at the high end.
        p: (f64, f64),
    },
}

/// Find the input's value at which P(rule) crosses `level`, by bisection on reruns with
/// the input fixed (each rerun sees the same draws of the other inputs, so P(rule) moves
/// only with the fixed value). With a model that is not monotone in the input, one of the
/// crossings is found.
pub fn crossing(
    re: &Reruns,
    input: &str,
    rule: &Rule,
    level: f64,
) -> Result<Crossing, SpiderError> {
    let s = re.scenario;
    let i = s
        .input_index(input)
        .ok_or_else(|| SpiderError::UnknownInput(input.to_string()))?;
    let (lo, hi) = (s.inputs[i].quantile(RANGE.0), s.inputs[i].quantile(RANGE.1));
    let p = |v: f64| -> Result<f64, SpiderError> {
        let y = run_fixed(
            s,
            input,
            v,
            rule.metric,
            re.trials,
            re.seed,
            re.repair,
            re.opts,
        )?;
        Ok(y.iter().filter(|x| rule.holds(**x)).count() as f64 / y.len().max(1) as f64)
    };
    let (p_lo, p_hi) = (p(lo)?, p(hi)?);
    let reached = |q: f64| q >= level;
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) || reached(p_lo) == reached(p_hi) {
        return Ok(Crossing::Never {
            range: (lo, hi),
            p: (p_lo, p_hi),
        });
    }
    let (mut a, mut b) = (lo, hi);
    while b - a > TOLERANCE * (hi - lo) {
        let m = 0.5 * (a + b);
        if reached(p(m)?) == reached(p_lo) {
            a = m;
        } else {
            b = m;
        }
    }
    Ok(Crossing::At {
        value: 0.5 * (a + b),
        side: if reached(p_hi) {
            Side::AtLeast
        } else {
            Side::AtMost
        },
    })
}

/// The whole analysis: filtering and deciles on the kept trials (`cols[k]` the draws of
/// input `names[k]`, `y` the rule's metric), then thresholds for the `top` most
/// influential inputs.
pub fn target(
    names: &[String],
    cols: &[&[f64]],
    y: &[f64],
    rule: &Rule,
    level: f64,
    top: usize,
    re: &Reruns,
) -> Result<Target, TargetError> {
    if y.len() < MIN_TRIALS {
        return Err(TargetError::TooFewTrials(y.len()));
    }
    let undefined = y.iter().filter(|v| v.is_nan()).count();
    if undefined > 0 {
        return Err(TargetError::Undefined {
            metric: rule.metric_name.clone(),
            rule: rule.text.clone(),
            count: undefined,
        });
    }
    let (probability, mut inputs) = filter(names, cols, y, rule);
    let what = probability_name(rule);
    for row in inputs.iter_mut().take(top) {
        match crossing(re, &row.input, rule, level)? {
            Crossing::At { value, side } => {
                row.threshold = Some(value);
                row.threshold_side = Some(side);
            }
            Crossing::Never { range, p } => {
                let (from, to) = (p.0.min(p.1), p.0.max(p.1));
                let stays = if from >= level { "above" } else { "below" };
                row.note = Some(format!(
                    "{what} stays between {} and {} ({stays} {}) with {} fixed anywhere from {} to {} (its P1–P99)",
                    format::percent(from),
                    format::percent(to),
                    format::percent(level),
                    row.input,
                    format::value(range.0),
                    format::value(range.1),
                ));
            }
        }
    }
    Ok(Target {
        rule: rule.text.clone(),
        probability,
        trials: y.len() as u64,
        level,
        threshold_trials: re.trials,
        inputs,
        parsed: rule.clone(),
    })
}

/// `P(payback ≤ 24)`.
pub fn probability_name(rule: &Rule) -> String {
    format!("P({})", rule.pretty())
}

impl Target {
    /// The input to watch, in plain words: the most influential input, what its worst
    /// decile does to P(rule), and the value one would need to believe. None when no
    /// input can be named (every trial meets the rule, or none does).
    pub fn watch(&self) -> Option<String> {
        self.watch_as(&probability_name(&self.parsed), &format::value)
    }

    /// [`Target::watch`] with the probability named in the reader's words (`"the chance
    /// of paying back within two years"`) and input values written by `value`.
    pub fn watch_as(&self, what: &str, value: &dyn Fn(f64) -> String) -> Option<String> {
        let top = self.inputs.first().filter(|r| r.ks.is_some())?;
        let (worst, p_worst, other, p_other) = if top.p_low_decile <= top.p_high_decile {
            ("lowest", top.p_low_decile, "highest", top.p_high_decile)
        } else {
            ("highest", top.p_high_decile, "lowest", top.p_low_decile)
        };
        let verb = if p_worst < self.probability {
            "falls"
        } else {
            "moves"
        };
        let mut s = format!(
            "The input to watch is {}: if it lands in its {worst} 10%, {what} {verb} from {} to {} (in its {other} 10% it is {}).",
            top.input,
            format::percent(self.probability),
            format::percent(p_worst),
            format::percent(p_other),
        );
        match (top.threshold, top.threshold_side, &top.note) {
            (Some(t), Some(side), _) => s.push_str(&format!(
                " For {what} to reach {}, you would need to believe that {} is at {} {}.",
                format::percent(self.level),
                top.input,
                if side == Side::AtLeast {
                    "least"
                } else {
                    "most"
                },
                value(t)
            )),
            (_, _, Some(n)) => s.push_str(&format!(" {}.", upper_first(n))),
            _ => {}
        }
        Some(s)
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::rule::parse;

    #[test]
    fn ks_distance_of_known_samples() {
        assert_eq!(ks_distance(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]), 0.0);
        assert_eq!(ks_distance(&[1.0, 2.0], &[3.0, 4.0]), 1.0);
        // F_a jumps to 1/2 at 1, F_b stays 0 until 1.5: D = 1/2.
        assert_eq!(ks_distance(&[1.0, 2.0], &[1.5, 2.5]), 0.5);
        // Ties step together: two Bernoulli samples with shares 0.25 and 0.75 of zeros.
        let a = [0.0, 1.0, 1.0, 1.0];
        let b = [0.0, 0.0, 0.0, 1.0];
        assert_eq!(ks_distance(&a, &b), 0.5);
    }

    #[test]
    fn kolmogorov_tail_matches_tabulated_values() {
        // Critical values of the Kolmogorov distribution: P(K > 1.3581) = 0.05,
        // P(K > 1.6276) = 0.01, P(K > 1.2238) = 0.10; the two series agree at the switch.
        assert!((kolmogorov_q(1.3581) - 0.05).abs() < 1e-4);
        assert!((kolmogorov_q(1.6276) - 0.01).abs() < 1e-4);
        assert!((kolmogorov_q(1.2238) - 0.10).abs() < 1e-4);
        let a = 1.0
            - (2.0 * std::f64::consts::PI).sqrt() / 1.18
                * (1..=8)
                    .map(|j| {
                        (-((2 * j - 1) as f64).powi(2) * std::f64::consts::PI.powi(2)
                            / (8.0 * 1.18 * 1.18))
                            .exp()
                    })
                    .sum::<f64>();
        assert!((a - kolmogorov_q(1.18)).abs() < 1e-12);
        assert!((kolmogorov_q(0.5) - 0.9639).abs() < 1e-4);
        assert_eq!(kolmogorov_q(0.0), 1.0);
    }

    #[test]
    fn deciles_and_filtering_on_a_step() {
        // y = x: `y <= 30` is met exactly by the 31 lowest of 100 draws.
        let x: Vec<f64> = (0..100).map(|i| ((i * 37) % 100) as f64).collect();
        let noise: Vec<f64> = (0..100).map(|i| (i % 10) as f64).collect();
        let rule = parse("npv <= 30", &[]).unwrap();
        let names = ["x".to_string(), "noise".to_string()];
        let (p, rows) = filter(&names, &[&x, &noise], &x, &rule);
        assert_eq!(p, 0.31);
        assert_eq!(rows[0].input, "x");
        assert_eq!(rows[0].ks, Some(1.0));
        assert!(rows[0].ks_p.unwrap() < 1e-6);
        assert_eq!((rows[0].p_low_decile, rows[0].p_high_decile), (1.0, 0.0));
        assert_eq!(rows[0].median_met, Some(15.0));
        assert_eq!(rows[0].median_not_met, Some(65.0));
        assert!(rows[1].ks.unwrap() < 0.2, "{:?}", rows[1]);
    }

    #[test]
    fn no_split_leaves_the_distance_undefined() {
        let x: Vec<f64> = (0..100).map(f64::from).collect();
        let rule = parse("npv > -1", &[]).unwrap();
        let (p, rows) = filter(&["x".to_string()], &[&x], &x, &rule);
        assert_eq!(p, 1.0);
        assert_eq!(
            (rows[0].ks, rows[0].ks_p, rows[0].median_not_met),
            (None, None, None)
        );
        assert_eq!((rows[0].p_low_decile, rows[0].p_high_decile), (1.0, 1.0));
    }
}
