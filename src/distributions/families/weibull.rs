//! `weibull`: times to failure and other positive quantities with P(X > x) =
//! exp(−(x/λ)^k), given by `shape` k and `scale` λ or by two quantiles; truncatable.

use crate::distributions::family::{Family, Keys, Truncation, need_all, positive};
use crate::distributions::range::TwoQuantileFamily;
use crate::distributions::{DistError, Sampler};

/// Weibull with shape k and scale λ: P(X > x) = exp(−(x/λ)^k) for x ≥ 0.
#[derive(Clone, Debug, PartialEq)]
pub struct Weibull {
    /// Shape k, > 0.
    pub shape: f64,
    /// Scale λ, > 0 (in the input's units).
    pub scale: f64,
}

/// The keys of its parameters.
const KEYS: [&str; 2] = ["shape", "scale"];

impl Family for Weibull {
    fn keys() -> &'static [&'static str] {
        &KEYS
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        let [shape, scale] = need_all(keys, KEYS)?;
        Ok(Weibull { shape, scale })
    }

    fn truncated_range() -> Option<TwoQuantileFamily> {
        Some(TwoQuantileFamily::Weibull)
    }

    fn validate(&self) -> Result<(), DistError> {
        positive("shape", self.shape)?;
        positive("scale", self.scale)
    }

    fn sampler(&self, t: Truncation) -> Result<Sampler, DistError> {
        let (shape, scale) = (self.shape, self.scale);
        // P(X > x), and the CDF as its complement to full precision near 0.
        let sf = |x: f64| (-(x / scale).powf(shape)).exp();
        let cdf = |x: f64| {
            if x <= 0.0 {
                0.0
            } else {
                -(-(x / scale).powf(shape)).exp_m1()
            }
        };
        let sf_lower = if t.lo <= 0.0 { 1.0 } else { sf(t.lo) };
        let lower = cdf(t.lo);
        let upper = if t.hi.is_infinite() { 1.0 } else { cdf(t.hi) };
        let span = t.span(lower, upper)?;
        Ok(Sampler::Weibull {
            inv_shape: 1.0 / shape,
            scale,
            lower,
            // 1 − p = sf_lower − u·span must stay positive up to the largest u: sf_lower
            // and span = 1 − lower are rounded apart, and sf_lower could fall an ulp short.
            sf_lower: sf_lower.max(span),
            span,
            lo: t.lo,
            hi: t.hi,
        })
    }

    fn truncatable(&self) -> bool {
        true
    }

    fn mean(&self) -> Option<f64> {
        Some(self.scale * statrs::function::gamma::gamma(1.0 + 1.0 / self.shape))
    }

    fn describe(&self, g: &dyn Fn(f64) -> String, _: bool) -> String {
        format!("Weibull shape {}, scale {}", g(self.shape), g(self.scale))
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        vec![("shape", self.shape), ("scale", self.scale)]
    }
}
