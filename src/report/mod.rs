//! Output formats: the terminal table, JSON, CSV files (the trials export too), and atomic
//! file writes.

pub mod atomic;
pub mod choice;
pub mod decision;
pub mod drivers;
pub mod figures;
pub mod html;
pub mod sections;
pub mod terminal;
pub mod trials;

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
