//! The registry of distribution families: one line per family, with its name as a
//! scenario's `dist = "…"` writes it, its variant of [`Dist`] and its parameter type (one
//! file here, implementing [`Family`]). The scenario parser ([`read`], [`range_keys`],
//! [`NAMES`]), validation, samplers, point values, descriptions and parameter lists all go
//! through it; nothing else lists the families.

mod bernoulli;
mod beta;
mod constant;
mod discrete;
mod empirical;
mod gamma;
mod lognormal;
mod loguniform;
mod negbinomial;
mod normal;
mod pert;
mod poisson;
mod triangular;
mod uniform;
mod weibull;

pub use bernoulli::Bernoulli;
pub use beta::Beta;
pub use discrete::Discrete;
pub use empirical::Empirical;
pub use gamma::Gamma;
pub use lognormal::LogNormal;
pub use loguniform::LogUniform;
pub use negbinomial::NegBinomial;
pub use normal::Normal;
pub use pert::Pert;
pub use poisson::Poisson;
pub use triangular::Triangular;
pub use uniform::Uniform;
pub use weibull::Weibull;

use super::family::{Family, Keys};
use super::range::RangeKeys;

/// Defines [`Dist`] (a constant, or one variant per family) and the lookups by name.
macro_rules! registry {
    ($($name:literal => $variant:ident($ty:ty),)*) => {
        /// A distribution as the scenario states it: a constant, or a member of a family
        /// with its parameters.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Dist {
            /// A fixed number.
            Constant(f64),
            $(
                #[doc = concat!("`dist = \"", $name, "\"`.")]
                $variant($ty),
            )*
        }

        /// The family names a scenario may give as `dist`, in the order messages list them.
        pub const NAMES: &[&str] = &[$($name,)*];

        impl Dist {
            /// The family's behaviour (validation, sampler, point value, description).
            pub(crate) fn as_family(&self) -> &dyn Family {
                match self {
                    Dist::Constant(v) => v,
                    $(Dist::$variant(d) => d,)*
                }
            }

            /// Short family name as written in scenarios (`constant` for a number).
            pub fn family(&self) -> &'static str {
                match self {
                    Dist::Constant(_) => "constant",
                    $(Dist::$variant(_) => $name,)*
                }
            }

            /// The keys its family's table may hold besides `dist`, `base` and the
            /// truncation bounds (see [`Family::keys`]).
            pub fn keys(&self) -> &'static [&'static str] {
                match self {
                    Dist::Constant(_) => &[],
                    $(Dist::$variant(_) => <$ty as Family>::keys(),)*
                }
            }
        }

        /// Read an input of the family called `name` from its table; `None` when no family
        /// has that name.
        pub fn read<E>(name: &str, keys: &dyn Keys<E>) -> Option<Result<Dist, E>> {
            match name {
                $($name => Some(<$ty as Family>::read(keys).map(Dist::$variant)),)*
                _ => None,
            }
        }

        /// How the family called `name` is given by quantiles (see [`Family::range`]);
        /// `None` when no family has that name.
        pub fn range_keys<E>(
            name: &str,
            keys: &dyn Keys<E>,
        ) -> Option<Result<Option<RangeKeys>, E>> {
            match name {
                $($name => Some(<$ty as Family>::range(keys)),)*
                _ => None,
            }
        }
    };
}

registry! {
    "uniform" => Uniform(Uniform),
    "loguniform" => LogUniform(LogUniform),
    "triangular" => Triangular(Triangular),
    "pert" => Pert(Pert),
    "normal" => Normal(Normal),
    "lognormal" => LogNormal(LogNormal),
    "beta" => Beta(Beta),
    "gamma" => Gamma(Gamma),
    "bernoulli" => Bernoulli(Bernoulli),
    "poisson" => Poisson(Poisson),
    "weibull" => Weibull(Weibull),
    "negbinomial" => NegBinomial(NegBinomial),
    "discrete" => Discrete(Discrete),
    "empirical" => Empirical(Empirical),
}
