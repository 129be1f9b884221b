//! Inputs written as ranges: the string shorthand `"5 to 30"` (a 90% interval: lognormal when
//! both ends are positive, normal otherwise) and tables given by two quantiles
//! (`p10 = 5, p90 = 30`, also p5/p95, p25/p75, median) or, for triangular and PERT, two
//! quantiles and a mode. The numbers are solved in [`crate::distributions::range`]; every
//! error here is located like any other scenario error.

use super::ctx::{Ctx, Val, get, join};
use super::input::TableKeys;
use crate::distributions::families;
use crate::distributions::range::{
    self, QUANTILE_KEYS, Quantile, Range, RangeError, RangeForm, RangeKeys, TwoQuantileFamily,
};
use crate::distributions::{Dist, InputDist, Keys};
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

/// A table `{ dist = "…", p10 = …, p90 = … }` (or with `mode` for triangular and PERT);
/// `None` when it has no quantile key or names an unknown distribution.
pub(super) fn table(k: &TableKeys) -> Result<Option<FromQuantiles>, ScenarioError> {
    let (cx, path, family) = (k.cx, k.path, k.family);
    let mut given: Vec<(Quantile, &Val)> = Vec::new();
    for (key, _) in QUANTILE_KEYS {
        if let Some(x) = get(k.t, key) {
            let value = cx.number(x, &join(path, key))?;
            if let Some(q) = Quantile::of(key, value) {
                given.push((q, x));
            }
        }
    }
    let Some(&(first, first_at)) = given.first() else {
        return Ok(None);
    };
    let form = match families::range_keys(family, k) {
        None => return Ok(None),
        Some(form) => form?,
    };
    let Some(form) = form else {
        return Err(cx.err(
            first_at,
            &join(path, first.key),
            format!("`{family}` cannot be given by quantiles; ranges (`p10`, `p90`, …) are for {RANGE_FAMILIES}"),
        ));
    };
    no_native_keys(k, &form)?;
    let (low, high) = two_given(k, &given)?;
    let solved = match form.form {
        RangeForm::Two(f) => range::two_quantiles(f, low, high).map(|d| (d, None)),
        RangeForm::Mode(f) => {
            let Some(mode) = k.number("mode")? else {
                return Err(k.error_at(
                    "mode",
                    &format!("missing: `{family}` given by quantiles needs `mode` as well"),
                ));
            };
            range::mode_and_quantiles(f, low, mode, high).map(|d| (d, Some(mode)))
        }
    };
    let (dist, mode) = solved.map_err(|e| located(k, &e))?;
    // Written low, mode, high, each number as it appears in the file.
    let (low, high) = if low.p <= high.p {
        (low, high)
    } else {
        (high, low)
    };
    let raw = |key: &str| -> String {
        get(k.t, key)
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
    let mut parts = vec![format!("{} = {}", low.key, raw(low.key))];
    if mode.is_some() {
        parts.push(format!("mode = {}", raw("mode")));
    }
    parts.push(format!("{} = {}", high.key, raw(high.key)));
    let mut allowed = vec!["dist", "base", low.key, high.key];
    allowed.extend_from_slice(form.extra);
    let range = Range {
        written: parts.join(", "),
        shorthand: false,
        low,
        high,
        mode,
    };
    Ok(Some((dist, allowed, mode.is_none(), range)))
}

/// A table given by quantiles must not also give the family's own parameters.
fn no_native_keys(k: &TableKeys, form: &RangeKeys) -> Result<(), ScenarioError> {
    for key in form.native {
        if let Some(x) = get(k.t, key) {
            let own: Vec<String> = form.native.iter().map(|k| format!("`{k}`")).collect();
            return Err(k.cx.err(
                x,
                &join(k.path, key),
                format!(
                    "`{}` takes either {} or two quantiles such as `p10` and `p90`{}, not a mix",
                    k.family,
                    own.join(" and "),
                    if matches!(form.form, RangeForm::Mode(_)) {
                        " with `mode`"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
    Ok(())
}

/// The two quantiles of the table; fewer or more are errors.
fn two_given(
    k: &TableKeys,
    given: &[(Quantile, &Val)],
) -> Result<(Quantile, Quantile), ScenarioError> {
    match given {
        [(a, _), (b, _)] => Ok((*a, *b)),
        [(only, _)] => Err(k.error(&format!(
            "`{}` given by quantiles needs two of them, such as `p10` and `p90` (got only `{}`)",
            k.family, only.key
        ))),
        more => {
            let keys: Vec<&str> = more.iter().map(|(q, _)| q.key).collect();
            let (q, at) = more[2];
            Err(k.cx.err(
                at,
                &join(k.path, q.key),
                format!("give exactly two quantiles (got {})", keys.join(", ")),
            ))
        }
    }
}

/// A range error at the key it is about (the table when it is about the whole range).
fn located(k: &TableKeys, e: &RangeError) -> ScenarioError {
    match e.key() {
        Some(key) => k.cx.err(
            get(k.t, key).unwrap_or(k.v),
            &join(k.path, key),
            e.to_string(),
        ),
        None => k.error(&e.to_string()),
    }
}
