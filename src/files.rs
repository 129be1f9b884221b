//! Reading files named by the user (scenarios, data files, fonts) with a bound on what is
//! read, and quoting their content in messages safely.
//!
//! A size taken from `stat` says nothing for devices, pipes or files that grow while being
//! read (`/dev/zero` has size 0), so every reader here stops after `limit + 1` bytes.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a bounded read failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// More than `limit` bytes.
    #[error("it has more than {limit} bytes")]
    TooLarge {
        /// The most bytes accepted.
        limit: u64,
    },
}

/// Read at most `limit` bytes of `path`; a longer file (or an endless device) is
/// [`ReadError::TooLarge`] after reading `limit + 1` bytes, never more.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path)?;
    // Preallocate from the size `stat` reports, but never beyond the limit.
    let hint = file
        .metadata()
        .map(|m| m.len().min(limit))
        .unwrap_or(0)
        .min(1 << 24);
    let mut bytes = Vec::with_capacity(hint as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Which data files (empirical `file = ...`) a scenario may read. Scenarios travel between
/// people, so by default a scenario reads only files in its own folder and below.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FileAccess {
    /// Only files whose real path (symlinks and `..` resolved) lies in the scenario's folder
    /// or below; for a scenario given as text, the current directory.
    #[default]
    ScenarioFolder,
    /// Any file the process may read (`--allow-files-outside`).
    Anywhere,
}

/// Why a data file may not be read.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// The file (or the scenario's folder) cannot be resolved.
    #[error("cannot read `{path}`: {source}")]
    Unresolved {
        /// The path as resolved so far.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The file lies outside the scenario's folder.
    #[error(
        "`{path}` is outside the scenario's folder `{folder}`; a scenario may read only files in its own folder and below"
    )]
    Outside {
        /// The file as written in the scenario.
        path: String,
        /// The scenario's folder (resolved).
        folder: String,
    },
}

/// The path to open for a data file named `file` in a scenario whose folder is `dir`
/// (`None`: the current directory), under the `access` rule. The check resolves symlinks
/// and `..` (canonicalize) before comparing, and reads nothing of a refused file.
pub fn resolve_data_file(
    dir: Option<&Path>,
    file: &str,
    access: FileAccess,
) -> Result<PathBuf, AccessError> {
    let base = match dir {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let full = base.join(file);
    if access == FileAccess::Anywhere {
        return Ok(full);
    }
    let unresolved = |path: &Path, source| AccessError::Unresolved {
        path: quote_n(&path.display().to_string(), 300),
        source,
    };
    let folder = base.canonicalize().map_err(|e| unresolved(base, e))?;
    let real = full.canonicalize().map_err(|e| unresolved(&full, e))?;
    if real.starts_with(&folder) {
        Ok(real)
    } else {
        Err(AccessError::Outside {
            path: quote_n(file, 300),
            folder: quote_n(&folder.display().to_string(), 300),
        })
    }
}

/// Most values read from one CSV column.
pub const MAX_COLUMN_VALUES: usize = 1_000_000;

/// Why a column of a CSV file could not be read as numbers. Messages quote the file's
/// content with [`quote`] (escaped, capped).
#[derive(Debug, thiserror::Error)]
pub enum ColumnError {
    /// The header row is unreadable.
    #[error("cannot read the header: {0}")]
    Header(String),
    /// No column of that name.
    #[error("has no column `{column}` (columns: {columns})")]
    NoColumn {
        /// The name asked for, quoted.
        column: String,
        /// The header's names, quoted, at most 20.
        columns: String,
    },
    /// A malformed row (a field count that differs, bad quoting).
    #[error("row {row}: {message}")]
    Row {
        /// 1-based line of the file (the header is row 1).
        row: usize,
        /// What the CSV reader says, quoted.
        message: String,
    },
    /// A cell that is not a number.
    #[error("row {row}: `{cell}` is not a number")]
    NotNumber {
        /// 1-based line.
        row: usize,
        /// The cell, quoted.
        cell: String,
    },
    /// NaN or an infinity.
    #[error("row {row}: `{cell}` is not finite")]
    NotFinite {
        /// 1-based line.
        row: usize,
        /// The cell, quoted.
        cell: String,
    },
    /// More than [`MAX_COLUMN_VALUES`] values.
    #[error("at most 1,000,000 values are allowed")]
    TooMany,
}

/// The numbers of the column named `column` (its header cell, trimmed) of CSV text, in
/// file order. Blank cells are skipped (a column may be shorter than the others); any other
/// cell must be a finite number.
///
/// # Errors
/// [`ColumnError`] naming the row (the header is row 1) or listing the columns.
pub fn csv_column(bytes: &[u8], column: &str) -> Result<Vec<f64>, ColumnError> {
    let mut rdr = csv::Reader::from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| ColumnError::Header(quote_n(&e.to_string(), 300)))?
        .clone();
    let Some(ci) = headers.iter().position(|h| h.trim() == column) else {
        return Err(ColumnError::NoColumn {
            column: quote(column),
            columns: quote_list(headers.iter(), 20),
        });
    };
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 2;
        let rec = rec.map_err(|e| ColumnError::Row {
            row,
            message: quote_n(&e.to_string(), 300),
        })?;
        let cell = rec.get(ci).unwrap_or("").trim();
        if cell.is_empty() {
            continue;
        }
        let x: f64 = cell.parse().map_err(|_| ColumnError::NotNumber {
            row,
            cell: quote(cell),
        })?;
        if !x.is_finite() {
            return Err(ColumnError::NotFinite {
                row,
                cell: quote(cell),
            });
        }
        out.push(x);
        if out.len() > MAX_COLUMN_VALUES {
            return Err(ColumnError::TooMany);
        }
    }
    Ok(out)
}

/// Most characters of file content quoted in one message.
pub const QUOTE_CHARS: usize = 60;

/// File content as it may appear in a message: control characters (ESC, BEL, CR, newline,
/// …) escaped as `\u{1b}`, and at most [`QUOTE_CHARS`] characters, with `…` when cut.
pub fn quote(text: &str) -> String {
    quote_n(text, QUOTE_CHARS)
}

/// [`quote`] with a chosen number of characters.
pub fn quote_n(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n >= max_chars {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A list of quoted items (e.g. CSV column names): at most `max_items`, each quoted, then
/// "… (N in all)".
pub fn quote_list<'a>(items: impl Iterator<Item = &'a str>, max_items: usize) -> String {
    let mut total = 0;
    let mut shown: Vec<String> = Vec::new();
    for item in items {
        if total < max_items {
            shown.push(quote(item));
        }
        total += 1;
    }
    if total > max_items {
        shown.push(format!("… ({total} in all)"));
    }
    shown.join(", ")
}

/// Escape the control characters of a message line other than tab and newline, so that
/// nothing from a file can drive the terminal (a last guard; messages quote with [`quote`]).
pub fn escape_controls(text: &str) -> String {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                c.escape_default().collect()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_stay_in_the_scenario_folder() {
        let d = tempfile::tempdir().unwrap();
        let sub = d.path().join("data");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("a.csv"), "x\n1\n").unwrap();
        let ok = resolve_data_file(Some(d.path()), "data/a.csv", FileAccess::ScenarioFolder);
        assert!(ok.is_ok(), "{ok:?}");
        for bad in ["/etc/passwd", "../../../../etc/passwd", "data/../../x"] {
            let e = resolve_data_file(Some(&sub), bad, FileAccess::ScenarioFolder);
            assert!(e.is_err(), "{bad}");
        }
        std::os::unix::fs::symlink("/etc/passwd", sub.join("link.csv")).unwrap();
        let e = resolve_data_file(Some(&sub), "link.csv", FileAccess::ScenarioFolder);
        assert!(matches!(e, Err(AccessError::Outside { .. })), "{e:?}");
        let any = resolve_data_file(Some(&sub), "/etc/passwd", FileAccess::Anywhere);
        assert_eq!(any.unwrap(), Path::new("/etc/passwd"));
    }

    #[test]
    fn quote_escapes_controls_and_caps_length() {
        assert_eq!(quote("a\u{1b}[31mb\u{7}"), "a\\u{1b}[31mb\\u{7}");
        assert_eq!(quote("员工数"), "员工数");
        let long = "x".repeat(10_000);
        let q = quote(&long);
        assert_eq!(q.chars().count(), QUOTE_CHARS + 1);
        assert!(q.ends_with('…'));
    }

    #[test]
    fn quote_list_caps_items() {
        let names: Vec<String> = (0..1000).map(|i| format!("c{i}")).collect();
        let s = quote_list(names.iter().map(String::as_str), 5);
        assert_eq!(s, "c0, c1, c2, c3, c4, … (1000 in all)");
    }

    #[test]
    fn escape_controls_keeps_newlines_and_text() {
        assert_eq!(escape_controls("a\nb\tc"), "a\nb\tc");
        assert_eq!(escape_controls("x\u{1b}y\rz"), "x\\u{1b}y\\rz");
    }

    #[test]
    fn read_limited_stops_on_an_endless_device() {
        let e = read_limited(Path::new("/dev/zero"), 1000).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { limit: 1000 }), "{e}");
    }
}
