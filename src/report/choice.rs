//! The report on several options: it opens with the decision — which option to pick and
//! why, each option's headline figures side by side, the comparison charts and how the
//! options fare against each other in the same simulated futures — then each option's
//! details ([`crate::report::sections`]).

use std::fmt::Write as _;

use crate::compare::{self, Comparison, PairResult, oriented, pick_values};
use crate::format::{self, NumberStyle};
use crate::report::html::{
    contents_and_body, escape, footer, inline_svg, meta_line, page_end, page_start,
};
use crate::report::sections::{OptionBlocks, Place, option_blocks, pb, verdict_parts};
use crate::summary::Summary;

/// Everything the page on several options shows.
pub struct ChoiceInput<'a> {
    /// The paired comparison of the options.
    pub comparison: &'a Comparison,
    /// Each option's blocks, in the comparison's order.
    pub options: Vec<OptionBlocks<'a>>,
    /// How money is written.
    pub style: NumberStyle,
    /// The comparison charts: (title, SVG markup).
    pub charts: Vec<(String, String)>,
    /// The scenario files, for the footer.
    pub sources: Vec<String>,
}

/// Render the page on several options.
pub fn render_choice(input: &ChoiceInput) -> String {
    let c = input.comparison;
    let names: Vec<String> = c.options.iter().map(|o| o.name.clone()).collect();
    let labels = compare::chart_labels(&names);
    let title = format!("Which of {} options to choose", c.options.len());
    let mut o = page_start(&title, &names.concat());
    let _ = writeln!(o, "<header>\n<h1>{title}</h1>\n<ul class=\"options\">");
    for (i, opt) in c.options.iter().enumerate() {
        let desc = input
            .options
            .get(i)
            .and_then(|b| b.scenario.description.as_deref())
            .map(|d| format!(" — {}", escape(d)))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "<li><strong>{}</strong>{desc}</li>",
            escape(labels.get(i).unwrap_or(&opt.name))
        );
    }
    o.push_str("</ul>\n");
    if let Some(first) = c.options.first() {
        meta_line(&mut o, &first.summary);
    }
    o.push_str("</header>\n");

    let mut body = String::new();
    let mut toc = vec![
        ("decision".to_string(), "Recommendation".to_string()),
        ("side-by-side".into(), "Side by side".into()),
    ];
    body.push_str("<section id=\"decision\" class=\"decision\">\n<h2>Recommendation</h2>\n");
    recommendation(&mut body, c, &labels, input.style);
    body.push_str("</section>\n");
    side_by_side(&mut body, c, &labels, input.style);
    if !input.charts.is_empty() {
        toc.push(("comparison-charts".into(), "Comparison charts".into()));
        comparison_charts(&mut body, &input.charts);
    }
    if !c.pairs.is_empty() {
        toc.push(("head-to-head".into(), "Head to head".into()));
        head_to_head(&mut body, c, input.style);
    }
    let mut notes = c.warnings.clone();
    for (i, b) in input.options.iter().enumerate() {
        let key = compare::key(i).to_ascii_lowercase();
        let id = format!("option-{key}");
        let label = labels.get(i).cloned().unwrap_or_default();
        toc.push((id.clone(), format!("Option {label}")));
        let _ = writeln!(
            body,
            "<section id=\"{id}\" class=\"option\">\n<h2>Option {}</h2>\n<p class=\"lead\">{}</p>",
            escape(&label),
            escape(&b.scenario.name)
        );
        let prefix = format!("{key}-");
        let at = Place {
            prefix: &prefix,
            level: 3,
        };
        option_blocks(&mut body, b, at);
        body.push_str("</section>\n");
        let k = compare::key(i);
        notes.extend(
            b.result
                .summary
                .warnings
                .iter()
                .map(|w| format!("{k}: {w}")),
        );
    }
    contents_and_body(&mut o, toc, &body, &notes);
    if let Some(first) = c.options.first() {
        footer(&mut o, &first.summary, &input.sources);
    }
    page_end(o)
}

/// A criterion on which the options are ranked.
struct Criterion {
    /// The value of an option (NaN when unknown).
    value: fn(&Summary) -> f64,
    /// Whether larger is better.
    larger: bool,
    /// "the lowest chance of losing money", after "also".
    what: &'static str,
    /// How a value is written.
    show: fn(f64, &str, NumberStyle) -> String,
}

fn percent_of(x: f64, _: &str, _: NumberStyle) -> String {
    format::percent(x)
}

fn money_of(x: f64, cur: &str, style: NumberStyle) -> String {
    format!("{} {cur}", format::money(x, style))
}

/// The criteria besides the expected net gain, in the order they are stated.
const CRITERIA: [Criterion; 3] = [
    Criterion {
        value: |s| s.npv.prob_negative,
        larger: false,
        what: "the lowest chance of losing money",
        show: percent_of,
    },
    Criterion {
        value: |s| s.tco.stats.mean,
        larger: false,
        what: "the lowest total cost of ownership (average)",
        show: money_of,
    },
    Criterion {
        value: |s| s.payback.prob_within_24.unwrap_or(f64::NAN),
        larger: true,
        what: "the best chance of paying back within two years",
        show: percent_of,
    },
];

/// "A, B and C".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A chart label as said in a sentence: `A: low-price entry` and `A · buy-out` become
/// `A (low-price entry)` and `A (buy-out)`.
fn spoken(label: &str, key: &str) -> String {
    label
        .strip_prefix(key)
        .and_then(|r| r.strip_prefix(": ").or_else(|| r.strip_prefix(" · ")))
        .map(|r| format!("{key} ({r})"))
        .unwrap_or_else(|| label.to_string())
}

/// How far the option with the highest expected NPV is ahead of the runner-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Margin {
    /// Its 95% interval excludes 0 and it is at least 1% of the expected NPV.
    Clear,
    /// Clear, but under 1% of the expected NPV.
    Small,
    /// The interval includes 0, or the expected NPVs are equal.
    Unclear,
    /// The two give the same NPV, payback and TCO in every trial.
    Identical,
}

/// The option with the highest expected NPV, the runner-up and the margin between them.
struct Leader<'a> {
    b: usize,
    ru: Option<usize>,
    pair: Option<&'a PairResult>,
    margin: Margin,
}

fn leader(c: &Comparison) -> Option<Leader<'_>> {
    let d = &c.decision;
    let best = &d.best_expected_npv;
    let b = *best.options.first()?;
    let ru = d
        .runner_up
        .as_ref()
        .and_then(|k| c.options.iter().position(|x| &x.key == k));
    let pair = ru.and_then(|r| c.pairs.iter().find(|p| (p.a, p.b) == (b.min(r), b.max(r))));
    let identical = pair.is_some_and(|p| {
        [
            p.prob_a_higher_npv,
            p.prob_b_higher_npv,
            p.prob_a_shorter_payback,
            p.prob_b_shorter_payback,
            p.prob_a_lower_tco,
            p.prob_b_lower_tco,
        ]
        .iter()
        .all(|x| *x == 0.0)
    });
    let lead = d.lead_over_runner_up.as_ref();
    let margin = if identical {
        Margin::Identical
    } else if best.options.len() > 1 || lead.is_some_and(|l| l.ci[0] <= 0.0) {
        Margin::Unclear
    } else if lead.is_some_and(|l| l.mean < 0.01 * best.value.abs()) {
        Margin::Small
    } else {
        Margin::Clear
    };
    Some(Leader {
        b,
        ru,
        pair,
        margin,
    })
}

/// The sentence on the expected net gain of the leader and its margin over the runner-up.
fn gain_line(c: &Comparison, l: &Leader, said: &[String], style: NumberStyle) -> String {
    let cur = &c.currency;
    let h = c.horizon_months;
    let mean = c.decision.best_expected_npv.value;
    let b = &said[l.b];
    let mut gain = format!(
        "{b} has the highest expected net gain: an NPV of {} {cur} on average over {h} months",
        format::money(mean, style)
    );
    let (Some(r), Some(d), Some(p)) = (l.ru, c.decision.lead_over_runner_up.as_ref(), l.pair)
    else {
        return gain + ".";
    };
    let r = &said[r];
    if l.margin == Margin::Identical {
        return format!(
            "{b} and {r} have the same expected net gain, {} {cur} over {h} months, and the same payback and cost in each simulated future.",
            format::money(mean, style)
        );
    }
    let q = oriented(p);
    let beats = if q.x == c.options[l.b].key {
        q.higher_npv
    } else {
        1.0 - q.higher_npv
    };
    let m = format::money_all(&[d.mean, d.ci[0], d.ci[1]], style);
    if d.se == 0.0 {
        let _ = write!(
            gain,
            ", {} {cur} more than {r} in every simulated future",
            m[0]
        );
    } else {
        let _ = write!(
            gain,
            ", {} {cur} more than {r} (95% interval {} to {})",
            m[0], m[1], m[2]
        );
    }
    match l.margin {
        Margin::Unclear => gain.push_str(": the two are not clearly apart"),
        Margin::Small => gain.push_str(", under 1% of its net gain"),
        _ => {}
    }
    if d.se != 0.0 {
        let _ = write!(
            gain,
            ". In the same simulated futures it gains more than {r} in {} of the outcomes",
            format::percent(beats)
        );
    }
    gain + "."
}

/// One sentence per criterion besides the net gain; whether the leader wins (or ties on)
/// all of them.
fn criteria_lines(
    c: &Comparison,
    b: usize,
    said: &[String],
    style: NumberStyle,
) -> (Vec<String>, bool) {
    let cur = &c.currency;
    let mut lines = Vec::new();
    let mut wins_all = true;
    for cr in &CRITERIA {
        let vals: Vec<f64> = c.options.iter().map(|x| (cr.value)(&x.summary)).collect();
        let win = pick_values(&vals, cr.larger);
        let Some(&w) = win.options.first() else {
            continue;
        };
        let show = |i: usize| (cr.show)(vals[i], cur, style);
        if win.options.contains(&b) {
            lines.push(format!("{} also has {}: {}.", said[b], cr.what, show(b)));
        } else {
            wins_all = false;
            lines.push(format!(
                "{} has {}: {}, against {} for {}.",
                said[w],
                cr.what,
                show(w),
                show(b),
                said[b]
            ));
        }
    }
    (lines, wins_all)
}

/// The recommendation box: the option to pick (or why none stands out) and the reasons.
fn recommendation(o: &mut String, c: &Comparison, labels: &[String], style: NumberStyle) {
    let said: Vec<String> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| spoken(l, &compare::key(i)))
        .collect();
    let Some(l) = leader(c) else {
        o.push_str("<p>No option has a finite expected net gain.</p>\n");
        return;
    };
    let b = l.b;
    let pair: Vec<String> = [Some(b), l.ru]
        .into_iter()
        .flatten()
        .map(|i| said[i].clone())
        .collect();
    let (lines, wins_all) = criteria_lines(c, b, &said, style);
    let (class, heading) = if l.margin == Margin::Identical {
        (
            "close",
            format!(
                "{} give the same result in every simulated future: for this decision they are the same option",
                and_list(&pair)
            ),
        )
    } else if c.decision.best_expected_npv.value < 0.0 {
        (
            "none",
            format!(
                "No option is expected to pay for itself within {} months; the smallest expected loss is {}'s",
                c.horizon_months, said[b]
            ),
        )
    } else if l.margin == Margin::Clear || wins_all {
        ("", format!("Choose {}", labels[b]))
    } else {
        (
            "close",
            format!(
                "Too close to call on net gain between {}: decide on cost, risk and payback below",
                and_list(&pair)
            ),
        )
    };
    let _ = writeln!(
        o,
        "<div class=\"pick {class}\">\n<h3>{}</h3>\n<ul>",
        escape(&heading)
    );
    let _ = writeln!(o, "<li>{}</li>", escape(&gain_line(c, &l, &said, style)));
    if l.margin != Margin::Identical {
        for line in lines {
            let _ = writeln!(o, "<li>{}</li>", escape(&line));
        }
    }
    let (label, rest, _) = verdict_parts(&c.options[b].summary.verdict);
    let rating = label
        .map(|l| format!("rates <strong>{}</strong>: ", escape(l)))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "<li>On its own, {} {rating}{}</li>\n</ul>\n</div>",
        escape(&said[b]),
        escape(&rest)
    );
}

/// One row of the side-by-side table: a label, each option's cell, and which cells are
/// best (larger or smaller values; `None` marks none).
fn row(
    o: &mut String,
    label: &str,
    cells: &[String],
    values: Option<(&[f64], bool)>,
    chosen: &[usize],
) {
    let best = values.map(|(v, larger)| pick_values(v, larger).options);
    let _ = write!(o, "<tr><td>{label}</td>");
    for (i, cell) in cells.iter().enumerate() {
        let mut class = vec!["num"];
        if best
            .as_ref()
            .is_some_and(|b| b.contains(&i) && cells.len() > 1)
        {
            class.push("best");
        }
        if chosen.contains(&i) {
            class.push("chosen");
        }
        let _ = write!(o, "<td class=\"{}\">{cell}</td>", class.join(" "));
    }
    o.push_str("</tr>\n");
}

/// Each option's headline figures, one column per option; the best value of each row in
/// bold.
fn side_by_side(o: &mut String, c: &Comparison, labels: &[String], style: NumberStyle) {
    let h = c.horizon_months;
    let cur = escape(&c.currency);
    let chosen = &c.decision.best_expected_npv.options;
    o.push_str(
        "<section id=\"side-by-side\" class=\"side-by-side\">\n<h2>Side by side</h2>\n\
         <div class=\"table-wrap\"><table class=\"side-by-side\">\n<thead><tr><th></th>",
    );
    for (i, l) in labels.iter().enumerate() {
        let class = if chosen.contains(&i) {
            "num option chosen"
        } else {
            "num option"
        };
        let _ = write!(o, "<th class=\"{class}\">{}</th>", escape(l));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    let sums: Vec<&Summary> = c.options.iter().map(|x| &x.summary).collect();
    let verdicts: Vec<String> = sums
        .iter()
        .map(|s| escape(verdict_parts(&s.verdict).0.unwrap_or("—")))
        .collect();
    row(o, "Verdict", &verdicts, None, chosen);
    let col = |f: &dyn Fn(&Summary) -> f64| -> Vec<f64> { sums.iter().map(|s| f(s)).collect() };
    let median = col(&|s| s.payback.pct.p50.unwrap_or(f64::INFINITY));
    let cells: Vec<String> = sums.iter().map(|s| pb(s.payback.pct.p50, h)).collect();
    row(
        o,
        "Median payback (months)",
        &cells,
        Some((&median, false)),
        chosen,
    );
    for (label, f) in [
        (
            "Pays back within a year",
            (|s: &Summary| s.payback.prob_within_12) as fn(&Summary) -> Option<f64>,
        ),
        ("Pays back within two years", |s: &Summary| {
            s.payback.prob_within_24
        }),
    ] {
        let v = col(&|s| f(s).unwrap_or(f64::NAN));
        let cells: Vec<String> = v.iter().map(|x| format::percent(*x)).collect();
        if v.iter().any(|x| x.is_finite()) {
            row(o, label, &cells, Some((&v, true)), chosen);
        }
    }
    let neg = col(&|s| s.npv.prob_negative);
    let cells: Vec<String> = neg.iter().map(|x| format::percent(*x)).collect();
    row(
        o,
        "Chance of losing money",
        &cells,
        Some((&neg, false)),
        chosen,
    );
    let npv = col(&|s| s.npv.stats.mean);
    let cells = format::money_all(&npv, style);
    row(
        o,
        &format!("Net present value, average ({cur})"),
        &cells,
        Some((&npv, true)),
        chosen,
    );
    let cells: Vec<String> = sums
        .iter()
        .map(|s| {
            let p = &s.npv.stats.pct;
            format!(
                "{} to {}",
                format::money(p.p10, style),
                format::money(p.p90, style)
            )
        })
        .collect();
    row(
        o,
        &format!("Net present value, unfavourable to favourable case ({cur})"),
        &cells,
        None,
        chosen,
    );
    let tco = col(&|s| s.tco.stats.mean);
    let cells = format::money_all(&tco, style);
    row(
        o,
        &format!("Total cost of ownership over {h} months, average ({cur})"),
        &cells,
        Some((&tco, false)),
        chosen,
    );
    let roi = col(&|s| s.roi.as_ref().map_or(f64::NAN, |r| r.pct.p50));
    let cells: Vec<String> = roi.iter().map(|x| format::percent(*x)).collect();
    row(
        o,
        "Return on investment, median",
        &cells,
        Some((&roi, true)),
        chosen,
    );
    o.push_str(
        "</tbody>\n</table></div>\n<p class=\"note\">The best value of each row is in bold; the \
         recommended option's column is shaded. Favourable and unfavourable cases are the 90th \
         and 10th percentiles of the NPV: 1 outcome in 10 is better, and 1 in 10 worse.</p>\n\
         </section>\n",
    );
}

fn comparison_charts(o: &mut String, charts: &[(String, String)]) {
    o.push_str(
        "<section id=\"comparison-charts\" class=\"comparison-charts\">\n<h2>Comparison charts</h2>\n",
    );
    for (i, (title, svg)) in charts.iter().enumerate() {
        let _ = writeln!(
            o,
            "<figure class=\"chart\" id=\"comparison-chart-{}\">\n<figcaption>{}</figcaption>\n{}\n</figure>",
            i + 1,
            escape(title),
            inline_svg(svg, title)
        );
    }
    o.push_str("</section>\n");
}

/// Every pair, seen from the option with the higher expected NPV: how often it does better
/// in the same simulated future, and the average difference in NPV.
fn head_to_head(o: &mut String, c: &Comparison, style: NumberStyle) {
    let cur = escape(&c.currency);
    let _ = writeln!(
        o,
        "<section id=\"head-to-head\" class=\"head-to-head\">\n<h2>Head to head</h2>\n\
         <p>Every option was simulated in the same {} futures (the same company size, adoption, \
         prices where the options share them), so each pair can be compared outcome by outcome. \
         The first option of each pair is the one with the higher average net gain.</p>\n\
         <div class=\"table-wrap\"><table>\n<thead><tr><th>First vs second</th>\
         <th class=\"num\">First gains more</th><th class=\"num\">First pays back sooner</th>\
         <th class=\"num\">Both at once</th><th class=\"num\">First costs less to own</th>\
         <th class=\"num\">NPV difference, average [95% interval] ({cur})</th></tr></thead>\n<tbody>",
        format::thousands(c.paired_trials as f64, 0)
    );
    for p in &c.pairs {
        let q = oriented(p);
        let d = &q.npv_difference;
        let _ = writeln!(
            o,
            "<tr><td>{} vs {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&q.x),
            escape(&q.y),
            format::percent(q.higher_npv),
            format::percent(q.shorter_payback),
            format::percent(q.both),
            format::percent(q.lower_tco),
            format::money_interval(d.mean, d.ci[0], d.ci[1], style)
        );
    }
    o.push_str(
        "</tbody>\n</table></div>\n<p class=\"note\">Shares do not add up to 100%: outcomes \
         where both options do equally well count for neither.</p>\n</section>\n",
    );
}
