//! The one-file HTML management report: pure rendering from a finished run to a string.
//!
//! The page is self-contained: inline CSS, charts as inline SVG, no JavaScript, no fonts,
//! images or style sheets fetched from anywhere (it opens from a USB stick or an e-mail
//! attachment). It reads top-down for a manager: the decision summary, the charts, the TCO
//! breakdown, any extra sections (sensitivity, comparisons), then the assumptions and line
//! items an analyst checks, and a footer with the run's provenance and how to read the page.
//! It prints on A4.
//!
//! Everything the user wrote (scenario, input and line-item names, expressions) is
//! HTML-escaped; [`Section::html`] and the chart SVGs are trusted markup.

use std::fmt::Write as _;

use crate::charts::layout::unescape_xml;
use crate::format::{self, NumberStyle};
use crate::report::sections::{OptionBlocks, Place, option_blocks};
use crate::scenario::Scenario;
use crate::simulate::RunResult;
use crate::summary::Summary;

/// An extra section placed after the charts and the TCO table, before the assumptions.
#[derive(Clone, Debug, Default)]
pub struct Section {
    /// Anchor id (letters, digits, `-`), e.g. `"sensitivity"`.
    pub id: String,
    /// Heading, plain text (escaped when rendered).
    pub title: String,
    /// Body markup, inserted as is (trusted; escape user text before putting it here).
    pub html: String,
}

/// Everything the report shows.
pub struct ReportInput<'a> {
    /// The scenario as simulated (after `--set` and `--horizon`).
    pub scenario: &'a Scenario,
    /// The run.
    pub result: &'a RunResult,
    /// How money is written.
    pub style: NumberStyle,
    /// Charts in display order: (title, SVG markup). An XML prolog is dropped and the SVG
    /// is made to scale with the page.
    pub charts: Vec<(String, String)>,
    /// Sections after the charts and the TCO table, before the assumptions.
    pub extra_sections: Vec<Section>,
}

/// The CSS font stack of the page: Latin UI fonts first, then Chinese fonts for
/// macOS, Windows and Linux, then the generic family.
pub const FONT_STACK: &str = "\"Segoe UI\", \"Helvetica Neue\", Arial, \"PingFang SC\", \"Hiragino Sans GB\", \"Microsoft YaHei\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", sans-serif";

/// Escape text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Render the report on one scenario.
pub fn render(input: &ReportInput) -> String {
    let s = input.scenario;
    let sm = &input.result.summary;
    let mut o = page_start(&s.name, &s.name);
    let _ = write!(o, "<header>\n<h1>{}</h1>\n", escape(&s.name));
    if let Some(d) = &s.description {
        let _ = writeln!(o, "<p class=\"lead\">{}</p>", escape(d));
    }
    meta_line(&mut o, sm);
    o.push_str("</header>\n");
    let mut body = String::new();
    let blocks = OptionBlocks {
        scenario: s,
        result: input.result,
        style: input.style,
        charts: &input.charts,
        extra_sections: &input.extra_sections,
    };
    let toc = option_blocks(
        &mut body,
        &blocks,
        Place {
            prefix: "",
            level: 2,
        },
    );
    let notes: Vec<String> = sm.warnings.clone();
    contents_and_body(&mut o, toc, &body, &notes);
    let source = s.path.as_ref().map(|p| p.display().to_string());
    footer(&mut o, sm, source.as_slice());
    page_end(o)
}

/// The page up to `<main>`: head, inline CSS. `lang_hint` decides the page language.
pub fn page_start(title: &str, lang_hint: &str) -> String {
    let mut o = String::with_capacity(256 * 1024);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"payback {ver}\">\n\
         <title>{title} · payback report</title>\n<style>\n{css}</style>\n</head>\n<body>\n<main>\n",
        lang = if has_cjk(lang_hint) { "zh-CN" } else { "en" },
        ver = env!("CARGO_PKG_VERSION"),
        title = escape(title),
        css = css(),
    );
    o
}

/// Close the page.
pub fn page_end(mut o: String) -> String {
    o.push_str("</main>\n</body>\n</html>\n");
    o
}

/// The line under the title: horizon, discount rate, currency, number of outcomes.
pub fn meta_line(o: &mut String, sm: &Summary) {
    let _ = writeln!(
        o,
        "<p class=\"meta\">Investment appraisal over {h} months · discount rate {r} a year · \
         amounts in {cur} · {n} simulated outcomes</p>",
        h = sm.horizon_months,
        r = format::percent(sm.discount_rate),
        cur = escape(&sm.currency),
        n = format::thousands(sm.trials as f64, 0),
    );
}

/// The table of contents: (id, title) of each entry.
pub fn contents(o: &mut String, entries: &[(String, String)]) {
    o.push_str("<nav class=\"toc\">Contents:\n");
    for (id, title) in entries {
        let _ = writeln!(o, "<a href=\"#{}\">{}</a>", escape(id), escape(title));
    }
    o.push_str("</nav>\n");
}

/// The table of contents (`toc`, then the notes when there are any and how to read the
/// report), the body, then the technical notes.
pub fn contents_and_body(
    o: &mut String,
    mut toc: Vec<(String, String)>,
    body: &str,
    notes: &[String],
) {
    if !notes.is_empty() {
        toc.push(("notes".into(), "Technical notes".into()));
    }
    toc.push(("how-to-read".into(), "How to read this".into()));
    contents(o, &toc);
    o.push_str(body);
    technical_notes(o, notes);
}

/// The run's notes for the analyst who prepared the report (short horizons, few trials,
/// repaired correlations), kept apart from the management text.
pub fn technical_notes(o: &mut String, notes: &[String]) {
    if notes.is_empty() {
        return;
    }
    o.push_str(
        "<section id=\"notes\" class=\"notes\">\n<h2>Technical notes</h2>\n\
         <p class=\"note\">For the analyst who prepared this report: what the simulation \
         reported about its own settings.</p>\n<ul class=\"note\">\n",
    );
    for n in notes {
        let _ = writeln!(o, "<li>{}</li>", escape(n));
    }
    o.push_str("</ul>\n</section>\n");
}

fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c))
}

fn css() -> String {
    format!(
        r#":root {{ --ink: #111827; --muted: #4b5563; --faint: #6b7280; --line: #e5e7eb; --soft: #f3f4f6;
  --blue: #2563eb; --green: #15803d; --amber: #b45309; --red: #b91c1c; }}
* {{ box-sizing: border-box; }}
html {{ -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }}
body {{ margin: 0; background: #fff; color: var(--ink); font-family: {FONT_STACK};
  font-size: 15px; line-height: 1.5; }}
main {{ max-width: 1060px; margin: 0 auto; padding: 32px 32px 48px; }}
h1 {{ font-size: 28px; line-height: 1.25; margin: 0 0 6px; }}
h2 {{ font-size: 21px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--ink); }}
h3 {{ font-size: 16px; margin: 22px 0 8px; }}
h4 {{ font-size: 15px; margin: 18px 0 6px; }}
section.option > h2 {{ border-bottom: 4px solid var(--blue); }}
section.option section > h3 {{ font-size: 18px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #9ca3af; }}
.pick {{ border-left: 6px solid var(--green); background: #f0fdf4; border-radius: 4px; padding: 12px 18px; margin: 0 0 18px; }}
.pick.close {{ border-color: var(--amber); background: #fffbeb; }}
.pick.none {{ border-color: var(--red); background: #fef2f2; }}
.pick h3 {{ margin: 0 0 8px; font-size: 19px; }}
.pick ul {{ margin: 4px 0 0; padding-left: 20px; }}
.pick li {{ margin: 3px 0; }}
ul.options {{ margin: 8px 0 4px; padding: 0; list-style: none; color: var(--muted); }}
table.side-by-side th.option {{ text-align: right; }}
table.side-by-side th.option.chosen, table.side-by-side td.chosen {{ background: #f0fdf4; }}
td.best {{ font-weight: 700; }}
p {{ margin: 0 0 10px; }}
.lead {{ color: var(--muted); margin: 0 0 4px; }}
.meta {{ color: var(--faint); font-size: 13px; margin: 0; }}
.note {{ color: var(--muted); font-size: 13px; }}
nav.toc {{ margin: 18px 0 0; font-size: 13px; color: var(--faint); }}
nav.toc a {{ color: var(--blue); text-decoration: none; margin-right: 14px; white-space: nowrap; }}
.kpis {{ display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; margin: 0 0 16px; }}
.kpi {{ border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: #fff; }}
.kpi .label {{ color: var(--muted); font-size: 13px; }}
.kpi .value {{ font-size: 30px; font-weight: 650; line-height: 1.2; margin: 4px 0 2px;
  font-variant-numeric: tabular-nums; white-space: nowrap; }}
.kpi .value small {{ font-size: 15px; font-weight: 500; color: var(--muted); }}
.kpi .sub {{ color: var(--faint); font-size: 12px; }}
.kpi.good .value {{ color: var(--green); }}
.kpi.warn .value {{ color: var(--amber); }}
.kpi.bad .value {{ color: var(--red); }}
.verdict {{ border-left: 6px solid var(--faint); background: var(--soft); border-radius: 4px;
  padding: 12px 18px; margin: 0 0 18px; }}
.verdict p {{ margin: 4px 0; }}
.verdict .badge {{ display: inline-block; font-weight: 700; font-size: 13px; letter-spacing: .02em;
  text-transform: uppercase; color: #fff; background: var(--faint); border-radius: 4px;
  padding: 1px 8px; margin-right: 8px; }}
.verdict.good {{ border-color: var(--green); background: #f0fdf4; }}
.verdict.good .badge {{ background: var(--green); }}
.verdict.ok {{ border-color: #65a30d; background: #f7fee7; }}
.verdict.ok .badge {{ background: #4d7c0f; }}
.verdict.warn {{ border-color: var(--amber); background: #fffbeb; }}
.verdict.warn .badge {{ background: var(--amber); }}
.verdict.bad {{ border-color: var(--red); background: #fef2f2; }}
.verdict.bad .badge {{ background: var(--red); }}
.warnings {{ border: 1px solid #fcd34d; background: #fffbeb; border-radius: 6px; padding: 8px 14px;
  margin: 12px 0; font-size: 14px; }}
.warnings ul {{ margin: 4px 0; padding-left: 20px; }}
.table-wrap {{ overflow-x: auto; margin: 0 0 8px; }}
table {{ border-collapse: collapse; width: 100%; margin: 0 0 8px; font-size: 14px; }}
th, td {{ padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }}
thead th {{ border-bottom: 2px solid #9ca3af; font-weight: 600; color: var(--muted); font-size: 13px; }}
tbody tr:nth-child(even) {{ background: #fafafa; }}
tfoot td {{ border-top: 2px solid #9ca3af; font-weight: 600; }}
.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
td.name {{ font-weight: 500; overflow-wrap: break-word; }}
code {{ font-family: "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "Noto Sans Mono CJK SC", monospace;
  font-size: 12.5px; background: var(--soft); border-radius: 3px; padding: 1px 4px; overflow-wrap: anywhere; }}
.bar {{ display: inline-block; height: 9px; background: var(--blue); border-radius: 2px; vertical-align: middle;
  margin-left: 6px; opacity: .75; }}
.bar-cell {{ width: 150px; white-space: nowrap; }}
figure.chart {{ margin: 0 0 28px; break-inside: avoid; page-break-inside: avoid; }}
figure.chart figcaption {{ font-weight: 600; margin: 0 0 4px; }}
figure.chart svg {{ display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }}
.chart-missing {{ color: var(--muted); font-style: italic; }}
dl.settings {{ display: grid; grid-template-columns: max-content 1fr; gap: 2px 18px; margin: 0 0 14px; font-size: 14px; }}
dl.settings dt {{ color: var(--muted); }}
dl.settings dd {{ margin: 0; }}
footer {{ margin-top: 44px; padding-top: 14px; border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }}
footer h2 {{ font-size: 16px; border: 0; margin: 0 0 6px; padding: 0; color: var(--ink); }}
footer p {{ margin: 0 0 8px; }}
@media screen and (max-width: 760px) {{
  main {{ padding: 18px 14px 32px; }}
  .kpis {{ grid-template-columns: repeat(2, minmax(0, 1fr)); }}
  .bar-cell {{ width: auto; }}
  .bar {{ display: none; }}
  th, td {{ padding: 5px 6px; }}
  .kpi .value {{ font-size: 24px; }}
}}
@page {{ size: A4; margin: 14mm 12mm 16mm; }}
@media print {{
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
  body {{ font-size: 10pt; }}
  main {{ max-width: none; padding: 0; }}
  nav.toc {{ display: none; }}
  h1 {{ font-size: 20pt; }}
  h2 {{ font-size: 14pt; margin-top: 22px; break-after: avoid; page-break-after: avoid; }}
  h3 {{ break-after: avoid; page-break-after: avoid; }}
  table {{ font-size: 9pt; }}
  tr, .kpis, .verdict, figure.chart, section.tco, table.side-by-side {{ break-inside: avoid; page-break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  .table-wrap {{ overflow: visible; }}
  .kpi .value {{ font-size: 20pt; }}
  figure.chart {{ width: 92%; margin: 0 auto 5mm; }}
  figure.chart svg {{ border: 0; }}
  h2 + p, h3 {{ break-after: avoid; page-break-after: avoid; }}
  section.charts, section.option {{ break-before: page; page-break-before: always; }}
  a {{ color: inherit; text-decoration: none; }}
}}
"#
    )
}

/// How to read the page, and the provenance of its numbers (`sources`: the scenario files).
pub fn footer(o: &mut String, sm: &Summary, sources: &[String]) {
    let h = sm.horizon_months;
    let _ = writeln!(
        o,
        "<footer id=\"how-to-read\">\n<h2>How to read this report</h2>\n\
         <p>Each input that nobody knows exactly (prices, time saved, adoption, hidden costs) was \
         given a range instead of a single number, and the investment was replayed \
         {n} times with different values drawn from those ranges. The results are therefore \
         shown as chances, not as one forecast. <em>Payback</em> is the month from which the \
         cumulative cash flow stays above zero; “&gt; {h}” means not within the {h}-month \
         horizon. <em>NPV</em> (net present value) is the total net gain in today’s money, \
         discounting future months at {r} a year; a negative NPV means the investment loses \
         money. Rule of thumb: a payback under 12 months is good; over 24 months needs a \
         strategic reason. In the payback chart, taller bars mark more likely months; the \
         cash-flow chart shows the typical path (median line) and the range of outcomes \
         (shaded bands); the NPV chart shows in red the outcomes that lose money. Small \
         differences (a percentage point or two) are within the simulation’s own noise.</p>",
        n = format::thousands(sm.trials as f64, 0),
        r = format::percent(sm.discount_rate),
    );
    let source = match sources {
        [] => String::new(),
        list => {
            let files: Vec<String> = list
                .iter()
                .map(|p| format!("<code>{}</code>", escape(p)))
                .collect();
            format!(" from {}", files.join(", "))
        }
    };
    let _ = writeln!(
        o,
        "<p>{} trials · seed {} · {} sampling · payback {}. Generated by payback{source}; \
         the same scenario files, number of trials, seed and sampling reproduce every number \
         in this report exactly. The page is self-contained: no scripts, no network access.</p>\n\
         </footer>",
        format::thousands(sm.trials as f64, 0),
        sm.seed,
        escape(sm.sampling.name()),
        env!("CARGO_PKG_VERSION")
    );
}

// ---------------------------------------------------------------------------------------------
// SVG
// ---------------------------------------------------------------------------------------------

/// Make chart SVG markup fit to inline in HTML: drop anything before the `<svg` root (XML
/// prolog, doctype, comments), drop the root's fixed `width`/`height` and namespace
/// declarations (HTML parsing supplies them; keeping them would put URLs in the page), keep
/// or add a `viewBox` so it scales, and label it for screen readers. Markup without an
/// `<svg` root becomes a short note.
pub fn inline_svg(svg: &str, title: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return format!(
            "<p class=\"chart-missing\">The chart “{}” could not be drawn.</p>",
            escape(title)
        );
    };
    let rest = &svg[start + 4..];
    // End of the root start tag, skipping quoted attribute values.
    let mut quote: Option<char> = None;
    let mut end = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                end = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(end) = end else {
        return format!(
            "<p class=\"chart-missing\">The chart “{}” could not be drawn.</p>",
            escape(title)
        );
    };
    let attrs_src = &rest[..end];
    let self_closing = attrs_src.trim_end().ends_with('/');
    let attrs_src = attrs_src.trim_end().trim_end_matches('/');
    let body = &rest[end + 1..];
    let body = match body.rfind("</svg>") {
        Some(e) => &body[..e + "</svg>".len()],
        None => body,
    };
    let attrs = parse_attrs(attrs_src);
    let get = |n: &str| {
        attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.as_str())
    };
    let length = |v: Option<&str>| {
        v.and_then(|v| {
            v.trim()
                .trim_end_matches("px")
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x > 0.0)
        })
    };
    let mut out = String::from("<svg");
    let view_box = match get("viewBox") {
        Some(v) => Some(v.to_string()),
        None => match (length(get("width")), length(get("height"))) {
            (Some(w), Some(h)) => Some(format!("0 0 {w} {h}")),
            _ => None,
        },
    };
    if let Some(vb) = &view_box {
        let _ = write!(out, " viewBox=\"{}\"", escape(vb));
    }
    for (k, v) in &attrs {
        let lk = k.to_ascii_lowercase();
        if matches!(
            lk.as_str(),
            "width" | "height" | "viewbox" | "xmlns" | "role"
        ) || lk.starts_with("xmlns:")
            || lk == "aria-label"
        {
            continue;
        }
        let _ = write!(out, " {k}=\"{}\"", escape(v));
    }
    let _ = write!(out, " role=\"img\" aria-label=\"{}\">", escape(title));
    if self_closing {
        out.push_str("</svg>");
    } else {
        out.push_str(body);
        if !body.ends_with("</svg>") {
            out.push_str("</svg>");
        }
    }
    out
}

/// `name="value"` pairs of a start tag (values unescaped only as far as quotes go; they are
/// re-escaped on output, so `&amp;` stays `&amp;amp;`-safe by decoding the five XML entities).
fn parse_attrs(src: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_whitespace() {
            i += 1;
        }
        let ks = i;
        while i < b.len() && !b[i].is_whitespace() && b[i] != '=' {
            i += 1;
        }
        let key: String = b[ks..i].iter().collect();
        while i < b.len() && b[i].is_whitespace() {
            i += 1;
        }
        let mut val = String::new();
        if i < b.len() && b[i] == '=' {
            i += 1;
            while i < b.len() && b[i].is_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == '"' || b[i] == '\'') {
                let q = b[i];
                i += 1;
                let vs = i;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                val = b[vs..i].iter().collect();
                i += 1;
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_whitespace() {
                    i += 1;
                }
                val = b[vs..i].iter().collect();
            }
        }
        if !key.is_empty() {
            out.push((key, unescape_xml(&val)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd' >"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39; &gt;"
        );
        assert_eq!(escape("云办公"), "云办公");
    }

    #[test]
    fn inline_svg_strips_prolog_size_and_namespace_and_keeps_view_box() {
        let src = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg width=\"1000\" height=\"620\" viewBox=\"0 0 1000 620\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect x=\"0\"/>\n</svg>\n";
        let out = inline_svg(src, "Payback <period>");
        assert!(out.starts_with("<svg viewBox=\"0 0 1000 620\""), "{out}");
        assert!(!out.contains("<?xml"), "{out}");
        assert!(!out.contains("http"), "{out}");
        assert!(!out.contains("width=\"1000\""), "{out}");
        assert!(
            out.contains("aria-label=\"Payback &lt;period&gt;\""),
            "{out}"
        );
        assert!(out.contains("<rect x=\"0\"/>"), "{out}");
        assert!(out.ends_with("</svg>"), "{out}");
    }

    #[test]
    fn inline_svg_adds_a_view_box_from_width_and_height() {
        let out = inline_svg("<svg width='640px' height=\"400\"><g/></svg>", "t");
        assert!(out.starts_with("<svg viewBox=\"0 0 640 400\""), "{out}");
        let out = inline_svg("<svg width=\"10\" height=\"5\"/>", "t");
        assert!(out.starts_with("<svg viewBox=\"0 0 10 5\""), "{out}");
        assert!(out.ends_with("</svg>"), "{out}");
    }

    #[test]
    fn inline_svg_without_a_root_is_a_note() {
        let out = inline_svg("not a chart", "NPV & co");
        assert!(!out.contains("<svg"));
        assert!(out.contains("NPV &amp; co"));
    }
}
