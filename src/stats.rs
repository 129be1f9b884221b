//! Summary statistics (docs/MODEL.md "Summary over trials"): numpy-linear percentiles with
//! censored values as +∞, order-statistic intervals for percentiles, Wilson intervals for
//! probabilities, and mergeable moments.

/// 97.5% standard normal quantile.
pub const Z975: f64 = 1.959_963_984_540_054;

/// The rank (0-based, fractional) of percentile `p` (0..1) among `n` sorted values:
/// numpy's default `linear` method, h = p·(n − 1).
pub fn rank_of(p: f64, n: u64) -> f64 {
    p * (n.saturating_sub(1)) as f64
}

/// Interpolate between order statistics `lo` (rank ⌊h⌋) and `hi` (rank ⌊h⌋+1).
/// A percentile touching +∞ (censored) is +∞ unless it sits exactly on a finite rank.
pub fn interpolate(lo: f64, hi: f64, h: f64) -> f64 {
    let frac = h - h.floor();
    if frac == 0.0 || lo == hi {
        lo
    } else if hi.is_infinite() || lo.is_infinite() {
        f64::INFINITY
    } else {
        lo + (hi - lo) * frac
    }
}

/// Percentile `p` in [0, 1] of sorted values (numpy linear).
pub fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = rank_of(p, sorted.len() as u64);
    let i = h.floor() as usize;
    let j = (i + 1).min(sorted.len() - 1);
    interpolate(sorted[i], sorted[j], h)
}

/// Ranks (0-based) of the order statistics bounding a 95% distribution-free interval for
/// percentile p among n values (normal approximation to the binomial count below).
pub fn order_stat_ci_ranks(p: f64, n: u64) -> (u64, u64) {
    if n == 0 {
        return (0, 0);
    }
    let nf = n as f64;
    let sd = (nf * p * (1.0 - p)).sqrt();
    let lo = (nf * p - Z975 * sd).floor().max(1.0) as u64 - 1;
    let hi = ((nf * p + Z975 * sd).ceil() as u64).clamp(1, n) - 1;
    (lo.min(n - 1), hi)
}

/// Wilson score 95% interval for k successes in n trials.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z975 * Z975;
    let den = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / den;
    let half = Z975 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / den;
    let lo = if k == 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if k == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
}

/// Count, mean and sum of squared deviations of finite values; merge in a fixed order for
/// reproducible results (Chan et al.).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Moments {
    /// Count.
    pub n: u64,
    /// Mean.
    pub mean: f64,
    /// Σ (x − mean)².
    pub m2: f64,
}

impl Moments {
    /// Add one value (Welford).
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Moments of the finite values of a slice, by two passes (mean, then squared
    /// deviations), which vectorise and are more accurate than Welford.
    pub fn of(v: &[f64]) -> Moments {
        let (mut n, mut sum) = (0u64, 0.0);
        for x in v {
            if x.is_finite() {
                n += 1;
                sum += x;
            }
        }
        if n == 0 {
            return Moments::default();
        }
        let mean = sum / n as f64;
        let mut m2 = 0.0;
        for x in v {
            if x.is_finite() {
                m2 += (x - mean) * (x - mean);
            }
        }
        Moments { n, mean, m2 }
    }

    /// Combine with the moments of later values.
    pub fn merge(&mut self, o: &Moments) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *o;
            return;
        }
        let n = self.n + o.n;
        let d = o.mean - self.mean;
        self.mean += d * o.n as f64 / n as f64;
        self.m2 += o.m2 + d * d * (self.n as f64) * (o.n as f64) / n as f64;
        self.n = n;
    }

    /// Sample standard deviation.
    pub fn sd(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            (self.m2 / (self.n - 1) as f64).sqrt()
        }
    }

    /// Standard error of the mean.
    pub fn se(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.sd() / (self.n as f64).sqrt()
        }
    }
}

/// Ranks with ties averaged (1-based), for Spearman correlation.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|a, b| x[*a].total_cmp(&x[*b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            r[idx[k]] = avg;
        }
        i = j + 1;
    }
    r
}

/// Pearson correlation.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n < 2 {
        return f64::NAN;
    }
    let mx = x[..n].iter().sum::<f64>() / n as f64;
    let my = y[..n].iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (a, b) = (x[i] - mx, y[i] - my);
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// Spearman rank correlation.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_match_numpy_linear() {
        // numpy.percentile([1,2,3,4], [0,25,50,90,100]) = [1, 1.75, 2.5, 3.7, 4]
        let v = [1.0, 2.0, 3.0, 4.0];
        let want = [(0.0, 1.0), (0.25, 1.75), (0.5, 2.5), (0.9, 3.7), (1.0, 4.0)];
        for (p, w) in want {
            assert!((percentile_sorted(&v, p) - w).abs() < 1e-12, "p={p}");
        }
        assert_eq!(percentile_sorted(&[5.0], 0.3), 5.0);
    }

    #[test]
    fn censored_values_are_infinite_percentiles() {
        let v = [1.0, 2.0, f64::INFINITY, f64::INFINITY];
        assert_eq!(percentile_sorted(&v, 0.0), 1.0);
        assert!(percentile_sorted(&v, 0.5).is_infinite());
        // Exactly on a finite order statistic.
        assert_eq!(percentile_sorted(&v, 1.0 / 3.0), 2.0);
    }

    #[test]
    fn wilson_interval_is_sane() {
        let (lo, hi) = wilson(50, 100);
        assert!(
            (lo - 0.4038).abs() < 1e-3 && (hi - 0.5962).abs() < 1e-3,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson(0, 100);
        assert_eq!(lo, 0.0);
        assert!(hi > 0.03 && hi < 0.04);
    }

    #[test]
    fn moments_merge_equals_sequential() {
        let xs: Vec<f64> = (0..1000).map(|i| ((i * 37) % 101) as f64 * 1.5).collect();
        let mut all = Moments::default();
        xs.iter().for_each(|x| all.push(*x));
        let (mut a, mut b) = (Moments::default(), Moments::default());
        xs[..300].iter().for_each(|x| a.push(*x));
        xs[300..].iter().for_each(|x| b.push(*x));
        a.merge(&b);
        assert!((a.mean - all.mean).abs() < 1e-9 && (a.sd() - all.sd()).abs() < 1e-9);
    }

    #[test]
    fn spearman_of_monotone_is_one() {
        let x: Vec<f64> = (0..100).map(|i| i as f64).collect();
        let y: Vec<f64> = x.iter().map(|v| v.powi(3)).collect();
        assert!((spearman(&x, &y) - 1.0).abs() < 1e-12);
        let r = ranks(&[3.0, 1.0, 3.0]);
        assert_eq!(r, vec![2.5, 1.0, 2.5]);
    }

    #[test]
    fn order_statistic_interval_brackets_the_percentile() {
        let (lo, hi) = order_stat_ci_ranks(0.5, 1000);
        assert!(lo < 499 && hi > 500 && lo > 460 && hi < 540, "{lo} {hi}");
    }
}
