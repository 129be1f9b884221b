//! `gamma`: Gamma with `shape` k and `scale` θ (mean kθ), given by those or by two
//! quantiles; truncatable.

use statrs::distribution::{Continuous, ContinuousCDF};

use crate::distributions::family::{Family, Keys, Truncation, need_all, positive, shape_within};
use crate::distributions::range::TwoQuantileFamily;
use crate::distributions::table::QuantileTable;
use crate::distributions::{DistError, GAMMA_SHAPE_RANGE, Sampler, short_number};

/// Gamma with density ∝ x^(k−1)·e^(−x/θ) on x > 0.
#[derive(Clone, Debug, PartialEq)]
pub struct Gamma {
    /// Shape k, within [`GAMMA_SHAPE_RANGE`].
    pub shape: f64,
    /// Scale θ, > 0 (in the input's units).
    pub scale: f64,
}

impl Gamma {
    /// What to use instead of a shape out of range.
    fn hint(&self) -> String {
        let (k, theta) = (self.shape, self.scale);
        if k > GAMMA_SHAPE_RANGE.1 {
            format!(
                "; a gamma this concentrated is a normal: use dist = \"normal\", mean = {}, sd = {}",
                short_number(k * theta),
                short_number(k.sqrt() * theta)
            )
        } else {
            "; for values piled up near 0 use a lognormal or an empirical".to_string()
        }
    }
}

/// The keys of its parameters.
const KEYS: [&str; 2] = ["shape", "scale"];

impl Family for Gamma {
    fn keys() -> &'static [&'static str] {
        &KEYS
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        let [shape, scale] = need_all(keys, KEYS)?;
        Ok(Gamma { shape, scale })
    }

    fn truncated_range() -> Option<TwoQuantileFamily> {
        Some(TwoQuantileFamily::Gamma)
    }

    fn validate(&self) -> Result<(), DistError> {
        positive("shape", self.shape)?;
        positive("scale", self.scale)?;
        shape_within("shape", self.shape, GAMMA_SHAPE_RANGE, || self.hint())
    }

    fn sampler(&self, t: Truncation) -> Result<Sampler, DistError> {
        // Tabulate the unit-scale gamma and scale its values: statrs' inverse stops at an
        // absolute tolerance, so a tiny scale (1e-300) gave values of 1e-9.
        let g = statrs::distribution::Gamma::new(self.shape, 1.0).map_err(|_| {
            DistError::NotPositive {
                name: "shape",
                value: self.shape,
            }
        })?;
        let theta = self.scale;
        let lower = if t.lo <= 0.0 {
            0.0
        } else {
            g.cdf(t.lo / theta)
        };
        let upper = if t.hi.is_infinite() {
            1.0
        } else {
            g.cdf(t.hi / theta)
        };
        t.span(lower, upper)?;
        Ok(Sampler::Table(QuantileTable::build(
            lower,
            upper,
            move |p| theta * g.inverse_cdf(p),
            move |x| g.pdf(x / theta) / theta,
        )))
    }

    fn truncatable(&self) -> bool {
        true
    }

    fn mean(&self) -> Option<f64> {
        Some(self.shape * self.scale)
    }

    fn describe(&self, g: &dyn Fn(f64) -> String, _: bool) -> String {
        format!("gamma shape {}, scale {}", g(self.shape), g(self.scale))
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        vec![("shape", self.shape), ("scale", self.scale)]
    }
}
