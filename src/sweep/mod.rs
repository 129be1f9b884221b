//! Parameter sweeps (`payback sweep`): run a scenario at every point of a grid of one or
//! two parameters, with common random numbers across the points, and find break-even
//! values.
//!
//! A parameter is an input (fixed at each grid value: the sweep answers "what if we knew it
//! was x"), `horizon_months`, `discount_rate`, or the start month of a line item, written
//! `start:ITEM NAME` (a delayed roll-out; the item's end moves with it). Every point runs the
//! same trials with the same seed, so the other inputs take the same values at every point
//! and differences between points are not Monte Carlo noise.
//!
//! Break-evens of one varied parameter: where the median payback crosses 12 and 24 months
//! and where E[NPV] crosses 0, found by linear interpolation between the grid points that
//! bracket the crossing and refined by bisection (re-running at midpoints). A median payback
//! beyond the horizon counts as +∞. For a start month, the cost of delay is the
//! least-squares slope of E[NPV] per month of delay.
//!
//! With several scenarios (the same grid for each), the sweep also says which one is
//! cheapest (lowest E[TCO]) and best (highest E[NPV]) at each point, and where that changes.
//!
//! The module is pure: the caller supplies an evaluator that runs one scenario and returns
//! its [`Summary`].
//!
//! Files: [`param`] (what can be varied, the grid, applying a value to a scenario),
//! [`result`] (the statistics kept per point, break-evens, leaders: `sweep.json`), `run`
//! (the sweep itself), `breakeven` (crossings and their refinement), `delay` (cost of
//! delay) and [`render`] (terminal table, JSON, CSV).

mod breakeven;
mod delay;
mod leaders;
pub mod param;
pub mod render;
pub mod result;
mod run;

pub use param::{
    Param, Vary, apply, check_param, check_values, crossing_at, grid, parse_vary, scenario_at,
};
pub use render::{render_table, to_csv, to_json};
pub use result::{
    Breakeven, CostOfDelay, Crossover, Evaluator, Leader, ParamOut, Point, ScenarioSweep,
    Statistic, SweepConfig, SweepInput, SweepResult,
};
pub use run::sweep;

use crate::engine::RunError;

/// Version of the `sweep.json` wire format.
pub const SCHEMA_VERSION: u32 = 2;
/// Most grid points per parameter.
pub const MAX_STEPS: usize = 201;
/// Most runs of a bisection.
pub const MAX_BISECTIONS: usize = 20;
/// Bisection stops when the bracket is narrower than this share of the swept range.
pub const BRACKET_TOLERANCE: f64 = 1e-3;

/// A failure of a sweep.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// A swept parameter or grid value that cannot be used (exit code 2).
    #[error(transparent)]
    Vary(#[from] VaryError),
    /// The caller's evaluator could not set up a run (its message, exit code 2).
    #[error("{0}")]
    Usage(String),
    /// The engine failed.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The engine failed in a scenario at a grid point (`context` names both).
    #[error("{context}: {error}")]
    RunIn {
        /// File and grid point, e.g. `s.toml at users = 100`.
        context: String,
        /// What the engine reported.
        error: RunError,
    },
}

/// Why a swept parameter or one of its grid values cannot be used. Its text speaks of the
/// parameter as written (`users=100:3000:15`); a command line adds its own option names
/// (see the CLI's sweep set-up).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum VaryError {
    /// Not one or two parameters.
    #[error("sweep one parameter (a line chart and break-evens) or two (a heatmap)")]
    Count,
    /// Two specifications name the same parameter.
    #[error("`{first}` and `{second}` vary the same parameter")]
    Same {
        /// The first specification, as written.
        first: String,
        /// The second.
        second: String,
    },
    /// A specification `NAME=FROM:TO:STEPS` that cannot be read or makes no usable grid.
    #[error("`{spec}`: {reason}")]
    Spec {
        /// As written.
        spec: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A name that is neither an input nor a line item of a scenario.
    #[error("{file}: {reason}")]
    Unknown {
        /// The scenario file.
        file: String,
        /// What is missing, with the nearest name when there is one.
        reason: String,
        /// An input name (true) or a line item's (false).
        input: bool,
    },
    /// A grid value that a scenario rejects.
    #[error("{}{spec}: {reason}", file.as_ref().map(|f| format!("{f}: ")).unwrap_or_default())]
    Value {
        /// The scenario file, when known.
        file: Option<String>,
        /// The parameter as written.
        spec: String,
        /// Why the value does not apply.
        reason: String,
    },
}

#[cfg(test)]
mod tests;
