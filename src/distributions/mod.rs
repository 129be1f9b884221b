//! Probability distributions of scenario inputs (docs/MODEL.md "Inputs").
//!
//! Every input is sampled by inverse transform: one uniform `u` in (0, 1) per input and
//! trial goes through the input's quantile function. Closed forms are used for uniform and
//! triangular; normal, lognormal, beta, PERT and gamma use a cubic-Hermite quantile table
//! built once from the exact inverse CDF (AS241 for the normal family, statrs otherwise)
//! and its density, with log-spaced knots in the two tails (accurate to
//! [`TAIL_REL_ERROR`] of the tail probability, see `table`); discrete, Poisson
//! and empirical inputs search a cumulative table.
//! Truncation (`min`/`max` on normal, lognormal, gamma, Poisson, discrete, empirical)
//! maps `u` into [F(min), F(max)], so samples come from the truncated distribution.
//! Because every method is a function of uniforms, Latin hypercube, Sobol points and
//! copulas reuse the same samplers.

mod describe;
pub mod normal;
mod params;
pub mod range;
mod sampler;
mod table;

pub use sampler::Sampler;
pub use table::TAIL_REL_ERROR;

use sampler::{beta_table, cumulative, negbin_table, poisson_table};
use statrs::distribution::{Continuous, ContinuousCDF, Gamma};
use table::QuantileTable;

/// A distribution as the scenario states it, validated.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    /// A fixed number.
    Constant(f64),
    /// Uniform on [min, max].
    Uniform { min: f64, max: f64 },
    /// Triangular with the given mode.
    Triangular { min: f64, mode: f64, max: f64 },
    /// Beta-PERT; `lambda` defaults to 4.
    Pert {
        min: f64,
        mode: f64,
        max: f64,
        lambda: f64,
    },
    /// Normal with mean and standard deviation.
    Normal { mean: f64, sd: f64 },
    /// Lognormal: ln X ~ Normal(mu, sigma).
    LogNormal { mu: f64, sigma: f64 },
    /// Beta(alpha, beta) scaled to [min, max].
    Beta {
        alpha: f64,
        beta: f64,
        min: f64,
        max: f64,
    },
    /// Gamma with shape and scale.
    Gamma { shape: f64, scale: f64 },
    /// 1 with probability p, else 0.
    Bernoulli { p: f64 },
    /// Poisson counts with mean lambda.
    Poisson { lambda: f64 },
    /// Weibull with shape k and scale λ: P(X > x) = exp(−(x/λ)^k).
    Weibull { shape: f64, scale: f64 },
    /// Negative binomial counts: failures before the r-th success of trials that succeed
    /// with probability p; mean r(1 − p)/p, variance mean/p.
    NegBinomial { r: f64, p: f64 },
    /// Values with weights (normalised).
    Discrete { values: Vec<f64>, weights: Vec<f64> },
    /// Resampling of observed values.
    Empirical { values: Vec<f64> },
}

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
        fn fin(name: &'static str, x: f64) -> Result<(), DistError> {
            if x.is_finite() {
                Ok(())
            } else {
                Err(DistError::NotFinite(name))
            }
        }
        fn pos(name: &'static str, value: f64) -> Result<(), DistError> {
            fin(name, value)?;
            if value > 0.0 {
                Ok(())
            } else {
                Err(DistError::NotPositive { name, value })
            }
        }
        fn bounds(min: f64, max: f64) -> Result<(), DistError> {
            fin("min", min)?;
            fin("max", max)?;
            if min >= max {
                Err(DistError::MinNotBelowMax { min, max })
            } else if !(max - min).is_finite() {
                Err(DistError::RangeTooWide { min, max })
            } else {
                Ok(())
            }
        }
        fn shape(
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
        match self {
            Dist::Constant(v) => fin("value", *v),
            Dist::Uniform { min, max } => bounds(*min, *max),
            Dist::Triangular { min, mode, max } | Dist::Pert { min, mode, max, .. } => {
                bounds(*min, *max)?;
                fin("mode", *mode)?;
                if *mode < *min || *mode > *max {
                    return Err(DistError::ModeOutside {
                        mode: *mode,
                        min: *min,
                        max: *max,
                    });
                }
                if let Dist::Pert { lambda, .. } = self {
                    pos("lambda", *lambda)?;
                    shape("lambda", *lambda, (0.0, PERT_LAMBDA_MAX), String::new)?;
                }
                Ok(())
            }
            Dist::Normal { mean, sd } => {
                fin("mean", *mean)?;
                pos("sd", *sd)
            }
            Dist::LogNormal { mu, sigma } => {
                fin("mu", *mu)?;
                pos("sigma", *sigma)
            }
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => {
                pos("alpha", *alpha)?;
                pos("beta", *beta)?;
                let hint = || {
                    "; for a narrower spread than that, use a pert or a truncated normal"
                        .to_string()
                };
                shape("alpha", *alpha, BETA_SHAPE_RANGE, hint)?;
                shape("beta", *beta, BETA_SHAPE_RANGE, hint)?;
                bounds(*min, *max)
            }
            Dist::Gamma {
                shape: k,
                scale: theta,
            } => {
                pos("shape", *k)?;
                pos("scale", *theta)?;
                shape("shape", *k, GAMMA_SHAPE_RANGE, || {
                    if *k > GAMMA_SHAPE_RANGE.1 {
                        format!(
                            "; a gamma this concentrated is a normal: use dist = \"normal\", mean = {}, sd = {}",
                            short_number(k * theta),
                            short_number(k.sqrt() * theta)
                        )
                    } else {
                        "; for values piled up near 0 use a lognormal or an empirical".to_string()
                    }
                })?;
                Ok(())
            }
            Dist::Bernoulli { p } => {
                fin("p", *p)?;
                if (0.0..=1.0).contains(p) {
                    Ok(())
                } else {
                    Err(DistError::ProbabilityOutside(*p))
                }
            }
            Dist::Poisson { lambda } => {
                pos("lambda", *lambda)?;
                if *lambda > 1e6 {
                    Err(DistError::LambdaTooLarge(*lambda))
                } else {
                    Ok(())
                }
            }
            Dist::Weibull { shape, scale } => {
                pos("shape", *shape)?;
                pos("scale", *scale)
            }
            Dist::NegBinomial { r, p } => {
                pos("r", *r)?;
                shape("r", *r, NEGBIN_R_RANGE, || {
                    format!(
                        "; a negative binomial with r this large is a Poisson: use dist = \"poisson\", lambda = {}",
                        short_number(r * (1.0 - p) / p)
                    )
                })?;
                fin("p", *p)?;
                if *p > 0.0 && *p < 1.0 {
                    Ok(())
                } else {
                    Err(DistError::SuccessProbability(*p))
                }
            }
            Dist::Discrete { values, weights } => {
                if values.is_empty() {
                    return Err(DistError::EmptyValues);
                }
                if values.len() > 1_000_000 {
                    return Err(DistError::TooManyValues(values.len()));
                }
                if values.len() != weights.len() {
                    return Err(DistError::LengthMismatch {
                        values: values.len(),
                        weights: weights.len(),
                    });
                }
                for v in values {
                    fin("values", *v)?;
                }
                for (index, w) in weights.iter().enumerate() {
                    fin("weights", *w)?;
                    if *w < 0.0 {
                        return Err(DistError::NegativeWeight { index, value: *w });
                    }
                }
                if weights.iter().sum::<f64>() <= 0.0 {
                    return Err(DistError::ZeroWeights);
                }
                Ok(())
            }
            Dist::Empirical { values } => {
                if values.is_empty() {
                    return Err(DistError::EmptyValues);
                }
                if values.len() > 1_000_000 {
                    return Err(DistError::TooManyValues(values.len()));
                }
                values.iter().try_for_each(|v| fin("values", *v))
            }
        }
    }

    /// The point-value rule of docs/MODEL.md for this family.
    pub fn point_kind(&self) -> PointKind {
        match self {
            Dist::Triangular { .. } | Dist::Pert { .. } => PointKind::Mode,
            Dist::Normal { .. } | Dist::LogNormal { .. } => PointKind::Median,
            _ => PointKind::Mean,
        }
    }

    /// Does `min`/`max` truncate this distribution (rather than being its own bounds)?
    pub fn truncatable(&self) -> bool {
        matches!(
            self,
            Dist::Normal { .. }
                | Dist::LogNormal { .. }
                | Dist::Gamma { .. }
                | Dist::Poisson { .. }
                | Dist::Weibull { .. }
                | Dist::NegBinomial { .. }
                | Dist::Discrete { .. }
                | Dist::Empirical { .. }
        )
    }

    /// Short family name as written in scenarios.
    pub fn family(&self) -> &'static str {
        match self {
            Dist::Constant(_) => "constant",
            Dist::Uniform { .. } => "uniform",
            Dist::Triangular { .. } => "triangular",
            Dist::Pert { .. } => "pert",
            Dist::Normal { .. } => "normal",
            Dist::LogNormal { .. } => "lognormal",
            Dist::Beta { .. } => "beta",
            Dist::Gamma { .. } => "gamma",
            Dist::Bernoulli { .. } => "bernoulli",
            Dist::Poisson { .. } => "poisson",
            Dist::Weibull { .. } => "weibull",
            Dist::NegBinomial { .. } => "negbinomial",
            Dist::Discrete { .. } => "discrete",
            Dist::Empirical { .. } => "empirical",
        }
    }
}

/// Beta shape parameters of a PERT(min, mode, max, lambda).
pub(crate) fn pert_shapes(min: f64, mode: f64, max: f64, lambda: f64) -> (f64, f64) {
    let r = max - min;
    (
        1.0 + lambda * (mode - min) / r,
        1.0 + lambda * (max - mode) / r,
    )
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
        match &self.dist {
            Dist::Constant(_) => false,
            Dist::Bernoulli { p } => *p > 0.0 && *p < 1.0,
            Dist::Discrete { values, weights } => {
                let mut seen = None;
                for (v, w) in values.iter().zip(weights) {
                    if *w > 0.0 {
                        match seen {
                            None => seen = Some(*v),
                            Some(s) if s != *v => return true,
                            _ => {}
                        }
                    }
                }
                false
            }
            Dist::Empirical { values } => values.iter().any(|v| *v != values[0]),
            _ => true,
        }
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
        let lo_t = self.trunc_min.unwrap_or(f64::NEG_INFINITY);
        let hi_t = self.trunc_max.unwrap_or(f64::INFINITY);
        if self.trunc_min.is_some() || self.trunc_max.is_some() {
            if lo_t.is_nan() || hi_t.is_nan() {
                return Err(DistError::NotFinite("min"));
            }
            if lo_t >= hi_t {
                return Err(DistError::MinNotBelowMax {
                    min: lo_t,
                    max: hi_t,
                });
            }
        }
        let no_mass = |mass: f64| DistError::NoMassLeft {
            min: lo_t,
            max: hi_t,
            mass,
        };
        Ok(match &self.dist {
            Dist::Constant(v) => Sampler::Constant(*v),
            Dist::Uniform { min, max } => Sampler::Affine {
                lo: *min,
                width: max - min,
            },
            Dist::Triangular { min, mode, max } => Sampler::Triangular {
                min: *min,
                max: *max,
                fc: (mode - min) / (max - min),
                left: (max - min) * (mode - min),
                right: (max - min) * (max - mode),
            },
            Dist::Normal { mean, sd } => {
                let lower = normal::phi((lo_t - mean) / sd);
                let upper = normal::phi((hi_t - mean) / sd);
                if upper - lower < 1e-12 {
                    return Err(no_mass(upper - lower));
                }
                Sampler::Normal {
                    mean: *mean,
                    sd: *sd,
                    lower,
                    span: upper - lower,
                    lo: lo_t,
                    hi: hi_t,
                }
            }
            Dist::LogNormal { mu, sigma } => {
                let f = |x: f64| {
                    if x <= 0.0 {
                        0.0
                    } else {
                        normal::phi((x.ln() - mu) / sigma)
                    }
                };
                let lower = f(lo_t);
                let upper = if hi_t.is_infinite() { 1.0 } else { f(hi_t) };
                if upper - lower < 1e-12 {
                    return Err(no_mass(upper - lower));
                }
                Sampler::LogNormal {
                    mu: *mu,
                    sigma: *sigma,
                    lower,
                    span: upper - lower,
                    lo: lo_t,
                    hi: hi_t,
                }
            }
            Dist::Pert {
                min,
                mode,
                max,
                lambda,
            } => {
                let (a, b) = pert_shapes(*min, *mode, *max, *lambda);
                beta_table(a, b, *min, *max)
            }
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => beta_table(*alpha, *beta, *min, *max),
            Dist::Gamma { shape, scale } => {
                // Tabulate the unit-scale gamma and scale its values: statrs' inverse stops
                // at an absolute tolerance, so a tiny scale (1e-300) gave values of 1e-9.
                let g = Gamma::new(*shape, 1.0).map_err(|_| DistError::NotPositive {
                    name: "shape",
                    value: *shape,
                })?;
                let theta = *scale;
                let lower = if lo_t <= 0.0 {
                    0.0
                } else {
                    g.cdf(lo_t / theta)
                };
                let upper = if hi_t.is_infinite() {
                    1.0
                } else {
                    g.cdf(hi_t / theta)
                };
                if upper - lower < 1e-12 {
                    return Err(no_mass(upper - lower));
                }
                Sampler::Table(QuantileTable::build(
                    lower,
                    upper,
                    move |p| theta * g.inverse_cdf(p),
                    move |x| g.pdf(x / theta) / theta,
                ))
            }
            Dist::Bernoulli { p } => Sampler::Bernoulli { p: *p },
            Dist::Poisson { lambda } => {
                let (values, weights) = poisson_table(*lambda);
                cumulative(values, weights, lo_t, hi_t).ok_or_else(|| no_mass(0.0))?
            }
            Dist::NegBinomial { r, p } => {
                let (values, weights) = negbin_table(*r, *p)?;
                cumulative(values, weights, lo_t, hi_t).ok_or_else(|| no_mass(0.0))?
            }
            Dist::Weibull { shape, scale } => {
                let cdf = |x: f64| {
                    if x <= 0.0 {
                        0.0
                    } else {
                        -(-(x / scale).powf(*shape)).exp_m1()
                    }
                };
                let sf_lower = if lo_t <= 0.0 {
                    1.0
                } else {
                    (-(lo_t / scale).powf(*shape)).exp()
                };
                let lower = cdf(lo_t);
                let upper = if hi_t.is_infinite() { 1.0 } else { cdf(hi_t) };
                if upper - lower < 1e-12 {
                    return Err(no_mass(upper - lower));
                }
                Sampler::Weibull {
                    inv_shape: 1.0 / shape,
                    scale: *scale,
                    lower,
                    sf_lower,
                    span: upper - lower,
                    lo: lo_t,
                    hi: hi_t,
                }
            }
            Dist::Discrete { values, weights } => {
                cumulative(values.clone(), weights.clone(), lo_t, hi_t)
                    .ok_or_else(|| no_mass(0.0))?
            }
            Dist::Empirical { values } => {
                // Sorted, so that the quantile function is non-decreasing: LHS strata,
                // copulas, tornado ends and P10–P90 all read it as a quantile. Repeated
                // values keep their multiplicity (each observation is equally likely).
                let mut kept: Vec<f64> = values
                    .iter()
                    .copied()
                    .filter(|v| *v >= lo_t && *v <= hi_t)
                    .collect();
                if kept.is_empty() {
                    return Err(no_mass(0.0));
                }
                kept.sort_by(f64::total_cmp);
                Sampler::Resample { values: kept }
            }
        })
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
        let kind = if self.interval_form {
            PointKind::Median
        } else {
            self.dist.point_kind()
        };
        match (kind, &self.dist) {
            (_, Dist::Constant(v)) => *v,
            (PointKind::Mode, Dist::Triangular { mode, .. } | Dist::Pert { mode, .. }) => *mode,
            (PointKind::Median, _) => sampler.quantile(0.5),
            // min + max can overflow where max − min (checked finite) does not.
            (_, Dist::Uniform { min, max }) => min + 0.5 * (max - min),
            (
                _,
                Dist::Beta {
                    alpha,
                    beta,
                    min,
                    max,
                },
            ) => min + (max - min) * alpha / (alpha + beta),
            (_, Dist::Gamma { shape, scale })
                if self.trunc_min.is_none() && self.trunc_max.is_none() =>
            {
                shape * scale
            }
            (_, Dist::Weibull { shape, scale })
                if self.trunc_min.is_none() && self.trunc_max.is_none() =>
            {
                scale * statrs::function::gamma::gamma(1.0 + 1.0 / shape)
            }
            _ => sampler.mean(),
        }
    }
}

#[cfg(test)]
mod tests;
