//! `pert`: the beta-PERT of project estimates, a beta on [`min`, `max`] whose mode is the
//! estimate's most likely value and whose weight on it is `lambda` (4 by default).

use crate::distributions::family::{
    Family, Keys, Truncation, bounds_and_mode, positive, shape_within, three_points,
};
use crate::distributions::range::{ModeFamily, RangeForm, RangeKeys};
use crate::distributions::sampler::beta_table;
use crate::distributions::{DistError, PERT_LAMBDA_MAX, Sampler};

/// Beta-PERT(`min`, `mode`, `max`, `lambda`): Beta(α, β) on [min, max] with
/// α = 1 + λ·(mode − min)/(max − min) and β = 1 + λ·(max − mode)/(max − min).
#[derive(Clone, Debug, PartialEq)]
pub struct Pert {
    /// Lower bound.
    pub min: f64,
    /// Most likely value, within the bounds.
    pub mode: f64,
    /// Upper bound (above `min`).
    pub max: f64,
    /// Weight of the mode, in (0, [`PERT_LAMBDA_MAX`]]; 4 unless the scenario says.
    pub lambda: f64,
}

/// The `lambda` a scenario gets when it gives none.
const DEFAULT_LAMBDA: f64 = 4.0;

impl Pert {
    /// Beta shape parameters (α, β) of this PERT(min, mode, max, lambda).
    pub fn beta_shapes(&self) -> (f64, f64) {
        let r = self.max - self.min;
        (
            1.0 + self.lambda * (self.mode - self.min) / r,
            1.0 + self.lambda * (self.max - self.mode) / r,
        )
    }
}

impl Family for Pert {
    fn keys() -> &'static [&'static str] {
        &["min", "mode", "max", "lambda"]
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        Ok(Pert {
            min: keys.need("min")?,
            mode: keys.need("mode")?,
            max: keys.need("max")?,
            lambda: keys.number("lambda")?.unwrap_or(DEFAULT_LAMBDA),
        })
    }

    fn range<E>(keys: &dyn Keys<E>) -> Result<Option<RangeKeys>, E> {
        let lambda = keys.number("lambda")?.unwrap_or(DEFAULT_LAMBDA);
        Ok(Some(RangeKeys {
            form: RangeForm::Mode(ModeFamily::Pert { lambda }),
            native: &["min", "max"],
            extra: &["mode", "lambda"],
        }))
    }

    fn validate(&self) -> Result<(), DistError> {
        bounds_and_mode(self.min, self.mode, self.max)?;
        positive("lambda", self.lambda)?;
        shape_within("lambda", self.lambda, (0.0, PERT_LAMBDA_MAX), String::new)
    }

    fn sampler(&self, _: Truncation) -> Result<Sampler, DistError> {
        let (a, b) = self.beta_shapes();
        Ok(beta_table(a, b, self.min, self.max))
    }

    fn mode(&self) -> Option<f64> {
        Some(self.mode)
    }

    fn describe(&self, g: &dyn Fn(f64) -> String, _: bool) -> String {
        let points = three_points(g, self.min, self.mode, self.max);
        if (self.lambda - DEFAULT_LAMBDA).abs() < 1e-12 {
            format!("PERT {points}")
        } else {
            format!("PERT {points} (λ = {})", g(self.lambda))
        }
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        let mut p = vec![("min", self.min), ("mode", self.mode), ("max", self.max)];
        if self.lambda != DEFAULT_LAMBDA {
            p.push(("lambda", self.lambda));
        }
        p
    }
}
