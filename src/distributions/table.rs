//! A tabulated quantile function: cubic Hermite interpolation between knots where the
//! exact quantile and its derivative 1/f(Q(u)) are known, and the exact inverse CDF in
//! the two outermost cells (where derivatives blow up). Built once per input in about a
//! millisecond; each evaluation is a few nanoseconds.

use std::sync::Arc;

const CELLS: usize = 1024;

/// Quantile table over u in (0,1), mapped to p = lower + u·(upper − lower).
#[derive(Clone)]
pub struct QuantileTable {
    q: Arc<[f64]>,
    d: Arc<[f64]>,
    exact: Arc<dyn Fn(f64) -> f64 + Send + Sync>,
    lower: f64,
    span: f64,
}

impl std::fmt::Debug for QuantileTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "QuantileTable({} cells on [{}, {}])",
            CELLS,
            self.lower,
            self.lower + self.span
        )
    }
}

impl QuantileTable {
    /// Tabulate `inv` (inverse CDF) using `pdf` for the slopes, on p in [lower, upper].
    pub fn build(
        lower: f64,
        upper: f64,
        inv: impl Fn(f64) -> f64 + Send + Sync + 'static,
        pdf: impl Fn(f64) -> f64,
    ) -> Self {
        let span = upper - lower;
        let mut q = Vec::with_capacity(CELLS + 1);
        let mut d = Vec::with_capacity(CELLS + 1);
        for i in 0..=CELLS {
            let u = i as f64 / CELLS as f64;
            let x = inv(lower + u * span);
            q.push(x);
            let f = pdf(x);
            d.push(if f > 0.0 && f.is_finite() {
                span / f
            } else {
                f64::NAN
            });
        }
        // Slopes the density cannot give (zero or infinite density at a knot): secants.
        for i in 0..=CELLS {
            if !d[i].is_finite() {
                let a = i.saturating_sub(1);
                let b = (i + 1).min(CELLS);
                d[i] = (q[b] - q[a]) / ((b - a) as f64 / CELLS as f64);
                if !d[i].is_finite() {
                    d[i] = 0.0;
                }
            }
        }
        QuantileTable {
            q: q.into(),
            d: d.into(),
            exact: Arc::new(inv),
            lower,
            span,
        }
    }

    /// Q(lower + u·span).
    #[inline(always)]
    pub fn eval(&self, u: f64) -> f64 {
        let x = u * CELLS as f64;
        let i = x as usize;
        if i == 0 || i >= CELLS - 1 {
            // lower + u·span can round up to 1 (a truncated input's u close to 1), where
            // an inverse CDF is infinite: stay at the largest probability below 1.
            let p = (self.lower + u * self.span).min(1.0 - f64::EPSILON / 2.0);
            return (self.exact)(p);
        }
        let t = x - i as f64;
        let h = 1.0 / CELLS as f64;
        let (q0, q1) = (self.q[i], self.q[i + 1]);
        let (d0, d1) = (self.d[i] * h, self.d[i + 1] * h);
        let t2 = t * t;
        let t3 = t2 * t;
        let v = (2.0 * t3 - 3.0 * t2 + 1.0) * q0
            + (t3 - 2.0 * t2 + t) * d0
            + (-2.0 * t3 + 3.0 * t2) * q1
            + (t3 - t2) * d1;
        // Keep the interpolant inside its cell (monotone by construction).
        v.max(q0).min(q1)
    }
}
