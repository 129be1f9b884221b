//! Goodness of fit: the Kolmogorov–Smirnov and Anderson–Darling statistics of a fitted
//! distribution (their discrete forms for counts), and their p-values by parametric
//! bootstrap. The parameters were estimated from the same data, so the tables for a fully
//! specified distribution do not apply; instead samples of the same size are drawn from the
//! fitted distribution, refitted the same way, and the p-value is the share of their
//! statistics at least as large as the data's, (1 + #{T* ≥ T}) / (1 + B).

use rayon::prelude::*;

use super::model::{Model, Sample};
use crate::rng;

/// The two statistics of one fit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    /// Kolmogorov–Smirnov distance sup |Fₙ − F|.
    pub ks: f64,
    /// Anderson–Darling A².
    pub ad: f64,
}

/// The statistics of `m` on the sample.
pub fn statistics(m: &Model, s: &Sample) -> Stats {
    if m.is_discrete() {
        discrete(m, s)
    } else {
        continuous(m, s)
    }
}

/// Continuous forms over the sorted sample with uᵢ = F(x₍ᵢ₎):
/// D = maxᵢ max(i/n − uᵢ, uᵢ − (i−1)/n) and
/// A² = −n − (1/n) Σ (2i − 1)·[ln uᵢ + ln(1 − u₍ₙ₊₁₋ᵢ₎)], with u kept within [1e-300, 1 − 1e-16]
/// so that a value the fit calls impossible gives a large finite statistic.
fn continuous(m: &Model, s: &Sample) -> Stats {
    let n = s.x.len();
    let mut u = Vec::with_capacity(n);
    for (v, c) in &s.distinct {
        let f = m.cdf(*v).clamp(1e-300, 1.0 - 1e-16);
        u.extend(std::iter::repeat_n(f, *c as usize));
    }
    let nf = n as f64;
    let mut ks: f64 = 0.0;
    let mut sum = 0.0;
    for i in 0..n {
        let k = i as f64;
        ks = ks.max((k + 1.0) / nf - u[i]).max(u[i] - k / nf);
        sum += (2.0 * k + 1.0) * (u[i].ln() + (1.0 - u[n - 1 - i]).ln());
    }
    Stats {
        ks,
        ad: -nf - sum / nf,
    }
}

/// Discrete forms over the counts k from the lowest possible to where the fitted
/// distribution's upper tail falls below 1e-12: D = maxₖ |Fₙ(k) − F(k)| and (Choulakian,
/// Lockhart & Stephens 1994) A² = n Σₖ (Fₙ(k) − F(k))² pₖ / (F(k)(1 − F(k))).
fn discrete(m: &Model, s: &Sample) -> Stats {
    let n = s.n();
    let (min, max) = s.range();
    let mut k = m.quantile(1e-12).min(min).max(0.0).floor();
    let (mut f, mut fn_, mut next) = (m.cdf(k - 1.0), 0.0, 0);
    let (mut ks, mut ad): (f64, f64) = (0.0, 0.0);
    let limit = max + 1e6;
    while k <= limit {
        let p = m.density(k);
        f = (f + p).min(1.0);
        while next < s.distinct.len() && s.distinct[next].0 <= k {
            fn_ += s.distinct[next].1 / n;
            next += 1;
        }
        let d = fn_ - f;
        ks = ks.max(d.abs());
        if f > 0.0 && f < 1.0 {
            ad += d * d * p / (f * (1.0 - f));
        }
        if k >= max && 1.0 - f < 1e-12 {
            break;
        }
        k += 1.0;
    }
    Stats { ks, ad: n * ad }
}

/// The bootstrap p-values of `observed` for the fit `m`: `count` samples of `n` values drawn
/// from `m` (uniforms keyed by `seed`, so the same seed gives the same p-values at any
/// thread count), each refitted by `refit`. Samples that cannot be refitted (all values
/// equal, a family's limit case) are left out; `None` when fewer than 19 remain.
pub fn p_values(
    observed: Stats,
    m: &Model,
    n: usize,
    count: usize,
    seed: u64,
    refit: &(dyn Fn(&Sample) -> Option<Model> + Sync),
) -> (Option<f64>, Option<f64>) {
    let key = rng::input_key(seed, m.input.dist.family());
    let reps: Vec<Stats> = (0..count)
        .into_par_iter()
        .filter_map(|b| {
            let start = (b * n) as u64;
            let values: Vec<f64> = (0..n as u64)
                .map(|j| m.quantile(rng::uniform(key, start + j)))
                .collect();
            let s = Sample::new(&values);
            let (lo, hi) = s.range();
            if lo == hi {
                return None;
            }
            refit(&s).map(|fit| statistics(&fit, &s))
        })
        .collect();
    if reps.len() < 19 {
        return (None, None);
    }
    let share = |stat: fn(&Stats) -> f64| {
        let at_least = reps.iter().filter(|r| stat(r) >= stat(&observed)).count();
        Some((1.0 + at_least as f64) / (1.0 + reps.len() as f64))
    };
    (share(|r| r.ks), share(|r| r.ad))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distributions::{Dist, InputDist, families};

    #[test]
    fn statistics_match_hand_computed_values() {
        // Uniform(0, 1) and the sample 0.1, 0.5, 0.7: D = max(1/3 − 0.1, 0.5 − 1/3,
        // 2/3 − 0.5, 0.7 − 2/3, 1 − 0.7) = 0.3.
        let m = Model::new(InputDist::plain(Dist::Uniform(families::Uniform {
            min: 0.0,
            max: 1.0,
        })));
        // (Uniform is not a fitted family; use the beta(1, 1), the same distribution.)
        assert!(m.is_none());
        let m = Model::new(InputDist::plain(Dist::Beta(families::Beta {
            alpha: 1.0,
            beta: 1.0,
            min: 0.0,
            max: 1.0,
        })))
        .unwrap();
        let s = Sample::new(&[0.7, 0.1, 0.5]);
        let st = statistics(&m, &s);
        assert!((st.ks - 0.3).abs() < 1e-12, "{st:?}");
        let u = [0.1f64, 0.5, 0.7];
        let sum: f64 = (0..3)
            .map(|i| (2 * i + 1) as f64 * (u[i].ln() + (1.0 - u[2 - i]).ln()))
            .sum();
        assert!((st.ad - (-3.0 - sum / 3.0)).abs() < 1e-12);
        // Counts: Poisson(1) and the sample 0, 1, 1, 3.
        let m = Model::new(InputDist::plain(Dist::Poisson(families::Poisson {
            lambda: 1.0,
        })))
        .unwrap();
        let s = Sample::new(&[0.0, 1.0, 1.0, 3.0]);
        let st = statistics(&m, &s);
        let e = (-1.0f64).exp();
        let f = [e, 2.0 * e, 2.5 * e, 2.5 * e + e / 6.0];
        let fn_ = [0.25, 0.75, 0.75, 1.0];
        let d = (0..4).map(|k| (fn_[k] - f[k]).abs()).fold(0.0, f64::max);
        assert!((st.ks - d).abs() < 1e-12, "{st:?} vs {d}");
    }
}
