//! The report's "What drives the risk" block: the tornado of payback and the value of
//! information, in words for the reader.

use std::fmt::Write as _;

use crate::format::{self, NumberStyle};
use crate::report::html::{escape, inline_svg};
use crate::sensitivity::voi::Voi;

/// A value of information below half a currency unit prints as 0: it is no reason to
/// measure anything.
const NEGLIGIBLE: f64 = 0.5;

/// Inputs listed one per row at most; the rest are summed up in a line.
const LISTED: usize = 8;

/// The block's markup: the tornado chart(s) (SVG bytes) and the value of information of
/// the decision "go ahead if the expected NPV is positive". Inputs whose value of
/// information is 0 are named in one line, not listed.
pub fn drivers_html(
    tornado_svgs: &[(String, Vec<u8>)],
    v: &Voi,
    currency: &str,
    style: NumberStyle,
) -> String {
    let mut h = String::new();
    h.push_str(
        "<p>Which assumptions move the payback most: each uncertain input at its 10th and \
         90th percentile, every other input at its point value.</p>\n",
    );
    for (_, bytes) in tornado_svgs {
        h.push_str(&inline_svg(
            &String::from_utf8_lossy(bytes),
            "What moves the payback",
        ));
    }
    let cur = escape(currency);
    let money = |x: f64| format::money(x, style);
    h.push_str("<h4>What is worth measuring before deciding</h4>\n");
    let (worth, nil): (Vec<_>, Vec<_>) = v.inputs.iter().partition(|r| r.evppi >= NEGLIGIBLE);
    if v.evpi < NEGLIGIBLE || worth.is_empty() {
        let _ = writeln!(
            h,
            "<p>Measuring first is not worth paying for: the decision to go ahead would be the \
             same whatever {} the uncertain inputs turn out to be.</p>",
            if v.evpi < NEGLIGIBLE {
                "values"
            } else {
                "single one of"
            }
        );
        return h;
    }
    let _ = write!(
        h,
        "<p>If every uncertainty could be resolved before deciding whether to go ahead, that \
         knowledge would be worth at most <strong>{} {cur}</strong> on average: no study or \
         pilot that costs more is worth doing for this decision. ",
        money(v.evpi)
    );
    if let Some(top) = worth.first() {
        let _ = write!(
            h,
            "The input most worth measuring is <strong>{}</strong>: knowing it exactly is \
             worth at most {} {cur}.",
            escape(&top.input),
            money(top.evppi)
        );
    }
    h.push_str("</p>\n<table><thead><tr><th>Input</th><th class=\"num\">Value of perfect information</th></tr></thead><tbody>\n");
    for row in worth.iter().take(LISTED) {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{} {cur}</td></tr>",
            escape(&row.input),
            money(row.evppi)
        );
    }
    h.push_str("</tbody></table>\n");
    if worth.len() > LISTED {
        let _ = writeln!(
            h,
            "<p class=\"note\">{} more inputs are each worth less than {} {cur}.</p>",
            worth.len() - LISTED,
            money(worth[LISTED - 1].evppi)
        );
    }
    if !nil.is_empty() {
        let mut names: Vec<String> = nil.iter().map(|r| escape(&r.input)).collect();
        names.sort();
        let _ = writeln!(
            h,
            "<p class=\"note\">Knowing {} exactly would not change the decision (worth 0): {}.</p>",
            if nil.len() == 1 {
                "this input".to_string()
            } else {
                format!("any of these {} inputs", nil.len())
            },
            names.join(", ")
        );
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::voi::VoiRow;

    fn voi(rows: &[(&str, f64)], evpi: f64) -> Voi {
        Voi {
            expected_npv: 1.0,
            evpi,
            bins: 10,
            inputs: rows
                .iter()
                .map(|(n, e)| VoiRow {
                    input: n.to_string(),
                    evppi: *e,
                })
                .collect(),
        }
    }

    #[test]
    fn inputs_worth_nothing_share_one_line() {
        let v = voi(
            &[
                ("price", 5_000.0),
                ("zeta", 0.0),
                ("alpha", 0.0),
                ("b<c", 0.2),
            ],
            9_000.0,
        );
        let h = drivers_html(&[], &v, "CNY", NumberStyle::Plain);
        assert_eq!(h.matches("<tr><td>").count(), 1, "{h}");
        assert!(h.contains("<strong>price</strong>"), "{h}");
        assert!(
            h.contains("any of these 3 inputs exactly would not change the decision (worth 0): alpha, b&lt;c, zeta."),
            "{h}"
        );
    }

    #[test]
    fn no_value_of_information_is_one_sentence() {
        let v = voi(&[("a", 0.0), ("b", 0.0)], 0.0);
        let h = drivers_html(&[], &v, "CNY", NumberStyle::Wan);
        assert!(h.contains("Measuring first is not worth paying for"), "{h}");
        assert!(!h.contains("<table"), "{h}");
    }
}
