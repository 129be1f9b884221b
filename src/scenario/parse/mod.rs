//! From TOML text to a validated [`Scenario`], with a located error for every mistake:
//! the context and typed readers (`ctx`), the top-level keys (here), `[inputs]` (`input`,
//! with ranges in `range`), `[adoption]`, the line items (`items`) and `[correlations]`.

use std::path::Path;

use toml::de::DeTable;

use super::{Adoption, Scenario, ScenarioError};
use crate::distributions::InputDist;
use crate::files::FileAccess;
use ctx::{Ctx, get, quote_unicode_keys};

mod adoption;
mod correlations;
mod ctx;
mod input;
mod items;
mod range;

/// Parse and validate scenario text. `file` names it in errors; `dir` resolves relative
/// paths (empirical CSV files), which must lie in `dir` or below (see [`parse_str_with`]).
pub fn parse_str(
    original: &str,
    file: &str,
    dir: Option<&Path>,
) -> Result<Scenario, ScenarioError> {
    parse_str_with(original, file, dir, FileAccess::default())
}

/// [`parse_str`] with a chosen rule for which data files the scenario may read.
pub fn parse_str_with(
    original: &str,
    file: &str,
    dir: Option<&Path>,
    access: FileAccess,
) -> Result<Scenario, ScenarioError> {
    // A UTF-8 byte-order mark (Windows editors write one) is not part of the text.
    let original = original.strip_prefix('\u{feff}').unwrap_or(original);
    let (quoted, inserted) = quote_unicode_keys(original);
    let src = quoted.as_str();
    let cx = Ctx {
        src,
        file,
        dir,
        access,
        inserted,
        original,
    };
    if src.trim().is_empty() {
        return Err(cx.err_at(0, "", "the file is empty; a scenario needs at least `name`, `[inputs]` and one `[[costs]]` or `[[benefits]]` (see `payback init`)"));
    }
    let doc = DeTable::parse(src).map_err(|e| {
        let at = e.span().map(|s| s.start).unwrap_or(0);
        let msg = e.message().trim().to_string();
        cx.err_at(at, "", format!("invalid TOML: {msg}"))
    })?;
    let root = doc.get_ref();
    let mut scenario = header(&cx, root)?;
    if let Some(v) = get(root, "inputs") {
        scenario.inputs = input::inputs(&cx, v)?;
    }
    if let Some(v) = get(root, "adoption") {
        adoption::adoption(&cx, &mut scenario, v)?;
    }
    items::line_items(&cx, root, &mut scenario)?;
    if let Some(v) = get(root, "correlations") {
        scenario.correlations = correlations::correlations(&cx, &scenario, v)?;
    }
    if scenario.items.is_empty() {
        return Err(cx.err_at(
            src.len(),
            "",
            "the scenario has no line items: add at least one `[[costs]]` or `[[benefits]]`",
        ));
    }
    Ok(scenario)
}

/// The scenario's top-level keys (name, description, currency, horizon, discount rate,
/// trials, seed), with no inputs, items or correlations yet.
fn header(cx: &Ctx, root: &DeTable) -> Result<Scenario, ScenarioError> {
    cx.check_keys(
        root,
        "",
        &[
            "name",
            "description",
            "currency",
            "horizon_months",
            "discount_rate",
            "trials",
            "seed",
            "inputs",
            "adoption",
            "costs",
            "benefits",
            "correlations",
        ],
        "a scenario",
    )?;
    let name = match get(root, "name") {
        Some(v) => cx.name(v, "name")?,
        None => {
            return Err(cx.err_at(
                0,
                "name",
                "missing: every scenario needs a `name = \"...\"`",
            ));
        }
    };
    let description = get(root, "description")
        .map(|v| cx.string(v, "description").map(str::to_string))
        .transpose()?;
    let currency = match get(root, "currency") {
        Some(v) => {
            let c = cx.string(v, "currency")?;
            if c.is_empty() || c.chars().count() > 12 {
                return Err(cx.err(v, "currency", "give a short currency code such as \"CNY\""));
            }
            c.to_string()
        }
        None => "CNY".to_string(),
    };
    let horizon = match get(root, "horizon_months") {
        Some(v) => cx.integer(v, "horizon_months", 1, 600)? as u32,
        None => 36,
    };
    let discount_rate = match get(root, "discount_rate") {
        Some(v) => {
            let r = cx.number(v, "discount_rate")?;
            if !(-0.5..=10.0).contains(&r) {
                return Err(cx.err(
                    v,
                    "discount_rate",
                    format!("{r} is not a plausible annual rate; give e.g. 0.10 for 10%"),
                ));
            }
            r
        }
        None => 0.10,
    };
    let trials = get(root, "trials")
        .map(|v| cx.integer(v, "trials", 1, 10_000_000_000).map(|n| n as u64))
        .transpose()?;
    let seed = get(root, "seed")
        .map(|v| cx.integer(v, "seed", 0, i64::MAX).map(|n| n as u64))
        .transpose()?;
    Ok(Scenario {
        name,
        description,
        currency,
        horizon,
        discount_rate,
        trials,
        seed,
        inputs: Vec::new(),
        adoption: Adoption::default(),
        items: Vec::new(),
        correlations: Vec::new(),
        path: None,
    })
}

/// Parse an input value given on the command line (`--set NAME=VALUE`): a number, a range
/// (`5 to 30`, quoted or not) or an inline TOML table such as
/// `{dist="pert",min=60,mode=80,max=120}`.
pub fn parse_input_value(text: &str, name: &str) -> Result<InputDist, ScenarioError> {
    // The shell takes the quotes off `--set x="5 to 30"`: a bare range is a range.
    let doc = match range::parse_shorthand(text) {
        Some(_) => format!(
            "v = \"{}\"",
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        ),
        None => format!("v = {text}"),
    };
    let cx = Ctx {
        src: &doc,
        file: "<value>",
        dir: None,
        // Typed by the user on the command line, not carried in a scenario.
        access: FileAccess::Anywhere,
        inserted: Vec::new(),
        original: &doc,
    };
    let t = DeTable::parse(&doc).map_err(|e| {
        cx.err_at(
            e.span().map(|s| s.start).unwrap_or(0),
            name,
            format!("invalid value: {}", e.message().trim()),
        )
    })?;
    let v = t
        .get_ref()
        .get("v")
        .ok_or_else(|| cx.err_at(0, name, "missing value"))?;
    if t.get_ref().len() != 1 {
        return Err(cx.err_at(
            0,
            name,
            "invalid value: give one number or one inline table, nothing after it",
        ));
    }
    let d = input::input_value(&cx, v, name)?;
    d.sampler().map_err(|e| cx.err(v, name, e.to_string()))?;
    Ok(d)
}
