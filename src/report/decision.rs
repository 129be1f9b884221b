//! The report's "What decides whether it pays back in two years" block: the decision rule
//! `payback <= 24` explained (sensitivity::target), with the input to watch in words.

use std::fmt::Write as _;

use crate::format::{self, NumberStyle};
use crate::report::html::{escape, inline_svg};
use crate::sensitivity::target::{Side, Target};

/// Heading of the block.
pub const TITLE: &str = "What decides whether it pays back in two years";

/// How the block names P(payback ≤ 24).
const CHANCE: &str = "the chance of paying back within two years";

/// Inputs listed in the table at most.
const LISTED: usize = 8;

/// The block's markup: the input to watch, the probability tornado and the KS chart (SVG
/// bytes named `target_tornado.svg` and `target_ks.svg`), and the table of the most
/// influential inputs.
pub fn decision_html(t: &Target, svgs: &[(String, Vec<u8>)], style: NumberStyle) -> String {
    let value = |x: f64| format::value_in(x, style);
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<p>In {} of the simulated outcomes the investment pays back within 24 months. \
         Which assumptions decide whether it does: the outcomes are split into those that pay \
         back in time and those that do not, and each input is compared between the two.</p>",
        format::percent(t.probability),
    );
    match t.watch_as(CHANCE, &value) {
        Some(w) => {
            let _ = writeln!(h, "<p class=\"lead\"><strong>{}</strong></p>", escape(&w));
        }
        None => {
            let _ = writeln!(
                h,
                "<p>Every simulated outcome falls on the same side of 24 months, so no input \
                 decides it within the ranges assumed.</p>"
            );
            return h;
        }
    }
    let charts = [
        (
            "target_tornado",
            "Chance of paying back within two years, by input decile",
        ),
        (
            "target_ks",
            "How differently each input is distributed when it pays back in time",
        ),
    ];
    for (stem, title) in charts {
        for (_, bytes) in svgs.iter().filter(|(n, _)| n.starts_with(stem)) {
            h.push_str(&inline_svg(&String::from_utf8_lossy(bytes), title));
        }
    }
    h.push_str(
        "<div class=\"table-wrap\"><table>\n<thead><tr><th>Input</th>\
         <th class=\"num\">KS</th>\
         <th class=\"num\">Median, in time</th>\
         <th class=\"num\">Median, late</th>\
         <th class=\"num\">Chance, lowest 10%</th>\
         <th class=\"num\">Chance, highest 10%</th>",
    );
    let _ = writeln!(
        h,
        "<th class=\"num\">Needed for {}</th></tr></thead><tbody>",
        format::percent(t.level)
    );
    let dash = || "—".to_string();
    for r in t.inputs.iter().take(LISTED) {
        let need = match (r.threshold, r.threshold_side) {
            (Some(v), Some(Side::AtLeast)) => format!("at least {}", value(v)),
            (Some(v), Some(Side::AtMost)) => format!("at most {}", value(v)),
            _ if r.note.is_some() => "out of range".into(),
            _ => dash(),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td></tr>",
            escape(&r.input),
            r.ks.map(|d| format!("{d:.2}")).unwrap_or_else(dash),
            r.median_met.map(value).unwrap_or_else(dash),
            r.median_not_met.map(value).unwrap_or_else(dash),
            format::percent(r.p_low_decile),
            format::percent(r.p_high_decile),
            need
        );
    }
    h.push_str("</tbody></table></div>\n");
    let notes: Vec<String> = t
        .inputs
        .iter()
        .skip(1)
        .filter_map(|r| r.note.as_deref().map(escape))
        .collect();
    for n in notes {
        let _ = writeln!(h, "<p class=\"note\">{n}.</p>");
    }
    let _ = writeln!(
        h,
        "<p class=\"note\">KS: the Kolmogorov–Smirnov distance between the input's values in \
         the outcomes that pay back within 24 months (in time) and in those that do not (late): \
         0 = the same, 1 = no overlap. The chances by decile use the same outcomes. The value \
         needed is found by re-running the simulation with the input fixed and every other input \
         uncertain; out of range: the chance does not reach the level anywhere in the input's \
         P1–P99.</p>"
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::rule::parse;
    use crate::sensitivity::target::TargetRow;

    fn target(rows: Vec<TargetRow>, p: f64) -> Target {
        Target {
            rule: "payback <= 24".into(),
            probability: p,
            trials: 1000,
            level: 0.8,
            threshold_trials: 500,
            inputs: rows,
            parsed: parse("payback <= 24", &[]).unwrap(),
        }
    }

    fn row(input: &str, ks: Option<f64>, low: f64, high: f64) -> TargetRow {
        TargetRow {
            input: input.into(),
            ks,
            ks_p: ks.map(|_| 0.0),
            median_met: Some(0.8),
            median_not_met: Some(0.5),
            p_low_decile: low,
            p_high_decile: high,
            threshold: Some(0.61),
            threshold_side: Some(Side::AtLeast),
            note: None,
        }
    }

    #[test]
    fn the_input_to_watch_is_named_in_words() {
        let t = target(
            vec![
                row("adoption <peak>", Some(0.5), 0.61, 0.99),
                row("price", Some(0.1), 0.95, 0.88),
            ],
            0.92,
        );
        let h = decision_html(&t, &[], NumberStyle::Plain);
        assert!(
            h.contains("The input to watch is adoption &lt;peak&gt;: if it lands in its lowest 10%, the chance of paying back within two years falls from 92.0% to 61.0%"),
            "{h}"
        );
        assert!(
            h.contains("you would need to believe that adoption &lt;peak&gt; is at least 0.61"),
            "{h}"
        );
        assert_eq!(h.matches("<tr><td>").count(), 2, "{h}");
    }

    #[test]
    fn no_split_is_one_sentence() {
        let t = target(vec![row("a", None, 1.0, 1.0)], 1.0);
        let h = decision_html(&t, &[], NumberStyle::Plain);
        assert!(h.contains("no input decides it"), "{h}");
        assert!(!h.contains("<table"), "{h}");
    }
}
