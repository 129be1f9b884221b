//! A tabulated quantile function, served by table lookups for every u a run draws.
//!
//! Interior, u in [T, 1 − T] with T = 8/1024: a piecewise cubic on 1024 equal cells, with
//! knots where the exact quantile Q and its derivative 1/f(Q) are known (cubic Hermite
//! interpolation, slopes limited by Fritsch–Carlson so that each cell's cubic is monotone).
//! Each cell is stored as one 32-byte record of its cubic's coefficients in the position t in
//! [0, 1) within the cell, c0 + t·(c1 + t·(c2 + t·c3)), evaluated by Horner's rule: one
//! record read and three multiply-adds a draw. c0 is the knot value at the cell's left end
//! and the next record's c0 the one at its right end; the value is clamped between the two.
//!
//! Tails, u (or 1 − u) in [2⁻⁵³, T): the derivative grows like 1/u there, so equal cells in
//! u would need millions of knots. Instead the knots are log-spaced in the tail probability
//! s (s = u below, s = 1 − u above): s = 2^(−53 + k/8), eight per octave, 46 octaves per
//! side, and Q is a cubic Hermite in y = log2(s) with slopes dQ/dy = ln 2 · s · span / f(Q),
//! stored as records of the same form with t = y − k.
//! In y, every tail the tabulated families have (normal-like, power laws of beta and gamma
//! near 0, the exponential upper tail of the gamma) is smooth, so the interpolation error
//! is small relative to s itself (measured bound: [`TAIL_REL_ERROR`]).
//!
//! Beyond the last knot (s < 2⁻⁵³: only u = 0 or 1, or a Gaussian copula's draws below
//! 1.1e-16, about one in 10¹⁶) the exact inverse CDF is called.
//!
//! Every evaluation stays between the values of its cell's two knots, and the knots are
//! non-decreasing in u, so the quantile function is non-decreasing from cell to cell; within
//! a cell the cubic is monotone and Horner's last step adds the small t·(c1 + …) to c0, so
//! the rounded values do not decrease either (tested on finely spaced u). An interior evaluation
//! is a few nanoseconds; the tails (which 1.6% of uniforms reach) take a log2 more, on a
//! separate cold path. The table is built once per input from about 1,800 exact inverses.

use std::sync::Arc;

const CELLS: usize = 1024;
/// Interior cells [TAIL_CELLS, CELLS − TAIL_CELLS); the rest is served by the tail tables.
const TAIL_CELLS: usize = 8;
/// Interior cells.
const INTERIOR: usize = CELLS - 2 * TAIL_CELLS;
/// log2 of the tail boundary T = TAIL_CELLS / CELLS.
const TAIL_EXP: i32 = -7;
/// log2 of the deepest tail knot: 2⁻⁵³, the smallest uniform and the smallest 1 − u the
/// 53-bit uniforms give (u = 1 − 2⁻⁵³ is the largest double below 1).
const DEEPEST_EXP: i32 = -53;
/// 2⁵²: from there up, the doubles are the integers.
const TWO_52: f64 = 4_503_599_627_370_496.0;
/// Knots per octave of the tail probability.
const PER_OCTAVE: usize = 8;
/// Tail cells per side.
const TAIL_N: usize = (TAIL_EXP - DEEPEST_EXP) as usize * PER_OCTAVE;

/// The documented accuracy of the tail tables, relative to the tail probability s:
/// |F(Q̃(u)) − F(Q(u))| ≤ `TAIL_REL_ERROR` · s + 2⁻⁵³ for beta, PERT and gamma within the
/// supported shapes, where Q̃ is the table, Q statrs' inverse CDF, F the CDF (in units of
/// the truncated mass) and s = min(u, 1 − u) < T. The 2⁻⁵³ is the spacing of the
/// probabilities below 1: the upper knots are placed from the nearest 1 − u a double holds.
/// Where the values themselves are that sparse (next to a beta's finite end), the bound is
/// 4 ulps of the value instead (checked by `tests/distributions.rs::tabulated_tails_match_the_exact_inverse`).
pub const TAIL_REL_ERROR: f64 = 1e-6;

/// One cell's cubic in t ∈ [0, 1): c0 + t·(c1 + t·(c2 + t·c3)), with c0 the value at the
/// cell's left knot. Aligned so that a record never straddles two cache lines.
#[derive(Clone, Copy, Default)]
#[repr(C, align(32))]
struct Cubic([f64; 4]);

impl Cubic {
    /// The cubic Hermite through (0, q0) and (1, q1) with slopes m0 and m1 (per unit t).
    fn hermite(q0: f64, q1: f64, m0: f64, m1: f64) -> Self {
        let delta = q1 - q0;
        Cubic([q0, m0, 3.0 * delta - 2.0 * m0 - m1, m0 + m1 - 2.0 * delta])
    }

    /// The polynomial at t, by Horner's rule.
    #[inline(always)]
    fn at(&self, t: f64) -> f64 {
        let [c0, c1, c2, c3] = self.0;
        c0 + t * (c1 + t * (c2 + t * c3))
    }
}

/// One record for each cell between consecutive knots, from the knot values `q` and the
/// slopes `d` (per unit of a coordinate in which the knots are `step` apart), then a last
/// record holding only the final knot value (the clamp of the last cell reads it).
fn cubics(q: &[f64], d: &[f64], step: f64) -> Vec<Cubic> {
    let mut cells: Vec<Cubic> = q
        .windows(2)
        .zip(d.windows(2))
        .map(|(q, d)| Cubic::hermite(q[0], q[1], d[0] * step, d[1] * step))
        .collect();
    cells.push(Cubic([q[q.len() - 1], 0.0, 0.0, 0.0]));
    cells
}

/// `v` kept within [lo, hi] (lo ≤ hi), lo if `v` is NaN: one max and one min instruction.
#[inline(always)]
fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    let v = if v > lo { v } else { lo };
    if v < hi { v } else { hi }
}

/// Records of one tail, cell k over y in [k, k + 1), y = (log2 s − DEEPEST_EXP)·PER_OCTAVE,
/// and the knot value at y = TAIL_N last.
type TailCells = Arc<[Cubic; TAIL_N + 1]>;

/// Quantile table over u in (0,1), mapped to p = lower + u·(upper − lower).
#[derive(Clone)]
pub struct QuantileTable {
    /// Interior cell i (u in [(i + TAIL_CELLS)/CELLS, (i + 1 + TAIL_CELLS)/CELLS)), then the
    /// knot value at u = 1 − T.
    cells: Arc<[Cubic; INTERIOR + 1]>,
    below: TailCells,
    above: TailCells,
    exact: Arc<dyn Fn(f64) -> f64 + Send + Sync>,
    lower: f64,
    span: f64,
}

impl std::fmt::Debug for QuantileTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "QuantileTable({} cells and 2×{} tail cells on [{}, {}])",
            CELLS,
            TAIL_N,
            self.lower,
            self.lower + self.span
        )
    }
}

/// The tail probability of tail knot k: 2^(DEEPEST_EXP + k/PER_OCTAVE).
fn tail_knot(k: usize) -> f64 {
    let octave = DEEPEST_EXP + (k / PER_OCTAVE) as i32;
    2f64.powi(octave) * ((k % PER_OCTAVE) as f64 / PER_OCTAVE as f64).exp2()
}

/// Slopes the density cannot give (zero or infinite density at a knot): secants over the
/// neighbouring knots (unit spacing / `step`), else 0.
fn fill_slopes(q: &[f64], d: &mut [f64], step: f64) {
    let n = q.len() - 1;
    for i in 0..=n {
        if !d[i].is_finite() {
            let a = i.saturating_sub(1);
            let b = (i + 1).min(n);
            d[i] = (q[b] - q[a]) / ((b - a) as f64 * step);
            if !d[i].is_finite() {
                d[i] = 0.0;
            }
        }
    }
}

/// Fritsch–Carlson: limit the slopes (per unit / `step`) so that each cell's cubic is
/// monotone, not only clamped to its knots (the density's slopes can disagree with knots
/// an iterative inverse returned on a plateau).
fn limit_slopes(q: &[f64], d: &mut [f64], step: f64) {
    for k in 0..q.len() - 1 {
        let delta = (q[k + 1] - q[k]) / step;
        if delta <= 0.0 {
            d[k] = 0.0;
            d[k + 1] = 0.0;
            continue;
        }
        let (a, b) = (d[k] / delta, d[k + 1] / delta);
        let r = a * a + b * b;
        if r > 9.0 {
            let tau = 3.0 / r.sqrt();
            d[k] = tau * a * delta;
            d[k + 1] = tau * b * delta;
        }
    }
}

impl QuantileTable {
    /// Tabulate `inv` (inverse CDF) using `pdf` for the slopes, on p in [lower, upper].
    pub fn build(
        lower: f64,
        upper: f64,
        inv: impl Fn(f64) -> f64 + Send + Sync + 'static,
        pdf: impl Fn(f64) -> f64,
    ) -> Self {
        let span = upper - lower;
        // p at u, as the exact path computes it (never 1, where an inverse CDF is infinite).
        let p_at = |u: f64| (lower + u * span).min(1.0 - f64::EPSILON / 2.0);
        // dQ/du = span / f(Q), NaN where the density is zero or infinite.
        let slope = |x: f64| {
            let f = pdf(x);
            if f > 0.0 && f.is_finite() {
                span / f
            } else {
                f64::NAN
            }
        };
        let mut q = Vec::with_capacity(CELLS + 1);
        let mut d = Vec::with_capacity(CELLS + 1);
        for i in 0..=CELLS {
            let x = inv(p_at(i as f64 / CELLS as f64));
            q.push(x);
            d.push(slope(x));
        }
        fill_slopes(&q, &mut d, 1.0 / CELLS as f64);
        // Tails: knot k at s_k; dQ/dy = dQ/du · du/dy with du/dy = ±ln 2 · s / PER_OCTAVE.
        let dy = std::f64::consts::LN_2 / PER_OCTAVE as f64;
        let (mut qb, mut db) = (
            Vec::with_capacity(TAIL_N + 1),
            Vec::with_capacity(TAIL_N + 1),
        );
        let (mut qa, mut da) = (
            Vec::with_capacity(TAIL_N + 1),
            Vec::with_capacity(TAIL_N + 1),
        );
        for k in 0..=TAIL_N {
            let s = tail_knot(k);
            let x = inv(p_at(s));
            qb.push(x);
            db.push(slope(x) * s * dy);
            // 1 − s rounds to a multiple of 2⁻⁵³; the knot's value is moved from the
            // attainable 1 − s' to 1 − s along the slope (s' − s is at most 2⁻⁵⁴).
            let u = 1.0 - s;
            let x = inv(p_at(u));
            let g = slope(x);
            let shift = (1.0 - u) - s;
            let x = if shift != 0.0 && g.is_finite() {
                x + shift * g
            } else {
                x
            };
            qa.push(x);
            da.push(-g * s * dy);
        }
        fill_slopes(&qb, &mut db, 1.0);
        fill_slopes(&qa, &mut da, 1.0);
        // Non-decreasing in u across all knots (an iterative inverse can wobble by an ulp):
        // the lower tail (y up = u up), the interior, the upper tail (y down = u up).
        let mut run = f64::NEG_INFINITY;
        let interior = TAIL_CELLS..=CELLS - TAIL_CELLS;
        for v in qb
            .iter_mut()
            .chain(q[interior].iter_mut())
            .chain(qa.iter_mut().rev())
        {
            run = run.max(*v);
            *v = run;
        }
        limit_slopes(&q, &mut d, 1.0 / CELLS as f64);
        // The upper tail falls with y: limit it as a function of −y.
        limit_slopes(&qb, &mut db, 1.0);
        let (mut qr, mut dr): (Vec<f64>, Vec<f64>) = qa
            .iter()
            .rev()
            .zip(da.iter().rev())
            .map(|(q, d)| (*q, -d))
            .unzip();
        limit_slopes(&qr, &mut dr, 1.0);
        qr.reverse();
        dr.reverse();
        let (qa, da): (Vec<f64>, Vec<f64>) = (qr, dr.iter().map(|d| -d).collect());
        let interior = &q[TAIL_CELLS..=CELLS - TAIL_CELLS];
        let dint = &d[TAIL_CELLS..=CELLS - TAIL_CELLS];
        QuantileTable {
            cells: records(cubics(interior, dint, 1.0 / CELLS as f64)),
            below: records(cubics(&qb, &db, 1.0)),
            above: records(cubics(&qa, &da, 1.0)),
            exact: Arc::new(inv),
            lower,
            span,
        }
    }

    /// Q(lower + u·span).
    #[inline(always)]
    pub fn eval(&self, u: f64) -> f64 {
        Self::interior(&self.cells, u).unwrap_or_else(|| self.tail(u))
    }

    /// `out[i] = eval(u[i])`, the interior records bound once for the whole slice.
    pub fn eval_slice(&self, u: &[f64], out: &mut [f64]) {
        let cells = &*self.cells;
        for (o, u) in out.iter_mut().zip(u) {
            *o = Self::interior(cells, *u).unwrap_or_else(|| self.tail(*u));
        }
    }

    /// Q at u from the interior records; None outside [T, 1 − T) (and for NaN).
    #[inline(always)]
    fn interior(cells: &[Cubic; INTERIOR + 1], u: f64) -> Option<f64> {
        let x = u * CELLS as f64;
        // The cell without a float-to-integer conversion: for x in [1/2, 2⁵¹), y = 2⁵² + j
        // exactly, j the integer nearest x − 1/2, which is ⌊x⌋ (or x − 1 when x is an odd
        // integer, a tie rounded to even: the cell below at t = 1, the same knot). Every
        // other x (u outside [T, 1 − T), NaN) gives bits outside the interior cells' range.
        let y = x + (TWO_52 - 0.5);
        let i = y
            .to_bits()
            .wrapping_sub(TWO_52.to_bits() + TAIL_CELLS as u64);
        if i >= INTERIOR as u64 {
            return None;
        }
        let i = i as usize;
        let t = x - (y - TWO_52);
        Some(clamp(cells[i].at(t), cells[i].0[0], cells[i + 1].0[0]))
    }

    /// Q for u < T or u ≥ 1 − T (and u = 0, 1 or NaN), from the log-spaced tail knots.
    #[cold]
    #[inline(never)]
    fn tail(&self, u: f64) -> f64 {
        // 1 − u is exact for u ≥ 1/2.
        let (tail, s) = if u < 0.5 {
            (&self.below, u)
        } else {
            (&self.above, 1.0 - u)
        };
        let y = (s.log2() - DEEPEST_EXP as f64) * PER_OCTAVE as f64;
        if y >= 0.0 {
            let k = y as usize;
            if k >= TAIL_N {
                return tail[TAIL_N].0[0];
            }
            // The upper tail falls with y: its cell's bounds in either order.
            let (a, b) = (tail[k].0[0], tail[k + 1].0[0]);
            return clamp(tail[k].at(y - k as f64), a.min(b), a.max(b));
        }
        // s < 2⁻⁵³, 0 or NaN. lower + u·span can round up to 1 (a truncated input's u close
        // to 1), where an inverse CDF is infinite: stay at the largest probability below 1.
        let p = (self.lower + u * self.span).min(1.0 - f64::EPSILON / 2.0);
        (self.exact)(p)
    }
}

/// A table of `N` records (`cubics` of N − 1 cells).
fn records<const N: usize>(cells: Vec<Cubic>) -> Arc<[Cubic; N]> {
    let mut out = [Cubic::default(); N];
    out.copy_from_slice(&cells);
    Arc::new(out)
}

#[cfg(test)]
mod tests {
    use statrs::distribution::{Beta, Continuous, ContinuousCDF, Gamma};

    use super::QuantileTable;

    fn beta(a: f64, b: f64) -> QuantileTable {
        let d = Beta::new(a, b).unwrap();
        QuantileTable::build(
            0.0,
            1.0,
            move |p| d.inverse_cdf(p.max(f64::EPSILON / 2.0)),
            move |x| d.pdf(x),
        )
    }

    fn gamma(k: f64) -> QuantileTable {
        let d = Gamma::new(k, 1.0).unwrap();
        QuantileTable::build(0.0, 1.0, move |p| d.inverse_cdf(p), move |x| d.pdf(x))
    }

    /// Runs of 2,000 u, 1e-10 apart in the interior and a relative 1e-7 of s apart in each
    /// tail, starting at spread-out places: the values never decrease, within a cell or
    /// across a knot.
    #[test]
    fn finely_spaced_u_never_give_a_smaller_value() {
        let tables = [
            ("beta(0.7, 1.5)", beta(0.7, 1.5)),
            ("beta(2, 5)", beta(2.0, 5.0)),
            ("beta(0.5, 0.5)", beta(0.5, 0.5)),
            ("gamma(2)", gamma(2.0)),
            ("gamma(100)", gamma(100.0)),
        ];
        for (name, t) in &tables {
            for r in 0..100 {
                let b = (r as f64 * 0.618_033_988_749_895).fract();
                let s0 = 2f64.powf(-7.0 - 46.0 * b);
                let runs: [&dyn Fn(f64) -> f64; 3] =
                    [&|i| b + 1e-10 * i, &|i| s0 * (1.0 + 1e-7 * i), &|i| {
                        1.0 - s0 + 1e-7 * s0 * i
                    }];
                for run in runs {
                    let mut prev = f64::NEG_INFINITY;
                    for i in 0..2000 {
                        let u = run(i as f64);
                        let v = t.eval(u);
                        assert!(v >= prev, "{name}: Q({u:e}) = {v:e} below {prev:e}");
                        prev = v;
                    }
                }
            }
        }
    }

    /// At every knot (u·CELLS an integer, the odd ones evaluated as the cell below at
    /// t = 1), the doubles either side of it and spread-out u: the slice path gives the
    /// bits of the one-value path, the values do not decrease, and a knot gives its value
    /// to within 2 ulps.
    #[test]
    fn knots_and_their_neighbours_on_both_paths() {
        let t = beta(0.7, 1.5);
        let mut u: Vec<f64> = (1..super::CELLS)
            .flat_map(|k| {
                let x = k as f64 / super::CELLS as f64;
                [x.next_down(), x, x.next_up()]
            })
            .chain((0..20_000).map(|i| (i as f64 * 0.618_033_988_749_895).fract()))
            .collect();
        u.sort_by(f64::total_cmp);
        let mut out = vec![0.0; u.len()];
        t.eval_slice(&u, &mut out);
        for (u, v) in u.iter().zip(&out) {
            assert_eq!(v.to_bits(), t.eval(*u).to_bits(), "u = {u:e}");
        }
        for (w, v) in u.windows(2).zip(out.windows(2)) {
            assert!(
                v[0] <= v[1],
                "Q({:e}) = {:e} > Q({:e}) = {:e}",
                w[0],
                v[0],
                w[1],
                v[1]
            );
        }
        for (i, cell) in t.cells.iter().enumerate() {
            let u = (i + super::TAIL_CELLS) as f64 / super::CELLS as f64;
            let knot = cell.0[0];
            let v = t.eval(u);
            assert!(
                (v - knot).abs() <= 2.0 * f64::EPSILON * knot,
                "u = {u}: {v:e}, knot {knot:e}"
            );
        }
    }
}
