#![allow(clippy::inconsistent_digit_grouping, clippy::excessive_precision)]
//! The standard normal quantile function (Wichura 1988, algorithm AS241, PPND16),
//! accurate to about 1e-16 relative, and the normal CDF (via statrs' erfc).

/// Φ⁻¹(p) for p in (0, 1). Returns ±∞ at 0 and 1 and NaN outside.
pub fn inv_phi(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if is_central(q) {
        return central(q);
    }
    let mut r = if q < 0.0 { p } else { 1.0 - p };
    r = (-r.ln()).sqrt();
    let val = if r <= 5.0 {
        let r = r - 1.6;
        (((((((7.745_450_142_783_414e-4 * r + 0.022_723_844_989_269_184) * r
            + 0.241_780_725_177_450_6)
            * r
            + 1.270_458_252_452_368_4)
            * r
            + 3.647_848_324_763_204_5)
            * r
            + 5.769_497_221_460_691)
            * r
            + 4.630_337_846_156_546)
            * r
            + 1.423_437_110_749_683_5)
            / (((((((1.050_750_071_644_416_9e-9 * r + 5.475_938_084_995_345e-4) * r
                + 0.015_198_666_563_616_457)
                * r
                + 0.148_103_976_427_480_08)
                * r
                + 0.689_767_334_985_1)
                * r
                + 1.676_384_830_183_803_8)
                * r
                + 2.053_191_626_637_759)
                * r
                + 1.0)
    } else {
        let r = r - 5.0;
        (((((((2.010_334_399_292_288e-7 * r + 2.711_555_568_743_487_6e-5) * r
            + 0.001_242_660_947_388_078_4)
            * r
            + 0.026_532_189_526_576_124)
            * r
            + 0.296_560_571_828_504_9)
            * r
            + 1.784_826_539_917_291_3)
            * r
            + 5.463_784_911_164_114)
            * r
            + 6.657_904_643_501_103)
            / (((((((2.044_263_103_389_939_7e-15 * r + 1.421_511_758_316_446e-7) * r
                + 1.846_318_317_510_054_8e-5)
                * r
                + 7.868_691_311_456_133e-4)
                * r
                + 0.014_875_361_290_850_615)
                * r
                + 0.136_929_880_922_735_8)
                * r
                + 0.599_832_206_555_888)
                * r
                + 1.0)
    };
    if q < 0.0 { -val } else { val }
}

/// Whether p = 0.5 + q lies in the central region of AS241, |q| ≤ 0.425 (false for NaN).
#[inline(always)]
fn is_central(q: f64) -> bool {
    q.abs() <= 0.425
}

/// Φ⁻¹(0.5 + q) in the central region: AS241's rational in r = 0.180625 − q².
#[inline(always)]
fn central(q: f64) -> f64 {
    let r = 0.180625 - q * q;
    let num = ((((((2509.080_928_730_122_7 * r + 33430.575_583_588_128) * r
        + 67265.770_927_008_700)
        * r
        + 45921.953_931_549_871)
        * r
        + 13731.693_765_509_461)
        * r
        + 1971.590_950_306_551_3)
        * r
        + 133.141_667_891_784_38)
        * r
        + 3.387_132_872_796_366_5;
    let den = ((((((5226.495_278_852_545_4 * r + 28729.085_735_721_942) * r
        + 39307.895_800_092_710)
        * r
        + 21213.794_301_586_595)
        * r
        + 5394.196_021_424_751_1)
        * r
        + 687.187_007_492_057_91)
        * r
        + 42.313_330_701_600_911)
        * r
        + 1.0;
    // (q·num)/den in this order: the tests pin the bits.
    q * num / den
}

/// `out[i] = inv_phi(p[i])`, bit for bit, over the shorter of the two slices. The central
/// rational is evaluated on every lane without branches (so that it vectorises), then the
/// lanes outside the central region (tails, 0, 1, NaN, outside [0, 1]) are recomputed.
pub fn inv_phi_slice(p: &[f64], out: &mut [f64]) {
    for (o, p) in out.iter_mut().zip(p) {
        *o = central(p - 0.5);
    }
    for (o, p) in out.iter_mut().zip(p) {
        if !is_central(p - 0.5) {
            *o = inv_phi(*p);
        }
    }
}

/// Φ(x), the standard normal CDF.
pub fn phi(x: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-x / std::f64::consts::SQRT_2)
}

/// φ(x), the standard normal density.
pub fn pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// z such that Φ(z) = 0.95: the half-width of a 90% interval in standard deviations.
pub const Z95: f64 = 1.644_853_626_951_472_2;

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{ContinuousCDF, Normal};

    #[test]
    fn matches_statrs_quantile() {
        let n = Normal::standard();
        for i in 1..2000 {
            let p = i as f64 / 2000.0;
            let a = inv_phi(p);
            let b = n.inverse_cdf(p);
            assert!((a - b).abs() < 1e-12, "p={p} {a} {b}");
        }
        for p in [1e-300, 1e-20, 1e-10, 1e-5, 1.0 - 1e-10] {
            let a = inv_phi(p);
            assert!((phi(a) - p).abs() / p.min(1.0 - p) < 1e-9, "p={p}");
        }
        assert!((inv_phi(0.95) - Z95).abs() < 1e-15);
    }

    /// `count` consecutive floats on each side of `x`, and `x`.
    fn around(x: f64, count: usize) -> Vec<f64> {
        let mut v = vec![x];
        let (mut up, mut down) = (x, x);
        for _ in 0..count {
            up = up.next_up();
            down = down.next_down();
            v.extend([up, down]);
        }
        v
    }

    /// A dense grid, keyed uniforms, both sides of the central region's edges
    /// (p − 0.5 = ±0.425) and of the two tail formulas' edge (r = 5), the extremes and
    /// values outside [0, 1].
    fn probes() -> Vec<f64> {
        let mut v: Vec<f64> = (0..=8192).map(|i| i as f64 / 8192.0).collect();
        let mut u = vec![0.0; 100_000];
        crate::rng::fill_uniforms(crate::rng::input_key(5, "inv_phi"), 0, &mut u);
        v.extend(u);
        for x in [0.075, 0.925, 0.5, (-25.0f64).exp(), 1.0 - (-25.0f64).exp()] {
            v.extend(around(x, 64));
        }
        for x in [
            0.0,
            1.0,
            1e-300,
            1.0 - f64::EPSILON / 2.0,
            f64::EPSILON / 2.0,
        ] {
            v.extend(around(x, 16));
        }
        v.extend([
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ]);
        v.extend([-0.0, -1.0, 2.0, f64::MAX]);
        v
    }

    #[test]
    fn inv_phi_slice_matches_inv_phi_bit_for_bit() {
        let p = probes();
        let mut out = vec![0.0; p.len()];
        inv_phi_slice(&p, &mut out);
        for (p, z) in p.iter().zip(&out) {
            assert_eq!(z.to_bits(), inv_phi(*p).to_bits(), "p = {p:e}");
        }
        // The edges fall on both sides of the central region.
        assert!(is_central(0.075 - 0.5) && !is_central(0.075f64.next_down() - 0.5));
        assert!(is_central(0.925f64.next_down() - 0.5) && !is_central(0.925 - 0.5));
    }

    /// FNV-1a over the bits of each value.
    fn fingerprint(v: impl IntoIterator<Item = f64>) -> u64 {
        v.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, x| {
            (h ^ x.to_bits()).wrapping_mul(0x0000_0100_0000_01b3)
        })
    }

    /// Central-region probabilities: a grid over [0.075, 0.925] and the edges.
    fn central_grid() -> Vec<f64> {
        let n = 20_000;
        let mut v: Vec<f64> = (0..=n)
            .map(|i| 0.075 + 0.85 * (i as f64 / n as f64))
            .collect();
        for b in [0.075f64, 0.925] {
            v.extend([b.next_down(), b, b.next_up()]);
        }
        v.extend([0.5, 0.5f64.next_up(), 0.5f64.next_down(), 0.25, 0.75]);
        v.retain(|p| is_central(p - 0.5));
        v
    }

    /// The central rational uses only +, −, × and ÷, so its bits are the same on every
    /// IEEE-754 platform: any change to its constants or order of operations that moves a
    /// single result shows here, in the scalar and the slice form alike.
    #[test]
    fn central_region_bits_are_pinned() {
        const PINNED: u64 = 0x926e_97c7_ce0c_323c;
        let p = central_grid();
        assert_eq!(p.len(), 20_009);
        assert_eq!(fingerprint(p.iter().map(|p| inv_phi(*p))), PINNED);
        let mut out = vec![0.0; p.len()];
        inv_phi_slice(&p, &mut out);
        assert_eq!(fingerprint(out), PINNED);
        assert_eq!(inv_phi(0.75).to_bits(), 0x3fe5_956b_8752_8a49);
        assert_eq!(inv_phi(0.075).to_bits(), 0xbff7_0852_26d3_e523);
    }
}
