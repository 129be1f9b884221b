//! Sharded runs. Every draw is a pure function of (seed, input, trial index) and every
//! statistic of a run is an accumulator whose states merge exactly ([`RunState`]), so the
//! trials 0..N of one run can be cut into K contiguous ranges ("shards") that run on any
//! machines, at any time, each writing a part file; merging the K parts gives exactly the
//! run on one machine, bit for bit. A part records where it came from (program version,
//! scenario text and a fingerprint of the model it compiled to, overrides, seed, sampling,
//! N, K, its index and range) and a checksum of all that, so that parts of different runs,
//! damaged parts, duplicates and missing shards are refused by name.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::compare::CompareState;
use crate::model::Plan;
use crate::model::program::LANES;
use crate::sampling::Method;
use crate::scenario::Scenario;
use crate::simulate::RunState;
use crate::summary::Summary;

/// The `format` field of every part file.
pub const PART_FORMAT: &str = "payback-part";
/// Version of the part file layout (the state inside has its own version).
pub const PART_VERSION: u32 = 1;
/// Most shards one run may be cut into.
pub const MAX_SHARDS: u64 = 100_000;

/// The I-th of K shards of a run, counting from 0 (as Slurm array task ids from 0 and
/// Kubernetes completion indexes do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// I, from 0 to K − 1.
    pub index: u64,
    /// K.
    pub count: u64,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let usage = || format!("`{s}`: expected I/K such as 0/4 (shard I of K, I from 0 to K-1)");
        let (i, k) = s.split_once('/').ok_or_else(usage)?;
        let index: u64 = i.trim().parse().map_err(|_| usage())?;
        let count: u64 = k.trim().parse().map_err(|_| usage())?;
        if count == 0 || count > MAX_SHARDS {
            return Err(format!("`{s}`: K must be from 1 to {MAX_SHARDS}"));
        }
        if index >= count {
            return Err(format!(
                "`{s}`: shards count from 0, so I must be from 0 to {} (K-1)",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// The trials of this shard in a run of `n`: contiguous, covering 0..n with the other
    /// shards, and starting at a multiple of the engine's batch (so every batch of trials
    /// is the same as in one run, and so are the sums over it).
    pub fn range(&self, n: u64) -> Range<u64> {
        self.boundary(self.index, n)..self.boundary(self.index + 1, n)
    }

    /// This shard's share of `n` work items that need no alignment (a sweep's grid
    /// points): contiguous, as even as can be, covering 0..n with the other shards.
    pub fn split(&self, n: u64) -> Range<u64> {
        let at = |i: u64| (u128::from(n) * u128::from(i) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }

    /// What the shards of a part share out: a sweep's grid points, else the trials.
    fn share(&self, p: &Provenance) -> (Range<u64>, u64) {
        match &p.sweep {
            Some(sw) => (self.split(sw.points), sw.points),
            None => (self.range(p.trials), p.trials),
        }
    }

    fn boundary(&self, i: u64, n: u64) -> u64 {
        if i >= self.count {
            return n;
        }
        let even = (u128::from(n) * u128::from(i) / u128::from(self.count)) as u64;
        even / LANES as u64 * LANES as u64
    }
}

/// The command a part is a shard of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartCommand {
    /// `payback run`.
    Run,
    /// `payback compare`.
    Compare,
    /// `payback sweep` (shards share out the grid points).
    Sweep,
}

impl PartCommand {
    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            PartCommand::Run => "run",
            PartCommand::Compare => "compare",
            PartCommand::Sweep => "sweep",
        }
    }
}

/// A scenario a part was run on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioSource {
    /// Its name.
    pub name: String,
    /// Its path as given on the command line (results name options by it).
    pub given: String,
    /// Its path as an absolute path on the machine that ran the shard (data files are
    /// found next to it).
    pub path: String,
    /// SHA-256 of the model it compiled to after the overrides (see [`model_fingerprint`]):
    /// equal for parts of the same run even when the file moved, different when the file,
    /// a data file or an override changed.
    pub model_sha256: String,
    /// The file's text, so a merge needs no copy of the file.
    pub text: String,
}

/// The command-line overrides a part was run with (applied again when merging).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overrides {
    /// `--trials` as given (the trial count itself is [`Provenance::trials`]).
    pub trials: Option<u64>,
    /// `--seed` as given.
    pub seed: Option<u64>,
    /// `--set NAME=VALUE`, in order.
    pub set: Vec<String>,
    /// `--horizon`.
    pub horizon: Option<u32>,
    /// `--allow-files-outside`.
    pub allow_files_outside: bool,
    /// `--repair-correlations`.
    pub repair_correlations: bool,
}

/// What a sweep varies, and how many grid points its shards share out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    /// `--vary` as given, in order.
    pub vary: Vec<String>,
    /// `--no-refine`.
    pub no_refine: bool,
    /// Grid points of every scenario, in all.
    pub points: u64,
}

/// The grid points one shard of a sweep evaluated: each point's scenario fingerprint (see
/// [`model_fingerprint`]; the scenario at a point is the base with the point's values set)
/// and its summary, in point order.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SweepState {
    /// Grid points of the whole sweep.
    pub points: u64,
    /// This shard's points, `[start, end)`.
    pub range: [u64; 2],
    /// (fingerprint, summary) of each point of the range.
    pub summaries: Vec<(String, Summary)>,
}

/// Where a part came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// "payback" and its version.
    pub program: String,
    /// What the part is a shard of.
    pub command: PartCommand,
    /// Seed of the run.
    pub seed: u64,
    /// Sampling method.
    pub sampling: Method,
    /// Trials of the whole run (N).
    pub trials: u64,
    /// Which shard.
    pub shard: Shard,
    /// Its trials, `[start, end)`.
    pub range: [u64; 2],
    /// Overrides.
    pub overrides: Overrides,
    /// What a sweep varies (sweeps only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepSpec>,
    /// The scenarios, one per option of a comparison (last: they hold the files' text).
    pub scenarios: Vec<ScenarioSource>,
}

/// This program, as parts record it.
pub fn program() -> String {
    format!("payback {}", env!("CARGO_PKG_VERSION"))
}

/// SHA-256 (hex) of everything a scenario compiled to (inputs with their distributions
/// and data, line items, adoption, horizon, rate, correlations), not of where it was read.
pub fn model_fingerprint(s: &Scenario) -> String {
    let mut s = s.clone();
    s.path = None;
    hex(&Sha256::digest(format!("{s:?}").as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The accumulated statistics of a shard (and, for the first trials, the kept sample).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartState {
    /// Of a run.
    Run(Box<RunState>),
    /// Of a comparison.
    Compare(CompareState),
    /// Of a sweep.
    Sweep(SweepState),
}

impl PartState {
    /// The trials covered and the run's total.
    fn covers(&self) -> Option<([u64; 2], u64)> {
        match self {
            PartState::Run(r) => Some((r.range, r.trials)),
            PartState::Compare(c) => c.options.first().map(|o| (o.range, o.trials)),
            PartState::Sweep(s) => Some((s.range, s.points)),
        }
    }
}

/// One shard's result.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Part {
    /// Where it came from.
    pub provenance: Provenance,
    /// Its statistics.
    pub state: PartState,
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    part_version: u32,
    /// SHA-256 of `body` as written.
    checksum: String,
    body: &'a RawValue,
}

#[derive(Deserialize)]
struct FileIn<'a> {
    format: String,
    part_version: u32,
    checksum: String,
    #[serde(borrow)]
    body: &'a RawValue,
}

/// What is wrong with a part file or a set of them.
#[derive(Debug, thiserror::Error)]
pub enum PartError {
    /// Not a part file at all.
    #[error("{0}: not a payback part file")]
    NotAPart(String),
    /// Another layout version.
    #[error("{path}: part file version {found}; this payback reads version {PART_VERSION}")]
    Version {
        /// File.
        path: String,
        /// Its version.
        found: u32,
    },
    /// Damaged.
    #[error("{0}: checksum mismatch: the file is damaged or was edited (run its shard again)")]
    Checksum(String),
    /// Unreadable body.
    #[error("{path}: damaged part: {message}")]
    Damaged {
        /// File.
        path: String,
        /// What.
        message: String,
    },
    /// Parts of different runs.
    #[error(
        "{first} and {other} are parts of different runs: they differ in {what} ({first_value} vs {other_value})"
    )]
    Mismatch {
        /// What differs.
        what: &'static str,
        /// The first file.
        first: String,
        /// Its value.
        first_value: String,
        /// The other file.
        other: String,
        /// Its value.
        other_value: String,
    },
    /// The same shard twice.
    #[error("shard {shard} is given twice: {first} and {other}")]
    Duplicate {
        /// Which shard.
        shard: Shard,
        /// One file.
        first: String,
        /// The other.
        other: String,
    },
    /// Shards missing.
    #[error("{missing} of {count} shards missing: {list} (run them, then merge all {count} parts)")]
    Missing {
        /// How many are missing.
        missing: usize,
        /// K.
        count: u64,
        /// Their indexes.
        list: String,
    },
    /// No parts.
    #[error("no part files given")]
    Empty,
}

/// The bytes of a part file.
///
/// # Errors
/// Only if serialisation fails (it does not for these types).
pub fn encode(part: &Part) -> Result<Vec<u8>, serde_json::Error> {
    let body = serde_json::to_string(part)?;
    let checksum = hex(&Sha256::digest(body.as_bytes()));
    let body = RawValue::from_string(body)?;
    serde_json::to_vec(&FileOut {
        format: PART_FORMAT,
        part_version: PART_VERSION,
        checksum,
        body: &body,
    })
}

/// Read a part file's bytes (`path` names it in errors). The state is not yet checked
/// against a plan: see [`check_set`] and [`merge_run`].
///
/// # Errors
/// Not a part, another version, a checksum mismatch or a damaged body.
pub fn decode(bytes: &[u8], path: &str) -> Result<Part, PartError> {
    let file: FileIn = serde_json::from_slice(bytes).map_err(|e| {
        let ours = bytes.starts_with(format!("{{\"format\":\"{PART_FORMAT}\"").as_bytes());
        if ours && e.is_eof() {
            PartError::Damaged {
                path: path.to_string(),
                message: "the file is damaged or cut short (run its shard again)".into(),
            }
        } else {
            PartError::NotAPart(path.to_string())
        }
    })?;
    if file.format != PART_FORMAT {
        return Err(PartError::NotAPart(path.to_string()));
    }
    if file.part_version != PART_VERSION {
        return Err(PartError::Version {
            path: path.to_string(),
            found: file.part_version,
        });
    }
    if hex(&Sha256::digest(file.body.get().as_bytes())) != file.checksum {
        return Err(PartError::Checksum(path.to_string()));
    }
    serde_json::from_str(file.body.get()).map_err(|e| PartError::Damaged {
        path: path.to_string(),
        message: e.to_string(),
    })
}

/// Check that `parts` (file name, part) are the K shards of one run, each once, and
/// return them in trial order.
///
/// # Errors
/// The first difference found, a shard given twice, or the list of missing shards.
pub fn check_set(mut parts: Vec<(String, Part)>) -> Result<Vec<(String, Part)>, PartError> {
    let Some((first_path, first)) = parts.first() else {
        return Err(PartError::Empty);
    };
    let p0 = first.provenance.clone();
    let first_path = first_path.clone();
    for (path, part) in &parts[1..] {
        let p = &part.provenance;
        let same_text = p0
            .scenarios
            .iter()
            .map(|s| &s.text)
            .eq(p.scenarios.iter().map(|s| &s.text));
        let scenario = if same_text {
            "scenario (same file text, but a data file it reads differs)"
        } else {
            "scenario (its file was edited between shards, or it is another file)"
        };
        // The most specific difference first: an override or a seed changes the model too.
        let differs: [(&'static str, String, String); 9] = [
            ("program version", p0.program.clone(), p.program.clone()),
            ("command", p0.command.name().into(), p.command.name().into()),
            ("seed", p0.seed.to_string(), p.seed.to_string()),
            (
                "sampling",
                p0.sampling.name().into(),
                p.sampling.name().into(),
            ),
            ("trials", p0.trials.to_string(), p.trials.to_string()),
            (
                "shard count",
                p0.shard.count.to_string(),
                p.shard.count.to_string(),
            ),
            ("sweep", format!("{:?}", p0.sweep), format!("{:?}", p.sweep)),
            (
                "overrides",
                format!("{:?}", p0.overrides),
                format!("{:?}", p.overrides),
            ),
            (scenario, models(&p0.scenarios), models(&p.scenarios)),
        ];
        if let Some((what, a, b)) = differs.into_iter().find(|(_, a, b)| a != b) {
            return Err(PartError::Mismatch {
                what,
                first: first_path,
                first_value: a,
                other: path.clone(),
                other_value: b,
            });
        }
    }
    for (path, part) in &parts {
        let sh = part.provenance.shard;
        if sh.count == 0 || sh.index >= sh.count || sh.count > MAX_SHARDS {
            return Err(PartError::Damaged {
                path: path.clone(),
                message: format!("its shard {sh} is not a shard"),
            });
        }
    }
    parts.sort_by_key(|(_, p)| p.provenance.shard.index);
    for w in parts.windows(2) {
        if w[0].1.provenance.shard == w[1].1.provenance.shard {
            return Err(PartError::Duplicate {
                shard: w[0].1.provenance.shard,
                first: w[0].0.clone(),
                other: w[1].0.clone(),
            });
        }
    }
    let k = p0.shard.count;
    if parts.len() as u64 != k {
        let have: std::collections::BTreeSet<u64> = parts
            .iter()
            .map(|(_, p)| p.provenance.shard.index)
            .collect();
        let missing: Vec<u64> = (0..k).filter(|i| !have.contains(i)).collect();
        let mut list: Vec<String> = missing.iter().take(20).map(u64::to_string).collect();
        if missing.len() > 20 {
            list.push(format!("… ({} more)", missing.len() - 20));
        }
        return Err(PartError::Missing {
            missing: missing.len(),
            count: k,
            list: list.join(", "),
        });
    }
    for (path, part) in &parts {
        let p = &part.provenance;
        let (want, total) = p.shard.share(p);
        let ok = p.range == [want.start, want.end] && part.state.covers() == Some((p.range, total));
        if !ok {
            return Err(PartError::Damaged {
                path: path.clone(),
                message: format!(
                    "shard {} of {total} should cover {}..{}, the part covers {}..{}",
                    p.shard, want.start, want.end, p.range[0], p.range[1]
                ),
            });
        }
    }
    Ok(parts)
}

fn models(list: &[ScenarioSource]) -> String {
    let one = |s: &ScenarioSource| {
        let sha = &s.model_sha256;
        format!("{} (model {})", s.name, sha.get(..12).unwrap_or(sha))
    };
    list.iter().map(one).collect::<Vec<_>>().join(", ")
}

/// Merge the checked parts of one run of `plan` (in trial order, from [`check_set`]) into
/// the state of the whole run.
///
/// # Errors
/// A part whose state does not fit the plan, named by its file.
pub fn merge_run(
    plan: &Plan,
    parts: Vec<(String, Part)>,
    threads: Option<usize>,
) -> Result<RunState, PartError> {
    let mut states = Vec::with_capacity(parts.len());
    for (path, part) in parts {
        let checked = match part.state {
            PartState::Run(st) => st.check(plan).map(|()| *st),
            _ => Err("it is not a part of a run".into()),
        };
        states.push(checked.map_err(|message| PartError::Damaged { path, message })?);
    }
    Ok(RunState::merge_in_order(plan, states, threads))
}

/// Merge the checked parts of one comparison of `plans` (in trial order) into the state of
/// the whole comparison.
///
/// # Errors
/// A part whose state does not fit the plans, named by its file.
pub fn merge_compare(
    plans: &[Plan],
    parts: Vec<(String, Part)>,
    threads: Option<usize>,
) -> Result<CompareState, PartError> {
    let mut states = Vec::with_capacity(parts.len());
    for (path, part) in parts {
        let checked = match part.state {
            PartState::Compare(st) => st.check(plans).map(|()| st),
            _ => Err("it is not a part of a comparison".into()),
        };
        states.push(checked.map_err(|message| PartError::Damaged { path, message })?);
    }
    Ok(CompareState::merge_in_order(plans, states, threads))
}

/// The evaluated grid points of a sweep's checked parts, by scenario fingerprint.
///
/// # Errors
/// A part that is not a sweep's or does not hold one summary per point of its range.
pub fn merge_sweep(
    parts: Vec<(String, Part)>,
) -> Result<std::collections::HashMap<String, Summary>, PartError> {
    let mut points = std::collections::HashMap::new();
    for (path, part) in parts {
        let message = match part.state {
            PartState::Sweep(st) if st.summaries.len() as u64 == st.range[1] - st.range[0] => {
                points.extend(st.summaries);
                continue;
            }
            PartState::Sweep(_) => "it does not hold one summary per grid point of its range",
            _ => "it is not a part of a sweep",
        };
        return Err(PartError::Damaged {
            path,
            message: message.into(),
        });
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_the_run_in_aligned_contiguous_ranges() {
        for n in [1u64, 255, 256, 257, 10_000, 1_000_003, 10_000_000] {
            for k in [1u64, 2, 3, 4, 7, 16, 64] {
                let mut next = 0;
                for i in 0..k {
                    let r = Shard { index: i, count: k }.range(n);
                    assert_eq!(r.start, next, "n={n} k={k} i={i}");
                    assert!(r.start.is_multiple_of(LANES as u64));
                    assert!(r.end >= r.start);
                    next = r.end;
                }
                assert_eq!(next, n);
            }
        }
    }

    #[test]
    fn shard_syntax() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        assert!("4/4".parse::<Shard>().unwrap_err().contains("from 0 to 3"));
        assert!("1/0".parse::<Shard>().is_err());
        assert!("a/4".parse::<Shard>().is_err());
        assert!("3".parse::<Shard>().unwrap_err().contains("I/K"));
    }
}
