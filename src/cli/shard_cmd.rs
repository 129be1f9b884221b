//! `payback run … --shard I/K --out FILE` (one shard of a run, written as a part file) and
//! `payback merge PARTS…` (the run's results from all K parts, exactly as one machine
//! would have produced them). The parts and their checks are [`crate::shard`]'s.

use std::path::{Path, PathBuf};

use clap::Args;

use std::sync::atomic::AtomicBool;

use super::decide::{self, CompareArgs, SweepArgs, SweepSetup};
use super::progress::{Tally, with_bar, with_progress};
use super::{CliError, Format, Inputs, OutDir, RunArgs, SimArgs, cancel_flag, design, in_file};
use crate::compare;
use crate::model::Plan;
use crate::sampling::Method;
use crate::scenario::{Scenario, parse_str_with};
use crate::shard::{
    self, Overrides, Part, PartCommand, PartState, Provenance, ScenarioSource, Shard, SweepSpec,
};
use crate::simulate::spec::sobol_note;
use crate::simulate::{self, RunSpec};
use crate::sweep;

/// Largest part file read (the kept sample of the first 100,000 trials makes the largest
/// part about 70 MB).
const MAX_PART_BYTES: u64 = 1 << 30;

/// Examples for `payback merge --help`.
pub const MERGE_HELP: &str = "Examples:
  for i in 0 1 2 3; do payback run s.toml --trials 10000000 --shard $i/4 --out part-$i.json; done
  payback merge part-*.json
  payback merge part-*.json --out results/ --format json

The parts must be the K shards of one run (same scenario, seed, sampling, trials, overrides
and payback version); merge names any part that differs and lists missing shards. Shards
run anywhere (a Slurm job array, a Kubernetes Indexed Job: see deploy/).";

/// `payback merge`.
#[derive(Debug, Args)]
#[command(mut_arg("out", |a| a.help("Write summary.json, cashflow.csv and the charts here (as `payback run --out`)")))]
pub struct MergeArgs {
    /// Part files written by `payback run … --shard I/K --out FILE` (all K of them).
    #[arg(required = true)]
    pub parts: Vec<PathBuf>,
    /// Output format, folder and charts.
    #[command(flatten)]
    pub results: crate::cli::OutputArgs,
    /// Worker threads for the final statistics (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Excel workbook of the merged results.
    #[command(flatten)]
    pub xlsx: super::xlsx::XlsxRunArgs,
    /// No progress bar (a merge shows none; accepted so that scripts can pass the flags
    /// they give `run`).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Refuse --shard without --out FILE, with an --out that is a folder or an input.
fn part_file<'a>(
    out: Option<&'a Path>,
    scenarios: &[PathBuf],
    set: &[String],
) -> Result<&'a Path, CliError> {
    let Some(out) = out else {
        return Err(CliError::Usage(
            "--shard needs --out FILE, the part file to write (e.g. --out part-0.json)".into(),
        ));
    };
    if out.is_dir() {
        return Err(CliError::Usage(format!(
            "--out {}: is a directory; with --shard, --out names the part file to write",
            out.display()
        )));
    }
    super::outdir::check_output_file("--out", out)?;
    Inputs::of(scenarios, set, None).check_file("--out", out)?;
    Ok(out)
}

/// What a part records of how it was run.
/// Each loaded scenario with the file it came from and the name it was given by.
fn sources<'a>(
    list: &'a [(Scenario, String)],
    paths: &'a [PathBuf],
) -> Vec<(&'a Scenario, &'a Path, String)> {
    list.iter()
        .zip(paths)
        .map(|((s, given), path)| (s, path.as_path(), given.clone()))
        .collect()
}

fn provenance(
    command: PartCommand,
    scenarios: &[(&Scenario, &Path, String)],
    sim: &SimArgs,
    seed: u64,
    trials: u64,
    shard: Shard,
    sweep: Option<SweepSpec>,
) -> Result<Provenance, CliError> {
    let range = match &sweep {
        Some(sw) => shard.split(sw.points),
        None => shard.range(trials),
    };
    let mut sources = Vec::new();
    for (s, path, given) in scenarios {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CliError::Usage(format!("{}: cannot read the scenario: {e}", path.display()))
        })?;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        sources.push(ScenarioSource {
            name: s.name.clone(),
            given: given.clone(),
            path: absolute.display().to_string(),
            model_sha256: shard::model_fingerprint(s),
            text,
        });
    }
    Ok(Provenance {
        program: shard::program(),
        command,
        seed,
        sampling: sim.sampling.into(),
        trials,
        shard,
        range: [range.start, range.end],
        overrides: Overrides {
            trials: sim.trials,
            seed: sim.seed,
            set: sim.set.clone(),
            horizon: sim.horizon,
            allow_files_outside: sim.allow_files_outside,
            repair_correlations: sim.repair_correlations,
        },
        sweep,
        scenarios: sources,
    })
}

/// Write a part file and say so on stdout.
fn write_part(
    out: &Path,
    part: &Part,
    format: Format,
    cancel: &AtomicBool,
) -> Result<(), CliError> {
    let bytes = shard::encode(part).map_err(|e| CliError::Output(e.to_string()))?;
    super::outdir::write_unless_cancelled(out, &bytes, cancel)?;
    let p = &part.provenance;
    let [start, end] = p.range;
    // What the shards share out: a sweep's grid points, else the trials.
    let (unit, total) = match &p.sweep {
        Some(sw) => ("grid points", sw.points),
        None => ("trials", p.trials),
    };
    let line = match format {
        Format::Json => format!(
            "{}\n",
            serde_json::json!({
                "command": p.command.name(),
                "shard": p.shard.to_string(),
                "trials": p.trials,
                "unit": unit,
                "range": p.range,
                "file": out.display().to_string(),
                "bytes": bytes.len(),
            })
        ),
        Format::Table => {
            let share = if start == end {
                format!("no {unit} (more shards than work: an empty part)")
            } else {
                format!(
                    "{unit} {} to {} of {}",
                    thousands(start),
                    thousands(end - 1),
                    thousands(total)
                )
            };
            format!(
                "shard {} of a {}: {share} → {} ({})\n",
                p.shard,
                p.command.name(),
                out.display(),
                size(bytes.len())
            )
        }
    };
    super::print_bytes(line.as_bytes())
}

fn refuse_with_shard(flag: &str) -> CliError {
    CliError::Usage(format!(
        "--shard runs a fixed share of --trials and writes a part file; {flag} does not apply (merge the parts, then look at the results)"
    ))
}

/// Run one shard of a run and write its part file.
pub fn run_shard(a: &RunArgs, shard: Shard) -> Result<(), CliError> {
    let flags = [
        (
            a.precision.is_some() || a.precision_npv.is_some(),
            "--precision",
        ),
        (a.deterministic, "--deterministic"),
        (a.save_trials, "--save-trials"),
        (a.max_trials.is_some(), "--max-trials"),
    ];
    if let Some((_, flag)) = flags.iter().find(|f| f.0) {
        return Err(refuse_with_shard(flag));
    }
    let out = part_file(
        a.results.out.as_deref(),
        std::slice::from_ref(&a.scenario),
        &a.sim.set,
    )?;
    let s = super::load_scenario(&a.scenario, &a.sim)?;
    let cancel = cancel_flag();
    let spec = RunSpec {
        cancel: Some(&cancel),
        ..a.sim.spec(&s)?
    };
    let (trials, seed) = (spec.trials, spec.seed);
    let (design, _notes) = design(&s, &spec, trials)?;
    let plan = Plan::compile(&s);
    let range = shard.range(trials);
    let state = with_bar(a.sim.quiet, |bar| {
        let opts = RunSpec {
            progress: Some(bar),
            ..spec
        }
        .engine(range.end - range.start);
        simulate::simulate_range(&plan, &design, trials, range.clone(), &opts)
    })
    .map_err(|e| in_file(&s, e))?;
    let given = a.scenario.display().to_string();
    let part = Part {
        provenance: provenance(
            PartCommand::Run,
            &[(&s, &a.scenario, given)],
            &a.sim,
            seed,
            trials,
            shard,
            None,
        )?,
        state: PartState::Run(Box::new(state)),
    };
    write_part(out, &part, a.results.format, &cancel)
}

/// Run one shard of a comparison and write its part file.
pub fn compare_shard(a: &CompareArgs, shard: Shard) -> Result<(), CliError> {
    let out = part_file(
        a.common.results.out.as_deref(),
        &a.scenarios,
        &a.common.sim.set,
    )?;
    let setup = decide::prepare_compare(&a.scenarios, &a.common.sim)?;
    let (trials, seed) = (setup.spec().trials, setup.spec().seed);
    let range = shard.range(trials);
    let cancel = cancel_flag();
    let state = with_bar(a.common.sim.quiet, |bar| {
        setup.with_options(Some(&cancel), Some(bar), |inputs, spec| {
            compare::compare_range(inputs, spec, range.clone(), false)
        })
    })
    .map_err(|(i, e)| setup.blame(i, e))?;
    let sources = sources(setup.scenarios(), &a.scenarios);
    let part = Part {
        provenance: provenance(
            PartCommand::Compare,
            &sources,
            &a.common.sim,
            seed,
            trials,
            shard,
            None,
        )?,
        state: PartState::Compare(state),
    };
    write_part(out, &part, a.common.results.format, &cancel)
}

/// Evaluate one shard of a sweep's grid points (every scenario's, scenario by scenario)
/// and write its part file.
pub fn sweep_shard(a: &SweepArgs, setup: SweepSetup, shard: Shard) -> Result<(), CliError> {
    if a.common.xlsx.xlsx.is_some() {
        return Err(refuse_with_shard("--xlsx"));
    }
    let out = part_file(
        a.common.results.out.as_deref(),
        &a.scenarios,
        &a.common.sim.set,
    )?;
    let grid = sweep::grid(setup.varies());
    let spec = SweepSpec {
        vary: a.vary.clone(),
        no_refine: a.no_refine,
        points: setup.points(),
    };
    let range = shard.split(spec.points);
    let (trials, seed) = (setup.spec().trials, setup.spec().seed);
    let cancel = cancel_flag();
    let total = (range.end - range.start).saturating_mul(trials);
    let summaries = with_progress(total, a.common.sim.quiet, |done| {
        let run = RunSpec {
            cancel: Some(&cancel),
            progress: Some(&Tally(done)),
            ..*setup.spec()
        };
        let mut v = Vec::with_capacity((range.end - range.start) as usize);
        for g in range.clone() {
            let (scenario, k) = (g as usize / grid.len(), g as usize % grid.len());
            let base = &setup.scenarios()[scenario].0;
            let s = sweep::scenario_at(base, setup.varies(), &grid[k])?;
            let summary = decide::evaluate_point(&s, &run)?;
            v.push((shard::model_fingerprint(&s), summary));
        }
        Ok(v)
    })
    .map_err(decide::sweep_error)?;
    let sources = sources(setup.scenarios(), &a.scenarios);
    let part = Part {
        provenance: provenance(
            PartCommand::Sweep,
            &sources,
            &a.common.sim,
            seed,
            trials,
            shard,
            Some(spec.clone()),
        )?,
        state: PartState::Sweep(shard::SweepState {
            points: spec.points,
            range: [range.start, range.end],
            summaries,
        }),
    };
    write_part(out, &part, a.common.results.format, &cancel)
}

fn thousands(n: u64) -> String {
    crate::format::thousands(n as f64, 0)
}

fn size(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} kB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}

/// Read and decode one part file.
fn read_part(path: &Path) -> Result<Part, CliError> {
    let shown = path.display().to_string();
    // Devices and pipes (`/dev/zero`) are not part files: refuse before reading.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(CliError::Usage(format!(
            "{shown}: not a regular file, not a part file"
        )));
    }
    let bytes = crate::files::read_limited(path, MAX_PART_BYTES).map_err(|e| match e {
        crate::files::ReadError::Io(err) => CliError::Usage(format!("{shown}: cannot read: {err}")),
        crate::files::ReadError::TooLarge { .. } => CliError::Usage(format!(
            "{shown}: larger than {} MB, not a part file",
            MAX_PART_BYTES >> 20
        )),
    })?;
    shard::decode(&bytes, &shown).map_err(|e| match e {
        shard::PartError::NotAPart(_) => CliError::Usage(format!(
            "{e} (write one with `payback run … --shard I/K --out FILE`)"
        )),
        other => CliError::Usage(other.to_string()),
    })
}

/// The options a set of parts was run with, as the command line had them.
fn sim_args(p: &Provenance, threads: Option<usize>) -> SimArgs {
    let o = &p.overrides;
    SimArgs {
        trials: o.trials,
        seed: o.seed,
        threads,
        horizon: o.horizon,
        set: o.set.clone(),
        sampling: p.sampling.into(),
        allow_files_outside: o.allow_files_outside,
        repair_correlations: o.repair_correlations,
        quiet: true,
    }
}

/// A scenario the parts were run on, rebuilt from the text they carry (data files are read
/// next to the path recorded) with their overrides, and checked to compile to the same
/// model.
fn rebuild(src: &ScenarioSource, sim: &SimArgs) -> Result<Scenario, CliError> {
    let path = PathBuf::from(&src.path);
    let mut s = parse_str_with(
        &src.text,
        &src.path,
        path.parent(),
        super::access(sim.allow_files_outside),
    )
    .map_err(|e| {
        CliError::Usage(format!(
            "the scenario the parts were run on does not load here: {e}"
        ))
    })?;
    s.path = Some(path);
    super::apply_overrides(&mut s, sim)?;
    if shard::model_fingerprint(&s) != src.model_sha256 {
        return Err(CliError::Usage(format!(
            "{}: the scenario compiles to another model here than on the machines that ran the shards (a data file it reads differs or is missing); merge where the shards ran",
            src.path
        )));
    }
    Ok(s)
}

/// `payback merge`.
pub fn cmd_merge(a: &MergeArgs) -> Result<(), CliError> {
    super::check_threads(a.threads)?;
    let mut parts = Vec::with_capacity(a.parts.len());
    for path in &a.parts {
        parts.push((path.display().to_string(), read_part(path)?));
    }
    let parts = shard::check_set(parts).map_err(|e| CliError::Usage(e.to_string()))?;
    let p = parts[0].1.provenance.clone();
    let sim = sim_args(&p, a.threads);
    let mut list = Vec::with_capacity(p.scenarios.len());
    for src in &p.scenarios {
        list.push((rebuild(src, &sim)?, src.given.clone()));
    }
    a.xlsx.check(&Inputs::of(
        &a.parts,
        &[],
        a.results.chart.style.font.as_deref(),
    ))?;
    if a.xlsx.xlsx_trials && p.command != PartCommand::Run {
        return Err(CliError::Usage(format!(
            "--xlsx-trials applies to the parts of a run; these are the parts of a {}",
            p.command.name()
        )));
    }
    let out = OutDir::for_command(a.results.out.as_deref(), &a.results.chart, &a.parts, &[])?;
    let usage = |e: shard::PartError| CliError::Usage(e.to_string());
    match p.command {
        PartCommand::Run => {
            let (s, _) = list.swap_remove(0);
            let plan = Plan::compile(&s);
            let state = shard::merge_run(&plan, parts, a.threads).map_err(usage)?;
            merge_run_outputs(a, &p, &sim, &s, &plan, state, out)
        }
        PartCommand::Sweep => merge_sweep(a, &p, &sim, list, parts, out),
        PartCommand::Compare => {
            let setup = decide::prepare_loaded(list, &sim)?;
            let plans: Vec<Plan> = setup
                .scenarios()
                .iter()
                .map(|(s, _)| Plan::compile(s))
                .collect();
            let state = shard::merge_compare(&plans, parts, a.threads).map_err(usage)?;
            let c = setup.finish(state);
            let style = a.results.chart.style.style();
            let book = a
                .xlsx
                .file
                .build(|| crate::workbook::compare_workbook(&c, style))?;
            decide::write_comparison(&c, out, &a.results, book)
        }
    }
}

/// The outputs of a merged run, as `payback run` writes them.
fn merge_run_outputs(
    a: &MergeArgs,
    p: &Provenance,
    sim: &SimArgs,
    s: &Scenario,
    plan: &Plan,
    state: crate::simulate::RunState,
    mut out: Option<OutDir>,
) -> Result<(), CliError> {
    // The same warnings, in the same order, as the run on one machine.
    let spec = RunSpec {
        trials: p.trials,
        seed: p.seed,
        ..sim.spec(s)?
    };
    let (_, mut notes) = design(s, &spec, p.trials)?;
    if p.sampling == Method::Sobol {
        notes.extend(sobol_note(p.trials));
    }
    let mut result = state.finish(s, plan, &spec.config(p.trials));
    result.summary.warnings.extend(notes);
    let book = a
        .xlsx
        .build_run(s, &result, a.results.chart.style.style())?;
    if let Some(out) = &mut out {
        super::write_run_outputs(out, &a.results.chart, &result)?;
    }
    let cancel = cancel_flag();
    if let Some(out) = out {
        out.commit(&cancel)?;
    }
    super::xlsx::write(book, &cancel)?;
    super::print_summary(a.results.format, &result.summary)
}

/// The outputs of a merged sweep: the shards' grid points, then the break-evens refined here
/// (by bisection runs, unless the sweep was run with --no-refine), as `payback sweep` writes
/// them.
fn merge_sweep(
    a: &MergeArgs,
    p: &Provenance,
    sim: &SimArgs,
    list: Vec<(Scenario, String)>,
    parts: Vec<(String, Part)>,
    out: Option<OutDir>,
) -> Result<(), CliError> {
    let Some(spec) = &p.sweep else {
        return Err(CliError::Usage(format!(
            "{}: a sweep part without its grid",
            parts[0].0
        )));
    };
    let setup = decide::prepare_sweep(list, &spec.vary, sim)?;
    if setup.points() != spec.points {
        return Err(CliError::Usage(format!(
            "the parts' grid has {} points, --vary {} gives {} here",
            spec.points,
            spec.vary.join(" --vary "),
            setup.points()
        )));
    }
    let known = shard::merge_sweep(parts).map_err(|e| CliError::Usage(e.to_string()))?;
    let cancel = cancel_flag();
    let run = RunSpec {
        cancel: Some(&cancel),
        ..*setup.spec()
    };
    let mut eval = |s: &Scenario| match known.get(&shard::model_fingerprint(s)) {
        Some(summary) => Ok(summary.clone()),
        None => decide::evaluate_point(s, &run),
    };
    let r = setup.run(!spec.no_refine, &mut eval)?;
    let style = a.results.chart.style.style();
    let book = a
        .xlsx
        .file
        .build(|| crate::workbook::sweep_workbook(&r, style))?;
    decide::write_sweep(&r, out, &a.results, book)
}
