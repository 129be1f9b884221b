//! The human-readable summary printed by `payback run`.

use std::fmt::Write;

use crate::format::{self, percent as pct, percent_interval as ci, thousands};
use crate::scenario::Scenario;
use crate::simulate::RunResult;
use crate::summary::{PaybackStats, Summary, ValueStats};

fn months(x: Option<f64>, h: u32) -> String {
    format::months_or_beyond(x, h)
}

/// A category's share of the mean TCO: `42.2%`; `n/a` when the total is not positive or a
/// category is a rebate (shares of such a total mean nothing).
fn tco_share(s: &Summary, mean: f64) -> String {
    let total = s.tco.stats.mean;
    if total > 0.0 && s.tco.categories.iter().all(|c| c.mean >= 0.0) {
        format!("{}%", thousands(100.0 * mean / total, 1))
    } else {
        format::NOT_AVAILABLE.to_string()
    }
}

fn payback_row(out: &mut String, label: &str, p: &PaybackStats, h: u32) {
    let _ = write!(out, "  {label:<12}");
    for (_, v) in p.pct.iter() {
        let _ = write!(out, "{:>8}", months(*v, h));
    }
    out.push('\n');
}

fn value_row(out: &mut String, label: &str, v: &ValueStats, scale: f64, decimals: usize) {
    let _ = write!(out, "  {label:<12}");
    for (_, x) in v.pct.iter() {
        let _ = write!(out, "{:>12}", thousands(*x * scale, decimals));
    }
    out.push('\n');
}

/// Render the summary as a table.
pub fn render(s: &Summary) -> String {
    let h = s.horizon_months;
    let mut o = String::new();
    let _ = writeln!(o, "{}", s.scenario);
    let _ = writeln!(
        o,
        "{} trials · seed {} · {} sampling · horizon {} months · discount rate {}%/yr · {}\n",
        thousands(s.trials as f64, 0),
        s.seed,
        s.sampling,
        h,
        thousands(100.0 * s.discount_rate, 1),
        s.currency
    );
    let _ = write!(o, "{:<14}", "Payback months");
    for (n, _) in s.payback.pct.iter() {
        let _ = write!(o, "{n:>8}");
    }
    o.push('\n');
    payback_row(&mut o, "simple", &s.payback, h);
    payback_row(&mut o, "discounted", &s.discounted_payback, h);
    let p = &s.payback;
    let iv = |c: [Option<f64>; 2]| format!("{} – {}", months(c[0], h), months(c[1], h));
    let _ = writeln!(
        o,
        "  median 95% interval: {} months; P90 95% interval: {}",
        iv(p.ci.p50_ci),
        iv(p.ci.p90_ci)
    );
    let mut probs = Vec::new();
    for (label, prob, interval) in [
        ("P(≤ 12 months)", p.prob_within_12, p.prob_within_12_ci),
        ("P(≤ 24)", p.prob_within_24, p.prob_within_24_ci),
    ] {
        if let (Some(x), Some(c)) = (prob, interval) {
            probs.push(format!("{label} = {} {}", pct(x), ci(c)));
        }
    }
    if h != 12 && h != 24 {
        probs.push(format!(
            "P(≤ {h}) = {} {}",
            pct(p.prob_within_horizon),
            ci(p.prob_within_horizon_ci)
        ));
    }
    let _ = writeln!(o, "  {}", probs.join("   "));
    if h < 24 {
        let _ = writeln!(
            o,
            "  P(≤ {}) is not known: the {h}-month horizon ends before it.",
            if h < 12 { "12" } else { "24" }
        );
    }
    if p.prob_within_horizon < 1.0 {
        let _ = writeln!(
            o,
            "  {} of trials do not pay back within {h} months (shown as > {h}).",
            pct(1.0 - p.prob_within_horizon)
        );
    }
    o.push('\n');
    let _ = write!(o, "{:<14}", format!("Money ({})", s.currency));
    for (n, _) in s.npv.stats.pct.iter() {
        let _ = write!(o, "{n:>12}");
    }
    o.push('\n');
    value_row(&mut o, "NPV", &s.npv.stats, 1.0, 0);
    value_row(&mut o, "PV benefits", &s.pv_benefits, 1.0, 0);
    value_row(&mut o, "PV costs", &s.pv_costs, 1.0, 0);
    value_row(&mut o, "TCO", &s.tco.stats, 1.0, 0);
    value_row(&mut o, "Peak funding", &s.peak_funding, 1.0, 0);
    match &s.roi {
        Some(roi) => value_row(&mut o, "ROI (%)", roi, 100.0, 1),
        None => o.push_str(
            "  ROI (%)        undefined: the present value of costs is 0 or negative in some trials\n",
        ),
    }
    let _ = writeln!(
        o,
        "  NPV mean {} ± {} (s.e.)   P(NPV < 0) = {} {}",
        thousands(s.npv.stats.mean, 0),
        thousands(s.npv.stats.mean_se, 0),
        pct(s.npv.prob_negative),
        ci(s.npv.prob_negative_ci)
    );
    let _ = writeln!(
        o,
        "\nTotal cost of ownership over {h} months ({}): mean {}",
        s.currency,
        thousands(s.tco.stats.mean, 0)
    );
    let cat_width = format::column_width(s.tco.categories.iter().map(|c| c.category.as_str()), 20);
    for c in &s.tco.categories {
        let share = format!("{:>6}", tco_share(s, c.mean));
        let _ = writeln!(
            o,
            "  {}{:>14}  {share}   P10–P90 {} – {}",
            format::pad_right(&c.category, cat_width),
            thousands(c.mean, 0),
            thousands(c.p10, 0),
            thousands(c.p90, 0)
        );
    }
    let _ = writeln!(o, "\nVerdict: {}", s.verdict);
    for w in &s.warnings {
        let _ = writeln!(o, "warning: {w}");
    }
    o
}

/// The table of `run --deterministic`: one trial with every input at its point value, so
/// point values and no percentiles, intervals or chances; then the monthly cash flow.
pub fn render_point(sc: &Scenario, r: &RunResult) -> String {
    use format::Align::{Left as L, Right as R};
    let s = &r.summary;
    let (h, cur) = (s.horizon_months, s.currency.as_str());
    let mut o = String::new();
    let _ = writeln!(o, "{}", s.scenario);
    let _ = writeln!(
        o,
        "Point values: one trial with every input at its point value (no uncertainty) · horizon {h} months · discount rate {} · {cur}\n",
        format::rate_per_year(s.discount_rate)
    );
    let mut inputs = vec![vec![
        "Input".to_string(),
        "point value".to_string(),
        "distribution".to_string(),
    ]];
    inputs.extend(sc.inputs.iter().map(|i| {
        let of = if i.is_uncertain() {
            i.dist.describe()
        } else {
            "(fixed)".to_string()
        };
        vec![i.name.clone(), format::number(i.point_value()), of]
    }));
    push_lines(&mut o, &inputs, &[L, R, L]);
    let months = |p: &PaybackStats| match p.pct.p50 {
        Some(m) => [format::months(m), "months".to_string()],
        None => [format!("> {h}"), "months (beyond the horizon)".to_string()],
    };
    let money = |x: f64| [thousands(x, 0), cur.to_string()];
    let roi = match &s.roi {
        Some(v) => [pct(v.mean), String::new()],
        None => [
            "undefined".to_string(),
            "(the present value of costs is 0 or negative)".to_string(),
        ],
    };
    let figures: Vec<Vec<String>> = [
        ("Payback", months(&s.payback)),
        ("Discounted payback", months(&s.discounted_payback)),
        ("NPV", money(s.npv.stats.mean)),
        ("PV benefits", money(s.pv_benefits.mean)),
        ("PV costs", money(s.pv_costs.mean)),
        ("ROI", roi),
        ("TCO over the horizon", money(s.tco.stats.mean)),
    ]
    .into_iter()
    .map(|(name, [v, unit])| vec![name.to_string(), v, unit])
    .collect();
    o.push('\n');
    push_lines(&mut o, &figures, &[L, R, L]);
    let _ = writeln!(o, "\nTotal cost of ownership by category ({cur})");
    let categories: Vec<Vec<String>> = s
        .tco
        .categories
        .iter()
        .map(|c| {
            vec![
                c.category.clone(),
                thousands(c.mean, 0),
                tco_share(s, c.mean),
            ]
        })
        .collect();
    push_lines(&mut o, &categories, &[L, R, R]);
    let _ = writeln!(o, "\nMonthly cash flow ({cur}; month 0 is go-live)");
    let cumulative = &r.fan.p50;
    let mut flows = vec![vec![
        "month".to_string(),
        "net cash flow".to_string(),
        "cumulative".to_string(),
    ]];
    flows.extend(
        r.fan
            .months
            .iter()
            .zip(cumulative)
            .enumerate()
            .map(|(i, (m, c))| {
                let before = if i == 0 { 0.0 } else { cumulative[i - 1] };
                vec![m.to_string(), thousands(c - before, 0), thousands(*c, 0)]
            }),
    );
    push_lines(&mut o, &flows, &[R, R, R]);
    let _ = writeln!(o, "\nVerdict: {}", s.verdict);
    for w in &s.warnings {
        let _ = writeln!(o, "warning: {w}");
    }
    o
}

/// Table rows laid out by [`format::align`], indented by two spaces.
fn push_lines(o: &mut String, rows: &[Vec<String>], aligns: &[format::Align]) {
    for line in format::align(rows, aligns, 3) {
        let _ = writeln!(o, "  {line}");
    }
}
