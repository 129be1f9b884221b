//! Terminal tables: one number format, columns aligned by display width (汉字 take two
//! columns), and no rounding that changes the meaning of a number.

use payback::format::display_width;

use crate::util::{bin, tempdir};

/// Payback in month 1 unless a rare disaster (p = 0.0003) strikes: about 6 trials in 20,000
/// never pay back and lose money.
const RARE_FAILURE: &str = r#"name = "rare failure"
horizon_months = 36
[inputs]
users = 100
disaster = { dist = "bernoulli", p = 0.0003 }
[[costs]]
name = "setup"
category = "implementation"
when = "once"
amount = "1000 + disaster * 100000000"
[[benefits]]
name = "saving"
category = "productivity"
when = "monthly"
amount = "users * 10"
"#;

fn stdout(args: &[&str]) -> String {
    let out = bin().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "payback {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn with_rare_failure(args: &[&str]) -> String {
    let dir = tempdir();
    let f = dir.path().join("rare.toml");
    std::fs::write(&f, RARE_FAILURE).expect("write");
    let f = f.to_str().expect("UTF-8 path").to_string();
    let mut all: Vec<&str> = vec![args[0], &f];
    all.extend(&args[1..]);
    stdout(&all)
}

/// The display column at which `needle` starts in `line`.
fn column_of(line: &str, needle: &str) -> usize {
    let i = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {line:?}"));
    display_width(&line[..i])
}

#[test]
fn run_never_rounds_a_rare_failure_to_none() {
    let o = with_rare_failure(&["run", "-n", "20000", "--seed", "1", "--quiet"]);
    assert!(
        o.contains("<0.1% of trials do not pay back within 36 months"),
        "{o}"
    );
    assert!(o.contains("P(≤ 36) = >99.9% [>99.9, >99.9]"), "{o}");
    assert!(o.contains("P(NPV < 0) = <0.1%"), "{o}");
    assert!(o.contains("within a year in >99% of trials"), "{o}");
    let head = &o[..o.find("Total cost").expect("a TCO section")];
    assert!(!head.contains("100.0%") && !head.contains(" 0.0%"), "{o}");
}

#[test]
fn sweep_uses_the_same_rule_for_near_certain_and_rare_events() {
    let o = with_rare_failure(&[
        "sweep",
        "--vary",
        "users=100:200:2",
        "-n",
        "20000",
        "--seed",
        "1",
        "--quiet",
    ]);
    let rows: Vec<&str> = o.lines().filter(|l| l.contains(">99.9%")).collect();
    assert_eq!(rows.len(), 2, "{o}");
    for r in rows {
        assert!(r.contains("<0.1%"), "P(NPV < 0) of a rare failure: {r}");
        assert!(!r.contains("100.0%") && !r.contains(" 0.0%"), "{r}");
    }
}

#[test]
fn validate_aligns_chinese_names_and_formats_numbers() {
    let o = stdout(&["validate", "scenarios/smb_customer_service.toml"]);
    assert!(o.contains("discount rate 10.0%/yr"), "{o}");
    // P10–P90 of 培训隐性人工 (triangular 5000 / 7500 / 10000) rounded with separators.
    assert!(o.contains("P10–P90 6,118 – 8,882"), "{o}");
    assert!(o.contains("triangular 5,000 / 7,500 / 10,000"), "{o}");
    let inputs: Vec<&str> = o
        .lines()
        .skip_while(|l| !l.starts_with("Inputs"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(inputs.len() > 10, "{o}");
    // The description column starts at one display column on every row.
    let starts: Vec<usize> = inputs
        .iter()
        .map(|l| {
            let name_end = 2 + l[2..].find(' ').expect("a name then a description");
            let gap = l[name_end..].len() - l[name_end..].trim_start().len();
            display_width(&l[..name_end + gap])
        })
        .collect();
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{starts:?}\n{o}");
    let items: Vec<&str> = o
        .lines()
        .skip_while(|l| !l.starts_with("Line items"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    let timing: Vec<usize> = items
        .iter()
        .map(|l| {
            ["once", "monthly", "yearly"]
                .iter()
                .filter_map(|w| l.find(w).map(|i| display_width(&l[..i])))
                .min()
                .expect("a timing")
        })
        .collect();
    assert!(timing.windows(2).all(|w| w[0] == w[1]), "{timing:?}\n{o}");
}

#[test]
fn tornado_columns_line_up_with_chinese_names() {
    let o = stdout(&[
        "sensitivity",
        "scenarios/smb_customer_service.toml",
        "--method",
        "tornado",
        "-n",
        "1000",
    ]);
    let rows: Vec<&str> = o.lines().filter(|l| l.contains("swing")).collect();
    assert!(rows.len() > 10, "{o}");
    for needle in ["→", "swing"] {
        let cols: Vec<usize> = rows.iter().map(|l| column_of(l, needle)).collect();
        assert!(
            cols.windows(2).all(|w| w[0] == w[1]),
            "{needle}: {cols:?}\n{o}"
        );
    }
}

#[test]
fn tornado_of_roi_is_in_percent_and_percentage_points() {
    let o = stdout(&[
        "sensitivity",
        "scenarios/cloud_im_500.toml",
        "--method",
        "tornado",
        "--output",
        "roi",
        "-n",
        "1000",
    ]);
    let rows: Vec<&str> = o.lines().filter(|l| l.contains("swing")).collect();
    assert!(!rows.is_empty(), "{o}");
    for r in rows {
        let ends: Vec<&str> = r.split("→ ").skip(1).collect();
        assert_eq!(ends.len(), 2, "{r}");
        for e in ends {
            let v = e.split_whitespace().next().unwrap_or("");
            assert!(v.ends_with('%'), "an ROI end in percent: {r}");
        }
        assert!(
            r.trim_end().ends_with(" pp"),
            "a swing in percentage points: {r}"
        );
    }
}

#[test]
fn a_swing_with_an_end_beyond_the_horizon_is_a_lower_bound() {
    let o = stdout(&[
        "sensitivity",
        "scenarios/vendor_a_low_price.toml",
        "--method",
        "tornado",
        "-n",
        "1000",
    ]);
    let censored: Vec<&str> = o
        .lines()
        .filter(|l| l.contains("swing") && l.contains("> 36 months"))
        .collect();
    assert!(!censored.is_empty(), "{o}");
    for r in &censored {
        assert!(r.contains("≥ "), "{r}");
    }
    for r in o.lines().filter(|l| l.contains("→") && !l.contains("> 36")) {
        assert!(!r.contains('≥'), "{r}");
    }
}

#[test]
fn spider_columns_never_run_together() {
    let o = stdout(&[
        "sensitivity",
        "scenarios/cloud_im_500.toml",
        "--method",
        "spider",
        "--output",
        "npv",
        "--spider-trials",
        "500",
        "-n",
        "500",
    ]);
    let rows: Vec<&str> = o
        .lines()
        .skip_while(|l| !l.starts_with("Spider"))
        .skip(2)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(!rows.is_empty(), "{o}");
    for r in rows {
        // The input name and 9 percentiles, each apart.
        assert_eq!(r.split_whitespace().count(), 10, "{r}");
        assert!(r.contains(",") && r.split("  ").count() > 9, "{r}");
    }
}

#[test]
fn sweep_prints_rates_as_run_does_and_start_months_whole() {
    let o = stdout(&[
        "sweep",
        "scenarios/cloud_im_500.toml",
        "--vary",
        "discount_rate=0.05:0.15:3",
        "-n",
        "500",
        "--quiet",
    ]);
    assert!(o.contains("10.0%/yr"), "{o}");
    assert!(o.contains("from 5.0%/yr to 15.0%/yr"), "{o}");
    assert!(
        !o.lines().any(|l| l.trim_start().starts_with("0.1 ")),
        "{o}"
    );
    let o = stdout(&[
        "sweep",
        "scenarios/cloud_im_500.toml",
        "--vary",
        "start:沟通时间节省=0:24:5",
        "-n",
        "500",
        "--quiet",
    ]);
    let be: Vec<&str> = o
        .lines()
        .filter(|l| l.contains("median payback ≤ 12"))
        .collect();
    assert_eq!(be.len(), 1, "{o}");
    let l = be[0];
    assert!(l.contains("(break-even between month "), "{l}");
    // Whole months on either side: "≤ 6 (break-even between month 6 and 7)".
    let after = &l[l.find("” ≤ ").expect("a side") + "” ≤ ".len()..];
    let month: String = after.chars().take_while(char::is_ascii_digit).collect();
    assert!(
        after[month.len()..].starts_with(" (break-even between month "),
        "{l}"
    );
}

#[test]
fn comparing_an_option_with_itself_is_a_tie_not_a_lead() {
    let o = stdout(&[
        "compare",
        "scenarios/vendor_a_low_price.toml",
        "scenarios/vendor_a_low_price.toml",
        "-n",
        "500",
        "--quiet",
    ]);
    let best = o
        .lines()
        .find(|l| l.starts_with("Best by expected NPV"))
        .expect("a best line");
    assert!(best.contains("(tied)"), "{best}");
    assert!(!best.contains("ahead of"), "{best}");
    assert!(best.contains("equal in every simulated future"), "{best}");
}

#[test]
fn run_deterministic_prints_point_values_and_the_monthly_cash_flow() {
    let o = stdout(&[
        "run",
        "scenarios/smb_customer_service.toml",
        "--deterministic",
    ]);
    // No Monte Carlo apparatus for one trial.
    // (The input table may quote distributions: "truncated to [25, 80]".)
    let figures = &o[o.find("\n  Payback").expect("a payback line")..];
    for absent in ["P10", "P95", "[", "trials", "interval", "only 1"] {
        assert!(!figures.contains(absent), "{absent:?} in\n{o}");
    }
    assert!(!o.contains("1 trials"), "{o}");
    for present in [
        "Payback",
        "Discounted payback",
        "NPV",
        "ROI",
        "Total cost of ownership by category",
        "Monthly cash flow",
    ] {
        assert!(o.contains(present), "{present:?} missing in\n{o}");
    }
    // Input names (Chinese) line up: the point values end at one display column.
    let inputs: Vec<&str> = o
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("Input"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(inputs.len() > 10, "{o}");
    let ends: Vec<usize> = inputs
        .iter()
        .skip(1)
        .map(|l| {
            let name_end = 2 + l[2..].find(' ').expect("name");
            let rest = &l[name_end..];
            let value_end = rest.len() - rest.trim_start().len()
                + rest
                    .trim_start()
                    .find(' ')
                    .unwrap_or(rest.trim_start().len());
            display_width(&l[..name_end + value_end])
        })
        .collect();
    assert!(ends.windows(2).all(|w| w[0] == w[1]), "{ends:?}\n{o}");
    // One row a month, 0..=36; the net flows add up to the cumulative one.
    let number = |s: &str| -> f64 { s.replace(',', "").parse().expect("a number") };
    let rows: Vec<Vec<f64>> = o
        .lines()
        .skip_while(|l| !l.starts_with("Monthly cash flow"))
        .skip(2)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().map(number).collect())
        .collect();
    assert_eq!(rows.len(), 37, "{o}");
    for (m, r) in rows.iter().enumerate() {
        assert_eq!(r[0], m as f64);
        let before = if m == 0 { 0.0 } else { rows[m - 1][2] };
        assert!((r[2] - before - r[1]).abs() <= 1.0, "month {m}: {r:?}");
    }
    // The NPV is the point-value NPV of the JSON summary.
    let json = stdout(&[
        "run",
        "scenarios/smb_customer_service.toml",
        "--deterministic",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let npv = v["npv"]["mean"].as_f64().expect("npv mean");
    let line = o
        .lines()
        .find(|l| l.trim_start().starts_with("NPV"))
        .expect("an NPV line");
    let shown = number(line.split_whitespace().nth(1).expect("a value"));
    assert_eq!(shown, npv.round(), "{line}");
}
