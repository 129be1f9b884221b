//! Inputs given as ranges, the way people state them: "5 to 30" (a 90% interval), two
//! quantiles of any two-parameter family (`p10 = 5, p90 = 30`), or two quantiles and a mode
//! for triangular and PERT. Each range is solved here for the family's own parameters:
//! in closed form for the normal, lognormal, uniform and Weibull, numerically (bisection on
//! statrs' CDFs, with the solution checked) for the gamma, beta, triangular and PERT.

use statrs::distribution::{Continuous, ContinuousCDF, Gamma};
use statrs::function::beta::beta_reg;

use super::{BETA_SHAPE_RANGE, Dist, GAMMA_SHAPE_RANGE, families, normal, short_number};

/// The quantile keys a range may use, with their probabilities.
pub const QUANTILE_KEYS: [(&str, f64); 7] = [
    ("p5", 0.05),
    ("p10", 0.10),
    ("p25", 0.25),
    ("median", 0.50),
    ("p75", 0.75),
    ("p90", 0.90),
    ("p95", 0.95),
];

/// One quantile of a range: the key it was written with, its probability and its value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quantile {
    /// `p10`, `median`, …
    pub key: &'static str,
    /// Its probability (0.1 for `p10`).
    pub p: f64,
    /// The value given.
    pub value: f64,
}

impl Quantile {
    /// The quantile of `key` (one of [`QUANTILE_KEYS`]) at `value`.
    pub fn of(key: &str, value: f64) -> Option<Quantile> {
        QUANTILE_KEYS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(key, p)| Quantile { key, p: *p, value })
    }
}

/// How an input given as a range was written, kept for the assumptions table and sheets.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    /// The text as written: `5 to 30`, or the keys of the table (`p10 = 5, p90 = 30`,
    /// with `mode = 12` for triangular and PERT), numbers as they appear in the file.
    pub written: String,
    /// The string shorthand ("5 to 30", a 90% interval)?
    pub shorthand: bool,
    /// The lower quantile.
    pub low: Quantile,
    /// The upper quantile.
    pub high: Quantile,
    /// The mode (triangular and PERT).
    pub mode: Option<f64>,
}

impl Range {
    /// The range as people say it, with the family it became:
    /// `5 to 30 (a 90% range, lognormal)`, `gamma with p10 = 5, p90 = 30`.
    pub fn label(&self, family: &str) -> String {
        if self.shorthand {
            format!("{} (a 90% range, {family})", self.written)
        } else {
            format!("{family} with {}", self.written)
        }
    }
}

/// The families a range of two quantiles defines.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TwoQuantileFamily {
    /// Normal.
    Normal,
    /// Lognormal (both quantiles positive).
    LogNormal,
    /// Uniform.
    Uniform,
    /// Gamma (both quantiles positive).
    Gamma,
    /// Weibull (both quantiles positive).
    Weibull,
    /// Beta scaled to [min, max].
    Beta {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
}

impl TwoQuantileFamily {
    fn name(&self) -> &'static str {
        match self {
            TwoQuantileFamily::Normal => "normal",
            TwoQuantileFamily::LogNormal => "lognormal",
            TwoQuantileFamily::Uniform => "uniform",
            TwoQuantileFamily::Gamma => "gamma",
            TwoQuantileFamily::Weibull => "weibull",
            TwoQuantileFamily::Beta { .. } => "beta",
        }
    }
}

/// The families a range of two quantiles and a mode defines.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ModeFamily {
    /// Triangular.
    Triangular,
    /// Beta-PERT with this `lambda`.
    Pert {
        /// Weight of the mode (4 by default).
        lambda: f64,
    },
}

impl ModeFamily {
    fn name(&self) -> &'static str {
        match self {
            ModeFamily::Triangular => "triangular",
            ModeFamily::Pert { .. } => "pert",
        }
    }
}

/// How a family is given by a range, and so which solver finds its parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RangeForm {
    /// Two quantiles ([`two_quantiles`]).
    Two(TwoQuantileFamily),
    /// Two quantiles and the mode ([`mode_and_quantiles`]).
    Mode(ModeFamily),
}

/// What a table giving a family by quantiles may hold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RangeKeys {
    /// The form, and so the solver.
    pub form: RangeForm,
    /// The family's own parameter keys, which the quantiles replace (a mix is an error).
    pub native: &'static [&'static str],
    /// Keys the table may add to the two quantiles (truncation bounds, `mode`, `lambda`).
    pub extra: &'static [&'static str],
}

impl RangeKeys {
    /// A truncatable family of two quantiles: its own keys are `native`, and `min`/`max`
    /// truncate the distribution the quantiles define.
    pub fn truncatable(family: TwoQuantileFamily, native: &'static [&'static str]) -> Self {
        RangeKeys {
            form: RangeForm::Two(family),
            native,
            extra: &["min", "max"],
        }
    }
}

/// Why a range cannot be met.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RangeError {
    /// The quantiles are not increasing.
    #[error("`{}` ({}) must be less than `{}` ({})", .low.key, short_number(.low.value), .high.key, short_number(.high.value))]
    NotIncreasing {
        /// The lower-probability quantile.
        low: Quantile,
        /// The higher-probability one.
        high: Quantile,
    },
    /// A family of positive values given a quantile ≤ 0.
    #[error("{family} `{}` must be greater than 0 (got {}); a {family} input is always positive", .at.key, short_number(.at.value))]
    NotPositive {
        /// The family.
        family: &'static str,
        /// The offending quantile.
        at: Quantile,
    },
    /// A quantile outside the bounds (of a beta, or of a truncation).
    #[error("{family} `{}` ({}) must lie between `min` ({}) and `max` ({})", .at.key, short_number(.at.value), short_number(*.min), short_number(*.max))]
    OutsideBounds {
        /// The family.
        family: &'static str,
        /// The offending quantile.
        at: Quantile,
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// No member of the family (within its supported shapes) has these quantiles.
    #[error("no {family} has {}: {why}", pair(.low, .high))]
    NoSolution {
        /// The family.
        family: &'static str,
        /// Lower quantile.
        low: Quantile,
        /// Upper quantile.
        high: Quantile,
        /// Why, and what to use instead.
        why: String,
    },
    /// The quantiles cannot both be met with this mode.
    #[error("no {family} with mode {} has {}: with the mode there, the quantiles are impossible; move the mode or the quantiles", short_number(*.mode), pair(.low, .high))]
    ModeImpossible {
        /// The family.
        family: &'static str,
        /// Lower quantile.
        low: Quantile,
        /// The mode.
        mode: f64,
        /// Upper quantile.
        high: Quantile,
    },
}

impl RangeError {
    /// The key the error is about (`None`: the range as a whole).
    pub fn key(&self) -> Option<&'static str> {
        match self {
            RangeError::NotIncreasing { high, .. } => Some(high.key),
            RangeError::NotPositive { at, .. } | RangeError::OutsideBounds { at, .. } => {
                Some(at.key)
            }
            RangeError::ModeImpossible { .. } => Some("mode"),
            RangeError::NoSolution { .. } => None,
        }
    }
}

fn pair(low: &Quantile, high: &Quantile) -> String {
    format!(
        "{} = {} and {} = {}",
        low.key,
        short_number(low.value),
        high.key,
        short_number(high.value)
    )
}

/// Order the two quantiles by probability and check that their values increase.
fn ordered(a: Quantile, b: Quantile) -> Result<(Quantile, Quantile), RangeError> {
    let (low, high) = if a.p <= b.p { (a, b) } else { (b, a) };
    if low.value >= high.value || low.p >= high.p {
        return Err(RangeError::NotIncreasing { low, high });
    }
    Ok((low, high))
}

/// The distribution of `family` whose quantiles are `a` and `b` (in either order).
///
/// # Errors
/// [`RangeError`] when the values do not increase with the probabilities, a family of
/// positive values gets a quantile ≤ 0, a beta quantile lies outside its bounds, or no
/// member of the family within its supported shapes has these quantiles.
pub fn two_quantiles(
    family: TwoQuantileFamily,
    a: Quantile,
    b: Quantile,
) -> Result<Dist, RangeError> {
    let (low, high) = ordered(a, b)?;
    let positive = |q: Quantile| {
        if q.value > 0.0 {
            Ok(q.value)
        } else {
            Err(RangeError::NotPositive {
                family: family.name(),
                at: q,
            })
        }
    };
    // Location and scale through two standard quantiles: x = m + s·z; for quantiles
    // symmetric about the median, m is the midpoint (so that the 90% interval and
    // median/p95 forms give exactly what they always gave).
    let affine = |x: (f64, f64), z: (f64, f64)| {
        let s = (x.1 - x.0) / (z.1 - z.0);
        let m = if z.0 == -z.1 {
            0.5 * (x.0 + x.1)
        } else {
            x.0 - z.0 * s
        };
        (m, s)
    };
    let z = (standard_normal(low.p), standard_normal(high.p));
    match family {
        TwoQuantileFamily::Normal => {
            let (mean, sd) = affine((low.value, high.value), z);
            Ok(Dist::Normal(families::Normal { mean, sd }))
        }
        TwoQuantileFamily::LogNormal => {
            let x = (positive(low)?.ln(), positive(high)?.ln());
            let (mu, sigma) = affine(x, z);
            Ok(Dist::LogNormal(families::LogNormal { mu, sigma }))
        }
        TwoQuantileFamily::Uniform => {
            let (min, width) = affine((low.value, high.value), (low.p, high.p));
            Ok(Dist::Uniform(families::Uniform {
                min,
                max: high.value + (1.0 - high.p) * width,
            }))
        }
        TwoQuantileFamily::Weibull => {
            // ln x = ln λ + (1/k)·ln(−ln(1 − p)).
            let x = (positive(low)?.ln(), positive(high)?.ln());
            let h = |p: f64| (-(-p).ln_1p()).ln();
            let (ln_scale, inv_shape) = affine(x, (h(low.p), h(high.p)));
            Ok(Dist::Weibull(families::Weibull {
                shape: 1.0 / inv_shape,
                scale: ln_scale.exp(),
            }))
        }
        TwoQuantileFamily::Gamma => {
            positive(low)?;
            positive(high)?;
            gamma(low, high)
        }
        TwoQuantileFamily::Beta { min, max } => {
            for q in [low, high] {
                if !(q.value > min && q.value < max) {
                    return Err(RangeError::OutsideBounds {
                        family: "beta",
                        at: q,
                        min,
                        max,
                    });
                }
            }
            beta(low, high, min, max)
        }
    }
}

/// Φ⁻¹(p), with the median and the 90% interval's ends exact (0, ±[`normal::Z95`]).
fn standard_normal(p: f64) -> f64 {
    match p {
        0.5 => 0.0,
        0.05 => -normal::Z95,
        0.95 => normal::Z95,
        _ => normal::inv_phi(p),
    }
}

/// Root of an increasing function on [lo, hi] by bisection (`f(lo) < 0 < f(hi)`).
pub(crate) fn bisect(mut lo: f64, mut hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The quantile of the unit-scale gamma: statrs' inverse, polished by Newton steps on its
/// CDF (the inverse alone stops at a loose tolerance).
fn gamma_quantile(shape: f64, p: f64) -> f64 {
    let Ok(g) = Gamma::new(shape, 1.0) else {
        return f64::NAN;
    };
    let mut x = g.inverse_cdf(p);
    for _ in 0..4 {
        let f = g.pdf(x);
        if f.is_nan() || f <= 0.0 {
            break;
        }
        let next = x - (g.cdf(x) - p) / f;
        x = if next > 0.0 { next } else { 0.5 * x };
    }
    x
}

/// Gamma through two quantiles: the ratio Q(p_high)/Q(p_low) of the unit gamma depends on
/// the shape alone and falls as the shape grows.
fn gamma(low: Quantile, high: Quantile) -> Result<Dist, RangeError> {
    let ratio = |ln_k: f64| {
        let k = ln_k.exp();
        gamma_quantile(k, high.p) / gamma_quantile(k, low.p)
    };
    let want = high.value / low.value;
    let (k_min, k_max) = (GAMMA_SHAPE_RANGE.0.ln(), GAMMA_SHAPE_RANGE.1.ln());
    let fail = |why: &str| RangeError::NoSolution {
        family: "gamma",
        low,
        high,
        why: why.to_string(),
    };
    if want > ratio(k_min) {
        return Err(fail(
            "the range is too wide for a gamma (its shape would be below 0.5); use a lognormal",
        ));
    }
    if want < ratio(k_max) {
        return Err(fail(
            "the range is too narrow for a gamma (its shape would be above 10,000); use a normal",
        ));
    }
    let shape = bisect(k_min, k_max, |ln_k| want - ratio(ln_k)).exp();
    Ok(Dist::Gamma(families::Gamma {
        shape,
        scale: low.value / gamma_quantile(shape, low.p),
    }))
}

/// Beta through two quantiles. For a given alpha, the beta that puts `low` in place is found
/// by bisection (the CDF at a point rises with beta); along that curve the CDF at `high`
/// rises with alpha (the distribution narrows), which a second bisection solves.
fn beta(low: Quantile, high: Quantile, min: f64, max: f64) -> Result<Dist, RangeError> {
    let w = max - min;
    let (y_lo, y_hi) = ((low.value - min) / w, (high.value - min) / w);
    let (s_min, s_max) = (BETA_SHAPE_RANGE.0.ln(), BETA_SHAPE_RANGE.1.ln());
    // ln beta for this ln alpha, or which way alpha must move (−1: up, +1: down).
    let beta_for = |ln_a: f64| -> Result<f64, f64> {
        let a = ln_a.exp();
        let at = |ln_b: f64| beta_reg(a, ln_b.exp(), y_lo) - low.p;
        if at(s_max) < 0.0 {
            return Err(1.0);
        }
        if at(s_min) > 0.0 {
            return Err(-1.0);
        }
        Ok(bisect(s_min, s_max, at))
    };
    let h = |ln_a: f64| match beta_for(ln_a) {
        Ok(ln_b) => beta_reg(ln_a.exp(), ln_b.exp(), y_hi) - high.p,
        Err(side) => side,
    };
    let fail = RangeError::NoSolution {
        family: "beta",
        low,
        high,
        why: format!(
            "no shapes from 0.5 to 100,000 on [{}, {}] give them; use a pert, or widen `min` and `max`",
            short_number(min),
            short_number(max)
        ),
    };
    if h(s_min) >= 0.0 || h(s_max) <= 0.0 {
        return Err(fail);
    }
    let ln_a = bisect(s_min, s_max, h);
    let ln_b = beta_for(ln_a).map_err(|_| fail.clone())?;
    let (alpha, beta) = (ln_a.exp(), ln_b.exp());
    let off = (beta_reg(alpha, beta, y_lo) - low.p)
        .abs()
        .max((beta_reg(alpha, beta, y_hi) - high.p).abs());
    if off > 1e-7 {
        return Err(fail);
    }
    Ok(Dist::Beta(families::Beta {
        alpha,
        beta,
        min,
        max,
    }))
}

/// The triangular or PERT distribution with this mode whose quantiles are `a` and `b`:
/// its bounds min = mode − u and max = mode + w are solved numerically. For a given u, the
/// w that puts the upper quantile in place is found by bisection (the CDF at a point falls
/// as the distribution widens to the right); the u that then puts the lower quantile in
/// place is bracketed on a log grid of widths and refined by bisection; the solution is
/// checked against both quantiles.
///
/// # Errors
/// [`RangeError::NotIncreasing`], or [`RangeError::ModeImpossible`] when no bounds meet
/// both quantiles with this mode.
pub fn mode_and_quantiles(
    family: ModeFamily,
    a: Quantile,
    mode: f64,
    b: Quantile,
) -> Result<Dist, RangeError> {
    let (low, high) = ordered(a, b)?;
    let impossible = RangeError::ModeImpossible {
        family: family.name(),
        low,
        mode,
        high,
    };
    let c = mode;
    let cdf = |x: f64, u: f64, w: f64| -> f64 {
        let (lo, hi) = (c - u, c + w);
        if x <= lo {
            return 0.0;
        }
        if x >= hi {
            return 1.0;
        }
        match family {
            ModeFamily::Triangular if x <= c => (x - lo).powi(2) / ((hi - lo) * u),
            ModeFamily::Triangular => 1.0 - (hi - x).powi(2) / ((hi - lo) * w),
            ModeFamily::Pert { lambda } => {
                let r = hi - lo;
                beta_reg(1.0 + lambda * u / r, 1.0 + lambda * w / r, (x - lo) / r)
            }
        }
    };
    let spread = high.value - low.value;
    let (u_min, w_min) = ((c - low.value).max(0.0), (high.value - c).max(0.0));
    let far = 1e3 * spread + u_min + w_min;
    // w for this u, or which way u must move (−1: up, +1: down).
    let w_for = |u: f64| -> Result<f64, f64> {
        let at = |t: f64| high.p - cdf(high.value, u, w_min + t);
        if at(0.0) > 0.0 {
            return Err(-1.0);
        }
        if at(far) < 0.0 {
            return Err(1.0);
        }
        Ok(w_min + bisect(0.0, far, at))
    };
    let g = |u: f64| match w_for(u) {
        Ok(w) => cdf(low.value, u, w) - low.p,
        Err(side) => side,
    };
    // A log grid of left widths beyond the least one, from 1e-9 to 1e3 of the range.
    let grid: Vec<f64> = std::iter::once(u_min)
        .chain((0..=240).map(|i| u_min + spread * 10f64.powf(-9.0 + 12.0 * i as f64 / 240.0)))
        .collect();
    let bracket = grid.windows(2).find(|p| g(p[0]) < 0.0 && g(p[1]) >= 0.0);
    let Some(&[u0, u1]) = bracket else {
        return Err(impossible);
    };
    let u = bisect(u0, u1, g);
    let w = w_for(u).map_err(|_| impossible.clone())?;
    let off = (cdf(low.value, u, w) - low.p)
        .abs()
        .max((cdf(high.value, u, w) - high.p).abs());
    if off > 1e-7 || !(u >= 0.0 && w >= 0.0) {
        return Err(impossible);
    }
    let (min, max) = (c - u, c + w);
    Ok(match family {
        ModeFamily::Triangular => Dist::Triangular(families::Triangular { min, mode: c, max }),
        ModeFamily::Pert { lambda } => Dist::Pert(families::Pert {
            min,
            mode: c,
            max,
            lambda,
        }),
    })
}
