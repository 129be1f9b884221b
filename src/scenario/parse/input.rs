//! The `[inputs]` table: each input's name, and its value read into a distribution
//! through the family registry (a number, a range such as `"5 to 30"`, or a table with
//! `dist`), built into its sampler.

use rayon::prelude::*;
use toml::de::{DeTable, DeValue};

use super::ctx::{Ctx, Val, get, join};
use super::range;
use crate::distributions::families::{self, NAMES};
use crate::distributions::{Dist, InputDist, Keys};
use crate::expr::{self, RESERVED};
use crate::files::{AccessError, ColumnError, quote_n};
use crate::scenario::{Input, MAX_DATA_FILE_BYTES, MAX_NAME_CHARS, Refusal, ScenarioError};

/// Read every input of the `[inputs]` table `v`, in file order. Every input is read
/// first; then their quantile functions are built side by side on the current thread pool
/// (a table takes about a millisecond), and the first that fails, in file order, is the
/// error.
pub(super) fn inputs(cx: &Ctx, v: &Val) -> Result<Vec<Input>, ScenarioError> {
    let t = cx.table(v, "inputs")?;
    let mut read = Vec::with_capacity(t.len());
    for (k, val) in t.iter() {
        let name: &str = k.get_ref().as_ref();
        let path = format!("inputs.{name}");
        check_name(cx, k.span().start, &path, name, "input")?;
        let dist = input_value(cx, val, &path)?;
        read.push((name, val, path, dist));
    }
    let samplers: Vec<_> = read.par_iter().map(|(.., dist)| dist.sampler()).collect();
    read.into_iter()
        .zip(samplers)
        .map(|((name, val, path, dist), sampler)| {
            Ok(Input {
                name: name.to_string(),
                sampler: sampler.map_err(|e| cx.err(val, &path, e.to_string()))?,
                dist,
                line: cx.err(val, "", "").line,
            })
        })
        .collect()
}

/// Check that `name` can be used in expressions: at most [`MAX_NAME_CHARS`] characters, a
/// letter or `_` then letters, digits and `_`, and not a built-in name.
pub(super) fn check_name(
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

/// The keys of one input's table, read for a distribution family: errors point at the
/// table (a missing key) or at the value (a wrong one), with the key path.
pub(super) struct TableKeys<'c, 'a> {
    /// The parsing context.
    pub(super) cx: &'c Ctx<'a>,
    /// The input's table.
    pub(super) t: &'c DeTable<'a>,
    /// The table as a value, where errors about it point.
    pub(super) v: &'c Val<'a>,
    /// The input's key path (`inputs.hourly_cost`).
    pub(super) path: &'c str,
    /// The family named by `dist`, for messages.
    pub(super) family: &'c str,
}

impl Keys<ScenarioError> for TableKeys<'_, '_> {
    fn has(&self, key: &str) -> bool {
        get(self.t, key).is_some()
    }

    fn number(&self, key: &str) -> Result<Option<f64>, ScenarioError> {
        get(self.t, key)
            .map(|x| self.cx.number(x, &join(self.path, key)))
            .transpose()
    }

    fn need(&self, key: &str) -> Result<f64, ScenarioError> {
        let message = || format!("missing: `{}` needs `{key}`", self.family);
        self.number(key)?
            .ok_or_else(|| self.error_at(key, &message()))
    }

    fn numbers(&self, key: &str) -> Result<Option<Vec<f64>>, ScenarioError> {
        get(self.t, key)
            .map(|x| self.cx.numbers(x, &join(self.path, key)))
            .transpose()
    }

    fn data_file(&self) -> Result<Vec<f64>, ScenarioError> {
        match get(self.t, "file") {
            Some(f) => csv_column(self.cx, self.t, f, self.path),
            None => Err(self.error_at("file", "missing: name the CSV file to resample")),
        }
    }

    fn error_at(&self, key: &str, message: &str) -> ScenarioError {
        self.cx.err(self.v, &join(self.path, key), message)
    }

    fn error(&self, message: &str) -> ScenarioError {
        self.cx.err(self.v, self.path, message)
    }
}

/// One input's value: a number (a constant), a range string, or a table naming a family
/// with `dist`, validated (its sampler is built by the caller).
pub(super) fn input_value(cx: &Ctx, v: &Val, path: &str) -> Result<InputDist, ScenarioError> {
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
            format!("missing `dist`: one of {}", NAMES.join(", ")),
        ));
    };
    let family = cx.string(dv, &join(path, "dist"))?;
    let keys = TableKeys {
        cx,
        t,
        v,
        path,
        family,
    };
    let (dist, allowed, interval_form, range) = match range::table(&keys)? {
        Some((dist, allowed, median, r)) => (dist, allowed, median, Some(r)),
        None => {
            let Some(dist) = families::read(family, &keys) else {
                let hint = expr::nearest(family, NAMES.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(cx.err(
                    dv,
                    &join(path, "dist"),
                    format!("unknown distribution `{family}`{hint}"),
                ));
            };
            let dist = dist?;
            let mut allowed = vec!["dist", "base"];
            allowed.extend_from_slice(dist.keys());
            if dist.truncatable() {
                allowed.extend_from_slice(&["min", "max"]);
            }
            (dist, allowed, false, None)
        }
    };
    cx.check_keys(t, path, &allowed, &format!("`{family}`"))?;
    let (mut trunc_min, mut trunc_max) = (None, None);
    if dist.truncatable() {
        trunc_min = keys.number("min")?;
        trunc_max = keys.number("max")?;
    }
    let d = InputDist {
        dist,
        trunc_min,
        trunc_max,
        base: keys.number("base")?,
        interval_form,
        range,
    };
    // Parameter errors point at the table.
    d.dist
        .validate()
        .map_err(|e| cx.err(v, path, e.to_string()))?;
    Ok(d)
}

/// The numbers of the CSV column an `empirical` input names with `file` (value `f`) and
/// `column`, read within [`MAX_DATA_FILE_BYTES`] from where the context allows.
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
    let full = crate::files::resolve_data_file(cx.dir, file, cx.access).map_err(|e| {
        let refusal =
            matches!(e, AccessError::Outside { .. }).then_some(Refusal::FileOutsideFolder);
        ScenarioError {
            refusal,
            ..fail(e.to_string())
        }
    })?;
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
