//! The summary of a run: the JSON wire format (`schema_version` 2) and the numbers every
//! report reads, so that the table, JSON, CSV and charts cannot disagree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::stats::{Moments, interpolate, order_stat_ci_ranks, rank_of, wilson};

/// Percentiles reported everywhere.
pub const PERCENTILES: [(&str, f64); 7] = [
    ("p5", 0.05),
    ("p10", 0.10),
    ("p25", 0.25),
    ("p50", 0.50),
    ("p75", 0.75),
    ("p90", 0.90),
    ("p95", 0.95),
];

/// Values at the standard percentiles.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Pct<T> {
    /// 5th percentile.
    pub p5: T,
    /// 10th.
    pub p10: T,
    /// 25th.
    pub p25: T,
    /// Median.
    pub p50: T,
    /// 75th.
    pub p75: T,
    /// 90th.
    pub p90: T,
    /// 95th.
    pub p95: T,
}

impl<T> Pct<T> {
    /// Build from a function of the probability.
    pub fn from_fn(mut f: impl FnMut(f64) -> T) -> Self {
        Pct {
            p5: f(0.05),
            p10: f(0.10),
            p25: f(0.25),
            p50: f(0.50),
            p75: f(0.75),
            p90: f(0.90),
            p95: f(0.95),
        }
    }

    /// (name, value) pairs in order.
    pub fn iter(&self) -> [(&'static str, &T); 7] {
        [
            ("P5", &self.p5),
            ("P10", &self.p10),
            ("P25", &self.p25),
            ("P50", &self.p50),
            ("P75", &self.p75),
            ("P90", &self.p90),
            ("P95", &self.p95),
        ]
    }
}

/// 95% intervals of the percentiles, serialised as `p5_ci` … `p95_ci`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PctCi<T> {
    /// Interval of P5.
    pub p5_ci: [T; 2],
    /// Interval of P10.
    pub p10_ci: [T; 2],
    /// Interval of P25.
    pub p25_ci: [T; 2],
    /// Interval of P50.
    pub p50_ci: [T; 2],
    /// Interval of P75.
    pub p75_ci: [T; 2],
    /// Interval of P90.
    pub p90_ci: [T; 2],
    /// Interval of P95.
    pub p95_ci: [T; 2],
}

impl<T> PctCi<T> {
    fn from_fn(mut f: impl FnMut(f64) -> [T; 2]) -> Self {
        PctCi {
            p5_ci: f(0.05),
            p10_ci: f(0.10),
            p25_ci: f(0.25),
            p50_ci: f(0.50),
            p75_ci: f(0.75),
            p90_ci: f(0.90),
            p95_ci: f(0.95),
        }
    }
}

/// Payback distribution: percentiles are `null` beyond the horizon.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PaybackStats {
    /// Percentiles in months (None = beyond the horizon).
    #[serde(flatten)]
    pub pct: Pct<Option<f64>>,
    /// Their 95% intervals (an end beyond the horizon is null).
    #[serde(flatten)]
    pub ci: PctCi<Option<f64>>,
    /// Share of trials paying back by H.
    pub prob_within_horizon: f64,
    /// Wilson interval.
    pub prob_within_horizon_ci: [f64; 2],
    /// P(payback ≤ 12 months); `null` when the horizon is shorter than 12 months (a trial
    /// that has not paid back by the horizon might still pay back by month 12).
    pub prob_within_12: Option<f64>,
    /// Its 95% interval (`null` with it).
    pub prob_within_12_ci: Option<[f64; 2]>,
    /// P(payback ≤ 24 months); `null` when the horizon is shorter than 24 months.
    pub prob_within_24: Option<f64>,
    /// Its 95% interval.
    pub prob_within_24_ci: Option<[f64; 2]>,
    /// Mean of the paybacks of trials that pay back (None if none do).
    pub mean_if_paid_back: Option<f64>,
}

/// A money or ratio distribution.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ValueStats {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// Monte Carlo standard error of the mean.
    pub mean_se: f64,
    /// Percentiles.
    #[serde(flatten)]
    pub pct: Pct<f64>,
    /// 95% intervals.
    #[serde(flatten)]
    pub ci: PctCi<f64>,
}

/// NPV: a value distribution plus P(NPV < 0).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct NpvStats {
    /// The distribution.
    #[serde(flatten)]
    pub stats: ValueStats,
    /// P(NPV < 0).
    pub prob_negative: f64,
    /// Wilson interval.
    pub prob_negative_ci: [f64; 2],
}

/// One TCO category.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CategoryStats {
    /// Category.
    pub category: String,
    /// Mean over trials.
    pub mean: f64,
    /// P10.
    pub p10: f64,
    /// P90.
    pub p90: f64,
}

/// TCO: a value distribution plus the breakdown.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TcoStats {
    /// The distribution of the total.
    #[serde(flatten)]
    pub stats: ValueStats,
    /// Category → mean.
    pub by_category: BTreeMap<String, f64>,
    /// Categories with P10–P90, largest mean first.
    pub categories: Vec<CategoryStats>,
}

/// The summary object printed by `run --format json` and written as `summary.json`.
///
/// `V` is the verdict's type: [`Verdict`] in every summary a run makes ([`Summary`]); a
/// summary read back from a part file is first read with its verdict sentence ignored and
/// then judged again from its own payback statistics ([`SummaryOf::judged`]).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SummaryOf<V> {
    /// Wire format version.
    pub schema_version: u32,
    /// Scenario name.
    pub scenario: String,
    /// Currency.
    pub currency: String,
    /// Trials run.
    pub trials: u64,
    /// Seed.
    pub seed: u64,
    /// How inputs were sampled.
    pub sampling: Sampling,
    /// H.
    pub horizon_months: u32,
    /// Annual rate.
    pub discount_rate: f64,
    /// Simple payback.
    pub payback: PaybackStats,
    /// Discounted payback.
    pub discounted_payback: PaybackStats,
    /// NPV.
    pub npv: NpvStats,
    /// ROI = (PV benefits − PV costs) / PV costs, as a ratio (0.25 = 25%). `null` when the
    /// PV of costs is 0 or negative in any trial: ROI is undefined there (a warning says in
    /// how many).
    pub roi: Option<ValueStats>,
    /// Undiscounted total cost over 0..H.
    pub tco: TcoStats,
    /// PV of costs.
    pub pv_costs: ValueStats,
    /// PV of benefits.
    pub pv_benefits: ValueStats,
    /// Peak funding need: the most the undiscounted cumulative cash flow is ever below
    /// zero, max(0, −min over months of Cum(t)) — the cash the project must be fronted
    /// before it pays for itself (currency; 0 when it never goes below zero).
    pub peak_funding: ValueStats,
    /// The rule-of-thumb verdict (serialised as its sentence).
    pub verdict: V,
    /// Things the analyst should know.
    pub warnings: Vec<String>,
    /// How the intervals and standard errors were estimated.
    pub intervals: Intervals,
    /// Precision control, when requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
}

/// The summary of a run, with its verdict.
pub type Summary = SummaryOf<Verdict>;

impl<'de> Deserialize<'de> for Summary {
    /// Reads a summary, judging its verdict again from its payback statistics (the
    /// sentence is not read back).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        SummaryOf::<serde::de::IgnoredAny>::deserialize(d).map(SummaryOf::judged)
    }
}

impl SummaryOf<serde::de::IgnoredAny> {
    /// The summary with its verdict judged from its own payback statistics (as the run
    /// that wrote it judged it).
    pub fn judged(self) -> Summary {
        let verdict = Verdict::judge(&self.payback, self.horizon_months, self.sampling);
        Summary {
            schema_version: self.schema_version,
            scenario: self.scenario,
            currency: self.currency,
            trials: self.trials,
            seed: self.seed,
            sampling: self.sampling,
            horizon_months: self.horizon_months,
            discount_rate: self.discount_rate,
            payback: self.payback,
            discounted_payback: self.discounted_payback,
            npv: self.npv,
            roi: self.roi,
            tco: self.tco,
            pv_costs: self.pv_costs,
            pv_benefits: self.pv_benefits,
            peak_funding: self.peak_funding,
            verdict,
            warnings: self.warnings,
            intervals: self.intervals,
            precision: self.precision,
        }
    }
}

/// How a run's inputs were drawn, as its summary records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sampling {
    /// Keyed Monte Carlo draws.
    Mc,
    /// A Latin hypercube.
    Lhs,
    /// Scrambled Sobol points.
    Sobol,
    /// One trial with every input at its point value.
    Deterministic,
}

impl Sampling {
    /// The name written in summaries, tables and footers: `mc`, `lhs`, `sobol` or
    /// `deterministic`.
    pub fn name(self) -> &'static str {
        match self {
            Sampling::Mc => "mc",
            Sampling::Lhs => "lhs",
            Sampling::Sobol => "sobol",
            Sampling::Deterministic => "deterministic",
        }
    }
}

impl From<crate::sampling::Method> for Sampling {
    fn from(m: crate::sampling::Method) -> Self {
        use crate::sampling::Method;
        match m {
            Method::Mc => Sampling::Mc,
            Method::Lhs => Sampling::Lhs,
            Method::Sobol => Sampling::Sobol,
        }
    }
}

impl std::fmt::Display for Sampling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How a summary's intervals and standard errors were estimated.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Intervals {
    /// Formulas for independent draws: Wilson intervals for probabilities, order-statistic
    /// intervals for percentiles, s/√n for means (Monte Carlo sampling, or a Latin
    /// hypercube or Sobol run too small to split into replicates, where they overstate
    /// the error).
    IndependentDraws,
    /// The spread between independent replicates of a Latin hypercube or Sobol design
    /// (Student's t with replicates − 1 degrees of freedom). `percentiles` says whether the
    /// percentile intervals come from the replicates too (true whenever replicates are
    /// used; a percentile whose replicates cannot measure the error keeps its
    /// order-statistic interval).
    Replicates {
        /// Number of replicates.
        replicates: u64,
        /// Do the percentile intervals come from the replicates too?
        percentiles: bool,
    },
}

/// The outcome of `--precision` / `--precision-npv`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Precision {
    /// Target ± months for P50 and P90 payback.
    pub target_months: Option<f64>,
    /// Target ± share of mean NPV.
    pub target_npv_relative: Option<f64>,
    /// Achieved half-width of the P50 payback interval (null = beyond the horizon).
    pub p50_half_width: Option<f64>,
    /// Achieved half-width of the P90 payback interval.
    pub p90_half_width: Option<f64>,
    /// Achieved half-width of mean NPV's interval over |mean|.
    pub npv_relative_half_width: f64,
    /// Were the targets met (false = stopped at max_trials)?
    pub met: bool,
    /// The trial limit.
    pub max_trials: u64,
    /// Why precision control stopped (not written: `met` and the limit say it).
    #[serde(skip)]
    pub stop: PrecisionStop,
}

/// Why precision control stopped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PrecisionStop {
    /// The targets were met.
    #[default]
    Met,
    /// A target in months cannot be met: the P50 or P90 payback lies beyond the horizon.
    OutOfReach,
    /// The trial limit was reached first.
    Limit,
}

/// Half-width of a percentile interval; None when an end is beyond the horizon.
pub fn half_width(ci: [Option<f64>; 2]) -> Option<f64> {
    match ci {
        [Some(a), Some(b)] => Some((b - a) / 2.0),
        _ => None,
    }
}

/// Everything needed to summarise one output: order statistics at requested ranks and
/// moments of its finite values.
pub trait OrderStats: Send + Sync {
    /// Number of values (including +∞).
    fn n(&self) -> u64;
    /// The value at 0-based rank r.
    fn at(&self, r: u64) -> f64;
    /// Moments of the finite values.
    fn moments(&self) -> Moments;
}

/// Order statistics of values held in memory, found by selection (no full sort).
pub struct Selected {
    n: u64,
    at: std::collections::BTreeMap<u64, f64>,
    m: Moments,
}

impl Selected {
    /// Moments in trial order, then the order statistics at `ranks` by repeated
    /// `select_nth_unstable` on shrinking sub-slices (O(n · log k) expected).
    pub fn new(mut v: Vec<f64>, ranks: &[u64]) -> Self {
        let m = Moments::of(&v);
        let n = v.len() as u64;
        let mut at = std::collections::BTreeMap::new();
        let mut ranks: Vec<u64> = ranks.iter().copied().filter(|r| *r < n).collect();
        ranks.sort_unstable();
        ranks.dedup();
        multi_select(&mut v, 0, &ranks, &mut at);
        Selected { n, at, m }
    }

    /// Order statistics of `n` values already found at some ranks (`at`: rank → value),
    /// with their moments.
    pub fn found(n: u64, at: BTreeMap<u64, f64>, m: Moments) -> Self {
        Selected { n, at, m }
    }
}

/// Find the order statistics at sorted `ranks` (absolute, offset by `base`) in `v` by
/// divide and conquer: select the middle rank, then recurse on each side.
fn multi_select(
    v: &mut [f64],
    base: usize,
    ranks: &[u64],
    at: &mut std::collections::BTreeMap<u64, f64>,
) {
    if ranks.is_empty() || v.is_empty() {
        return;
    }
    let mid = ranks.len() / 2;
    let r = ranks[mid] as usize - base;
    let (left, x, right) = v.select_nth_unstable_by(r, f64::total_cmp);
    at.insert(ranks[mid], *x);
    multi_select(left, base, &ranks[..mid], at);
    multi_select(right, base + r + 1, &ranks[mid + 1..], at);
}

impl OrderStats for Selected {
    fn n(&self) -> u64 {
        self.n
    }
    fn at(&self, r: u64) -> f64 {
        self.at.get(&r).copied().unwrap_or(f64::NAN)
    }
    fn moments(&self) -> Moments {
        self.m
    }
}

/// Every 0-based rank the summary reads for n values.
pub fn needed_ranks(n: u64) -> Vec<u64> {
    let mut r = Vec::new();
    for p in [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95] {
        let h = rank_of(p, n);
        r.push(h.floor() as u64);
        r.push((h.floor() as u64 + 1).min(n.saturating_sub(1)));
        let (a, b) = order_stat_ci_ranks(p, n);
        r.push(a);
        r.push(b);
    }
    r.sort_unstable();
    r.dedup();
    r
}

/// The 0-based ranks that percentiles `ps` interpolate between (no intervals).
pub fn percentile_ranks(n: u64, ps: &[f64]) -> Vec<u64> {
    let mut r: Vec<u64> = ps
        .iter()
        .flat_map(|p| {
            let h = rank_of(*p, n).floor() as u64;
            [h, (h + 1).min(n.saturating_sub(1))]
        })
        .collect();
    r.sort_unstable();
    r.dedup();
    r
}

/// Percentile p from order statistics.
pub fn percentile(o: &dyn OrderStats, p: f64) -> f64 {
    let n = o.n();
    if n == 0 {
        return f64::NAN;
    }
    let h = rank_of(p, n);
    let i = h.floor() as u64;
    interpolate(o.at(i), o.at((i + 1).min(n - 1)), h)
}

fn ci(o: &dyn OrderStats, p: f64) -> [f64; 2] {
    let (a, b) = order_stat_ci_ranks(p, o.n());
    [o.at(a), o.at(b)]
}

fn fin(x: f64) -> Option<f64> {
    if x.is_finite() { Some(x) } else { None }
}

/// Payback statistics; `counts` = (≤ 12, ≤ 24, ≤ H) counts of trials. A threshold beyond
/// the horizon cannot be decided by the run: its probability is `None`.
pub fn payback_stats(o: &dyn OrderStats, counts: [u64; 3], horizon: u32) -> PaybackStats {
    let [le12, le24, within] = counts;
    let n = o.n();
    let prob = |k: u64| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    let w = |k: u64| {
        let (a, b) = wilson(k, n);
        [a, b]
    };
    let m = o.moments();
    PaybackStats {
        pct: Pct::from_fn(|p| fin(percentile(o, p))),
        ci: PctCi::from_fn(|p| {
            let [a, b] = ci(o, p);
            [fin(a), fin(b)]
        }),
        prob_within_horizon: prob(within),
        prob_within_horizon_ci: w(within),
        prob_within_12: (horizon >= 12).then(|| prob(le12)),
        prob_within_12_ci: (horizon >= 12).then(|| w(le12)),
        prob_within_24: (horizon >= 24).then(|| prob(le24)),
        prob_within_24_ci: (horizon >= 24).then(|| w(le24)),
        mean_if_paid_back: if m.n > 0 { Some(m.mean) } else { None },
    }
}

/// Statistics of a finite-valued output.
pub fn value_stats(o: &dyn OrderStats) -> ValueStats {
    let m = o.moments();
    ValueStats {
        mean: m.mean,
        sd: m.sd(),
        mean_se: m.se(),
        pct: Pct::from_fn(|p| percentile(o, p)),
        ci: PctCi::from_fn(|p| ci(o, p)),
    }
}

/// Statistics of an output that may be undefined (non-finite) in some trials, such as ROI
/// when the PV of costs is 0: `None` if any trial's value is not finite, never statistics
/// of the defined trials alone. Returns the number of undefined trials as well.
pub fn defined_value_stats(o: &dyn OrderStats) -> (Option<ValueStats>, u64) {
    let undefined = o.n() - o.moments().n;
    if undefined > 0 || o.n() == 0 {
        (None, undefined)
    } else {
        (Some(value_stats(o)), 0)
    }
}

/// The rule of thumb of the source documents (under 12 months is good; over 24 needs a
/// strategic reason), stated as probabilities (shares of trials, 0..1). Written as one
/// sentence (its `Display`): "Label: detail." The numbers are those the sentence shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Verdict {
    /// P(payback ≤ 12 months) ≥ 80%.
    Good {
        /// P(payback ≤ 12 months).
        within_12: f64,
    },
    /// The horizon is shorter than 24 months: the two-year rule cannot be judged.
    Undecided {
        /// The horizon in months.
        horizon: u32,
        /// P(payback ≤ horizon).
        within_horizon: f64,
    },
    /// P(payback ≤ 24 months) ≥ 80%.
    Acceptable {
        /// P(payback ≤ 24 months).
        within_24: f64,
        /// P(payback ≤ 12 months).
        within_12: f64,
    },
    /// 50% ≤ P(payback ≤ 24 months) < 80%.
    Risky {
        /// P(payback ≤ 24 months).
        within_24: f64,
        /// P(no payback within the horizon).
        never: f64,
        /// The horizon in months.
        horizon: u32,
    },
    /// P(payback ≤ 24 months) < 50%.
    NeedsReason {
        /// P(payback ≤ 24 months).
        within_24: f64,
        /// P(no payback within the horizon).
        never: f64,
        /// The horizon in months.
        horizon: u32,
    },
    /// One trial at the point values, which says nothing about chances.
    PointValues {
        /// Its payback in months (None: not within the horizon).
        payback: Option<f64>,
        /// The horizon in months.
        horizon: u32,
    },
}

/// How a verdict reads at a glance (the colour of the report's verdict box).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Good.
    Good,
    /// Acceptable.
    Ok,
    /// Risky.
    Warn,
    /// Needs a strategic reason.
    Bad,
    /// No rating (undecided, point values).
    Neutral,
}

impl Verdict {
    /// The verdict of a run's payback statistics; a point-value run gets no verdict in
    /// probabilities.
    pub fn judge(p: &PaybackStats, horizon: u32, sampling: Sampling) -> Self {
        if sampling == Sampling::Deterministic {
            return Verdict::PointValues {
                payback: p.pct.p50,
                horizon,
            };
        }
        let never = 1.0 - p.prob_within_horizon;
        if let Some(within_12) = p.prob_within_12.filter(|x| *x >= 0.8) {
            return Verdict::Good { within_12 };
        }
        let Some(within_24) = p.prob_within_24 else {
            return Verdict::Undecided {
                horizon,
                within_horizon: p.prob_within_horizon,
            };
        };
        if within_24 >= 0.8 {
            Verdict::Acceptable {
                within_24,
                within_12: p.prob_within_12.unwrap_or(0.0),
            }
        } else if within_24 >= 0.5 {
            Verdict::Risky {
                within_24,
                never,
                horizon,
            }
        } else {
            Verdict::NeedsReason {
                within_24,
                never,
                horizon,
            }
        }
    }

    /// The short rating that opens the sentence ("Good", "Risky", …); None for a
    /// point-value run, whose sentence has no rating.
    pub fn label(&self) -> Option<&'static str> {
        match self {
            Verdict::Good { .. } => Some("Good"),
            Verdict::Undecided { .. } => Some("Undecided"),
            Verdict::Acceptable { .. } => Some("Acceptable"),
            Verdict::Risky { .. } => Some("Risky"),
            Verdict::NeedsReason { .. } => Some("Needs a strategic reason"),
            Verdict::PointValues { .. } => None,
        }
    }

    /// How it reads at a glance.
    pub fn tone(&self) -> Tone {
        match self {
            Verdict::Good { .. } => Tone::Good,
            Verdict::Acceptable { .. } => Tone::Ok,
            Verdict::Risky { .. } => Tone::Warn,
            Verdict::NeedsReason { .. } => Tone::Bad,
            Verdict::Undecided { .. } | Verdict::PointValues { .. } => Tone::Neutral,
        }
    }

    /// The sentence after the rating (the whole sentence when there is none).
    pub fn detail(&self) -> String {
        let pct = crate::format::percent_whole;
        match *self {
            Verdict::Good { within_12 } => format!(
                "pays back within a year in {} of trials (rule of thumb: under 12 months is good).",
                pct(within_12)
            ),
            Verdict::Undecided {
                horizon,
                within_horizon,
            } => format!(
                "the {horizon}-month horizon is too short to judge the two-year rule; it pays back within {horizon} months in {} of trials.",
                pct(within_horizon)
            ),
            Verdict::Acceptable {
                within_24,
                within_12,
            } => format!(
                "pays back within two years in {} of trials, within one year in {}.",
                pct(within_24),
                pct(within_12)
            ),
            Verdict::Risky {
                within_24,
                never,
                horizon,
            } => format!(
                "{} chance of paying back within two years; {} chance it takes longer than 24 months{}, which needs a strategic reason.",
                pct(within_24),
                pct(1.0 - within_24),
                if never > 0.0 {
                    format!(" ({} never within {horizon} months)", pct(never))
                } else {
                    String::new()
                }
            ),
            Verdict::NeedsReason {
                within_24,
                never,
                horizon,
            } => format!(
                "only {} chance of paying back within two years ({} never within {horizon} months).",
                pct(within_24),
                pct(never)
            ),
            Verdict::PointValues { payback, horizon } => format!(
                "Point values only (one trial, no uncertainty): {}; a run with uncertain inputs gives the chances.",
                match payback {
                    Some(m) => format!("pays back in {m:.1} months"),
                    None => format!("does not pay back within {horizon} months"),
                }
            ),
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.label() {
            Some(l) => write!(f, "{l}: {}", self.detail()),
            None => f.write_str(&self.detail()),
        }
    }
}

impl Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
