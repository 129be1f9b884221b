//! Inputs written as ranges: the string shorthand `"5 to 30"` (a 90% interval: lognormal when
//! both ends are positive, normal otherwise) and tables given by two quantiles
//! (`p10 = 5, p90 = 30`, also p5/p95, p25/p75, median) or, for triangular and PERT, two
//! quantiles and a mode. The numbers are solved in [`crate::distributions::range`]; every
//! error here is located like any other scenario error.

use super::{Ctx, Val, get, join};
use crate::distributions::range::{
    self, ModeFamily, QUANTILE_KEYS, Quantile, Range, RangeError, TwoQuantileFamily,
};
use crate::distributions::{Dist, InputDist};
use crate::files::quote;
use crate::scenario::ScenarioError;

/// The families that accept quantiles, for messages.
const RANGE_FAMILIES: &str =
    "normal, lognormal, uniform, gamma, weibull, beta, triangular and pert";

/// `LOW to HIGH` as two numbers, or `None` when the text is not written so.
pub fn parse_shorthand(text: &str) -> Option<(f64, f64)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let [a, "to", b] = words.as_slice() else {
        return None;
    };
    let number = |w: &str| -> Option<f64> {
        let digits_only = w.replace('_', "");
        let ok = w
            .chars()
            .all(|c| c.is_ascii_digit() || "+-.eE_".contains(c));
        digits_only
            .parse::<f64>()
            .ok()
            .filter(|x| ok && x.is_finite())
    };
    Some((number(a)?, number(b)?))
}

/// The string shorthand `"LOW to HIGH"`: a 90% interval (P5 = LOW, P95 = HIGH), lognormal
/// when both ends are positive and normal otherwise.
pub(super) fn shorthand(
    cx: &Ctx,
    v: &Val,
    path: &str,
    text: &str,
) -> Result<InputDist, ScenarioError> {
    let Some((a, b)) = parse_shorthand(text) else {
        return Err(cx.err(
            v,
            path,
            format!(
                "`{}` is not a range: write two numbers, low to high, such as \"5 to 30\" (a 90% interval), or a number, or a table such as {{ dist = \"pert\", min = 5, mode = 15, max = 25 }}",
                quote(text)
            ),
        ));
    };
    if a >= b {
        return Err(cx.err(
            v,
            path,
            format!(
                "`{}`: the low end ({a}) must be less than the high end ({b}); a range is written low to high",
                quote(text.trim())
            ),
        ));
    }
    let (low, high) = (Quantile::of("p5", a), Quantile::of("p95", b));
    let (Some(low), Some(high)) = (low, high) else {
        return Err(cx.err(v, path, "internal error: no p5/p95 keys"));
    };
    let family = if a > 0.0 {
        TwoQuantileFamily::LogNormal
    } else {
        TwoQuantileFamily::Normal
    };
    let dist =
        range::two_quantiles(family, low, high).map_err(|e| cx.err(v, path, e.to_string()))?;
    Ok(InputDist {
        interval_form: true,
        range: Some(Range {
            written: text.split_whitespace().collect::<Vec<_>>().join(" "),
            shorthand: true,
            low,
            high,
            mode: None,
        }),
        ..InputDist::plain(dist)
    })
}

/// What a table given by quantiles becomes: the distribution, the keys it may have, whether
/// its point value is the median (two quantiles) and the range as written.
pub(super) type FromQuantiles = (Dist, Vec<&'static str>, bool, Range);

/// How a family takes a range: two quantiles, or two quantiles and a mode.
enum Form {
    Two(TwoQuantileFamily),
    Mode(ModeFamily),
}

/// A table `{ dist = "…", p10 = …, p90 = … }` (or with `mode` for triangular and PERT);
/// `None` when it has no quantile key or names an unknown distribution.
pub(super) fn table(
    cx: &Ctx,
    t: &toml::de::DeTable,
    v: &Val,
    path: &str,
    dist_name: &str,
) -> Result<Option<FromQuantiles>, ScenarioError> {
    let mut given: Vec<(Quantile, &Val)> = Vec::new();
    for (key, _) in QUANTILE_KEYS {
        if let Some(x) = get(t, key) {
            let value = cx.number(x, &join(path, key))?;
            if let Some(q) = Quantile::of(key, value) {
                given.push((q, x));
            }
        }
    }
    let Some(&(first, first_at)) = given.first() else {
        return Ok(None);
    };
    let num = |k: &str| get(t, k).map(|x| cx.number(x, &join(path, k))).transpose();
    // (form, the family's own parameters, keys it may add)
    let (form, native, extra): (Form, &[&str], &[&'static str]) = match dist_name {
        "normal" => (
            Form::Two(TwoQuantileFamily::Normal),
            &["mean", "sd"],
            &["min", "max"],
        ),
        "lognormal" => (
            Form::Two(TwoQuantileFamily::LogNormal),
            &["mu", "sigma"],
            &["min", "max"],
        ),
        "gamma" => (
            Form::Two(TwoQuantileFamily::Gamma),
            &["shape", "scale"],
            &["min", "max"],
        ),
        "weibull" => (
            Form::Two(TwoQuantileFamily::Weibull),
            &["shape", "scale"],
            &["min", "max"],
        ),
        "uniform" => (Form::Two(TwoQuantileFamily::Uniform), &["min", "max"], &[]),
        "beta" => {
            let (min, max) = (num("min")?.unwrap_or(0.0), num("max")?.unwrap_or(1.0));
            (
                Form::Two(TwoQuantileFamily::Beta { min, max }),
                &["alpha", "beta"],
                &["min", "max"],
            )
        }
        "triangular" => (
            Form::Mode(ModeFamily::Triangular),
            &["min", "max"],
            &["mode"],
        ),
        "pert" => {
            let lambda = num("lambda")?.unwrap_or(4.0);
            (
                Form::Mode(ModeFamily::Pert { lambda }),
                &["min", "max"],
                &["mode", "lambda"],
            )
        }
        "poisson" | "negbinomial" | "bernoulli" | "discrete" | "empirical" => {
            return Err(cx.err(
                first_at,
                &join(path, first.key),
                format!("`{dist_name}` cannot be given by quantiles; ranges (`p10`, `p90`, …) are for {RANGE_FAMILIES}"),
            ));
        }
        _ => return Ok(None),
    };
    for key in native {
        if let Some(x) = get(t, key) {
            let own: Vec<String> = native.iter().map(|k| format!("`{k}`")).collect();
            return Err(cx.err(
                x,
                &join(path, key),
                format!(
                    "`{dist_name}` takes either {} or two quantiles such as `p10` and `p90`{}, not a mix",
                    own.join(" and "),
                    if matches!(form, Form::Mode(_)) { " with `mode`" } else { "" }
                ),
            ));
        }
    }
    let (low, high) = match given.as_slice() {
        [(a, _), (b, _)] => (*a, *b),
        [(only, _)] => {
            return Err(cx.err(
                v,
                path,
                format!(
                    "`{dist_name}` given by quantiles needs two of them, such as `p10` and `p90` (got only `{}`)",
                    only.key
                ),
            ));
        }
        more => {
            let keys: Vec<&str> = more.iter().map(|(q, _)| q.key).collect();
            let (q, at) = more[2];
            return Err(cx.err(
                at,
                &join(path, q.key),
                format!("give exactly two quantiles (got {})", keys.join(", ")),
            ));
        }
    };
    let raw = |key: &str| -> String {
        get(t, key)
            .map(|x| {
                let span = x.span();
                cx.src
                    .get(span.start..span.end)
                    .unwrap_or("")
                    .trim()
                    .to_string()
            })
            .unwrap_or_default()
    };
    let solved = match form {
        Form::Two(family) => range::two_quantiles(family, low, high).map(|d| (d, None)),
        Form::Mode(family) => {
            let Some(mode) = num("mode")? else {
                return Err(cx.err(
                    v,
                    &join(path, "mode"),
                    format!("missing: `{dist_name}` given by quantiles needs `mode` as well"),
                ));
            };
            range::mode_and_quantiles(family, low, mode, high).map(|d| (d, Some(mode)))
        }
    };
    let (dist, mode) = solved.map_err(|e| located(cx, t, v, path, &e))?;
    // Written low, mode, high, each number as it appears in the file.
    let (low, high) = if low.p <= high.p {
        (low, high)
    } else {
        (high, low)
    };
    let mut parts = vec![format!("{} = {}", low.key, raw(low.key))];
    if mode.is_some() {
        parts.push(format!("mode = {}", raw("mode")));
    }
    parts.push(format!("{} = {}", high.key, raw(high.key)));
    let mut allowed = vec!["dist", "base", low.key, high.key];
    allowed.extend_from_slice(extra);
    let range = Range {
        written: parts.join(", "),
        shorthand: false,
        low,
        high,
        mode,
    };
    Ok(Some((dist, allowed, mode.is_none(), range)))
}

/// A range error at the key it is about (the table when it is about the whole range).
fn located(cx: &Ctx, t: &toml::de::DeTable, v: &Val, path: &str, e: &RangeError) -> ScenarioError {
    match e.key() {
        Some(key) => cx.err(get(t, key).unwrap_or(v), &join(path, key), e.to_string()),
        None => cx.err(v, path, e.to_string()),
    }
}
