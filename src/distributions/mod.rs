//! Probability distributions of scenario inputs (docs/MODEL.md "Inputs").
//!
//! Each family is one file under `families/`, implementing the [`Family`] trait (how a
//! scenario writes it, its validation, its sampler, its point value and description), and
//! one line of the registry in `families/mod.rs`, which defines [`Dist`].
//!
//! Every input is sampled by inverse transform: one uniform `u` in (0, 1) per input and
//! trial goes through the input's quantile function. Closed forms are used for uniform,
//! log-uniform, triangular and Weibull; normal and lognormal go through Wichura's AS241
//! inverse of the normal CDF; beta, PERT and gamma use a cubic-Hermite quantile table
//! built once from the exact inverse CDF (statrs) and its density, with log-spaced knots
//! in the two tails (accurate to [`TAIL_REL_ERROR`] of the tail probability, see `table`);
//! discrete, Poisson, negative binomial and empirical inputs search a cumulative table.
//! Truncation (`min`/`max` on normal, lognormal, gamma, Weibull, Poisson, negative
//! binomial, discrete, empirical) maps `u` into [F(min), F(max)], so samples come from the
//! truncated distribution. Because every method is a function of uniforms, Latin
//! hypercube, Sobol points and copulas reuse the same samplers.

mod describe;
pub mod families;
pub mod family;
pub mod normal;
mod params;
pub mod range;
mod sampler;
mod table;

pub use families::Dist;
pub use family::{Family, Keys, Truncation};
pub use sampler::Sampler;
pub use table::TAIL_REL_ERROR;

/// Which point value docs/MODEL.md assigns to a distribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointKind {
    /// The mode (triangular, PERT).
    Mode,
    /// The median (normal, lognormal, any 90%-interval input).
    Median,
    /// The mean (everything else).
    Mean,
}

/// Why a distribution's parameters are impossible. The scenario layer adds the key path.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DistError {
    /// A parameter is NaN or infinite.
    #[error("`{0}` must be a finite number")]
    NotFinite(&'static str),
    /// Lower bound not below the upper one.
    #[error("`min` ({min}) must be less than `max` ({max})")]
    MinNotBelowMax { min: f64, max: f64 },
    /// Mode outside the bounds.
    #[error("`mode` ({mode}) must lie within [min, max] = [{min}, {max}]")]
    ModeOutside { mode: f64, min: f64, max: f64 },
    /// A parameter that must be positive is not.
    #[error("`{name}` must be greater than 0 (got {value})")]
    NotPositive { name: &'static str, value: f64 },
    /// A probability outside [0, 1].
    #[error("`p` must lie within [0, 1] (got {0})")]
    ProbabilityOutside(f64),
    /// p5 not below p95 (or median not below p95).
    #[error("`{low_name}` ({low}) must be less than `{high_name}` ({high})")]
    QuantilesNotIncreasing {
        low_name: &'static str,
        low: f64,
        high_name: &'static str,
        high: f64,
    },
    /// Lognormal quantile ≤ 0.
    #[error(
        "lognormal `{name}` must be greater than 0 (got {value}); a lognormal input is always positive"
    )]
    LogQuantileNotPositive { name: &'static str, value: f64 },
    /// Negative weight.
    #[error("weights must not be negative (weight {index} is {value})")]
    NegativeWeight { index: usize, value: f64 },
    /// All weights zero.
    #[error("weights must not all be zero")]
    ZeroWeights,
    /// Empty list.
    #[error("`values` must not be empty")]
    EmptyValues,
    /// Lengths differ.
    #[error("`values` has {values} entries but `weights` has {weights}")]
    LengthMismatch { values: usize, weights: usize },
    /// Truncation bounds leave no probability.
    #[error("truncation to [{min}, {max}] leaves no probability mass ({mass:.3e})")]
    NoMassLeft { min: f64, max: f64, mass: f64 },
    /// Poisson mean too large for the cumulative table.
    #[error(
        "poisson `lambda` must be at most 1e6 (got {0}); use a normal or gamma for large counts"
    )]
    LambdaTooLarge(f64),
    /// Negative binomial `p` outside (0, 1).
    #[error("`p` must be greater than 0 and less than 1 (got {0})")]
    SuccessProbability(f64),
    /// Counts spread over more values than a cumulative table holds.
    #[error(
        "this negative binomial spreads over more than {} counts (mean {}); use a gamma or a lognormal for counts this large", short_number(*.limit as f64), short_number(*.mean)
    )]
    CountsTooSpread {
        /// Mean of the distribution.
        mean: f64,
        /// Most table entries.
        limit: usize,
    },
    /// Too many values.
    #[error("`values` may have at most 1,000,000 entries (got {0})")]
    TooManyValues(usize),
    /// A shape parameter outside the range the quantile method computes accurately and in
    /// bounded time (see [`GAMMA_SHAPE_RANGE`], [`BETA_SHAPE_RANGE`], [`PERT_LAMBDA_MAX`]).
    #[error("`{name}` must be from {} to {} (got {}){hint}", short_number(*.min), short_number(*.max), short_number(*.value))]
    ShapeOutOfRange {
        /// Parameter.
        name: &'static str,
        /// Given value.
        value: f64,
        /// Smallest supported.
        min: f64,
        /// Largest supported.
        max: f64,
        /// What to use instead.
        hint: String,
    },
    /// `max − min` is not a finite number.
    #[error("the range from `min` ({}) to `max` ({}) is too wide to compute with (max − min overflows)", short_number(*.min), short_number(*.max))]
    RangeTooWide {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// The distribution reaches values that are not finite numbers.
    #[error("its values overflow: its {} quantile is {value}, not a finite number; narrow the distribution", probability(*.p))]
    Overflow {
        /// Where.
        p: f64,
        /// The quantile there.
        value: f64,
    },
}

/// Supported gamma shapes. Below 0.5 the quantile (statrs' inverse CDF) is off by more than
/// 1e-4 in probability; above 10⁴ building the table takes over 25 ms and grows with the
/// shape (7.5 s at 10⁹, unbounded at 10¹²), while the gamma is a normal to within a skewness
/// of 0.02.
pub const GAMMA_SHAPE_RANGE: (f64, f64) = (0.5, 1e4);
/// Supported beta shapes (each of alpha and beta). Below 0.5 the quantile is off by more
/// than 1e-4 in probability; above 10⁵ it loses accuracy (2e-4 at 10⁶) and at 10⁷ statrs'
/// inverse does not return.
pub const BETA_SHAPE_RANGE: (f64, f64) = (0.5, 1e5);
/// Supported negative binomial `r`: above 10⁶ it is a Poisson to within a relative
/// variance excess of mean/10⁶, and its log-probabilities lose digits.
pub const NEGBIN_R_RANGE: (f64, f64) = (0.0, 1e6);
/// Largest PERT `lambda` (its beta shapes lie within [1, 1 + lambda]).
pub const PERT_LAMBDA_MAX: f64 = 1e4;
/// The most extreme probabilities a sampler is evaluated at (Gaussian copula clamp and the
/// top of the 53-bit uniforms); every input must give finite values there.
pub const EXTREME_P: (f64, f64) = (1e-300, 1.0 - f64::EPSILON / 2.0);

/// A validated input distribution with optional truncation and point value override.
#[derive(Clone, Debug)]
pub struct InputDist {
    /// The base distribution.
    pub dist: Dist,
    /// Truncation bounds (for distributions whose bounds are not their own parameters).
    pub trunc_min: Option<f64>,
    /// Upper truncation bound.
    pub trunc_max: Option<f64>,
    /// Explicit point value (`base`).
    pub base: Option<f64>,
    /// Was the input given by two quantiles (a 90% interval, `p10`/`p90`, …)? Its point
    /// value is then the median.
    pub interval_form: bool,
    /// The range as written, when the input was given as one ("5 to 30", `p10`/`p90`).
    pub range: Option<range::Range>,
}

impl Dist {
    /// Check the parameters.
    pub fn validate(&self) -> Result<(), DistError> {
        self.as_family().validate()
    }

    /// The point-value rule of docs/MODEL.md for this family.
    pub fn point_kind(&self) -> PointKind {
        self.as_family().point_kind()
    }

    /// Does `min`/`max` truncate this distribution (rather than being its own bounds)?
    pub fn truncatable(&self) -> bool {
        self.as_family().truncatable()
    }
}

impl InputDist {
    /// An untruncated distribution without a base override.
    pub fn plain(dist: Dist) -> Self {
        InputDist {
            dist,
            trunc_min: None,
            trunc_max: None,
            base: None,
            interval_form: false,
            range: None,
        }
    }

    /// Is this input uncertain (more than one possible value)?
    pub fn is_uncertain(&self) -> bool {
        self.dist.as_family().is_uncertain()
    }

    /// Build the quantile function. Validates first, and checks that the values at the most
    /// extreme probabilities ([`EXTREME_P`]) are finite numbers.
    pub fn sampler(&self) -> Result<Sampler, DistError> {
        let s = self.build_sampler()?;
        for p in [EXTREME_P.0, EXTREME_P.1] {
            let value = s.quantile(p);
            if !value.is_finite() {
                return Err(DistError::Overflow { p, value });
            }
        }
        Ok(s)
    }

    fn build_sampler(&self) -> Result<Sampler, DistError> {
        self.dist.validate()?;
        let t = Truncation {
            lo: self.trunc_min.unwrap_or(f64::NEG_INFINITY),
            hi: self.trunc_max.unwrap_or(f64::INFINITY),
        };
        if self.trunc_min.is_some() || self.trunc_max.is_some() {
            if t.lo.is_nan() || t.hi.is_nan() {
                return Err(DistError::NotFinite("min"));
            }
            if t.lo >= t.hi {
                return Err(DistError::MinNotBelowMax {
                    min: t.lo,
                    max: t.hi,
                });
            }
        }
        self.dist.as_family().sampler(t)
    }
}

/// A probability as people read it near 0 and 1: `1e-300`, `1 − 1.1e-16`.
fn probability(p: f64) -> String {
    if p > 0.5 {
        format!("1 − {:.1e}", 1.0 - p)
    } else {
        format!("{p:.1e}")
    }
}

pub use crate::format::short_number;

impl InputDist {
    /// The point value of docs/MODEL.md: `base` if given; the mode of triangular and PERT;
    /// the median of normal, lognormal and 90%-interval inputs; the mean otherwise.
    /// Truncated: the mode is clamped into the bounds; median and mean are those of the
    /// truncated distribution.
    pub fn point_value(&self, sampler: &Sampler) -> f64 {
        if let Some(b) = self.base {
            return b;
        }
        let family = self.dist.as_family();
        let kind = if self.interval_form {
            PointKind::Median
        } else {
            family.point_kind()
        };
        let truncated = self.trunc_min.is_some() || self.trunc_max.is_some();
        let closed = match kind {
            PointKind::Mode => family.mode(),
            PointKind::Median => None,
            PointKind::Mean if truncated => None,
            PointKind::Mean => family.mean(),
        };
        match (closed, kind) {
            (Some(v), _) => v,
            (None, PointKind::Median) => sampler.quantile(0.5),
            (None, _) => sampler.mean(),
        }
    }
}

#[cfg(test)]
mod tests;
