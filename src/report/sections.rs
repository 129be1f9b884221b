//! The blocks that report one option: the verdict and key figures, the charts, the TCO
//! table, any extra sections (what drives the risk), the assumptions and the line items.
//! A report on one scenario shows them as its sections; a report on several options shows
//! them once per option, below the decision ([`crate::report::choice`]).
//!
//! Everything the user wrote is HTML-escaped here; [`Section::html`] and chart SVGs are
//! trusted markup.

use std::fmt::Write as _;

use crate::format::{self, NumberStyle, capitalise};
use crate::report::html::{Section, escape, inline_svg};
use crate::scenario::{Curve, Kind, Param, Scenario};
use crate::simulate::RunResult;
use crate::summary::{Summary, Tone, ValueStats, Verdict};

/// One option's blocks: what [`crate::report::html::render`] and the several-option page
/// show for each option.
pub struct OptionBlocks<'a> {
    /// The scenario as simulated (after `--set` and `--horizon`).
    pub scenario: &'a Scenario,
    /// The run.
    pub result: &'a RunResult,
    /// How money is written.
    pub style: NumberStyle,
    /// Charts in display order: (title, SVG markup).
    pub charts: &'a [(String, String)],
    /// Sections after the charts and the TCO table, before the assumptions.
    pub extra_sections: &'a [Section],
}

/// Where an option's blocks go on the page: a prefix that keeps their ids unique and the
/// level of their headings (`2` on a one-scenario page, `3` inside an option's section).
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    /// Prefix of every id, e.g. `""` or `"b-"`.
    pub prefix: &'a str,
    /// Heading level of the blocks (2–5).
    pub level: u8,
}

impl Place<'_> {
    /// The id of a block.
    pub fn id(&self, name: &str) -> String {
        format!("{}{}", self.prefix, name)
    }

    /// Open a block: `<section>` with its id and class, and its heading.
    fn open(&self, o: &mut String, name: &str, title: &str) {
        let _ = writeln!(
            o,
            "<section id=\"{id}\" class=\"{name}\">\n<h{l}>{t}</h{l}>",
            id = escape(&self.id(name)),
            l = self.level,
            t = escape(title)
        );
    }

    /// A heading one level below the block's.
    fn sub(&self, o: &mut String, title: &str) {
        let _ = writeln!(o, "<h{l}>{}</h{l}>", escape(title), l = self.level + 1);
    }
}

/// The blocks of one option, in reading order: decision summary, charts, TCO, extra
/// sections, assumptions, line items. Returns the (id, title) of each, for a table of
/// contents.
pub fn option_blocks(o: &mut String, b: &OptionBlocks, at: Place) -> Vec<(String, String)> {
    let mut toc = Vec::new();
    let mut note = |name: &str, title: &str| toc.push((at.id(name), title.to_string()));
    note("summary", "Decision summary");
    decision_summary(o, b, at);
    if !b.charts.is_empty() {
        note("charts", "Charts");
        charts(o, b, at);
    }
    note("tco", "Total cost of ownership");
    tco_table(o, b, at);
    for sec in b.extra_sections {
        note(&sec.id, &sec.title);
        at.open(o, &sec.id, &sec.title);
        let _ = writeln!(o, "{}\n</section>", sec.html);
    }
    note("assumptions", "Assumptions");
    assumptions(o, b.scenario, b.style, at);
    note("line-items", "Line items");
    line_items(o, b.scenario, at);
    toc
}

// ---------------------------------------------------------------------------------------------
// Words and numbers
// ---------------------------------------------------------------------------------------------

/// Months, or `> H` beyond the horizon (HTML).
pub fn pb(x: Option<f64>, h: u32) -> String {
    match x {
        Some(v) => format::months(v),
        None => format!("&gt; {h}"),
    }
}

/// Odds in words: "about 1 in 19", "close to even odds", "more likely than not",
/// "almost certain".
pub fn odds(p: f64) -> Option<String> {
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

/// `custom_development` → `Custom development`.
fn category_label(c: &str) -> String {
    capitalise(&c.replace('_', " "))
}

/// The verdict's label ("Good", "Acceptable", …), the rest of the sentence, and a CSS
/// class for its colour.
pub fn verdict_parts(v: &Verdict) -> (Option<&'static str>, String, &'static str) {
    let class = match v.tone() {
        Tone::Good => "good",
        Tone::Ok => "ok",
        Tone::Warn => "warn",
        Tone::Bad => "bad",
        Tone::Neutral => "",
    };
    (v.label(), v.detail(), class)
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
            format::money(-p10, style)
        )
    } else {
        format!(
            "In the worst 1 outcome in 10, the NPV is {} {cur} or less",
            format::money(p10, style)
        )
    };
    format!("{chance}. {tail}.")
}

/// The verdict box: the rule of thumb as probabilities and the NPV downside.
pub fn verdict_box(o: &mut String, sm: &Summary, style: NumberStyle) {
    let (label, rest, class) = verdict_parts(&sm.verdict);
    let _ = write!(o, "<div class=\"verdict {class}\">\n<p>");
    if let Some(l) = label {
        let _ = write!(o, "<span class=\"badge\">{}</span>", escape(l));
    }
    let _ = writeln!(o, "{}</p>", escape(&capitalise(&rest)));
    let _ = writeln!(o, "<p>{}</p>\n</div>", escape(&npv_downside(sm, style)));
}

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

fn decision_summary(o: &mut String, b: &OptionBlocks, at: Place) {
    let sm = &b.result.summary;
    at.open(o, "summary", "Decision summary");
    verdict_box(o, sm, b.style);
    kpis(o, sm);
    key_figures(o, sm, b.style);
    o.push_str("</section>\n");
}

/// The four decision numbers as cards.
fn kpis(o: &mut String, sm: &Summary) {
    let h = sm.horizon_months;
    let p = &sm.payback;
    let class = |x: Option<f64>, good: f64, ok: f64| match x {
        Some(x) if x >= good => "good",
        Some(x) if x >= ok => "warn",
        Some(_) => "bad",
        None => "",
    };
    let share = |x: Option<f64>| {
        x.map(format::percent)
            .unwrap_or_else(|| format!("unknown (horizon {h} months)"))
    };
    let median_class = match p.pct.p50 {
        Some(m) if m <= 12.0 => "good",
        Some(m) if m <= 24.0 => "warn",
        _ => "bad",
    };
    let neg = sm.npv.prob_negative;
    let neg_class = if neg <= 0.1 {
        "good"
    } else if neg <= 0.25 {
        "warn"
    } else {
        "bad"
    };
    let cards = [
        (
            median_class,
            "Median payback",
            format!("{} <small>months</small>", pb(p.pct.p50, h)),
            format!(
                "half of the outcomes pay back sooner; discounted: {} months",
                pb(sm.discounted_payback.pct.p50, h)
            ),
        ),
        (
            class(p.prob_within_12, 0.8, 0.5),
            "Pays back within a year",
            share(p.prob_within_12),
            "chance of payback within 12 months".to_string(),
        ),
        (
            class(p.prob_within_24, 0.8, 0.5),
            "Pays back within two years",
            share(p.prob_within_24),
            "chance of payback within 24 months".to_string(),
        ),
        (
            neg_class,
            "Chance of losing money",
            format::percent(neg),
            format!("a negative NPV over {h} months"),
        ),
    ];
    o.push_str("<div class=\"kpis\">\n");
    for (class, label, value, sub) in cards {
        let _ = writeln!(
            o,
            "<div class=\"kpi {class}\"><div class=\"label\">{label}</div>\
             <div class=\"value\">{value}</div><div class=\"sub\">{sub}</div></div>"
        );
    }
    o.push_str("</div>\n");
}

/// Key figures: favourable, median and unfavourable case, and the mean.
fn key_figures(o: &mut String, sm: &Summary, style: NumberStyle) {
    let h = sm.horizon_months;
    let cur = escape(&sm.currency);
    o.push_str(
        "<div class=\"table-wrap\"><table class=\"key-figures\">\n<thead><tr><th>Key figure</th>\
         <th class=\"num\">Favourable case</th><th class=\"num\">Median</th>\
         <th class=\"num\">Unfavourable case</th><th class=\"num\">Mean</th></tr></thead>\n<tbody>\n",
    );
    let mut row = |name: &str, cells: [String; 4]| {
        let _ = write!(o, "<tr><td>{name}</td>");
        for c in cells {
            let _ = write!(o, "<td class=\"num\">{c}</td>");
        }
        o.push_str("</tr>\n");
    };
    let p = &sm.payback;
    let d = &sm.discounted_payback;
    let dash = || "—".to_string();
    row(
        "Payback (months)",
        [pb(p.pct.p10, h), pb(p.pct.p50, h), pb(p.pct.p90, h), dash()],
    );
    row(
        "Discounted payback (months)",
        [pb(d.pct.p10, h), pb(d.pct.p50, h), pb(d.pct.p90, h), dash()],
    );
    let money = |x: f64| format::money(x, style);
    // Favourable, median, unfavourable and mean of an amount (more is better when `more`).
    let cases = |v: &ValueStats, more: bool| {
        let (good, bad) = if more {
            (v.pct.p90, v.pct.p10)
        } else {
            (v.pct.p10, v.pct.p90)
        };
        [good, v.pct.p50, bad, v.mean].map(money)
    };
    row(
        &format!("Net present value ({cur})"),
        cases(&sm.npv.stats, true),
    );
    row(
        &format!("Total cost of ownership, {h} months ({cur})"),
        cases(&sm.tco.stats, false),
    );
    row(
        &format!("Peak funding need: cash fronted before it pays for itself ({cur})"),
        cases(&sm.peak_funding, false),
    );
    row(
        &format!("Benefits, present value ({cur})"),
        cases(&sm.pv_benefits, true),
    );
    let roi = match &sm.roi {
        Some(r) => [r.pct.p90, r.pct.p50, r.pct.p10, r.mean].map(format::percent),
        None => std::array::from_fn(|_| "undefined (no costs)".to_string()),
    };
    row("Return on investment", roi);
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
                "{} of the outcomes do not pay back within the {h} months considered; \
                 a longer horizon would show when they do.",
                format::percent(1.0 - p.prob_within_horizon)
            )
        }
    );
}

fn charts(o: &mut String, b: &OptionBlocks, at: Place) {
    at.open(o, "charts", "Charts");
    for (i, (title, svg)) in b.charts.iter().enumerate() {
        let _ = writeln!(
            o,
            "<figure class=\"chart\" id=\"{}\">\n<figcaption>{}</figcaption>\n{}\n</figure>",
            escape(&at.id(&format!("chart-{}", i + 1))),
            escape(title),
            inline_svg(svg, title)
        );
    }
    o.push_str("</section>\n");
}

fn tco_table(o: &mut String, b: &OptionBlocks, at: Place) {
    let sm = &b.result.summary;
    let money = |x: f64| format::money(x, b.style);
    let cur = escape(&sm.currency);
    let total = sm.tco.stats.mean;
    at.open(o, "tco", "Total cost of ownership");
    let _ = writeln!(
        o,
        "<p>Every cost over the {h} months of the horizon, undiscounted, by category \
         (mean over all simulated outcomes, largest first).</p>\n\
         <div class=\"table-wrap\"><table>\n<thead><tr><th>Category</th><th>What it covers</th>\
         <th class=\"num\">Mean ({cur})</th><th class=\"num bar-cell\">Share</th>\
         <th class=\"num\">Range P10 – P90 ({cur})</th></tr></thead>\n<tbody>",
        h = sm.horizon_months
    );
    let max_mean = sm
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
        let items: Vec<String> = b
            .scenario
            .items
            .iter()
            .filter(|it| it.kind == Kind::Cost && it.category == c.category)
            .map(|it| escape(&it.name))
            .collect();
        let bar = if max_mean > 0.0 && c.mean.is_finite() && c.mean > 0.0 {
            format!(
                "<span class=\"bar\" style=\"width:{:.0}px\"></span>",
                (80.0 * c.mean / max_mean).max(1.0)
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
            money(c.mean),
            format::percent(share),
            money(c.p10),
            money(c.p90)
        );
    }
    let _ = writeln!(
        o,
        "</tbody>\n<tfoot><tr><td>Total</td><td></td><td class=\"num\">{}</td>\
         <td class=\"num bar-cell\">100%</td><td class=\"num\">{} – {}</td></tr></tfoot>\n</table></div>\n\
         <p class=\"note\">Category means add up to the mean total; the P10 – P90 ranges do not \
         add up, because categories rarely all land high (or low) in the same outcome.</p>\n</section>",
        money(total),
        money(sm.tco.stats.pct.p10),
        money(sm.tco.stats.pct.p90)
    );
}

fn param(s: &Scenario, p: &Param, what: &str, style: NumberStyle) -> String {
    match p {
        Param::Const(v) => format!("{} {what}", format::value_in(*v, style))
            .trim_end()
            .to_string(),
        Param::Input(i) => match s.inputs.get(*i) {
            Some(inp) => format!(
                "the input <code>{}</code> ({})",
                escape(&inp.name),
                escape(&inp.dist.describe_with(&|x| format::value_in(x, style)))
            ),
            None => "an input".to_string(),
        },
    }
}

/// The horizon, discount rate, currency, adoption curve and correlations.
fn settings(o: &mut String, s: &Scenario, style: NumberStyle) {
    o.push_str("<dl class=\"settings\">\n");
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
        Curve::Step => format!(
            "from month 1 at a usage share of {}",
            param(s, &a.peak, "", style)
        ),
        Curve::Logistic => format!(
            "S-curve up to a peak share of {}, 95% of the peak after {}",
            param(s, &a.peak, "", style),
            param(s, &a.months_to_peak, "months", style)
        ),
        Curve::Linear => format!(
            "straight line up to a peak share of {}, reached after {}",
            param(s, &a.peak, "", style),
            param(s, &a.months_to_peak, "months", style)
        ),
    };
    let _ = writeln!(o, "<dt>Adoption</dt><dd>{adoption}</dd>");
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
}

fn assumptions(o: &mut String, s: &Scenario, style: NumberStyle, at: Place) {
    at.open(o, "assumptions", "Assumptions");
    settings(o, s, style);
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
        let (dist, range) = if i.is_uncertain() {
            // Sorted: a risk event's quantile function runs downwards (1 when u < p).
            let (a, b) = (i.quantile(0.1), i.quantile(0.9));
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            (
                escape(
                    &i.dist
                        .describe_as_written_with(&|x| format::value_in(x, style)),
                ),
                format!(
                    "{} – {}",
                    format::value_in(lo, style),
                    format::value_in(hi, style)
                ),
            )
        } else {
            ("fixed".to_string(), "—".to_string())
        };
        let _ = writeln!(
            o,
            "<tr><td class=\"name\">{}</td><td>{dist}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{range}</td></tr>",
            escape(&i.name),
            format::value_in(i.point_value(), style),
        );
    }
    o.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn line_items(o: &mut String, s: &Scenario, at: Place) {
    at.open(o, "line-items", "Line items");
    o.push_str(
        "<p>The monthly cash-flow model: each line's amount per occurrence, written as a formula \
         of the inputs above (<code>month</code>, <code>year</code> and <code>adoption</code> \
         are the month number, year number and the adoption share of that month).</p>\n",
    );
    for (kind, title) in [(Kind::Cost, "Costs"), (Kind::Benefit, "Benefits")] {
        let items: Vec<_> = s.items.iter().filter(|i| i.kind == kind).collect();
        at.sub(o, title);
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

#[cfg(test)]
mod tests {
    use super::*;

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
            verdict_parts(&Verdict::Good { within_12: 0.9 }),
            (
                Some("Good"),
                "pays back within a year in 90% of trials (rule of thumb: under 12 months is good).".to_string(),
                "good"
            )
        );
        let (within_24, never, horizon) = (0.6, 0.1, 60);
        let risky = Verdict::Risky {
            within_24,
            never,
            horizon,
        };
        assert_eq!(verdict_parts(&risky).2, "warn");
        let needs = Verdict::NeedsReason {
            within_24,
            never,
            horizon,
        };
        assert_eq!(verdict_parts(&needs).2, "bad");
        let point = Verdict::PointValues {
            payback: None,
            horizon,
        };
        assert_eq!(verdict_parts(&point).0, None);
    }

    #[test]
    fn places_prefix_ids_and_set_heading_levels() {
        let at = Place {
            prefix: "b-",
            level: 3,
        };
        let mut o = String::new();
        at.open(&mut o, "tco", "Total cost & co");
        at.sub(&mut o, "Costs");
        assert_eq!(
            o,
            "<section id=\"b-tco\" class=\"tco\">\n<h3>Total cost &amp; co</h3>\n<h4>Costs</h4>\n"
        );
    }
}
