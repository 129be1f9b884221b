//! The decision commands: `payback compare` (options side by side, paired by common random
//! numbers) and `payback sweep` (a scenario over a grid of parameter values, with
//! break-evens).

use std::path::PathBuf;
use std::sync::atomic::AtomicU64;

use clap::Args;

use crate::cli::xlsx::{self, XlsxArgs};
use crate::cli::{
    CliError, Format, Inputs, OutDir, SimArgs, cancel_flag, in_file, load_scenario, make_design,
    trials_and_seed, with_progress,
};
use crate::compare::{self, CompareConfig, Comparison, OptionInput};
use crate::engine::RunError;
use crate::engine::RunOptions;
use crate::model::Plan;
use crate::sampling::Design;
use crate::scenario::Scenario;
use crate::simulate::{self, RunConfig, RunResult};
use crate::sweep::{self, SweepConfig, SweepError, SweepInput, VaryError};

/// `payback compare`.
#[derive(Debug, Args)]
#[command(
    after_help = "Every option runs the same trials with the same seed: an input that two scenarios share (by name) takes the same value in the same trial, so the options are compared on the same simulated futures (paired).\n\nExamples:\n  payback compare scenarios/vendor_a_low_price.toml scenarios/vendor_b_mature.toml scenarios/vendor_c_tech_leader.toml\n  payback compare scenarios/licence_*.toml --trials 50000 --out results/licence\n  payback compare a.toml b.toml --format json > compare.json\n  payback compare a.toml b.toml --horizon 60 --set users=1500"
)]
pub struct CompareArgs {
    /// Scenario files, one per option (two or more; same horizon and currency).
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Simulation options (applied to every option).
    #[command(flatten)]
    pub sim: SimArgs,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write compare.json, compare.csv, compare_pairs.csv and the charts here.
    /// With --shard: the part file to write.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Chart options (with --out).
    #[command(flatten)]
    pub chart: crate::cli::ChartArgs,
    /// Run only shard I of K (I from 0 to K-1) of the trials and write its part file to
    /// --out FILE; `payback merge` combines the K parts into exactly this comparison.
    #[arg(long, value_name = "I/K")]
    pub shard: Option<crate::shard::Shard>,
    /// Excel workbook.
    #[command(flatten)]
    pub xlsx: XlsxArgs,
}

/// `payback sweep`.
#[derive(Debug, Args)]
#[command(
    after_help = "NAME is an input (fixed at each grid value), horizon_months, discount_rate, or start:ITEM NAME for the start month of a line item (a delayed roll-out; Chinese names are fine). STEPS is the number of grid points. Every point runs the same trials with the same seed.\nOne --vary: a line chart with the P10-P90 band, break-evens (median payback = 12 and 24 months, E[NPV] = 0) found by interpolation and bisection, and for start:ITEM the cost of delay per month. Two --vary: a heatmap of P(payback <= 24). Several scenarios (same grid): which is cheapest (E[TCO]) and best (E[NPV]) at each point, and where that changes.\n\nExamples:\n  payback sweep scenarios/vendor_b_mature.toml --vary adoption_peak=0.3:1:15\n  payback sweep scenarios/licence_usage.toml --vary users=100:3000:30\n  payback sweep scenarios/licence_buyout.toml scenarios/licence_subscription.toml scenarios/licence_usage.toml --vary users=100:3000:30\n  payback sweep scenarios/cloud_im_500.toml --vary start:沟通时间节省=1:13:13\n  payback sweep s.toml --vary seat_price=20:40:5 --vary adoption_peak=0.4:1:7 --out results/"
)]
pub struct SweepArgs {
    /// Scenario file(s); several are swept over the same grid and compared point by point.
    #[arg(required = true, num_args = 1.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// What to vary: NAME=FROM:TO:STEPS (once or twice).
    #[arg(long, required = true, value_name = "NAME=FROM:TO:STEPS")]
    pub vary: Vec<String>,
    /// Break-evens by interpolation between grid points only (no bisection re-runs).
    #[arg(long)]
    pub no_refine: bool,
    /// Simulation options (applied at every grid point).
    #[command(flatten)]
    pub sim: SimArgs,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write sweep.json, sweep.csv and the charts here. With --shard: the part file to write.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Evaluate only shard I of K (I from 0 to K-1) of the grid points (of every scenario)
    /// and write them to --out FILE; `payback merge` combines the K parts, refines the
    /// break-evens and writes exactly this sweep's results.
    #[arg(long, value_name = "I/K")]
    pub shard: Option<crate::shard::Shard>,
    /// Chart options (with --out).
    #[command(flatten)]
    pub chart: crate::cli::ChartArgs,
    /// Excel workbook.
    #[command(flatten)]
    pub xlsx: XlsxArgs,
}

/// Load every scenario, naming the file in `--set` errors.
pub fn load_all(paths: &[PathBuf], sim: &SimArgs) -> Result<Vec<(Scenario, String)>, CliError> {
    paths
        .iter()
        .map(|p| {
            let shown = p.display().to_string();
            load_scenario(p, sim)
                .map(|s| (s, shown.clone()))
                .map_err(|e| match e {
                    CliError::Usage(m) if m.starts_with("--set") => {
                        CliError::Usage(format!("{shown}: {m}"))
                    }
                    other => other,
                })
        })
        .collect()
}

/// One trial count and one seed for every scenario (common random numbers need the same
/// seed): the command line, else the scenarios' own when they agree, else the first's.
fn common_trials_and_seed(
    list: &[(Scenario, String)],
    sim: &SimArgs,
) -> Result<(u64, u64, Vec<String>), CliError> {
    let mut notes = Vec::new();
    let (first, f0) = (&list[0].0, &list[0].1);
    let (trials, seed) = trials_and_seed(first, sim)?;
    if sim.seed.is_none()
        && let Some((_, f)) = list[1..].iter().find(|(s, _)| s.seed != first.seed)
    {
        notes.push(format!(
            "{f0} and {f} set different seeds; every option uses seed {seed} so that trials stay paired (give --seed to choose)"
        ));
    }
    if sim.trials.is_none()
        && let Some((_, f)) = list[1..].iter().find(|(s, _)| s.trials != first.trials)
    {
        notes.push(format!(
            "{f0} and {f} set different trial counts; every option runs {trials} (give --trials to choose)"
        ));
    }
    Ok((trials, seed, notes))
}

use super::print_bytes as print;

/// Scenario files loaded and checked for a comparison, ready to run.
pub struct CompareSetup {
    list: Vec<(Scenario, String)>,
    designs: Vec<(Design, Vec<String>)>,
    trials: u64,
    seed: u64,
    warnings: Vec<String>,
}

/// Load and check scenario files for a comparison (nothing runs yet).
pub fn prepare_compare(scenarios: &[PathBuf], sim: &SimArgs) -> Result<CompareSetup, CliError> {
    prepare_loaded(load_all(scenarios, sim)?, sim)
}

/// Check loaded scenarios (each with its file as shown) for a comparison.
pub fn prepare_loaded(
    list: Vec<(Scenario, String)>,
    sim: &SimArgs,
) -> Result<CompareSetup, CliError> {
    let refs: Vec<(&Scenario, String)> = list.iter().map(|(s, f)| (s, f.clone())).collect();
    let mut warnings = compare::check_comparable(&refs).map_err(CliError::Usage)?;
    let (trials, seed, notes) = common_trials_and_seed(&list, sim)?;
    warnings.extend(notes);
    if sim.sampling == "sobol" {
        warnings.extend(super::sobol_note(trials));
        let names = |s: &Scenario| -> Vec<String> {
            s.inputs
                .iter()
                .filter(|i| i.is_uncertain())
                .map(|i| i.name.clone())
                .collect()
        };
        if list.iter().any(|(s, _)| names(s) != names(&list[0].0)) {
            warnings.push(
                "with --sampling sobol, draws are paired by an input's position among the uncertain inputs, not by name, and the options' uncertain inputs differ: use --sampling mc or lhs for paired results".into(),
            );
        }
    }
    let mut designs = Vec::new();
    for (s, _) in &list {
        designs.push(make_design(s, seed, sim, trials)?);
    }
    Ok(CompareSetup {
        list,
        designs,
        trials,
        seed,
        warnings,
    })
}

impl CompareSetup {
    /// Trials of the comparison.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// The common seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The options' scenarios with their files as shown.
    pub fn scenarios(&self) -> &[(Scenario, String)] {
        &self.list
    }

    /// Call `f` with the options as the comparison runs them and its configuration.
    pub fn with_options<T>(
        &self,
        sim: &SimArgs,
        cancel: Option<&std::sync::atomic::AtomicBool>,
        progress: Option<&AtomicU64>,
        f: impl FnOnce(&[OptionInput], &CompareConfig) -> T,
    ) -> T {
        let inputs: Vec<OptionInput> = self
            .list
            .iter()
            .zip(&self.designs)
            .map(|((s, file), (d, n))| OptionInput {
                scenario: s,
                source: d,
                file: Some(file.clone()),
                notes: n.clone(),
            })
            .collect();
        let cfg = CompareConfig {
            trials: self.trials,
            seed: self.seed,
            sampling: sim.sampling.clone(),
            threads: sim.threads,
            cancel,
            progress,
        };
        f(&inputs, &cfg)
    }

    /// The comparison from the state of all its trials (merged shards).
    pub fn finish(self, sim: &SimArgs, state: compare::CompareState) -> Comparison {
        let mut c = self.with_options(sim, None, None, |i, cfg| compare::finish(i, cfg, state));
        c.warnings.splice(0..0, self.warnings);
        c
    }

    /// The file of option `index`'s scenario, for errors.
    pub fn blame(&self, index: usize, e: RunError) -> CliError {
        in_file(&self.list[index].0, e)
    }
}

/// Run a prepared comparison (paired, common random numbers).
pub fn run_compare(setup: CompareSetup, sim: &SimArgs) -> Result<Comparison, CliError> {
    run_compare_with_runs(setup, sim).map(|(c, _)| c)
}

/// [`run_compare`], also returning every option's scenario (as simulated) and whole run.
pub fn run_compare_with_runs(
    setup: CompareSetup,
    sim: &SimArgs,
) -> Result<(Comparison, Vec<(Scenario, RunResult)>), CliError> {
    let cancel = cancel_flag();
    let total = setup.trials.saturating_mul(setup.list.len() as u64);
    let result = with_progress(total, sim.quiet, |done: &AtomicU64| {
        setup.with_options(sim, Some(&cancel), Some(done), compare::compare_with_runs)
    });
    let (mut c, runs) = result.map_err(|e| setup.blame(e.index, e.error))?;
    c.warnings.splice(0..0, setup.warnings);
    let scenarios = setup.list.into_iter().map(|(s, _)| s);
    Ok((c, scenarios.zip(runs).collect()))
}

/// Load, check and compare scenario files (paired, common random numbers).
pub fn compare_files(scenarios: &[PathBuf], sim: &SimArgs) -> Result<Comparison, CliError> {
    run_compare(prepare_compare(scenarios, sim)?, sim)
}

/// `payback compare`.
pub fn cmd_compare(a: &CompareArgs) -> Result<(), CliError> {
    if let Some(shard) = a.shard {
        return super::shard_cmd::compare_shard(a, shard);
    }
    let setup = prepare_compare(&a.scenarios, &a.sim)?;
    // Every option is checked before anything is written.
    a.xlsx.check(&Inputs::of(
        &a.scenarios,
        &a.sim.set,
        a.chart.font.as_deref(),
    ))?;
    let out = OutDir::for_command(a.out.as_deref(), &a.chart, &a.scenarios, &a.sim.set)?;
    let c = run_compare(setup, &a.sim)?;
    let style = a.chart.style()?;
    let book = a
        .xlsx
        .build(|| crate::workbook::compare_workbook(&c, style))?;
    write_comparison(&c, out, &a.chart, a.format, book)
}

/// Write a comparison's files into `out` (if any) and its workbook (if any), and print it.
pub fn write_comparison(
    c: &Comparison,
    out: Option<OutDir>,
    chart: &crate::cli::ChartArgs,
    format: Format,
    book: Option<(PathBuf, Vec<u8>)>,
) -> Result<(), CliError> {
    let style = chart.style()?;
    if let Some(mut out) = out {
        out.write("compare.json", &compare::to_json(c))?;
        out.write("compare.csv", &compare::options_csv(c))?;
        out.write("compare_pairs.csv", &compare::pairs_csv(c))?;
        chart.write(&mut out, |_, f| compare::charts(c, style, f))?;
        out.commit(&cancel_flag())?;
    }
    xlsx::write(book, &cancel_flag())?;
    match format {
        Format::Json => print(&compare::to_json(c)),
        Format::Table => print(compare::render_table(c).as_bytes()),
    }
}

/// A sweep loaded and checked, ready to evaluate.
pub struct SweepSetup {
    list: Vec<(Scenario, String)>,
    varies: Vec<sweep::Vary>,
    trials: u64,
    seed: u64,
    warnings: Vec<String>,
}

/// Parse `--vary` and check loaded scenarios (each with its file as shown) for a sweep.
pub fn prepare_sweep(
    list: Vec<(Scenario, String)>,
    vary: &[String],
    sim: &SimArgs,
) -> Result<SweepSetup, CliError> {
    if vary.is_empty() || vary.len() > 2 {
        return Err(CliError::Usage(
            "give --vary once (line chart and break-evens) or twice (heatmap)".into(),
        ));
    }
    let varies: Vec<sweep::Vary> = vary
        .iter()
        .map(|v| sweep::parse_vary(v))
        .collect::<Result<_, _>>()
        .map_err(vary_error)?;
    let mut warnings = Vec::new();
    if list.len() > 1 {
        let refs: Vec<(&Scenario, String)> = list.iter().map(|(s, f)| (s, f.clone())).collect();
        warnings.extend(compare::check_comparable(&refs).map_err(CliError::Usage)?);
    }
    let (trials, seed, notes) = common_trials_and_seed(&list, sim)?;
    warnings.extend(notes);
    // Check names and grid values up front, before any long run.
    for (s, f) in &list {
        for v in &varies {
            sweep::check_param(s, f, &v.param).map_err(vary_error)?;
        }
        sweep::check_values(s, f, &varies).map_err(vary_error)?;
    }
    Ok(SweepSetup {
        list,
        varies,
        trials,
        seed,
        warnings,
    })
}

impl SweepSetup {
    /// The scenarios with their files as shown.
    pub fn scenarios(&self) -> &[(Scenario, String)] {
        &self.list
    }

    /// What is varied.
    pub fn varies(&self) -> &[sweep::Vary] {
        &self.varies
    }

    /// Trials per point and the common seed.
    pub fn trials_and_seed(&self) -> (u64, u64) {
        (self.trials, self.seed)
    }

    /// Grid points of every scenario.
    pub fn points(&self) -> u64 {
        sweep::grid(&self.varies).len() as u64 * self.list.len() as u64
    }

    /// Run the sweep; `eval` simulates one scenario at one point. The warnings of the setup
    /// lead the result's.
    pub fn run(
        self,
        sim: &SimArgs,
        refine: bool,
        eval: &mut sweep::Evaluator,
    ) -> Result<sweep::SweepResult, CliError> {
        let inputs: Vec<SweepInput> = self
            .list
            .iter()
            .map(|(s, f)| SweepInput {
                scenario: s,
                file: f.clone(),
            })
            .collect();
        let cfg = SweepConfig {
            trials: self.trials,
            seed: self.seed,
            sampling: sim.sampling.clone(),
            refine,
        };
        let mut r = sweep::sweep(&inputs, &self.varies, &cfg, eval).map_err(sweep_error)?;
        r.warnings.splice(0..0, self.warnings);
        Ok(r)
    }
}

/// A sweep parameter's error in the words of the command line (`--vary …`).
pub fn vary_error(e: VaryError) -> CliError {
    CliError::Usage(match e {
        VaryError::Count => {
            "give --vary once (line chart and break-evens) or twice (heatmap)".into()
        }
        VaryError::Same { first, second } => {
            format!("--vary {first} and --vary {second} vary the same parameter")
        }
        VaryError::Spec { spec, reason } => format!("--vary `{spec}`: {reason}"),
        VaryError::Unknown {
            file,
            reason,
            input,
        } => {
            let takes = if input {
                "; --vary takes an input, horizon_months, discount_rate or start:ITEM NAME"
            } else {
                ""
            };
            format!("{file}: {reason}{takes}")
        }
        VaryError::Value { file, spec, reason } => match file {
            Some(f) => format!("{f}: --vary {spec}: {reason}"),
            None => format!("--vary {spec}: {reason}"),
        },
    })
}

/// The command-line error of a sweep error.
pub fn sweep_error(e: SweepError) -> CliError {
    match e {
        SweepError::Vary(v) => vary_error(v),
        SweepError::Usage(m) => CliError::Usage(m),
        SweepError::Run(e) => CliError::Run(e),
        SweepError::RunIn { context, error } => match error {
            RunError::NonFinite { .. } | RunError::Overflow { .. } => {
                CliError::RunIn(context, error)
            }
            other => CliError::Run(other),
        },
    }
}

/// Simulate one scenario of a sweep (one grid point) and summarise it.
pub fn evaluate_point(
    s: &Scenario,
    (trials, seed): (u64, u64),
    sim: &SimArgs,
    cancel: &std::sync::atomic::AtomicBool,
    done: &AtomicU64,
) -> Result<crate::summary::Summary, SweepError> {
    let (design, notes) = make_design(s, seed, sim, trials).map_err(|e| match e {
        CliError::Usage(m) => SweepError::Usage(m),
        other => SweepError::Usage(other.to_string()),
    })?;
    let plan = Plan::compile(s);
    let cfg = RunConfig {
        trials,
        seed,
        sampling: sim.sampling.clone(),
        engine: RunOptions {
            threads: sim.threads,
            record_paths_below: 0,
            cancel: Some(cancel),
            progress: Some(done),
            ..RunOptions::default()
        },
    };
    let mut r = simulate::simulate_plan(s, &plan, &design, &cfg)?;
    r.summary.warnings.extend(notes);
    Ok(r.summary)
}

/// `payback sweep`.
pub fn cmd_sweep(a: &SweepArgs) -> Result<(), CliError> {
    let setup = prepare_sweep(load_all(&a.scenarios, &a.sim)?, &a.vary, &a.sim)?;
    if let Some(shard) = a.shard {
        return super::shard_cmd::sweep_shard(a, setup, shard);
    }
    let style = a.chart.style()?;
    // Every option is checked before anything is written.
    a.xlsx.check(&Inputs::of(
        &a.scenarios,
        &a.sim.set,
        a.chart.font.as_deref(),
    ))?;
    let out = OutDir::for_command(a.out.as_deref(), &a.chart, &a.scenarios, &a.sim.set)?;
    let total = setup.trials.saturating_mul(setup.points());
    let cancel = cancel_flag();
    let sim = &a.sim;
    let ts = setup.trials_and_seed();
    let r = with_progress(total, a.sim.quiet, |done: &AtomicU64| {
        let mut eval = |s: &Scenario| evaluate_point(s, ts, sim, &cancel, done);
        setup.run(sim, !a.no_refine, &mut eval)
    })?;
    let book = a
        .xlsx
        .build(|| crate::workbook::sweep_workbook(&r, style))?;
    write_sweep(&r, out, &a.chart, a.format, book)
}

/// Write a sweep's files into `out` (if any) and its workbook (if any), and print it.
pub fn write_sweep(
    r: &sweep::SweepResult,
    out: Option<OutDir>,
    chart: &crate::cli::ChartArgs,
    format: Format,
    book: Option<(PathBuf, Vec<u8>)>,
) -> Result<(), CliError> {
    let style = chart.style()?;
    let cancel = cancel_flag();
    if let Some(mut out) = out {
        out.write("sweep.json", &sweep::to_json(r))?;
        out.write("sweep.csv", &sweep::to_csv(r))?;
        chart.write(&mut out, |_, f| crate::sweep_charts::charts(r, style, f))?;
        out.commit(&cancel)?;
    }
    xlsx::write(book, &cancel)?;
    match format {
        Format::Json => print(&sweep::to_json(r)),
        Format::Table => print(sweep::render_table(r).as_bytes()),
    }
}
