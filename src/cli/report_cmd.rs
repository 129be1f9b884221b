//! `payback report`: simulate a scenario and write the one-file HTML management report.

use std::path::{Path, PathBuf};

use crate::charts::{self, ChartError, ChartFormat};
use crate::cli::{
    CliError, SimArgs, cancel_flag, load_scenario, make_design, trials_and_seed, with_progress,
    write_file,
};
use crate::engine::RunOptions;
use crate::format::NumberStyle;
use crate::model::Plan;
use crate::report::figures;
use crate::report::html::{self, ReportInput};
use crate::simulate::{self, RunConfig, RunResult};

/// `--help` examples of `payback report`.
pub const AFTER_HELP: &str = "Examples:\n  payback report scenarios/cloud_im_500.toml -o report.html\n  payback report s.toml -o report.html --trials 200000 --seed 7\n  payback report s.toml -o report.html --number-style wan --set employees=800\n\nThe report is one HTML file with inline charts and no scripts or network access: open it\nin any browser, attach it to an e-mail, or print it (A4).";

/// `payback report`.
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub struct ReportArgs {
    /// Scenario file (TOML). One scenario per report; several scenarios are compared by
    /// `payback compare`.
    #[arg(required = true, num_args = 1.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Where to write the HTML report, e.g. report.html.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: PathBuf,
    /// Simulation options.
    #[command(flatten)]
    pub sim: SimArgs,
    /// How money is written: plain (1,234,567), short (1.2M) or wan (123万).
    #[arg(long, default_value = "plain", value_parser = ["plain", "short", "wan"])]
    pub number_style: String,
    /// A TTF/TTC font used to lay out chart text (the browser draws the text with its own
    /// fonts; its face 0 must cover every character used).
    #[arg(long, value_name = "PATH")]
    pub font: Option<PathBuf>,
}

/// The run's four charts as (title, SVG markup), in report order.
pub fn run_chart_svgs(
    r: &RunResult,
    style: NumberStyle,
) -> Result<Vec<(String, String)>, ChartError> {
    let titles = [
        ("payback.svg", "Payback period"),
        ("cashflow.svg", "Cumulative net cash flow"),
        ("npv.svg", "Net present value (NPV)"),
        ("tco.svg", "Total cost of ownership by category"),
    ];
    let files = figures::run_charts(r, style, &[ChartFormat::Svg])?;
    Ok(files
        .into_iter()
        .map(|(name, bytes)| {
            let title = titles
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.to_string())
                .unwrap_or_else(|| name.trim_end_matches(".svg").to_string());
            (title, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect())
}

/// Check the output path before a possibly long run.
fn check_output(path: &Path) -> Result<(), CliError> {
    if path.is_dir() {
        return Err(CliError::Usage(format!(
            "-o {}: is a directory; give a file name such as report.html",
            path.display()
        )));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(CliError::Output(format!(
            "-o {}: the directory {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    Ok(())
}

/// Run `payback report`.
pub fn cmd_report(a: &ReportArgs) -> Result<(), CliError> {
    let Some(path) = a.scenarios.first() else {
        return Err(CliError::Usage("give a scenario file".into()));
    };
    if a.scenarios.len() > 1 {
        return Err(CliError::Usage(format!(
            "payback report takes one scenario (got {}); reports comparing several scenarios come with `payback compare`",
            a.scenarios.len()
        )));
    }
    let style: NumberStyle = a
        .number_style
        .parse()
        .map_err(|e| CliError::Usage(format!("{e}")))?;
    check_output(&a.output)?;
    let s = load_scenario(path, &a.sim)?;
    let (trials, seed) = trials_and_seed(&s, &a.sim)?;
    charts::ensure_registered(a.font.as_deref())
        .map_err(|e| CliError::Output(format!("--font: {e}")))?;
    let cancel = cancel_flag();
    let plan = Plan::compile(&s);
    let (design, notes) = make_design(&s, seed, &a.sim, trials)?;
    let mut result = with_progress(trials, a.sim.quiet, |done| {
        let cfg = RunConfig {
            trials,
            seed,
            sampling: a.sim.sampling.clone(),
            engine: RunOptions {
                threads: a.sim.threads,
                record_paths_below: 0,
                cancel: Some(&cancel),
                progress: Some(done),
            },
            force_streaming: false,
        };
        simulate::simulate_plan(&s, &plan, &design, &cfg)
    })?;
    result.summary.warnings.extend(notes);
    let charts =
        run_chart_svgs(&result, style).map_err(|e| CliError::Output(format!("charts: {e}")))?;
    let page = html::render(&ReportInput {
        scenario: &s,
        result: &result,
        style,
        charts,
        extra_sections: Vec::new(),
    });
    write_file(&a.output, page.as_bytes())?;
    println!("wrote {} — {}", a.output.display(), result.summary.verdict);
    Ok(())
}
