//! `trials.csv`: every trial of a run, one row each (trial, inputs, the
//! [`TRIAL_COLUMNS`], then the net cash flow of each month), streamed by re-running the
//! run's keyed trials in chunks so that memory stays bounded whatever the trial count.

use std::io::Write;

use crate::accum::Metric;
use crate::engine::{self, BatchOut, RunOptions, Sink};
use crate::model::Plan;
use crate::scenario::Scenario;
use crate::simulate::{RunSpec, SimulateError, spec};

/// The metrics of a `trials.csv` row, in column order (headers are their keys).
pub const TRIAL_COLUMNS: [Metric; 5] = [
    Metric::Payback,
    Metric::DiscountedPayback,
    Metric::Npv,
    Metric::Roi,
    Metric::Tco,
];

/// Why the trials could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TrialsError {
    /// Writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The run could not be made again.
    #[error(transparent)]
    Simulate(#[from] SimulateError),
}

/// Write `trials.csv` of the run `spec` describes, run with `trials` trials (the run's
/// final count), to `w`: the header, then every trial in order.
///
/// # Errors
/// [`TrialsError::Io`] from `w`, or [`TrialsError::Simulate`] when the run stops.
pub fn write_trials(
    w: &mut dyn Write,
    s: &Scenario,
    plan: &Plan,
    spec: &RunSpec,
    trials: u64,
) -> Result<(), TrialsError> {
    let source = spec::source(s, spec, trials)?;
    w.write_all(header(s, plan).as_bytes())?;
    let chunk = 64 * engine::BLOCK;
    let mut start = 0;
    while start < trials {
        let end = (start + chunk).min(trials);
        let opts = RunOptions {
            threads: spec.threads,
            record_paths_below: u64::MAX,
            cancel: spec.cancel,
            progress: None,
            ..RunOptions::default()
        };
        let sinks = engine::run(plan, source.as_ref(), start..end, &opts, |_| RowSink {
            buf: Vec::new(),
        })
        .map_err(SimulateError::from)?;
        for sk in sinks {
            w.write_all(&sk.buf)?;
        }
        start = end;
    }
    Ok(())
}

/// The header line: `trial`, the inputs, the metric keys, `cf_0` … `cf_H`.
fn header(s: &Scenario, plan: &Plan) -> String {
    let mut header = String::from("trial");
    for i in &s.inputs {
        header.push(',');
        header.push_str(&csv_field(&i.name));
    }
    for m in TRIAL_COLUMNS {
        header.push(',');
        header.push_str(m.key());
    }
    for t in 0..=plan.horizon {
        header.push_str(&format!(",cf_{t}"));
    }
    header.push('\n');
    header
}

/// Write one `trials.csv` row: trial, inputs, then the [`TRIAL_COLUMNS`] (a value that is
/// not finite — a censored payback, an undefined ROI — is empty), then the net cash flow
/// of each month 0..=H.
pub fn trial_row(
    w: &mut Vec<u8>,
    trial: u64,
    inputs: &[f64],
    outputs: [f64; TRIAL_COLUMNS.len()],
    flows: &[f64],
) {
    // Writing into a Vec<u8> cannot fail.
    let _ = write!(w, "{trial}");
    for x in inputs {
        let _ = write!(w, ",{x}");
    }
    for x in outputs {
        if x.is_finite() {
            let _ = write!(w, ",{x}");
        } else {
            w.push(b',');
        }
    }
    for f in flows {
        let _ = write!(w, ",{f}");
    }
    w.push(b'\n');
}

/// Buffers the CSV rows of one block.
struct RowSink {
    buf: Vec<u8>,
}

impl Sink for RowSink {
    fn absorb(&mut self, b: &BatchOut) {
        let mut inputs = vec![0.0; b.inputs.len()];
        let mut flows = vec![0.0; b.paths.len()];
        for l in 0..b.len {
            for (i, v) in inputs.iter_mut().enumerate() {
                *v = b.inputs[i][l];
            }
            // Net cash flow per month from the cumulative path.
            let mut prev = 0.0;
            for (t, f) in flows.iter_mut().enumerate() {
                let c = b.paths[t][l];
                *f = c - prev;
                prev = c;
            }
            trial_row(
                &mut self.buf,
                b.start + l as u64,
                &inputs,
                TRIAL_COLUMNS.map(|m| m.col(b)[l]),
                &flows,
            );
        }
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
