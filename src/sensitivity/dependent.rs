//! First-order sensitivity indices on a sample of dependent (correlated) inputs.
//!
//! With correlated inputs the A/B/AB_i design of [`super::sobol`] samples each input
//! independently of its partners, so its indices describe a different model from the one
//! that is simulated. Here the first-order index is estimated on the correlated trials
//! themselves: S_i = Var(E[Y | X_i]) / Var(Y), the share of the output's variance that
//! knowing X_i alone would remove, *including* what X_i carries through the inputs it is
//! correlated with (so the indices can sum above 1). E[Y | X_i] is estimated by cutting
//! the trials into equal-count bins on X_i (ties never split across bins) and the
//! between-bin variance is corrected for the noise of the bin means (the ANOVA
//! estimator: between − (bins − 1) · within-mean-square, over the total sum of squares).
//! Total-effect indices have no such estimator for dependent inputs and are not reported.
//! 95% intervals come from a bootstrap over trials: resampling with replacement puts
//! repeated trials in one bin, which shrinks the within-bin noise and shifts every
//! replicate up, so the percentile interval is re-centred on the estimate (its ends are the
//! estimate minus and plus the bootstrap distribution's spread below and above its median).

use rand::{RngExt, SeedableRng};
use rayon::prelude::*;

use crate::rng;

/// One input's first-order index with its bootstrap interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FirstOrder {
    /// Var(E[Y | X_i]) / Var(Y).
    pub s1: f64,
    /// Lower end of the 95% interval.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

/// Bins for n trials: about √n / 2, between 10 and 200.
pub fn bins_for(n: usize) -> usize {
    (((n as f64).sqrt() / 2.0) as usize)
        .clamp(10, 200)
        .min(n.max(1))
}

/// Bin index of every trial for input values `x`: equal counts, but a run of equal values
/// stays in one bin (a discrete input gets at most one bin per value).
fn assign_bins(x: &[f64], bins: usize) -> (Vec<u32>, usize) {
    let n = x.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|a, b| x[*a].total_cmp(&x[*b]).then(a.cmp(b)));
    let mut bin_of = vec![0u32; n];
    let target = n.div_ceil(bins.max(1)).max(1);
    let (mut bin, mut in_bin) = (0u32, 0usize);
    for (pos, &i) in idx.iter().enumerate() {
        if in_bin >= target && pos > 0 && x[i] != x[idx[pos - 1]] {
            bin += 1;
            in_bin = 0;
        }
        bin_of[i] = bin;
        in_bin += 1;
    }
    (bin_of, bin as usize + 1)
}

/// The corrected between-bin share of variance for the trials `pick` (with repeats).
fn index_of(
    y: &[f64],
    bin_of: &[u32],
    n_bins: usize,
    pick: &mut dyn Iterator<Item = usize>,
) -> f64 {
    let mut count = vec![0u64; n_bins];
    let mut sum = vec![0.0f64; n_bins];
    let mut sum2 = vec![0.0f64; n_bins];
    let (mut n, mut total, mut total2) = (0u64, 0.0, 0.0);
    for j in pick {
        let b = bin_of[j] as usize;
        let v = y[j];
        count[b] += 1;
        sum[b] += v;
        sum2[b] += v * v;
        n += 1;
        total += v;
    }
    if n < 2 {
        return f64::NAN;
    }
    let mean = total / n as f64;
    let (mut between, mut within) = (0.0, 0.0);
    let mut used = 0usize;
    for b in 0..n_bins {
        if count[b] == 0 {
            continue;
        }
        used += 1;
        let m = sum[b] / count[b] as f64;
        between += count[b] as f64 * (m - mean) * (m - mean);
        within += (sum2[b] - count[b] as f64 * m * m).max(0.0);
        total2 += sum2[b];
    }
    let sst = (total2 - n as f64 * mean * mean).max(0.0);
    if sst <= 0.0 || (n as usize) <= used {
        return 0.0;
    }
    let msw = within / (n as usize - used) as f64;
    ((between - (used as f64 - 1.0) * msw) / sst).clamp(0.0, 1.0)
}

/// First-order indices of `y` with respect to each of `inputs` (same trials, same order).
/// A censored payback must be capped by the caller (the variance needs finite values).
pub fn first_order(inputs: &[&[f64]], y: &[f64], bootstrap: usize, seed: u64) -> Vec<FirstOrder> {
    let n = y.len();
    let bins = bins_for(n);
    inputs
        .par_iter()
        .enumerate()
        .map(|(m, x)| {
            let (bin_of, n_bins) = assign_bins(x, bins);
            let s1 = index_of(y, &bin_of, n_bins, &mut (0..n));
            let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(
                seed ^ (m as u64 + 1).wrapping_mul(rng::GAMMA) ^ 0xD3E1_0000,
            );
            let mut boot = Vec::with_capacity(bootstrap);
            let mut pick = vec![0usize; n];
            for _ in 0..bootstrap {
                for p in pick.iter_mut() {
                    *p = rng.random_range(0..n);
                }
                boot.push(index_of(y, &bin_of, n_bins, &mut pick.iter().copied()));
            }
            boot.sort_by(f64::total_cmp);
            let q = |p: f64| {
                if boot.is_empty() {
                    f64::NAN
                } else {
                    crate::stats::percentile_sorted(&boot, p)
                }
            };
            let med = q(0.5);
            FirstOrder {
                s1,
                low: (s1 - (med - q(0.025))).max(0.0),
                high: (s1 + (q(0.975) - med)).min(1.0),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// y = x1 + x2 with x1, x2 standard normal of correlation r: Var(E[y | x1]) / Var(y) =
    /// (1 + r)² / (2 (1 + r)) = (1 + r) / 2.
    #[test]
    fn correlated_linear_model_matches_its_closed_form() {
        let n = 40_000u64;
        let r: f64 = 0.6;
        let k1 = rng::input_key(5, "a");
        let k2 = rng::input_key(5, "b");
        let mut x1 = Vec::new();
        let mut x2 = Vec::new();
        let mut y = Vec::new();
        for t in 0..n {
            let z1 = crate::distributions::normal::inv_phi(rng::uniform(k1, t));
            let z2 = crate::distributions::normal::inv_phi(rng::uniform(k2, t));
            let a = z1;
            let b = r * z1 + (1.0 - r * r).sqrt() * z2;
            x1.push(a);
            x2.push(b);
            y.push(a + b);
        }
        let out = first_order(&[&x1, &x2], &y, 50, 1);
        for f in &out {
            assert!((f.s1 - 0.8).abs() < 0.02, "{f:?}");
            assert!(f.low <= f.s1 && f.s1 <= f.high, "{f:?}");
        }
        // An input that does not enter the model explains nothing.
        let noise: Vec<f64> = (0..n).map(|t| rng::uniform(k2 ^ 9, t)).collect();
        let out = first_order(&[&noise], &y, 0, 1);
        assert!(out[0].s1 < 0.01, "{:?}", out[0]);
    }

    #[test]
    fn ties_stay_in_one_bin() {
        let x = [1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0];
        let (b, n) = assign_bins(&x, 4);
        assert_eq!(n, 3);
        assert_eq!(&b[..4], &[0, 0, 0, 0]);
    }
}
