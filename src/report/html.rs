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

use crate::format::{self, NumberStyle};
use crate::scenario::{Curve, Kind, Param, Scenario};
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

/// Render the whole page.
pub fn render(input: &ReportInput) -> String {
    let s = input.scenario;
    let sm = &input.result.summary;
    let mut o = String::with_capacity(256 * 1024);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"payback {ver}\">\n\
         <title>{title} · payback report</title>\n<style>\n{css}</style>\n</head>\n<body>\n<main>\n",
        lang = if has_cjk(&s.name) { "zh-CN" } else { "en" },
        ver = env!("CARGO_PKG_VERSION"),
        title = escape(&s.name),
        css = css(),
    );
    header(&mut o, input);
    toc(&mut o, input);
    decision_summary(&mut o, input);
    charts(&mut o, input);
    tco_table(&mut o, input);
    for sec in &input.extra_sections {
        let _ = write!(
            o,
            "<section id=\"{}\">\n<h2>{}</h2>\n{}\n</section>\n",
            escape(&sec.id),
            escape(&sec.title),
            sec.html
        );
    }
    assumptions(&mut o, s);
    line_items(&mut o, s);
    footer(&mut o, s, sm);
    o.push_str("</main>\n</body>\n</html>\n");
    o
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
  tr, .kpis, .verdict, figure.chart, #tco {{ break-inside: avoid; page-break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  .table-wrap {{ overflow: visible; }}
  .kpi .value {{ font-size: 20pt; }}
  figure.chart {{ width: 92%; margin: 0 auto 5mm; }}
  figure.chart svg {{ border: 0; }}
  h2 + p, h3 {{ break-after: avoid; page-break-after: avoid; }}
  #charts {{ break-before: page; page-break-before: always; }}
  a {{ color: inherit; text-decoration: none; }}
}}
"#
    )
}

// ---------------------------------------------------------------------------------------------
// Number helpers
// ---------------------------------------------------------------------------------------------

/// Months, or `> H` beyond the horizon.
fn pb(x: Option<f64>, h: u32) -> String {
    match x {
        Some(v) => format::months(v),
        None => format!("&gt; {h}"),
    }
}

/// Money in the chosen style.
fn money(x: f64, style: NumberStyle) -> String {
    format::money(x, style)
}

/// An input value with about 3 significant digits (whole numbers from 100 up, with
/// thousands separators): for assumptions, which are counts, prices, shares and hours.
fn num(x: f64) -> String {
    if !x.is_finite() {
        return format::NOT_AVAILABLE.to_string();
    }
    let a = x.abs();
    if a >= 100.0 || x == 0.0 {
        return format::thousands(x, 0);
    }
    let decimals = (2 - a.log10().floor() as i32).clamp(0, 8) as usize;
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".to_string() } else { s }
}

/// Odds in words: "about 1 in 19", "close to even odds", "more likely than not",
/// "almost certain".
fn odds(p: f64) -> Option<String> {
    if p.is_nan() || p <= 0.0 {
        None
    } else if p < 0.4 {
        let n = (1.0 / p).round();
        (n < 1e6).then(|| format!("about 1 in {}", format::thousands(n, 0)))
    } else if p < 0.5 {
        Some("close to even odds".into())
    } else if p < 0.95 {
        Some("more likely than not".into())
    } else {
        Some("almost certain".into())
    }
}

/// Capitalise the first character.
fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// `custom_development` → `Custom development`.
fn category_label(c: &str) -> String {
    capitalise(&c.replace('_', " "))
}

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

fn header(o: &mut String, input: &ReportInput) {
    let s = input.scenario;
    let sm = &input.result.summary;
    let _ = write!(o, "<header>\n<h1>{}</h1>\n", escape(&s.name));
    if let Some(d) = &s.description {
        let _ = writeln!(o, "<p class=\"lead\">{}</p>", escape(d));
    }
    let _ = writeln!(
        o,
        "<p class=\"meta\">Investment appraisal over {h} months · discount rate {r} a year · \
         amounts in {cur} · {n} simulated outcomes</p>\n</header>",
        h = sm.horizon_months,
        r = format::percent(sm.discount_rate),
        cur = escape(&sm.currency),
        n = format::thousands(sm.trials as f64, 0),
    );
}

fn toc(o: &mut String, input: &ReportInput) {
    o.push_str("<nav class=\"toc\">Contents:\n<a href=\"#summary\">Decision summary</a>\n");
    if !input.charts.is_empty() {
        o.push_str("<a href=\"#charts\">Charts</a>\n");
    }
    o.push_str("<a href=\"#tco\">Total cost of ownership</a>\n");
    for sec in &input.extra_sections {
        let _ = writeln!(
            o,
            "<a href=\"#{}\">{}</a>",
            escape(&sec.id),
            escape(&sec.title)
        );
    }
    o.push_str(
        "<a href=\"#assumptions\">Assumptions</a>\n<a href=\"#line-items\">Line items</a>\n\
         <a href=\"#how-to-read\">How to read this</a>\n</nav>\n",
    );
}

/// The verdict's label ("Good", "Acceptable", …) and a CSS class for its colour.
fn verdict_parts(v: &str) -> (Option<&str>, &str, &'static str) {
    let (label, rest) = match v.split_once(": ") {
        Some((l, r)) if l.chars().count() <= 32 => (Some(l), r),
        _ => (None, v),
    };
    let class = match label.map(|l| l.to_ascii_lowercase()) {
        Some(l) if l.starts_with("good") => "good",
        Some(l) if l.starts_with("acceptable") => "ok",
        Some(l) if l.starts_with("risky") => "warn",
        Some(l) if l.starts_with("needs") => "bad",
        _ => "",
    };
    (label, rest, class)
}

/// One sentence on the NPV downside: the chance of a loss and the 1-in-10 bad case.
pub fn npv_downside(sm: &Summary, style: NumberStyle) -> String {
    let p = sm.npv.prob_negative;
    let p10 = sm.npv.stats.pct.p10;
    let cur = &sm.currency;
    let basis = format!(
        "a negative NPV over {} months at a {} discount rate",
        sm.horizon_months,
        format::percent(sm.discount_rate)
    );
    let chance = if p == 0.0 {
        format!(
            "None of the {} simulated outcomes loses money ({basis})",
            format::thousands(sm.trials as f64, 0)
        )
    } else {
        let odds = odds(p).map(|t| format!(" — {t}")).unwrap_or_default();
        format!(
            "The chance of losing money ({basis}) is {}{odds}",
            format::percent(p)
        )
    };
    let tail = if p10 < 0.0 {
        format!(
            "In the worst 1 outcome in 10, the investment loses {} {cur} or more",
            money(-p10, style)
        )
    } else {
        format!(
            "In the worst 1 outcome in 10, the NPV is {} {cur} or less",
            money(p10, style)
        )
    };
    format!("{chance}. {tail}.")
}

fn decision_summary(o: &mut String, input: &ReportInput) {
    let sm = &input.result.summary;
    let h = sm.horizon_months;
    let p = &sm.payback;
    let style = input.style;
    o.push_str("<section id=\"summary\">\n<h2>Decision summary</h2>\n");

    // Verdict and risk statement.
    let (label, rest, class) = verdict_parts(&sm.verdict);
    let _ = write!(o, "<div class=\"verdict {class}\">\n<p>");
    if let Some(l) = label {
        let _ = write!(o, "<span class=\"badge\">{}</span>", escape(l));
    }
    let _ = writeln!(o, "{}</p>", escape(&capitalise(rest)));
    let _ = writeln!(o, "<p>{}</p>\n</div>", escape(&npv_downside(sm, style)));

    // The four decision numbers.
    let kpi_class = |x: Option<f64>, good: f64, ok: f64| match x {
        Some(x) if x >= good => "good",
        Some(x) if x >= ok => "warn",
        Some(_) => "bad",
        None => "",
    };
    let beyond = |x: Option<f64>| {
        x.map(format::percent)
            .unwrap_or_else(|| format!("unknown (horizon {h} months)"))
    };
    let median = match p.pct.p50 {
        Some(m) => format!("{} <small>months</small>", format::months(m)),
        None => format!("&gt; {h} <small>months</small>"),
    };
    let median_class = match p.pct.p50 {
        Some(m) if m <= 12.0 => "good",
        Some(m) if m <= 24.0 => "warn",
        _ => "bad",
    };
    o.push_str("<div class=\"kpis\">\n");
    let _ = writeln!(
        o,
        "<div class=\"kpi {median_class}\"><div class=\"label\">Median payback</div>\
         <div class=\"value\">{median}</div><div class=\"sub\">half of the outcomes pay back sooner; \
         discounted: {} months</div></div>",
        pb(sm.discounted_payback.pct.p50, h)
    );
    let _ = writeln!(
        o,
        "<div class=\"kpi {}\"><div class=\"label\">P(payback ≤ 12 months)</div>\
         <div class=\"value\">{}</div><div class=\"sub\">chance it pays back within a year</div></div>",
        kpi_class(p.prob_within_12, 0.8, 0.5),
        beyond(p.prob_within_12)
    );
    let _ = writeln!(
        o,
        "<div class=\"kpi {}\"><div class=\"label\">P(payback ≤ 24 months)</div>\
         <div class=\"value\">{}</div><div class=\"sub\">chance it pays back within two years</div></div>",
        kpi_class(p.prob_within_24, 0.8, 0.5),
        beyond(p.prob_within_24)
    );
    let neg = sm.npv.prob_negative;
    let _ = writeln!(
        o,
        "<div class=\"kpi {}\"><div class=\"label\">P(NPV &lt; 0)</div>\
         <div class=\"value\">{}</div><div class=\"sub\">chance of losing money over {h} months</div></div>",
        if neg <= 0.1 {
            "good"
        } else if neg <= 0.25 {
            "warn"
        } else {
            "bad"
        },
        format::percent(neg)
    );
    o.push_str("</div>\n");

    // Key figures: favourable, median, unfavourable case.
    let cur = escape(&sm.currency);
    let _ = writeln!(
        o,
        "<div class=\"table-wrap\"><table class=\"key-figures\">\n<thead><tr><th>Key figure</th>\
         <th class=\"num\">Favourable case</th><th class=\"num\">Median</th>\
         <th class=\"num\">Unfavourable case</th><th class=\"num\">Mean</th></tr></thead>\n<tbody>"
    );
    let row = |o: &mut String, name: &str, fav: String, med: String, unf: String, mean: String| {
        let _ = writeln!(
            o,
            "<tr><td>{name}</td><td class=\"num\">{fav}</td><td class=\"num\">{med}</td>\
             <td class=\"num\">{unf}</td><td class=\"num\">{mean}</td></tr>"
        );
    };
    let dash = || "—".to_string();
    row(
        o,
        "Payback (months)",
        pb(p.pct.p10, h),
        pb(p.pct.p50, h),
        pb(p.pct.p90, h),
        dash(),
    );
    let d = &sm.discounted_payback;
    row(
        o,
        "Discounted payback (months)",
        pb(d.pct.p10, h),
        pb(d.pct.p50, h),
        pb(d.pct.p90, h),
        dash(),
    );
    let n = &sm.npv.stats;
    row(
        o,
        &format!("Net present value ({cur})"),
        money(n.pct.p90, style),
        money(n.pct.p50, style),
        money(n.pct.p10, style),
        money(n.mean, style),
    );
    let t = &sm.tco.stats;
    row(
        o,
        &format!("Total cost of ownership, {h} months ({cur})"),
        money(t.pct.p10, style),
        money(t.pct.p50, style),
        money(t.pct.p90, style),
        money(t.mean, style),
    );
    let b = &sm.pv_benefits;
    row(
        o,
        &format!("Benefits, present value ({cur})"),
        money(b.pct.p90, style),
        money(b.pct.p50, style),
        money(b.pct.p10, style),
        money(b.mean, style),
    );
    match &sm.roi {
        Some(r) => row(
            o,
            "Return on investment",
            format::percent(r.pct.p90),
            format::percent(r.pct.p50),
            format::percent(r.pct.p10),
            format::percent(r.mean),
        ),
        None => {
            let undefined = "undefined (no costs)".to_string();
            row(
                o,
                "Return on investment",
                undefined.clone(),
                undefined.clone(),
                undefined.clone(),
                undefined,
            )
        }
    }
    o.push_str("</tbody>\n</table></div>\n");
    let _ = writeln!(
        o,
        "<p class=\"note\">Favourable and unfavourable cases are the 10th and 90th percentiles: \
         1 simulated outcome in 10 is better than the favourable case, and 1 in 10 is worse than \
         the unfavourable case. “&gt; {h}” means the investment has not paid back by the end of \
         the {h}-month horizon. {}</p>",
        if p.prob_within_horizon >= 1.0 {
            "Every simulated outcome pays back within the horizon.".to_string()
        } else {
            format!(
                "{} of the outcomes do not pay back within the horizon.",
                format::percent(1.0 - p.prob_within_horizon)
            )
        }
    );
    if !sm.warnings.is_empty() {
        o.push_str("<div class=\"warnings\"><strong>Notes for the analyst</strong>\n<ul>\n");
        for w in &sm.warnings {
            let _ = writeln!(o, "<li>{}</li>", escape(w));
        }
        o.push_str("</ul></div>\n");
    }
    o.push_str("</section>\n");
}

fn charts(o: &mut String, input: &ReportInput) {
    if input.charts.is_empty() {
        return;
    }
    o.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
    for (i, (title, svg)) in input.charts.iter().enumerate() {
        let _ = writeln!(
            o,
            "<figure class=\"chart\" id=\"chart-{}\">\n<figcaption>{}</figcaption>\n{}\n</figure>",
            i + 1,
            escape(title),
            inline_svg(svg, title)
        );
    }
    o.push_str("</section>\n");
}

fn tco_table(o: &mut String, input: &ReportInput) {
    let sm = &input.result.summary;
    let s = input.scenario;
    let style = input.style;
    let cur = escape(&sm.currency);
    let total = sm.tco.stats.mean;
    let _ = writeln!(
        o,
        "<section id=\"tco\">\n<h2>Total cost of ownership</h2>\n\
         <p>Every cost over the {h} months of the horizon, undiscounted, by category \
         (mean over all simulated outcomes, largest first).</p>\n\
         <div class=\"table-wrap\"><table>\n<thead><tr><th>Category</th><th>What it covers</th>\
         <th class=\"num\">Mean ({cur})</th><th class=\"num bar-cell\">Share</th>\
         <th class=\"num\">Range P10 – P90 ({cur})</th></tr></thead>\n<tbody>",
        h = sm.horizon_months
    );
    let max_share = sm
        .tco
        .categories
        .iter()
        .map(|c| c.mean)
        .fold(0.0_f64, f64::max);
    for c in &sm.tco.categories {
        let share = if total > 0.0 {
            c.mean / total
        } else {
            f64::NAN
        };
        let items: Vec<String> = s
            .items
            .iter()
            .filter(|it| it.kind == Kind::Cost && it.category == c.category)
            .map(|it| escape(&it.name))
            .collect();
        let bar = if max_share > 0.0 && c.mean.is_finite() && c.mean > 0.0 {
            format!(
                "<span class=\"bar\" style=\"width:{:.0}px\"></span>",
                (80.0 * c.mean / max_share).max(1.0)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "<tr><td class=\"name\">{}</td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num bar-cell\">{}{bar}</td><td class=\"num\">{} – {}</td></tr>",
            escape(&category_label(&c.category)),
            items.join(", "),
            money(c.mean, style),
            format::percent(share),
            money(c.p10, style),
            money(c.p90, style)
        );
    }
    let _ = writeln!(
        o,
        "</tbody>\n<tfoot><tr><td>Total</td><td></td><td class=\"num\">{}</td>\
         <td class=\"num bar-cell\">100%</td><td class=\"num\">{} – {}</td></tr></tfoot>\n</table></div>\n\
         <p class=\"note\">Category means add up to the mean total; the P10 – P90 ranges do not \
         add up, because categories rarely all land high (or low) in the same outcome.</p>\n</section>",
        money(total, style),
        money(sm.tco.stats.pct.p10, style),
        money(sm.tco.stats.pct.p90, style)
    );
}

fn param(s: &Scenario, p: &Param, what: &str) -> String {
    match p {
        Param::Const(v) => format!("{} {what}", num(*v)).trim_end().to_string(),
        Param::Input(i) => match s.inputs.get(*i) {
            Some(inp) => format!(
                "the input <code>{}</code> ({})",
                escape(&inp.name),
                escape(&inp.dist.describe())
            ),
            None => "an input".to_string(),
        },
    }
}

fn assumptions(o: &mut String, s: &Scenario) {
    o.push_str("<section id=\"assumptions\">\n<h2>Assumptions</h2>\n<dl class=\"settings\">\n");
    let _ = writeln!(
        o,
        "<dt>Horizon</dt><dd>{} months from go-live (month 0)</dd>",
        s.horizon
    );
    let _ = writeln!(
        o,
        "<dt>Discount rate</dt><dd>{} a year</dd>",
        format::percent(s.discount_rate)
    );
    let _ = writeln!(o, "<dt>Currency</dt><dd>{}</dd>", escape(&s.currency));
    let a = &s.adoption;
    let adoption = match a.curve {
        Curve::Step if a.peak == Param::Const(1.0) => {
            "everyone uses the system from month 1".to_string()
        }
        Curve::Step => format!("from month 1 at a usage share of {}", param(s, &a.peak, "")),
        Curve::Logistic => format!(
            "S-curve up to a peak share of {}, 95% of the peak after {}",
            param(s, &a.peak, ""),
            param(s, &a.months_to_peak, "months")
        ),
        Curve::Linear => format!(
            "straight line up to a peak share of {}, reached after {}",
            param(s, &a.peak, ""),
            param(s, &a.months_to_peak, "months")
        ),
    };
    let _ = writeln!(o, "<dt>Adoption</dt><dd>{}</dd>", adoption);
    if !s.correlations.is_empty() {
        let list: Vec<String> = s
            .correlations
            .iter()
            .map(|c| {
                let n = |i: usize| s.inputs.get(i).map(|x| escape(&x.name)).unwrap_or_default();
                format!(
                    "<code>{}</code> and <code>{}</code>: {}",
                    n(c.a),
                    n(c.b),
                    format::thousands(c.rho, 2)
                )
            })
            .collect();
        let _ = writeln!(o, "<dt>Rank correlations</dt><dd>{}</dd>", list.join("; "));
    }
    o.push_str("</dl>\n");
    let unc = s.inputs.iter().filter(|i| i.is_uncertain()).count();
    let _ = writeln!(
        o,
        "<p>{} inputs, {unc} of them uncertain. Each simulated outcome draws every uncertain \
         input from its distribution{}; the base value is the single best guess \
         (used for a one-trial deterministic run), and P10 – P90 is the range that holds \
         80% of the draws.</p>",
        s.inputs.len(),
        if s.correlations.is_empty() {
            ", independently of the others"
        } else {
            " (with the rank correlations above)"
        }
    );
    o.push_str(
        "<div class=\"table-wrap\"><table>\n<thead><tr><th>Input</th><th>Distribution</th><th class=\"num\">Base value</th>\
         <th class=\"num\">P10 – P90</th></tr></thead>\n<tbody>\n",
    );
    for i in &s.inputs {
        if i.is_uncertain() {
            // Sorted: a risk event's quantile function runs downwards (1 when u < p).
            let (a, b) = (i.quantile(0.1), i.quantile(0.9));
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let _ = writeln!(
                o,
                "<tr><td class=\"name\">{}</td><td>{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{} – {}</td></tr>",
                escape(&i.name),
                escape(&i.dist.describe_as_written()),
                num(i.point_value()),
                num(lo),
                num(hi)
            );
        } else {
            let _ = writeln!(
                o,
                "<tr><td class=\"name\">{}</td><td>fixed</td><td class=\"num\">{}</td>\
                 <td class=\"num\">—</td></tr>",
                escape(&i.name),
                num(i.point_value())
            );
        }
    }
    o.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn line_items(o: &mut String, s: &Scenario) {
    o.push_str(
        "<section id=\"line-items\">\n<h2>Line items</h2>\n\
         <p>The monthly cash-flow model: each line's amount per occurrence, written as a formula \
         of the inputs above (<code>month</code>, <code>year</code> and <code>adoption</code> \
         are the month number, year number and the adoption share of that month).</p>\n",
    );
    for (kind, title) in [(Kind::Cost, "Costs"), (Kind::Benefit, "Benefits")] {
        let items: Vec<_> = s.items.iter().filter(|i| i.kind == kind).collect();
        let _ = writeln!(o, "<h3>{title}</h3>");
        if items.is_empty() {
            o.push_str("<p class=\"note\">None.</p>\n");
            continue;
        }
        o.push_str(
            "<div class=\"table-wrap\"><table>\n<thead><tr><th>Name</th><th>Category</th><th>When</th>\
             <th>Amount</th></tr></thead>\n<tbody>\n",
        );
        for it in items {
            let _ = writeln!(
                o,
                "<tr><td class=\"name\">{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                escape(&it.name),
                escape(&category_label(&it.category)),
                escape(&capitalise(&it.timing.describe())),
                escape(&it.amount_src)
            );
        }
        o.push_str("</tbody>\n</table></div>\n");
    }
    o.push_str("</section>\n");
}

fn footer(o: &mut String, s: &Scenario, sm: &Summary) {
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
    let source = match &s.path {
        Some(p) => format!(" from <code>{}</code>", escape(&p.display().to_string())),
        None => String::new(),
    };
    let _ = writeln!(
        o,
        "<p>{} trials · seed {} · {} sampling · payback {}. Generated by payback{source}; \
         the same scenario file, number of trials, seed and sampling reproduce every number \
         in this report exactly. The page is self-contained: no scripts, no network access.</p>\n\
         </footer>",
        format::thousands(sm.trials as f64, 0),
        sm.seed,
        escape(&sm.sampling),
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

fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
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

    #[test]
    fn num_keeps_about_three_significant_digits() {
        assert_eq!(num(500.0), "500");
        assert_eq!(num(30_000.0), "30,000");
        assert_eq!(num(54.987), "55");
        assert_eq!(num(0.375), "0.375");
        assert_eq!(num(0.003), "0.003");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(-2.5), "-2.5");
        assert_eq!(num(f64::NAN), "n/a");
    }

    #[test]
    fn odds_in_words() {
        assert_eq!(odds(0.052).as_deref(), Some("about 1 in 19"));
        assert_eq!(odds(0.35).as_deref(), Some("about 1 in 3"));
        assert_eq!(odds(0.444).as_deref(), Some("close to even odds"));
        assert_eq!(odds(0.7).as_deref(), Some("more likely than not"));
        assert_eq!(odds(1.0).as_deref(), Some("almost certain"));
        assert_eq!(odds(0.0), None);
    }

    #[test]
    fn verdict_label_and_class() {
        assert_eq!(
            verdict_parts("Good: pays back within a year in 90% of trials."),
            (
                Some("Good"),
                "pays back within a year in 90% of trials.",
                "good"
            )
        );
        assert_eq!(verdict_parts("Risky: x").2, "warn");
        assert_eq!(verdict_parts("Needs a strategic reason: only").2, "bad");
        assert_eq!(verdict_parts("no label here").0, None);
    }
}
