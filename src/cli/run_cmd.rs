//! `payback run`: the run spec from the options (trials, precision control, point values),
//! the run through the run service, then its files, workbook and summary.

use crate::cli::progress::with_bar;
use crate::cli::{
    CliError, Format, OutDir, RunArgs, cancel_flag, load_scenario, print_bytes, print_summary,
    shard_cmd, sim_error, write_run_outputs, xlsx,
};
use crate::model::Plan;
use crate::report::trials::{TrialsError, write_trials};
use crate::report::{self, atomic};
use crate::sampling::Method;
use crate::scenario::Scenario;
use crate::simulate::{self, PrecisionTarget, RunSpec, spec::sobol_note};
use crate::summary::PrecisionStop;

/// Most trials accepted.
pub const MAX_TRIALS: u64 = 10_000_000_000;

/// The trial limit of precision control when `--max-trials` is not given.
const DEFAULT_MAX_TRIALS: u64 = 10_000_000;

/// Run `payback run`.
pub fn cmd_run(a: &RunArgs) -> Result<(), CliError> {
    if let Some(shard) = a.shard {
        return shard_cmd::run_shard(a, shard);
    }
    let s = load_scenario(&a.scenario, &a.sim)?;
    let spec = run_spec(a, &s)?;
    let notes = notes(a, &spec);
    // Every option is checked before anything is written.
    let scenarios = std::slice::from_ref(&a.scenario);
    let mut out = a
        .results
        .prepare(scenarios, &a.sim.set, |i| a.xlsx.check(i))?;
    let style = a.results.chart.style.style();
    let cancel = cancel_flag();
    let plan = Plan::compile(&s);
    let spec = RunSpec {
        cancel: Some(&cancel),
        // The sample of the first trials feeds the charts and the workbook only.
        keep_sample: out.is_some() || a.xlsx.file.xlsx.is_some(),
        ..spec
    };
    let mut result = with_bar(a.sim.quiet, |bar| {
        simulate::run_plan(
            &s,
            &plan,
            &RunSpec {
                progress: Some(bar),
                ..spec
            },
        )
    })
    .map_err(|e| sim_error(&s, e))?;
    if let Some(p) = &result.summary.precision
        && p.stop == PrecisionStop::Limit
    {
        result.summary.warnings.push(format!(
            "precision target not met at --max-trials {}; raise --max-trials or loosen the target",
            p.max_trials
        ));
    }
    result.summary.warnings.extend(notes);
    let book = a.xlsx.build_run(&s, &result, style)?;
    if let Some(out) = &mut out {
        write_run_outputs(out, &a.results.chart, &result)?;
        if a.save_trials {
            save_trials(out, &s, &plan, &spec, result.summary.trials)?;
        }
    }
    if let Some(out) = out {
        out.commit(&cancel)?;
    }
    xlsx::write(book, &cancel)?;
    if a.deterministic && a.results.format == Format::Table {
        return print_bytes(report::terminal::render_point(&s, &result).as_bytes());
    }
    print_summary(a.results.format, &result.summary)
}

/// The run spec of `payback run`'s options, every option checked.
fn run_spec(a: &RunArgs, s: &Scenario) -> Result<RunSpec<'static>, CliError> {
    let spec = a.sim.spec(s)?;
    if a.save_trials && a.results.out.is_none() {
        return Err(CliError::Usage("--save-trials needs --out DIR".into()));
    }
    check_positive(a.precision, "--precision", "a positive number of months")?;
    check_positive(
        a.precision_npv,
        "--precision-npv",
        "a positive share such as 0.01",
    )?;
    let max_trials = a.max_trials.unwrap_or(DEFAULT_MAX_TRIALS);
    if max_trials == 0 || max_trials > MAX_TRIALS {
        return Err(CliError::Usage(format!(
            "--max-trials must be from 1 to {MAX_TRIALS} (got {})",
            max_trials
        )));
    }
    let precision =
        (a.precision.is_some() || a.precision_npv.is_some()).then_some(PrecisionTarget {
            months: a.precision,
            npv_share: a.precision_npv,
            max_trials,
        });
    Ok(RunSpec {
        trials: if a.deterministic { 1 } else { spec.trials },
        point_values: a.deterministic,
        precision: precision.filter(|_| !a.deterministic),
        ..spec
    })
}

/// The warnings the options themselves call for (they close the summary's warnings).
fn notes(a: &RunArgs, spec: &RunSpec) -> Vec<String> {
    let mut notes = Vec::new();
    if a.max_trials.is_some() && spec.precision.is_none() {
        notes.push(
            "--max-trials has no effect without --precision or --precision-npv; --trials sets the trial count".into(),
        );
    }
    match &spec.precision {
        Some(p) if spec.trials > p.max_trials => notes.push(format!(
            "precision control starts at --max-trials {} (below the {} trials asked for)",
            crate::format::thousands(p.max_trials as f64, 0),
            crate::format::thousands(spec.trials as f64, 0)
        )),
        None if spec.method == Method::Sobol && !spec.point_values => {
            notes.extend(sobol_note(spec.trials));
        }
        _ => {}
    }
    notes
}

fn check_positive(v: Option<f64>, flag: &str, what: &str) -> Result<(), CliError> {
    match v {
        Some(p) if !(p > 0.0 && p.is_finite()) => {
            Err(CliError::Usage(format!("{flag} must be {what} (got {p})")))
        }
        _ => Ok(()),
    }
}

/// Stream every trial of the run to `trials.csv` in the output set.
fn save_trials(
    out: &mut OutDir,
    s: &Scenario,
    plan: &Plan,
    spec: &RunSpec,
    trials: u64,
) -> Result<(), CliError> {
    let mut failed = None;
    let path = out.stage("trials.csv");
    let res = atomic::write_with(&path, |w| match write_trials(w, s, plan, spec, trials) {
        Ok(()) => Ok(()),
        Err(TrialsError::Io(e)) => Err(e),
        Err(TrialsError::Simulate(e)) => {
            failed = Some(e);
            Err(std::io::Error::other("simulation stopped"))
        }
    });
    if let Some(e) = failed {
        return Err(sim_error(s, e));
    }
    res.map_err(|e| out.write_error("trials.csv", e))
}
