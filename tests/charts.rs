//! Chart layout: in every chart the commands write for the bundled scenarios, label text
//! boxes do not overlap each other and no label is crossed by a line it is not about
//! (boxes and lines read back from the SVG with `payback::charts::layout`).

use std::path::{Path, PathBuf};

use payback::charts::layout::{
    Segment, TextBox, crossed_texts, overlapping_texts, segments, text_boxes,
};

use crate::util::{bin, tempdir};

/// Grid lines sit behind everything.
const GRID: &str = "#E5E7EB";

/// Write the SVG charts of `payback ARGS --out DIR --charts svg`; return DIR's SVG files.
fn svg_charts(dir: &Path, args: &[&str]) -> Vec<PathBuf> {
    let out = dir.join("out");
    bin()
        .args(args)
        .args(["-q", "--charts", "svg", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    files.sort();
    files
}

/// The layout faults of one chart: overlapping labels and labels crossed by lines (grid
/// lines and the lines `about` accepts excepted).
fn faults(svg: &str, about: &dyn Fn(&TextBox, &Segment) -> bool) -> Vec<String> {
    payback::charts::ensure_registered(None).unwrap();
    let boxes = text_boxes(svg).unwrap();
    let segs = segments(svg);
    let mut out: Vec<String> = overlapping_texts(&boxes)
        .into_iter()
        .map(|(a, b)| format!("{a:?} overlaps {b:?}"))
        .collect();
    let skip = |b: &TextBox, s: &Segment| s.stroke == GRID || about(b, s);
    out.extend(
        crossed_texts(&boxes, &segs, &skip)
            .into_iter()
            .map(|(t, s)| format!("{t:?} crossed by a {s} line")),
    );
    out
}

/// Every fault of every chart of a command, named by file.
fn faults_of(files: &[PathBuf]) -> Vec<String> {
    let mut all = Vec::new();
    for f in files {
        let svg = std::fs::read_to_string(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        all.extend(
            faults(&svg, &own_line)
                .into_iter()
                .map(|x| format!("{name}: {x}")),
        );
    }
    all
}

fn check_all(files: &[PathBuf]) {
    let all = faults_of(files);
    assert!(all.is_empty(), "layout faults:\n{}", all.join("\n"));
}

/// A label written in a line's colour is about that line (a curve's value at a marker);
/// text in the ordinary ink colours is about no line.
fn own_line(b: &TextBox, s: &Segment) -> bool {
    const INKS: [&str; 2] = ["#111827", "#4B5563"];
    b.fill.eq_ignore_ascii_case(&s.stroke) && !INKS.iter().any(|c| c.eq_ignore_ascii_case(&b.fill))
}

#[test]
fn run_charts_keep_labels_apart() {
    let mut all = Vec::new();
    for scenario in [
        "scenarios/cloud_im_500.toml",
        "scenarios/vendor_a_low_price.toml",
        "scenarios/smb_customer_service.toml",
        "scenarios/rtc_usage_app.toml",
    ] {
        let d = tempdir();
        let files = svg_charts(d.path(), &["run", scenario, "-n", "5000"]);
        assert_eq!(files.len(), 4, "{scenario}");
        all.extend(
            faults_of(&files)
                .into_iter()
                .map(|f| format!("{scenario}: {f}")),
        );
    }
    assert!(all.is_empty(), "layout faults:\n{}", all.join("\n"));
}

#[test]
fn sensitivity_charts_keep_labels_apart() {
    let mut all = Vec::new();
    for scenario in [
        "scenarios/cloud_im_500.toml",
        "scenarios/smb_customer_service.toml",
    ] {
        let d = tempdir();
        let files = svg_charts(
            d.path(),
            &[
                "sensitivity",
                scenario,
                "-n",
                "3000",
                "--base-samples",
                "256",
                "--bootstrap",
                "20",
                "--spider-trials",
                "500",
            ],
        );
        assert!(files.len() >= 5, "{scenario}: {files:?}");
        all.extend(
            faults_of(&files)
                .into_iter()
                .map(|f| format!("{scenario}: {f}")),
        );
    }
    assert!(all.is_empty(), "layout faults:\n{}", all.join("\n"));
}

#[test]
fn compare_charts_keep_labels_apart() {
    let d = tempdir();
    let files = svg_charts(
        d.path(),
        &[
            "compare",
            "scenarios/vendor_a_low_price.toml",
            "scenarios/vendor_b_mature.toml",
            "scenarios/vendor_c_tech_leader.toml",
            "-n",
            "3000",
        ],
    );
    assert_eq!(files.len(), 3);
    check_all(&files);
}

#[test]
fn sweep_charts_keep_labels_apart() {
    let d = tempdir();
    let files = svg_charts(
        d.path(),
        &[
            "sweep",
            "scenarios/vendor_a_low_price.toml",
            "--vary",
            "adoption_peak=0.3:1:5",
            "-n",
            "2000",
            "--no-refine",
        ],
    );
    let mut all = faults_of(&files);
    let d = tempdir();
    let files = svg_charts(
        d.path(),
        &[
            "sweep",
            "scenarios/licence_buyout.toml",
            "scenarios/licence_subscription.toml",
            "scenarios/licence_usage.toml",
            "--vary",
            "users=100:3000:6",
            "-n",
            "2000",
            "--no-refine",
        ],
    );
    all.extend(faults_of(&files));
    assert!(all.is_empty(), "layout faults:\n{}", all.join("\n"));
}

/// `scenario` copied into `dir` as `file` with its (first) `name` line set to `name`.
fn renamed(dir: &Path, scenario: &str, file: &str, name: &str) -> PathBuf {
    let src = std::fs::read_to_string(crate::util::root().join(scenario)).unwrap();
    let mut done = false;
    let text: Vec<String> = src
        .lines()
        .map(|l| {
            if !done && l.starts_with("name = ") {
                done = true;
                format!("name = {name:?}")
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(done, "{scenario} has a name line");
    let path = dir.join(file);
    std::fs::write(&path, text.join("\n") + "\n").unwrap();
    path
}

/// Two parameters over several files: the maps of the leading option (Chinese names, and a
/// copy of one option, which ties with it everywhere).
#[test]
fn sweep_leader_maps_keep_labels_apart() {
    let d = tempdir();
    let buyout = renamed(
        d.path(),
        "scenarios/licence_buyout.toml",
        "买断.toml",
        "永久买断（本地部署）",
    );
    let subscription = renamed(
        d.path(),
        "scenarios/licence_subscription.toml",
        "订阅.toml",
        "按席位订阅（云端）",
    );
    let copy = renamed(
        d.path(),
        "scenarios/licence_subscription.toml",
        "副本.toml",
        "订阅副本：同一方案",
    );
    let usage = crate::util::root().join("scenarios/licence_usage.toml");
    let paths = [&buyout, &subscription, &usage, &copy];
    let mut args: Vec<&str> = vec!["sweep"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    args.extend([
        "--vary",
        "users=100:3000:7",
        "--vary",
        "discount_rate=0.02:0.2:5",
        "-n",
        "2000",
        "--no-refine",
    ]);
    let files = svg_charts(d.path(), &args);
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    for stem in ["sweep_best.svg", "sweep_cheapest.svg"] {
        assert!(names.iter().any(|n| n == stem), "{stem} in {names:?}");
    }
    let best = std::fs::read_to_string(d.path().join("out/sweep_best.svg")).unwrap();
    for text in ["永久买断（本地部署）", "B = D", "users"] {
        assert!(best.contains(text), "sweep_best.svg lacks {text:?}");
    }
    check_all(&files);
}
