//! `lognormal`: a positive quantity whose logarithm is normal, given by `mu` and `sigma`
//! (of ln X) or by two quantiles; truncatable.

use crate::distributions::family::{Family, Keys, Truncation, finite, need_all, positive};
use crate::distributions::normal::{Z95, phi};
use crate::distributions::range::TwoQuantileFamily;
use crate::distributions::{DistError, PointKind, Sampler};

/// Lognormal: ln X ~ Normal(`mu`, `sigma`).
#[derive(Clone, Debug, PartialEq)]
pub struct LogNormal {
    /// Mean of ln X (the median is e^mu).
    pub mu: f64,
    /// Standard deviation of ln X, > 0.
    pub sigma: f64,
}

/// The keys of its parameters.
const KEYS: [&str; 2] = ["mu", "sigma"];

impl Family for LogNormal {
    fn keys() -> &'static [&'static str] {
        &KEYS
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        let [mu, sigma] = need_all(keys, KEYS)?;
        Ok(LogNormal { mu, sigma })
    }

    fn truncated_range() -> Option<TwoQuantileFamily> {
        Some(TwoQuantileFamily::LogNormal)
    }

    fn validate(&self) -> Result<(), DistError> {
        finite("mu", self.mu)?;
        positive("sigma", self.sigma)
    }

    fn sampler(&self, t: Truncation) -> Result<Sampler, DistError> {
        let (mu, sigma) = (self.mu, self.sigma);
        let cdf = |x: f64| {
            if x <= 0.0 {
                0.0
            } else {
                phi((x.ln() - mu) / sigma)
            }
        };
        let lower = cdf(t.lo);
        let upper = if t.hi.is_infinite() { 1.0 } else { cdf(t.hi) };
        let span = t.span(lower, upper)?;
        Ok(Sampler::LogNormal {
            mu,
            sigma,
            lower,
            span,
            lo: t.lo,
            hi: t.hi,
        })
    }

    fn truncatable(&self) -> bool {
        true
    }

    fn point_kind(&self) -> PointKind {
        PointKind::Median
    }

    fn describe(&self, g: &dyn Fn(f64) -> String, interval: bool) -> String {
        let at = |z: f64| g((self.mu + z * self.sigma).exp());
        if interval {
            format!("lognormal, 90% between {} and {}", at(-Z95), at(Z95))
        } else {
            format!("lognormal median {}, P95 {}", at(0.0), at(Z95))
        }
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        vec![("mu", self.mu), ("sigma", self.sigma)]
    }
}
