//! `--xlsx FILE`: the Excel workbook of `run`, `compare`, `sweep`, `sensitivity` and
//! `report`. The path is checked with every other option, before anything runs; the
//! workbook is built from the command's results (see [`crate::workbook`]) and written
//! atomically (a temporary file in the same folder, then a rename).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::Args;

use crate::cli::CliError;
use crate::cli::outdir::{Inputs, check_output_file, write_unless_cancelled};
use crate::format::NumberStyle;
use crate::scenario::Scenario;
use crate::simulate::RunResult;
use crate::workbook::{RunBook, WorkbookError};

/// The workbook option of commands that simulate.
#[derive(Debug, Args, Clone, Default)]
pub struct XlsxArgs {
    /// Also write an Excel workbook to FILE (.xlsx): formatted tables and native charts
    /// that reference the sheets' cells (money in the --number-style).
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
}

/// The workbook options of `run` and `report`.
#[derive(Debug, Args, Clone, Default)]
pub struct XlsxRunArgs {
    /// The workbook file.
    #[command(flatten)]
    pub file: XlsxArgs,
    /// With --xlsx: add a Trials sheet with the inputs and outputs of the first 100,000
    /// trials, to filter and pivot.
    #[arg(long)]
    pub xlsx_trials: bool,
}

impl XlsxRunArgs {
    /// Check the options and the file (see [`XlsxArgs::check`]).
    ///
    /// # Errors
    /// [`CliError::Usage`] for `--xlsx-trials` without `--xlsx`, and as
    /// [`XlsxArgs::check`].
    pub fn check(&self, inputs: &Inputs) -> Result<(), CliError> {
        if self.xlsx_trials && self.file.xlsx.is_none() {
            return Err(CliError::Usage("--xlsx-trials needs --xlsx FILE".into()));
        }
        self.file.check(inputs)
    }
}

impl XlsxRunArgs {
    /// Build the workbook of a run, if asked for (see [`XlsxArgs::build`]).
    ///
    /// # Errors
    /// [`CliError::Output`] when the workbook cannot be built.
    pub fn build_run(
        &self,
        s: &Scenario,
        result: &RunResult,
        style: NumberStyle,
    ) -> Result<Option<(PathBuf, Vec<u8>)>, CliError> {
        self.file.build(|| {
            crate::workbook::run_workbook(&RunBook {
                scenario: s,
                result,
                style,
                trials_sheet: self.xlsx_trials,
            })
        })
    }
}

impl XlsxArgs {
    /// Check `--xlsx FILE` before the run: an `.xlsx` name, in a folder that exists and can
    /// be written, and not one of the run's inputs.
    ///
    /// # Errors
    /// [`CliError::Usage`] or [`CliError::Output`] naming the file.
    pub fn check(&self, inputs: &Inputs) -> Result<(), CliError> {
        let Some(path) = &self.xlsx else {
            return Ok(());
        };
        let xlsx = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if !xlsx {
            return Err(CliError::Usage(format!(
                "--xlsx {}: give a file name ending in .xlsx (Excel opens a workbook by its extension)",
                path.display()
            )));
        }
        check_output_file("--xlsx", path)?;
        inputs.check_file("--xlsx", path)
    }

    /// Build the workbook, if asked for: its bytes and the path to write them to. Call it
    /// before other outputs are committed, so that a workbook that cannot be built leaves
    /// nothing behind.
    ///
    /// # Errors
    /// [`CliError::Output`] when the workbook cannot be built.
    pub fn build(
        &self,
        build: impl FnOnce() -> Result<Vec<u8>, WorkbookError>,
    ) -> Result<Option<(PathBuf, Vec<u8>)>, CliError> {
        let Some(path) = &self.xlsx else {
            return Ok(None);
        };
        let bytes =
            build().map_err(|e| CliError::Output(format!("--xlsx {}: {e}", path.display())))?;
        Ok(Some((path.clone(), bytes)))
    }
}

/// Write a built workbook atomically, unless the command was interrupted.
///
/// # Errors
/// As [`write_unless_cancelled`].
pub fn write(built: Option<(PathBuf, Vec<u8>)>, cancel: &AtomicBool) -> Result<(), CliError> {
    match built {
        Some((path, bytes)) => write_unless_cancelled(&path, &bytes, cancel),
        None => Ok(()),
    }
}
