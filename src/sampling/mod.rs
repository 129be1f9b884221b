//! How input values are drawn: plain Monte Carlo, Latin hypercube or scrambled Sobol
//! points, optionally joined by a Gaussian copula that imposes rank correlations. Every
//! method produces uniforms and maps them through each input's quantile function, so
//! marginals are exactly as specified and discrete inputs work under each.
//!
//! Reproducibility: Monte Carlo and Latin hypercube draws are keyed by (seed, input name,
//! trial) — LHS strata come from a keyed random permutation of 0..n computed on the fly
//! (a Feistel network with cycle walking), so no n × k matrix is stored. Sobol points are
//! keyed by (seed, the input's position among the uncertain inputs, trial).

pub mod correlation;
mod joe_kuo;
pub mod sobol;

use std::str::FromStr;

use crate::distributions::Sampler;
use crate::distributions::normal::{inv_phi, phi};
use crate::engine::{TrialSource, replicate_of, replicate_start};
use crate::model::program::{Col, LANES};
use crate::rng;
use crate::scenario::Scenario;
pub use correlation::{Copula, CorrelationError};

/// Sampling method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Independent keyed draws.
    Mc,
    /// Latin hypercube: each of the n equal-probability strata of every input gets one draw.
    Lhs,
    /// Owen-scrambled Sobol points (quasi-Monte Carlo).
    Sobol,
}

impl Method {
    /// The method's name (`mc`, `lhs`, `sobol`), as options and reports write it.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Mc => "mc",
            Method::Lhs => "lhs",
            Method::Sobol => "sobol",
        }
    }
}

impl FromStr for Method {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "mc" => Ok(Method::Mc),
            "lhs" => Ok(Method::Lhs),
            "sobol" => Ok(Method::Sobol),
            _ => Err(format!(
                "unknown sampling method `{s}`: use mc, lhs or sobol"
            )),
        }
    }
}

/// A keyed random permutation of 0..n (Feistel network over the next even power of two,
/// cycle-walking back into range). Bijective, O(1) memory.
#[derive(Clone, Copy, Debug)]
pub struct KeyedPermutation {
    n: u64,
    half: u32,
    key: u64,
}

impl KeyedPermutation {
    /// A permutation of 0..n under `key`.
    pub fn new(n: u64, key: u64) -> Self {
        let bits = (64 - n.saturating_sub(1).leading_zeros()).max(2);
        let bits = bits + bits % 2;
        KeyedPermutation {
            n,
            half: bits / 2,
            key,
        }
    }

    fn round(&self, x: u64) -> u64 {
        let mask = (1u64 << self.half) - 1;
        let (mut l, mut r) = (x >> self.half, x & mask);
        for i in 0..4u64 {
            let f = rng::mix64(self.key ^ r.wrapping_mul(rng::GAMMA) ^ (i << 58)) & mask;
            let nl = r;
            r = l ^ f;
            l = nl;
        }
        (l << self.half) | r
    }

    /// The image of `i` (< n).
    pub fn apply(&self, i: u64) -> u64 {
        let mut x = i;
        loop {
            x = self.round(x);
            if x < self.n {
                return x;
            }
        }
    }
}

/// Independent replicates of a Latin hypercube or Sobol design of at least
/// [`MIN_REPLICATED_TRIALS`] trials: each replicate is a design of its own (fresh strata
/// permutations, a fresh scramble), so the spread between replicates estimates the error
/// of the pooled result, which the independent-draws formulas overstate (randomised
/// quasi-Monte Carlo practice).
pub const REPLICATES: u64 = 16;
/// Smallest LHS/Sobol run split into replicates (64 trials per replicate).
pub const MIN_REPLICATED_TRIALS: u64 = REPLICATES * 64;

/// Replicates a design of `n` trials under `method` is split into.
pub fn replicates_for(method: Method, n: u64) -> u64 {
    if method != Method::Mc && n >= MIN_REPLICATED_TRIALS {
        REPLICATES
    } else {
        1
    }
}

/// The trial source of a scenario under a sampling method and an optional copula.
pub struct Design {
    method: Method,
    n: u64,
    replicates: u64,
    keys: Vec<u64>,
    jitter_keys: Vec<u64>,
    /// LHS strata permutations by replicate, then input.
    perms: Vec<Vec<KeyedPermutation>>,
    samplers: Vec<Sampler>,
    constant: Vec<Option<f64>>,
    /// Sobol dimension of each input (uncertain inputs only).
    dims: Vec<usize>,
    /// Sobol scrambles by replicate.
    sobol: Vec<sobol::Sobol>,
    copula: Option<Copula>,
}

impl Design {
    /// A design for `n` trials (LHS strata depend on n).
    pub fn new(
        s: &Scenario,
        seed: u64,
        method: Method,
        n: u64,
        copula: Option<Copula>,
    ) -> Result<Self, String> {
        let keys: Vec<u64> = s
            .inputs
            .iter()
            .map(|i| rng::input_key(seed, &i.name))
            .collect();
        let jitter_keys: Vec<u64> = keys
            .iter()
            .map(|k| rng::mix64(k ^ 0x4C48_535F_4A49_5454))
            .collect();
        let replicates = replicates_for(method, n);
        let perms = (0..replicates)
            .map(|r| {
                let size =
                    replicate_start(r + 1, n, replicates) - replicate_start(r, n, replicates);
                keys.iter()
                    .map(|k| {
                        let key = rng::mix64(*k ^ 0x5045_524D);
                        let key = if r == 0 {
                            key
                        } else {
                            rng::mix64(key ^ r.wrapping_mul(rng::GAMMA))
                        };
                        KeyedPermutation::new(size.max(1), key)
                    })
                    .collect()
            })
            .collect();
        let constant = s.constant_inputs();
        let mut dims = vec![usize::MAX; s.inputs.len()];
        let mut d = 0;
        for (i, c) in constant.iter().enumerate() {
            if c.is_none() {
                dims[i] = d;
                d += 1;
            }
        }
        let sobol = if method == Method::Sobol {
            if n > 1u64 << 32 {
                return Err("Sobol sampling supports at most 2^32 trials".into());
            }
            let first = sobol::Sobol::new(d, seed)?;
            (0..replicates).map(|r| first.replicate(r)).collect()
        } else {
            Vec::new()
        };
        Ok(Design {
            method,
            n,
            replicates,
            keys,
            jitter_keys,
            perms,
            samplers: s.inputs.iter().map(|i| i.sampler.clone()).collect(),
            constant,
            dims,
            sobol,
            copula,
        })
    }

    /// Plain keyed Monte Carlo without correlations (works for any trial count).
    pub fn monte_carlo(s: &Scenario, seed: u64) -> Self {
        match Design::new(s, seed, Method::Mc, 1, None) {
            Ok(d) => d,
            // Only Sobol designs can fail to build.
            Err(_) => unreachable!("a Monte Carlo design always builds"),
        }
    }

    /// (replicate, index within it, its size) of trial t.
    #[inline]
    fn within_replicate(&self, t: u64) -> (usize, u64, u64) {
        let (n, k) = (self.n, self.replicates);
        let r = replicate_of(t, n, k);
        let start = replicate_start(r, n, k);
        let size = replicate_start(r + 1, n, k) - start;
        (r as usize, t - start, size.max(1))
    }

    /// The uniform of input i in trial t (before the copula).
    #[inline]
    pub fn uniform(&self, i: usize, t: u64) -> f64 {
        match self.method {
            Method::Mc => rng::uniform(self.keys[i], t),
            Method::Lhs => {
                let t = t.min(self.n.saturating_sub(1));
                let (r, j, size) = self.within_replicate(t);
                (self.perms[r][i].apply(j) as f64 + rng::uniform(self.jitter_keys[i], t))
                    / size as f64
            }
            Method::Sobol => {
                let (r, j, _) = self.within_replicate(t.min(self.n.saturating_sub(1)));
                match self.sobol.get(r) {
                    Some(s) => s.point(self.dims[i], j),
                    None => rng::uniform(self.keys[i], t),
                }
            }
        }
    }
}

impl TrialSource for Design {
    fn replicates(&self) -> u64 {
        self.replicates
    }

    fn fill(&self, start: u64, _len: usize, inputs: &mut [Col]) {
        // Uniforms first (into the input columns), then the copula, then quantiles.
        for (i, col) in inputs.iter_mut().enumerate() {
            if self.constant[i].is_none() {
                match self.method {
                    Method::Mc => crate::engine::simd::fill_uniforms(self.keys[i], start, col),
                    _ => {
                        for (l, u) in col.iter_mut().enumerate() {
                            *u = self.uniform(i, start + l as u64);
                        }
                    }
                }
            }
        }
        if let Some(c) = &self.copula {
            let k = c.inputs.len();
            let mut z = vec![0.0; k];
            let mut w = vec![0.0; k];
            for l in 0..LANES {
                for (a, &i) in c.inputs.iter().enumerate() {
                    z[a] = inv_phi(inputs[i][l]);
                }
                c.mix(&z, &mut w);
                for (a, &i) in c.inputs.iter().enumerate() {
                    // Keep strictly inside (0, 1) so quantiles stay finite.
                    inputs[i][l] = phi(w[a]).clamp(1e-300, 1.0 - f64::EPSILON / 2.0);
                }
            }
        }
        for (i, col) in inputs.iter_mut().enumerate() {
            match self.constant[i] {
                Some(v) => col.fill(v),
                None => {
                    let u: Col = *col;
                    self.samplers[i].quantiles(&u, col);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_permutation_is_a_bijection() {
        for n in [1u64, 2, 3, 10, 1000, 4097] {
            let p = KeyedPermutation::new(n, 99);
            let mut seen = vec![false; n as usize];
            for i in 0..n {
                let j = p.apply(i) as usize;
                assert!(!seen[j], "n={n}");
                seen[j] = true;
            }
        }
    }

    #[test]
    fn phi_inverse_round_trip() {
        for u in [1e-10, 0.01, 0.5, 0.99] {
            assert!((phi(inv_phi(u)) - u).abs() < 1e-12 * u.max(1e-3) * 1e3);
        }
    }
}
