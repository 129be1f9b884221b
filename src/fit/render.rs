//! What `payback fit` shows: the ranking as a table, the JSON object, the TOML line to paste
//! into a scenario's `[inputs]`, and the numbers its chart draws.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::{Fit, FitReport};
use crate::charts::{FitCurve, FitData};
use crate::distributions::short_number;
use crate::format::thousands;

/// The input name a column becomes: letters, digits and `_` (anything else becomes `_`),
/// starting with a letter or `_`, and not a built-in name.
pub fn input_name(column: &str) -> String {
    let mut name: String = column
        .trim()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    if !name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        name.insert(0, '_');
    }
    if crate::expr::RESERVED.contains(&name.as_str()) {
        name.push_str("_data");
    }
    name
}

/// The TOML line of a fit: `name = { dist = "…", … }`, the name quoted when it is not
/// ASCII (payback reads it bare too; other TOML tools need the quotes).
pub fn toml_line(column: &str, fit: &Fit) -> String {
    let name = input_name(column);
    let key = if name.is_ascii() {
        name
    } else {
        format!("\"{name}\"")
    };
    format!("{key} = {}", fit.input().to_toml())
}

/// The fitted parameters under their scenario keys, truncation included.
fn params(fit: &Fit) -> Vec<(&'static str, f64)> {
    let input = fit.input();
    let mut p = input.dist.parameters();
    p.extend(input.trunc_min.map(|v| ("min", v)));
    p.extend(input.trunc_max.map(|v| ("max", v)));
    p
}

/// The JSON object: `{"column", "n", "fits": [{"dist", "params", "aic", "bic", "ks",
/// "ks_p", "ad", "ad_p", "toml"}]}` best first, with the bootstrap settings and the
/// families not fitted.
pub fn json(r: &FitReport) -> Vec<u8> {
    let fits: Vec<Value> = r
        .fits
        .iter()
        .map(|f| {
            let mut p = Map::new();
            for (k, v) in params(f) {
                p.insert(k.to_string(), json!(v));
            }
            json!({
                "dist": f.family.name(),
                "params": p,
                "parameters": f.parameters,
                "log_likelihood": f.log_likelihood,
                "aic": f.aic,
                "bic": f.bic,
                "ks": f.ks,
                "ks_p": f.ks_p,
                "ad": f.ad,
                "ad_p": f.ad_p,
                "toml": toml_line(&r.column, f),
            })
        })
        .collect();
    let not_fitted: Vec<Value> = r
        .not_fitted
        .iter()
        .map(|n| json!({"dist": n.family.name(), "why": n.why}))
        .collect();
    let doc = json!({
        "schema_version": 1,
        "column": r.column,
        "n": r.sample.x.len(),
        "counts": r.sample.counts,
        "bootstrap": r.bootstrap,
        "seed": r.options.seed,
        "fits": fits,
        "not_fitted": not_fitted,
    });
    let mut v = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    v.push(b'\n');
    v
}

/// A statistic to 3 significant digits and its p-value: `0.0123 (0.45)`, `—` for a
/// p-value not computed.
fn with_p(stat: f64, p: Option<f64>) -> String {
    let digits = if stat > 0.0 {
        (2.0 - stat.log10().floor()).clamp(0.0, 6.0) as usize
    } else {
        0
    };
    // A bootstrap p-value is at least 1/(samples + 1); below 0.001 three decimals would
    // print 0.000, which reads as impossible.
    let p = p.map_or("—".to_string(), |p| {
        if p < 0.001 {
            "< 0.001".to_string()
        } else {
            format!("{p:.3}")
        }
    });
    format!("{} ({p})", thousands(stat, digits))
}

/// The table for people: the data, the ranking, what was not fitted, the line to paste.
pub fn table(r: &FitReport, source: &str) -> String {
    let s = &r.sample;
    let (min, max) = s.range();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{source}, column `{}`: {} values from {} to {} (mean {}, sd {})\n",
        r.column,
        thousands(s.n(), 0),
        short_number(min),
        short_number(max),
        short_number(s.mean),
        short_number(s.var.sqrt())
    );
    let best = r.fits[0].aic;
    let rows: Vec<[String; 8]> = r
        .fits
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let p: Vec<String> = params(f)
                .iter()
                .map(|(k, v)| format!("{k} {}", short_number(*v)))
                .collect();
            [
                format!("{:>4}", i + 1),
                f.family.name().to_string(),
                p.join(", "),
                thousands(f.aic, 1),
                thousands(f.aic - best, 1),
                thousands(f.bic, 1),
                with_p(f.ks, f.ks_p),
                with_p(f.ad, f.ad_p),
            ]
        })
        .collect();
    let head = [
        "rank",
        "distribution",
        "parameters",
        "AIC",
        "ΔAIC",
        "BIC",
        "KS (p)",
        "AD (p)",
    ];
    let width = |j: usize| {
        rows.iter()
            .map(|r| r[j].chars().count())
            .chain([head[j].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let w: Vec<usize> = (0..8).map(width).collect();
    let line = |cells: [&str; 8]| -> String {
        let mut l = String::new();
        for (j, c) in cells.iter().enumerate() {
            let pad = w[j] - c.chars().count();
            if (3..6).contains(&j) || j == 0 {
                l.push_str(&" ".repeat(pad));
                l.push_str(c);
            } else {
                l.push_str(c);
                l.push_str(&" ".repeat(pad));
            }
            l.push_str("  ");
        }
        l.trim_end().to_string()
    };
    let _ = writeln!(o, "{}", line(head));
    for row in &rows {
        let cells: [&str; 8] = std::array::from_fn(|j| row[j].as_str());
        let _ = writeln!(o, "{}", line(cells));
    }
    notes(&mut o, r);
    let top = &r.fits[0];
    let _ = writeln!(
        o,
        "\nBest fit ({}); paste into the scenario's [inputs]:\n  {}",
        top.family.name(),
        toml_line(&r.column, top)
    );
    o
}

/// What was not fitted, how the counts and bounds were treated, how p-values were found.
fn notes(o: &mut String, r: &FitReport) {
    if !r.not_fitted.is_empty() {
        let _ = writeln!(o, "\nNot fitted:");
        for n in &r.not_fitted {
            let _ = writeln!(o, "  {:<12} {}", n.family.name(), n.why);
        }
    }
    let _ = writeln!(o);
    if r.sample.counts {
        let _ = writeln!(
            o,
            "The values are counts: every family is ranked on the probability of the observed counts (a continuous one's: of the unit interval around each count)."
        );
    }
    let (lo, hi) = (r.options.lower, r.options.upper);
    if lo.is_none() || hi.is_none() {
        let _ = writeln!(
            o,
            "Beta, triangular and PERT bounds{}: estimated so that the fit puts the smallest and largest values where the extremes of n draws fall on average, and counted as parameters.",
            if lo.is_some() || hi.is_some() {
                " not given"
            } else {
                ""
            }
        );
    }
    if lo.is_some() || hi.is_some() {
        let _ = writeln!(
            o,
            "The other families are fitted truncated to the given bounds, as the TOML line samples them."
        );
    }
    if r.bootstrap > 0 {
        let _ = writeln!(
            o,
            "p-values: parametric bootstrap, {} samples of {} values per family, seed {}.",
            r.bootstrap,
            thousands(r.sample.n(), 0),
            r.options.seed
        );
    } else {
        let _ = writeln!(o, "p-values: not computed (no bootstrap replicates).");
    }
}

/// The chart's numbers for the best `top` fits: each density (or probability) on a grid
/// over the data and its Q–Q points (fitted quantile against observed order statistic, at
/// most 400 of them).
pub fn chart_data(r: &FitReport, top: usize) -> FitData {
    let s = &r.sample;
    let (min, max) = s.range();
    let pad = 0.05 * (max - min);
    let n = s.x.len();
    let grid: Vec<f64> = if s.counts {
        let (a, b) = (min.floor(), max.ceil());
        let step = ((b - a) / 400.0).ceil().max(1.0);
        (0..)
            .map(|i| a + step * i as f64)
            .take_while(|x| *x <= b)
            .collect()
    } else {
        (0..=300)
            .map(|i| min - pad + (max - min + 2.0 * pad) * i as f64 / 300.0)
            .collect()
    };
    let every = n.div_ceil(400).max(1);
    let curves = r
        .fits
        .iter()
        .take(top)
        .map(|f| {
            let m = &f.model;
            let density = grid
                .iter()
                .map(|x| {
                    let d = if s.counts && !m.is_discrete() {
                        m.cdf(x + 0.5) - m.cdf(x - 0.5)
                    } else {
                        m.density(*x)
                    };
                    (*x, d)
                })
                .collect();
            let qq = (0..n)
                .step_by(every)
                .map(|i| (m.quantile((i as f64 + 0.5) / n as f64), s.x[i]))
                .collect();
            FitCurve {
                label: f.family.name().to_string(),
                discrete: m.is_discrete() || s.counts,
                density,
                qq,
            }
        })
        .collect();
    FitData {
        column: r.column.clone(),
        values: s.x.clone(),
        counts: s.counts,
        curves,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_p_values_print_as_a_bound_not_as_zero() {
        assert_eq!(with_p(0.05, Some(0.0001)), "0.0500 (< 0.001)");
        assert_eq!(with_p(0.05, Some(0.0123)), "0.0500 (0.012)");
        assert_eq!(with_p(0.05, None), "0.0500 (—)");
    }
}
