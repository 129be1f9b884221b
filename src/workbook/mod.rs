//! Excel workbooks (`--xlsx FILE`) of a run, a comparison, a sweep and a sensitivity
//! analysis, written with `rust_xlsxwriter`: formatted tables (thousands separators,
//! percentages, 万 when asked) with frozen headers, and native Excel charts that reference
//! the sheets' own cells, so a reader can re-cut, restyle and paste them.
//!
//! Each sheet kind has its own file; every function here takes the library's result types
//! ([`RunResult`], [`Comparison`], [`SweepResult`], [`SensitivityReport`]) and returns the
//! workbook's bytes. Writing the file (atomically) is the caller's.

pub mod assumptions;
pub mod bins;
pub mod cashflow;
pub mod compare;
pub mod histogram;
pub mod line_items;
pub mod npv;
pub mod payback;
pub mod sensitivity;
pub mod sheet;
pub mod summary;
pub mod sweep;
pub mod tco;
pub mod trials;

use rust_xlsxwriter::{DocProperties, Workbook, Worksheet, XlsxError};

use crate::compare::Comparison;
use crate::format::NumberStyle;
use crate::scenario::Scenario;
use crate::sensitivity::SensitivityReport;
use crate::simulate::RunResult;
use crate::sweep::SweepResult;
pub use sheet::{Cell, Kind, Sheet, Styles};

/// A workbook could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the workbook: {0}")]
pub struct WorkbookError(#[from] XlsxError);

/// Rows of the Trials sheet at most (the run's kept sample).
pub const TRIAL_ROWS: u64 = crate::simulate::SAMPLE;

/// What a run's workbook is made from.
pub struct RunBook<'a> {
    /// The scenario as run (after `--set` and `--horizon`).
    pub scenario: &'a Scenario,
    /// The run.
    pub result: &'a RunResult,
    /// How money is written.
    pub style: NumberStyle,
    /// Add the Trials sheet (the first [`TRIAL_ROWS`] trials' inputs and outputs).
    pub trials_sheet: bool,
}

fn new_workbook(title: &str) -> Workbook {
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title(title)
        .set_comment(format!("payback {}", env!("CARGO_PKG_VERSION")));
    wb.set_properties(&props);
    wb
}

fn finish(mut wb: Workbook, sheets: Vec<Worksheet>) -> Result<Vec<u8>, WorkbookError> {
    for ws in sheets {
        wb.push_worksheet(ws);
    }
    Ok(wb.save_to_buffer()?)
}

/// The sheets of a run: Summary, Payback, NPV, TCO, Cash flow, Assumptions, Line items and
/// (opt-in) Trials.
fn run_sheets(b: &RunBook, st: &Styles, wb: &mut Workbook) -> Result<Vec<Worksheet>, XlsxError> {
    let mut sheets = vec![
        summary::run_sheet(b, st)?,
        payback::sheet(b.result, st)?,
        npv::sheet(b.result, st)?,
        tco::sheet(b.scenario, &b.result.summary, st)?,
        cashflow::sheet(b.result, st)?,
        assumptions::sheet(b.scenario, st)?,
        line_items::sheet(b.scenario, st)?,
    ];
    if b.trials_sheet {
        // Written row by row to a temporary file: 100,000 rows stay out of memory.
        let ws = wb.new_worksheet_with_constant_memory()?;
        sheets.push(trials::sheet(ws, b.scenario, b.result, st)?);
    }
    Ok(sheets)
}

/// The workbook of `payback run`.
///
/// # Errors
/// [`WorkbookError`] when the writer refuses the content.
pub fn run_workbook(b: &RunBook) -> Result<Vec<u8>, WorkbookError> {
    let st = Styles::new(b.style);
    let mut wb = new_workbook(&b.result.summary.scenario);
    let sheets = run_sheets(b, &st, &mut wb)?;
    finish(wb, sheets)
}

/// The workbook of `payback report`: the run's sheets, then the sensitivity analysis the
/// report carries and, with several options, the comparison.
///
/// # Errors
/// [`WorkbookError`] when the writer refuses the content.
pub fn report_workbook(
    b: &RunBook,
    sens: Option<&SensitivityReport>,
    cmp: Option<&Comparison>,
) -> Result<Vec<u8>, WorkbookError> {
    let st = Styles::new(b.style);
    let mut wb = new_workbook(&b.result.summary.scenario);
    let mut sheets = run_sheets(b, &st, &mut wb)?;
    if let Some(rep) = sens {
        sheets.extend(sensitivity::sheets(rep, &st)?);
    }
    if let Some(c) = cmp {
        sheets.extend(compare::sheets(c, &st, false)?);
    }
    finish(wb, sheets)
}

/// The workbook of `payback compare`.
///
/// # Errors
/// [`WorkbookError`] when the writer refuses the content.
pub fn compare_workbook(c: &Comparison, style: NumberStyle) -> Result<Vec<u8>, WorkbookError> {
    let st = Styles::new(style);
    let sheets = compare::sheets(c, &st, true)?;
    finish(new_workbook("Comparison of options"), sheets)
}

/// The workbook of `payback sweep`.
///
/// # Errors
/// [`WorkbookError`] when the writer refuses the content.
pub fn sweep_workbook(r: &SweepResult, style: NumberStyle) -> Result<Vec<u8>, WorkbookError> {
    let st = Styles::new(style);
    let sheets = sweep::sheets(r, &st)?;
    finish(new_workbook("Sweep"), sheets)
}

/// The workbook of `payback sensitivity`.
///
/// # Errors
/// [`WorkbookError`] when the writer refuses the content.
pub fn sensitivity_workbook(
    rep: &SensitivityReport,
    style: NumberStyle,
) -> Result<Vec<u8>, WorkbookError> {
    let st = Styles::new(style);
    let mut sheets = vec![sensitivity::summary_sheet(rep, &st)?];
    sheets.extend(sensitivity::sheets(rep, &st)?);
    finish(new_workbook(&rep.scenario), sheets)
}
