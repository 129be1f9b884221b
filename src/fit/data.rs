//! The column to fit: read from a CSV file with the bounded reader (at most
//! [`MAX_DATA_FILE_BYTES`]), every non-blank cell a finite number, and enough distinct
//! values to fit a distribution to.

use std::path::Path;

use crate::files::{self, ColumnError, ReadError, quote, quote_n};
use crate::scenario::MAX_DATA_FILE_BYTES;

use super::MIN_VALUES;

/// Why the data cannot be fitted.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file cannot be read.
    #[error("cannot read `{path}`: {why}")]
    Read {
        /// The file, quoted.
        path: String,
        /// Why.
        why: String,
    },
    /// The column cannot be read as numbers.
    #[error("`{path}` {source}")]
    Column {
        /// The file, quoted.
        path: String,
        /// What is wrong, naming the row or listing the columns.
        source: ColumnError,
    },
    /// No values.
    #[error("column `{column}` has no values (every cell is blank)")]
    Empty {
        /// The column, quoted.
        column: String,
    },
    /// Too few values.
    #[error("column `{column}` has only {n} value{}; fitting a distribution needs at least {MIN_VALUES}", if *.n == 1 { "" } else { "s" })]
    TooFew {
        /// The column, quoted.
        column: String,
        /// How many.
        n: usize,
    },
    /// Every value the same.
    #[error(
        "all {n} values of column `{column}` are {value}: a constant needs no fit (write `{value}` as the input)"
    )]
    AllEqual {
        /// The column, quoted.
        column: String,
        /// How many.
        n: usize,
        /// The value.
        value: String,
    },
}

/// The numbers of `column` in the CSV file `path`, blank cells skipped.
///
/// # Errors
/// [`DataError`] when the file cannot be read (or is larger than
/// [`MAX_DATA_FILE_BYTES`]), has no such column (the message lists the columns), or a cell
/// is text, NaN or infinite (the message names the row).
pub fn read_column(path: &Path, column: &str) -> Result<Vec<f64>, DataError> {
    let shown = quote_n(&path.display().to_string(), 300);
    if path.is_dir() {
        return Err(DataError::Read {
            path: shown,
            why: "it is a directory; give a CSV file".into(),
        });
    }
    let bytes = files::read_limited(path, MAX_DATA_FILE_BYTES).map_err(|e| DataError::Read {
        path: shown.clone(),
        why: match e {
            ReadError::TooLarge { .. } => {
                format!(
                    "it has more than {MAX_DATA_FILE_BYTES} bytes, the most a data file may have"
                )
            }
            ReadError::Io(e) => e.to_string(),
        },
    })?;
    files::csv_column(&bytes, column).map_err(|source| DataError::Column {
        path: shown,
        source,
    })
}

/// Enough values, and not all equal.
///
/// # Errors
/// [`DataError::Empty`], [`DataError::TooFew`] or [`DataError::AllEqual`].
pub fn check(values: &[f64], column: &str) -> Result<(), DataError> {
    let column = quote(column);
    match values {
        [] => Err(DataError::Empty { column }),
        v if v.len() < MIN_VALUES => Err(DataError::TooFew { column, n: v.len() }),
        [first, rest @ ..] if rest.iter().all(|x| x == first) => Err(DataError::AllEqual {
            column,
            n: values.len(),
            value: crate::distributions::short_number(*first),
        }),
        _ => Ok(()),
    }
}
