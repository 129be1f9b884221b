//! The serialised form of a [`LogHist`]: its non-empty buckets, each checked when read.

use serde::{Deserialize, Serialize};

use super::{LogHist, PAGE, PAGE_BITS, SIGN};

/// The serialised form of a [`LogHist`]: its non-empty buckets.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SparseHist {
    /// Mantissa bits per key.
    pub bits: u32,
    /// Values added.
    pub n: u64,
    /// Exact zeros.
    pub zero: u64,
    /// +∞.
    pub pos_inf: u64,
    /// −∞.
    pub neg_inf: u64,
    /// NaN.
    pub nan: u64,
    /// Non-empty buckets: (negative, key, count, min, max); min and max are finite.
    pub buckets: Vec<(bool, u32, u64, f64, f64)>,
}

impl From<LogHist> for SparseHist {
    fn from(h: LogHist) -> Self {
        let mut buckets = Vec::new();
        for negative in [false, true] {
            for (key, n, lo, hi) in h.cells_of(negative) {
                buckets.push((negative, key as u32, n, lo, hi));
            }
        }
        SparseHist {
            bits: h.bits,
            n: h.n,
            zero: h.zero,
            pos_inf: h.pos_inf,
            neg_inf: h.neg_inf,
            nan: h.nan,
            buckets,
        }
    }
}

impl From<SparseHist> for LogHist {
    fn from(s: SparseHist) -> Self {
        let mut h = LogHist::with_bits(s.bits);
        h.malformed = s.bits != h.bits;
        let l = h.layout();
        for (negative, key, count, min, max) in s.buckets {
            let id = (key >> PAGE_BITS) as usize;
            // Both extremes must be values of this bucket, in order.
            let in_bucket = |x: f64| {
                x.is_finite()
                    && x != 0.0
                    && (x < 0.0) == negative
                    && (x.to_bits() & !SIGN) >> l.low == u64::from(key)
            };
            let (lo, hi) = if negative { (-max, -min) } else { (min, max) };
            let ok = id < h.pages_per_sign()
                && count > 0
                && in_bucket(min)
                && in_bucket(max)
                && min <= max;
            if !ok {
                h.malformed = true;
                continue;
            }
            let cell = l.cell(
                count.min(l.capacity()),
                lo.to_bits() & l.mask,
                hi.to_bits() & l.mask,
            );
            let first = h.page_at(h.page_number(negative, id));
            let b = &mut h.cells[first + (key as usize & (PAGE - 1))];
            match l.merged(b, &cell) {
                Some(c) if count <= l.capacity() => *b = c,
                _ => h.malformed = true,
            }
        }
        h.n = s.n;
        h.zero = s.zero;
        h.pos_inf = s.pos_inf;
        h.neg_inf = s.neg_inf;
        h.nan = s.nan;
        h
    }
}
