//! Font registration for the charts.
//!
//! plotters' `ab_glyph` backend draws only fonts registered with
//! [`plotters::style::register_font`], and it has no per-glyph fallback: the single face must
//! cover Latin, digits and Hanzi. We embed WenQuanYi Micro Hei (face 0 of
//! `assets/fonts/wqy-microhei.ttc`, Apache-2.0; see `assets/fonts/LICENSE-wqy-microhei.txt`), so
//! charts render on a machine with no fonts installed.
//!
//! The face is registered under [`FONT_FAMILY`], a CSS fallback list. plotters measures text
//! with the registered face and writes the family name (XML-escaped) into SVG `font-family`
//! attributes, so a browser shows Chinese SVG labels in its own CJK font.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use plotters::style::{FontStyle, register_font};

use super::ChartError;

/// The family name every chart uses. It doubles as the SVG `font-family` value.
pub const FONT_FAMILY: &str =
    "WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif";

/// Largest `--font` file read, in bytes (CJK collections are 20–30 MB).
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

/// WenQuanYi Micro Hei 0.2.0-beta, a TrueType collection; `ab_glyph` reads face 0.
static EMBEDDED_FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");

/// Outcome of registering the embedded face (done at most once per process).
static EMBEDDED: OnceLock<Result<(), String>> = OnceLock::new();

/// The `--font` file currently registered, if any. Guards against re-reading (and leaking)
/// the same file on every call.
static CUSTOM: Mutex<Option<(PathBuf, &'static [u8])>> = Mutex::new(None);

/// Makes sure a font is registered under [`FONT_FAMILY`]. Cheap and idempotent; every chart
/// function calls it with `None` first.
///
/// - `None`: registers the embedded WenQuanYi Micro Hei once, unless a custom font was already
///   registered (which is then kept).
/// - `Some(path)`: reads the font file (TTF/OTF, or face 0 of a TTC) and registers it in place of
///   the embedded face. The bytes are leaked once per distinct path, since plotters wants
///   `&'static [u8]`. The face must contain every glyph the labels need: plotters has no
///   fallback, so missing glyphs render as empty boxes.
///
/// # Errors
/// [`ChartError::Font`] if the file cannot be read or is not a font.
pub fn ensure_registered(custom: Option<&Path>) -> Result<(), ChartError> {
    let mut current = CUSTOM
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match custom {
        None => {
            if current.is_some() {
                return Ok(());
            }
            EMBEDDED
                .get_or_init(|| {
                    register_font(FONT_FAMILY, FontStyle::Normal, EMBEDDED_FONT)
                        .map_err(|_| "the embedded WenQuanYi Micro Hei font is invalid".to_string())
                })
                .clone()
                .map_err(ChartError::Font)
        }
        Some(path) => {
            if current.as_ref().is_some_and(|(p, _)| p == path) {
                return Ok(());
            }
            let bytes = crate::files::read_limited(path, MAX_FONT_BYTES).map_err(|e| match e {
                crate::files::ReadError::TooLarge { limit } => ChartError::Font(format!(
                    "{} is larger than {limit} bytes, the most a font file may have",
                    path.display()
                )),
                crate::files::ReadError::Io(e) => {
                    ChartError::Font(format!("cannot read {}: {e}", path.display()))
                }
            })?;
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            register_font(FONT_FAMILY, FontStyle::Normal, bytes).map_err(|_| {
                ChartError::Font(format!(
                    "{} is not a TrueType/OpenType font plotters can read",
                    path.display()
                ))
            })?;
            *current = Some((path.to_path_buf(), bytes));
            Ok(())
        }
    }
}

/// The bytes of the face registered under [`FONT_FAMILY`] (the `--font` file, or the embedded
/// face once registered), for the PNG text rasteriser.
pub(crate) fn current_face_bytes() -> Option<&'static [u8]> {
    let current = CUSTOM
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match &*current {
        Some((_, bytes)) => Some(*bytes),
        None => matches!(EMBEDDED.get(), Some(Ok(()))).then_some(EMBEDDED_FONT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_font_registers_and_is_idempotent() {
        ensure_registered(None).unwrap();
        ensure_registered(None).unwrap();
        assert!(EMBEDDED_FONT.len() > 1_000_000);
    }

    #[test]
    fn custom_font_file_is_registered_and_used_for_png_text() {
        // The shipped font file itself, found relative to this source file (works from the
        // crate root, where `cargo test` runs, and from scratch crates using #[path]).
        let path = Path::new(file!())
            .parent()
            .unwrap()
            .join("../../assets/fonts/wqy-microhei.ttc");
        let path = if path.exists() {
            path
        } else {
            Path::new("assets/fonts/wqy-microhei.ttc").to_path_buf()
        };
        ensure_registered(Some(&path)).unwrap();
        // Same path again: no re-read; `None` keeps the custom face.
        ensure_registered(Some(&path)).unwrap();
        ensure_registered(None).unwrap();
        let bytes = current_face_bytes().unwrap();
        assert_eq!(bytes.len(), EMBEDDED_FONT.len());
    }

    #[test]
    fn unreadable_custom_font_is_a_font_error() {
        let err = ensure_registered(Some(Path::new("/nonexistent/font.ttf"))).unwrap_err();
        assert!(matches!(err, ChartError::Font(_)), "{err}");
    }

    #[test]
    fn endless_font_file_is_refused_after_the_limit() {
        let err = ensure_registered(Some(Path::new("/dev/zero"))).unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
    }

    #[test]
    fn non_font_file_is_a_font_error() {
        let path =
            std::env::temp_dir().join(format!("payback-not-a-font-{}.ttf", std::process::id()));
        std::fs::write(&path, b"definitely not a font").unwrap();
        let err = ensure_registered(Some(&path)).unwrap_err();
        let _ = std::fs::remove_file(&path);
        assert!(matches!(err, ChartError::Font(_)), "{err}");
    }
}
