//! Rank correlations between inputs, imposed by a Gaussian copula: normal scores of the
//! inputs' uniforms are mixed by the Cholesky factor of the normal-score correlation
//! matrix, then mapped back to uniforms, so every marginal stays exactly as specified.
//! A Spearman target ρ becomes the normal-score (Pearson) correlation 2·sin(π·ρ/6), the
//! exact relation for a Gaussian copula. The matrix must be positive semi-definite; a
//! matrix that is not can be repaired to the nearest correlation matrix (Higham 2002,
//! alternating projections).

use crate::scenario::Correlation;

/// Why the scenario's correlations cannot be imposed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CorrelationError {
    /// The targets are not a valid correlation matrix (not positive semi-definite) and no
    /// repair was asked for, or the repaired matrix could not be factorised. The message
    /// speaks of the scenario; a command adds how to ask for the repair (see
    /// [`CorrelationError::repairable`]).
    #[error(
        "the correlations are not mutually consistent (the matrix is not positive semi-definite; smallest eigenvalue {min_eigen:.3}); the conflict involves {}: loosen one of them",
        .inputs.join(", ")
    )]
    NotPsd {
        /// Inputs with the largest weight in the offending direction.
        inputs: Vec<String>,
        /// Smallest eigenvalue.
        min_eigen: f64,
    },
}

impl CorrelationError {
    /// Is this the conflict that asking for the nearest valid correlation matrix (`repair`
    /// in [`build`]) resolves: targets that are not mutually consistent?
    pub fn repairable(&self) -> bool {
        matches!(self, CorrelationError::NotPsd { .. })
    }
}

/// The copula for a set of inputs.
#[derive(Clone, Debug)]
pub struct Copula {
    /// Input indices in the scenario.
    pub inputs: Vec<usize>,
    /// Lower-triangular Cholesky factor, row-major k×k.
    l: Vec<f64>,
}

impl Copula {
    /// w = L·z.
    #[inline]
    pub fn mix(&self, z: &[f64], w: &mut [f64]) {
        let k = self.inputs.len();
        for i in 0..k {
            let mut s = 0.0;
            for j in 0..=i {
                s += self.l[i * k + j] * z[j];
            }
            w[i] = s;
        }
    }
}

/// Normal-score correlation giving Spearman ρ under a Gaussian copula.
pub fn spearman_to_normal(rho: f64) -> f64 {
    2.0 * (std::f64::consts::PI * rho / 6.0).sin()
}

/// Cholesky factor of a symmetric matrix (row-major), or None when not positive definite.
pub fn cholesky(a: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let mut s = a[i * k + j];
            for p in 0..j {
                s -= l[i * k + p] * l[j * k + p];
            }
            if i == j {
                if s <= 1e-12 {
                    return None;
                }
                l[i * k + i] = s.sqrt();
            } else {
                l[i * k + j] = s / l[j * k + j];
            }
        }
    }
    Some(l)
}

/// Eigenvalues and eigenvectors (columns) of a symmetric matrix, by cyclic Jacobi.
pub fn eigen(a: &[f64], k: usize) -> (Vec<f64>, Vec<f64>) {
    let mut m = a.to_vec();
    let mut v = vec![0.0; k * k];
    for i in 0..k {
        v[i * k + i] = 1.0;
    }
    for _sweep in 0..100 {
        let mut off = 0.0;
        for i in 0..k {
            for j in 0..k {
                if i != j {
                    off += m[i * k + j] * m[i * k + j];
                }
            }
        }
        if off < 1e-22 {
            break;
        }
        for p in 0..k {
            for q in p + 1..k {
                let apq = m[p * k + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (m[q * k + q] - m[p * k + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for r in 0..k {
                    let (mrp, mrq) = (m[r * k + p], m[r * k + q]);
                    m[r * k + p] = c * mrp - s * mrq;
                    m[r * k + q] = s * mrp + c * mrq;
                }
                for r in 0..k {
                    let (mpr, mqr) = (m[p * k + r], m[q * k + r]);
                    m[p * k + r] = c * mpr - s * mqr;
                    m[q * k + r] = s * mpr + c * mqr;
                }
                for r in 0..k {
                    let (vrp, vrq) = (v[r * k + p], v[r * k + q]);
                    v[r * k + p] = c * vrp - s * vrq;
                    v[r * k + q] = s * vrp + c * vrq;
                }
            }
        }
    }
    ((0..k).map(|i| m[i * k + i]).collect(), v)
}

/// The nearest correlation matrix (unit diagonal, eigenvalues ≥ `eps`) in Frobenius norm,
/// by Higham's alternating projections with Dykstra's correction.
pub fn nearest_correlation(a: &[f64], k: usize, eps: f64) -> Vec<f64> {
    let mut y = a.to_vec();
    let mut ds = vec![0.0; k * k];
    let mut x = y.clone();
    for _ in 0..500 {
        let r: Vec<f64> = y.iter().zip(&ds).map(|(y, d)| y - d).collect();
        let (vals, vecs) = eigen(&r, k);
        let mut xn = vec![0.0; k * k];
        for e in 0..k {
            let lam = vals[e].max(eps);
            for i in 0..k {
                for j in 0..k {
                    xn[i * k + j] += lam * vecs[i * k + e] * vecs[j * k + e];
                }
            }
        }
        for i in 0..k * k {
            ds[i] = xn[i] - r[i];
        }
        x = xn;
        let mut yn = x.clone();
        for i in 0..k {
            yn[i * k + i] = 1.0;
        }
        let diff: f64 = yn
            .iter()
            .zip(&y)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        y = yn;
        if diff < 1e-12 {
            break;
        }
    }
    // Rescale to a unit diagonal (keeps PSD).
    let d: Vec<f64> = (0..k).map(|i| x[i * k + i].max(1e-300).sqrt()).collect();
    let mut out = x;
    for i in 0..k {
        for j in 0..k {
            out[i * k + j] /= d[i] * d[j];
        }
    }
    out
}

/// Build the copula for the scenario's Spearman pairs (`names` are the scenario's input
/// names, by index). With `repair`, a matrix that is not PSD is
/// replaced by the nearest valid one; the returned messages say how much each target moved.
pub fn build(
    pairs: &[Correlation],
    names: &[String],
    repair: bool,
) -> Result<(Option<Copula>, Vec<String>), CorrelationError> {
    if pairs.is_empty() {
        return Ok((None, Vec::new()));
    }
    let mut inputs: Vec<usize> = pairs.iter().flat_map(|p| [p.a, p.b]).collect();
    inputs.sort_unstable();
    inputs.dedup();
    let k = inputs.len();
    let pos = |i: usize| inputs.iter().position(|x| *x == i).unwrap_or(0);
    let mut r = vec![0.0; k * k];
    for i in 0..k {
        r[i * k + i] = 1.0;
    }
    for p in pairs {
        let (i, j) = (pos(p.a), pos(p.b));
        let v = spearman_to_normal(p.rho);
        r[i * k + j] = v;
        r[j * k + i] = v;
    }
    let mut notes = Vec::new();
    let l = if let Some(l) = cholesky(&r, k) {
        l
    } else if let Some(l) = ridged_cholesky(&r, k) {
        // Positive semi-definite but singular (e.g. a correlation of exactly 1).
        l
    } else {
        let (vals, vecs) = eigen(&r, k);
        let (e, min) = vals
            .iter()
            .enumerate()
            .fold(
                (0, f64::INFINITY),
                |acc, (i, v)| if *v < acc.1 { (i, *v) } else { acc },
            );
        if !repair {
            let mut w: Vec<(f64, usize)> = (0..k).map(|i| (vecs[i * k + e].abs(), i)).collect();
            w.sort_by(|a, b| b.0.total_cmp(&a.0));
            let names: Vec<String> = w
                .iter()
                .take(3.min(k))
                .map(|(_, i)| names[inputs[*i]].clone())
                .collect();
            return Err(CorrelationError::NotPsd {
                inputs: names,
                min_eigen: min,
            });
        }
        let fixed = nearest_correlation(&r, k, 1e-6);
        for p in pairs {
            let (i, j) = (pos(p.a), pos(p.b));
            let new_pearson = fixed[i * k + j].clamp(-1.0, 1.0);
            let new_rho = 6.0 / std::f64::consts::PI * (new_pearson / 2.0).asin();
            notes.push(format!(
                "correlation {} ~ {} repaired from {:.3} to {:.3} (moved {:+.3})",
                names[p.a],
                names[p.b],
                p.rho,
                new_rho,
                new_rho - p.rho
            ));
        }
        match ridged_cholesky(&fixed, k) {
            Some(l) => l,
            None => {
                return Err(CorrelationError::NotPsd {
                    inputs: inputs.iter().map(|i| names[*i].clone()).collect(),
                    min_eigen: min,
                });
            }
        }
    };
    Ok((Some(Copula { inputs, l }), notes))
}

/// Cholesky of a matrix that is semi-definite within rounding: a tiny ridge, then rows
/// renormalised so the diagonal of L·Lᵀ stays exactly 1 (marginals unchanged).
fn ridged_cholesky(r: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut a = r.to_vec();
    for i in 0..k {
        a[i * k + i] += 1e-9;
    }
    let mut l = cholesky(&a, k)?;
    for i in 0..k {
        let norm: f64 = (0..k)
            .map(|j| l[i * k + j] * l[i * k + j])
            .sum::<f64>()
            .sqrt();
        for j in 0..k {
            l[i * k + j] /= norm;
        }
    }
    Some(l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_reconstructs() {
        let a = [1.0, 0.5, 0.2, 0.5, 1.0, 0.3, 0.2, 0.3, 1.0];
        let l = cholesky(&a, 3).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let s: f64 = (0..3).map(|p| l[i * 3 + p] * l[j * 3 + p]).sum();
                assert!((s - a[i * 3 + j]).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn eigen_of_a_known_matrix() {
        let (vals, _) = eigen(&[2.0, 1.0, 1.0, 2.0], 2);
        let mut v = vals.clone();
        v.sort_by(f64::total_cmp);
        assert!((v[0] - 1.0).abs() < 1e-10 && (v[1] - 3.0).abs() < 1e-10);
    }

    #[test]
    fn inconsistent_correlations_are_named_or_repaired() {
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let pairs = [
            Correlation {
                a: 0,
                b: 1,
                rho: 0.9,
            },
            Correlation {
                a: 1,
                b: 2,
                rho: 0.9,
            },
            Correlation {
                a: 0,
                b: 2,
                rho: -0.9,
            },
        ];
        let e = build(&pairs, &names, false).unwrap_err();
        assert!(e.to_string().contains("not positive semi-definite"), "{e}");
        let (c, notes) = build(&pairs, &names, true).unwrap();
        assert!(c.is_some());
        assert_eq!(notes.len(), 3);
    }
}
