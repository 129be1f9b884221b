//! Histogram bins for the workbook's tables and charts: right-closed bins `(from, to]`, so
//! the cumulative share at `to` is the share of values ≤ `to` (the first bin also holds its
//! lower edge).

/// One bin.
#[derive(Clone, Debug, PartialEq)]
pub struct Bin {
    /// Lower edge (excluded, except for the first bin).
    pub from: f64,
    /// Upper edge (included).
    pub to: f64,
    /// Values in the bin.
    pub count: u64,
}

/// A histogram of a sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Bins {
    /// The bins, in order.
    pub bins: Vec<Bin>,
    /// Values beyond the last bin (a payback that does not happen within the horizon).
    pub beyond: u64,
    /// All values counted (the bins, `beyond`; never NaN).
    pub total: u64,
}

impl Bins {
    /// Cumulative share of all values at each bin's upper edge.
    pub fn cumulative(&self) -> Vec<f64> {
        let n = self.total.max(1) as f64;
        let mut run = 0;
        self.bins
            .iter()
            .map(|b| {
                run += b.count;
                run as f64 / n
            })
            .collect()
    }
}

/// Bin width in months for a payback histogram over a horizon of `h` months: half a month
/// up to 24 months, a month up to 120, then wider so there are at most about 120 bins (the
/// payback chart's widths).
pub fn month_width(h: f64) -> f64 {
    if h <= 24.0 {
        0.5
    } else if h <= 120.0 {
        1.0
    } else {
        (h / 120.0).ceil()
    }
}

/// Bins of paybacks over `0..=horizon` months; +∞ (no payback within the horizon) counts
/// in `beyond`.
pub fn payback_bins(values: &[f64], horizon: f64) -> Bins {
    let w = month_width(horizon);
    let n = ((horizon / w).ceil() as usize).max(1);
    let edges: Vec<f64> = (0..=n).map(|i| (i as f64 * w).min(horizon)).collect();
    bin(values, &edges)
}

/// Bins of amounts: about 40 bins of a round width, aligned on multiples of it (so 0 is
/// an edge).
pub fn amount_bins(values: &[f64]) -> Bins {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if lo > hi {
        return bin(values, &[0.0, 1.0]);
    }
    let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
    let w = crate::charts::nice_step(span, 40);
    let start = (lo / w).floor() * w;
    let n = (((hi - start) / w).ceil() as usize).clamp(1, 400);
    let edges: Vec<f64> = (0..=n).map(|i| start + i as f64 * w).collect();
    bin(values, &edges)
}

/// Count `values` into right-closed bins between `edges` (at least two, rising); values
/// above the last edge count as `beyond`, below the first in the first bin.
fn bin(values: &[f64], edges: &[f64]) -> Bins {
    let mut bins: Vec<Bin> = edges
        .windows(2)
        .map(|e| Bin {
            from: e[0],
            to: e[1],
            count: 0,
        })
        .collect();
    let (mut beyond, mut total) = (0, 0);
    for &v in values {
        if v.is_nan() {
            continue;
        }
        total += 1;
        if v > edges[edges.len() - 1] {
            beyond += 1;
            continue;
        }
        // The first edge ≥ v closes v's bin.
        let k = edges.partition_point(|e| *e < v).clamp(1, bins.len());
        bins[k - 1].count += 1;
    }
    Bins {
        bins,
        beyond,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_right_closed_and_count_beyond() {
        let b = payback_bins(&[0.0, 1.0, 1.2, 12.0, f64::INFINITY], 36.0);
        assert_eq!(b.bins.len(), 36);
        assert_eq!(b.bins[0].count, 2); // 0 and 1.0: (0, 1] holds its lower edge 0 too
        assert_eq!(b.bins[1].count, 1); // 1.2
        assert_eq!(b.bins[11].count, 1); // 12.0 in (11, 12]
        assert_eq!(b.beyond, 1);
        assert_eq!(b.total, 5);
        let c = b.cumulative();
        assert!((c[11] - 0.8).abs() < 1e-12);
    }

    #[test]
    fn amount_bins_cover_every_value_with_zero_as_an_edge() {
        let v: Vec<f64> = (-50..=150).map(|i| i as f64 * 1000.0).collect();
        let b = amount_bins(&v);
        assert_eq!(b.beyond, 0);
        assert_eq!(b.bins.iter().map(|x| x.count).sum::<u64>(), v.len() as u64);
        assert!(b.bins.iter().any(|x| x.to == 0.0));
        assert!(b.bins.len() >= 20 && b.bins.len() <= 80);
        // A single value still makes a bin.
        assert_eq!(
            amount_bins(&[5.0, 5.0])
                .bins
                .iter()
                .map(|x| x.count)
                .sum::<u64>(),
            2
        );
    }
}
