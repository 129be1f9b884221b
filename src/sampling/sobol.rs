//! Owen-scrambled Sobol points: Joe–Kuo direction numbers, any point computed directly from
//! its index (so blocks can run in parallel in any order), and a nested uniform scramble by
//! a Laine–Karras-style hash with Burley's (2020) constants, keyed per dimension.

use super::joe_kuo::PARAMS;
use crate::rng;

/// Direction vectors for up to 100 dimensions, 32 bits.
pub struct Sobol {
    v: Vec<[u32; 32]>,
    seeds: Vec<u32>,
}

fn lk_hash(mut x: u32, seed: u32) -> u32 {
    x ^= x.wrapping_mul(0x3d20_adea);
    x = x.wrapping_add(seed);
    x = x.wrapping_mul((seed >> 16) | 1);
    x ^= x.wrapping_mul(0x0552_6c56);
    x ^= x.wrapping_mul(0x53a2_2864);
    x
}

/// Owen scramble of a 32-bit fraction.
fn owen(x: u32, seed: u32) -> u32 {
    lk_hash(x.reverse_bits(), seed).reverse_bits()
}

impl Sobol {
    /// Direction numbers for `dims` dimensions, scrambled under `seed`.
    pub fn new(dims: usize, seed: u64) -> Result<Self, String> {
        if dims > PARAMS.len() + 1 {
            return Err(format!(
                "Sobol sampling supports at most {} uncertain inputs (this scenario has {dims})",
                PARAMS.len() + 1
            ));
        }
        let mut v = Vec::with_capacity(dims);
        for d in 0..dims {
            let mut dir = [0u32; 32];
            if d == 0 {
                for (i, x) in dir.iter_mut().enumerate() {
                    *x = 1u32 << (31 - i);
                }
            } else {
                let (s, a, m) = PARAMS[d - 1];
                let s = s as usize;
                for i in 0..s.min(32) {
                    dir[i] = m[i] << (31 - i);
                }
                for i in s..32 {
                    let mut x = dir[i - s] ^ (dir[i - s] >> s);
                    for k in 1..s {
                        if (a >> (s - 1 - k)) & 1 == 1 {
                            x ^= dir[i - k];
                        }
                    }
                    dir[i] = x;
                }
            }
            v.push(dir);
        }
        let seeds = (0..dims)
            .map(|d| rng::mix64(seed ^ 0x534F_424F_4C00 ^ (d as u64) << 20) as u32)
            .collect();
        Ok(Sobol { v, seeds })
    }

    /// The same points under an independent scramble (replicate `r` of a randomised
    /// quasi-Monte Carlo estimate; replicate 0 is `self`).
    pub fn replicate(&self, r: u64) -> Sobol {
        if r == 0 {
            return Sobol {
                v: self.v.clone(),
                seeds: self.seeds.clone(),
            };
        }
        Sobol {
            v: self.v.clone(),
            seeds: self
                .seeds
                .iter()
                .map(|s| rng::mix64(u64::from(*s) ^ r.wrapping_mul(rng::GAMMA)) as u32)
                .collect(),
        }
    }

    /// Coordinate `d` of point `i`, as a uniform in (0, 1).
    #[inline]
    pub fn point(&self, d: usize, i: u64) -> f64 {
        let dir = &self.v[d];
        let mut x = 0u32;
        let mut idx = i as u32;
        let mut b = 0;
        while idx != 0 {
            if idx & 1 == 1 {
                x ^= dir[b];
            }
            idx >>= 1;
            b += 1;
        }
        let y = owen(x, self.seeds[d]);
        (y as f64 + 0.5) / 4_294_967_296.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unscrambled_first_points_are_sobol() {
        // Dimension 2 of the Sobol sequence: 0, 1/2, 1/4, 3/4, 3/8, 7/8, ...
        let s = Sobol::new(2, 1).unwrap();
        let raw = |i: u32| {
            let mut x = 0u32;
            for b in 0..32 {
                if (i >> b) & 1 == 1 {
                    x ^= s.v[1][b];
                }
            }
            x as f64 / 4_294_967_296.0
        };
        let got: Vec<f64> = (0..4).map(raw).collect();
        assert_eq!(got, vec![0.0, 0.5, 0.75, 0.25]);
    }

    #[test]
    fn scrambled_points_stratify_each_dimension() {
        // Any 2^m consecutive-from-0 points put exactly one point in each 1/2^m interval.
        let s = Sobol::new(10, 7).unwrap();
        for d in 0..10 {
            let mut seen = [false; 64];
            for i in 0..64 {
                let u = s.point(d, i);
                let cell = (u * 64.0) as usize;
                assert!(!seen[cell], "dim {d}");
                seen[cell] = true;
            }
        }
    }
}
