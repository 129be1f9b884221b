//! The command line: dispatch, progress, Ctrl-C, output files, exit codes
//! (0 success, 2 bad usage or bad scenario, 1 other failure, 130 interrupted by Ctrl-C,
//! SIGTERM or SIGHUP). Output directories are written as one set: see [`outdir`].

pub mod args;
pub mod decide;
pub mod docs_cmd;
pub mod fit_cmd;
pub mod init;
pub mod outdir;
pub mod report_cmd;
pub mod sensitivity_cmd;
pub mod sensitivity_target;
pub mod shard_cmd;
pub mod validate;
pub mod xlsx;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use clap::Parser;

use crate::charts;
use crate::engine::{self, FixedSource, RunError, RunOptions, Sink, TrialSource};
use crate::format::NumberStyle;
use crate::model::Plan;
use crate::report::{self, atomic, figures};
use crate::sampling::{Design, Method, correlation};
use crate::scenario::{FileAccess, LoadError, Scenario, ScenarioError, parse_input_value};
use crate::simulate::{self, RunConfig, RunResult};
use crate::summary;
pub use args::{ChartArgs, Cli, Command, Format, RunArgs, SimArgs};
pub use outdir::{Inputs, OutDir};

/// Default trials when neither the command line nor the scenario says.
pub const DEFAULT_TRIALS: u64 = 100_000;
/// Default seed.
pub const DEFAULT_SEED: u64 = 42;
/// Most trials accepted.
pub const MAX_TRIALS: u64 = 10_000_000_000;

/// A failure of a command, with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments.
    #[error("{0}")]
    Usage(String),
    /// Bad scenario.
    #[error(transparent)]
    Scenario(#[from] LoadError),
    /// Simulation failure.
    #[error("{0}")]
    Run(RunError),
    /// Output failure.
    #[error("{0}")]
    Output(String),
    /// A simulation failure caused by the scenario's own numbers.
    #[error("{0}: {1}")]
    RunIn(String, RunError),
}

/// Attach the scenario file to errors its amounts cause (division by zero, overflow).
pub fn in_file(s: &Scenario, e: RunError) -> CliError {
    match e {
        RunError::NonFinite { .. } | RunError::Overflow { .. } => CliError::RunIn(
            s.path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| s.name.clone()),
            e,
        ),
        other => CliError::Run(other),
    }
}

impl From<ScenarioError> for CliError {
    fn from(e: ScenarioError) -> Self {
        CliError::Scenario(LoadError::Invalid(e))
    }
}

impl From<RunError> for CliError {
    fn from(e: RunError) -> Self {
        CliError::Run(e)
    }
}

impl CliError {
    /// The process exit code.
    pub fn code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::Scenario(_) => 2,
            // A non-finite amount is a mistake in the scenario's expressions.
            CliError::Run(RunError::NonFinite { .. } | RunError::Overflow { .. })
            | CliError::RunIn(..) => 2,
            CliError::Run(RunError::Interrupted) => 130,
            _ => 1,
        }
    }
}

static CANCEL: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// The cancel flag, set by Ctrl-C (SIGINT) and, on Unix, SIGTERM and SIGHUP.
pub fn cancel_flag() -> Arc<AtomicBool> {
    CANCEL
        .get_or_init(|| {
            let flag = Arc::new(AtomicBool::new(false));
            let f = flag.clone();
            let _ = ctrlc::set_handler(move || f.store(true, Ordering::SeqCst));
            flag
        })
        .clone()
}

/// Entry point of the binary.
pub fn main() -> std::process::ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return std::process::ExitCode::from(code);
        }
    };
    match run_cli(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // Nothing quoted from a file may drive the terminal (ESC, BEL, CR…).
            eprintln!("error: {}", crate::files::escape_controls(&e.to_string()));
            std::process::ExitCode::from(e.code())
        }
    }
}

/// Run a parsed command.
pub fn run_cli(cli: Cli) -> Result<(), CliError> {
    if !matches!(
        cli.command,
        Command::Validate { .. }
            | Command::Init { .. }
            | Command::Completions { .. }
            | Command::Man { .. }
    ) {
        // Ctrl-C, SIGTERM and SIGHUP stop a command that writes cleanly (exit 130) from the
        // start, so that no signal leaves a file of this run behind.
        cancel_flag();
    }
    match cli.command {
        Command::Run(a) => cmd_run(&a),
        Command::Compare(a) => decide::cmd_compare(&a),
        Command::Sweep(a) => decide::cmd_sweep(&a),
        Command::Report(a) => report_cmd::cmd_report(&a),
        Command::Merge(a) => shard_cmd::cmd_merge(&a),
        Command::Sensitivity(a) => sensitivity_cmd::cmd_sensitivity(&a),
        Command::Fit(a) => fit_cmd::cmd_fit(&a),
        Command::Validate {
            scenario,
            allow_files_outside,
        } => validate::cmd_validate(&scenario, access(allow_files_outside)),
        Command::Init {
            path,
            template,
            force,
            list,
        } => init::cmd_init(&path, template, force, list),
        Command::Completions { shell } => docs_cmd::cmd_completions(shell),
        Command::Man { out } => docs_cmd::cmd_man(out.as_deref()),
    }
}

/// The data-file rule of `--allow-files-outside`.
pub fn access(allow_files_outside: bool) -> FileAccess {
    if allow_files_outside {
        FileAccess::Anywhere
    } else {
        FileAccess::ScenarioFolder
    }
}

/// Load a scenario and apply `--horizon` and `--set`.
pub fn load_scenario(path: &Path, sim: &SimArgs) -> Result<Scenario, CliError> {
    let mut s = Scenario::load_with(path, access(sim.allow_files_outside))?;
    apply_overrides(&mut s, sim)?;
    Ok(s)
}

/// Apply `--horizon` and `--set` to a loaded scenario.
pub fn apply_overrides(s: &mut Scenario, sim: &SimArgs) -> Result<(), CliError> {
    if let Some(h) = sim.horizon {
        if !(1..=600).contains(&h) {
            return Err(CliError::Usage(format!(
                "--horizon must be from 1 to 600 months (got {h})"
            )));
        }
        let never = s.items_after_horizon(h);
        if !never.is_empty() {
            return Err(CliError::Usage(format!(
                "--horizon {h}: {} after the horizon, so it would never count (the file refuses this at its own horizon; choose a horizon of at least {} months or move the item)",
                never.join("; "),
                s.items
                    .iter()
                    .map(|it| it.timing.start())
                    .max()
                    .unwrap_or(h)
            )));
        }
        s.horizon = h;
    }
    for kv in &sim.set {
        // TOML would read a second line as another key and ignore it.
        if kv.contains(|c: char| c.is_control() && c != '\t') {
            return Err(CliError::Usage(format!(
                "--set `{}`: contains a line break or control character; give one NAME=VALUE per --set",
                crate::files::quote(kv)
            )));
        }
        let Some((name, value)) = kv.split_once('=') else {
            return Err(CliError::Usage(format!(
                "--set expects NAME=VALUE, got `{kv}`"
            )));
        };
        let name = name.trim();
        let dist = parse_input_value(value.trim(), name)
            .map_err(|e| CliError::Usage(format!("--set {name}: {}", e.message)))?;
        let dropped = s
            .set_input(name, dist)
            .map_err(|m| CliError::Usage(format!("--set: {m}")))?;
        for (other, rho) in dropped {
            eprintln!(
                "warning: --set {name} fixes a correlated input: its correlation with `{other}` ({rho}) is dropped"
            );
        }
    }
    Ok(())
}

/// Trials and seed from arguments, scenario, defaults.
pub fn trials_and_seed(s: &Scenario, sim: &SimArgs) -> Result<(u64, u64), CliError> {
    let trials = sim.trials.or(s.trials).unwrap_or(DEFAULT_TRIALS);
    if trials == 0 || trials > MAX_TRIALS {
        return Err(CliError::Usage(format!(
            "--trials must be from 1 to {MAX_TRIALS} (got {trials})"
        )));
    }
    if let Some(t) = sim.threads
        && (t == 0 || t > 1024)
    {
        return Err(CliError::Usage(format!(
            "--threads must be from 1 to 1024 (got {t})"
        )));
    }
    Ok((trials, sim.seed.or(s.seed).unwrap_or(DEFAULT_SEED)))
}

/// Show a progress bar on stderr while `work` runs, when stderr is a terminal.
pub fn with_progress<T>(total: u64, quiet: bool, work: impl FnOnce(&AtomicU64) -> T + Send) -> T
where
    T: Send,
{
    let done = AtomicU64::new(0);
    let show = !quiet && std::io::stderr().is_terminal() && total >= 2_000_000;
    if !show {
        return work(&done);
    }
    let finished = AtomicBool::new(false);
    std::thread::scope(|sc| {
        sc.spawn(|| {
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {percent:>3}% {human_pos}/{human_len} trials, ETA {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            while !finished.load(Ordering::Relaxed) {
                bar.set_position(done.load(Ordering::Relaxed).min(total));
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        let r = work(&done);
        finished.store(true, Ordering::Relaxed);
        r
    })
}

/// The trial source for a scenario: sampling method plus correlations (with any repair
/// notes to show as warnings).
pub fn make_design(
    s: &Scenario,
    seed: u64,
    sim: &SimArgs,
    trials: u64,
) -> Result<(Design, Vec<String>), CliError> {
    let method: Method = sim.sampling.parse().map_err(CliError::Usage)?;
    let names: Vec<String> = s.inputs.iter().map(|i| i.name.clone()).collect();
    let (copula, notes) = correlation::build(&s.correlations, &names, sim.repair_correlations)
        .map_err(|e| {
            let file = s
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            CliError::Usage(format!("{file}: correlations: {e}{}", repair_hint(&e)))
        })?;
    let d = Design::new(s, seed, method, trials, copula).map_err(CliError::Usage)?;
    Ok((d, notes))
}

/// How to ask for the repair of inconsistent correlations, for a correlation error.
pub(crate) fn repair_hint(e: &crate::sampling::CorrelationError) -> &'static str {
    if e.repairable() {
        ", or run with --repair-correlations"
    } else {
        ""
    }
}

fn run_once(
    s: &Scenario,
    plan: &Plan,
    a: &RunArgs,
    trials: u64,
    seed: u64,
    cancel: &AtomicBool,
) -> Result<RunResult, CliError> {
    let fixed = FixedSource {
        values: s.point_values(),
    };
    let (design, notes) = make_design(s, seed, &a.sim, trials)?;
    let (source, sampling): (&dyn TrialSource, &str) = if a.deterministic {
        (&fixed, "deterministic")
    } else {
        (&design, a.sim.sampling.as_str())
    };
    let mut r = with_progress(trials, a.sim.quiet, |done| {
        let cfg = RunConfig {
            trials,
            seed,
            sampling: sampling.to_string(),
            engine: RunOptions {
                threads: a.sim.threads,
                record_paths_below: 0,
                cancel: Some(cancel),
                progress: Some(done),
                ..RunOptions::default()
            },
        };
        simulate::simulate_plan(s, plan, source, &cfg)
    })
    .map_err(|e| in_file(s, e))?;
    r.summary.warnings.extend(notes);
    Ok(r)
}

/// One Monte Carlo run that precision control extends instead of re-running.
struct Growing {
    acc: simulate::RunAcc,
    design: Design,
    notes: Vec<String>,
}

impl Growing {
    fn start(
        s: &Scenario,
        plan: &Plan,
        a: &RunArgs,
        trials: u64,
        seed: u64,
        cancel: &AtomicBool,
    ) -> Result<Self, CliError> {
        // A Monte Carlo design does not depend on the trial count.
        let (design, notes) = make_design(s, seed, &a.sim, trials)?;
        let mut g = Growing {
            acc: simulate::RunAcc::new(plan, trials, 1, a.sim.threads),
            design,
            notes,
        };
        g.extend(s, plan, a, 0..trials, seed, cancel)?;
        Ok(g)
    }

    fn extend(
        &mut self,
        s: &Scenario,
        plan: &Plan,
        a: &RunArgs,
        range: std::ops::Range<u64>,
        _seed: u64,
        cancel: &AtomicBool,
    ) -> Result<(), CliError> {
        self.acc.grow(range.end);
        let maker = self.acc.sinks();
        let acc = &mut self.acc;
        let design = &self.design;
        with_progress(range.end - range.start, a.sim.quiet, |done| {
            let opts = acc.options(&RunOptions {
                threads: a.sim.threads,
                cancel: Some(cancel),
                progress: Some(done),
                ..RunOptions::default()
            });
            engine::run_fold(
                plan,
                design,
                range.clone(),
                &opts,
                |start| maker.block_sink(start),
                |k| acc.merge_block(k),
            )
        })
        .map_err(|e| in_file(s, e))
    }

    fn result(&self, s: &Scenario, plan: &Plan, a: &RunArgs, trials: u64, seed: u64) -> RunResult {
        let cfg = RunConfig {
            trials,
            seed,
            sampling: a.sim.sampling.clone(),
            engine: RunOptions {
                threads: a.sim.threads,
                ..RunOptions::default()
            },
        };
        let mut r = self.acc.result_so_far(s, plan, &cfg);
        r.summary.warnings.extend(self.notes.iter().cloned());
        r
    }
}

fn check_positive(v: Option<f64>, flag: &str, what: &str) -> Result<(), CliError> {
    match v {
        Some(p) if !(p > 0.0 && p.is_finite()) => {
            Err(CliError::Usage(format!("{flag} must be {what} (got {p})")))
        }
        _ => Ok(()),
    }
}

/// The trial limit of precision control when `--max-trials` is not given.
const DEFAULT_MAX_TRIALS: u64 = 10_000_000;

/// The warning for a Sobol run whose trial count is not a power of two.
pub fn sobol_note(trials: u64) -> Option<String> {
    (!trials.is_power_of_two()).then(|| {
        format!(
            "Sobol points are balanced at powers of two; {} trials is not one (use {} or {})",
            crate::format::thousands(trials as f64, 0),
            crate::format::thousands(prev_power_of_two(trials) as f64, 0),
            crate::format::thousands((prev_power_of_two(trials) * 2) as f64, 0)
        )
    })
}

/// The largest power of two not above `n` (n ≥ 1).
fn prev_power_of_two(n: u64) -> u64 {
    1u64 << (63 - n.max(1).leading_zeros())
}

fn cmd_run(a: &RunArgs) -> Result<(), CliError> {
    if let Some(shard) = a.shard {
        return shard_cmd::run_shard(a, shard);
    }
    let s = load_scenario(&a.scenario, &a.sim)?;
    let (mut trials, seed) = trials_and_seed(&s, &a.sim)?;
    if a.save_trials && a.out.is_none() {
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
    let sobol = a.sim.sampling == "sobol";
    let controlled = (a.precision.is_some() || a.precision_npv.is_some()) && !a.deterministic;
    let mut notes = Vec::new();
    if a.max_trials.is_some() && !controlled {
        notes.push(
            "--max-trials has no effect without --precision or --precision-npv; --trials sets the trial count".into(),
        );
    }
    if controlled && trials > max_trials {
        notes.push(format!(
            "precision control starts at --max-trials {} (below the {} trials asked for)",
            crate::format::thousands(max_trials as f64, 0),
            crate::format::thousands(trials as f64, 0)
        ));
    }
    if controlled {
        // The limit is a limit: the first run too stays within it (and, under Sobol, at a
        // power of two, where the points are balanced).
        let limit = if sobol {
            prev_power_of_two(max_trials)
        } else {
            max_trials
        };
        if trials > limit {
            trials = limit;
        }
        if sobol && !trials.is_power_of_two() {
            trials = prev_power_of_two(trials);
        }
    } else if sobol && !a.deterministic {
        notes.extend(sobol_note(trials));
    }
    if a.deterministic {
        trials = 1;
    }
    // Every option is checked before anything is written.
    let scenarios = std::slice::from_ref(&a.scenario);
    a.xlsx
        .check(&Inputs::of(scenarios, &a.sim.set, a.chart.font.as_deref()))?;
    let style = a.chart.style()?;
    let mut out = OutDir::for_command(a.out.as_deref(), &a.chart, scenarios, &a.sim.set)?;
    let cancel = cancel_flag();
    let plan = Plan::compile(&s);
    // Under Monte Carlo sampling precision control grows one run (no trial runs twice);
    // a Latin hypercube or Sobol design depends on the total, so it is run again.
    let mut growing = (controlled && a.sim.sampling == "mc")
        .then(|| Growing::start(&s, &plan, a, trials, seed, &cancel))
        .transpose()?;
    let mut result = match &growing {
        Some(g) => g.result(&s, &plan, a, trials, seed),
        None => run_once(&s, &plan, a, trials, seed, &cancel)?,
    };
    // Precision control: double the trials until the targets are met or the limit reached.
    while controlled && result.summary.precision.is_none() {
        let sm = &result.summary;
        let (h50, h90) = (
            summary::half_width(sm.payback.ci.p50_ci),
            summary::half_width(sm.payback.ci.p90_ci),
        );
        let npv_rel = crate::stats::Z975 * sm.npv.stats.mean_se / sm.npv.stats.mean.abs();
        let ok_months = a
            .precision
            .is_none_or(|p| h50.is_some_and(|h| h <= p) && h90.is_some_and(|h| h <= p));
        let ok_npv = a.precision_npv.is_none_or(|p| npv_rel <= p);
        let met = ok_months && ok_npv;
        // A percentile whose whole interval lies beyond the horizon has no half-width to
        // shrink: more trials cannot meet a target in months.
        let hopeless = a.precision.is_some()
            && [sm.payback.ci.p50_ci, sm.payback.ci.p90_ci]
                .iter()
                .any(|c| c[0].is_none());
        let limit = if sobol {
            prev_power_of_two(max_trials)
        } else {
            max_trials
        };
        if hopeless {
            result.summary.warnings.push(format!(
                "precision target cannot be met: the P50 or P90 payback lies beyond the {}-month horizon, so its interval has no width to narrow; stopped at {} trials",
                s.horizon,
                crate::format::thousands(trials as f64, 0)
            ));
        }
        if met || hopeless || trials >= limit {
            result.summary.precision = Some(summary::Precision {
                target_months: a.precision,
                target_npv_relative: a.precision_npv,
                p50_half_width: h50,
                p90_half_width: h90,
                npv_relative_half_width: npv_rel,
                met,
                max_trials,
            });
            if !met && !hopeless {
                result.summary.warnings.push(format!(
                    "precision target not met at --max-trials {}; raise --max-trials or loosen the target",
                    max_trials
                ));
            }
            break;
        }
        let next = (trials * 2).min(limit);
        result = match &mut growing {
            Some(g) => {
                g.extend(&s, &plan, a, trials..next, seed, &cancel)?;
                g.result(&s, &plan, a, next, seed)
            }
            None => run_once(&s, &plan, a, next, seed, &cancel)?,
        };
        trials = next;
    }
    result.summary.warnings.extend(notes);
    let book = a.xlsx.build_run(&s, &result, style)?;
    if let Some(out) = &mut out {
        write_run_outputs(out, &a.chart, &result)?;
        if a.save_trials {
            let fixed = FixedSource {
                values: s.point_values(),
            };
            let design = make_design(&s, seed, &a.sim, trials)?.0;
            let source: &dyn TrialSource = if a.deterministic { &fixed } else { &design };
            save_trials(out, &s, &plan, source, trials, a.sim.threads, &cancel)?;
        }
    }
    if let Some(out) = out {
        out.commit(&cancel)?;
    }
    xlsx::write(book, &cancel)?;
    if a.deterministic && a.format == Format::Table {
        return print_bytes(report::terminal::render_point(&s, &result).as_bytes());
    }
    print_summary(a.format, &result.summary)
}

/// Print a run's summary on stdout (a closed pipe is not an error).
pub fn print_summary(format: Format, summary: &summary::Summary) -> Result<(), CliError> {
    let text = match format {
        Format::Json => report::summary_json(summary),
        Format::Table => report::terminal::render(summary).into_bytes(),
    };
    print_bytes(&text)
}

/// Write to stdout (a closed pipe is not an error).
pub fn print_bytes(text: &[u8]) -> Result<(), CliError> {
    match std::io::stdout().lock().write_all(text) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Output(format!("stdout: {e}")))
        }
        _ => Ok(()),
    }
}

impl ChartArgs {
    /// The `--number-style`.
    pub fn style(&self) -> Result<NumberStyle, CliError> {
        self.number_style
            .parse()
            .map_err(|e| CliError::Usage(format!("--number-style: {e}")))
    }

    /// Check the chart options (formats, number style, font) before anything is written.
    ///
    /// # Errors
    /// [`CliError::Usage`] naming the option.
    pub fn check(&self) -> Result<(), CliError> {
        let fmts = figures::formats(&self.charts).map_err(CliError::Usage)?;
        self.style()?;
        if !fmts.is_empty() || self.font.is_some() {
            charts::ensure_registered(self.font.as_deref())
                .map_err(|e| CliError::Usage(format!("--font: {e}")))?;
        }
        Ok(())
    }

    /// Render charts in the `--charts` formats with the `--font` and add them to the run's
    /// output set; `render` gets the number style and the formats.
    pub fn write(
        &self,
        out: &mut OutDir,
        render: impl FnOnce(
            NumberStyle,
            &[charts::ChartFormat],
        ) -> Result<Vec<(String, Vec<u8>)>, charts::ChartError>,
    ) -> Result<(), CliError> {
        self.check()?;
        let fmts = figures::formats(&self.charts).map_err(CliError::Usage)?;
        if fmts.is_empty() {
            return Ok(());
        }
        let style = self.style()?;
        for (name, bytes) in render(style, &fmts).map_err(|e| CliError::Output(e.to_string()))? {
            out.write(&name, &bytes)?;
        }
        Ok(())
    }
}

/// Write a file atomically, mapping errors to a clear message.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    atomic::write(path, bytes)
        .map_err(|e| CliError::Output(format!("{}: cannot write: {e}", path.display())))
}

/// Write a run's files: summary.json, cashflow.csv and the charts.
pub fn write_run_outputs(
    out: &mut OutDir,
    chart: &ChartArgs,
    r: &RunResult,
) -> Result<(), CliError> {
    out.write("summary.json", &report::summary_json(&r.summary))?;
    out.write("cashflow.csv", &report::cashflow_csv(&r.fan))?;
    chart.write(out, |style, fmts| figures::run_charts(r, style, fmts))
}

/// Buffers CSV rows of one block.
struct RowSink {
    buf: Vec<u8>,
}

impl Sink for RowSink {
    fn absorb(&mut self, b: &engine::BatchOut) {
        let mut inputs = vec![0.0; b.inputs.len()];
        let mut flows = vec![0.0; b.paths.len()];
        for l in 0..b.len {
            for (i, v) in inputs.iter_mut().enumerate() {
                *v = b.inputs[i][l];
            }
            // Net cash flow per month from the cumulative path.
            let mut prev = 0.0;
            for (t, f) in flows.iter_mut().enumerate() {
                let c = b.paths[t][l];
                *f = c - prev;
                prev = c;
            }
            let _ = report::trial_row(
                &mut self.buf,
                b.start + l as u64,
                &inputs,
                report::TRIAL_COLUMNS.map(|m| m.col(b)[l]),
                &flows,
            );
        }
    }
}

/// Stream every trial to `trials.csv`, re-running the (keyed, identical) trials in chunks
/// so that memory stays bounded.
fn save_trials(
    out: &mut OutDir,
    s: &Scenario,
    plan: &Plan,
    source: &dyn TrialSource,
    trials: u64,
    threads: Option<usize>,
    cancel: &AtomicBool,
) -> Result<(), CliError> {
    let mut run_err = None;
    let path = out.stage("trials.csv");
    let res = atomic::write_with(&path, |w| {
        let mut header = String::from("trial");
        for i in &s.inputs {
            header.push(',');
            header.push_str(&csv_field(&i.name));
        }
        for m in report::TRIAL_COLUMNS {
            header.push(',');
            header.push_str(m.key());
        }
        for t in 0..=plan.horizon {
            header.push_str(&format!(",cf_{t}"));
        }
        header.push('\n');
        w.write_all(header.as_bytes())?;
        let chunk = 64 * engine::BLOCK;
        let mut start = 0;
        while start < trials {
            let end = (start + chunk).min(trials);
            let opts = RunOptions {
                threads,
                record_paths_below: u64::MAX,
                cancel: Some(cancel),
                progress: None,
                ..RunOptions::default()
            };
            match engine::run(plan, source, start..end, &opts, |_| RowSink {
                buf: Vec::new(),
            }) {
                Ok(sinks) => {
                    for sk in sinks {
                        w.write_all(&sk.buf)?;
                    }
                }
                Err(e) => {
                    run_err = Some(e);
                    return Err(std::io::Error::other("simulation stopped"));
                }
            }
            start = end;
        }
        Ok(())
    });
    if let Some(e) = run_err {
        return Err(CliError::Run(e));
    }
    res.map_err(|e| out.write_error("trials.csv", e))
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
