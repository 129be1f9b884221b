//! From TOML text to a validated [`Scenario`], with a located error for every mistake.

use std::borrow::Cow;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{
    Adoption, BENEFIT_CATEGORIES, COST_CATEGORIES, Correlation, Curve, Input, Kind, LineItem,
    MAX_DATA_FILE_BYTES, MAX_NAME_CHARS, MIN_MONTHS_TO_PEAK, Param, Scenario, ScenarioError,
    Timing,
};
use crate::distributions::{Dist, InputDist};
use crate::expr::{self, RESERVED};
use crate::files::{ColumnError, FileAccess, quote_n};

mod range;

type Val<'a> = Spanned<DeValue<'a>>;

struct Ctx<'a> {
    src: &'a str,
    file: &'a str,
    dir: Option<&'a Path>,
    /// Which data files may be read.
    access: FileAccess,
    /// Offsets (in `src`) where a quote was inserted around a bare non-ASCII key.
    inserted: Vec<usize>,
    original: &'a str,
}

/// TOML 1.1 (and so the `toml` crate) allows only ASCII letters, digits, `-` and `_` in a
/// bare key, but analysts write `员工数 = 500`. The real TOML parser reads the file as
/// written; every key it reports as a bare simple key (outside strings, comments and
/// values, by its own grammar) that holds non-ASCII letters or digits is quoted, and the
/// insertion points are kept so that error positions refer to the file as written. Nothing
/// else in the text changes.
fn quote_unicode_keys(src: &str) -> (String, Vec<usize>) {
    use toml_parser::parser::{Event, EventKind, parse_document};
    let source = toml_parser::Source::new(src);
    let tokens = source.lex().into_vec();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut receiver = |e: Event| {
        if e.kind() == EventKind::SimpleKey && e.encoding().is_none() {
            let span = e.span();
            let key = &src[span.start()..span.end()];
            if !key.is_ascii()
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            {
                spans.push((span.start(), span.end()));
            }
        }
    };
    let mut errors: Vec<toml_parser::ParseError> = Vec::new();
    parse_document(&tokens, &mut receiver, &mut errors);
    if spans.is_empty() {
        return (src.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(src.len() + 2 * spans.len());
    let mut inserted = Vec::with_capacity(2 * spans.len());
    let mut last = 0;
    for (a, b) in spans {
        out.push_str(&src[last..a]);
        inserted.push(out.len());
        out.push('"');
        out.push_str(&src[a..b]);
        inserted.push(out.len());
        out.push('"');
        last = b;
    }
    out.push_str(&src[last..]);
    (out, inserted)
}

impl Ctx<'_> {
    fn err_at(&self, byte: usize, key_path: &str, message: impl Into<String>) -> ScenarioError {
        let shift = self.inserted.iter().filter(|p| **p < byte).count();
        let byte = byte.saturating_sub(shift).min(self.original.len());
        let src = self.original;
        let mut b = byte;
        while b > 0 && !src.is_char_boundary(b) {
            b -= 1;
        }
        let before = &src[..b];
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        ScenarioError {
            file: self.file.to_string(),
            line,
            column,
            key_path: key_path.to_string(),
            message: message.into(),
        }
    }

    fn err(&self, v: &Val, key_path: &str, message: impl Into<String>) -> ScenarioError {
        self.err_at(v.span().start, key_path, message)
    }

    fn number(&self, v: &Val, path: &str) -> Result<f64, ScenarioError> {
        match v.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Ok(n as f64),
                Err(_) => {
                    Err(self.err(v, path, format!("integer `{}` is out of range", i.as_str())))
                }
            },
            DeValue::Float(f) => {
                let s = f.as_str();
                if s.contains("nan") || s.contains("inf") {
                    return Err(self.err(
                        v,
                        path,
                        format!("`{s}` is not allowed: give a finite number"),
                    ));
                }
                match s.parse::<f64>() {
                    Ok(x) if x.is_finite() => Ok(x),
                    _ => {
                        Err(self.err(v, path, format!("`{s}` is too large: give a finite number")))
                    }
                }
            }
            other => Err(self.err(
                v,
                path,
                format!("expected a number, found {}", other.type_str()),
            )),
        }
    }

    fn integer(&self, v: &Val, path: &str, lo: i64, hi: i64) -> Result<i64, ScenarioError> {
        match v.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) if n >= lo && n <= hi => Ok(n),
                Ok(n) => Err(self.err(
                    v,
                    path,
                    format!("must be a whole number from {lo} to {hi} (got {n})"),
                )),
                Err(_) => {
                    Err(self.err(v, path, format!("must be a whole number from {lo} to {hi}")))
                }
            },
            DeValue::Float(f) => Err(self.err(
                v,
                path,
                format!("must be a whole number (got {})", f.as_str()),
            )),
            other => Err(self.err(
                v,
                path,
                format!("expected a whole number, found {}", other.type_str()),
            )),
        }
    }

    fn string<'v>(&self, v: &'v Val, path: &str) -> Result<&'v str, ScenarioError> {
        match v.get_ref() {
            DeValue::String(s) => Ok(s.as_ref()),
            other => Err(self.err(
                v,
                path,
                format!("expected a string, found {}", other.type_str()),
            )),
        }
    }

    fn table<'v, 'a>(
        &self,
        v: &'v Spanned<DeValue<'a>>,
        path: &str,
    ) -> Result<&'v DeTable<'a>, ScenarioError> {
        match v.get_ref() {
            DeValue::Table(t) => Ok(t),
            other => Err(self.err(
                v,
                path,
                format!("expected a table, found {}", other.type_str()),
            )),
        }
    }

    fn numbers(&self, v: &Val, path: &str) -> Result<Vec<f64>, ScenarioError> {
        match v.get_ref() {
            DeValue::Array(a) => {
                if a.len() > 1_000_000 {
                    return Err(self.err(v, path, "at most 1,000,000 values are allowed"));
                }
                a.iter()
                    .enumerate()
                    .map(|(i, x)| self.number(x, &format!("{path}[{i}]")))
                    .collect()
            }
            other => Err(self.err(
                v,
                path,
                format!("expected an array of numbers, found {}", other.type_str()),
            )),
        }
    }

    /// Reject keys not in `allowed`, suggesting the nearest.
    fn check_keys(
        &self,
        t: &DeTable,
        path: &str,
        allowed: &[&str],
        what: &str,
    ) -> Result<(), ScenarioError> {
        for (k, _) in t.iter() {
            let name: &str = k.get_ref().as_ref();
            if !allowed.contains(&name) {
                let hint = match expr::nearest(name, allowed.iter().copied()) {
                    Some(s) => format!("; did you mean `{s}`?"),
                    None => format!("; {what} takes: {}", allowed.join(", ")),
                };
                return Err(self.err_at(
                    k.span().start,
                    &join(path, name),
                    format!("unknown key `{name}`{hint}"),
                ));
            }
        }
        Ok(())
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn get<'v, 'a>(t: &'v DeTable<'a>, key: &str) -> Option<&'v Spanned<DeValue<'a>>> {
    t.get(key)
}

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
        Some(v) => {
            let s = cx.string(v, "name")?;
            if s.trim().is_empty() {
                return Err(cx.err(v, "name", "must not be empty"));
            }
            if s.chars().count() > MAX_NAME_CHARS {
                return Err(cx.err(
                    v,
                    "name",
                    format!("is longer than {MAX_NAME_CHARS} characters"),
                ));
            }
            s.to_string()
        }
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

    let mut scenario = Scenario {
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
    };

    if let Some(v) = get(root, "inputs") {
        let t = cx.table(v, "inputs")?;
        for (k, val) in t.iter() {
            let name: &str = k.get_ref().as_ref();
            let path = format!("inputs.{name}");
            check_name(&cx, k.span().start, &path, name, "input")?;
            let dist = input_value(&cx, val, &path)?;
            let sampler = dist
                .sampler()
                .map_err(|e| cx.err(val, &path, e.to_string()))?;
            let line = cx.err(val, "", "").line;
            scenario.inputs.push(Input {
                name: name.to_string(),
                dist,
                sampler,
                line,
            });
        }
    }

    if let Some(v) = get(root, "adoption") {
        let t = cx.table(v, "adoption")?;
        cx.check_keys(
            t,
            "adoption",
            &["curve", "peak", "months_to_peak"],
            "[adoption]",
        )?;
        let curve = match get(t, "curve") {
            None => Curve::Logistic,
            Some(c) => match cx.string(c, "adoption.curve")? {
                "logistic" => Curve::Logistic,
                "linear" => Curve::Linear,
                "step" => Curve::Step,
                other => {
                    let hint = expr::nearest(other, ["logistic", "linear", "step"])
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    return Err(cx.err(
                        c,
                        "adoption.curve",
                        format!("unknown curve `{other}`: use logistic, linear or step{hint}"),
                    ));
                }
            },
        };
        let peak = match get(t, "peak") {
            None => Param::Const(1.0),
            Some(p) => param(&cx, &scenario, p, "adoption.peak")?,
        };
        if let (Param::Const(x), Some(p)) = (&peak, get(t, "peak"))
            && !(0.0..=1.0).contains(x)
        {
            return Err(cx.err(
                p,
                "adoption.peak",
                format!("must lie within [0, 1] (it is a share of users; got {x})"),
            ));
        }
        let months_to_peak = match get(t, "months_to_peak") {
            None if curve == Curve::Step => Param::Const(1.0),
            None => {
                return Err(cx.err(
                    v,
                    "adoption.months_to_peak",
                    "missing: a logistic or linear curve needs `months_to_peak`",
                ));
            }
            Some(m) => param(&cx, &scenario, m, "adoption.months_to_peak")?,
        };
        if let (Param::Const(x), Some(m)) = (&months_to_peak, get(t, "months_to_peak"))
            && *x < MIN_MONTHS_TO_PEAK
        {
            return Err(cx.err(
                m,
                "adoption.months_to_peak",
                format!("must be at least {MIN_MONTHS_TO_PEAK} months (got {}); for the full peak from month 1 use curve = \"step\"", crate::format::short_number(*x)),
            ));
        }
        scenario.adoption = Adoption {
            curve,
            peak,
            months_to_peak,
        };
        for (key, val) in [
            ("peak", get(t, "peak")),
            ("months_to_peak", get(t, "months_to_peak")),
        ] {
            if let Some(val) = val
                && let Param::Input(i) = param(&cx, &scenario, val, "")?
            {
                let sampler = scenario.inputs[i].sampler.clone();
                scenario
                    .check_adoption_param(i, &sampler)
                    .map_err(|m| cx.err(val, &format!("adoption.{key}"), m))?;
            }
        }
    }

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
            let li = line_item(&cx, item, &path, kind, &names, horizon)?;
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
    if let Some(v) = get(root, "correlations") {
        scenario.correlations = correlations(&cx, &scenario, v)?;
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

fn correlations(cx: &Ctx, s: &Scenario, v: &Val) -> Result<Vec<Correlation>, ScenarioError> {
    let t = cx.table(v, "correlations")?;
    cx.check_keys(
        t,
        "correlations",
        &["pairs", "inputs", "matrix"],
        "[correlations]",
    )?;
    let input = |x: &Val, path: &str| -> Result<usize, ScenarioError> {
        let name = cx.string(x, path)?;
        let i = s.input_index(name).ok_or_else(|| {
            let hint = expr::nearest(name, s.inputs.iter().map(|i| i.name.as_str()))
                .map(|h| format!("; did you mean `{h}`?"))
                .unwrap_or_default();
            cx.err(x, path, format!("no input named `{name}`{hint}"))
        })?;
        if !s.inputs[i].is_uncertain() {
            return Err(cx.err(
                x,
                path,
                format!("`{name}` is a constant; only uncertain inputs can be correlated"),
            ));
        }
        Ok(i)
    };
    let rho = |x: &Val, path: &str| -> Result<f64, ScenarioError> {
        let r = cx.number(x, path)?;
        if !(-1.0..=1.0).contains(&r) {
            return Err(cx.err(
                x,
                path,
                format!("a rank correlation must lie within [-1, 1] (got {r})"),
            ));
        }
        Ok(r)
    };
    let mut out: Vec<Correlation> = Vec::new();
    let mut push = |p: Correlation, at: &Val, path: &str| -> Result<(), ScenarioError> {
        if p.a == p.b {
            return Err(cx.err(at, path, "an input cannot be correlated with itself"));
        }
        if out
            .iter()
            .any(|q| (q.a == p.a && q.b == p.b) || (q.a == p.b && q.b == p.a))
        {
            return Err(cx.err(at, path, "this pair of inputs is given twice"));
        }
        if p.rho != 0.0 {
            out.push(p);
        }
        Ok(())
    };
    if let Some(pv) = get(t, "pairs") {
        let DeValue::Array(arr) = pv.get_ref() else {
            return Err(cx.err(
                pv,
                "correlations.pairs",
                "expected a list such as [[\"a\", \"b\", 0.5]]",
            ));
        };
        for (i, item) in arr.iter().enumerate() {
            let path = format!("correlations.pairs[{i}]");
            match item.get_ref() {
                DeValue::Array(tr) if tr.len() == 3 => {
                    let (a, b) = (input(&tr[0], &path)?, input(&tr[1], &path)?);
                    let r = rho(&tr[2], &path)?;
                    push(Correlation { a, b, rho: r }, item, &path)?;
                }
                _ => {
                    return Err(cx.err(
                        item,
                        &path,
                        "each pair is [\"input_a\", \"input_b\", rank_correlation]",
                    ));
                }
            }
        }
    }
    match (get(t, "inputs"), get(t, "matrix")) {
        (None, None) => {}
        (Some(iv), Some(mv)) => {
            let DeValue::Array(names) = iv.get_ref() else {
                return Err(cx.err(iv, "correlations.inputs", "expected a list of input names"));
            };
            let idx: Vec<usize> = names
                .iter()
                .map(|n| input(n, "correlations.inputs"))
                .collect::<Result<_, _>>()?;
            let DeValue::Array(rows) = mv.get_ref() else {
                return Err(cx.err(mv, "correlations.matrix", "expected a list of rows"));
            };
            let k = idx.len();
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
            for i in 0..k {
                if (m[i * k + i] - 1.0).abs() > 1e-12 {
                    return Err(cx.err(
                        mv,
                        "correlations.matrix",
                        format!("diagonal entry {i} must be 1"),
                    ));
                }
                for j in 0..i {
                    if (m[i * k + j] - m[j * k + i]).abs() > 1e-12 {
                        return Err(cx.err(
                            mv,
                            "correlations.matrix",
                            format!("is not symmetric (entries [{i}][{j}] and [{j}][{i}] differ)"),
                        ));
                    }
                    let r = m[i * k + j];
                    if !(-1.0..=1.0).contains(&r) {
                        return Err(cx.err(
                            mv,
                            "correlations.matrix",
                            format!("entry [{i}][{j}] = {r} is outside [-1, 1]"),
                        ));
                    }
                    push(
                        Correlation {
                            a: idx[j],
                            b: idx[i],
                            rho: r,
                        },
                        mv,
                        "correlations.matrix",
                    )?;
                }
            }
        }
        (Some(x), None) | (None, Some(x)) => {
            return Err(cx.err(x, "correlations", "`inputs` and `matrix` go together"));
        }
    }
    Ok(out)
}

fn check_name(
    cx: &Ctx,
    at: usize,
    path: &str,
    name: &str,
    what: &str,
) -> Result<(), ScenarioError> {
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(cx.err_at(
            at,
            path,
            format!("{what} names may be at most {MAX_NAME_CHARS} characters"),
        ));
    }
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_');
    if !ok {
        return Err(cx.err_at(at, path, format!("`{name}` cannot be used in expressions: an {what} name starts with a letter or `_` and has only letters, digits and `_`")));
    }
    if RESERVED.contains(&name) {
        return Err(cx.err_at(
            at,
            path,
            format!("`{name}` is a built-in name; choose another {what} name"),
        ));
    }
    Ok(())
}

fn param(cx: &Ctx, s: &Scenario, v: &Val, path: &str) -> Result<Param, ScenarioError> {
    match v.get_ref() {
        DeValue::String(name) => match s.input_index(name) {
            Some(i) => Ok(Param::Input(i)),
            None => {
                let hint = expr::nearest(name, s.inputs.iter().map(|i| i.name.as_str()))
                    .map(|h| format!("; did you mean `{h}`?"))
                    .unwrap_or_default();
                Err(cx.err(v, path, format!("no input named `{name}`{hint}")))
            }
        },
        _ => Ok(Param::Const(cx.number(v, path)?)),
    }
}

const DIST_NAMES: &[&str] = &[
    "uniform",
    "triangular",
    "pert",
    "normal",
    "lognormal",
    "beta",
    "gamma",
    "bernoulli",
    "poisson",
    "weibull",
    "negbinomial",
    "discrete",
    "empirical",
];

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
        file: "--set",
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
    let d = input_value(&cx, v, name)?;
    d.sampler().map_err(|e| cx.err(v, name, e.to_string()))?;
    Ok(d)
}

fn input_value(cx: &Ctx, v: &Val, path: &str) -> Result<InputDist, ScenarioError> {
    let t = match v.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) => {
            return Ok(InputDist::plain(Dist::Constant(cx.number(v, path)?)));
        }
        DeValue::Table(t) => t,
        DeValue::String(text) => return range::shorthand(cx, v, path, text),
        other => {
            return Err(cx.err(v, path, format!("expected a number, a range such as \"5 to 30\" or a table such as {{ dist = \"pert\", min = 5, mode = 15, max = 25 }}, found {}", other.type_str())));
        }
    };
    let Some(dv) = get(t, "dist") else {
        return Err(cx.err(
            v,
            path,
            format!("missing `dist`: one of {}", DIST_NAMES.join(", ")),
        ));
    };
    let dist_name = cx.string(dv, &join(path, "dist"))?;
    let num = |k: &str| -> Result<Option<f64>, ScenarioError> {
        get(t, k).map(|x| cx.number(x, &join(path, k))).transpose()
    };
    let need = |k: &str| -> Result<f64, ScenarioError> {
        num(k)?.ok_or_else(|| {
            cx.err(
                v,
                &join(path, k),
                format!("missing: `{dist_name}` needs `{k}`"),
            )
        })
    };
    let mut interval_form = false;
    let common = ["dist", "base"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        common
            .iter()
            .copied()
            .chain(extra.iter().copied())
            .collect()
    };
    let trunc = ["min", "max"];
    let mut range = None;
    let quantiles = range::table(cx, t, v, path, dist_name)?;
    let (dist, allowed): (Dist, Vec<&str>) = if let Some((d, keys, median, r)) = quantiles {
        interval_form = median;
        range = Some(r);
        (d, keys)
    } else {
        match dist_name {
            "uniform" => (
                Dist::Uniform {
                    min: need("min")?,
                    max: need("max")?,
                },
                with(&["min", "max"]),
            ),
            "triangular" => (
                Dist::Triangular {
                    min: need("min")?,
                    mode: need("mode")?,
                    max: need("max")?,
                },
                with(&["min", "mode", "max"]),
            ),
            "pert" => (
                Dist::Pert {
                    min: need("min")?,
                    mode: need("mode")?,
                    max: need("max")?,
                    lambda: num("lambda")?.unwrap_or(4.0),
                },
                with(&["min", "mode", "max", "lambda"]),
            ),
            "normal" => (
                Dist::Normal {
                    mean: need("mean")?,
                    sd: need("sd")?,
                },
                with(&["mean", "sd", "min", "max"]),
            ),
            "lognormal" => (
                Dist::LogNormal {
                    mu: need("mu")?,
                    sigma: need("sigma")?,
                },
                with(&["mu", "sigma", "min", "max"]),
            ),
            "beta" => (
                Dist::Beta {
                    alpha: need("alpha")?,
                    beta: need("beta")?,
                    min: num("min")?.unwrap_or(0.0),
                    max: num("max")?.unwrap_or(1.0),
                },
                with(&["alpha", "beta", "min", "max"]),
            ),
            "gamma" => (
                Dist::Gamma {
                    shape: need("shape")?,
                    scale: need("scale")?,
                },
                with(&["shape", "scale", "min", "max"]),
            ),
            "bernoulli" => (Dist::Bernoulli { p: need("p")? }, with(&["p"])),
            "poisson" => (
                Dist::Poisson {
                    lambda: need("lambda")?,
                },
                with(&["lambda", "min", "max"]),
            ),
            "weibull" => (
                Dist::Weibull {
                    shape: need("shape")?,
                    scale: need("scale")?,
                },
                with(&["shape", "scale", "min", "max"]),
            ),
            "negbinomial" => (
                Dist::NegBinomial {
                    r: need("r")?,
                    p: need("p")?,
                },
                with(&["r", "p", "min", "max"]),
            ),
            "discrete" => {
                let values = match get(t, "values") {
                    Some(x) => cx.numbers(x, &join(path, "values"))?,
                    None => {
                        return Err(cx.err(
                            v,
                            &join(path, "values"),
                            "missing: `discrete` needs `values` and `weights`",
                        ));
                    }
                };
                let weights = match get(t, "weights") {
                    Some(x) => cx.numbers(x, &join(path, "weights"))?,
                    None => vec![1.0; values.len()],
                };
                (
                    Dist::Discrete { values, weights },
                    with(&["values", "weights", "min", "max"]),
                )
            }
            "empirical" => {
                let values = match (get(t, "values"), get(t, "file")) {
                    (Some(x), None) => cx.numbers(x, &join(path, "values"))?,
                    (None, Some(f)) => csv_column(cx, t, f, path)?,
                    _ => {
                        return Err(cx.err(
                            v,
                            path,
                            "`empirical` needs either `values = [...]` or `file` and `column`",
                        ));
                    }
                };
                (
                    Dist::Empirical { values },
                    with(&["values", "file", "column", "min", "max"]),
                )
            }
            other => {
                let hint = expr::nearest(other, DIST_NAMES.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(cx.err(
                    dv,
                    &join(path, "dist"),
                    format!("unknown distribution `{other}`{hint}"),
                ));
            }
        }
    };
    cx.check_keys(t, path, &allowed, &format!("`{dist_name}`"))?;
    let (mut trunc_min, mut trunc_max) = (None, None);
    if dist.truncatable() {
        trunc_min = num(trunc[0])?;
        trunc_max = num(trunc[1])?;
    }
    let base = num("base")?;
    let d = InputDist {
        dist,
        trunc_min,
        trunc_max,
        base,
        interval_form,
        range,
    };
    // Parameter errors point at the table.
    d.dist
        .validate()
        .map_err(|e| cx.err(v, path, e.to_string()))?;
    Ok(d)
}

fn csv_column(cx: &Ctx, t: &DeTable, f: &Val, path: &str) -> Result<Vec<f64>, ScenarioError> {
    let file = cx.string(f, &join(path, "file"))?;
    let column = match get(t, "column") {
        Some(c) => cx.string(c, &join(path, "column"))?.to_string(),
        None => {
            return Err(cx.err(
                f,
                &join(path, "column"),
                "missing: name the CSV column to resample",
            ));
        }
    };
    let fail = |m: String| cx.err(f, &join(path, "file"), m);
    let full = crate::files::resolve_data_file(cx.dir, file, cx.access)
        .map_err(|e| fail(e.to_string()))?;
    // What the messages quote of the path and the file is escaped and capped
    // (`files::quote`): a CSV may hold control bytes or a 200,000-column header.
    let shown = quote_n(&full.display().to_string(), 300);
    // Bound what is read, not what `stat` says (a device such as /dev/zero has size 0).
    let bytes = crate::files::read_limited(&full, MAX_DATA_FILE_BYTES)
        .map_err(|e| fail(format!("cannot read `{shown}`: {e}")))?;
    crate::files::csv_column(&bytes, &column).map_err(|e| match e {
        ColumnError::Header(why) => fail(format!("cannot read the header of `{shown}`: {why}")),
        ColumnError::TooMany => fail(e.to_string()),
        other => fail(format!("`{shown}` {other}")),
    })
}

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
        Some(n) => {
            let s = cx.string(n, &join(path, "name"))?;
            if s.trim().is_empty() {
                return Err(cx.err(n, &join(path, "name"), "must not be empty"));
            }
            if s.chars().count() > MAX_NAME_CHARS {
                return Err(cx.err(
                    n,
                    &join(path, "name"),
                    format!("is longer than {MAX_NAME_CHARS} characters"),
                ));
            }
            s.to_string()
        }
        None => {
            return Err(cx.err(
                v,
                &join(path, "name"),
                "missing: every line item needs a `name`",
            ));
        }
    };
    let cats = if kind == Kind::Cost {
        COST_CATEGORIES
    } else {
        BENEFIT_CATEGORIES
    };
    let category = match get(t, "category") {
        Some(c) => {
            let s = cx.string(c, &join(path, "category"))?;
            if !cats.contains(&s) {
                let other = if kind == Kind::Cost {
                    BENEFIT_CATEGORIES
                } else {
                    COST_CATEGORIES
                };
                let msg = if other.contains(&s) {
                    format!(
                        "`{s}` is a {} category; this is a {}",
                        if kind == Kind::Cost {
                            "benefit"
                        } else {
                            "cost"
                        },
                        if kind == Kind::Cost {
                            "cost"
                        } else {
                            "benefit"
                        }
                    )
                } else {
                    let hint = expr::nearest(s, cats.iter().copied())
                        .map(|h| format!("did you mean `{h}`? "))
                        .unwrap_or_default();
                    format!(
                        "unknown category `{s}`; {hint}categories: {}",
                        cats.join(", ")
                    )
                };
                return Err(cx.err(c, &join(path, "category"), msg));
            }
            s.to_string()
        }
        None => {
            return Err(cx.err(
                v,
                &join(path, "category"),
                format!("missing: one of {}", cats.join(", ")),
            ));
        }
    };
    let when = match get(t, "when") {
        Some(w) => (cx.string(w, &join(path, "when"))?, w),
        None => {
            return Err(cx.err(
                v,
                &join(path, "when"),
                "missing: `once`, `monthly` or `yearly`",
            ));
        }
    };
    let month = |k: &str| -> Result<Option<u32>, ScenarioError> {
        get(t, k)
            .map(|x| cx.integer(x, &join(path, k), 0, 600).map(|n| n as u32))
            .transpose()
    };
    let base_keys = ["name", "category", "when", "amount"];
    let (timing, extra): (Timing, &[&str]) = match when.0 {
        "once" => {
            let at = month("at")?.unwrap_or(0);
            if at > horizon {
                return Err(cx.err(get(t, "at").unwrap_or(v), &join(path, "at"), format!("month {at} is after the horizon ({horizon} months), so this item would never count")));
            }
            (Timing::Once { at }, &["at"])
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
                return Err(cx.err(get(t, "start").unwrap_or(v), &join(path, "start"), format!("month {start} is after the horizon ({horizon} months), so this item would never count")));
            }
            let tm = if when.0 == "monthly" {
                Timing::Monthly { start, end }
            } else {
                Timing::Yearly { start, end }
            };
            (tm, &["start", "end"])
        }
        other => {
            let hint = expr::nearest(other, ["once", "monthly", "yearly"])
                .map(|h| format!("; did you mean `{h}`?"))
                .unwrap_or_default();
            return Err(cx.err(
                when.1,
                &join(path, "when"),
                format!("unknown timing `{other}`: use once, monthly or yearly{hint}"),
            ));
        }
    };
    let allowed: Vec<&str> = base_keys.iter().chain(extra.iter()).copied().collect();
    cx.check_keys(t, path, &allowed, &format!("a `{}` line item", when.0))?;
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
    Ok(LineItem {
        name,
        category,
        kind,
        timing,
        amount_src,
        amount,
    })
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
