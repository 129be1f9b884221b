//! Error estimates from independent replicates (randomised quasi-Monte Carlo practice).
//!
//! Latin hypercube and Sobol designs are not independent draws: their pooled estimates
//! are usually far more precise than the independent-draws formulas (binomial, order
//! statistics, s/√n) say. A replicated design ([`crate::sampling::REPLICATES`] independent
//! randomisations over contiguous trial ranges) estimates each statistic once per
//! replicate; the spread of those R estimates gives the standard error of the pooled one,
//! se = sd_R / √R, and its 95% interval uses Student's t with R − 1 degrees of freedom.

use crate::accum::{Counts, Metric, SumAcc};
use crate::engine::{BatchOut, replicate_segments};
use crate::stats::Moments;
use crate::summary::{Intervals, PctCi, Summary, ValueStats};

/// Student's t 97.5% quantile with 15 degrees of freedom (16 replicates).
pub const T975_15: f64 = 2.131_449_545_559_323;

/// Student's t 97.5% quantile for `df` degrees of freedom (exact for 15; a Cornish–Fisher
/// expansion otherwise, within 0.2% for df ≥ 5).
pub fn t975(df: u64) -> f64 {
    if df == 15 {
        return T975_15;
    }
    let z = crate::stats::Z975;
    let v = df.max(1) as f64;
    let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
    z + (z3 + z) / (4.0 * v)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v * v * v)
}

/// Per-replicate moments of every output and tallies of the reported probabilities.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct ReplicateAcc {
    n: u64,
    r: u64,
    sums: Vec<Vec<SumAcc>>,
    tally: Vec<Counts>,
}

impl ReplicateAcc {
    /// For `n` trials in `r` replicates and `outputs` outputs.
    pub fn new(n: u64, r: u64, outputs: usize) -> Self {
        ReplicateAcc {
            n,
            r,
            sums: vec![vec![SumAcc::default(); outputs]; r as usize],
            tally: vec![Counts::default(); r as usize],
        }
    }

    /// Take one batch, given each output's column.
    pub fn absorb_cols(&mut self, b: &BatchOut, cols: &[&[f64]]) {
        if self.r <= 1 {
            return;
        }
        for (rep, lanes) in replicate_segments(b.start, b.len, self.n, self.r) {
            for (k, col) in cols.iter().enumerate() {
                self.sums[rep][k].add_batch(&col[lanes.clone()]);
            }
            self.tally[rep].add(b, lanes);
        }
    }

    /// Combine with the accumulator of later trials of the same run.
    pub fn merge(&mut self, o: &ReplicateAcc) {
        for (a, b) in self.sums.iter_mut().zip(&o.sums) {
            for (x, y) in a.iter_mut().zip(b) {
                x.merge(y);
            }
        }
        for (a, b) in self.tally.iter_mut().zip(&o.tally) {
            a.merge(b);
        }
    }

    /// Replicates.
    pub fn replicates(&self) -> u64 {
        self.r
    }

    /// Whether this accumulator has the shape of one for `n` trials in `r` replicates and
    /// `outputs` outputs, and counts `trials` trials in all (checked on states read from
    /// files).
    pub fn fits(&self, n: u64, r: u64, outputs: usize, trials: u64) -> bool {
        let counted = self
            .tally
            .iter()
            .map(|c| c.n)
            .try_fold(0u64, u64::checked_add);
        // A run of one replicate keeps no per-replicate tallies.
        let expected = if r > 1 { trials } else { 0 };
        self.n == n
            && self.r == r
            && self.sums.len() == r as usize
            && self.tally.len() == r as usize
            && self.sums.iter().all(|s| s.len() == outputs)
            && counted == Some(expected)
    }
}

/// Mean and standard error (sd / √R) of per-replicate estimates.
fn spread(v: &[f64]) -> (f64, f64) {
    let m = Moments::of(v);
    (m.mean, m.sd() / (v.len().max(1) as f64).sqrt())
}

fn interval(centre: f64, se: f64, t: f64, lo: f64, hi: f64) -> [f64; 2] {
    [(centre - t * se).max(lo), (centre + t * se).min(hi)]
}

/// Per-replicate percentiles of one output: `by_rep[r]` = the 7 standard percentiles of
/// replicate r (payback: ∞ beyond the horizon).
pub type RepPercentiles = Vec<[f64; 7]>;

/// Replicate-based intervals of the 7 percentiles. Where the replicates cannot estimate
/// the error — some replicate's percentile is beyond the horizon, or all replicates agree
/// exactly (an atom: no spread to measure) — the order-statistic interval `fallback` stays.
fn pct_ci<T: Copy>(
    centre: &[f64; 7],
    reps: &RepPercentiles,
    t: f64,
    fallback: [[T; 2]; 7],
    wrap: impl Fn(f64) -> T,
) -> [[T; 2]; 7] {
    let mut out = fallback;
    for j in 0..7 {
        let v: Vec<f64> = reps.iter().map(|p| p[j]).collect();
        if v.iter().all(|x| x.is_finite()) && centre[j].is_finite() {
            let (_, se) = spread(&v);
            if se > 0.0 {
                let [a, b] = interval(centre[j], se, t, f64::NEG_INFINITY, f64::INFINITY);
                out[j] = [wrap(a), wrap(b)];
            }
        }
    }
    out
}

fn ci_array<T: Copy>(c: &PctCi<T>) -> [[T; 2]; 7] {
    [
        c.p5_ci, c.p10_ci, c.p25_ci, c.p50_ci, c.p75_ci, c.p90_ci, c.p95_ci,
    ]
}

fn set_ci<T>(ci: &mut PctCi<T>, v: [[T; 2]; 7]) {
    let [a, b, c, d, e, f, g] = v;
    *ci = PctCi {
        p5_ci: a,
        p10_ci: b,
        p25_ci: c,
        p50_ci: d,
        p75_ci: e,
        p90_ci: f,
        p95_ci: g,
    };
}

fn pcts(v: &ValueStats) -> [f64; 7] {
    let p = &v.pct;
    [p.p5, p.p10, p.p25, p.p50, p.p75, p.p90, p.p95]
}

/// Replace the summary's independent-draws errors by replicate-based ones. `percentiles`
/// holds per-replicate percentiles by output index (0 payback, 1 discounted payback,
/// 2 NPV, 3 ROI, 4 TCO, 5 PV costs, 6 PV benefits) when they were computed; without them
/// the percentile intervals stay the order-statistic ones (and the summary says so).
pub fn apply(s: &mut Summary, acc: &ReplicateAcc, percentiles: Option<&[RepPercentiles]>) {
    let r = acc.r;
    if r <= 1 {
        return;
    }
    let t = t975(r - 1);
    s.intervals = Intervals::Replicates {
        replicates: r,
        percentiles: percentiles.is_some(),
    };
    let share = |f: &dyn Fn(&Counts) -> u64| -> Vec<f64> {
        acc.tally
            .iter()
            .map(|x| f(x) as f64 / x.n.max(1) as f64)
            .collect()
    };
    // When every replicate saw the same share (typically none or all trials: a rare event
    // not observed), the spread says nothing about the error: keep the Wilson interval.
    let prob_ci = |centre: f64, v: Vec<f64>, wilson: [f64; 2]| {
        let se = spread(&v).1;
        if se > 0.0 {
            interval(centre, se, t, 0.0, 1.0)
        } else {
            wilson
        }
    };
    for (stats, pick) in [(&mut s.payback, 0usize), (&mut s.discounted_payback, 1)] {
        let get = |x: &Counts, i: usize| if pick == 0 { x.pb[i] } else { x.dpb[i] };
        stats.prob_within_horizon_ci = prob_ci(
            stats.prob_within_horizon,
            share(&|x| get(x, 2)),
            stats.prob_within_horizon_ci,
        );
        if let (Some(p), Some(w)) = (stats.prob_within_12, stats.prob_within_12_ci) {
            stats.prob_within_12_ci = Some(prob_ci(p, share(&|x| get(x, 0)), w));
        }
        if let (Some(p), Some(w)) = (stats.prob_within_24, stats.prob_within_24_ci) {
            stats.prob_within_24_ci = Some(prob_ci(p, share(&|x| get(x, 1)), w));
        }
        if let Some(reps) = percentiles.and_then(|p| p.get(pick)) {
            let centre = [
                stats.pct.p5,
                stats.pct.p10,
                stats.pct.p25,
                stats.pct.p50,
                stats.pct.p75,
                stats.pct.p90,
                stats.pct.p95,
            ]
            .map(|x| x.unwrap_or(f64::INFINITY));
            let fin = |x: f64| x.is_finite().then_some(x);
            let fallback = ci_array(&stats.ci);
            set_ci(&mut stats.ci, pct_ci(&centre, reps, t, fallback, fin));
        }
    }
    s.npv.prob_negative_ci = prob_ci(
        s.npv.prob_negative,
        share(&|x| x.npv_neg),
        s.npv.prob_negative_ci,
    );
    let mean_se = |k: usize| {
        let v: Vec<f64> = acc.sums.iter().map(|m| m[k].moments().mean).collect();
        spread(&v).1
    };
    let values: [(&mut ValueStats, usize); 5] = [
        (&mut s.npv.stats, Metric::Npv.index()),
        (&mut s.tco.stats, Metric::Tco.index()),
        (&mut s.pv_costs, Metric::PvCosts.index()),
        (&mut s.pv_benefits, Metric::PvBenefits.index()),
        (&mut s.peak_funding, Metric::PeakFunding.index()),
    ];
    for (v, k) in values {
        v.mean_se = mean_se(k);
        if let Some(reps) = percentiles.and_then(|p| p.get(k)) {
            let c = pcts(v);
            let fallback = ci_array(&v.ci);
            set_ci(&mut v.ci, pct_ci(&c, reps, t, fallback, |x| x));
        }
    }
    if let Some(roi) = s.roi.as_mut() {
        roi.mean_se = mean_se(3);
        if let Some(reps) = percentiles.and_then(|p| p.get(3)) {
            let c = pcts(roi);
            let fallback = ci_array(&roi.ci);
            set_ci(&mut roi.ci, pct_ci(&c, reps, t, fallback, |x| x));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles() {
        assert!((t975(15) - 2.13145).abs() < 1e-5);
        assert!((t975(9) - 2.26216).abs() < 1e-3);
        assert!((t975(5) - 2.57058).abs() < 5e-3);
        assert!((t975(1000) - 1.96234).abs() < 1e-4);
    }
}
