//! What a distribution family is: the [`Family`] trait that every family's file under
//! `families/` implements (how a scenario writes it, its validation, its quantile sampler,
//! its point value and how it is described), the [`Keys`] it is read from, and the checks
//! the families share. The registry in `families/mod.rs` lists the families once; the
//! scenario parser, `validate`, the report, the workbook and `fit` all go through it.
//!
//! The trait is used when an input is read and built, never per trial: a family builds a
//! concrete [`Sampler`] (a closed form or a table), and trials only evaluate that.

use super::range::{RangeKeys, TwoQuantileFamily};
use super::{DistError, PointKind, Sampler};

/// The keys of one input's table as the scenario parser reads them. `E` is the parser's
/// error, which locates what it reports (file, line, column and key path).
pub trait Keys<E> {
    /// Is `key` in the table?
    fn has(&self, key: &str) -> bool;
    /// The number under `key`, if the table has it.
    fn number(&self, key: &str) -> Result<Option<f64>, E>;
    /// The number under `key`; when the table lacks it, an error saying that the family
    /// needs it.
    fn need(&self, key: &str) -> Result<f64, E>;
    /// The array of numbers under `key`, if the table has it.
    fn numbers(&self, key: &str) -> Result<Option<Vec<f64>>, E>;
    /// The numbers of the CSV column that the table's `file` and `column` name.
    fn data_file(&self) -> Result<Vec<f64>, E>;
    /// An error about `key` (at the table, `key` added to its path).
    fn error_at(&self, key: &str, message: &str) -> E;
    /// An error about the whole table.
    fn error(&self, message: &str) -> E;
}

/// One distribution family: its parameters (the implementing type), how a scenario writes
/// them, and everything the crate does with a distribution short of drawing from it.
pub trait Family {
    /// The keys the family's table may hold besides `dist`, `base` and the truncation
    /// bounds, in the order messages list them.
    fn keys() -> &'static [&'static str]
    where
        Self: Sized;

    /// Read the parameters from the input's table, in the order of [`Family::keys`] (a
    /// missing key is an error; keys the family does not take are checked afterwards).
    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E>
    where
        Self: Sized;

    /// How the family is given by quantiles (`p10 = 5, p90 = 30`), reading what the form
    /// needs besides them (a beta's bounds, a PERT's `lambda`). The default: the
    /// [truncated two-quantile form](Family::truncated_range) where the family has one,
    /// else `None` (it cannot be given by quantiles).
    fn range<E>(keys: &dyn Keys<E>) -> Result<Option<RangeKeys>, E>
    where
        Self: Sized,
    {
        let _ = keys;
        Ok(Self::truncated_range().map(|family| RangeKeys::truncatable(family, Self::keys())))
    }

    /// For a truncatable family given by two quantiles and nothing else (normal,
    /// lognormal, gamma, Weibull): its form, with `min`/`max` as truncation bounds.
    fn truncated_range() -> Option<TwoQuantileFamily>
    where
        Self: Sized,
    {
        None
    }

    /// Check the parameters.
    fn validate(&self) -> Result<(), DistError>;

    /// The quantile function, truncated to `t` when the family is [truncatable]
    /// (parameters already validated).
    ///
    /// [truncatable]: Family::truncatable
    fn sampler(&self, t: Truncation) -> Result<Sampler, DistError>;

    /// Do `min`/`max` truncate the family (rather than being its own parameters)?
    fn truncatable(&self) -> bool {
        false
    }

    /// The mode, for a family whose point value is its mode (triangular, PERT).
    fn mode(&self) -> Option<f64> {
        None
    }

    /// Which point value docs/MODEL.md gives the family: its mode where it has one, the
    /// mean unless the family says otherwise.
    fn point_kind(&self) -> PointKind {
        if self.mode().is_some() {
            PointKind::Mode
        } else {
            PointKind::Mean
        }
    }

    /// The mean of the untruncated distribution in closed form, where there is one (the
    /// point value otherwise integrates the sampler's quantile function).
    fn mean(&self) -> Option<f64> {
        None
    }

    /// Can it take more than one value?
    fn is_uncertain(&self) -> bool {
        true
    }

    /// How people say it ("PERT 5 / 15 / 25"), numbers written by `g`; `interval` when the
    /// input was given by two quantiles.
    fn describe(&self, g: &dyn Fn(f64) -> String, interval: bool) -> String;

    /// The numeric parameters under the keys a scenario writes them with (defaults left
    /// out); empty for constants and lists of values.
    fn parameters(&self) -> Vec<(&'static str, f64)>;

    /// The lists of values under their keys (`values`, `weights`); empty for the others.
    fn lists(&self) -> Vec<(&'static str, &[f64])> {
        Vec::new()
    }
}

/// Truncation bounds of an input: samples come from the distribution conditioned on
/// [`lo`, `hi`]; infinite where no bound is given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Truncation {
    /// Lower bound (`min`), or −∞.
    pub lo: f64,
    /// Upper bound (`max`), or +∞.
    pub hi: f64,
}

impl Truncation {
    /// The error for bounds that leave a probability of `mass`.
    pub fn no_mass(&self, mass: f64) -> DistError {
        DistError::NoMassLeft {
            min: self.lo,
            max: self.hi,
            mass,
        }
    }

    /// The probability between the bounds, given the CDF at each (`lower`, `upper`); an
    /// error when it is below 1e-12.
    pub fn span(&self, lower: f64, upper: f64) -> Result<f64, DistError> {
        if upper - lower < 1e-12 {
            Err(self.no_mass(upper - lower))
        } else {
            Ok(upper - lower)
        }
    }
}

/// The numbers under `names`, all of which the family needs.
pub(super) fn need_all<E, const N: usize>(
    keys: &dyn Keys<E>,
    names: [&str; N],
) -> Result<[f64; N], E> {
    let mut values = [0.0; N];
    for (value, name) in values.iter_mut().zip(names) {
        *value = keys.need(name)?;
    }
    Ok(values)
}

/// `x` must be a finite number.
pub(super) fn finite(name: &'static str, x: f64) -> Result<(), DistError> {
    if x.is_finite() {
        Ok(())
    } else {
        Err(DistError::NotFinite(name))
    }
}

/// `value` must be finite and greater than 0.
pub(super) fn positive(name: &'static str, value: f64) -> Result<(), DistError> {
    finite(name, value)?;
    if value > 0.0 {
        Ok(())
    } else {
        Err(DistError::NotPositive { name, value })
    }
}

/// Finite bounds with `min` < `max` and a finite `max − min`.
pub(super) fn bounds(min: f64, max: f64) -> Result<(), DistError> {
    finite("min", min)?;
    finite("max", max)?;
    if min >= max {
        Err(DistError::MinNotBelowMax { min, max })
    } else if !(max - min).is_finite() {
        Err(DistError::RangeTooWide { min, max })
    } else {
        Ok(())
    }
}

/// Bounds as [`bounds`], and a finite `mode` within them (triangular and PERT).
pub(super) fn bounds_and_mode(min: f64, mode: f64, max: f64) -> Result<(), DistError> {
    bounds(min, max)?;
    finite("mode", mode)?;
    if mode < min || mode > max {
        return Err(DistError::ModeOutside { mode, min, max });
    }
    Ok(())
}

/// A shape parameter within the supported `(min, max)`; `hint` says what to use instead.
pub(super) fn shape_within(
    name: &'static str,
    value: f64,
    (min, max): (f64, f64),
    hint: impl FnOnce() -> String,
) -> Result<(), DistError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(DistError::ShapeOutOfRange {
            name,
            value,
            min,
            max,
            hint: hint(),
        })
    }
}

/// The length of a list of values as `discrete` and `empirical` take it: at least one
/// entry, at most 1,000,000.
pub(super) fn list_length(values: &[f64]) -> Result<(), DistError> {
    if values.is_empty() {
        return Err(DistError::EmptyValues);
    }
    if values.len() > 1_000_000 {
        return Err(DistError::TooManyValues(values.len()));
    }
    Ok(())
}

/// Three points as the triangular and PERT are said: `5 / 15 / 25`.
pub(super) fn three_points(g: &dyn Fn(f64) -> String, min: f64, mode: f64, max: f64) -> String {
    format!("{} / {} / {}", g(min), g(mode), g(max))
}
