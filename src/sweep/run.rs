//! The sweep itself: every scenario at every grid point (common random numbers), then the
//! break-evens, the cost of delay, and the leaders among several scenarios.

use super::breakeven::breakevens;
use super::delay::cost_of_delay;
use super::leaders::{crossovers, leaders_at};
use super::{
    Evaluator, Param, ParamOut, Point, SCHEMA_VERSION, ScenarioSweep, SweepConfig, SweepError,
    SweepInput, SweepResult, Vary, VaryError, check_param, grid, scenario_at,
};
use crate::engine::RunError;
use crate::format;
use crate::scenario::Scenario;

/// Run one scenario at one grid point and keep its statistics. An engine failure that
/// depends on the values (a non-finite or overflowing cash flow) names the file and point.
pub(super) fn evaluate_at(
    base: &Scenario,
    varies: &[Vary],
    values: &[f64],
    eval: &mut Evaluator,
) -> Result<Point, SweepError> {
    let s = scenario_at(base, varies, values)?;
    let summary = eval(&s).map_err(|e| match e {
        SweepError::Run(error @ (RunError::NonFinite { .. } | RunError::Overflow { .. })) => {
            let at: Vec<String> = varies
                .iter()
                .zip(values)
                .map(|(v, x)| format!("{} = {}", v.param.short_name(), format::grid_value(*x)))
                .collect();
            let file = base
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| base.name.clone());
            SweepError::RunIn {
                context: format!("{file} at {}", at.join(", ")),
                error,
            }
        }
        other => other,
    })?;
    Ok(Point::new(values.to_vec(), &summary))
}

/// Run the sweep of every scenario.
///
/// # Errors
/// [`SweepError::Vary`] for a parameter that does not apply or a grid value a scenario
/// rejects; [`SweepError::Run`] from the engine; what the evaluator reports.
pub fn sweep(
    inputs: &[SweepInput],
    varies: &[Vary],
    cfg: &SweepConfig,
    eval: &mut Evaluator,
) -> Result<SweepResult, SweepError> {
    match varies {
        [_] => {}
        [a, b] if a.param == b.param => {
            return Err(VaryError::Same {
                first: a.spec.clone(),
                second: b.spec.clone(),
            }
            .into());
        }
        [_, _] => {}
        _ => return Err(VaryError::Count.into()),
    }
    let points_grid = grid(varies);
    let mut out = Vec::with_capacity(inputs.len());
    for (si, inp) in inputs.iter().enumerate() {
        out.push(sweep_one(si, inp, varies, &points_grid, cfg, eval)?);
    }
    let mut warnings = Vec::new();
    let (mut leaders, mut found, mut statements) = (Vec::new(), Vec::new(), Vec::new());
    if out.len() > 1 {
        leaders = leaders_at(&out, &points_grid);
        match varies {
            [vary] => (found, statements) = crossovers(inputs, &out, &leaders, vary, cfg, eval)?,
            _ => warnings.push(
                "with two parameters the leaders are listed per grid point; crossovers are found for one parameter only".into(),
            ),
        }
    }
    let currency = inputs
        .first()
        .map(|i| i.scenario.currency.clone())
        .unwrap_or_default();
    Ok(SweepResult {
        schema_version: SCHEMA_VERSION,
        kind: "sweep".into(),
        trials: cfg.trials,
        seed: cfg.seed,
        sampling: cfg.sampling,
        currency,
        params: varies.iter().map(param_out).collect(),
        scenarios: out,
        leaders,
        crossovers: found,
        crossover_statements: statements,
        warnings,
    })
}

fn param_out(v: &Vary) -> ParamOut {
    ParamOut {
        param: v.param.clone(),
        label: v.param.label(),
        spec: v.spec.clone(),
        values: v.values.clone(),
    }
}

/// One scenario over the whole grid, with its notes, break-evens and cost of delay.
fn sweep_one(
    si: usize,
    inp: &SweepInput,
    varies: &[Vary],
    points_grid: &[Vec<f64>],
    cfg: &SweepConfig,
    eval: &mut Evaluator,
) -> Result<ScenarioSweep, SweepError> {
    let mut notes = Vec::new();
    for v in varies {
        notes.extend(check_param(inp.scenario, &inp.file, &v.param)?);
        notes.extend(horizon_note(inp, v));
    }
    let mut points = Vec::with_capacity(points_grid.len());
    for values in points_grid {
        let p = evaluate_at(inp.scenario, varies, values, eval).map_err(|e| match e {
            SweepError::Vary(VaryError::Value {
                file: None,
                spec,
                reason,
            }) => SweepError::Vary(VaryError::Value {
                file: Some(inp.file.clone()),
                spec,
                reason,
            }),
            SweepError::Usage(m) => SweepError::Usage(format!("{}: {m}", inp.file)),
            other => other,
        })?;
        points.push(p);
    }
    let (breakevens, statements, cost_of_delay) = match varies {
        [vary] => {
            let (b, n) = breakevens(inp.scenario, vary, &points, cfg.refine, eval)?;
            let cod = match &vary.param {
                Param::Start(item) => {
                    Some(cost_of_delay(item, vary, &points, &inp.scenario.currency))
                }
                _ => None,
            };
            (b, n, cod)
        }
        _ => (Vec::new(), Vec::new(), None),
    };
    Ok(ScenarioSweep {
        key: crate::compare::key(si),
        name: inp.scenario.name.clone(),
        file: inp.file.clone(),
        notes,
        points,
        breakevens,
        statements,
        cost_of_delay,
    })
}

/// `run --horizon` refuses a horizon before an item's first month; a sweep of the horizon
/// keeps such points (the item simply falls outside them) but says so, never silently.
fn horizon_note(inp: &SweepInput, v: &Vary) -> Option<String> {
    if v.param != Param::HorizonMonths {
        return None;
    }
    let shortest = v.from.min(v.to).round().max(1.0) as u32;
    let never = inp.scenario.items_after_horizon(shortest);
    (!never.is_empty()).then(|| {
        format!(
            "at horizons shorter than an item's first month that item does not count: {} (in {})",
            never.join("; "),
            inp.file
        )
    })
}
