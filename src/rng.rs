//! Keyed, counter-based uniforms: the draw of input `name` in trial `i` under `seed` is a
//! pure function of (seed, name, i) (docs/MODEL.md "Reproducibility"). This is what makes runs
//! bit-identical at any thread count, gives common random numbers across scenarios that
//! share an input name, and leaves other inputs' draws alone when an input is added.
//!
//! rand's generators are sequential streams; a counter-based draw needs a mixing
//! function instead. We use the SplitMix64 output function (Steele, Lea & Flood 2014) on
//! `key + (i + 1)·γ`, which is exactly the SplitMix64 sequence seeded with the input's
//! key: one multiply-xorshift chain per draw, ~1 ns, no state. Input keys come from a
//! stable FNV-1a hash of the name (std's hasher promises no stable algorithm).

/// The golden-ratio increment of SplitMix64.
pub const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's finaliser (a bijection of u64 with full avalanche).
#[inline(always)]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// 64-bit FNV-1a of a byte string.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// The stream key of an input under a seed.
pub fn input_key(seed: u64, name: &str) -> u64 {
    mix64(mix64(seed ^ 0x5041_5942_4143_4B00) ^ fnv1a(name.as_bytes()))
}

/// A uniform in the open interval (0, 1) from 64 random bits: 52 bits, centred in its
/// cell (so neither 0 nor 1 can occur and inverse CDFs stay finite).
#[inline(always)]
pub fn to_unit(bits: u64) -> f64 {
    // (bits >> 12) as f64, exactly (it is below 2^52), by placing it in the mantissa of
    // 2^52 and subtracting 2^52: the same value as the cast, and vectorisable without a
    // 64-bit integer conversion instruction.
    const TWO52: u64 = 0x4330_0000_0000_0000;
    let whole = f64::from_bits(TWO52 | (bits >> 12)) - 4_503_599_627_370_496.0;
    (whole + 0.5) * (1.0 / (1u64 << 52) as f64)
}

/// The uniform of stream `key` at `trial`.
#[inline(always)]
pub fn uniform(key: u64, trial: u64) -> f64 {
    to_unit(mix64(
        key.wrapping_add(trial.wrapping_add(1).wrapping_mul(GAMMA)),
    ))
}

/// Fill `out[j] = uniform(key, start + j)` (the engine's `simd::fill_uniforms` runs
/// this eight lanes wide where the CPU can).
pub fn fill_uniforms(key: u64, start: u64, out: &mut [f64]) {
    fill_uniforms_inline(key, start, out)
}

/// [`fill_uniforms`]'s body, inlined into each instruction set's copy.
#[inline(always)]
pub fn fill_uniforms_inline(key: u64, start: u64, out: &mut [f64]) {
    for (j, o) in out.iter_mut().enumerate() {
        *o = uniform(key, start + j as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_unit_is_the_exact_cast_of_the_top_52_bits() {
        let cast = |b: u64| ((b >> 12) as f64 + 0.5) * (1.0 / (1u64 << 52) as f64);
        let mut x = 0x1234_5678_9ABC_DEF0u64;
        let edges = [
            0,
            1,
            4095,
            4096,
            u64::MAX,
            u64::MAX - 4095,
            1 << 63,
            (1 << 63) - 1,
        ];
        for b in edges.into_iter().chain((0..100_000).map(|_| {
            x = mix64(x);
            x
        })) {
            assert_eq!(to_unit(b).to_bits(), cast(b).to_bits(), "{b:#x}");
        }
    }

    #[test]
    fn value_stability() {
        // Pinned so that a refactor cannot silently change every result.
        let k = input_key(42, "hourly_cost");
        let u: Vec<f64> = (0..3).map(|i| uniform(k, i)).collect();
        let again: Vec<f64> = (0..3)
            .map(|i| uniform(input_key(42, "hourly_cost"), i))
            .collect();
        assert_eq!(u, again);
        assert_ne!(input_key(42, "a"), input_key(42, "b"));
        assert_ne!(input_key(1, "a"), input_key(2, "a"));
        assert_eq!(fnv1a(b"a"), 0xAF63_DC4C_8601_EC8C);
    }

    #[test]
    fn uniforms_are_open_and_uniform() {
        let k = input_key(7, "x");
        let n = 200_000;
        let mut bins = [0u32; 10];
        let mut sum = 0.0;
        for i in 0..n {
            let u = uniform(k, i);
            assert!(u > 0.0 && u < 1.0);
            bins[(u * 10.0) as usize] += 1;
            sum += u;
        }
        assert!((sum / n as f64 - 0.5).abs() < 0.003);
        for b in bins {
            assert!((b as f64 - n as f64 / 10.0).abs() < 600.0, "{bins:?}");
        }
        assert!(to_unit(0) > 0.0 && to_unit(u64::MAX) < 1.0);
    }

    #[test]
    fn streams_of_different_inputs_are_uncorrelated() {
        let (a, b) = (input_key(1, "adoption_peak"), input_key(1, "minutes_saved"));
        let n = 100_000;
        let mut s = 0.0;
        for i in 0..n {
            s += (uniform(a, i) - 0.5) * (uniform(b, i) - 0.5);
        }
        let corr = s / n as f64 * 12.0;
        assert!(corr.abs() < 0.015, "{corr}");
    }
}
