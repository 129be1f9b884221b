//! `beta`: Beta(`alpha`, `beta`) scaled from [0, 1] to [`min`, `max`] (0 and 1 by default).

use crate::distributions::family::{Family, Keys, Truncation, bounds, positive, shape_within};
use crate::distributions::range::{RangeForm, RangeKeys, TwoQuantileFamily};
use crate::distributions::sampler::beta_table;
use crate::distributions::{BETA_SHAPE_RANGE, DistError, Sampler};

/// Beta(`alpha`, `beta`) on [`min`, `max`]: X = min + (max − min)·B with B ~ Beta(α, β).
#[derive(Clone, Debug, PartialEq)]
pub struct Beta {
    /// First shape α, within [`BETA_SHAPE_RANGE`].
    pub alpha: f64,
    /// Second shape β, within [`BETA_SHAPE_RANGE`].
    pub beta: f64,
    /// Lower bound (0 unless the scenario says).
    pub min: f64,
    /// Upper bound (1 unless the scenario says).
    pub max: f64,
}

/// The bounds a scenario's beta has unless it gives `min` or `max`.
fn own_bounds<E>(keys: &dyn Keys<E>) -> Result<(f64, f64), E> {
    Ok((
        keys.number("min")?.unwrap_or(0.0),
        keys.number("max")?.unwrap_or(1.0),
    ))
}

impl Family for Beta {
    fn keys() -> &'static [&'static str] {
        &["alpha", "beta", "min", "max"]
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        let (alpha, beta) = (keys.need("alpha")?, keys.need("beta")?);
        let (min, max) = own_bounds(keys)?;
        Ok(Beta {
            alpha,
            beta,
            min,
            max,
        })
    }

    fn range<E>(keys: &dyn Keys<E>) -> Result<Option<RangeKeys>, E> {
        let (min, max) = own_bounds(keys)?;
        Ok(Some(RangeKeys {
            form: RangeForm::Two(TwoQuantileFamily::Beta { min, max }),
            native: &["alpha", "beta"],
            extra: &["min", "max"],
        }))
    }

    fn validate(&self) -> Result<(), DistError> {
        positive("alpha", self.alpha)?;
        positive("beta", self.beta)?;
        let hint =
            || "; for a narrower spread than that, use a pert or a truncated normal".to_string();
        shape_within("alpha", self.alpha, BETA_SHAPE_RANGE, hint)?;
        shape_within("beta", self.beta, BETA_SHAPE_RANGE, hint)?;
        bounds(self.min, self.max)
    }

    fn sampler(&self, _: Truncation) -> Result<Sampler, DistError> {
        Ok(beta_table(self.alpha, self.beta, self.min, self.max))
    }

    fn mean(&self) -> Option<f64> {
        let (a, b) = (self.alpha, self.beta);
        Some(self.min + (self.max - self.min) * a / (a + b))
    }

    fn describe(&self, g: &dyn Fn(f64) -> String, _: bool) -> String {
        let shapes = format!("beta({}, {})", g(self.alpha), g(self.beta));
        if self.min == 0.0 && self.max == 1.0 {
            shapes
        } else {
            format!("{shapes} on {} to {}", g(self.min), g(self.max))
        }
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        let mut p = vec![("alpha", self.alpha), ("beta", self.beta)];
        if self.min != 0.0 || self.max != 1.0 {
            p.extend([("min", self.min), ("max", self.max)]);
        }
        p
    }
}
