//! The decision commands: `payback compare` (options side by side, paired by common random
//! numbers) and `payback sweep` (a scenario over a grid of parameter values, with
//! break-evens).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64};

use clap::Args;

use crate::charts::{ChartError, ChartFormat};
use crate::cli::progress::{Tally, with_bar};
use crate::cli::xlsx::{self, XlsxArgs};
use crate::cli::{
    CliError, Format, OutDir, OutputArgs, SimArgs, cancel_flag, design, in_file, load_scenario,
    sim_error, with_progress,
};
use crate::compare::{self, Comparison, NotComparable, OptionInput};
use crate::engine::RunError;
use crate::format::NumberStyle;
use crate::sampling::{Design, Method};
use crate::scenario::Scenario;
use crate::simulate::spec::sobol_note;
use crate::simulate::{self, Progress, RunResult, RunSpec, SimulateError};
use crate::sweep::{self, SweepConfig, SweepError, SweepInput, VaryError};

/// What `compare` and `sweep` share: simulation options (applied to every option and at
/// every grid point), outputs, the shard to run and the workbook. Each command words the
/// `--out` and `--shard` help itself.
#[derive(Debug, Args)]
pub struct DecideArgs {
    /// Simulation options.
    #[command(flatten)]
    pub sim: SimArgs,
    /// Output format, folder and charts.
    #[command(flatten)]
    pub results: crate::cli::OutputArgs,
    /// Run only shard I of K of the work and write its part file to --out FILE.
    #[arg(long, value_name = "I/K")]
    pub shard: Option<crate::shard::Shard>,
    /// Excel workbook.
    #[command(flatten)]
    pub xlsx: XlsxArgs,
}

/// `payback compare`.
#[derive(Debug, Args)]
#[command(mut_arg("out", |a| a.help("Write compare.json, compare.csv, compare_pairs.csv and the charts here. With --shard: the part file to write")), mut_arg("shard", |a| a.help("Run only shard I of K (I from 0 to K-1) of the trials and write its part file to --out FILE; `payback merge` combines the K parts into exactly this comparison")))]
#[command(
    after_help = "Every option runs the same trials with the same seed: an input that two scenarios share (by name) takes the same value in the same trial, so the options are compared on the same simulated futures (paired).\n\nExamples:\n  payback compare scenarios/vendor_a_low_price.toml scenarios/vendor_b_mature.toml scenarios/vendor_c_tech_leader.toml\n  payback compare scenarios/licence_*.toml --trials 50000 --out results/licence\n  payback compare a.toml b.toml --format json > compare.json\n  payback compare a.toml b.toml --horizon 60 --set users=1500"
)]
pub struct CompareArgs {
    /// Scenario files, one per option (two or more; same horizon and currency).
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Simulation, outputs, shard and workbook.
    #[command(flatten)]
    pub common: DecideArgs,
}

/// `payback sweep`.
#[derive(Debug, Args)]
#[command(mut_arg("out", |a| a.help("Write sweep.json, sweep.csv and the charts here. With --shard: the part file to write")), mut_arg("shard", |a| a.help("Evaluate only shard I of K (I from 0 to K-1) of the grid points (of every scenario) and write them to --out FILE; `payback merge` combines the K parts, refines the break-evens and writes exactly this sweep's results")))]
#[command(
    after_help = "NAME is an input (fixed at each grid value), horizon_months, discount_rate, or start:ITEM NAME for the start month of a line item (a delayed roll-out; Chinese names are fine). STEPS is the number of grid points. Every point runs the same trials with the same seed.\nOne --vary: a line chart with the P10-P90 band, break-evens (median payback = 12 and 24 months, E[NPV] = 0) found by interpolation and bisection, and for start:ITEM the cost of delay per month. Two --vary: a heatmap of P(payback <= 24). Several scenarios (same grid): which is cheapest (E[TCO]) and best (E[NPV]) at each point, and where that changes.\n\nExamples:\n  payback sweep scenarios/vendor_b_mature.toml --vary adoption_peak=0.3:1:15\n  payback sweep scenarios/licence_usage.toml --vary users=100:3000:30\n  payback sweep scenarios/licence_buyout.toml scenarios/licence_subscription.toml scenarios/licence_usage.toml --vary users=100:3000:30\n  payback sweep scenarios/cloud_im_500.toml --vary start:沟通时间节省=1:13:13\n  payback sweep s.toml --vary seat_price=20:40:5 --vary adoption_peak=0.4:1:7 --out results/"
)]
pub struct SweepArgs {
    /// What to vary: NAME=FROM:TO:STEPS (once or twice).
    #[arg(long, required = true, value_name = "NAME=FROM:TO:STEPS")]
    pub vary: Vec<String>,
    /// Break-evens by interpolation between grid points only (no bisection re-runs).
    #[arg(long)]
    pub no_refine: bool,
    /// Scenario file(s); several are swept over the same grid and compared point by point.
    #[arg(required = true, num_args = 1.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Simulation, outputs, shard and workbook.
    #[command(flatten)]
    pub common: DecideArgs,
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

/// One run spec for every scenario, with one trial count and one seed (common random
/// numbers need the same seed): the command line's, else the scenarios' own when they
/// agree, else the first's.
fn common_spec(
    list: &[(Scenario, String)],
    sim: &SimArgs,
) -> Result<(RunSpec<'static>, Vec<String>), CliError> {
    let mut notes = Vec::new();
    let (first, f0) = (&list[0].0, &list[0].1);
    let spec = sim.spec(first)?;
    let (trials, seed) = (spec.trials, spec.seed);
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
    Ok((spec, notes))
}

/// The command-line error of scenarios that cannot be compared.
fn not_comparable(e: NotComparable) -> CliError {
    match e {
        NotComparable::Horizon { .. } => CliError::Usage(format!("{e} (use --horizon)")),
        other => CliError::Usage(other.to_string()),
    }
}

use super::print_bytes as print;

/// Scenario files loaded and checked for a comparison, ready to run.
pub struct CompareSetup {
    list: Vec<(Scenario, String)>,
    designs: Vec<(Design, Vec<String>)>,
    spec: RunSpec<'static>,
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
    let mut warnings = compare::check_comparable(&refs).map_err(not_comparable)?;
    let (spec, notes) = common_spec(&list, sim)?;
    warnings.extend(notes);
    if spec.method == Method::Sobol {
        warnings.extend(sobol_note(spec.trials));
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
        designs.push(design(s, &spec, spec.trials)?);
    }
    Ok(CompareSetup {
        list,
        designs,
        spec,
        warnings,
    })
}

impl CompareSetup {
    /// The run spec every option runs under (its trials, common seed and sampling).
    pub fn spec(&self) -> &RunSpec<'static> {
        &self.spec
    }

    /// The options' scenarios with their files as shown.
    pub fn scenarios(&self) -> &[(Scenario, String)] {
        &self.list
    }

    /// Call `f` with the options as the comparison runs them and its run spec.
    pub fn with_options<T>(
        &self,
        cancel: Option<&AtomicBool>,
        progress: Option<&dyn Progress>,
        f: impl FnOnce(&[OptionInput], &RunSpec) -> T,
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
        let spec = RunSpec {
            cancel,
            progress,
            ..self.spec
        };
        f(&inputs, &spec)
    }

    /// The comparison from the state of all its trials (merged shards).
    pub fn finish(self, state: compare::CompareState) -> Comparison {
        let mut c = self.with_options(None, None, |i, spec| compare::finish(i, spec, state));
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
    let result = with_bar(sim.quiet, |bar| {
        setup.with_options(Some(&cancel), Some(bar), compare::compare_with_runs)
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
    if let Some(shard) = a.common.shard {
        return super::shard_cmd::compare_shard(a, shard);
    }
    let setup = prepare_compare(&a.scenarios, &a.common.sim)?;
    // Every option is checked before anything is written.
    let common = &a.common;
    let out = (common.results).prepare(&a.scenarios, &common.sim.set, |i| common.xlsx.check(i))?;
    let c = run_compare(setup, &a.common.sim)?;
    let style = a.common.results.chart.style.style();
    let book = a
        .common
        .xlsx
        .build(|| crate::workbook::compare_workbook(&c, style))?;
    write_comparison(&c, out, &a.common.results, book)
}

/// Write a comparison's files into `out` (if any) and its workbook (if any), and print it.
pub fn write_comparison(
    c: &Comparison,
    out: Option<OutDir>,
    results: &OutputArgs,
    book: Option<(PathBuf, Vec<u8>)>,
) -> Result<(), CliError> {
    let files = [
        ("compare.json", compare::to_json(c)),
        ("compare.csv", compare::options_csv(c)),
        ("compare_pairs.csv", compare::pairs_csv(c)),
    ];
    let table = || compare::render_table(c);
    write_decision(
        out,
        results,
        book,
        &files,
        |style, f| compare::charts(c, style, f),
        table,
    )
}

/// The files, charts and workbook of a comparison or a sweep, then what it prints: the
/// first file (its JSON) with `--format json`, else `table`.
fn write_decision(
    out: Option<OutDir>,
    results: &OutputArgs,
    book: Option<(PathBuf, Vec<u8>)>,
    files: &[(&str, Vec<u8>)],
    charts: impl FnOnce(NumberStyle, &[ChartFormat]) -> Result<Vec<(String, Vec<u8>)>, ChartError>,
    table: impl FnOnce() -> String,
) -> Result<(), CliError> {
    let cancel = cancel_flag();
    if let Some(mut out) = out {
        for (name, bytes) in files {
            out.write(name, bytes)?;
        }
        results.chart.write(&mut out, charts)?;
        out.commit(&cancel)?;
    }
    xlsx::write(book, &cancel)?;
    match results.format {
        Format::Json => print(&files[0].1),
        Format::Table => print(table().as_bytes()),
    }
}

/// A sweep loaded and checked, ready to evaluate.
pub struct SweepSetup {
    list: Vec<(Scenario, String)>,
    varies: Vec<sweep::Vary>,
    spec: RunSpec<'static>,
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
        warnings.extend(compare::check_comparable(&refs).map_err(not_comparable)?);
    }
    let (spec, notes) = common_spec(&list, sim)?;
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
        spec,
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

    /// The run spec of every point (trials per point, the common seed, sampling).
    pub fn spec(&self) -> &RunSpec<'static> {
        &self.spec
    }

    /// Grid points of every scenario.
    pub fn points(&self) -> u64 {
        sweep::grid(&self.varies).len() as u64 * self.list.len() as u64
    }

    /// Run the sweep; `eval` simulates one scenario at one point. The warnings of the setup
    /// lead the result's.
    pub fn run(
        self,
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
            trials: self.spec.trials,
            seed: self.spec.seed,
            sampling: self.spec.method.into(),
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

/// Simulate one scenario of a sweep (one grid point) through the run service and
/// summarise it.
pub fn evaluate_point(s: &Scenario, spec: &RunSpec) -> Result<crate::summary::Summary, SweepError> {
    // A grid point keeps its summary only: no sample of its first trials.
    let spec = RunSpec {
        keep_sample: false,
        ..*spec
    };
    simulate::run(s, &spec)
        .map(|r| r.summary)
        .map_err(|e| match e {
            SimulateError::Run(e) => SweepError::Run(e),
            other => SweepError::Usage(sim_error(s, other).to_string()),
        })
}

/// `payback sweep`.
pub fn cmd_sweep(a: &SweepArgs) -> Result<(), CliError> {
    let setup = prepare_sweep(
        load_all(&a.scenarios, &a.common.sim)?,
        &a.vary,
        &a.common.sim,
    )?;
    if let Some(shard) = a.common.shard {
        return super::shard_cmd::sweep_shard(a, setup, shard);
    }
    let style = a.common.results.chart.style.style();
    // Every option is checked before anything is written.
    let common = &a.common;
    let out = (common.results).prepare(&a.scenarios, &common.sim.set, |i| common.xlsx.check(i))?;
    let total = setup.spec.trials.saturating_mul(setup.points());
    let cancel = cancel_flag();
    let r = with_progress(total, a.common.sim.quiet, |done: &AtomicU64| {
        let spec = RunSpec {
            cancel: Some(&cancel),
            progress: Some(&Tally(done)),
            ..setup.spec
        };
        let mut eval = |s: &Scenario| evaluate_point(s, &spec);
        setup.run(!a.no_refine, &mut eval)
    })?;
    let book = a
        .common
        .xlsx
        .build(|| crate::workbook::sweep_workbook(&r, style))?;
    write_sweep(&r, out, &a.common.results, book)
}

/// Write a sweep's files into `out` (if any) and its workbook (if any), and print it.
pub fn write_sweep(
    r: &sweep::SweepResult,
    out: Option<OutDir>,
    results: &OutputArgs,
    book: Option<(PathBuf, Vec<u8>)>,
) -> Result<(), CliError> {
    let files = [
        ("sweep.json", sweep::to_json(r)),
        ("sweep.csv", sweep::to_csv(r)),
    ];
    let charts = |style, f: &[ChartFormat]| crate::sweep_charts::charts(r, style, f);
    write_decision(out, results, book, &files, charts, || {
        sweep::render_table(r)
    })
}
