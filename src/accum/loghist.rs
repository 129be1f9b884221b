//! A mergeable, fixed-precision histogram of f64 values for percentiles in one pass.
//!
//! Every finite, non-zero value falls in a log-linear bucket read straight off its bits:
//! the sign, the 11 exponent bits and the top M mantissa bits ([`FINE_BITS`] = 10 for the
//! reported percentiles). Buckets are therefore at most 2^-M (9.8e-4 at M = 10) wide
//! relative to their values, found in O(1) with no
//! search and no pilot. Each bucket keeps its count and the smallest and largest value it
//! has seen, so a bucket that holds one value or one repeated value (an atom: a constant
//! output, a payback of exactly 0) returns it exactly; an order statistic inside a bucket
//! of several distinct values is interpolated linearly between the bucket's min and max by
//! rank, which errs by less than the bucket's width (in practice far less). Zero, ±∞ and NaN
//! have buckets of their own. Buckets live in sparse pages of [`PAGE`] buckets allocated on
//! first use, so the state is small and does not grow with the number of values.
//!
//! Merging adds counts and takes minima and maxima: integer and order-free, so a
//! histogram of any split of the values, merged in any order, is identical to one built
//! in a single pass.

use serde::{Deserialize, Serialize};

/// Mantissa bits of the reported percentiles' buckets (relative width ≤ 2^-10).
pub const FINE_BITS: u32 = 10;
/// Mantissa bits of per-replicate histograms, which only need the replicates' spread.
pub const COARSE_BITS: u32 = 8;
/// Buckets per page.
pub const PAGE: usize = 256;
const PAGE_BITS: u32 = 8;
const SIGN: u64 = 1 << 63;
const INF_BITS: u64 = 0x7ff0_0000_0000_0000;

/// One bucket: how many values, and the smallest and largest of them (one cache line
/// or less per value added).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Bucket {
    count: u64,
    min: f64,
    max: f64,
}

const EMPTY: Bucket = Bucket {
    count: 0,
    min: f64::INFINITY,
    max: f64::NEG_INFINITY,
};

#[derive(Clone, Debug, PartialEq)]
struct Page {
    /// Which page of its sign (key >> PAGE_BITS).
    id: u32,
    negative: bool,
    b: Box<[Bucket; PAGE]>,
}

impl Page {
    fn new(id: u32, negative: bool) -> Self {
        Page {
            id,
            negative,
            b: Box::new([EMPTY; PAGE]),
        }
    }
}

/// The histogram. Serialised sparsely (non-empty buckets only), as [`SparseHist`].
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(into = "SparseHist", from = "SparseHist")]
pub struct LogHist {
    /// Mantissa bits per key.
    bits: u32,
    /// Page index + 1 into `pages` for each page id, by sign (0 = not yet used).
    table: [Vec<u32>; 2],
    pages: Vec<Page>,
    zero: u64,
    pos_inf: u64,
    neg_inf: u64,
    nan: u64,
    n: u64,
}

impl Default for LogHist {
    fn default() -> Self {
        LogHist::new()
    }
}

impl LogHist {
    /// An empty histogram with [`FINE_BITS`].
    pub fn new() -> Self {
        LogHist::with_bits(FINE_BITS)
    }

    /// An empty histogram keeping `bits` (8..=20) mantissa bits per bucket.
    pub fn with_bits(bits: u32) -> Self {
        LogHist {
            bits: bits.clamp(PAGE_BITS, 20),
            table: [Vec::new(), Vec::new()],
            pages: Vec::new(),
            zero: 0,
            pos_inf: 0,
            neg_inf: 0,
            nan: 0,
            n: 0,
        }
    }

    /// Values added.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Whether the buckets and atoms add up to [`LogHist::n`] (a histogram read from a file
    /// is checked before its order statistics are taken).
    pub fn is_consistent(&self) -> bool {
        let atoms = [self.zero, self.pos_inf, self.neg_inf, self.nan];
        let total = self
            .pages
            .iter()
            .flat_map(|p| p.b.iter())
            .map(|b| b.count)
            .chain(atoms)
            .try_fold(0u64, u64::checked_add);
        let ordered =
            self.pages.iter().flat_map(|p| p.b.iter()).all(|b| {
                b.count == 0 || (b.min <= b.max && b.min.is_finite() && b.max.is_finite())
            });
        total == Some(self.n) && ordered
    }

    /// Values that are NaN.
    pub fn nan(&self) -> u64 {
        self.nan
    }

    fn pages_per_sign(&self) -> usize {
        1 << (11 + self.bits - PAGE_BITS)
    }

    fn page_of(&mut self, negative: bool, id: usize) -> usize {
        let pages = self.pages_per_sign();
        let t = &mut self.table[usize::from(negative)];
        if t.is_empty() {
            t.resize(pages, 0);
        }
        let slot = t[id];
        if slot != 0 {
            return slot as usize - 1;
        }
        self.pages.push(Page::new(id as u32, negative));
        let i = self.pages.len();
        self.table[usize::from(negative)][id] = i as u32;
        i - 1
    }

    /// Add one value.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        let bits = x.to_bits();
        let mag = bits & !SIGN;
        if mag == 0 {
            self.zero += 1;
            return;
        }
        if mag >= INF_BITS {
            if mag > INF_BITS {
                self.nan += 1;
            } else if bits & SIGN != 0 {
                self.neg_inf += 1;
            } else {
                self.pos_inf += 1;
            }
            return;
        }
        let negative = bits & SIGN != 0;
        let key = (mag >> (52 - self.bits)) as usize;
        let (id, slot) = (key >> PAGE_BITS, key & (PAGE - 1));
        let t = &self.table[usize::from(negative)];
        let p = match t.get(id) {
            Some(&s) if s != 0 => s as usize - 1,
            _ => self.page_of(negative, id),
        };
        let b = &mut self.pages[p].b[slot];
        b.count += 1;
        if x < b.min {
            b.min = x;
        }
        if x > b.max {
            b.max = x;
        }
    }

    /// Add every value of a slice.
    pub fn extend(&mut self, xs: &[f64]) {
        for &x in xs {
            self.add(x);
        }
    }

    /// Combine with another histogram (any order gives the same result).
    pub fn merge(&mut self, o: &LogHist) {
        debug_assert_eq!(self.bits, o.bits);
        for q in &o.pages {
            let p = self.page_of(q.negative, q.id as usize);
            let page = &mut self.pages[p];
            for (a, b) in page.b.iter_mut().zip(q.b.iter()) {
                a.count += b.count;
                a.min = a.min.min(b.min);
                a.max = a.max.max(b.max);
            }
        }
        self.zero += o.zero;
        self.pos_inf += o.pos_inf;
        self.neg_inf += o.neg_inf;
        self.nan += o.nan;
        self.n += o.n;
    }

    /// Non-empty buckets in ascending value order, as (count, min, max).
    fn buckets(&self) -> Vec<(u64, f64, f64)> {
        let mut neg: Vec<&Page> = self.pages.iter().filter(|p| p.negative).collect();
        let mut pos: Vec<&Page> = self.pages.iter().filter(|p| !p.negative).collect();
        // Negative values: a larger magnitude is a smaller value.
        neg.sort_by_key(|p| std::cmp::Reverse(p.id));
        pos.sort_by_key(|p| p.id);
        let mut out = Vec::new();
        if self.neg_inf > 0 {
            out.push((self.neg_inf, f64::NEG_INFINITY, f64::NEG_INFINITY));
        }
        for p in neg {
            for s in (0..PAGE).rev() {
                let b = &p.b[s];
                if b.count > 0 {
                    out.push((b.count, b.min, b.max));
                }
            }
        }
        if self.zero > 0 {
            out.push((self.zero, 0.0, 0.0));
        }
        for p in pos {
            for s in 0..PAGE {
                let b = &p.b[s];
                if b.count > 0 {
                    out.push((b.count, b.min, b.max));
                }
            }
        }
        if self.pos_inf > 0 {
            out.push((self.pos_inf, f64::INFINITY, f64::INFINITY));
        }
        if self.nan > 0 {
            out.push((self.nan, f64::NAN, f64::NAN));
        }
        out
    }

    /// The values at 0-based ranks `ranks` (ascending order, NaN last), each exact when
    /// its bucket holds one distinct value and interpolated between the bucket's min and
    /// max by rank otherwise.
    pub fn order_stats(&self, ranks: &[u64]) -> Vec<(u64, f64)> {
        let mut want: Vec<u64> = ranks.iter().copied().filter(|r| *r < self.n).collect();
        want.sort_unstable();
        want.dedup();
        let mut out = Vec::with_capacity(want.len());
        let mut wi = 0;
        let mut below = 0u64;
        for (c, lo, hi) in self.buckets() {
            while wi < want.len() && want[wi] < below + c {
                let k = want[wi] - below;
                let v = if k == 0 || lo == hi || c == 1 {
                    lo
                } else if k == c - 1 {
                    hi
                } else {
                    lo + (hi - lo) * (k as f64 / (c - 1) as f64)
                };
                out.push((want[wi], v));
                wi += 1;
            }
            below += c;
            if wi == want.len() {
                break;
            }
        }
        out
    }

    /// Bytes of state (pages and page tables), for the memory figures.
    pub fn state_bytes(&self) -> usize {
        self.pages.len() * PAGE * 24 + self.table.iter().map(|t| t.len() * 4).sum::<usize>()
    }
}

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
        for p in &h.pages {
            for s in 0..PAGE {
                let b = &p.b[s];
                if b.count > 0 {
                    let key = (p.id << PAGE_BITS) | s as u32;
                    buckets.push((p.negative, key, b.count, b.min, b.max));
                }
            }
        }
        buckets.sort_by_key(|b| (b.0, b.1));
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
        for (negative, key, count, min, max) in s.buckets {
            let id = (key >> PAGE_BITS) as usize;
            if id >= h.pages_per_sign() {
                continue;
            }
            let p = h.page_of(negative, id);
            let slot = key as usize & (PAGE - 1);
            let b = &mut h.pages[p].b[slot];
            b.count += count;
            b.min = b.min.min(min);
            b.max = b.max.max(max);
        }
        h.n = s.n;
        h.zero = s.zero;
        h.pos_inf = s.pos_inf;
        h.neg_inf = s.neg_inf;
        h.nan = s.nan;
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(mut v: Vec<f64>, r: u64) -> f64 {
        v.sort_by(f64::total_cmp);
        v[r as usize]
    }

    #[test]
    fn order_statistics_are_within_a_bucket_and_atoms_exact() {
        let mut v: Vec<f64> = (0..50_000)
            .map(|i| ((i * 7919) % 50_000) as f64 * 13.7 - 300_000.0)
            .collect();
        v.extend([f64::INFINITY; 100]);
        v.extend([5.0; 3_000]);
        v.extend([0.0; 10]);
        let mut h = LogHist::new();
        h.extend(&v);
        let n = v.len() as u64;
        let ranks: Vec<u64> = (0..n).step_by(97).collect();
        for (r, got) in h.order_stats(&ranks) {
            let want = exact(v.clone(), r);
            if want.is_finite() {
                assert!(
                    (got - want).abs() <= 2.5e-4 * want.abs(),
                    "rank {r}: {got} vs {want}"
                );
            } else {
                assert_eq!(got, want);
            }
        }
        // The atom at 5 is exact.
        let r5 = v.iter().filter(|x| **x < 5.0).count() as u64;
        assert_eq!(h.order_stats(&[r5 + 1500])[0].1, 5.0);
    }

    #[test]
    fn merging_any_split_in_any_order_is_one_pass() {
        let v: Vec<f64> = (0..10_000)
            .map(|i| ((i as f64) * 0.37).sin() * 1e4)
            .collect();
        let mut whole = LogHist::new();
        whole.extend(&v);
        let (mut a, mut b, mut c) = (LogHist::new(), LogHist::new(), LogHist::new());
        a.extend(&v[..1234]);
        b.extend(&v[1234..7000]);
        c.extend(&v[7000..]);
        let mut m = LogHist::new();
        m.merge(&c);
        m.merge(&a);
        m.merge(&b);
        let ranks: Vec<u64> = (0..10_000).collect();
        assert_eq!(m.order_stats(&ranks), whole.order_stats(&ranks));
    }

    #[test]
    fn serialised_state_round_trips() {
        let mut h = LogHist::new();
        h.extend(&[1.0, -2.0, 3.5, f64::INFINITY, 0.0]);
        let s = serde_json::to_string(&h).unwrap();
        let mut back: LogHist = serde_json::from_str(&s).unwrap();
        assert_eq!(
            back.order_stats(&[0, 1, 2, 3, 4]),
            h.order_stats(&[0, 1, 2, 3, 4])
        );
        back.add(1.0);
        assert_eq!(back.n(), 6);
    }
}
