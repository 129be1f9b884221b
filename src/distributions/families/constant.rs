//! A constant input: a bare number in the scenario (`seats = 500`). Its family is
//! implemented on the number itself, so that [`Dist::Constant`](super::Dist::Constant)
//! holds just the value.

use crate::distributions::family::{Family, Keys, Truncation, finite};
use crate::distributions::{DistError, Sampler};

impl Family for f64 {
    fn keys() -> &'static [&'static str] {
        &["value"]
    }

    /// A constant is written as a bare number, not as a `dist`, so the registry never
    /// reads one; this reads `value` for completeness.
    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        keys.need("value")
    }

    fn validate(&self) -> Result<(), DistError> {
        finite("value", *self)
    }

    fn sampler(&self, _: Truncation) -> Result<Sampler, DistError> {
        Ok(Sampler::Constant(*self))
    }

    fn mean(&self) -> Option<f64> {
        Some(*self)
    }

    fn is_uncertain(&self) -> bool {
        false
    }

    fn describe(&self, g: &dyn Fn(f64) -> String, _: bool) -> String {
        g(*self)
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        Vec::new()
    }
}
