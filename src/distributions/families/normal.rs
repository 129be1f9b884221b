//! `normal`: the bell curve, given by `mean` and `sd` or by two quantiles; truncatable.

use crate::distributions::family::{Family, Keys, Truncation, finite, need_all, positive};
use crate::distributions::normal::{Z95, phi};
use crate::distributions::range::TwoQuantileFamily;
use crate::distributions::{DistError, PointKind, Sampler};

/// Normal with mean `mean` and standard deviation `sd`.
#[derive(Clone, Debug, PartialEq)]
pub struct Normal {
    /// Mean (and median).
    pub mean: f64,
    /// Standard deviation, > 0.
    pub sd: f64,
}

/// The keys of its parameters.
const KEYS: [&str; 2] = ["mean", "sd"];

impl Family for Normal {
    fn keys() -> &'static [&'static str] {
        &KEYS
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        let [mean, sd] = need_all(keys, KEYS)?;
        Ok(Normal { mean, sd })
    }

    fn truncated_range() -> Option<TwoQuantileFamily> {
        Some(TwoQuantileFamily::Normal)
    }

    fn validate(&self) -> Result<(), DistError> {
        finite("mean", self.mean)?;
        positive("sd", self.sd)
    }

    fn sampler(&self, t: Truncation) -> Result<Sampler, DistError> {
        let (mean, sd) = (self.mean, self.sd);
        let lower = phi((t.lo - mean) / sd);
        let span = t.span(lower, phi((t.hi - mean) / sd))?;
        Ok(Sampler::Normal {
            mean,
            sd,
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
        let (mean, sd) = (self.mean, self.sd);
        if interval {
            let (low, high) = (g(mean - Z95 * sd), g(mean + Z95 * sd));
            format!("normal, 90% between {low} and {high}")
        } else {
            format!("normal mean {}, sd {}", g(mean), g(sd))
        }
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        vec![("mean", self.mean), ("sd", self.sd)]
    }
}
