//! `payback fit DATA.csv --column NAME`: fit distributions to a column of past data and
//! print the ranking and the TOML line to paste (the work is in [`crate::fit`]).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::charts::{ChartMeta, fit_chart};
use crate::cli::{CliError, Format, OutDir, cancel_flag};
use crate::fit::{self, DEFAULT_BOOTSTRAP, FitOptions, FitReport, MAX_BOOTSTRAP};

/// Examples shown by `payback fit --help`.
pub const AFTER_HELP: &str = "Examples:\n  payback fit projects.csv --column integration_days\n  payback fit crm.csv --column monthly_churn --lower 0 --upper 1 --format json\n  payback fit incidents.csv --column outages --out fits/";

/// `payback fit`.
#[derive(Debug, Args)]
#[command(mut_arg("out", |a| a.help("Write fit.json and the chart (fit.png / fit.svg: histogram with the best fits and a Q–Q plot) here")))]
pub struct FitArgs {
    /// CSV file with a header row.
    pub data: PathBuf,
    /// The column to fit, by its header (Chinese names work).
    #[arg(long)]
    pub column: String,
    /// Output format, folder and charts.
    #[command(flatten)]
    pub results: crate::cli::OutputArgs,
    /// The smallest value the quantity can take: the beta, triangular and PERT start
    /// there, the other families are truncated there (default: none; the bounded families'
    /// ends are then estimated from the data).
    #[arg(long, allow_hyphen_values = true)]
    pub lower: Option<f64>,
    /// The largest value the quantity can take (as --lower).
    #[arg(long, allow_hyphen_values = true)]
    pub upper: Option<f64>,
    /// Bootstrap samples per family for the KS and AD p-values (0: none; at most 10,000,
    /// and at most 1,000,000 values drawn per family).
    #[arg(long, default_value_t = DEFAULT_BOOTSTRAP)]
    pub bootstrap: usize,
    /// Seed of the bootstrap: the same seed gives the same p-values.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// How many of the best fits the chart draws.
const CHART_FITS: usize = 3;

/// Run `payback fit`.
///
/// # Errors
/// [`CliError::Usage`] for bad options or data (exit 2), [`CliError::Output`] when the
/// output cannot be written.
pub fn cmd_fit(a: &FitArgs) -> Result<(), CliError> {
    for (flag, v) in [("--lower", a.lower), ("--upper", a.upper)] {
        if let Some(v) = v
            && !v.is_finite()
        {
            return Err(CliError::Usage(format!(
                "{flag} must be a finite number (got {v})"
            )));
        }
    }
    if a.bootstrap > MAX_BOOTSTRAP {
        return Err(CliError::Usage(format!(
            "--bootstrap must be at most {MAX_BOOTSTRAP} (got {})",
            a.bootstrap
        )));
    }
    // Every option is checked, and the data file kept from being overwritten, before any
    // work; the data file counts as an input of the run.
    let mut out = OutDir::for_command(
        a.results.out.as_deref(),
        &a.results.chart,
        std::slice::from_ref(&a.data),
        &[],
    )?;
    let values =
        fit::read_column(&a.data, &a.column).map_err(|e| CliError::Usage(e.to_string()))?;
    let options = FitOptions {
        lower: a.lower,
        upper: a.upper,
        bootstrap: a.bootstrap,
        seed: a.seed,
    };
    let report = fit::fit(&values, &a.column, &options).map_err(|e| {
        let file = crate::files::quote_n(&a.data.display().to_string(), 300);
        CliError::Usage(format!("{file}: {e}"))
    })?;
    if let Some(out) = &mut out {
        out.write("fit.json", &fit::render::json(&report))?;
        a.results.chart.write(out, |style, fmts| {
            let data = fit::render::chart_data(&report, CHART_FITS);
            let meta = ChartMeta {
                scenario: a.column.clone(),
                currency: String::new(),
                number_style: style,
                footer: footer(&report, a),
            };
            fmts.iter()
                .map(|f| {
                    Ok((
                        format!("fit.{}", f.extension()),
                        fit_chart(&data, &meta, *f)?,
                    ))
                })
                .collect()
        })?;
    }
    if let Some(out) = out {
        out.commit(&cancel_flag())?;
    }
    let text = match a.results.format {
        Format::Json => fit::render::json(&report),
        Format::Table => fit::render::table(&report, &a.data.display().to_string()).into_bytes(),
    };
    match std::io::stdout().lock().write_all(&text) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Output(format!("stdout: {e}")))
        }
        _ => Ok(()),
    }
}

/// The chart's traceability line.
fn footer(r: &FitReport, a: &FitArgs) -> String {
    let name = a
        .data
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(
        "{} values of {} · bootstrap {} · seed {} · payback {}",
        crate::format::thousands(r.sample.n(), 0),
        crate::files::quote(&name),
        r.bootstrap,
        r.options.seed,
        env!("CARGO_PKG_VERSION")
    )
}
