//! The line items, `[[costs]]` and `[[benefits]]`: name, category, timing and the amount
//! expression, resolved against the inputs.

use std::borrow::Cow;

use toml::de::{DeTable, DeValue};

use super::ctx::{Ctx, Val, get, join};
use crate::expr;
use crate::scenario::{
    BENEFIT_CATEGORIES, COST_CATEGORIES, Kind, LineItem, Scenario, ScenarioError, Timing,
};

/// Read the `[[costs]]` then the `[[benefits]]` of `root` into `scenario.items` (names
/// unique; amounts may name the scenario's inputs).
pub(super) fn line_items(
    cx: &Ctx,
    root: &DeTable,
    scenario: &mut Scenario,
) -> Result<(), ScenarioError> {
    let names: Vec<String> = scenario.inputs.iter().map(|i| i.name.clone()).collect();
    for (section, kind) in [("costs", Kind::Cost), ("benefits", Kind::Benefit)] {
        let Some(v) = get(root, section) else {
            continue;
        };
        let DeValue::Array(arr) = v.get_ref() else {
            return Err(cx.err(
                v,
                section,
                format!(
                    "expected `[[{section}]]` tables, found {}",
                    v.get_ref().type_str()
                ),
            ));
        };
        for (i, item) in arr.iter().enumerate() {
            let path = format!("{section}[{i}]");
            let li = line_item(cx, item, &path, kind, &names, scenario.horizon)?;
            if scenario.items.iter().any(|o| o.name == li.name) {
                return Err(cx.err(
                    item,
                    &format!("{path}.name"),
                    format!(
                        "a line item named `{}` already exists; names must be unique",
                        li.name
                    ),
                ));
            }
            scenario.items.push(li);
        }
    }
    Ok(())
}

/// One line item (table `v` at `path`) of a horizon of `horizon` months.
fn line_item(
    cx: &Ctx,
    v: &Val,
    path: &str,
    kind: Kind,
    inputs: &[String],
    horizon: u32,
) -> Result<LineItem, ScenarioError> {
    let t = cx.table(v, path)?;
    let name = match get(t, "name") {
        Some(n) => cx.name(n, &join(path, "name"))?,
        None => {
            return Err(cx.err(
                v,
                &join(path, "name"),
                "missing: every line item needs a `name`",
            ));
        }
    };
    let category = category(cx, t, v, path, kind)?;
    let Some(w) = get(t, "when") else {
        return Err(cx.err(
            v,
            &join(path, "when"),
            "missing: `once`, `monthly` or `yearly`",
        ));
    };
    let when = cx.string(w, &join(path, "when"))?;
    let (timing, extra) = timing(cx, t, (v, w), when, path, horizon)?;
    let base_keys = ["name", "category", "when", "amount"];
    let allowed: Vec<&str> = base_keys.iter().chain(extra.iter()).copied().collect();
    cx.check_keys(t, path, &allowed, &format!("a `{when}` line item"))?;
    let (amount_src, amount) = amount(cx, t, v, path, inputs)?;
    Ok(LineItem {
        name,
        category,
        kind,
        timing,
        amount_src,
        amount,
    })
}

/// The item's `category`, one of the categories of its kind.
fn category(
    cx: &Ctx,
    t: &DeTable,
    v: &Val,
    path: &str,
    kind: Kind,
) -> Result<String, ScenarioError> {
    let (cats, other, (this_kind, other_kind)) = if kind == Kind::Cost {
        (COST_CATEGORIES, BENEFIT_CATEGORIES, ("cost", "benefit"))
    } else {
        (BENEFIT_CATEGORIES, COST_CATEGORIES, ("benefit", "cost"))
    };
    let Some(c) = get(t, "category") else {
        return Err(cx.err(
            v,
            &join(path, "category"),
            format!("missing: one of {}", cats.join(", ")),
        ));
    };
    let s = cx.string(c, &join(path, "category"))?;
    if cats.contains(&s) {
        return Ok(s.to_string());
    }
    let msg = if other.contains(&s) {
        format!("`{s}` is a {other_kind} category; this is a {this_kind}")
    } else {
        let hint = expr::nearest(s, cats.iter().copied())
            .map(|h| format!("did you mean `{h}`? "))
            .unwrap_or_default();
        format!(
            "unknown category `{s}`; {hint}categories: {}",
            cats.join(", ")
        )
    };
    Err(cx.err(c, &join(path, "category"), msg))
}

/// The timing `when` says (`w` its value, `v` the item's table), with the keys it allows
/// (`at`; `start`, `end`); months past the horizon are errors.
fn timing(
    cx: &Ctx,
    t: &DeTable,
    (v, w): (&Val, &Val),
    when: &str,
    path: &str,
    horizon: u32,
) -> Result<(Timing, &'static [&'static str]), ScenarioError> {
    let month = |k: &str| -> Result<Option<u32>, ScenarioError> {
        get(t, k)
            .map(|x| cx.integer(x, &join(path, k), 0, 600).map(|n| n as u32))
            .transpose()
    };
    let after_horizon = |k: &str, m: u32| {
        cx.err(
            get(t, k).unwrap_or(v),
            &join(path, k),
            format!(
                "month {m} is after the horizon ({horizon} months), so this item would never count"
            ),
        )
    };
    match when {
        "once" => {
            let at = month("at")?.unwrap_or(0);
            if at > horizon {
                return Err(after_horizon("at", at));
            }
            Ok((Timing::Once { at }, &["at"]))
        }
        "monthly" | "yearly" => {
            let start = month("start")?.unwrap_or(1);
            let end = month("end")?;
            if let Some(e) = end
                && e < start
            {
                return Err(cx.err(
                    get(t, "end").unwrap_or(v),
                    &join(path, "end"),
                    format!("`end` ({e}) is before `start` ({start})"),
                ));
            }
            if start > horizon {
                return Err(after_horizon("start", start));
            }
            let tm = if when == "monthly" {
                Timing::Monthly { start, end }
            } else {
                Timing::Yearly { start, end }
            };
            Ok((tm, &["start", "end"]))
        }
        other => {
            let hint = expr::nearest(other, ["once", "monthly", "yearly"])
                .map(|h| format!("; did you mean `{h}`?"))
                .unwrap_or_default();
            Err(cx.err(
                w,
                &join(path, "when"),
                format!("unknown timing `{other}`: use once, monthly or yearly{hint}"),
            ))
        }
    }
}

/// The `amount` as written and resolved against the input names.
fn amount(
    cx: &Ctx,
    t: &DeTable,
    v: &Val,
    path: &str,
    inputs: &[String],
) -> Result<(String, expr::Node), ScenarioError> {
    let apath = join(path, "amount");
    let Some(av) = get(t, "amount") else {
        return Err(cx.err(
            v,
            &apath,
            "missing: an `amount` expression such as \"employees * seat_price\"",
        ));
    };
    let amount_src: String = match av.get_ref() {
        DeValue::String(s) => s.to_string(),
        DeValue::Integer(_) | DeValue::Float(_) => {
            let x = cx.number(av, &apath)?;
            format!("{x}")
        }
        other => {
            return Err(cx.err(
                av,
                &apath,
                format!("expected an expression string, found {}", other.type_str()),
            ));
        }
    };
    let ast = expr::parse(&amount_src).map_err(|e| expr_err(cx, av, &apath, &e))?;
    let names: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let lookup = |n: &str| names.iter().position(|x| *x == n);
    let amount = expr::resolve(&ast, &lookup, &names).map_err(|e| expr_err(cx, av, &apath, &e))?;
    Ok((amount_src, amount))
}

/// Locate an expression error in the file: the string's opening quote plus the offset.
fn expr_err(cx: &Ctx, av: &Val, path: &str, e: &expr::ExprError) -> ScenarioError {
    let start = av.span().start;
    let raw = &cx.src[start.min(cx.src.len())..];
    let quote_len = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        1
    };
    let inner: Cow<str> = Cow::Borrowed(&raw[quote_len.min(raw.len())..]);
    let off: usize = inner.chars().take(e.span().start).map(char::len_utf8).sum();
    cx.err_at(start + quote_len + off, path, e.to_string())
}
