//! The command line: dispatch, progress, Ctrl-C, output files, exit codes
//! (0 success, 2 bad usage or bad scenario, 1 other failure, 130 interrupted by Ctrl-C,
//! SIGTERM or SIGHUP). Output directories are written as one set: see [`outdir`].

pub mod args;
pub mod decide;
pub mod docs_cmd;
pub mod fit_cmd;
pub mod init;
pub mod outdir;
pub mod progress;
pub mod report_cmd;
pub mod run_cmd;
pub mod sensitivity_cmd;
pub mod sensitivity_target;
pub mod shard_cmd;
pub mod validate;
pub mod xlsx;

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use clap::Parser;

use crate::charts;
use crate::engine::RunError;
use crate::format::NumberStyle;
use crate::report::figures::{self, ChartFiles};
use crate::report::{self, atomic};
use crate::sampling::Design;
use crate::scenario::{FileAccess, LoadError, Refusal, Scenario, ScenarioError, parse_input_value};
use crate::simulate::{self, RunResult, RunSpec, SimulateError};
use crate::summary;
pub use args::{ChartArgs, Cli, Command, Format, OutputArgs, RunArgs, SimArgs, StyleArgs};
pub use outdir::{Inputs, OutDir};
pub use progress::{with_bar, with_progress};
pub use run_cmd::MAX_TRIALS;

/// Default trials when neither the command line nor the scenario says.
pub const DEFAULT_TRIALS: u64 = 100_000;
/// Default seed.
pub const DEFAULT_SEED: u64 = 42;

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
    /// The message printed after `error: `: the library's, with the option that lifts a
    /// refusal where there is one.
    pub fn message(&self) -> String {
        let mut text = self.to_string();
        if let CliError::Scenario(LoadError::Invalid(e)) = self {
            match e.refusal {
                Some(Refusal::FileOutsideFolder) => {
                    text.push_str(" (run with --allow-files-outside to allow it)")
                }
                None => {}
            }
        }
        text
    }

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
            eprintln!("error: {}", crate::files::escape_controls(&e.message()));
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
        Command::Run(a) => run_cmd::cmd_run(&a),
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
    check_threads(sim.threads)?;
    let load = || Scenario::load_with(path, access(sim.allow_files_outside));
    let mut s = crate::engine::on_threads(sim.threads, load)??;
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
    check_threads(sim.threads)?;
    Ok((trials, sim.seed.or(s.seed).unwrap_or(DEFAULT_SEED)))
}

/// `--threads`, checked before any pool of that size is built (loading a scenario builds
/// its quantile tables on the run's threads).
pub(crate) fn check_threads(threads: Option<usize>) -> Result<(), CliError> {
    match threads {
        Some(t) if t == 0 || t > 1024 => Err(CliError::Usage(format!(
            "--threads must be from 1 to 1024 (got {t})"
        ))),
        _ => Ok(()),
    }
}

impl SimArgs {
    /// The run spec of these options for scenario `s` (trials and seed from the options,
    /// else the scenario's, else the defaults), every option checked.
    pub fn spec(&self, s: &Scenario) -> Result<RunSpec<'static>, CliError> {
        let (trials, seed) = trials_and_seed(s, self)?;
        Ok(RunSpec {
            threads: self.threads,
            repair_correlations: self.repair_correlations,
            ..RunSpec::new(trials, seed, self.sampling.into())
        })
    }
}

/// The file of a scenario, for messages (empty when it was not read from one).
fn file_of(s: &Scenario) -> String {
    s.path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

/// The command-line error of a run of scenario `s` that could not be made.
pub fn sim_error(s: &Scenario, e: SimulateError) -> CliError {
    match e {
        SimulateError::Correlations(e) => CliError::Usage(format!(
            "{}: correlations: {e}{}",
            file_of(s),
            repair_hint(&e)
        )),
        SimulateError::Design(m) => CliError::Usage(m),
        SimulateError::Run(e) => in_file(s, e),
    }
}

/// How to ask for the repair of inconsistent correlations, for a correlation error.
pub(crate) fn repair_hint(e: &crate::sampling::CorrelationError) -> &'static str {
    if e.repairable() {
        ", or run with --repair-correlations"
    } else {
        ""
    }
}

/// The sampling design of `trials` trials of a scenario under a run spec, with the notes
/// of any correlation repair.
pub fn design(
    s: &Scenario,
    spec: &RunSpec,
    trials: u64,
) -> Result<(Design, Vec<String>), CliError> {
    simulate::spec::design(s, spec, trials).map_err(|e| sim_error(s, e))
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

impl StyleArgs {
    /// The `--number-style`.
    pub fn style(&self) -> NumberStyle {
        self.number_style.into()
    }

    /// Register the `--font` (or the bundled one) for chart text.
    ///
    /// # Errors
    /// [`CliError::Usage`] naming the option.
    pub fn register_font(&self) -> Result<(), CliError> {
        charts::ensure_registered(self.font.as_deref())
            .map_err(|e| CliError::Usage(format!("--font: {e}")))
    }
}

impl ChartArgs {
    /// The files a command reads (its scenarios, their data files, the `--font`), which
    /// no output may replace.
    pub fn inputs(&self, scenarios: &[std::path::PathBuf], set: &[String]) -> Inputs {
        Inputs::of(scenarios, set, self.style.font.as_deref())
    }

    /// The chart formats of `--charts`.
    pub fn formats(&self) -> &'static [charts::ChartFormat] {
        ChartFiles::from(self.charts).formats()
    }

    /// Check the chart options (the font) before anything is written.
    ///
    /// # Errors
    /// [`CliError::Usage`] naming the option.
    pub fn check(&self) -> Result<(), CliError> {
        if !self.formats().is_empty() || self.style.font.is_some() {
            self.style.register_font()?;
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
        let fmts = self.formats();
        if fmts.is_empty() {
            return Ok(());
        }
        let files =
            render(self.style.style(), fmts).map_err(|e| CliError::Output(e.to_string()))?;
        for (name, bytes) in files {
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
