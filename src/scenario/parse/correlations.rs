//! The `[correlations]` table: Spearman rank correlations between uncertain inputs, as a
//! list of pairs (`pairs = [["a", "b", 0.5]]`) and/or a matrix over named inputs.

use super::ctx::{Ctx, Val, get};
use crate::scenario::{Correlation, Scenario, ScenarioError};
use toml::de::DeValue;

/// Read the `[correlations]` table `v` of scenario `s` (whose inputs are read): each pair
/// once, zero correlations left out.
pub(super) fn correlations(
    cx: &Ctx,
    s: &Scenario,
    v: &Val,
) -> Result<Vec<Correlation>, ScenarioError> {
    let t = cx.table(v, "correlations")?;
    cx.check_keys(
        t,
        "correlations",
        &["pairs", "inputs", "matrix"],
        "[correlations]",
    )?;
    let mut c = Collect {
        cx,
        s,
        out: Vec::new(),
    };
    if let Some(pv) = get(t, "pairs") {
        c.pairs(pv)?;
    }
    match (get(t, "inputs"), get(t, "matrix")) {
        (None, None) => {}
        (Some(iv), Some(mv)) => c.matrix(iv, mv)?,
        (Some(x), None) | (None, Some(x)) => {
            return Err(cx.err(x, "correlations", "`inputs` and `matrix` go together"));
        }
    }
    Ok(c.out)
}

/// The correlations read so far, and what reading them checks against.
struct Collect<'c, 'a> {
    cx: &'c Ctx<'a>,
    s: &'c Scenario,
    out: Vec<Correlation>,
}

impl Collect<'_, '_> {
    /// An uncertain input named by the string `x`.
    fn input(&self, x: &Val, path: &str) -> Result<usize, ScenarioError> {
        let name = self.cx.string(x, path)?;
        let i = self.cx.input_named(self.s, x, name, path)?;
        if !self.s.inputs[i].is_uncertain() {
            return Err(self.cx.err(
                x,
                path,
                format!("`{name}` is a constant; only uncertain inputs can be correlated"),
            ));
        }
        Ok(i)
    }

    /// A rank correlation in [−1, 1].
    fn rho(&self, x: &Val, path: &str) -> Result<f64, ScenarioError> {
        let r = self.cx.number(x, path)?;
        if !(-1.0..=1.0).contains(&r) {
            return Err(self.cx.err(
                x,
                path,
                format!("a rank correlation must lie within [-1, 1] (got {r})"),
            ));
        }
        Ok(r)
    }

    /// Add a pair (kept when nonzero): not an input with itself, not a pair given before.
    fn push(&mut self, p: Correlation, at: &Val, path: &str) -> Result<(), ScenarioError> {
        if p.a == p.b {
            return Err(self
                .cx
                .err(at, path, "an input cannot be correlated with itself"));
        }
        if self
            .out
            .iter()
            .any(|q| (q.a == p.a && q.b == p.b) || (q.a == p.b && q.b == p.a))
        {
            return Err(self.cx.err(at, path, "this pair of inputs is given twice"));
        }
        if p.rho != 0.0 {
            self.out.push(p);
        }
        Ok(())
    }

    /// `pairs = [["a", "b", rho], …]`.
    fn pairs(&mut self, pv: &Val) -> Result<(), ScenarioError> {
        let DeValue::Array(arr) = pv.get_ref() else {
            return Err(self.cx.err(
                pv,
                "correlations.pairs",
                "expected a list such as [[\"a\", \"b\", 0.5]]",
            ));
        };
        for (i, item) in arr.iter().enumerate() {
            let path = format!("correlations.pairs[{i}]");
            match item.get_ref() {
                DeValue::Array(tr) if tr.len() == 3 => {
                    let (a, b) = (self.input(&tr[0], &path)?, self.input(&tr[1], &path)?);
                    let rho = self.rho(&tr[2], &path)?;
                    self.push(Correlation { a, b, rho }, item, &path)?;
                }
                _ => {
                    return Err(self.cx.err(
                        item,
                        &path,
                        "each pair is [\"input_a\", \"input_b\", rank_correlation]",
                    ));
                }
            }
        }
        Ok(())
    }

    /// `inputs = [names]` (value `iv`) with `matrix = [rows]` (value `mv`): symmetric, unit
    /// diagonal, entries in [−1, 1].
    fn matrix(&mut self, iv: &Val, mv: &Val) -> Result<(), ScenarioError> {
        let cx = self.cx;
        let DeValue::Array(names) = iv.get_ref() else {
            return Err(cx.err(iv, "correlations.inputs", "expected a list of input names"));
        };
        let idx: Vec<usize> = names
            .iter()
            .map(|n| self.input(n, "correlations.inputs"))
            .collect::<Result<_, _>>()?;
        let m = rows(cx, mv, idx.len())?;
        let k = idx.len();
        let at = |message: String| cx.err(mv, "correlations.matrix", message);
        for i in 0..k {
            if (m[i * k + i] - 1.0).abs() > 1e-12 {
                return Err(at(format!("diagonal entry {i} must be 1")));
            }
            for j in 0..i {
                if (m[i * k + j] - m[j * k + i]).abs() > 1e-12 {
                    return Err(at(format!(
                        "is not symmetric (entries [{i}][{j}] and [{j}][{i}] differ)"
                    )));
                }
                let r = m[i * k + j];
                if !(-1.0..=1.0).contains(&r) {
                    return Err(at(format!("entry [{i}][{j}] = {r} is outside [-1, 1]")));
                }
                let pair = Correlation {
                    a: idx[j],
                    b: idx[i],
                    rho: r,
                };
                self.push(pair, mv, "correlations.matrix")?;
            }
        }
        Ok(())
    }
}

/// The k × k matrix `mv` as written, row-major.
fn rows(cx: &Ctx, mv: &Val, k: usize) -> Result<Vec<f64>, ScenarioError> {
    let DeValue::Array(rows) = mv.get_ref() else {
        return Err(cx.err(mv, "correlations.matrix", "expected a list of rows"));
    };
    if rows.len() != k {
        return Err(cx.err(
            mv,
            "correlations.matrix",
            format!("has {} rows but `inputs` names {k} inputs", rows.len()),
        ));
    }
    let mut m = vec![0.0; k * k];
    for (i, row) in rows.iter().enumerate() {
        let path = format!("correlations.matrix[{i}]");
        let vals = cx.numbers(row, &path)?;
        if vals.len() != k {
            return Err(cx.err(
                row,
                &path,
                format!("has {} entries; expected {k}", vals.len()),
            ));
        }
        m[i * k..(i + 1) * k].copy_from_slice(&vals);
    }
    Ok(m)
}
