//! `--xlsx FILE`: the workbook read back with calamine. Sheet names, every key figure
//! against the JSON of the same run, number formats, and the ranges the native charts
//! reference (read from the chart XML inside the file).

use std::io::Read;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use serde_json::Value;

use crate::util::{bin, tempdir};

type Book = Xlsx<std::io::BufReader<std::fs::File>>;

fn open(p: &Path) -> Book {
    open_workbook(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn sheet(b: &mut Book, name: &str) -> Range<Data> {
    b.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

/// The cell at (row, col), 0-based absolute.
fn at(r: &Range<Data>, row: u32, col: u32) -> &Data {
    r.get_value((row, col)).unwrap_or(&Data::Empty)
}

fn num(r: &Range<Data>, row: u32, col: u32) -> f64 {
    match at(r, row, col) {
        Data::Float(x) => *x,
        Data::Int(x) => *x as f64,
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

fn text(r: &Range<Data>, row: u32, col: u32) -> String {
    match at(r, row, col) {
        Data::String(s) => s.clone(),
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

/// The row whose column `col` holds `label` exactly.
fn row_of(r: &Range<Data>, col: u32, label: &str) -> u32 {
    let (h, _) = r.end().unwrap_or((0, 0));
    (0..=h)
        .find(|&i| matches!(at(r, i, col), Data::String(s) if s == label))
        .unwrap_or_else(|| panic!("no row labelled {label:?} in column {col}"))
}

fn json(stdout: &[u8]) -> Value {
    serde_json::from_slice(stdout).expect("JSON on stdout")
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Every `<c:f>` range of every chart in the file, per chart.
fn chart_ranges(p: &Path) -> Vec<Vec<String>> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(p).unwrap()).unwrap();
    let mut names: Vec<String> = z
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| n.starts_with("xl/charts/chart") && n.ends_with(".xml"))
        .collect();
    names.sort_by_key(|n| {
        n.trim_start_matches("xl/charts/chart")
            .trim_end_matches(".xml")
            .parse::<u32>()
            .unwrap_or(0)
    });
    names
        .iter()
        .map(|n| {
            let mut s = String::new();
            z.by_name(n).unwrap().read_to_string(&mut s).unwrap();
            s.split("<c:f>")
                .skip(1)
                .filter_map(|x| x.split("</c:f>").next())
                .map(|x| x.replace("&apos;", "'"))
                .collect()
        })
        .collect()
}

/// The number format of a cell.
fn format_of(b: &mut Book, sheet: &str, row: u32, col: u32) -> String {
    let st = b.worksheet_style(sheet).unwrap();
    st.get((row, col))
        .and_then(|s| s.number_format.as_ref())
        .map(|n| n.format_code.clone())
        .unwrap_or_else(|| "General".into())
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn run_workbook_matches_the_json_and_the_files_of_the_same_run() {
    let d = tempdir();
    let x = d.path().join("run.xlsx");
    let out = d.path().join("out");
    let o = bin()
        .args(["run", "scenarios/cloud_im_500.toml", "--trials", "4000"])
        .args([
            "--format",
            "json",
            "--number-style",
            "wan",
            "--charts",
            "none",
        ])
        .arg("--out")
        .arg(&out)
        .arg("--xlsx")
        .arg(&x)
        .arg("--xlsx-trials")
        .assert()
        .success();
    let j = json(&o.get_output().stdout);
    let mut b = open(&x);
    assert_eq!(
        b.sheet_names(),
        [
            "Summary",
            "Payback",
            "NPV",
            "TCO",
            "Cash flow",
            "Assumptions",
            "Line items",
            "Trials"
        ]
    );
    // Summary: the words and every key figure.
    let s = sheet(&mut b, "Summary");
    assert_eq!(text(&s, 0, 0), j["scenario"].as_str().unwrap()); // Chinese name
    assert_eq!(
        text(&s, row_of(&s, 0, "Verdict"), 1),
        j["verdict"].as_str().unwrap()
    );
    let p = &j["payback"];
    let r = row_of(&s, 0, "Median payback (months)");
    assert_eq!(num(&s, r, 1), f(&p["p50"]));
    assert_eq!(num(&s, r, 2), f(&p["p50_ci"][0]));
    assert_eq!(num(&s, r, 3), f(&p["p50_ci"][1]));
    let r = row_of(&s, 0, "P(payback ≤ 12 months)");
    assert_eq!(num(&s, r, 1), f(&p["prob_within_12"]));
    assert_eq!(num(&s, r, 2), f(&p["prob_within_12_ci"][0]));
    let r = row_of(&s, 0, "P(payback ≤ 24 months)");
    assert_eq!(num(&s, r, 1), f(&p["prob_within_24"]));
    let r = row_of(&s, 0, "Expected NPV (CNY)");
    assert_eq!(num(&s, r, 1), f(&j["npv"]["mean"]));
    assert_eq!(num(&s, r, 4), f(&j["npv"]["mean_se"]));
    let npv_row = r;
    let r = row_of(&s, 0, "P(NPV < 0)");
    assert_eq!(num(&s, r, 1), f(&j["npv"]["prob_negative"]));
    let pct_row = r;
    let r = row_of(&s, 0, "Expected TCO over 36 months (CNY)");
    assert_eq!(num(&s, r, 1), f(&j["tco"]["mean"]));
    assert_eq!(num(&s, row_of(&s, 0, "Median ROI"), 1), f(&j["roi"]["p50"]));
    assert_eq!(num(&s, row_of(&s, 0, "Trials"), 1), 4000.0);
    assert_eq!(text(&s, row_of(&s, 0, "Seed"), 1), j["seed"].to_string());
    // Number formats: money as 万 (asked for), probabilities as percentages.
    assert_eq!(format_of(&mut b, "Summary", npv_row, 1), "0\\.0,\"万\"");
    assert_eq!(format_of(&mut b, "Summary", pct_row, 1), "0.0%");

    // Payback: percentiles, and the histogram adds up to the run.
    let s = sheet(&mut b, "Payback");
    for (k, name) in ["P5", "P10", "P25", "P50", "P75", "P90", "P95"]
        .iter()
        .enumerate()
    {
        let r = row_of(&s, 0, name);
        let key = format!("p{}", &name[1..]);
        match p[&key].as_f64() {
            Some(v) => assert_eq!(num(&s, r, 1), v, "{name}"),
            None => assert_eq!(text(&s, r, 1), "> 36", "{name}"),
        }
        let _ = k;
    }
    let h = row_of(&s, 0, "From (excluded)");
    let (first, last) = (h + 1, h + 37); // 36 monthly bins and "> 36"
    assert_eq!(text(&s, last, 1), "> 36");
    let total: f64 = (first..=last).map(|r| num(&s, r, 2)).sum();
    assert_eq!(total, 4000.0);
    let r12 = (first..last).find(|&r| num(&s, r, 1) == 12.0).unwrap();
    assert!(close(num(&s, r12, 4), f(&p["prob_within_12"]), 1e-12));
    assert!(close(
        num(&s, last, 3),
        1.0 - f(&p["prob_within_horizon"]),
        1e-12
    ));
    assert_eq!(format_of(&mut b, "Payback", r12, 3), "0.0%");

    // Charts reference the tables' cells.
    let charts = chart_ranges(&x);
    assert_eq!(charts.len(), 4, "{charts:?}");
    let (a, z) = (first + 1, last + 1); // 1-based in A1 references
    assert!(
        charts[0].contains(&format!("Payback!$D${a}:$D${z}")),
        "{:?}",
        charts[0]
    );
    assert!(charts[0].contains(&format!("Payback!$E${a}:$E${z}")));
    assert!(charts[0].contains(&format!("Payback!$B${a}:$B${z}")));
    assert!(
        charts[3].contains(&"'Cash flow'!$D$5:$D$41".to_string()),
        "{:?}",
        charts[3]
    );
    assert!(charts[3].contains(&"'Cash flow'!$B$5:$B$41".to_string()));

    // NPV and TCO against the JSON.
    let s = sheet(&mut b, "NPV");
    assert_eq!(num(&s, row_of(&s, 0, "P10"), 1), f(&j["npv"]["p10"]));
    assert_eq!(num(&s, row_of(&s, 0, "P90"), 6), f(&j["roi"]["p90"]));
    assert_eq!(
        num(&s, row_of(&s, 0, "Mean"), 4),
        f(&j["pv_benefits"]["mean"])
    );
    let s = sheet(&mut b, "TCO");
    for c in j["tco"]["categories"].as_array().unwrap() {
        let name = c["category"].as_str().unwrap();
        let label = {
            let t = name.replace('_', " ");
            let mut ch = t.chars();
            ch.next().unwrap().to_uppercase().collect::<String>() + ch.as_str()
        };
        let r = row_of(&s, 0, &label);
        assert_eq!(num(&s, r, 2), f(&c["mean"]), "{name}");
        assert_eq!(num(&s, r, 4), f(&c["p10"]), "{name}");
        assert_eq!(num(&s, r, 5), f(&c["p90"]), "{name}");
    }
    let cats = j["tco"]["categories"].as_array().unwrap().len() as u32;
    let h = row_of(&s, 0, "Category");
    let (a, z) = (h + 2, h + 1 + cats);
    assert!(
        charts[2].contains(&format!("TCO!$C${a}:$C${z}")),
        "{:?}",
        charts[2]
    );
    assert!(charts[2].contains(&format!("TCO!$H${a}:$H${z}")));

    // Cash flow: the same bands as cashflow.csv of the same run.
    let csv = std::fs::read_to_string(out.join("cashflow.csv")).unwrap();
    let s = sheet(&mut b, "Cash flow");
    for (i, line) in csv.lines().skip(1).enumerate() {
        let v: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        let r = 4 + i as u32;
        for (k, want) in v.iter().enumerate() {
            assert_eq!(num(&s, r, k as u32), *want, "month {i}, column {k}");
        }
        // The band widths the fan stacks (cached formula results).
        assert!(close(num(&s, r, 7), v[4] - v[2], 1e-12));
    }

    // Assumptions: every input as written.
    let s = sheet(&mut b, "Assumptions");
    let r = row_of(&s, 0, "minutes_saved");
    assert_eq!(text(&s, r, 1), "PERT 6 / 20 / 25");
    assert_eq!(num(&s, r, 3), 20.0);

    // Trials: one row per trial, the outputs of the JSON's run.
    let s = sheet(&mut b, "Trials");
    let head: Vec<String> = (0..40)
        .map(|c| match at(&s, 0, c) {
            Data::String(t) => t.clone(),
            _ => String::new(),
        })
        .collect();
    let npv = head.iter().position(|h| h == "npv").unwrap() as u32;
    let pb = head.iter().position(|h| h == "payback").unwrap() as u32;
    assert!(head.iter().any(|h| h == "tco_licence"));
    assert_eq!(num(&s, 4000, 0), 3999.0);
    let mean: f64 = (1..=4000).map(|r| num(&s, r, npv)).sum::<f64>() / 4000.0;
    assert!(close(mean, f(&j["npv"]["mean"]), 1e-9));
    let censored = (1..=4000)
        .filter(|&r| matches!(at(&s, r, pb), Data::Empty))
        .count() as f64;
    assert!(close(
        censored / 4000.0,
        1.0 - f(&p["prob_within_horizon"]),
        1e-12
    ));
    // Nothing but the workbook and the folder: no temporary file left.
    let mut names: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["out", "run.xlsx"]);
}

#[test]
fn workbook_money_follows_the_number_style() {
    let d = tempdir();
    let x = d.path().join("plain.xlsx");
    bin()
        .args([
            "run",
            "scenarios/cloud_im_500.toml",
            "--trials",
            "300",
            "--quiet",
        ])
        .arg("--xlsx")
        .arg(&x)
        .assert()
        .success();
    let mut b = open(&x);
    let s = sheet(&mut b, "Summary");
    let r = row_of(&s, 0, "Expected NPV (CNY)");
    assert_eq!(format_of(&mut b, "Summary", r, 1), "#,##0");
    assert!(!b.sheet_names().contains(&"Trials".to_string()));
}

#[test]
fn workbook_options_are_checked_before_anything_runs_or_is_written() {
    let d = tempdir();
    let out = d.path().join("out");
    // Not an .xlsx name.
    bin()
        .args(["run", "scenarios/cloud_im_500.toml", "--trials", "100"])
        .arg("--out")
        .arg(&out)
        .arg("--xlsx")
        .arg(d.path().join("book.txt"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("ending in .xlsx"));
    // A folder that does not exist.
    bin()
        .args(["run", "scenarios/cloud_im_500.toml", "--trials", "100"])
        .arg("--out")
        .arg(&out)
        .arg("--xlsx")
        .arg(d.path().join("missing/book.xlsx"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("does not exist"));
    // --xlsx-trials alone.
    bin()
        .args(["run", "scenarios/cloud_im_500.toml", "--xlsx-trials"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--xlsx-trials needs --xlsx"));
    // A directory.
    bin()
        .args([
            "compare",
            "scenarios/vendor_a_low_price.toml",
            "scenarios/vendor_b_mature.toml",
        ])
        .arg("--xlsx")
        .arg(d.path())
        .assert()
        .code(2);
    assert!(!out.exists(), "nothing written, no folder created");
    assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 0);
}

#[test]
fn compare_workbook_has_a_sheet_per_option_and_the_paired_table() {
    let d = tempdir();
    let x = d.path().join("cmp.xlsx");
    let o = bin()
        .args([
            "compare",
            "scenarios/vendor_a_low_price.toml",
            "scenarios/vendor_b_mature.toml",
            "scenarios/vendor_c_tech_leader.toml",
            "--trials",
            "2000",
            "--format",
            "json",
        ])
        .arg("--xlsx")
        .arg(&x)
        .assert()
        .success();
    let j = json(&o.get_output().stdout);
    let mut b = open(&x);
    assert_eq!(
        b.sheet_names(),
        [
            "Summary", "Options", "Paired", "Option A", "Option B", "Option C"
        ]
    );
    let s = sheet(&mut b, "Options");
    let head = row_of(&s, 0, "Key");
    for (i, opt) in j["options"].as_array().unwrap().iter().enumerate() {
        let r = head + 1 + i as u32;
        let sm = &opt["summary"];
        assert_eq!(text(&s, r, 0), opt["key"].as_str().unwrap());
        assert_eq!(num(&s, r, 11), f(&sm["npv"]["mean"]));
        assert_eq!(num(&s, r, 16), f(&sm["npv"]["prob_negative"]));
        assert_eq!(num(&s, r, 17), f(&sm["tco"]["mean"]));
        let p24 = &sm["payback"]["prob_within_24"];
        assert_eq!(num(&s, r, 9), f(p24));
    }
    let s = sheet(&mut b, "Paired");
    let head = row_of(&s, 0, "X");
    for (i, p) in j["pairs"].as_array().unwrap().iter().enumerate() {
        let r = head + 1 + i as u32;
        assert_eq!(text(&s, r, 0), p["a_key"].as_str().unwrap());
        assert_eq!(num(&s, r, 2), f(&p["prob_a_higher_npv"]));
        assert_eq!(num(&s, r, 4), f(&p["prob_a_shorter_payback"]));
        assert_eq!(num(&s, r, 10), f(&p["npv_difference"]["mean"]));
        assert_eq!(num(&s, r, 12), f(&p["npv_difference"]["ci"][1]));
    }
    let s = sheet(&mut b, "Option C");
    let r = row_of(&s, 0, "Median NPV (CNY)");
    assert_eq!(num(&s, r, 1), f(&j["options"][2]["summary"]["npv"]["p50"]));
    let charts = chart_ranges(&x);
    assert_eq!(charts.len(), 2);
    assert!(
        charts[0].contains(&"Options!$N$5:$N$7".to_string()),
        "{:?}",
        charts[0]
    );
    assert!(charts[0].contains(&"Options!$P$5:$P$7".to_string()));
    assert!(
        charts[1].contains(&"Options!$I$5:$I$7".to_string()),
        "{:?}",
        charts[1]
    );
}

#[test]
fn sweep_workbook_has_the_grid_the_break_evens_and_a_matrix_for_two_parameters() {
    let d = tempdir();
    let x = d.path().join("sweep.xlsx");
    let o = bin()
        .args([
            "sweep",
            "scenarios/cloud_im_500.toml",
            "--vary",
            "adoption_peak=0.1:1:4",
            "--trials",
            "1000",
            "--format",
            "json",
            "--quiet",
        ])
        .arg("--xlsx")
        .arg(&x)
        .assert()
        .success();
    let j = json(&o.get_output().stdout);
    let mut b = open(&x);
    assert_eq!(b.sheet_names(), ["Summary", "Grid", "Break-evens"]);
    let s = sheet(&mut b, "Grid");
    let head = row_of(&s, 0, "Key");
    let pts = j["scenarios"][0]["points"].as_array().unwrap();
    assert_eq!(pts.len(), 4);
    for (i, p) in pts.iter().enumerate() {
        let r = head + 1 + i as u32;
        assert_eq!(num(&s, r, 2), f(&p["values"][0]));
        assert_eq!(num(&s, r, 9), f(&p["npv_mean"]));
        assert_eq!(num(&s, r, 15), f(&p["tco_mean"]));
        match p["payback_p50"].as_f64() {
            Some(v) => assert_eq!(num(&s, r, 4), v),
            None => assert_eq!(at(&s, r, 4), &Data::Empty),
        }
    }
    let s = sheet(&mut b, "Break-evens");
    let bes = j["scenarios"][0]["breakevens"].as_array().unwrap();
    assert!(!bes.is_empty(), "the grid brackets a break-even");
    let head = row_of(&s, 0, "Key");
    for (i, be) in bes.iter().enumerate() {
        assert_eq!(num(&s, head + 1 + i as u32, 6), f(&be["value"]));
    }
    let charts = chart_ranges(&x);
    assert_eq!(charts.len(), 2);
    assert!(
        charts[0].contains(&"Grid!$C$4:$C$7".to_string()),
        "{:?}",
        charts[0]
    );
    assert!(charts[0].contains(&"Grid!$E$4:$E$7".to_string()));
    assert!(
        charts[1].contains(&"Grid!$J$4:$J$7".to_string()),
        "{:?}",
        charts[1]
    );

    let x2 = d.path().join("sweep2.xlsx");
    let o = bin()
        .args([
            "sweep",
            "scenarios/cloud_im_500.toml",
            "--vary",
            "adoption_peak=0.2:1:3",
            "--vary",
            "seat_price=10:40:2",
            "--trials",
            "300",
            "--format",
            "json",
            "--quiet",
        ])
        .arg("--xlsx")
        .arg(&x2)
        .assert()
        .success();
    let j = json(&o.get_output().stdout);
    let mut b = open(&x2);
    assert_eq!(b.sheet_names(), ["Summary", "Grid", "P(payback ≤ 24)"]);
    let s = sheet(&mut b, "P(payback ≤ 24)");
    // Row i, column j is the point with the first parameter at i and the second at j.
    let pts = j["scenarios"][0]["points"].as_array().unwrap();
    let top = row_of(&s, 0, "adoption_peak \\ seat_price") + 1;
    for (k, p) in pts.iter().enumerate() {
        let (i, jj) = ((k % 3) as u32, (k / 3) as u32);
        assert_eq!(num(&s, top + i, 0), f(&p["values"][0]));
        assert_eq!(num(&s, top + i, 1 + jj), f(&p["prob_payback_within_24"]));
    }
}

#[test]
fn sensitivity_workbook_has_a_native_tornado_and_every_analysis() {
    let d = tempdir();
    let x = d.path().join("sens.xlsx");
    let o = bin()
        .args([
            "sensitivity",
            "scenarios/cloud_im_500.toml",
            "--trials",
            "2000",
            "--base-samples",
            "256",
            "--bootstrap",
            "20",
            "--spider-trials",
            "200",
            "--format",
            "json",
            "--quiet",
        ])
        .arg("--xlsx")
        .arg(&x)
        .assert()
        .success();
    let j = json(&o.get_output().stdout);
    let mut b = open(&x);
    assert_eq!(
        b.sheet_names(),
        [
            "Summary",
            "Tornado",
            "Rank",
            "Sobol",
            "Value of information",
            "Spider"
        ]
    );
    let s = sheet(&mut b, "Tornado");
    let rows = j["tornado"]["rows"].as_array().unwrap();
    let head = row_of(&s, 0, "Input");
    let tornado_head = head;
    for (i, r) in rows.iter().enumerate() {
        let rr = head + 1 + i as u32;
        assert_eq!(text(&s, rr, 0), r["input"].as_str().unwrap());
        assert_eq!(num(&s, rr, 5), f(&r["swing"]));
    }
    let s = sheet(&mut b, "Value of information");
    assert_eq!(
        num(&s, row_of(&s, 0, "EVPI (CNY)"), 1),
        f(&j["voi"]["evpi"])
    );
    let s = sheet(&mut b, "Sobol");
    let head = row_of(&s, 0, "Input");
    for (i, r) in j["sobol"]["rows"].as_array().unwrap().iter().enumerate() {
        assert_eq!(num(&s, head + 1 + i as u32, 1), f(&r["s1"]));
    }
    let s = sheet(&mut b, "Rank");
    let head = row_of(&s, 0, "Input");
    assert_eq!(num(&s, head + 1, 1), f(&j["rank"][0]["spearman"]));
    let charts = chart_ranges(&x);
    assert_eq!(charts.len(), 5);
    let n = rows.len() as u32;
    let (a, z) = (tornado_head + 2, tornado_head + 1 + n);
    assert!(
        charts[0].contains(&format!("Tornado!$G${a}:$G${z}")),
        "{:?}",
        charts[0]
    );
    assert!(charts[0].contains(&format!("Tornado!$H${a}:$H${z}")));
    // A tornado: the two series overlap fully on one bar per input.
    let mut z = zip::ZipArchive::new(std::fs::File::open(&x).unwrap()).unwrap();
    let mut xml = String::new();
    z.by_name("xl/charts/chart1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("<c:barDir val=\"bar\"/>"), "{xml}");
    assert!(xml.contains("<c:overlap val=\"100\"/>"), "{xml}");
}

#[test]
fn report_workbook_has_the_run_the_drivers_and_the_comparison() {
    let d = tempdir();
    let x = d.path().join("report.xlsx");
    bin()
        .args([
            "report",
            "scenarios/vendor_a_low_price.toml",
            "scenarios/vendor_b_mature.toml",
            "--trials",
            "1000",
            "--quiet",
        ])
        .arg("-o")
        .arg(d.path().join("report.html"))
        .arg("--xlsx")
        .arg(&x)
        .assert()
        .success();
    let mut b = open(&x);
    assert_eq!(
        b.sheet_names(),
        [
            "Summary",
            "Payback",
            "NPV",
            "TCO",
            "Cash flow",
            "Assumptions",
            "Line items",
            "Tornado",
            "Value of information",
            "Decision rule",
            "Options",
            "Paired",
            "Option A",
            "Option B"
        ]
    );
    // The report's run and the comparison's option A are the same simulated futures.
    let s = sheet(&mut b, "Summary");
    let mean = num(&s, row_of(&s, 0, "Expected NPV (CNY)"), 1);
    let o = sheet(&mut b, "Options");
    let r = row_of(&o, 0, "A");
    assert!(close(num(&o, r, 11), mean, 1e-9));
}

/// Six months, paying back never: every payback beyond the horizon.
const SHORT: &str = r#"name = "短期 pilot"
horizon_months = 6
[inputs]
u = { dist = "uniform", min = 10, max = 20 }
[[costs]]
name = "Setup"
category = "implementation"
when = "once"
amount = "COST"
[[benefits]]
name = "Saving"
category = "productivity"
when = "monthly"
amount = "u"
"#;

#[test]
fn workbook_says_beyond_the_horizon_undecided_and_undefined_in_words() {
    let d = tempdir();
    let s = d.path().join("short.toml");
    std::fs::write(&s, SHORT.replace("COST", "1000")).unwrap();
    let x = d.path().join("short.xlsx");
    bin()
        .args(["run", "--trials", "200", "--quiet"])
        .arg(&s)
        .arg("--xlsx")
        .arg(&x)
        .assert()
        .success();
    let mut b = open(&x);
    let sh = sheet(&mut b, "Summary");
    assert_eq!(text(&sh, 0, 0), "短期 pilot");
    assert_eq!(
        text(&sh, row_of(&sh, 0, "Median payback (months)"), 1),
        "> 6"
    );
    let r = row_of(&sh, 0, "P(payback ≤ 12 months)");
    assert!(text(&sh, r, 1).starts_with("n/a: the horizon is shorter than 12"));
    assert_eq!(num(&sh, row_of(&sh, 0, "P(payback ≤ 6 months)"), 1), 0.0);
    let p = sheet(&mut b, "Payback");
    let h = row_of(&p, 0, "From (excluded)");
    // 12 half-month bins, then "> 6" holding every trial.
    assert_eq!(text(&p, h + 13, 1), "> 6");
    assert_eq!(num(&p, h + 13, 2), 200.0);

    // A rebate larger than the costs: ROI is undefined, and says so.
    std::fs::write(&s, SHORT.replace("COST", "-1000")).unwrap();
    let x = d.path().join("rebate.xlsx");
    bin()
        .args(["run", "--trials", "200", "--quiet"])
        .arg(&s)
        .arg("--xlsx")
        .arg(&x)
        .assert()
        .success();
    let mut b = open(&x);
    let sh = sheet(&mut b, "Summary");
    assert!(text(&sh, row_of(&sh, 0, "Median ROI"), 1).starts_with("undefined"));
    let n = sheet(&mut b, "NPV");
    assert_eq!(text(&n, row_of(&n, 0, "P50"), 6), "undefined");
}
