//! `uniform`: every value between `min` and `max` equally likely.

use crate::distributions::family::{Family, Keys, Truncation, bounds, need_all};
use crate::distributions::range::{RangeForm, RangeKeys, TwoQuantileFamily};
use crate::distributions::{DistError, Sampler};

/// Uniform on [`min`, `max`].
#[derive(Clone, Debug, PartialEq)]
pub struct Uniform {
    /// Lower bound.
    pub min: f64,
    /// Upper bound (above `min`).
    pub max: f64,
}

/// The keys of its parameters.
const KEYS: [&str; 2] = ["min", "max"];

impl Family for Uniform {
    fn keys() -> &'static [&'static str] {
        &KEYS
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        let [min, max] = need_all(keys, KEYS)?;
        Ok(Uniform { min, max })
    }

    fn range<E>(_: &dyn Keys<E>) -> Result<Option<RangeKeys>, E> {
        Ok(Some(RangeKeys {
            form: RangeForm::Two(TwoQuantileFamily::Uniform),
            native: &KEYS,
            extra: &[],
        }))
    }

    fn validate(&self) -> Result<(), DistError> {
        bounds(self.min, self.max)
    }

    fn sampler(&self, _: Truncation) -> Result<Sampler, DistError> {
        Ok(Sampler::Affine {
            lo: self.min,
            width: self.max - self.min,
        })
    }

    fn mean(&self) -> Option<f64> {
        // min + max can overflow where max − min (checked finite) does not.
        Some(self.min + 0.5 * (self.max - self.min))
    }

    fn describe(&self, g: &dyn Fn(f64) -> String, _: bool) -> String {
        format!("uniform {} to {}", g(self.min), g(self.max))
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        vec![("min", self.min), ("max", self.max)]
    }
}
