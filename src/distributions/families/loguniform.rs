//! `loguniform`: a positive quantity known only to lie "somewhere between 1k and 100k",
//! every order of magnitude in the range equally likely: ln X is uniform on
//! [ln `min`, ln `max`].

use crate::distributions::family::{Family, Keys, Truncation, bounds, need_all, positive};
use crate::distributions::{DistError, Sampler};

/// Log-uniform on [`min`, `max`]: quantile min·(max/min)^u, density 1/(x·ln(max/min)),
/// mean (max − min)/ln(max/min).
#[derive(Clone, Debug, PartialEq)]
pub struct LogUniform {
    /// Lower bound, > 0.
    pub min: f64,
    /// Upper bound, above `min`.
    pub max: f64,
}

/// The keys of its parameters.
const KEYS: [&str; 2] = ["min", "max"];

impl LogUniform {
    /// ln(max/min), without the overflow of max/min (a tiny `min`) or the cancellation of
    /// ln max − ln min (bounds close together).
    fn ln_ratio(&self) -> f64 {
        let r = (self.max - self.min) / self.min;
        if r.is_finite() {
            r.ln_1p()
        } else {
            self.max.ln() - self.min.ln()
        }
    }
}

impl Family for LogUniform {
    fn keys() -> &'static [&'static str] {
        &KEYS
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        let [min, max] = need_all(keys, KEYS)?;
        Ok(LogUniform { min, max })
    }

    fn validate(&self) -> Result<(), DistError> {
        positive("min", self.min)?;
        bounds(self.min, self.max)
    }

    fn sampler(&self, _: Truncation) -> Result<Sampler, DistError> {
        Ok(Sampler::LogAffine {
            ln_lo: self.min.ln(),
            ln_width: self.ln_ratio(),
            lo: self.min,
            hi: self.max,
        })
    }

    fn mean(&self) -> Option<f64> {
        Some((self.max - self.min) / self.ln_ratio())
    }

    fn describe(&self, g: &dyn Fn(f64) -> String, _: bool) -> String {
        format!("log-uniform {} to {}", g(self.min), g(self.max))
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        vec![("min", self.min), ("max", self.max)]
    }
}
