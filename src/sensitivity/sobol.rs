//! Variance-based sensitivity (docs/MODEL.md "Sobol indices"): first-order indices by Saltelli
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
use crate::sampling::correlation::Copula;
use crate::sampling::sobol::Sobol;
use crate::sampling::{Design as TrialDesign, Method};
use crate::scenario::Scenario;

/// One input's Sobol indices with their 95% intervals.
#[derive(Clone, Debug, Serialize)]
pub struct SobolRow {
    /// Input name (may be Chinese).
    pub input: String,
    /// First-order index S1 (the input alone).
    pub s1: f64,
    /// Lower end of the S1 interval.
    pub s1_low: f64,
    /// Upper end of the S1 interval.
    pub s1_high: f64,
    /// Total-effect index ST (including interactions).
    pub st: f64,
    /// Lower end of the ST interval.
    pub st_low: f64,
    /// Upper end of the ST interval.
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
    /// "sobol" or "mc" (independent A/B design), or "dependent" (first-order indices
    /// binned on the correlated trials; no total-effect indices).
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

/// Most trials of the dependent-input estimate (its draws are kept in memory).
pub const DEPENDENT_MAX_TRIALS: u64 = 2_000_000;

/// Sobol indices of `output` (payback capped at the horizon) with `n` base rows. With a
/// copula (correlated inputs) the A/B design would sample the inputs independently, so the
/// first-order indices are estimated on N·(k+2) correlated trials instead
/// ([`super::dependent`]) and the total-effect indices are not available (NaN, `null`).
pub fn sobol(
    s: &Scenario,
    output: Output,
    n: u64,
    bootstrap: usize,
    seed: u64,
    copula: Option<&Copula>,
    opts: &RunOptions,
) -> Result<SobolIndices, RunError> {
    let unc = s.uncertain_inputs();
    let k = unc.len();
    if let Some(c) = copula {
        let total = (n * (k as u64 + 2)).min(DEPENDENT_MAX_TRIALS);
        return dependent(s, output, total, n, bootstrap, seed, c, opts);
    }
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

/// Keeps the uncertain inputs' draws and the output of every trial, in order.
struct Keep {
    unc: Vec<usize>,
    output: Output,
    inputs: Vec<Vec<f64>>,
    y: Vec<f64>,
}

impl crate::engine::Sink for Keep {
    fn absorb(&mut self, b: &crate::engine::BatchOut) {
        for (m, &i) in self.unc.iter().enumerate() {
            self.inputs[m].extend_from_slice(&b.inputs[i][..b.len]);
        }
        self.y.extend_from_slice(&self.output.col(b)[..b.len]);
    }
}

/// First-order indices on `total` correlated Monte Carlo trials.
#[allow(clippy::too_many_arguments)]
fn dependent(
    s: &Scenario,
    output: Output,
    total: u64,
    n: u64,
    bootstrap: usize,
    seed: u64,
    copula: &Copula,
    opts: &RunOptions,
) -> Result<SobolIndices, RunError> {
    let unc = s.uncertain_inputs();
    let k = unc.len();
    let design = match TrialDesign::new(s, seed, Method::Mc, total, Some(copula.clone())) {
        Ok(d) => d,
        // Only Sobol designs can fail to build.
        Err(_) => unreachable!("a Monte Carlo design always builds"),
    };
    let plan = Plan::compile(s);
    let mut inputs: Vec<Vec<f64>> = vec![Vec::with_capacity(total as usize); k];
    let mut y = Vec::with_capacity(total as usize);
    crate::engine::run_fold(
        &plan,
        &design,
        0..total,
        opts,
        |_| Keep {
            unc: unc.clone(),
            output,
            inputs: vec![Vec::new(); k],
            y: Vec::new(),
        },
        |part| {
            for (a, b) in inputs.iter_mut().zip(part.inputs) {
                a.extend(b);
            }
            y.extend(part.y);
        },
    )?;
    if output == Output::Payback {
        let h = s.horizon as f64;
        y.iter_mut().for_each(|x| *x = x.min(h));
    }
    let mean = y.iter().sum::<f64>() / y.len().max(1) as f64;
    let variance = y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / y.len().max(1) as f64;
    let cols: Vec<&[f64]> = inputs.iter().map(|v| v.as_slice()).collect();
    let first = super::dependent::first_order(&cols, &y, bootstrap, seed);
    let mut rows: Vec<SobolRow> = first
        .iter()
        .zip(&unc)
        .map(|(f, &i)| SobolRow {
            input: s.inputs[i].name.clone(),
            s1: f.s1,
            s1_low: f.low,
            s1_high: f.high,
            st: f64::NAN,
            st_low: f64::NAN,
            st_high: f64::NAN,
        })
        .collect();
    rows.sort_by(|a, b| b.s1.total_cmp(&a.s1).then_with(|| a.input.cmp(&b.input)));
    Ok(SobolIndices {
        base_samples: n,
        model_runs: total,
        bootstrap,
        design: "dependent".into(),
        variance,
        rows,
    })
}
