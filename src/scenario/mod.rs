//! Scenario files (TOML): parsing with positions, validation, and the validated model of
//! inputs, adoption and line items that the rest of the crate works from.
//!
//! Parsing walks toml's spanned document tree by hand rather than through serde derive,
//! so that every error can name the file, line, column and key path
//! (`inputs.hourly_cost.p95`) and suggest the nearest known key.

mod parse;

use std::path::{Path, PathBuf};

use crate::distributions::{InputDist, Sampler};
use crate::expr::Node;
pub use crate::files::FileAccess;
pub use parse::{parse_input_value, parse_str, parse_str_with};

/// Longest allowed name of an input or line item, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Largest scenario file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Largest data file (empirical `file = ...`) read, in bytes.
pub const MAX_DATA_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A scenario error with its location.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{file}:{line}:{column}: {}{message}", key_prefix(.key_path))]
pub struct ScenarioError {
    /// The file (or `<string>`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// Dotted key path, e.g. `inputs.hourly_cost.p95`; empty for the whole file.
    pub key_path: String,
    /// What is wrong and what to do.
    pub message: String,
    /// A refusal the caller may lift (the CLI then names its option), if that is what
    /// this is.
    pub refusal: Option<Refusal>,
}

/// A refusal of a scenario that its user may lift: the library says what it refused, the
/// CLI adds how to allow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A data file outside the scenario's folder.
    FileOutsideFolder,
}

fn key_prefix(k: &str) -> String {
    if k.is_empty() {
        String::new()
    } else {
        format!("{k}: ")
    }
}

/// Cost categories (docs/MODEL.md "Line items").
pub const COST_CATEGORIES: &[&str] = &[
    "licence",
    "infrastructure",
    "implementation",
    "integration",
    "custom_development",
    "training",
    "operations",
    "support",
    "upgrade",
    "hidden",
    "risk",
];
/// Benefit categories.
pub const BENEFIT_CATEGORIES: &[&str] = &["productivity", "customer", "revenue", "avoided_cost"];

/// One named input.
#[derive(Clone, Debug)]
pub struct Input {
    /// Name as written.
    pub name: String,
    /// Distribution, as the scenario states it.
    pub dist: InputDist,
    /// Quantile function of `dist`, built once: u in (0, 1) to a value in the input's
    /// units.
    pub sampler: Sampler,
    /// Line of its definition (1-based; 0 when set from the command line).
    pub line: usize,
}

impl Input {
    /// Build and validate.
    pub fn new(name: &str, dist: InputDist) -> Result<Self, crate::distributions::DistError> {
        let sampler = dist.sampler()?;
        Ok(Input {
            name: name.to_string(),
            dist,
            sampler,
            line: 0,
        })
    }

    /// Uncertain (more than one possible value)?
    pub fn is_uncertain(&self) -> bool {
        self.dist.is_uncertain()
    }

    /// The point value of docs/MODEL.md (`base`, else the mode, median or mean of the
    /// family), in the input's units.
    pub fn point_value(&self) -> f64 {
        self.dist.point_value(&self.sampler)
    }

    /// The value at probability p (e.g. P10 = quantile(0.1)).
    pub fn quantile(&self, p: f64) -> f64 {
        self.sampler.quantile(p)
    }
}

/// A number or an input.
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    /// A fixed number.
    Const(f64),
    /// The input at this index of [`Scenario::inputs`].
    Input(usize),
}

/// Adoption curve shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    /// S-curve reaching 95% of peak at months_to_peak.
    Logistic,
    /// Straight line to the peak.
    Linear,
    /// Peak from month 1.
    Step,
}

/// docs/MODEL.md "Adoption".
#[derive(Clone, Debug, PartialEq)]
pub struct Adoption {
    /// Shape.
    pub curve: Curve,
    /// Peak share of users, in [0, 1].
    pub peak: Param,
    /// Months from go-live to the peak (to 95% of it for the logistic curve).
    pub months_to_peak: Param,
}

impl Default for Adoption {
    fn default() -> Self {
        Adoption {
            curve: Curve::Step,
            peak: Param::Const(1.0),
            months_to_peak: Param::Const(1.0),
        }
    }
}

/// Shortest `months_to_peak` of a logistic or linear curve (about 7 hours). Shorter ones
/// are a step at monthly resolution, and a subnormal one made the logistic slope overflow.
pub const MIN_MONTHS_TO_PEAK: f64 = 0.01;

/// Evaluate A(t) for given peak and months to peak (docs/MODEL.md). `m` below
/// [`MIN_MONTHS_TO_PEAK`] (including `m ≤ 0`) behaves as a step: the curves reach the peak
/// within the first month anyway, and the logistic slope 2·ln 20 / m would overflow.
pub fn adoption_at(curve: Curve, peak: f64, m: f64, t: f64) -> f64 {
    if t <= 0.0 {
        return 0.0;
    }
    match curve {
        Curve::Step => peak,
        _ if m < MIN_MONTHS_TO_PEAK => peak,
        Curve::Linear => peak * (t / m).min(1.0),
        Curve::Logistic => {
            let k = 2.0 * 20f64.ln() / m;
            let l = |x: f64| 1.0 / (1.0 + (-k * (x - m / 2.0)).exp());
            let l0 = l(0.0);
            peak * (l(t) - l0) / (1.0 - l0)
        }
    }
}

/// Cost or benefit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Money out.
    Cost,
    /// Money in.
    Benefit,
}

/// When a line item falls.
#[derive(Clone, Debug, PartialEq)]
pub enum Timing {
    /// Once at month `at`.
    Once {
        /// Month (0 = go-live).
        at: u32,
    },
    /// Every month from start to end (inclusive).
    Monthly {
        /// First month.
        start: u32,
        /// Last month (None = horizon).
        end: Option<u32>,
    },
    /// Months start, start+12, … up to end.
    Yearly {
        /// First month.
        start: u32,
        /// Last possible month (None = horizon).
        end: Option<u32>,
    },
}

impl Timing {
    /// Does the item fall in month t (horizon h)?
    pub fn active(&self, t: u32, h: u32) -> bool {
        if t > h {
            return false;
        }
        match *self {
            Timing::Once { at } => t == at,
            Timing::Monthly { start, end } => t >= start && t <= end.unwrap_or(h),
            Timing::Yearly { start, end } => {
                t >= start && t <= end.unwrap_or(h) && (t - start).is_multiple_of(12)
            }
        }
    }

    /// Human description.
    pub fn describe(&self) -> String {
        match *self {
            Timing::Once { at: 0 } => "once, at go-live".to_string(),
            Timing::Once { at } => format!("once, in month {at}"),
            Timing::Monthly { start, end } => match end {
                Some(e) => format!("monthly, months {start}–{e}"),
                None => format!("monthly from month {start}"),
            },
            Timing::Yearly { start, end } => match end {
                Some(e) => format!("yearly from month {start} to {e}"),
                None => format!("yearly from month {start}"),
            },
        }
    }

    /// First month (for sweeps of a delayed roll-out).
    pub fn start(&self) -> u32 {
        match *self {
            Timing::Once { at } => at,
            Timing::Monthly { start, .. } | Timing::Yearly { start, .. } => start,
        }
    }

    /// Move the item by `delta` months (end moves with it).
    pub fn shifted_to(&self, new_start: u32) -> Timing {
        let old = self.start() as i64;
        let shift = |e: Option<u32>| {
            e.map(|e| (e as i64 - old + new_start as i64).max(new_start as i64) as u32)
        };
        match *self {
            Timing::Once { .. } => Timing::Once { at: new_start },
            Timing::Monthly { end, .. } => Timing::Monthly {
                start: new_start,
                end: shift(end),
            },
            Timing::Yearly { end, .. } => Timing::Yearly {
                start: new_start,
                end: shift(end),
            },
        }
    }
}

/// A cost or benefit line.
#[derive(Clone, Debug)]
pub struct LineItem {
    /// Name.
    pub name: String,
    /// Category (one of COST_CATEGORIES or BENEFIT_CATEGORIES).
    pub category: String,
    /// Cost or benefit.
    pub kind: Kind,
    /// Timing.
    pub timing: Timing,
    /// The amount expression as written.
    pub amount_src: String,
    /// Resolved amount: an expression over inputs, `month`, `year` and `adoption`, in the
    /// currency, counted in each month the item falls in.
    pub amount: Node,
}

/// A rank correlation the scenario asks for between two inputs (`[correlations]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Correlation {
    /// First input, by index into [`Scenario::inputs`].
    pub a: usize,
    /// Second input, by index (never `a`).
    pub b: usize,
    /// Spearman rank correlation, in [−1, 1].
    pub rho: f64,
}

/// A validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Display name.
    pub name: String,
    /// Optional description.
    pub description: Option<String>,
    /// Currency code (`CNY` unless the scenario says), the unit of every amount.
    pub currency: String,
    /// The horizon H, in months.
    pub horizon: u32,
    /// Annual discount rate (0.10 = 10% a year).
    pub discount_rate: f64,
    /// Default trial count.
    pub trials: Option<u64>,
    /// Default seed.
    pub seed: Option<u64>,
    /// Inputs in file order.
    pub inputs: Vec<Input>,
    /// Adoption curve.
    pub adoption: Adoption,
    /// Costs then benefits, in file order.
    pub items: Vec<LineItem>,
    /// Spearman rank correlations between inputs (nonzero, each pair once).
    pub correlations: Vec<Correlation>,
    /// Where it was read from.
    pub path: Option<PathBuf>,
}

/// Errors when loading a scenario file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Cannot read.
    #[error("{path}: cannot read the scenario: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Not a file.
    #[error("{0}: is a directory, not a scenario file (give a .toml file)")]
    IsDirectory(String),
    /// Too big.
    #[error("{path}: the file has {size} bytes or more; scenario files may be at most {max} bytes")]
    TooLarge {
        /// File.
        path: String,
        /// Its size, or `max + 1` when it is read from an endless source.
        size: u64,
        /// Limit.
        max: u64,
    },
    /// Not UTF-8.
    #[error("{path}:{line}:{column}: the file is not valid UTF-8 text (save it as UTF-8)")]
    NotUtf8 {
        /// File.
        path: String,
        /// Line of the first bad byte.
        line: usize,
        /// Column.
        column: usize,
    },
    /// Invalid content.
    #[error(transparent)]
    Invalid(#[from] ScenarioError),
}

impl Scenario {
    /// Read and validate a scenario file; its data files must lie in its folder or below.
    pub fn load(path: &Path) -> Result<Scenario, LoadError> {
        Self::load_with(path, FileAccess::default())
    }

    /// Read and validate a scenario file under a chosen data-file access rule.
    pub fn load_with(path: &Path, access: FileAccess) -> Result<Scenario, LoadError> {
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|source| LoadError::Io {
            path: shown.clone(),
            source,
        })?;
        if meta.is_dir() {
            return Err(LoadError::IsDirectory(shown));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(LoadError::TooLarge {
                path: shown,
                size: meta.len(),
                max: MAX_FILE_BYTES,
            });
        }
        // `stat` says 0 bytes for devices and pipes (`/dev/zero`): bound what is read.
        let bytes = match crate::files::read_limited(path, MAX_FILE_BYTES) {
            Ok(b) => b,
            Err(crate::files::ReadError::Io(source)) => {
                return Err(LoadError::Io {
                    path: shown,
                    source,
                });
            }
            Err(crate::files::ReadError::TooLarge { .. }) => {
                return Err(LoadError::TooLarge {
                    path: shown,
                    size: MAX_FILE_BYTES + 1,
                    max: MAX_FILE_BYTES,
                });
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let good = String::from_utf8_lossy(good);
                let line = good.matches('\n').count() + 1;
                let column = good
                    .rsplit('\n')
                    .next()
                    .map(|s| s.chars().count())
                    .unwrap_or(0)
                    + 1;
                return Err(LoadError::NotUtf8 {
                    path: shown,
                    line,
                    column,
                });
            }
        };
        let mut s = parse_str_with(&text, &shown, path.parent(), access)?;
        s.path = Some(path.to_path_buf());
        Ok(s)
    }

    /// Index of an input by name.
    pub fn input_index(&self, name: &str) -> Option<usize> {
        self.inputs.iter().position(|i| i.name == name)
    }

    /// Indices of the uncertain inputs.
    pub fn uncertain_inputs(&self) -> Vec<usize> {
        (0..self.inputs.len())
            .filter(|i| self.inputs[*i].is_uncertain())
            .collect()
    }

    /// Replace an input's distribution (keeps its index, so expressions stay bound). A
    /// fixed (constant) input cannot be correlated: its pairs are dropped, and returned as
    /// `(other input, rho)` so that the caller can say so.
    pub fn set_input(&mut self, name: &str, dist: InputDist) -> Result<Vec<(String, f64)>, String> {
        let Some(i) = self.input_index(name) else {
            let names: Vec<&str> = self.inputs.iter().map(|i| i.name.as_str()).collect();
            let hint = match crate::expr::nearest(name, names.iter().copied()) {
                Some(s) => format!(" (did you mean `{s}`?)"),
                None => String::new(),
            };
            return Err(format!("no input named `{name}`{hint}"));
        };
        let input = Input::new(name, dist).map_err(|e| format!("input `{name}`: {e}"))?;
        self.check_adoption_param(i, &input.sampler)?;
        let line = self.inputs[i].line;
        // A fixed input cannot be correlated with anything: drop its pairs.
        let mut dropped = Vec::new();
        if !input.is_uncertain() {
            for c in self.correlations.iter().filter(|c| c.a == i || c.b == i) {
                let other = if c.a == i { c.b } else { c.a };
                dropped.push((self.inputs[other].name.clone(), c.rho));
            }
            self.correlations.retain(|c| c.a != i && c.b != i);
        }
        self.inputs[i] = Input { line, ..input };
        Ok(dropped)
    }

    /// Check that an input used as adoption peak stays in [0, 1], and months_to_peak > 0.
    pub(crate) fn check_adoption_param(&self, i: usize, sampler: &Sampler) -> Result<(), String> {
        let (lo, hi) = sampler.support();
        if self.adoption.peak == Param::Input(i) && (lo < 0.0 || hi > 1.0) {
            return Err(format!(
                "input `{}` is the adoption peak but can take values outside [0, 1] (from {lo} to {hi}); use a beta, or truncate it with min = 0, max = 1",
                self.inputs[i].name
            ));
        }
        if self.adoption.months_to_peak == Param::Input(i) && lo < 0.0 {
            return Err(format!(
                "input `{}` is adoption.months_to_peak but can be negative (down to {lo}); truncate it with min = 0",
                self.inputs[i].name
            ));
        }
        Ok(())
    }

    /// The line items that would never count within a horizon of `h` months (once at, or
    /// starting, after it), as `costs[i] \`name\` (month m)` descriptions; the file refuses
    /// them at its own horizon, so a changed horizon must too.
    pub fn items_after_horizon(&self, h: u32) -> Vec<String> {
        let (mut cost, mut benefit) = (0usize, 0usize);
        let mut out = Vec::new();
        for it in &self.items {
            let (table, i) = match it.kind {
                Kind::Cost => {
                    cost += 1;
                    ("costs", cost - 1)
                }
                Kind::Benefit => {
                    benefit += 1;
                    ("benefits", benefit - 1)
                }
            };
            let m = it.timing.start();
            if m > h {
                let key = if matches!(it.timing, Timing::Once { .. }) {
                    "at"
                } else {
                    "start"
                };
                out.push(format!("{table}[{i}].{key} of `{}` is month {m}", it.name));
            }
        }
        out
    }

    /// Point values of every input.
    pub fn point_values(&self) -> Vec<f64> {
        self.inputs.iter().map(|i| i.point_value()).collect()
    }

    /// Each input's point value where it is not uncertain, `None` where it is.
    pub fn constant_inputs(&self) -> Vec<Option<f64>> {
        self.inputs
            .iter()
            .map(|i| (!i.is_uncertain()).then(|| i.point_value()))
            .collect()
    }
}

#[cfg(test)]
mod tests;
