//! Variance-based sensitivity (MODEL.md "Sobol indices"): first-order indices by Saltelli
//! et al. (2010), S_i = mean(f_B · (f_ABi − f_A)) / V, and total-effect indices by Jansen
//! (1999), ST_i = mean((f_A − f_ABi)²) / (2V), with V the variance of f over A and B
//! together, on the A/B/AB_i design of N base rows (N·(k+2) model runs). The design's
//! uniforms come from scrambled Sobol points (2k dimensions, when 2k ≤ 100) or keyed
//! Monte Carlo; rows are generated on the fly, never stored. 95% intervals come from a
//! bootstrap over the N base rows (percentile method).

use rand::{RngExt, SeedableRng};
use rayon::prelude::*;
use serde::Serialize;

use super::{Output, evaluate};
use crate::distributions::Sampler;
use crate::engine::{RunError, RunOptions, TrialSource};
use crate::model::Plan;
use crate::model::program::Col;
use crate::rng;
use crate::sampling::sobol::Sobol;
use crate::scenario::Scenario;

/// One input's indices.
#[derive(Clone, Debug, Serialize)]
pub struct SobolRow {
    /// Input.
    pub input: String,
    /// First-order index.
    pub s1: f64,
    /// Its 95% interval.
    pub s1_low: f64,
    /// Upper end.
    pub s1_high: f64,
    /// Total-effect index.
    pub st: f64,
    /// Its 95% interval.
    pub st_low: f64,
    /// Upper end.
    pub st_high: f64,
}

/// The result.
#[derive(Clone, Debug, Serialize)]
pub struct SobolIndices {
    /// Base rows N.
    pub base_samples: u64,
    /// Model runs N(k+2).
    pub model_runs: u64,
    /// Bootstrap resamples.
    pub bootstrap: usize,
    /// "sobol" or "mc".
    pub design: String,
    /// Output variance.
    pub variance: f64,
    /// Rows sorted by ST.
    pub rows: Vec<SobolRow>,
}

/// The A/B/AB_i design as a trial source: row r = block·N + j, block 0 = A, 1 = B,
/// 2 + m = AB_m (A with column m taken from B).
struct Design {
    n: u64,
    unc: Vec<usize>,
    samplers: Vec<Sampler>,
    constants: Vec<f64>,
    keys_a: Vec<u64>,
    keys_b: Vec<u64>,
    qmc: Option<Sobol>,
}

impl Design {
    fn u(&self, m: usize, j: u64, from_b: bool) -> f64 {
        match &self.qmc {
            // Skip point 0 so A and B never share the scrambled origin cell pattern.
            Some(s) => s.point(if from_b { self.unc.len() + m } else { m }, j + 1),
            None => rng::uniform(
                if from_b {
                    self.keys_b[m]
                } else {
                    self.keys_a[m]
                },
                j,
            ),
        }
    }
}

impl TrialSource for Design {
    fn fill(&self, start: u64, _len: usize, inputs: &mut [Col]) {
        for (i, col) in inputs.iter_mut().enumerate() {
            col.fill(self.constants[i]);
        }
        for l in 0..crate::model::program::LANES {
            let r = start + l as u64;
            let (block, j) = (r / self.n, r % self.n);
            for (m, &i) in self.unc.iter().enumerate() {
                let from_b = block == 1 || block == 2 + m as u64;
                inputs[i][l] = self.samplers[i].quantile(self.u(m, j, from_b));
            }
        }
    }
}

fn indices(fa: &[f64], fb: &[f64], fab: &[f64], idx: &[usize]) -> (f64, f64) {
    let n = idx.len() as f64;
    let (mut sum, mut sum2) = (0.0, 0.0);
    for &j in idx {
        sum += fa[j] + fb[j];
        sum2 += fa[j] * fa[j] + fb[j] * fb[j];
    }
    let mean = sum / (2.0 * n);
    let var = sum2 / (2.0 * n) - mean * mean;
    if var <= 0.0 {
        return (0.0, 0.0);
    }
    let (mut s1, mut st) = (0.0, 0.0);
    for &j in idx {
        s1 += fb[j] * (fab[j] - fa[j]);
        st += (fa[j] - fab[j]) * (fa[j] - fab[j]);
    }
    (s1 / n / var, st / (2.0 * n) / var)
}

/// Sobol indices of `output` (payback capped at the horizon) with `n` base rows.
pub fn sobol(
    s: &Scenario,
    output: Output,
    n: u64,
    bootstrap: usize,
    seed: u64,
    opts: &RunOptions,
) -> Result<SobolIndices, RunError> {
    let unc = s.uncertain_inputs();
    let k = unc.len();
    let qmc = if 2 * k <= 100 {
        Sobol::new(2 * k, seed).ok()
    } else {
        None
    };
    let design = Design {
        n,
        samplers: s.inputs.iter().map(|i| i.sampler.clone()).collect(),
        constants: s.point_values(),
        keys_a: unc
            .iter()
            .map(|i| rng::input_key(seed, &format!("{}\u{0}A", s.inputs[*i].name)))
            .collect(),
        keys_b: unc
            .iter()
            .map(|i| rng::input_key(seed, &format!("{}\u{0}B", s.inputs[*i].name)))
            .collect(),
        unc: unc.clone(),
        qmc,
    };
    let plan = Plan::compile_with(s, &vec![None; s.inputs.len()]);
    let total = n * (k as u64 + 2);
    let mut f = evaluate(&plan, &design, total, output, opts)?;
    if output == Output::Payback {
        let h = s.horizon as f64;
        f.iter_mut().for_each(|x| *x = x.min(h));
    }
    let nu = n as usize;
    let (fa, fb) = (&f[..nu], &f[nu..2 * nu]);
    let all: Vec<usize> = (0..nu).collect();
    let mut v = 0.0;
    let mean = (fa.iter().sum::<f64>() + fb.iter().sum::<f64>()) / (2 * nu) as f64;
    for x in fa.iter().chain(fb) {
        v += (x - mean) * (x - mean);
    }
    let variance = v / (2 * nu) as f64;
    let mut rows: Vec<SobolRow> = (0..k)
        .into_par_iter()
        .map(|m| {
            let fab = &f[(2 + m) * nu..(3 + m) * nu];
            let (s1, st) = indices(fa, fb, fab, &all);
            let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(
                seed ^ (m as u64 + 1).wrapping_mul(rng::GAMMA),
            );
            let mut b1 = Vec::with_capacity(bootstrap);
            let mut bt = Vec::with_capacity(bootstrap);
            let mut idx = vec![0usize; nu];
            for _ in 0..bootstrap {
                for x in idx.iter_mut() {
                    *x = rng.random_range(0..nu);
                }
                let (a, b) = indices(fa, fb, fab, &idx);
                b1.push(a);
                bt.push(b);
            }
            b1.sort_by(f64::total_cmp);
            bt.sort_by(f64::total_cmp);
            let q = |v: &[f64], p: f64| {
                if v.is_empty() {
                    f64::NAN
                } else {
                    crate::stats::percentile_sorted(v, p)
                }
            };
            SobolRow {
                input: s.inputs[unc[m]].name.clone(),
                s1,
                s1_low: q(&b1, 0.025),
                s1_high: q(&b1, 0.975),
                st,
                st_low: q(&bt, 0.025),
                st_high: q(&bt, 0.975),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.st.total_cmp(&a.st).then_with(|| a.input.cmp(&b.input)));
    Ok(SobolIndices {
        base_samples: n,
        model_runs: total,
        bootstrap,
        design: if design.qmc.is_some() {
            "sobol".into()
        } else {
            "mc".into()
        },
        variance,
        rows,
    })
}
