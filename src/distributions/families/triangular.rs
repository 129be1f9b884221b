//! `triangular`: a density rising linearly from `min` to the `mode` and falling to `max`.

use crate::distributions::family::{
    Family, Keys, Truncation, bounds_and_mode, need_all, three_points,
};
use crate::distributions::range::{ModeFamily, RangeForm, RangeKeys};
use crate::distributions::{DistError, Sampler};

/// Triangular on [`min`, `max`] with its peak at `mode`.
#[derive(Clone, Debug, PartialEq)]
pub struct Triangular {
    /// Lower bound.
    pub min: f64,
    /// Most likely value, within the bounds.
    pub mode: f64,
    /// Upper bound (above `min`).
    pub max: f64,
}

/// The keys of its parameters.
const KEYS: [&str; 3] = ["min", "mode", "max"];

impl Family for Triangular {
    fn keys() -> &'static [&'static str] {
        &KEYS
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        let [min, mode, max] = need_all(keys, KEYS)?;
        Ok(Triangular { min, mode, max })
    }

    fn range<E>(_: &dyn Keys<E>) -> Result<Option<RangeKeys>, E> {
        Ok(Some(RangeKeys {
            form: RangeForm::Mode(ModeFamily::Triangular),
            native: &["min", "max"],
            extra: &["mode"],
        }))
    }

    fn validate(&self) -> Result<(), DistError> {
        bounds_and_mode(self.min, self.mode, self.max)
    }

    fn sampler(&self, _: Truncation) -> Result<Sampler, DistError> {
        let (min, mode, max) = (self.min, self.mode, self.max);
        Ok(Sampler::Triangular {
            min,
            max,
            fc: (mode - min) / (max - min),
            left: (max - min) * (mode - min),
            right: (max - min) * (max - mode),
        })
    }

    fn mode(&self) -> Option<f64> {
        Some(self.mode)
    }

    fn describe(&self, g: &dyn Fn(f64) -> String, _: bool) -> String {
        let points = three_points(g, self.min, self.mode, self.max);
        format!("triangular {points}")
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        vec![("min", self.min), ("mode", self.mode), ("max", self.max)]
    }
}
