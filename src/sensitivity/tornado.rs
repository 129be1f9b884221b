//! One-at-a-time swings (docs/MODEL.md "Tornado"): every input at its point value; each
//! uncertain input in turn at its low and high percentile; sorted by swing.

use serde::Serialize;

use super::{Output, Rows, evaluate};
use crate::engine::{RunError, RunOptions};
use crate::model::Plan;
use crate::scenario::Scenario;

/// One bar.
#[derive(Clone, Debug, Serialize)]
pub struct TornadoRow {
    /// Input name.
    pub input: String,
    /// Input value at the low percentile.
    pub low_value: f64,
    /// Input value at the high percentile.
    pub high_value: f64,
    /// Output with the input low (None: payback beyond the horizon).
    pub output_low: Option<f64>,
    /// Output with the input high.
    pub output_high: Option<f64>,
    /// |output_high − output_low|, with a censored payback counted as the horizon.
    pub swing: f64,
}

/// The tornado.
#[derive(Clone, Debug, Serialize)]
pub struct Tornado {
    /// Low percentile (0..1).
    pub low: f64,
    /// High percentile.
    pub high: f64,
    /// Output at the base case (None: payback beyond the horizon).
    pub base: Option<f64>,
    /// Rows sorted by swing, widest first.
    pub rows: Vec<TornadoRow>,
}

fn opt(x: f64) -> Option<f64> {
    if x.is_finite() { Some(x) } else { None }
}

/// Compute the tornado.
pub fn tornado(
    s: &Scenario,
    output: Output,
    low: f64,
    high: f64,
    opts: &RunOptions,
) -> Result<Tornado, RunError> {
    let plan = Plan::compile_with(s, &vec![None; s.inputs.len()]);
    let base = s.point_values();
    let unc = s.uncertain_inputs();
    let mut rows = vec![base.clone()];
    for &i in &unc {
        for p in [low, high] {
            let mut r = base.clone();
            r[i] = s.inputs[i].quantile(p);
            rows.push(r);
        }
    }
    let n = rows.len() as u64;
    let out = evaluate(&plan, &Rows { rows }, n, output, opts)?;
    let h = s.horizon as f64;
    let cap = |x: f64| if x.is_finite() { x } else { h };
    let mut result: Vec<TornadoRow> = unc
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let (lo, hi) = (out[1 + 2 * k], out[2 + 2 * k]);
            TornadoRow {
                input: s.inputs[i].name.clone(),
                low_value: s.inputs[i].quantile(low),
                high_value: s.inputs[i].quantile(high),
                output_low: opt(lo),
                output_high: opt(hi),
                swing: if output == Output::Payback {
                    (cap(hi) - cap(lo)).abs()
                } else {
                    (hi - lo).abs()
                },
            }
        })
        .collect();
    result.sort_by(|a, b| {
        b.swing
            .total_cmp(&a.swing)
            .then_with(|| a.input.cmp(&b.input))
    });
    Ok(Tornado {
        low,
        high,
        base: opt(out[0]),
        rows: result,
    })
}
