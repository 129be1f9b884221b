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
//! A bucket takes 16 bytes ([`Cell`]): every value in it shares the bits of its key, so
//! its smallest and largest magnitudes are stored exactly by their remaining low bits, next
//! to the count, and an empty bucket is all zeros. A page of 256 buckets is 4 KiB, appended
//! zeroed to one arena on first use. (Two thirds the size of a count and two `f64`s: at
//! 10⁶–10⁷ trials the histograms of a run's ~16 metrics are a few MB, and how much of that
//! stays in cache is what an add costs.)
//!
//! Merging adds counts and takes minima and maxima: integer and order-free, so a
//! histogram of any split of the values, merged in any order, is identical to one built
//! in a single pass.

use serde::{Deserialize, Serialize};

mod cell;
mod sparse;

use cell::{Cell, Layout};
pub use sparse::SparseHist;

/// Mantissa bits of the reported percentiles' buckets (relative width ≤ 2^-10).
pub const FINE_BITS: u32 = 10;
/// Mantissa bits of per-replicate histograms, which only need the replicates' spread.
pub const COARSE_BITS: u32 = 8;
/// Buckets per page.
pub const PAGE: usize = 256;
const PAGE_BITS: u32 = 8;
const SIGN: u64 = 1 << 63;
const INF_BITS: u64 = 0x7ff0_0000_0000_0000;
/// Fewest mantissa bits per key: the low bits of a value (52 − bits) leave at least
/// 2·(64 − 44) = 40 bits for a bucket's count, 1.1·10¹² values.
const MIN_BITS: u32 = PAGE_BITS;
const MAX_BITS: u32 = 20;

/// The histogram. Serialised sparsely (non-empty buckets only), as [`SparseHist`].
///
/// Pages of [`PAGE`] cells live one after another in `cells`; `table` maps a page's place
/// in the key space (sign and top key bits) to its index + 1 in `cells` (0 = not yet
/// used), so an add is one table read and one cell update.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(into = "SparseHist", from = "SparseHist")]
pub struct LogHist {
    /// Mantissa bits per key.
    bits: u32,
    /// Page index + 1 by page number (sign bit, then key >> PAGE_BITS); empty until the
    /// first finite non-zero value.
    table: Vec<u32>,
    /// The page number of each page in `cells`, in order of first use.
    page_ids: Vec<u32>,
    cells: Vec<Cell>,
    zero: u64,
    pos_inf: u64,
    neg_inf: u64,
    nan: u64,
    n: u64,
    /// Read from a file with a bucket that cannot be (outside its key, past capacity).
    malformed: bool,
}

impl Default for LogHist {
    fn default() -> Self {
        LogHist::new()
    }
}

impl PartialEq for LogHist {
    /// The same values seen (whatever order the pages were first used in).
    fn eq(&self, o: &LogHist) -> bool {
        self.bits == o.bits
            && self.n == o.n
            && [self.zero, self.pos_inf, self.neg_inf, self.nan]
                == [o.zero, o.pos_inf, o.neg_inf, o.nan]
            && self.malformed == o.malformed
            && [false, true]
                .iter()
                .all(|&neg| self.cells_of(neg) == o.cells_of(neg))
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
            bits: bits.clamp(MIN_BITS, MAX_BITS),
            table: Vec::new(),
            page_ids: Vec::new(),
            cells: Vec::new(),
            zero: 0,
            pos_inf: 0,
            neg_inf: 0,
            nan: 0,
            n: 0,
            malformed: false,
        }
    }

    fn layout(&self) -> Layout {
        Layout::of(self.bits)
    }

    /// Mantissa bits per key (its buckets' relative width is at most 2^-bits).
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// Values added.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Whether the buckets and atoms add up to [`LogHist::n`] (a histogram read from a file
    /// is checked before its order statistics are taken).
    pub fn is_consistent(&self) -> bool {
        let l = self.layout();
        let atoms = [self.zero, self.pos_inf, self.neg_inf, self.nan];
        let total = self
            .cells
            .iter()
            .map(|c| l.count(c))
            .chain(atoms)
            .try_fold(0u64, u64::checked_add);
        let ordered = self.cells.iter().all(|c| {
            let (lo, hi) = l.low_range(c);
            if l.count(c) == 0 {
                *c == [0, 0]
            } else {
                lo <= hi
            }
        });
        !self.malformed && total == Some(self.n) && self.n <= l.capacity() && ordered
    }

    /// Values that are NaN.
    pub fn nan(&self) -> u64 {
        self.nan
    }

    /// Page numbers of one sign (the table holds both).
    fn pages_per_sign(&self) -> usize {
        1 << (11 + self.bits - PAGE_BITS)
    }

    /// The page number of a key of the given sign.
    fn page_number(&self, negative: bool, id: usize) -> usize {
        id | (usize::from(negative) * self.pages_per_sign())
    }

    /// The index in `cells` of page number `number`'s first cell, making the page.
    fn page_at(&mut self, number: usize) -> usize {
        if self.table.is_empty() {
            self.table = vec![0; 2 * self.pages_per_sign()];
        }
        let slot = self.table[number];
        if slot != 0 {
            return (slot as usize - 1) * PAGE;
        }
        self.page_ids.push(number as u32);
        // Zeroed cells are empty.
        self.cells.resize(self.cells.len() + PAGE, [0, 0]);
        self.table[number] = self.page_ids.len() as u32;
        (self.page_ids.len() - 1) * PAGE
    }

    /// Add one value.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.extend(std::slice::from_ref(&x));
    }

    /// Count a zero, infinity or NaN.
    fn add_special(&mut self, x: f64) {
        if x == 0.0 {
            self.zero += 1;
        } else if x.is_nan() {
            self.nan += 1;
        } else if x < 0.0 {
            self.neg_inf += 1;
        } else {
            self.pos_inf += 1;
        }
    }

    /// Add every value of a slice.
    pub fn extend(&mut self, xs: &[f64]) {
        let l = self.layout();
        // The page number of a value is its bits above the key's low bits and slot bits:
        // the sign, then the exponent and top mantissa bits.
        let shift = l.low + PAGE_BITS;
        self.n += xs.len() as u64;
        let mut i = 0;
        while i < xs.len() {
            // Fast loop: stops at a value whose page does not exist yet, or a special.
            let (table, cells) = (&self.table, &mut self.cells);
            while let Some(&x) = xs.get(i) {
                let bits = x.to_bits();
                let mag = bits & !SIGN;
                if mag.wrapping_sub(1) >= INF_BITS - 1 {
                    break;
                }
                let entry = table.get((bits >> shift) as usize).copied().unwrap_or(0);
                if entry == 0 {
                    break;
                }
                let slot = (mag >> l.low) as usize & (PAGE - 1);
                l.add(&mut cells[(entry as usize - 1) * PAGE + slot], mag & l.mask);
                i += 1;
            }
            let Some(&x) = xs.get(i) else { break };
            let mag = x.to_bits() & !SIGN;
            if mag.wrapping_sub(1) >= INF_BITS - 1 {
                self.add_special(x);
            } else {
                let first = self.page_at((x.to_bits() >> shift) as usize);
                let slot = (mag >> l.low) as usize & (PAGE - 1);
                l.add(&mut self.cells[first + slot], mag & l.mask);
            }
            i += 1;
        }
    }

    /// Combine with another histogram (any order gives the same result). A bucket whose
    /// count would pass its capacity (10¹² values, far beyond any run's 10¹⁰ trials) is
    /// left as it was and the histogram marked inconsistent ([`LogHist::is_consistent`]).
    pub fn merge(&mut self, o: &LogHist) {
        debug_assert_eq!(self.bits, o.bits);
        let l = self.layout();
        for (k, &number) in o.page_ids.iter().enumerate() {
            let first = self.page_at(number as usize);
            let theirs = &o.cells[k * PAGE..(k + 1) * PAGE];
            for (a, b) in self.cells[first..first + PAGE].iter_mut().zip(theirs) {
                match l.merged(a, b) {
                    Some(c) => *a = c,
                    None => self.malformed = true,
                }
            }
        }
        self.zero += o.zero;
        self.pos_inf += o.pos_inf;
        self.neg_inf += o.neg_inf;
        self.nan += o.nan;
        self.n += o.n;
        self.malformed |= o.malformed;
    }

    /// Non-empty buckets of one sign, as (key, count, min, max), by ascending key.
    fn cells_of(&self, negative: bool) -> Vec<(u64, u64, f64, f64)> {
        let l = self.layout();
        let per_sign = self.pages_per_sign();
        let mut pages: Vec<(usize, usize)> = self
            .page_ids
            .iter()
            .enumerate()
            .map(|(k, &number)| (number as usize, k))
            .filter(|&(number, _)| (number >= per_sign) == negative)
            .collect();
        pages.sort_unstable();
        let mut out = Vec::new();
        for (number, k) in pages {
            let id = (number % per_sign) as u64;
            for (s, c) in self.cells[k * PAGE..(k + 1) * PAGE].iter().enumerate() {
                if l.count(c) > 0 {
                    let key = (id << PAGE_BITS) | s as u64;
                    let (n, lo, hi) = l.decode(c, negative, key);
                    out.push((key, n, lo, hi));
                }
            }
        }
        out
    }

    /// Non-empty buckets in ascending value order, as (count, min, max).
    fn buckets(&self) -> Vec<(u64, f64, f64)> {
        let mut out = Vec::new();
        if self.neg_inf > 0 {
            out.push((self.neg_inf, f64::NEG_INFINITY, f64::NEG_INFINITY));
        }
        // Negative values: a larger magnitude is a smaller value.
        let neg = self.cells_of(true);
        out.extend(neg.iter().rev().map(|&(_, n, lo, hi)| (n, lo, hi)));
        if self.zero > 0 {
            out.push((self.zero, 0.0, 0.0));
        }
        let pos = self.cells_of(false);
        out.extend(pos.iter().map(|&(_, n, lo, hi)| (n, lo, hi)));
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
        self.cells.len() * 16 + self.table.len() * 4 + self.page_ids.len() * 4
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
    fn extremes_of_every_magnitude_and_sign_come_back_exactly() {
        let v = [
            f64::MAX,
            -f64::MAX,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            1.0,
            -1.0,
            1.0 + f64::EPSILON,
            -1.5e300,
            7.25e-200,
        ];
        for bits in [COARSE_BITS, FINE_BITS, 20] {
            let mut h = LogHist::with_bits(bits);
            h.extend(&v);
            let mut sorted = v.to_vec();
            sorted.sort_by(f64::total_cmp);
            let ranks: Vec<u64> = (0..v.len() as u64).collect();
            let got: Vec<f64> = h.order_stats(&ranks).into_iter().map(|r| r.1).collect();
            assert_eq!(got, sorted, "{bits} bits");
            assert!(h.is_consistent());
        }
    }

    #[test]
    fn a_count_carries_into_its_second_word() {
        // At 10 bits a cell's first word holds 22 bits of count: 5,000,000 adds of one
        // value carry once, and the atom stays exact.
        let l = Layout::of(FINE_BITS);
        let mut c = l.cell((1 << 22) - 1, 17, 99);
        l.add(&mut c, 50);
        assert_eq!(l.count(&c), 1 << 22);
        assert_eq!(l.low_range(&c), (17, 99));
        let mut h = LogHist::new();
        h.extend(&vec![-3.75; 5_000_000]);
        h.add(2.0);
        assert_eq!(
            h.order_stats(&[0, 4_999_999, 5_000_000]),
            vec![(0, -3.75), (4_999_999, -3.75), (5_000_000, 2.0)]
        );
        let (a, b) = (h.clone(), h.clone());
        h.merge(&a);
        h.merge(&b);
        assert_eq!(h.n(), 15_000_003);
        assert!(h.is_consistent());
        assert_eq!(
            h.order_stats(&[14_999_999, 15_000_000]),
            vec![(14_999_999, -3.75), (15_000_000, 2.0)]
        );
    }

    #[test]
    fn a_bucket_that_cannot_be_is_refused_when_read() {
        let good = r#"{"bits":10,"n":2,"zero":0,"pos_inf":0,"neg_inf":0,"nan":0,"buckets":[[false,1047552,2,1.0,1.0009]]}"#;
        let h: LogHist = serde_json::from_str(good).unwrap();
        assert!(h.is_consistent());
        assert_eq!(h.order_stats(&[0, 1]), vec![(0, 1.0), (1, 1.0009)]);
        for bad in [
            // The maximum is in the next bucket.
            r#"[false,1047552,2,1.0,1.001]"#,
            // The minimum is above the maximum.
            r#"[false,1047552,2,1.0009,1.0]"#,
            // The sign does not match.
            r#"[true,1047552,2,1.0,1.0009]"#,
            // No values.
            r#"[false,1047552,0,1.0,1.0009]"#,
        ] {
            let text = good.replace(r#"[false,1047552,2,1.0,1.0009]"#, bad);
            let h: LogHist = serde_json::from_str(&text).unwrap();
            assert!(!h.is_consistent(), "{bad}");
        }
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
