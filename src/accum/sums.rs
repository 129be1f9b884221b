//! Order-free means and variances: sums kept exactly, so that partial accumulators of any
//! ranges of trials merge, in any order, into exactly the accumulator of one pass.
//!
//! Floating-point addition is not associative, so a mean merged block by block depends on
//! how the trials were split (threads, shards). Here each batch of trials (aligned to
//! absolute multiples of the batch size by the engine, so its contents do not depend on
//! the split) is summed in plain f64, and the batch sums go into an [`ExactSum`]: a list of
//! non-overlapping partials whose exact total is the exact sum of everything added
//! (Shewchuk 1997, as in Python's `math.fsum`). Its value is that total correctly rounded,
//! whatever the order of additions.

use serde::{Deserialize, Serialize};

use crate::stats::Moments;

/// An exact sum of f64 values.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ExactSum {
    partials: Vec<f64>,
}

impl ExactSum {
    /// Add a finite value (non-finite values are ignored: callers count them apart).
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        let mut x = x;
        let mut i = 0;
        for j in 0..self.partials.len() {
            let mut y = self.partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        self.partials.truncate(i);
        self.partials.push(x);
    }

    /// Add everything another sum holds.
    pub fn merge(&mut self, o: &ExactSum) {
        for &p in &o.partials {
            self.add(p);
        }
    }

    /// The exact total, correctly rounded to f64 (round half to even).
    pub fn value(&self) -> f64 {
        let p = &self.partials;
        let Some(mut n) = p.len().checked_sub(1) else {
            return 0.0;
        };
        let mut hi = p[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // Half-way cases: make the rounding of hi + lo agree with the remaining partials.
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
        hi
    }
}

/// Count, sum and sum of squares of the finite values of one output, and their range.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SumAcc {
    n: u64,
    s1: ExactSum,
    s2: ExactSum,
    #[serde(with = "super::codec::float")]
    min: f64,
    #[serde(with = "super::codec::float")]
    max: f64,
}

impl Default for SumAcc {
    fn default() -> Self {
        SumAcc {
            n: 0,
            s1: ExactSum::default(),
            s2: ExactSum::default(),
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl SumAcc {
    /// Add one batch of values (its own order fixed: the batch is the unit of
    /// reproducibility).
    pub fn add_batch(&mut self, xs: &[f64]) {
        // Eight interleaved partial sums, combined in a fixed order: independent chains
        // that vectorise, still a pure function of the batch's values.
        const W: usize = 8;
        let mut n = [0u64; W];
        let mut s1 = [0.0f64; W];
        let mut s2 = [0.0f64; W];
        let mut lo = [f64::INFINITY; W];
        let mut hi = [f64::NEG_INFINITY; W];
        let mut chunks = xs.chunks_exact(W);
        let mut step = |c: &[f64]| {
            for j in 0..c.len() {
                let x = c[j];
                let f = x.is_finite();
                let v = if f { x } else { 0.0 };
                n[j] += u64::from(f);
                s1[j] += v;
                s2[j] += v * v;
                lo[j] = lo[j].min(if f { x } else { f64::INFINITY });
                hi[j] = hi[j].max(if f { x } else { f64::NEG_INFINITY });
            }
        };
        for c in &mut chunks {
            step(c);
        }
        step(chunks.remainder());
        let count: u64 = n.iter().sum();
        if count > 0 {
            let fold =
                |a: [f64; W]| ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
            self.n += count;
            self.s1.add(fold(s1));
            self.s2.add(fold(s2));
            self.min = lo.iter().fold(self.min, |m, x| m.min(*x));
            self.max = hi.iter().fold(self.max, |m, x| m.max(*x));
        }
    }

    /// Values added (finite ones only are summed; see [`SumAcc::add_batch`]).
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Combine with the accumulator of other trials (any order).
    pub fn merge(&mut self, o: &SumAcc) {
        self.n += o.n;
        self.s1.merge(&o.s1);
        self.s2.merge(&o.s2);
        self.min = self.min.min(o.min);
        self.max = self.max.max(o.max);
    }

    /// Mean and sum of squared deviations. Exact for a constant output (0 spread); else
    /// the variance has a relative error of about 1e-16 · (1 + mean²/variance), and a
    /// variance below 64ε · mean² (a standard deviation under about 1.2e-7 of the values'
    /// size), which rounding cannot tell from none, is 0.
    pub fn moments(&self) -> Moments {
        if self.n == 0 {
            return Moments::default();
        }
        if self.min == self.max {
            return Moments {
                n: self.n,
                mean: self.min,
                m2: 0.0,
            };
        }
        let n = self.n as f64;
        let s1 = self.s1.value();
        let mut centred = self.s2.clone();
        centred.add(-(s1 * s1) / n);
        // Σx² − (Σx)²/n cancels: what is left below the rounding of the squares (each
        // batch's sum of squares is rounded, about ε · Σx² in all) is noise, not spread,
        // and is reported as none (a spread under about 1e-7 of the values' size).
        let m2 = centred.value();
        let floor = 64.0 * f64::EPSILON * self.s2.value();
        Moments {
            n: self.n,
            mean: s1 / n,
            m2: if m2 > floor { m2 } else { 0.0 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_sums_do_not_depend_on_order() {
        let v: Vec<f64> = (0..5000)
            .map(|i| ((i * 7919 % 5000) as f64 - 2500.0) * 1.000_000_1f64.powi(i) * 1e6)
            .chain([1e16, 1.0, -1e16, 3.5e-7])
            .collect();
        let mut a = ExactSum::default();
        v.iter().for_each(|x| a.add(*x));
        let mut b = ExactSum::default();
        v.iter().rev().for_each(|x| b.add(*x));
        let (mut c, mut d) = (ExactSum::default(), ExactSum::default());
        v[..1234].iter().for_each(|x| c.add(*x));
        v[1234..].iter().for_each(|x| d.add(*x));
        d.merge(&c);
        assert_eq!(a.value(), b.value());
        assert_eq!(a.value(), d.value());
        let mut e = ExactSum::default();
        [1e16, 1.0, -1e16].iter().for_each(|x| e.add(*x));
        assert_eq!(e.value(), 1.0);
    }

    #[test]
    fn moments_match_two_pass_and_constants_have_no_spread() {
        let v: Vec<f64> = (0..10_000)
            .map(|i| 1e6 + ((i as f64) * 0.37).sin() * 1e4)
            .collect();
        let mut s = SumAcc::default();
        for c in v.chunks(256) {
            s.add_batch(c);
        }
        let (got, want) = (s.moments(), Moments::of(&v));
        assert!((got.mean / want.mean - 1.0).abs() < 1e-13);
        assert!((got.m2 / want.m2 - 1.0).abs() < 1e-9);
        let mut k = SumAcc::default();
        k.add_batch(&[0.1; 300]);
        k.add_batch(&[0.1; 7]);
        assert_eq!(k.moments().m2, 0.0);
        assert_eq!(k.moments().mean, 0.1);
    }

    #[test]
    fn a_spread_below_the_rounding_of_the_squares_is_none_and_a_small_real_one_is_kept() {
        // A fixed amount reached by different sums: it differs by a few ulps between
        // values, which the cancellation of Σx² − (Σx)²/n cannot resolve.
        for k in 0..40 {
            let base = 4905.0 + 0.37 * f64::from(k);
            let noisy: Vec<f64> = (0..10_000)
                .map(|i| base + f64::from(i % 7 - 3) * base * f64::EPSILON)
                .collect();
            let mut a = SumAcc::default();
            for c in noisy.chunks(256) {
                a.add_batch(c);
            }
            assert_eq!(a.moments().m2, 0.0, "{base}");
        }
        // A spread of 1e-5 of the mean is far above the floor and kept to 1e-3.
        let small: Vec<f64> = (0..10_000)
            .map(|i| 4905.0 * (1.0 + 1e-5 * ((i as f64) * 0.37).sin()))
            .collect();
        let mut b = SumAcc::default();
        for c in small.chunks(256) {
            b.add_batch(c);
        }
        let (got, want) = (b.moments(), Moments::of(&small));
        assert!((got.m2 / want.m2 - 1.0).abs() < 1e-3, "{got:?} {want:?}");
    }
}
