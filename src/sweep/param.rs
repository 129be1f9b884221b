//! What a sweep can vary ([`Param`], parsed from `NAME=FROM:TO:STEPS` into a [`Vary`]), the
//! grid of points, and setting a parameter to a grid value in a scenario.

use serde::Serialize;

use super::{MAX_STEPS, VaryError};
use crate::distributions::{Dist, InputDist};
use crate::format;
use crate::scenario::Scenario;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Param {
    /// An input, fixed at each grid value.
    Input(String),
    /// `horizon_months`.
    HorizonMonths,
    /// `discount_rate` (annual).
    DiscountRate,
    /// The start month of the line item(s) with this name.
    Start(String),
}

impl Param {
    /// Integer-valued parameters (months).
    pub fn integer(&self) -> bool {
        matches!(self, Param::HorizonMonths | Param::Start(_))
    }

    /// Label for tables and charts.
    pub fn label(&self) -> String {
        match self {
            Param::Input(n) => n.clone(),
            Param::HorizonMonths => "horizon in months".into(),
            Param::DiscountRate => "annual discount rate".into(),
            Param::Start(i) => format!("start month of “{i}”"),
        }
    }

    /// The name as written after `--vary` (`users`, `horizon_months`, `start:ITEM`).
    pub fn short_name(&self) -> String {
        match self {
            Param::Input(n) => n.clone(),
            Param::HorizonMonths => "horizon_months".into(),
            Param::DiscountRate => "discount_rate".into(),
            Param::Start(i) => format!("start:{i}"),
        }
    }

    /// A value of this parameter as people read it: a discount rate as `10.0%/yr` (as
    /// `payback run` prints it), anything else by [`format::grid_value`].
    pub fn value_text(&self, v: f64) -> String {
        match self {
            Param::DiscountRate => format::rate_per_year(v),
            _ => format::grid_value(v),
        }
    }

    /// Short label for table headers.
    pub fn short(&self) -> String {
        match self {
            Param::Input(n) => n.clone(),
            Param::HorizonMonths => "horizon".into(),
            Param::DiscountRate => "rate".into(),
            Param::Start(_) => "start".into(),
        }
    }
}

/// One `--vary NAME=FROM:TO:STEPS`.
#[derive(Clone, Debug, Serialize)]
pub struct Vary {
    /// The parameter.
    pub param: Param,
    /// As written.
    pub spec: String,
    /// First value.
    pub from: f64,
    /// Last value.
    pub to: f64,
    /// Number of grid points (≥ 2).
    pub steps: usize,
    /// The grid values, from `from` to `to` inclusive, evenly spaced.
    pub values: Vec<f64>,
}

/// Parse `NAME=FROM:TO:STEPS`. NAME is an input, `horizon_months`, `discount_rate` or
/// `start:ITEM NAME`.
pub fn parse_vary(spec: &str) -> Result<Vary, VaryError> {
    let bad = |reason: String| VaryError::Spec {
        spec: spec.to_string(),
        reason,
    };
    let usage = "expected NAME=FROM:TO:STEPS, e.g. users=100:3000:15, discount_rate=0.05:0.15:5 or 'start:Time saved=1:12:12'";
    let Some((name, range)) = spec.rsplit_once('=') else {
        return Err(bad(usage.to_string()));
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(bad(format!("the name is missing; {usage}")));
    }
    let parts: Vec<&str> = range.split(':').map(str::trim).collect();
    if parts.len() != 3 {
        return Err(bad(usage.to_string()));
    }
    let num = |s: &str, what: &str| -> Result<f64, VaryError> {
        s.replace('_', "")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| bad(format!("{what} `{s}` is not a number")))
    };
    let from = num(parts[0], "FROM")?;
    let to = num(parts[1], "TO")?;
    let steps: usize = parts[2].parse().map_err(|_| {
        bad(format!(
            "STEPS `{}` must be a whole number of grid points (≥ 2)",
            parts[2]
        ))
    })?;
    if !(2..=MAX_STEPS).contains(&steps) {
        return Err(bad(format!(
            "STEPS is the number of grid points and must be from 2 to {MAX_STEPS} (got {steps})"
        )));
    }
    if from == to {
        return Err(bad("FROM and TO are equal; give a range".into()));
    }
    let param = if let Some(item) = name.strip_prefix("start:") {
        let item = item.trim();
        if item.is_empty() {
            return Err(bad("write a line item's start as start:ITEM NAME".into()));
        }
        Param::Start(item.to_string())
    } else if name == "horizon_months" {
        Param::HorizonMonths
    } else if name == "discount_rate" {
        Param::DiscountRate
    } else {
        Param::Input(name.to_string())
    };
    let values: Vec<f64> = (0..steps)
        .map(|k| {
            if k + 1 == steps {
                to
            } else {
                from + (to - from) * k as f64 / (steps - 1) as f64
            }
        })
        .collect();
    let integer = param.integer();
    if integer {
        if let Some(v) = values.iter().find(|v| (*v - v.round()).abs() > 1e-9) {
            let n = (to - from).abs() + 1.0;
            let hint = if n.fract() == 0.0 && n >= 2.0 && n <= MAX_STEPS as f64 {
                format!(" (e.g. {}:{}:{})", from, to, n as u64)
            } else {
                String::new()
            };
            return Err(bad(format!(
                "months must be whole numbers, but the grid has {}; choose STEPS so that the points fall on whole months{hint}",
                format::grid_value(*v)
            )));
        }
        if values.iter().any(|v| *v < 0.0) {
            return Err(bad("months cannot be negative".into()));
        }
    }
    Ok(Vary {
        param,
        spec: spec.to_string(),
        from,
        to,
        steps,
        values: values
            .into_iter()
            .map(|v| if integer { v.round() } else { v })
            .collect(),
    })
}

/// Where a break-even or crossover lies: `at 977.3`, `at 7.5%/yr`; for whole months, which
/// two months it lies between (`between month 6 and 7`, `between 24 and 25 months`), since
/// a start month or a horizon is never 6.4.
pub fn crossing_at(p: &Param, v: f64) -> String {
    if !p.integer() || !v.is_finite() {
        return format!("at {}", p.value_text(v));
    }
    let m = v.floor();
    match p {
        Param::HorizonMonths => format!(
            "between {} and {} months",
            format::grid_value(m),
            format::grid_value(m + 1.0)
        ),
        _ => format!(
            "between month {} and {}",
            format::grid_value(m),
            format::grid_value(m + 1.0)
        ),
    }
}

/// One side of a break-even: `users ≥ 977.3`; for whole months the whole months on that
/// side and where the break-even lies (`start month of “X” ≤ 6 (break-even between month 6
/// and 7)`).
pub(super) fn side_of(p: &Param, v: f64, above: bool) -> String {
    let label = p.label();
    let sign = if above { "≥" } else { "≤" };
    if !p.integer() || !v.is_finite() {
        return format!("{label} {sign} {}", p.value_text(v));
    }
    let m = if above { v.floor() + 1.0 } else { v.floor() };
    format!(
        "{label} {sign} {} (break-even {})",
        format::grid_value(m),
        crossing_at(p, v)
    )
}

/// Check that a parameter applies to a scenario; returns notes to show the user.
pub fn check_param(s: &Scenario, file: &str, p: &Param) -> Result<Vec<String>, VaryError> {
    let mut notes = Vec::new();
    match p {
        Param::Input(name) => {
            let Some(i) = s.input_index(name) else {
                let names: Vec<&str> = s.inputs.iter().map(|i| i.name.as_str()).collect();
                let hint = did_you_mean(name, &names);
                return Err(VaryError::Unknown {
                    file: file.to_string(),
                    reason: format!("no input named `{name}`{hint}"),
                    input: true,
                });
            };
            let input = &s.inputs[i];
            if input.is_uncertain() {
                notes.push(format!(
                    "`{name}` is uncertain in {file} ({}); the sweep fixes it at each grid value",
                    input.dist.describe()
                ));
            }
            if s.correlations.iter().any(|c| c.a == i || c.b == i) {
                notes.push(format!(
                    "`{name}` is correlated with other inputs in {file}; those correlations are dropped while it is fixed"
                ));
            }
        }
        Param::Start(item) => {
            let n = s.items.iter().filter(|it| it.name == *item).count();
            if n == 0 {
                let names: Vec<&str> = s.items.iter().map(|i| i.name.as_str()).collect();
                let hint = did_you_mean(item, &names);
                return Err(VaryError::Unknown {
                    file: file.to_string(),
                    reason: format!(
                        "no line item named `{item}`{hint}; line items: {}",
                        names.join(", ")
                    ),
                    input: false,
                });
            }
            if n > 1 {
                notes.push(format!(
                    "{n} line items in {file} are named `{item}`; the sweep moves all of them"
                ));
            }
            notes.push(format!(
                "moving `{item}` does not move the adoption curve or `month`/`year` in its amount (they stay counted from go-live), so a later start drops its first months rather than shifting its ramp-up"
            ));
        }
        Param::HorizonMonths | Param::DiscountRate => {}
    }
    Ok(notes)
}

/// ` (did you mean `x`?)` for the name nearest to a misspelt one, or nothing.
fn did_you_mean(name: &str, names: &[&str]) -> String {
    match crate::expr::nearest(name, names.iter().copied()) {
        Some(n) => format!(" (did you mean `{n}`?)"),
        None => String::new(),
    }
}

/// Check every grid value against a scenario before any run (e.g. an adoption peak above
/// 1, a start month after the horizon).
pub fn check_values(s: &Scenario, file: &str, varies: &[Vary]) -> Result<(), VaryError> {
    let longest = varies
        .iter()
        .find(|v| v.param == Param::HorizonMonths)
        .and_then(|v| v.values.iter().copied().reduce(f64::max));
    for v in varies {
        for &x in &v.values {
            let mut c = s.clone();
            if let (Some(h), Param::Start(_)) = (longest, &v.param) {
                c.horizon = h.round().clamp(1.0, 600.0) as u32;
            }
            apply(&mut c, &v.param, x).map_err(|reason| VaryError::Value {
                file: Some(file.to_string()),
                spec: v.spec.clone(),
                reason,
            })?;
        }
    }
    Ok(())
}

/// Set a parameter to a value in a scenario.
pub fn apply(s: &mut Scenario, p: &Param, v: f64) -> Result<(), String> {
    match p {
        Param::Input(name) => {
            let i = s
                .input_index(name)
                .ok_or_else(|| format!("no input named `{name}`"))?;
            if s.adoption.peak == crate::scenario::Param::Input(i) && !(0.0..=1.0).contains(&v) {
                return Err(format!(
                    "{name} = {} but {name} is the adoption peak, a share of users: grid values must lie within 0 to 1",
                    format::grid_value(v)
                ));
            }
            if s.adoption.months_to_peak == crate::scenario::Param::Input(i) && v < 0.0 {
                return Err(format!(
                    "{name} = {} but {name} is adoption.months_to_peak: grid values cannot be negative",
                    format::grid_value(v)
                ));
            }
            s.set_input(name, InputDist::plain(Dist::Constant(v)))
                .map_err(|e| format!("{name} = {}: {e}", format::grid_value(v)))?;
            // A fixed input takes no part in the copula.
            s.correlations.retain(|c| c.a != i && c.b != i);
        }
        Param::HorizonMonths => {
            if !(1.0..=600.0).contains(&v) {
                return Err(format!(
                    "horizon_months = {}: the horizon must be from 1 to 600 months",
                    format::grid_value(v)
                ));
            }
            s.horizon = v.round() as u32;
        }
        Param::DiscountRate => {
            if !(-0.5..=10.0).contains(&v) {
                return Err(format!(
                    "discount_rate = {}: not a plausible annual rate (give e.g. 0.10 for 10%)",
                    format::grid_value(v)
                ));
            }
            s.discount_rate = v;
        }
        Param::Start(item) => {
            let m = v.round();
            if m < 0.0 || m > s.horizon as f64 {
                return Err(format!(
                    "start of `{item}` = {}: must be a month from 0 to the horizon ({})",
                    format::grid_value(v),
                    s.horizon
                ));
            }
            for it in s.items.iter_mut().filter(|it| it.name == *item) {
                it.timing = it.timing.shifted_to(m as u32);
            }
        }
    }
    Ok(())
}

/// The scenario at one grid point: `base` with each varied parameter set to its value.
///
/// # Errors
/// [`VaryError::Value`] when a value cannot be applied.
pub fn scenario_at(
    base: &Scenario,
    varies: &[Vary],
    values: &[f64],
) -> Result<Scenario, VaryError> {
    let mut s = base.clone();
    // Horizon first, so that a start month is checked against the swept horizon.
    let mut order: Vec<usize> = (0..varies.len()).collect();
    order.sort_by_key(|i| varies[*i].param != Param::HorizonMonths);
    for i in order {
        apply(&mut s, &varies[i].param, values[i]).map_err(|reason| VaryError::Value {
            file: None,
            spec: varies[i].spec.clone(),
            reason,
        })?;
    }
    Ok(s)
}

/// The grid: every combination, the first parameter varying fastest.
pub fn grid(varies: &[Vary]) -> Vec<Vec<f64>> {
    match varies {
        [a] => a.values.iter().map(|v| vec![*v]).collect(),
        [a, b] => b
            .values
            .iter()
            .flat_map(|y| a.values.iter().map(move |x| vec![*x, *y]))
            .collect(),
        _ => Vec::new(),
    }
}
