//! `payback validate`: check a scenario and describe its inputs and line items.

use std::fmt::Write as _;
use std::path::Path;

use super::{CliError, in_file};
use crate::engine::{FixedSource, RunOptions};
use crate::format;
use crate::model::Plan;
use crate::scenario::{FileAccess, Kind, Scenario};
use crate::simulate::{self, RunConfig};
use crate::summary::Sampling;

/// The description `validate` prints of a valid scenario.
pub fn describe(path: &Path, s: &Scenario) -> Result<String, CliError> {
    let mut o = String::new();
    let _ = writeln!(o, "{}: valid", path.display());
    let _ = writeln!(o, "  {}", s.name);
    if let Some(d) = &s.description {
        let _ = writeln!(o, "  {d}");
    }
    let _ = writeln!(
        o,
        "  horizon {} months, discount rate {}, currency {}",
        s.horizon,
        format::rate_per_year(s.discount_rate),
        s.currency
    );
    let unc = s.uncertain_inputs().len();
    let _ = writeln!(
        o,
        "\nInputs ({} uncertain, {} fixed):",
        unc,
        s.inputs.len() - unc
    );
    let inputs: Vec<Vec<String>> = s
        .inputs
        .iter()
        .flat_map(|i| {
            let v = format::value;
            if !i.is_uncertain() {
                return vec![vec![i.name.clone(), format::number(i.point_value())]];
            }
            let mut rows = vec![vec![
                i.name.clone(),
                format!(
                    "{}  (point value {}; P10–P90 {} – {})",
                    i.dist.describe_as_written(),
                    v(i.point_value()),
                    v(i.quantile(0.1)),
                    v(i.quantile(0.9))
                ),
            ]];
            if i.dist.range.is_some() {
                // What the range became.
                rows.push(vec![
                    String::new(),
                    format!(
                        "= {}; mean {}",
                        i.dist.parameter_text(),
                        format::number(i.sampler.mean())
                    ),
                ]);
            }
            rows
        })
        .collect();
    for line in format::align(&inputs, &[], 2) {
        let _ = writeln!(o, "  {line}");
    }
    let _ = writeln!(o, "\nLine items:");
    let items: Vec<Vec<String>> = s
        .items
        .iter()
        .map(|it| {
            let kind = match it.kind {
                Kind::Cost => "cost",
                Kind::Benefit => "benefit",
            };
            vec![
                kind.to_string(),
                it.name.clone(),
                it.category.clone(),
                it.timing.describe(),
                it.amount_src.clone(),
            ]
        })
        .collect();
    for line in format::align(&items, &[], 2) {
        let _ = writeln!(o, "  {line}");
    }
    // A deterministic trial catches division by zero at the point values.
    let plan = Plan::compile(s);
    let fixed = FixedSource {
        values: s.point_values(),
    };
    let cfg = RunConfig {
        trials: 1,
        seed: 0,
        sampling: Sampling::Deterministic,
        engine: RunOptions::default(),
    };
    let r = simulate::simulate_plan(s, &plan, &fixed, &cfg).map_err(|e| in_file(s, e))?;
    let pb = match r.summary.payback.pct.p50 {
        Some(m) => format!("{} months", format::months(m)),
        None => format!("beyond {} months", s.horizon),
    };
    let _ = writeln!(
        o,
        "\nAt the point values: payback {pb}, NPV {} {}",
        format::thousands(r.summary.npv.stats.mean, 0),
        s.currency
    );
    Ok(o)
}

/// Run the command.
pub fn cmd_validate(path: &Path, access: FileAccess) -> Result<(), CliError> {
    let s = Scenario::load_with(path, access)?;
    super::print_bytes(describe(path, &s)?.as_bytes())
}
