//! `payback run … --shard I/K --out FILE` (one shard of a run, written as a part file) and
//! `payback merge PARTS…` (the run's results from all K parts, exactly as one machine
//! would have produced them). The parts and their checks are [`crate::shard`]'s.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{
    CliError, Format, Inputs, OutDir, RunArgs, SimArgs, cancel_flag, in_file, make_design,
    with_progress,
};
use crate::engine::RunOptions;
use crate::model::Plan;
use crate::sampling::Method;
use crate::scenario::{Scenario, parse_str_with};
use crate::shard::{self, Overrides, Part, Provenance, ScenarioSource, Shard};
use crate::simulate::{self, RunConfig};

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
pub struct MergeArgs {
    /// Part files written by `payback run … --shard I/K --out FILE` (all K of them).
    #[arg(required = true)]
    pub parts: Vec<PathBuf>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write summary.json, cashflow.csv and the charts here (as `payback run --out`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Chart options (with --out).
    #[command(flatten)]
    pub chart: super::ChartArgs,
    /// Worker threads for the final statistics (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Run one shard of a run and write its part file.
pub fn run_shard(a: &RunArgs, shard: Shard) -> Result<(), CliError> {
    let refuse = |flag: &str| {
        Err(CliError::Usage(format!(
            "--shard runs a fixed share of --trials and writes a part file; {flag} does not apply (merge the parts, then look at the results)"
        )))
    };
    if a.precision.is_some() || a.precision_npv.is_some() {
        return refuse("--precision");
    }
    if a.deterministic {
        return refuse("--deterministic");
    }
    if a.save_trials {
        return refuse("--save-trials");
    }
    if a.max_trials.is_some() {
        return refuse("--max-trials");
    }
    let Some(out) = a.out.as_deref() else {
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
    Inputs::of(std::slice::from_ref(&a.scenario), &a.sim.set, None).check_file("--out", out)?;
    let s = super::load_scenario(&a.scenario, &a.sim)?;
    let (trials, seed) = super::trials_and_seed(&s, &a.sim)?;
    let (design, _notes) = make_design(&s, seed, &a.sim, trials)?;
    let method: Method = a.sim.sampling.parse().map_err(CliError::Usage)?;
    let plan = Plan::compile(&s);
    let range = shard.range(trials);
    let cancel = cancel_flag();
    let state = with_progress(range.end - range.start, a.sim.quiet, |done| {
        let opts = RunOptions {
            threads: a.sim.threads,
            cancel: Some(&cancel),
            progress: Some(done),
            ..RunOptions::default()
        };
        simulate::simulate_range(&plan, &design, trials, range.clone(), &opts)
    })
    .map_err(|e| in_file(&s, e))?;
    let path = std::path::absolute(&a.scenario).unwrap_or_else(|_| a.scenario.clone());
    let text = std::fs::read_to_string(&a.scenario).map_err(|e| {
        CliError::Usage(format!(
            "{}: cannot read the scenario: {e}",
            a.scenario.display()
        ))
    })?;
    let part = Part {
        provenance: Provenance {
            program: shard::program(),
            seed,
            sampling: method,
            trials,
            shard,
            range: [range.start, range.end],
            overrides: Overrides {
                set: a.sim.set.clone(),
                horizon: a.sim.horizon,
                allow_files_outside: a.sim.allow_files_outside,
                repair_correlations: a.sim.repair_correlations,
            },
            scenario: ScenarioSource {
                name: s.name.clone(),
                path: path.display().to_string(),
                model_sha256: shard::model_fingerprint(&s),
                text,
            },
        },
        state,
    };
    let bytes = shard::encode(&part).map_err(|e| CliError::Output(e.to_string()))?;
    super::outdir::write_unless_cancelled(out, &bytes, &cancel)?;
    let line = match a.format {
        Format::Json => format!(
            "{}\n",
            serde_json::json!({
                "shard": shard.to_string(),
                "trials": trials,
                "range": [range.start, range.end],
                "file": out.display().to_string(),
                "bytes": bytes.len(),
            })
        ),
        Format::Table => format!(
            "shard {shard}: trials {} to {} of {} → {} ({})\n",
            thousands(range.start),
            thousands(range.end.saturating_sub(1)),
            thousands(trials),
            out.display(),
            size(bytes.len())
        ),
    };
    super::print_bytes(line.as_bytes())
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
    let bytes = crate::files::read_limited(path, MAX_PART_BYTES).map_err(|e| match e {
        crate::files::ReadError::Io(err) => CliError::Usage(format!("{shown}: cannot read: {err}")),
        crate::files::ReadError::TooLarge { .. } => CliError::Usage(format!(
            "{shown}: larger than {} MB, not a part file",
            MAX_PART_BYTES >> 20
        )),
    })?;
    shard::decode(&bytes, &shown).map_err(|e| CliError::Usage(e.to_string()))
}

/// The scenario a set of parts was run on, rebuilt from the text they carry (data files
/// are read next to the path recorded) with their overrides, and checked to compile to
/// the same model.
fn rebuild(p: &Provenance, threads: Option<usize>) -> Result<(Scenario, SimArgs), CliError> {
    let o = &p.overrides;
    let sim = SimArgs {
        trials: Some(p.trials),
        seed: Some(p.seed),
        threads,
        horizon: o.horizon,
        set: o.set.clone(),
        sampling: p.sampling.name().to_string(),
        allow_files_outside: o.allow_files_outside,
        repair_correlations: o.repair_correlations,
        quiet: true,
    };
    let path = PathBuf::from(&p.scenario.path);
    let mut s = parse_str_with(
        &p.scenario.text,
        &p.scenario.path,
        path.parent(),
        super::access(o.allow_files_outside),
    )
    .map_err(|e| {
        CliError::Usage(format!(
            "the scenario the parts were run on does not load here: {e}"
        ))
    })?;
    s.path = Some(path);
    super::apply_overrides(&mut s, &sim)?;
    if shard::model_fingerprint(&s) != p.scenario.model_sha256 {
        return Err(CliError::Usage(format!(
            "{}: the scenario compiles to another model here than on the machines that ran the shards (a data file it reads differs or is missing); merge where the shards ran",
            p.scenario.path
        )));
    }
    Ok((s, sim))
}

/// `payback merge`.
pub fn cmd_merge(a: &MergeArgs) -> Result<(), CliError> {
    let mut parts = Vec::with_capacity(a.parts.len());
    for path in &a.parts {
        parts.push((path.display().to_string(), read_part(path)?));
    }
    let parts = shard::check_set(parts).map_err(|e| CliError::Usage(e.to_string()))?;
    let p = parts[0].1.provenance.clone();
    let (s, sim) = rebuild(&p, a.threads)?;
    let mut out = OutDir::for_command(a.out.as_deref(), &a.chart, &a.parts, &[])?;
    let plan = Plan::compile(&s);
    let state =
        shard::merge(&plan, parts, a.threads).map_err(|e| CliError::Usage(e.to_string()))?;
    // The same warnings, in the same order, as the run on one machine.
    let (_, mut notes) = make_design(&s, p.seed, &sim, p.trials)?;
    if p.sampling == Method::Sobol {
        notes.extend(super::sobol_note(p.trials));
    }
    let cfg = RunConfig {
        trials: p.trials,
        seed: p.seed,
        sampling: p.sampling.name().to_string(),
        engine: RunOptions {
            threads: a.threads,
            ..RunOptions::default()
        },
    };
    let mut result = state.finish(&s, &plan, &cfg);
    result.summary.warnings.extend(notes);
    if let Some(out) = &mut out {
        super::write_run_outputs(out, &a.chart, &result)?;
    }
    if let Some(out) = out {
        out.commit(&cancel_flag())?;
    }
    super::print_summary(a.format, &result.summary)
}
