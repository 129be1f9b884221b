//! Command-line arguments (clap derive). Nothing else lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::format::NumberStyle;
use crate::report::figures::ChartFiles;
use crate::sampling::Method;

/// Monte Carlo risk of an IT investment: payback period, NPV, ROI and TCO.
#[derive(Debug, Parser)]
#[command(name = "payback", version, about, long_about = None, after_help = "Examples:\n  payback run scenarios/cloud_im_500.toml\n  payback run scenarios/cloud_im_500.toml --trials 1000000 --format json\n  payback validate scenarios/onprem_im_2000.toml\n  payback init my_scenario.toml")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and summarise payback, NPV, ROI and TCO.
    #[command(
        after_help = "Examples:\n  payback run scenarios/cloud_im_500.toml\n  payback run s.toml --trials 1000000 --seed 7 --threads 2\n  payback run s.toml --set employees=800 --set 'hourly_cost={dist=\"pert\",min=60,mode=80,max=120}'\n  payback run s.toml --deterministic\n  payback run s.toml --format json --out results/ --save-trials"
    )]
    Run(Box<RunArgs>),
    /// What drives the risk and what is worth measuring: tornado, rank correlation, Sobol
    /// indices, value of information and spider lines.
    #[command(
        after_help = "Examples:\n  payback sensitivity scenarios/cloud_im_500.toml\n  payback sensitivity scenarios/cloud_im_500.toml --method all --out sens/\n  payback sensitivity s.toml --method sobol --output npv --base-samples 16384\n  payback sensitivity s.toml --method tornado --low 0.05 --high 0.95\n  payback sensitivity s.toml --method target --target \"npv < 0\" --level 0.9"
    )]
    Sensitivity(Box<crate::cli::sensitivity_cmd::SensitivityArgs>),
    /// Compare options side by side on the same simulated futures (paired).
    Compare(Box<crate::cli::decide::CompareArgs>),
    /// Run a scenario over a grid of parameter values; break-evens and cost of delay.
    Sweep(Box<crate::cli::decide::SweepArgs>),
    /// Combine the part files of a sharded run (`run --shard I/K`) into the run's results.
    #[command(after_help = crate::cli::shard_cmd::MERGE_HELP)]
    Merge(Box<crate::cli::shard_cmd::MergeArgs>),
    /// Write a one-file HTML report for management: decision summary, charts, TCO, assumptions.
    #[command(after_help = crate::cli::report_cmd::AFTER_HELP)]
    Report(Box<crate::cli::report_cmd::ReportArgs>),
    /// Fit distributions to a column of past data: ranked by AIC, with KS and AD tests and
    /// the TOML line to paste into a scenario.
    #[command(after_help = crate::cli::fit_cmd::AFTER_HELP)]
    Fit(Box<crate::cli::fit_cmd::FitArgs>),
    /// Check a scenario and describe its inputs and line items.
    #[command(after_help = "Example:\n  payback validate scenarios/cloud_im_500.toml")]
    Validate {
        /// Scenario file (TOML).
        scenario: PathBuf,
        /// Let the scenario read data files outside its own folder.
        #[arg(long)]
        allow_files_outside: bool,
    },
    /// Write a commented starter scenario.
    #[command(
        after_help = "Examples:\n  payback init\n  payback init onprem.toml --template onprem\n  payback init --list"
    )]
    Init {
        /// Where to write it.
        #[arg(default_value = "scenario.toml")]
        path: PathBuf,
        /// Starter scenario (`--list` describes them).
        #[arg(long, value_enum, default_value_t = crate::cli::init::Template::Cloud)]
        template: crate::cli::init::Template,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
        /// List the starter scenarios and write nothing.
        #[arg(long)]
        list: bool,
    },
    /// Print a shell completion script, generated from these options.
    #[command(
        after_help = "Examples:\n  payback completions bash > payback.bash && source payback.bash\n  payback completions zsh > _payback     # into a folder on $fpath\n  payback completions fish > payback.fish\n  payback completions powershell > payback.ps1"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), generated from these options; with --out, one page per
    /// subcommand too.
    #[command(
        after_help = "Examples:\n  payback man > payback.1 && man ./payback.1\n  payback man --out man/     # payback.1, payback-run.1, …"
    )]
    Man {
        /// Write payback.1 and payback-SUBCOMMAND.1 for every subcommand into this folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// Output format of the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// One JSON object.
    Json,
}

/// Options shared by commands that simulate.
#[derive(Debug, Args, Clone)]
pub struct SimArgs {
    /// Number of trials (default: the scenario's `trials`, else 100,000).
    #[arg(long, short = 'n')]
    pub trials: Option<u64>,
    /// Random seed (default: the scenario's `seed`, else 42). Same seed, same results.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Override the horizon in months (1..600).
    #[arg(long)]
    pub horizon: Option<u32>,
    /// Override an input: NAME=NUMBER or NAME={dist="...",...} (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Sampling: mc (keyed Monte Carlo, the default: common random numbers by input name),
    /// lhs (Latin hypercube) or sobol (scrambled Sobol quasi-Monte Carlo).
    #[arg(long, value_enum, default_value = "mc")]
    pub sampling: SamplingArg,
    /// Let the scenario read data files (empirical `file = ...`) outside its own folder
    /// (by default only files in the scenario's folder and below are read).
    #[arg(long)]
    pub allow_files_outside: bool,
    /// Replace inconsistent [correlations] by the nearest valid matrix (with a warning).
    #[arg(long)]
    pub repair_correlations: bool,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// `payback run`.
#[derive(Debug, Args)]
#[command(mut_arg("out", |a| a.help("Write summary.json and cashflow.csv (and trials.csv with --save-trials) here. With --shard: the part file to write")))]
pub struct RunArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Simulation options.
    #[command(flatten)]
    pub sim: SimArgs,
    /// One trial with every input at its point value.
    #[arg(long)]
    pub deterministic: bool,
    /// Output format, folder and charts.
    #[command(flatten)]
    pub results: OutputArgs,
    /// Run only shard I of K (I from 0 to K-1) of the trials and write its part file to
    /// --out FILE; `payback merge` combines the K parts into exactly this run's results.
    #[arg(long, value_name = "I/K")]
    pub shard: Option<crate::shard::Shard>,
    /// With --out: also write every trial to trials.csv.
    #[arg(long)]
    pub save_trials: bool,
    /// Keep doubling the trials until the 95% intervals of P50 and P90 payback are
    /// narrower than ± this many months (or --max-trials is reached).
    #[arg(long, value_name = "MONTHS")]
    pub precision: Option<f64>,
    /// Keep doubling the trials until the 95% interval of mean NPV is within ± this share
    /// of the mean (e.g. 0.01), or --max-trials is reached.
    #[arg(long, value_name = "SHARE")]
    pub precision_npv: Option<f64>,
    /// Excel workbook options.
    #[command(flatten)]
    pub xlsx: crate::cli::xlsx::XlsxRunArgs,
    /// Upper limit on trials for --precision / --precision-npv.
    /// (default 10,000,000; used only with a precision target).
    #[arg(long)]
    pub max_trials: Option<u64>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn verify_cli() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}

/// What every command that writes results shares: the format on stdout, the output
/// folder (or part file) and its charts. Each command words the `--out` help itself
/// (`mut_arg("out", …)`), naming the files it writes.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Output format on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write the results and charts here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Chart options (with --out).
    #[command(flatten)]
    pub chart: ChartArgs,
}

/// Chart options shared by every command that draws charts.
#[derive(Debug, Args, Clone)]
pub struct ChartArgs {
    /// Charts written with --out: png, svg, both or none.
    #[arg(long, value_enum, default_value = "both")]
    pub charts: ChartsArg,
    /// How money and chart text are written.
    #[command(flatten)]
    pub style: StyleArgs,
}

/// How money and chart text are written: shared by every command that draws charts or
/// writes a workbook or a report.
#[derive(Debug, Args, Clone)]
pub struct StyleArgs {
    /// How money is written in charts, reports and the --xlsx workbook: plain (1,234,567),
    /// short (1.2M; 1,235k in the workbook) or wan (123万).
    #[arg(long, value_enum, default_value = "plain")]
    pub number_style: NumberStyleArg,
    /// A TTF/TTC font for chart text (its face 0 must cover every character used; in an
    /// HTML report it lays the text out, and the browser draws it with its own fonts).
    #[arg(long, value_name = "PATH")]
    pub font: Option<PathBuf>,
}

/// `--sampling`: how inputs are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SamplingArg {
    /// Keyed Monte Carlo: common random numbers by input name.
    Mc,
    /// Latin hypercube.
    Lhs,
    /// Scrambled Sobol points (quasi-Monte Carlo).
    Sobol,
}

impl From<SamplingArg> for Method {
    fn from(a: SamplingArg) -> Self {
        match a {
            SamplingArg::Mc => Method::Mc,
            SamplingArg::Lhs => Method::Lhs,
            SamplingArg::Sobol => Method::Sobol,
        }
    }
}

impl From<Method> for SamplingArg {
    fn from(m: Method) -> Self {
        match m {
            Method::Mc => SamplingArg::Mc,
            Method::Lhs => SamplingArg::Lhs,
            Method::Sobol => SamplingArg::Sobol,
        }
    }
}

/// `--charts`: which chart files to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChartsArg {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// PNG and SVG.
    Both,
    /// No charts.
    None,
}

impl From<ChartsArg> for ChartFiles {
    fn from(a: ChartsArg) -> Self {
        match a {
            ChartsArg::Png => ChartFiles::Png,
            ChartsArg::Svg => ChartFiles::Svg,
            ChartsArg::Both => ChartFiles::Both,
            ChartsArg::None => ChartFiles::None,
        }
    }
}

/// `--number-style`: how money is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum NumberStyleArg {
    /// Thousands separators: 1,234,567.
    Plain,
    /// Short suffixes: 1.2M.
    Short,
    /// Chinese myriads: 123万.
    Wan,
}

impl From<NumberStyleArg> for NumberStyle {
    fn from(a: NumberStyleArg) -> Self {
        match a {
            NumberStyleArg::Plain => NumberStyle::Plain,
            NumberStyleArg::Short => NumberStyle::Short,
            NumberStyleArg::Wan => NumberStyle::Wan,
        }
    }
}
