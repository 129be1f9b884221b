//! Spearman rank correlation of each input with the output, and each input's share of
//! the squared correlations. The share is a decomposition of variance only when the
//! inputs are independent: with correlated inputs the squared correlations count shared
//! variation once per input, so no share is reported (`None`).

use serde::Serialize;

use crate::stats::spearman;

/// One input.
#[derive(Clone, Debug, Serialize)]
pub struct RankRow {
    /// Input.
    pub input: String,
    /// Spearman ρ with the output.
    pub spearman: f64,
    /// ρ² / Σρ² (independent inputs only; `None` when inputs are correlated).
    pub contribution: Option<f64>,
}

/// Rank correlations of `inputs[i]` (by name) with `output`, sorted by |ρ|. Censored
/// paybacks are +∞ and so rank last.
pub fn rank(
    names: &[String],
    inputs: &[&[f64]],
    output: &[f64],
    independent: bool,
) -> Vec<RankRow> {
    let rhos: Vec<f64> = inputs.iter().map(|x| spearman(x, output)).collect();
    let total: f64 = rhos.iter().map(|r| r * r).sum();
    let mut rows: Vec<RankRow> = names
        .iter()
        .zip(&rhos)
        .map(|(n, r)| RankRow {
            input: n.clone(),
            spearman: *r,
            contribution: independent.then_some(if total > 0.0 { r * r / total } else { 0.0 }),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.spearman
            .abs()
            .total_cmp(&a.spearman.abs())
            .then_with(|| a.input.cmp(&b.input))
    });
    rows
}
