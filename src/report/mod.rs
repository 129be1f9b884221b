//! Output formats: the terminal table, JSON, CSV files, and atomic file writes.

pub mod atomic;
pub mod choice;
pub mod decision;
pub mod drivers;
pub mod figures;
pub mod html;
pub mod sections;
pub mod terminal;

use crate::accum::Metric;
use std::io::Write;

use crate::simulate::Fan;
use crate::summary::Summary;

/// Pretty JSON of the summary.
pub fn summary_json(s: &Summary) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(s).unwrap_or_default();
    v.push(b'\n');
    v
}

/// `cashflow.csv`: per month, percentiles of cumulative net cash flow.
pub fn cashflow_csv(fan: &Fan) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["month", "p5", "p25", "p50", "p75", "p95"]);
    for i in 0..fan.months.len() {
        let _ = w.write_record([
            fan.months[i].to_string(),
            fan.p5[i].to_string(),
            fan.p25[i].to_string(),
            fan.p50[i].to_string(),
            fan.p75[i].to_string(),
            fan.p95[i].to_string(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// The metrics of a `trials.csv` row, in column order (headers are their keys).
pub const TRIAL_COLUMNS: [Metric; 5] = [
    Metric::Payback,
    Metric::DiscountedPayback,
    Metric::Npv,
    Metric::Roi,
    Metric::Tco,
];

/// Write one `trials.csv` row: trial, inputs, then the [`TRIAL_COLUMNS`] (a value that is
/// not finite — a censored payback, an undefined ROI — is empty), then the net cash flow
/// of each month 0..=H.
pub fn trial_row(
    w: &mut dyn Write,
    trial: u64,
    inputs: &[f64],
    outputs: [f64; TRIAL_COLUMNS.len()],
    flows: &[f64],
) -> std::io::Result<()> {
    let mut line = String::with_capacity(256 + 24 * flows.len());
    use std::fmt::Write as _;
    let _ = write!(line, "{trial}");
    for x in inputs {
        let _ = write!(line, ",{x}");
    }
    let opt = |x: f64| {
        if x.is_finite() {
            x.to_string()
        } else {
            String::new()
        }
    };
    for x in outputs {
        let _ = write!(line, ",{}", opt(x));
    }
    for f in flows {
        let _ = write!(line, ",{f}");
    }
    line.push('\n');
    w.write_all(line.as_bytes())
}
