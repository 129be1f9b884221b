//! `payback fit`: which distribution describes a column of past data (integration days of
//! earlier projects, monthly churn), ready to paste into a scenario.
//!
//! The flow: a CSV column ([`data`]) → a [`Sample`] → each family's maximum-likelihood fit
//! (`continuous`: normal, lognormal, gamma, Weibull; `bounded`: beta, triangular, PERT on
//! given or estimated bounds; `counts`: Poisson and negative binomial when every value is a
//! non-negative integer) → goodness of fit with bootstrap p-values (`gof`) → ranking by AIC
//! and the outputs ([`render`]). With `--lower`/`--upper` the unbounded families are fitted
//! as distributions truncated to the bounds (`truncated`), the form the TOML line gives.

mod bounded;
mod continuous;
mod counts;
pub mod data;
mod gof;
mod model;
mod optimize;
pub mod render;
mod truncated;

use crate::distributions::InputDist;
pub use data::{DataError, read_column};
pub use model::{Model, Sample};

/// The families fitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Normal.
    Normal,
    /// Lognormal.
    LogNormal,
    /// Gamma.
    Gamma,
    /// Weibull.
    Weibull,
    /// Beta on the bounds.
    Beta,
    /// Triangular on the bounds.
    Triangular,
    /// PERT (λ = 4) on the bounds.
    Pert,
    /// Poisson counts.
    Poisson,
    /// Negative binomial counts.
    NegBinomial,
}

impl Family {
    /// Every family, in the order they are tried.
    pub const ALL: [Family; 9] = [
        Family::Normal,
        Family::LogNormal,
        Family::Gamma,
        Family::Weibull,
        Family::Beta,
        Family::Triangular,
        Family::Pert,
        Family::Poisson,
        Family::NegBinomial,
    ];

    /// The name a scenario's `dist` uses.
    pub fn name(self) -> &'static str {
        match self {
            Family::Normal => "normal",
            Family::LogNormal => "lognormal",
            Family::Gamma => "gamma",
            Family::Weibull => "weibull",
            Family::Beta => "beta",
            Family::Triangular => "triangular",
            Family::Pert => "pert",
            Family::Poisson => "poisson",
            Family::NegBinomial => "negbinomial",
        }
    }

    /// A family of counts (fitted only when every value is a non-negative integer)?
    pub fn is_count(self) -> bool {
        matches!(self, Family::Poisson | Family::NegBinomial)
    }

    /// A family on a bounded range (its own `min` and `max`)?
    fn is_bounded(self) -> bool {
        matches!(self, Family::Beta | Family::Triangular | Family::Pert)
    }
}

/// Default number of bootstrap samples per family.
pub const DEFAULT_BOOTSTRAP: usize = 200;
/// Most bootstrap samples per family.
pub const MAX_BOOTSTRAP: usize = 10_000;
/// The bootstrap draws at most this many values per family: with n values, at most
/// `BOOTSTRAP_VALUES / n` samples (and at least 19), so that long columns stay quick.
pub const BOOTSTRAP_VALUES: usize = 1_000_000;
/// Fewest values fitted.
pub const MIN_VALUES: usize = 5;

/// How to fit.
#[derive(Clone, Debug, PartialEq)]
pub struct FitOptions {
    /// Lower bound of the data (`--lower`).
    pub lower: Option<f64>,
    /// Upper bound of the data (`--upper`).
    pub upper: Option<f64>,
    /// Bootstrap samples per family for the p-values (0: none).
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            lower: None,
            upper: None,
            bootstrap: DEFAULT_BOOTSTRAP,
            seed: 42,
        }
    }
}

/// One family fitted to the data.
#[derive(Clone, Debug)]
pub struct Fit {
    /// The family.
    pub family: Family,
    /// The fitted distribution (truncation included).
    pub model: Model,
    /// Parameters counted by AIC and BIC (bounds estimated from the data included).
    pub parameters: usize,
    /// Log-likelihood at the estimate.
    pub log_likelihood: f64,
    /// Akaike's criterion, 2k − 2 ln L.
    pub aic: f64,
    /// Schwarz's criterion, k ln n − 2 ln L.
    pub bic: f64,
    /// Kolmogorov–Smirnov distance.
    pub ks: f64,
    /// Its bootstrap p-value.
    pub ks_p: Option<f64>,
    /// Anderson–Darling A².
    pub ad: f64,
    /// Its bootstrap p-value.
    pub ad_p: Option<f64>,
}

impl Fit {
    /// The fitted input.
    pub fn input(&self) -> &InputDist {
        &self.model.input
    }
}

/// A family not fitted, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct NotFitted {
    /// The family.
    pub family: Family,
    /// Why, in words.
    pub why: String,
}

/// Every fit of one column, best (lowest AIC) first.
#[derive(Clone, Debug)]
pub struct FitReport {
    /// The column's name.
    pub column: String,
    /// The data.
    pub sample: Sample,
    /// Fits, best first.
    pub fits: Vec<Fit>,
    /// Families not fitted.
    pub not_fitted: Vec<NotFitted>,
    /// Bootstrap samples per family actually drawn.
    pub bootstrap: usize,
    /// The options.
    pub options: FitOptions,
}

/// Why a column cannot be fitted.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    /// The data.
    #[error(transparent)]
    Data(#[from] DataError),
    /// Values outside the given bounds.
    #[error("{count} value{} lie {side} --{flag} {bound} (the {extreme} is {value}); the bounds must hold every value", if *.count == 1 { "" } else { "s" })]
    OutsideBounds {
        /// How many.
        count: usize,
        /// "below" or "above".
        side: &'static str,
        /// "lower" or "upper".
        flag: &'static str,
        /// The bound.
        bound: String,
        /// "smallest" or "largest".
        extreme: &'static str,
        /// The most extreme value.
        value: String,
    },
    /// Bounds in the wrong order.
    #[error("the lower bound ({0}) must be less than the upper bound ({1})")]
    BoundsOrder(String, String),
    /// Nothing could be fitted.
    #[error("no family could be fitted: {0}")]
    NothingFits(String),
}

/// Fit every family to the values of `column`.
///
/// # Errors
/// [`FitError`] for too few or all-equal values, values outside the given bounds, or when
/// no family fits.
pub fn fit(values: &[f64], column: &str, options: &FitOptions) -> Result<FitReport, FitError> {
    data::check(values, column)?;
    let s = Sample::new(values);
    check_bounds(&s, options)?;
    let n = s.x.len();
    let bootstrap = options
        .bootstrap
        .min(MAX_BOOTSTRAP)
        .min((BOOTSTRAP_VALUES / n).max(19));
    let mut fits = Vec::new();
    let mut not_fitted = Vec::new();
    for family in Family::ALL {
        if family.is_count() && !s.counts {
            not_fitted.push(NotFitted {
                family,
                why: "for counts: not every value is a non-negative integer".into(),
            });
            continue;
        }
        let fitted = fit_one(family, &s, options).and_then(|(m, k)| {
            // The quantile function, built once here, must hold at the extremes.
            m.input.sampler().map_err(|e| outside(&m.input, &e))?;
            Ok((m, k))
        });
        let (model, parameters) = match fitted {
            Ok(m) => m,
            Err(why) => {
                not_fitted.push(NotFitted { family, why });
                continue;
            }
        };
        let log_likelihood = model.log_likelihood(&s);
        if !log_likelihood.is_finite() {
            not_fitted.push(NotFitted {
                family,
                why: "some values are impossible under its best fit".into(),
            });
            continue;
        }
        let observed = gof::statistics(&model, &s);
        let refit = |b: &Sample| fit_one(family, b, options).ok().map(|m| m.0);
        let (ks_p, ad_p) = if bootstrap > 0 {
            gof::p_values(observed, &model, n, bootstrap, options.seed, &refit)
        } else {
            (None, None)
        };
        let k = parameters as f64;
        fits.push(Fit {
            family,
            model,
            parameters,
            log_likelihood,
            aic: 2.0 * k - 2.0 * log_likelihood,
            bic: k * (n as f64).ln() - 2.0 * log_likelihood,
            ks: observed.ks,
            ks_p,
            ad: observed.ad,
            ad_p,
        });
    }
    if fits.is_empty() {
        let why: Vec<String> = not_fitted
            .iter()
            .map(|f| format!("{}: {}", f.family.name(), f.why))
            .collect();
        return Err(FitError::NothingFits(why.join("; ")));
    }
    fits.sort_by(|a, b| a.aic.total_cmp(&b.aic));
    Ok(FitReport {
        column: column.to_string(),
        sample: s,
        fits,
        not_fitted,
        bootstrap,
        options: options.clone(),
    })
}

/// Every value within the given bounds, and the bounds in order.
fn check_bounds(s: &Sample, o: &FitOptions) -> Result<(), FitError> {
    let g = crate::distributions::short_number;
    if let (Some(lo), Some(hi)) = (o.lower, o.upper)
        && lo >= hi
    {
        return Err(FitError::BoundsOrder(g(lo), g(hi)));
    }
    let (min, max) = s.range();
    if let Some(lo) = o.lower
        && min < lo
    {
        return Err(FitError::OutsideBounds {
            count: s.x.iter().filter(|x| **x < lo).count(),
            side: "below",
            flag: "lower",
            bound: g(lo),
            extreme: "smallest",
            value: g(min),
        });
    }
    if let Some(hi) = o.upper
        && max > hi
    {
        return Err(FitError::OutsideBounds {
            count: s.x.iter().filter(|x| **x > hi).count(),
            side: "above",
            flag: "upper",
            bound: g(hi),
            extreme: "largest",
            value: g(max),
        });
    }
    Ok(())
}

/// Why a fit outside payback's supported parameters is not offered.
fn outside(input: &InputDist, e: &crate::distributions::DistError) -> String {
    format!(
        "its best fit ({}) is outside what payback samples: {e}",
        input.parameter_text()
    )
}

/// One family's maximum-likelihood fit and the parameters AIC counts; the same procedure
/// refits every bootstrap sample.
fn fit_one(family: Family, s: &Sample, o: &FitOptions) -> Result<(Model, usize), String> {
    let on_bounds = |shape| bounded::fit(shape, s, o.lower, o.upper);
    let (dist, estimated) = match family {
        Family::Normal => (continuous::normal(s)?, 0),
        Family::LogNormal => (continuous::lognormal(s)?, 0),
        Family::Gamma => (continuous::gamma(s)?, 0),
        Family::Weibull => (continuous::weibull(s)?, 0),
        Family::Beta | Family::Triangular | Family::Pert => {
            let shape = match family {
                Family::Beta => bounded::Shape::Beta,
                Family::Triangular => bounded::Shape::Triangular,
                _ => bounded::Shape::Pert,
            };
            let (d, b) = on_bounds(shape)?;
            (d, b.estimated)
        }
        Family::Poisson => (counts::poisson(s)?, 0),
        Family::NegBinomial => (counts::negative_binomial(s)?, 0),
    };
    let input = if family.is_bounded() {
        InputDist::plain(dist)
    } else {
        InputDist {
            trunc_min: o.lower,
            trunc_max: o.upper,
            ..InputDist::plain(dist)
        }
    };
    // Payback's own limits (gamma and beta shapes, negative binomial r) apply to the line
    // it prints: a fit outside them is reported, not offered.
    input.dist.validate().map_err(|e| outside(&input, &e))?;
    let model = truncated::refine(input, s).ok_or_else(|| "the fit failed".to_string())?;
    let parameters = match family {
        Family::Beta => 2 + estimated,
        Family::Triangular | Family::Pert => 1 + estimated,
        _ => model.input.dist.parameters().len(),
    };
    Ok((model, parameters))
}
