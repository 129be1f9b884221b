//! Output safety: the `--out DIR` of every command is written as one set, and no output
//! path may be an input.
//!
//! - [`OutDir`] stages every file of a run in a private directory inside DIR
//!   (`.payback-staging-…`), then moves the set into place and removes the files payback
//!   writes there ([`is_own_file`]) that this run did not write, so that DIR never mixes two
//!   runs. Files with other names are never touched. A run that fails or is interrupted
//!   removes its staging directory and any directory it created, leaving DIR as it was.
//! - [`Inputs`] lists the files a run reads (scenarios, empirical CSV files, the font) and
//!   refuses an output path that would replace one of them.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::cli::{CliError, write_file};
use crate::engine::RunError;
use crate::report::atomic;

/// Data files the commands write into `--out` (run, compare, sweep, sensitivity).
pub const DATA_FILES: &[&str] = &[
    // run
    "summary.json",
    "cashflow.csv",
    "trials.csv",
    // compare
    "compare.json",
    "compare.csv",
    "compare_pairs.csv",
    // sweep
    "sweep.json",
    "sweep.csv",
    // sensitivity
    "sensitivity.json",
    "tornado.csv",
    "rank.csv",
    "sobol.csv",
    "voi.csv",
    "spider.csv",
    "target.csv",
    // fit
    "fit.json",
];

/// Chart file stems (each written as `.png` and/or `.svg`).
pub const CHART_STEMS: &[&str] = &[
    // run
    "payback",
    "cashflow",
    "npv",
    "tco",
    // compare
    "compare_payback",
    "compare_npv",
    "compare_tco",
    // sensitivity
    "tornado",
    "rank",
    "sobol",
    "voi",
    "spider",
    "target_ks",
    "target_tornado",
    // fit
    "fit",
    // sweep of one scenario
    "sweep_payback",
    "sweep_npv",
    "sweep_heatmap",
    // sweep of several scenarios: the leading option over one or two parameters
    "sweep_best",
    "sweep_cheapest",
];

/// Sweep chart stems that, with several scenarios, end in `_KEY_stem` (see
/// [`crate::sweep_charts::charts`]).
pub const SWEEP_CHART_STEMS: &[&str] = &["sweep_payback", "sweep_npv", "sweep_heatmap"];

/// Chart file extensions.
pub const CHART_EXTENSIONS: &[&str] = &["png", "svg"];

/// Whether `name` is a file name that some payback command writes into `--out`.
pub fn is_own_file(name: &str) -> bool {
    if DATA_FILES.contains(&name) {
        return true;
    }
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    if !CHART_EXTENSIONS.contains(&ext) {
        return false;
    }
    CHART_STEMS.contains(&stem)
        || SWEEP_CHART_STEMS.iter().any(|s| {
            stem.strip_prefix(s)
                .and_then(|r| r.strip_prefix('_'))
                .is_some_and(is_option_suffix)
        })
}

/// `KEY_stem`: an option key (A, B, …, AA, …), `_`, and a non-empty sanitized stem.
fn is_option_suffix(r: &str) -> bool {
    let Some((key, stem)) = r.split_once('_') else {
        return false;
    };
    !key.is_empty()
        && key.chars().all(|c| c.is_ascii_uppercase())
        && !stem.is_empty()
        && stem
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// A run's `--out` directory: files are staged privately and published together by
/// [`OutDir::commit`]; dropped without a commit, it removes everything the run created.
#[derive(Debug)]
pub struct OutDir {
    dir: PathBuf,
    staging: Option<tempfile::TempDir>,
    /// Directories this run created, innermost first.
    created: Vec<PathBuf>,
    /// File names staged, in order.
    staged: Vec<String>,
}

impl crate::cli::OutputArgs {
    /// Before anything runs: the workbook options (`check_workbook`, given what the
    /// command reads, so that no output replaces an input), then the output folder of
    /// [`OutDir::for_command`]. `None` without `--out`.
    pub fn prepare(
        &self,
        scenarios: &[PathBuf],
        set: &[String],
        check_workbook: impl FnOnce(&Inputs) -> Result<(), CliError>,
    ) -> Result<Option<OutDir>, CliError> {
        check_workbook(&Inputs::of(
            scenarios,
            set,
            self.chart.style.font.as_deref(),
        ))?;
        OutDir::for_command(self.out.as_deref(), &self.chart, scenarios, set)
    }
}

impl OutDir {
    /// The output folder of a command that writes charts: every chart option checked, no
    /// output name that is one of the command's inputs (`scenarios`, files named by
    /// `--set`, the font), then the folder prepared — all before anything is simulated or
    /// written. `None` without `--out`.
    pub fn for_command(
        dir: Option<&Path>,
        chart: &crate::cli::ChartArgs,
        scenarios: &[PathBuf],
        set: &[String],
    ) -> Result<Option<OutDir>, CliError> {
        let Some(dir) = dir else {
            return Ok(None);
        };
        chart.check()?;
        Inputs::of(scenarios, set, chart.style.font.as_deref()).check_dir(dir)?;
        OutDir::prepare(dir).map(Some)
    }

    /// Create DIR (and its missing parents) if needed and a staging directory inside it.
    ///
    /// # Errors
    /// [`CliError::Output`] when DIR is not a directory or cannot be created or written.
    pub fn prepare(dir: &Path) -> Result<OutDir, CliError> {
        if dir.exists() && !dir.is_dir() {
            return Err(CliError::Output(format!(
                "--out {}: exists and is not a directory",
                dir.display()
            )));
        }
        let mut created = Vec::new();
        let mut p = Some(dir);
        while let Some(q) = p {
            if q.as_os_str().is_empty() || q.exists() {
                break;
            }
            created.push(q.to_path_buf());
            p = q.parent();
        }
        let mut out = OutDir {
            dir: dir.to_path_buf(),
            staging: None,
            created,
            staged: Vec::new(),
        };
        std::fs::create_dir_all(dir).map_err(|e| {
            CliError::Output(format!(
                "--out {}: cannot create the directory: {e}",
                dir.display()
            ))
        })?;
        let staging = tempfile::Builder::new()
            .prefix(".payback-staging-")
            .tempdir_in(dir)
            .map_err(|e| {
                CliError::Output(format!("--out {}: cannot write there: {e}", dir.display()))
            })?;
        out.staging = Some(staging);
        Ok(out)
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reserve `name` in this run's set and return where to write it (in the staging
    /// directory).
    pub fn stage(&mut self, name: &str) -> PathBuf {
        debug_assert!(is_own_file(name), "{name} is not in the list of own files");
        if !self.staged.iter().any(|n| n == name) {
            self.staged.push(name.to_string());
        }
        match &self.staging {
            Some(s) => s.path().join(name),
            None => self.dir.join(name),
        }
    }

    /// Write one file of the set.
    ///
    /// # Errors
    /// [`CliError::Output`] naming the file's final path.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), CliError> {
        let path = self.stage(name);
        atomic::write(&path, bytes).map_err(|e| self.write_error(name, e))
    }

    /// A write error naming the file's final path.
    pub fn write_error(&self, name: &str, e: std::io::Error) -> CliError {
        CliError::Output(format!(
            "{}: cannot write: {e}",
            self.dir.join(name).display()
        ))
    }

    /// Publish the set: move every staged file into DIR, then remove the files payback
    /// writes there that this run did not (saying which on stderr). Refused, leaving DIR
    /// as it was, when `cancel` is set.
    ///
    /// # Errors
    /// [`RunError::Interrupted`] when cancelled; [`CliError::Output`] when a file cannot be
    /// moved or removed.
    pub fn commit(mut self, cancel: &AtomicBool) -> Result<(), CliError> {
        if cancel.load(Ordering::SeqCst) {
            return Err(CliError::Run(RunError::Interrupted));
        }
        let Some(staging) = self.staging.take() else {
            return Ok(());
        };
        for name in &self.staged {
            let to = self.dir.join(name);
            std::fs::rename(staging.path().join(name), &to).map_err(|e| {
                CliError::Output(format!("{}: cannot move into place: {e}", to.display()))
            })?;
        }
        let mut removed: Vec<OsString> = Vec::new();
        let entries = std::fs::read_dir(&self.dir).map_err(|e| {
            CliError::Output(format!("--out {}: cannot list: {e}", self.dir.display()))
        })?;
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(n) = name.to_str() else { continue };
            let is_file = e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink());
            if is_file && is_own_file(n) && !self.staged.iter().any(|s| s == n) {
                std::fs::remove_file(e.path()).map_err(|err| {
                    CliError::Output(format!(
                        "{}: cannot remove this file of an earlier run: {err}",
                        e.path().display()
                    ))
                })?;
                removed.push(name);
            }
        }
        let _ = staging.close();
        self.created.clear();
        if !removed.is_empty() {
            removed.sort();
            let names: Vec<String> = removed
                .iter()
                .map(|n| n.to_string_lossy().into_owned())
                .collect();
            eprintln!(
                "note: removed from {} the files of an earlier run that this run does not write: {}",
                self.dir.display(),
                names.join(", ")
            );
        }
        Ok(())
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        if let Some(s) = self.staging.take() {
            let _ = s.close();
        }
        // Only empty directories go: a directory that gained other files stays.
        for d in &self.created {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
        }
    }
}

/// The files a run reads, to refuse an output path that would replace one of them.
#[derive(Debug, Default)]
pub struct Inputs {
    /// (as given, canonical path).
    files: Vec<(PathBuf, PathBuf)>,
}

impl Inputs {
    /// Scenario files with the empirical CSV files they name, the `--set` values' CSV files
    /// and the font.
    pub fn of(scenarios: &[PathBuf], set: &[String], font: Option<&Path>) -> Inputs {
        let mut i = Inputs::default();
        for s in scenarios {
            i.add(s);
            let base = s.parent().unwrap_or(Path::new(""));
            // A file too large to be a scenario is refused when loaded; it names no file.
            let small = std::fs::metadata(s)
                .is_ok_and(|m| m.is_file() && m.len() <= crate::scenario::MAX_FILE_BYTES);
            if small
                && let Ok(text) = std::fs::read_to_string(s)
                && let Ok(t) = text.parse::<toml::Table>()
            {
                for f in named_files(&toml::Value::Table(t)) {
                    i.add(&base.join(f));
                }
            }
        }
        for kv in set {
            if let Some((_, v)) = kv.split_once('=')
                && let Ok(t) = format!("v = {}", v.trim()).parse::<toml::Table>()
            {
                for f in named_files(&toml::Value::Table(t)) {
                    i.add(Path::new(&f));
                }
            }
        }
        if let Some(f) = font {
            i.add(f);
        }
        i
    }

    fn add(&mut self, p: &Path) {
        if let Ok(c) = p.canonicalize() {
            self.files.push((p.to_path_buf(), c));
        }
    }

    /// Refuse writing the file `out` (e.g. `-o report.html`) if it is an input.
    ///
    /// # Errors
    /// [`CliError::Usage`] naming both.
    pub fn check_file(&self, flag: &str, out: &Path) -> Result<(), CliError> {
        let mut targets = Vec::new();
        if let Ok(c) = out.canonicalize() {
            targets.push(c);
        }
        let parent = match out.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if let (Ok(d), Some(name)) = (parent.canonicalize(), out.file_name()) {
            targets.push(d.join(name));
        }
        for (given, c) in &self.files {
            if targets.contains(c) {
                return Err(CliError::Usage(format!(
                    "{flag} {}: refusing to overwrite {}, an input of this run; choose another output file",
                    out.display(),
                    given.display()
                )));
            }
        }
        Ok(())
    }

    /// Refuse `--out DIR` when an input sits in DIR under a name payback writes (or removes)
    /// there.
    ///
    /// # Errors
    /// [`CliError::Usage`] naming both.
    pub fn check_dir(&self, dir: &Path) -> Result<(), CliError> {
        let Ok(d) = dir.canonicalize() else {
            // A directory that does not exist yet holds no input.
            return Ok(());
        };
        for (given, c) in &self.files {
            let own = c
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_own_file);
            if own && c.parent() == Some(d.as_path()) {
                return Err(CliError::Usage(format!(
                    "--out {}: refusing to overwrite {}, an input of this run ({} is a file payback writes there); choose another --out directory",
                    dir.display(),
                    given.display(),
                    c.file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default()
                )));
            }
        }
        Ok(())
    }
}

/// Every string under a key named `file` (empirical inputs read CSV files so named).
fn named_files(v: &toml::Value) -> Vec<String> {
    let mut out = Vec::new();
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                match (k.as_str(), x) {
                    ("file", toml::Value::String(s)) => out.push(s.clone()),
                    _ => out.extend(named_files(x)),
                }
            }
        }
        toml::Value::Array(a) => {
            for x in a {
                out.extend(named_files(x));
            }
        }
        _ => {}
    }
    out
}

/// Check a single output file (`-o FILE`, `--xlsx FILE`) before a possibly long run: not
/// a directory, in a directory that exists and can be written.
///
/// # Errors
/// [`CliError::Usage`] for a directory; [`CliError::Output`] when the folder is missing
/// or cannot be written.
pub fn check_output_file(flag: &str, path: &Path) -> Result<(), CliError> {
    if path.is_dir() {
        return Err(CliError::Usage(format!(
            "{flag} {}: is a directory; give a file name",
            path.display()
        )));
    }
    // The file is replaced by a rename: a device, pipe or link in its place would be
    // replaced, not written through.
    if let Ok(m) = std::fs::symlink_metadata(path) {
        let what = if m.file_type().is_symlink() {
            Some("a symbolic link; give the file it points to")
        } else if !m.is_file() {
            Some("not a regular file (a device, pipe or socket); give a file name")
        } else {
            None
        };
        if let Some(what) = what {
            return Err(CliError::Usage(format!(
                "{flag} {}: is {what}",
                path.display()
            )));
        }
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(CliError::Output(format!(
            "{flag} {}: the directory {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    // Probe writability now, before a long run.
    tempfile::Builder::new()
        .prefix(".payback-probe-")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|e| {
            CliError::Output(format!(
                "{flag} {}: cannot write in {}: {e}",
                path.display(),
                dir.display()
            ))
        })
}

/// Write `bytes` to the single output file `path` (not in an [`OutDir`]) unless cancelled.
///
/// # Errors
/// [`RunError::Interrupted`] when cancelled; [`CliError::Output`] on failure.
pub fn write_unless_cancelled(
    path: &Path,
    bytes: &[u8],
    cancel: &AtomicBool,
) -> Result<(), CliError> {
    if cancel.load(Ordering::SeqCst) {
        return Err(CliError::Run(RunError::Interrupted));
    }
    write_file(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_files_are_known_and_others_are_not() {
        for n in [
            "summary.json",
            "trials.csv",
            "payback.png",
            "compare_tco.svg",
            "sweep_npv.png",
            "sweep_npv_A_s.svg",
            "sweep_heatmap_AB_licence-buyout.png",
            "sweep_best.svg",
            "sweep_cheapest.png",
        ] {
            assert!(is_own_file(n), "{n}");
        }
        for n in [
            "notes.txt",
            "trials.csv.bak",
            "summary.json~",
            "payback.jpg",
            "sweep_npv_notes.svg",
            "sweep_npv_A_.svg",
            "report.html",
            "s.toml",
        ] {
            assert!(!is_own_file(n), "{n}");
        }
    }
}
