//! Counts of the trials behind the reported probabilities: payback (simple and discounted)
//! within 12 months, within 24 months and within the horizon, and NPV below 0. Integer
//! sums: they merge in any order.

use serde::{Deserialize, Serialize};

use crate::engine::BatchOut;

/// Threshold counts over some trials.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Counts {
    /// Trials counted.
    pub n: u64,
    /// Payback ≤ 12, ≤ 24, within the horizon (finite).
    pub pb: [u64; 3],
    /// The same for the discounted payback.
    pub dpb: [u64; 3],
    /// NPV < 0.
    pub npv_neg: u64,
}

impl Counts {
    /// Count lanes `lanes` of a batch.
    pub fn add(&mut self, b: &BatchOut, lanes: std::ops::Range<usize>) {
        for l in lanes {
            let (p, d) = (b.payback[l], b.dpayback[l]);
            self.n += 1;
            self.pb[0] += u64::from(p <= 12.0);
            self.pb[1] += u64::from(p <= 24.0);
            self.pb[2] += u64::from(p.is_finite());
            self.dpb[0] += u64::from(d <= 12.0);
            self.dpb[1] += u64::from(d <= 24.0);
            self.dpb[2] += u64::from(d.is_finite());
            self.npv_neg += u64::from(b.npv[l] < 0.0);
        }
    }

    /// Add the counts of other trials.
    pub fn merge(&mut self, o: &Counts) {
        self.n += o.n;
        for i in 0..3 {
            self.pb[i] += o.pb[i];
            self.dpb[i] += o.dpb[i];
        }
        self.npv_neg += o.npv_neg;
    }
}
