//! The parsing context: the scenario text, where errors point (file, line, column and key
//! path, measured in the text as written), which data files may be read, and the typed
//! readers of TOML values that report a located error for every mistake.

use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::expr;
use crate::files::FileAccess;
use crate::scenario::{MAX_NAME_CHARS, Scenario, ScenarioError};

/// A TOML value with its byte span in the (quoted) text.
pub(super) type Val<'a> = Spanned<DeValue<'a>>;

/// What every reader of one scenario text shares.
pub(super) struct Ctx<'a> {
    /// The text parsed: the original with quotes added around bare non-ASCII keys.
    pub(super) src: &'a str,
    /// The file name errors give.
    pub(super) file: &'a str,
    /// The scenario's folder, against which data file paths resolve.
    pub(super) dir: Option<&'a Path>,
    /// Which data files may be read.
    pub(super) access: FileAccess,
    /// Offsets (in `src`) where a quote was inserted around a bare non-ASCII key.
    pub(super) inserted: Vec<usize>,
    /// The text as written, which error positions refer to.
    pub(super) original: &'a str,
}

/// TOML 1.1 (and so the `toml` crate) allows only ASCII letters, digits, `-` and `_` in a
/// bare key, but analysts write `员工数 = 500`. The real TOML parser reads the file as
/// written; every key it reports as a bare simple key (outside strings, comments and
/// values, by its own grammar) that holds non-ASCII letters or digits is quoted, and the
/// insertion points are kept so that error positions refer to the file as written. Nothing
/// else in the text changes.
pub(super) fn quote_unicode_keys(src: &str) -> (String, Vec<usize>) {
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
    /// An error at byte `byte` of the parsed text, reported at its line and column in the
    /// text as written.
    pub(super) fn err_at(
        &self,
        byte: usize,
        key_path: &str,
        message: impl Into<String>,
    ) -> ScenarioError {
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
            refusal: None,
        }
    }

    /// An error at the start of value `v`.
    pub(super) fn err(&self, v: &Val, key_path: &str, message: impl Into<String>) -> ScenarioError {
        self.err_at(v.span().start, key_path, message)
    }

    /// A finite number (integer or float); NaN, infinities and out-of-range literals are
    /// errors.
    pub(super) fn number(&self, v: &Val, path: &str) -> Result<f64, ScenarioError> {
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

    /// A whole number from `lo` to `hi`.
    pub(super) fn integer(
        &self,
        v: &Val,
        path: &str,
        lo: i64,
        hi: i64,
    ) -> Result<i64, ScenarioError> {
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

    /// A string.
    pub(super) fn string<'v>(&self, v: &'v Val, path: &str) -> Result<&'v str, ScenarioError> {
        match v.get_ref() {
            DeValue::String(s) => Ok(s.as_ref()),
            other => Err(self.err(
                v,
                path,
                format!("expected a string, found {}", other.type_str()),
            )),
        }
    }

    /// A table.
    pub(super) fn table<'v, 'a>(
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

    /// An array of at most 1,000,000 finite numbers.
    pub(super) fn numbers(&self, v: &Val, path: &str) -> Result<Vec<f64>, ScenarioError> {
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

    /// A name (of the scenario or a line item): a string that is not blank, of at most
    /// [`MAX_NAME_CHARS`] characters.
    pub(super) fn name(&self, v: &Val, path: &str) -> Result<String, ScenarioError> {
        let s = self.string(v, path)?;
        if s.trim().is_empty() {
            return Err(self.err(v, path, "must not be empty"));
        }
        if s.chars().count() > MAX_NAME_CHARS {
            return Err(self.err(
                v,
                path,
                format!("is longer than {MAX_NAME_CHARS} characters"),
            ));
        }
        Ok(s.to_string())
    }

    /// The index of the input of `s` called `name` (written at `v`), or an error that
    /// suggests the nearest name.
    pub(super) fn input_named(
        &self,
        s: &Scenario,
        v: &Val,
        name: &str,
        path: &str,
    ) -> Result<usize, ScenarioError> {
        s.input_index(name).ok_or_else(|| {
            let hint = expr::nearest(name, s.inputs.iter().map(|i| i.name.as_str()))
                .map(|h| format!("; did you mean `{h}`?"))
                .unwrap_or_default();
            self.err(v, path, format!("no input named `{name}`{hint}"))
        })
    }

    /// Reject keys not in `allowed`, suggesting the nearest.
    pub(super) fn check_keys(
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

/// `path.key`, or `key` at the top level.
pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The value under `key`.
pub(super) fn get<'v, 'a>(t: &'v DeTable<'a>, key: &str) -> Option<&'v Spanned<DeValue<'a>>> {
    t.get(key)
}
