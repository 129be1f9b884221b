//! `payback validate S.toml`: check a scenario and describe what it holds.

use std::path::Path;

use crate::cli::{CliError, in_file};
use crate::engine::{FixedSource, RunOptions};
use crate::model::Plan;
use crate::report;
use crate::scenario::{FileAccess, Scenario};
use crate::simulate::{self, RunConfig};

/// Check a scenario and describe it: every input (a range as written and what it became),
/// the line items, and one deterministic trial at the point values.
///
/// # Errors
/// [`CliError`] for a bad scenario or a run-time error at the point values.
pub fn cmd_validate(path: &Path, access: FileAccess) -> Result<(), CliError> {
    let s = Scenario::load_with(path, access)?;
    let mut o = String::new();
    use std::fmt::Write as _;
    let _ = writeln!(o, "{}: valid", path.display());
    let _ = writeln!(o, "  {}", s.name);
    if let Some(d) = &s.description {
        let _ = writeln!(o, "  {d}");
    }
    let _ = writeln!(
        o,
        "  horizon {} months, discount rate {}%/yr, currency {}",
        s.horizon,
        100.0 * s.discount_rate,
        s.currency
    );
    let unc = s.uncertain_inputs().len();
    let _ = writeln!(
        o,
        "\nInputs ({} uncertain, {} fixed):",
        unc,
        s.inputs.len() - unc
    );
    for i in &s.inputs {
        let g = crate::distributions::short_number;
        if i.is_uncertain() {
            let _ = writeln!(
                o,
                "  {:<24} {}  (point value {}; P10–P90 {} – {})",
                i.name,
                i.dist.describe_as_written(),
                g(i.point_value()),
                g(i.quantile(0.1)),
                g(i.quantile(0.9))
            );
            if i.dist.range.is_some() {
                // What the range became.
                let _ = writeln!(
                    o,
                    "  {:<24} = {}; mean {}",
                    "",
                    i.dist.parameter_text(),
                    g(i.sampler.mean())
                );
            }
        } else {
            let _ = writeln!(o, "  {:<24} {}", i.name, g(i.point_value()));
        }
    }
    let _ = writeln!(o, "\nLine items:");
    for it in &s.items {
        let kind = match it.kind {
            crate::scenario::Kind::Cost => "cost",
            crate::scenario::Kind::Benefit => "benefit",
        };
        let _ = writeln!(
            o,
            "  {:<7} {:<28} {:<18} {:<28} {}",
            kind,
            it.name,
            it.category,
            it.timing.describe(),
            it.amount_src
        );
    }
    // A deterministic trial catches division by zero at the point values.
    let plan = Plan::compile(&s);
    let fixed = FixedSource {
        values: s.point_values(),
    };
    let cfg = RunConfig {
        trials: 1,
        seed: 0,
        sampling: "deterministic".into(),
        engine: RunOptions::default(),
    };
    let r = simulate::simulate_plan(&s, &plan, &fixed, &cfg).map_err(|e| in_file(&s, e))?;
    let pb = match r.summary.payback.pct.p50 {
        Some(m) => format!("{m:.1} months"),
        None => format!("beyond {} months", s.horizon),
    };
    let _ = writeln!(
        o,
        "\nAt the point values: payback {pb}, NPV {} {}",
        report::terminal::thousands(r.summary.npv.stats.mean, 0),
        s.currency
    );
    print!("{o}");
    Ok(())
}
