//! Value of information for the decision "deploy if E[NPV] > 0" (docs/MODEL.md): EVPI =
//! E[max(NPV, 0)] − max(E[NPV], 0), and each input's partial EVPI by sorting the trials on
//! the input, cutting them into equal-count bins and taking
//! E_bins[max(E[NPV | bin], 0)] − max(E[NPV], 0).

use serde::Serialize;

/// One input's partial EVPI.
#[derive(Clone, Debug, Serialize)]
pub struct VoiRow {
    /// Input.
    pub input: String,
    /// Expected value of perfect information about this input alone (currency).
    pub evppi: f64,
}

/// The value of information.
#[derive(Clone, Debug, Serialize)]
pub struct Voi {
    /// E[NPV].
    pub expected_npv: f64,
    /// EVPI (currency).
    pub evpi: f64,
    /// Bins used for partial EVPI.
    pub bins: usize,
    /// Inputs, largest EVPPI first.
    pub inputs: Vec<VoiRow>,
}

/// Number of bins for n trials: about √n / 4, between 10 and 100 (≥ 250 trials a bin at
/// 100,000 trials keeps the conditional means' noise, which biases EVPPI upward, small).
pub fn bins_for(n: usize) -> usize {
    (((n as f64).sqrt() / 4.0) as usize)
        .clamp(10, 100)
        .min(n.max(1))
}

/// EVPI and partial EVPIs from per-trial NPV and input draws.
pub fn voi(names: &[String], inputs: &[&[f64]], npv: &[f64]) -> Voi {
    let n = npv.len().max(1);
    let mean = npv.iter().sum::<f64>() / n as f64;
    let evpi = npv.iter().map(|x| x.max(0.0)).sum::<f64>() / n as f64 - mean.max(0.0);
    let bins = bins_for(npv.len());
    let mut rows: Vec<VoiRow> = names
        .iter()
        .zip(inputs)
        .map(|(name, x)| {
            let mut idx: Vec<usize> = (0..npv.len()).collect();
            idx.sort_by(|a, b| x[*a].total_cmp(&x[*b]).then(a.cmp(b)));
            let mut acc = 0.0;
            for b in 0..bins {
                let (lo, hi) = (b * npv.len() / bins, (b + 1) * npv.len() / bins);
                if hi > lo {
                    let m = idx[lo..hi].iter().map(|i| npv[*i]).sum::<f64>() / (hi - lo) as f64;
                    acc += m.max(0.0) * (hi - lo) as f64;
                }
            }
            VoiRow {
                input: name.clone(),
                evppi: (acc / n as f64 - mean.max(0.0)).max(0.0),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.evppi
            .total_cmp(&a.evppi)
            .then_with(|| a.input.cmp(&b.input))
    });
    Voi {
        expected_npv: mean,
        evpi,
        bins,
        inputs: rows,
    }
}
