//! One histogram bucket in 16 bytes: its count and its smallest and largest magnitudes,
//! stored by the low bits the bucket's values do not share.

/// One bucket in two words. With `low` = 52 − bits (the mantissa bits below the key) and
/// `m` = 2^low − 1: word 0 holds the count's low 64 − low bits above `m` − (the smallest
/// magnitude's low bits); word 1 the count's high bits above the largest magnitude's low
/// bits. All zeros is empty; both low fields only ever grow, so adding and merging are
/// integer maxima and an add with carry.
pub(super) type Cell = [u64; 2];

/// The layout of a histogram's cells, fixed by its bits per key.
#[derive(Clone, Copy, Debug)]
pub(super) struct Layout {
    pub(super) low: u32,
    pub(super) mask: u64,
}

impl Layout {
    pub(super) fn of(bits: u32) -> Self {
        let low = 52 - bits;
        Layout {
            low,
            mask: (1u64 << low) - 1,
        }
    }

    /// Largest count a cell holds.
    pub(super) fn capacity(self) -> u64 {
        let count_bits = 2 * (64 - self.low);
        if count_bits >= 64 {
            u64::MAX
        } else {
            (1u64 << count_bits) - 1
        }
    }

    /// Add one value whose magnitude's low bits are `low_bits`.
    #[inline(always)]
    pub(super) fn add(self, c: &mut Cell, low_bits: u64) {
        let m = self.mask;
        let (top, carry) = (c[0] & !m).overflowing_add(1u64 << self.low);
        c[0] = top | (c[0] & m).max(m - low_bits);
        c[1] = ((c[1] & !m) + (u64::from(carry) << self.low)) | (c[1] & m).max(low_bits);
    }

    pub(super) fn count(self, c: &Cell) -> u64 {
        let lo = c[0] >> self.low;
        let hi = c[1] >> self.low;
        lo | hi.checked_shl(64 - self.low).unwrap_or(0)
    }

    /// The low bits of the smallest and largest magnitude (meaningful when count > 0).
    pub(super) fn low_range(self, c: &Cell) -> (u64, u64) {
        (self.mask - (c[0] & self.mask), c[1] & self.mask)
    }

    /// A cell of `count` values (≤ [`Layout::capacity`]) with these low-bit extremes.
    pub(super) fn cell(self, count: u64, min_low: u64, max_low: u64) -> Cell {
        let hi = count.checked_shr(64 - self.low).unwrap_or(0);
        [
            (count << self.low) | (self.mask - min_low),
            (hi << self.low) | max_low,
        ]
    }

    /// The cell holding both `a`'s and `b`'s values, `None` past capacity.
    pub(super) fn merged(self, a: &Cell, b: &Cell) -> Option<Cell> {
        let (ca, cb) = (self.count(a), self.count(b));
        if cb == 0 {
            return Some(*a);
        }
        if ca == 0 {
            return Some(*b);
        }
        let n = ca.checked_add(cb).filter(|n| *n <= self.capacity())?;
        let ((amin, amax), (bmin, bmax)) = (self.low_range(a), self.low_range(b));
        Some(self.cell(n, amin.min(bmin), amax.max(bmax)))
    }

    /// (count, min, max) of a non-empty cell of key `key` and sign `negative`.
    pub(super) fn decode(self, c: &Cell, negative: bool, key: u64) -> (u64, f64, f64) {
        let (lo, hi) = self.low_range(c);
        let base = key << self.low;
        let (a, b) = (f64::from_bits(base | lo), f64::from_bits(base | hi));
        if negative {
            (self.count(c), -b, -a)
        } else {
            (self.count(c), a, b)
        }
    }
}
