//! Human number formats shared by the terminal report, Markdown and the charts.
//!
//! Every function is total: non-finite input gives `"n/a"`, and a value that rounds to zero
//! never prints as `-0`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How money amounts are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NumberStyle {
    /// Thousands separators: `1,234,567`.
    #[default]
    Plain,
    /// Short suffixes: `350k`, `1.2M`, `2.4B`, `3.1T`.
    Short,
    /// Chinese myriads: `3500`, `1.2万`, `120万`, `1.5亿`, `2.1万亿`.
    Wan,
}

impl NumberStyle {
    /// The name accepted by [`FromStr`]: `"plain"`, `"short"` or `"wan"`.
    pub fn as_str(self) -> &'static str {
        match self {
            NumberStyle::Plain => "plain",
            NumberStyle::Short => "short",
            NumberStyle::Wan => "wan",
        }
    }
}

impl fmt::Display for NumberStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for an unknown [`NumberStyle`] name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown number style {0:?}: expected \"plain\", \"short\" or \"wan\"")]
pub struct ParseNumberStyleError(pub String);

impl FromStr for NumberStyle {
    type Err = ParseNumberStyleError;

    /// Parses `"plain"`, `"short"` or `"wan"` (case-insensitive, surrounding spaces ignored).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "plain" => Ok(NumberStyle::Plain),
            "short" => Ok(NumberStyle::Short),
            "wan" => Ok(NumberStyle::Wan),
            _ => Err(ParseNumberStyleError(s.to_string())),
        }
    }
}

/// The text with its first character in upper case.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// What non-finite numbers print as.
pub const NOT_AVAILABLE: &str = "n/a";

/// Significant digits kept by [`money`] for scaled (`Short`, `Wan`) and small amounts.
const SIGNIFICANT: i32 = 3;

/// A money amount (no currency symbol) in the given style.
///
/// - `Plain`: amounts of 100 or more are rounded to whole units with thousands separators
///   (`-1,234,568`); smaller ones keep up to 2 decimals, trailing zeros dropped (`12.5`).
/// - `Short`: 3 significant digits with `k`, `M`, `B`, `T` (`1.23M`, `350k`, `2.4B`);
///   below 1,000 as `Plain`.
/// - `Wan`: 3 significant digits with `万` (10⁴), `亿` (10⁸), `万亿` (10¹²), at least all
///   integer digits (`1235万`); below 10,000 as `Plain`.
///
/// Negative amounts get a leading `-`; anything that rounds to zero is `0`. NaN and
/// infinities give `"n/a"`.
pub fn money(x: f64, style: NumberStyle) -> String {
    money_digits(x, style, SIGNIFICANT)
}

/// Several money amounts written with one rule, keeping enough significant digits (3 to 7)
/// that amounts which differ print differently: an estimate and its interval
/// (`118.2万 [117.6万, 118.7万]`, not `118万 [118万, 118万]`). `Plain` amounts keep their
/// whole units; only scaled and small amounts gain digits.
pub fn money_all(xs: &[f64], style: NumberStyle) -> Vec<String> {
    let mut digits = SIGNIFICANT;
    loop {
        let out: Vec<String> = xs.iter().map(|x| money_digits(*x, style, digits)).collect();
        let collapsed =
            (0..xs.len()).any(|i| (i + 1..xs.len()).any(|j| out[i] == out[j] && xs[i] != xs[j]));
        if !collapsed || digits >= 7 {
            return out;
        }
        digits += 1;
    }
}

/// An estimate and its interval: `1,234 [1,100, 1,400]`, with the digits of [`money_all`].
pub fn money_interval(x: f64, lo: f64, hi: f64, style: NumberStyle) -> String {
    match money_all(&[x, lo, hi], style).as_slice() {
        [a, b, c] => format!("{a} [{b}, {c}]"),
        _ => NOT_AVAILABLE.to_string(),
    }
}

/// [`money`] with `significant` significant digits for scaled and small amounts.
fn money_digits(x: f64, style: NumberStyle, significant: i32) -> String {
    if !x.is_finite() {
        return NOT_AVAILABLE.to_string();
    }
    let units: &[(f64, &str)] = match style {
        NumberStyle::Plain => &[],
        NumberStyle::Short => &[(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")],
        NumberStyle::Wan => &[(1e12, "万亿"), (1e8, "亿"), (1e4, "万")],
    };
    let abs = x.abs();
    // The largest unit in which |x|, rounded to 3 significant digits, is at least 1. Rounding
    // first makes carries land in the next unit: 999,950 is "1M", not "1000k".
    for &(scale, suffix) in units {
        let scaled = abs / scale;
        let rounded = round_to(scaled, significant_decimals(scaled, significant));
        if rounded >= 1.0 {
            let decimals = significant_decimals(rounded, significant);
            let body = trim_zeros(&format!("{rounded:.decimals$}"));
            // Scaled numbers get separators only when long: "1,000,000T", but "1235万".
            let body = if rounded >= 10_000.0 {
                group_thousands(&body)
            } else {
                body
            };
            return with_sign(x < 0.0, format!("{body}{suffix}"));
        }
    }
    // Plain amounts, and amounts below the smallest unit.
    let decimals = if abs >= 100.0 {
        0
    } else {
        (significant - 1).max(2) as usize
    };
    let text = trim_zeros(&format!("{abs:.decimals$}"));
    let text = group_thousands(&text);
    with_sign(
        x < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)),
        text,
    )
}

/// `x` with a fixed number of decimals and `,` thousands separators: `thousands(-1234.5, 1)`
/// is `-1,234.5`. Never `-0`; non-finite gives `"n/a"`.
pub fn thousands(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return NOT_AVAILABLE.to_string();
    }
    let text = group_thousands(&format!("{:.*}", decimals, x.abs()));
    with_sign(
        x < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)),
        text,
    )
}

/// A value with about 3 significant digits, whole numbers from 100 up with thousands
/// separators: for inputs and assumptions, which are counts, prices, shares and hours
/// (`500`, `30,000`, `55`, `12.3`, `0.375`, `0.003`). Never `-0`; non-finite gives `"n/a"`.
pub fn value(x: f64) -> String {
    if !x.is_finite() {
        return NOT_AVAILABLE.to_string();
    }
    let a = x.abs();
    if a >= 100.0 || x == 0.0 {
        return thousands(x, 0);
    }
    let decimals = (2 - a.log10().floor() as i32).clamp(0, 8) as usize;
    let s = trim_zeros(&format!("{x:.decimals$}"));
    if s == "-0" { "0".to_string() } else { s }
}

/// [`value`], or in the money style once an amount reaches the style's first unit (1,000
/// for `Short`, 10,000 for `Wan`): one way of writing large numbers on a page.
pub fn value_in(x: f64, style: NumberStyle) -> String {
    let unit = match style {
        NumberStyle::Plain => f64::INFINITY,
        NumberStyle::Short => 999.5,
        NumberStyle::Wan => 9_999.5,
    };
    if x.abs() >= unit {
        money(x, style)
    } else {
        value(x)
    }
}

/// A number of months with one decimal: `14.2`. Never `-0.0`; non-finite gives `"n/a"`.
pub fn months(x: f64) -> String {
    thousands(x, 1)
}

/// A share (1.0 = 100%) as a percentage with one decimal: `0.375` is `37.5%`.
///
/// Shares strictly between 0 and 0.1% print as `<0.1%` and shares strictly between 99.9% and
/// 100% as `>99.9%`, so a rare event is never shown as impossible or certain. Exactly 0 and 1
/// print as `0%` and `100%`. Values outside [0, 1] (returns, growth) are printed as they are,
/// e.g. `-12.0%` or `250.0%`. Non-finite gives `"n/a"`.
pub fn percent(p: f64) -> String {
    if !p.is_finite() {
        return NOT_AVAILABLE.to_string();
    }
    if p == 0.0 {
        return "0%".to_string();
    }
    if p == 1.0 {
        return "100%".to_string();
    }
    if p > 0.0 && p < 0.001 {
        return "<0.1%".to_string();
    }
    if p > 0.999 && p < 1.0 {
        return ">99.9%".to_string();
    }
    format!("{}%", thousands(p * 100.0, 1))
}

/// A share as a whole percentage for sentences (`92%`), by the rule of [`percent`]: a share
/// strictly between 0 and 0.5% is `<1%`, one strictly between 99.5% and 100% is `>99%`.
pub fn percent_whole(p: f64) -> String {
    if !p.is_finite() {
        return NOT_AVAILABLE.to_string();
    }
    if p > 0.0 && p < 0.005 {
        return "<1%".to_string();
    }
    if p > 0.995 && p < 1.0 {
        return ">99%".to_string();
    }
    format!("{}%", thousands(100.0 * p, 0))
}

/// Two shares as a bracketed interval of percentage points, by the rule of [`percent`]
/// without the `%` sign: `[70.6, 72.4]`, `[99.8, >99.9]`, `[<0.1, 0.3]`.
pub fn percent_interval(c: [f64; 2]) -> String {
    let points = |p: f64| percent(p).trim_end_matches('%').to_string();
    format!("[{}, {}]", points(c[0]), points(c[1]))
}

/// A number of months with one decimal, or `> H` for one beyond the horizon `H`.
pub fn months_or_beyond(x: Option<f64>, horizon: u32) -> String {
    match x {
        Some(v) => months(v),
        None => format!("> {horizon}"),
    }
}

/// A difference of two ratios (ROI, 1.0 = 100%) in percentage points: `398.7 pp`.
pub fn percentage_points(x: f64) -> String {
    if !x.is_finite() {
        return NOT_AVAILABLE.to_string();
    }
    format!("{} pp", thousands(100.0 * x, 1))
}

/// An annual rate as a percentage a year: `0.1` is `10.0%/yr`.
pub fn rate_per_year(r: f64) -> String {
    if !r.is_finite() {
        return NOT_AVAILABLE.to_string();
    }
    format!("{}%/yr", thousands(100.0 * r, 1))
}

/// A count with thousands separators: `20,000`.
pub fn count(n: u64) -> String {
    thousands(n as f64, 0)
}

/// A number with up to 6 significant digits and no trailing zeros, for messages that quote
/// a value back (`must be from 0 to 1 (got 1.5)`); very large and very small ones in
/// scientific notation.
pub fn short_number(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let mag = x.abs().log10().floor() as i32;
    if !(-4..15).contains(&mag) {
        return format!("{x:e}");
    }
    let decimals = (5 - mag).clamp(0, 10) as usize;
    trim_zeros(&format!("{x:.decimals$}"))
}

/// A grid or parameter value for people (`payback sweep`): whole numbers with separators, else up to 4
/// significant digits.
pub fn grid_value(v: f64) -> String {
    if !v.is_finite() {
        return NOT_AVAILABLE.to_string();
    }
    if (v - v.round()).abs() < 1e-9 && v.abs() < 1e15 {
        return thousands(v, 0);
    }
    let mag = v.abs().log10().floor() as i32;
    let decimals = (3 - mag).clamp(0, 10) as usize;
    let s = thousands(v, decimals);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A number as written, to 6 significant digits, with thousands separators:
/// `20,000`, `48.5833`, `0.225`; very large and very small ones as [`short_number`].
pub fn number(x: f64) -> String {
    let s = short_number(x);
    if !s
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return s;
    }
    let (sign, body) = match s.strip_prefix('-') {
        Some(b) => ("-", b),
        None => ("", s.as_str()),
    };
    format!("{sign}{}", group_thousands(body))
}

/// Columns a string takes in a terminal: East Asian wide and full-width characters (汉字,
/// 全角) count 2, combining marks 0.
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` padded with spaces on the right to `w` terminal columns.
pub fn pad_right(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(display_width(s))))
}

/// `s` padded with spaces on the left to `w` terminal columns.
pub fn pad_left(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(display_width(s))))
}

/// The widest of some cells in terminal columns, at least `min`.
pub fn column_width<'a>(cells: impl IntoIterator<Item = &'a str>, min: usize) -> usize {
    cells.into_iter().map(display_width).fold(min, usize::max)
}

/// How a table column is aligned by [`align`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text: padded on the right.
    Left,
    /// Numbers: padded on the left.
    Right,
}

/// Rows of cells laid out in columns as wide as their widest cell (in terminal columns, so
/// 汉字 line up), separated by `gap` spaces; a column with no `aligns` entry is left-aligned.
/// Trailing spaces are dropped. Columns never run together, whatever the numbers.
pub fn align(rows: &[Vec<String>], aligns: &[Align], gap: usize) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| column_width(rows.iter().filter_map(|r| r.get(c).map(String::as_str)), 0))
        .collect();
    rows.iter()
        .map(|r| {
            let cells: Vec<String> = r
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(c, (cell, w))| match aligns.get(c) {
                    Some(Align::Right) => pad_left(cell, *w),
                    _ => pad_right(cell, *w),
                })
                .collect();
            cells.join(&" ".repeat(gap)).trim_end().to_string()
        })
        .collect()
}

/// Number of decimals that leaves `significant` significant digits of `v >= 0`.
fn significant_decimals(v: f64, significant: i32) -> usize {
    if v <= 0.0 || !v.is_finite() {
        return 0;
    }
    let digits = v.log10().floor() as i32 + 1;
    (significant - digits).clamp(0, 15) as usize
}

fn round_to(v: f64, decimals: usize) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (v * f).round() / f
}

/// Drops trailing zeros after a decimal point, and the point itself: `12.50` -> `12.5`.
fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// Inserts `,` every three digits in the integer part of an unsigned decimal string.
fn group_thousands(s: &str) -> String {
    let (int, frac) = match s.find('.') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(frac);
    out
}

fn with_sign(negative: bool, body: String) -> String {
    if negative { format!("-{body}") } else { body }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NumberStyle::*;

    #[test]
    fn number_style_parses_and_displays() {
        assert_eq!("plain".parse::<NumberStyle>(), Ok(Plain));
        assert_eq!(" Short ".parse::<NumberStyle>(), Ok(Short));
        assert_eq!("WAN".parse::<NumberStyle>(), Ok(Wan));
        let err = "metric".parse::<NumberStyle>().unwrap_err();
        assert!(err.to_string().contains("metric"), "{err}");
        for s in [Plain, Short, Wan] {
            assert_eq!(s.to_string().parse::<NumberStyle>(), Ok(s));
        }
    }

    #[test]
    fn money_plain_uses_thousands_separators() {
        let cases = [
            (1_234_567.0, "1,234,567"),
            (-1_234_567.4, "-1,234,567"),
            (999.6, "1,000"),
            (100.0, "100"),
            (12.5, "12.5"),
            (12.0, "12"),
            (0.25, "0.25"),
            (0.0, "0"),
            (-0.0, "0"),
            (-0.001, "0"),
            (-0.4, "-0.4"),
            (1e15, "1,000,000,000,000,000"),
        ];
        for (x, want) in cases {
            assert_eq!(money(x, Plain), want, "money({x}, Plain)");
        }
    }

    #[test]
    fn money_short_keeps_three_significant_digits() {
        let cases = [
            (1_200_000.0, "1.2M"),
            (1_234_567.0, "1.23M"),
            (350_000.0, "350k"),
            (2_400_000_000.0, "2.4B"),
            (-45_600.0, "-45.6k"),
            (999.0, "999"),
            (1_000.0, "1k"),
            (999_950.0, "1M"),
            (999_499.0, "999k"),
            (999.6, "1k"),
            (-999.6, "-1k"),
            (12_345_678_901_234.0, "12.3T"),
            (1e18, "1,000,000T"),
            (0.0, "0"),
            (-0.0001, "0"),
            (42.42, "42.42"),
        ];
        for (x, want) in cases {
            assert_eq!(money(x, Short), want, "money({x}, Short)");
        }
    }

    #[test]
    fn money_wan_uses_chinese_myriads() {
        let cases = [
            (1_200_000.0, "120万"),
            (150_000_000.0, "1.5亿"),
            (12_345.0, "1.23万"),
            (12_345_678.0, "1235万"),
            (9_940.0, "9,940"),
            (9_999.0, "1万"),
            (-3_500_000.0, "-350万"),
            (99_999_999.0, "1亿"),
            (2.1e12, "2.1万亿"),
            (0.0, "0"),
        ];
        for (x, want) in cases {
            assert_eq!(money(x, Wan), want, "money({x}, Wan)");
        }
    }

    #[test]
    fn intervals_keep_the_digits_that_tell_their_ends_apart() {
        assert_eq!(
            money_interval(1_182_000.0, 1_176_000.0, 1_187_000.0, Wan),
            "118.2万 [117.6万, 118.7万]"
        );
        assert_eq!(
            money_interval(1_200_000.0, 900_000.0, 1_500_000.0, Wan),
            "120万 [90万, 150万]"
        );
        assert_eq!(
            money_interval(409_581.0, 407_674.0, 411_487.0, Short),
            "410k [408k, 411k]"
        );
        assert_eq!(
            money_interval(409_581.0, 407_674.0, 411_487.0, Plain),
            "409,581 [407,674, 411,487]"
        );
        // Equal amounts stay equal; a small amount gains decimals only when needed.
        assert_eq!(money_all(&[5.0, 5.0], Wan), ["5", "5"]);
        assert_eq!(money_all(&[1.234, 1.236], Plain), ["1.23", "1.24"]);
        assert_eq!(money_all(&[1.2341, 1.2344], Plain), ["1.2341", "1.2344"]);
        assert_eq!(money(1.234, Plain), "1.23");
    }

    #[test]
    fn money_of_non_finite_is_not_available() {
        for style in [Plain, Short, Wan] {
            assert_eq!(money(f64::NAN, style), "n/a");
            assert_eq!(money(f64::INFINITY, style), "n/a");
            assert_eq!(money(f64::NEG_INFINITY, style), "n/a");
        }
    }

    #[test]
    fn thousands_formats_fixed_decimals() {
        assert_eq!(thousands(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(thousands(-1_234.5, 1), "-1,234.5");
        assert_eq!(thousands(-0.04, 1), "0.0");
        assert_eq!(thousands(0.0, 0), "0");
        assert_eq!(thousands(999.5, 0), "1,000");
        assert_eq!(thousands(123.0, 0), "123");
        assert_eq!(thousands(1e20, 0), "100,000,000,000,000,000,000");
        assert_eq!(thousands(f64::NAN, 2), "n/a");
    }

    #[test]
    fn value_keeps_about_three_significant_digits() {
        assert_eq!(value(500.0), "500");
        assert_eq!(value(30_000.0), "30,000");
        assert_eq!(value(54.987), "55");
        assert_eq!(value(0.375), "0.375");
        assert_eq!(value(0.003), "0.003");
        assert_eq!(value(12.34), "12.3");
        assert_eq!(value(0.0), "0");
        assert_eq!(value(-2.5), "-2.5");
        assert_eq!(value(-0.0001), "-0.0001");
        assert_eq!(value(f64::NAN), "n/a");
    }

    #[test]
    fn value_in_a_style_scales_large_numbers_only() {
        assert_eq!(value_in(60_000.0, Wan), "6万");
        assert_eq!(value_in(9_000.0, Wan), "9,000");
        assert_eq!(value_in(0.375, Wan), "0.375");
        assert_eq!(value_in(60_000.0, Plain), "60,000");
        assert_eq!(value_in(2_500.0, Short), "2.5k");
    }

    #[test]
    fn months_has_one_decimal() {
        assert_eq!(months(14.234), "14.2");
        assert_eq!(months(36.0), "36.0");
        assert_eq!(months(0.0), "0.0");
        assert_eq!(months(-0.04), "0.0");
        assert_eq!(months(-3.25), "-3.2");
        assert_eq!(months(1234.0), "1,234.0");
        assert_eq!(months(f64::NAN), "n/a");
        assert_eq!(months(f64::INFINITY), "n/a");
    }

    #[test]
    fn percent_flags_rare_and_near_certain_events() {
        let cases = [
            (0.375, "37.5%"),
            (0.0, "0%"),
            (1.0, "100%"),
            (0.0004, "<0.1%"),
            (0.001, "0.1%"),
            (0.9995, ">99.9%"),
            (0.999, "99.9%"),
            (0.5, "50.0%"),
            (-0.12, "-12.0%"),
            (-0.0000001, "0.0%"),
            (2.5, "250.0%"),
            (1e9, "100,000,000,000.0%"),
        ];
        for (p, want) in cases {
            assert_eq!(percent(p), want, "percent({p})");
        }
        assert_eq!(percent(f64::NAN), "n/a");
        assert_eq!(percent(f64::NEG_INFINITY), "n/a");
    }

    #[test]
    fn number_style_names_round_trip() {
        // `as_str` gives the names `FromStr` (and serde, via rename_all) accept.
        for s in [Plain, Short, Wan] {
            assert_eq!(s.as_str().parse::<NumberStyle>(), Ok(s));
        }
    }

    #[test]
    fn percent_intervals_follow_the_percent_rule() {
        assert_eq!(percent_interval([0.706, 0.724]), "[70.6, 72.4]");
        assert_eq!(percent_interval([0.998, 0.9999]), "[99.8, >99.9]");
        assert_eq!(percent_interval([0.0, 0.0004]), "[0, <0.1]");
        assert_eq!(percent_interval([0.207, 1.0]), "[20.7, 100]");
    }

    #[test]
    fn near_certain_and_rare_shares_never_round_to_certain_or_impossible() {
        assert_eq!(percent(0.9996), ">99.9%");
        assert_eq!(percent(0.0003), "<0.1%");
        assert_eq!(percent(1.0 - 0.9999), "<0.1%");
        assert_eq!(percent_whole(0.9997), ">99%");
        assert_eq!(percent_whole(0.003), "<1%");
        assert_eq!(percent_whole(0.916), "92%");
        assert_eq!(percent_whole(1.0), "100%");
        assert_eq!(percent_whole(0.0), "0%");
    }

    #[test]
    fn small_helpers() {
        assert_eq!(months_or_beyond(Some(8.94), 36), "8.9");
        assert_eq!(months_or_beyond(None, 36), "> 36");
        assert_eq!(percentage_points(3.987), "398.7 pp");
        assert_eq!(rate_per_year(0.1), "10.0%/yr");
        assert_eq!(rate_per_year(0.075), "7.5%/yr");
        assert_eq!(count(20_000), "20,000");
        assert_eq!(short_number(0.1), "0.1");
        assert_eq!(short_number(48.583333), "48.5833");
        assert_eq!(short_number(2e20), "2e20");
        assert_eq!(short_number(0.0), "0");
        assert_eq!(number(20_000.0), "20,000");
        assert_eq!(number(-1_234_567.5), "-1,234,568");
        assert_eq!(number(48.583333), "48.5833");
        assert_eq!(number(2e20), "2e20");
        assert_eq!(grid_value(3000.0), "3,000");
        assert_eq!(grid_value(368.5714), "368.6");
        assert_eq!(grid_value(0.05), "0.05");
    }

    #[test]
    fn padding_counts_terminal_columns() {
        assert_eq!(display_width("ab"), 2);
        assert_eq!(display_width("方案"), 4);
        assert_eq!(display_width("客户终身毛利"), 12);
        assert_eq!(pad_right("方案", 6), "方案  ");
        assert_eq!(pad_left("方案", 6), "  方案");
        assert_eq!(pad_right("toolong", 3), "toolong");
        assert_eq!(column_width(["a", "坐席数"], 4), 6);
        let rows = vec![
            vec!["坐席数".to_string(), "10".to_string(), "x".to_string()],
            vec!["seat_price".to_string(), "730,254,103".to_string()],
        ];
        let lines = align(&rows, &[Align::Left, Align::Right], 2);
        assert_eq!(lines[0], "坐席数               10  x");
        assert_eq!(lines[1], "seat_price  730,254,103");
    }
}
