//! What the README shows is what the current build writes: the quick-start output of
//! `payback run scenarios/cloud_im_500.toml` and the chart `docs/payback.png`. A change that
//! moves a number or a pixel fails here; `PAYBACK_BLESS=1 cargo test --test integration docs`
//! rewrites both from the build (then review the diff and commit it).

use crate::util::{bin, root, tempdir};

const QUICK_START: &[&str] = &["run", "scenarios/cloud_im_500.toml"];
const OPEN: &str = "You should see (10,000 trials, the scenario's own seed):\n\n```text\n";

fn bless() -> bool {
    std::env::var_os("PAYBACK_BLESS").is_some()
}

/// Whether the README block matches the output: line by line, where a README line `  ...`
/// stands for any run of output lines.
fn matches(shown: &[&str], out: &[&str]) -> bool {
    match shown.split_first() {
        None => out.is_empty(),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=out.len()).any(|k| matches(rest, &out[k..]))
        }
        Some((first, rest)) => out
            .split_first()
            .is_some_and(|(o, more)| o == first && matches(rest, more)),
    }
}

/// The README block with the output's lines, keeping the `...` cut where it was.
fn blessed(shown: &[&str], out: &[&str]) -> String {
    let cut = shown.iter().position(|l| l.trim() == "...");
    let lines: Vec<&str> = match cut {
        Some(c) => {
            let tail = shown.len() - c - 1;
            let mut v = out[..c.min(out.len())].to_vec();
            v.push(shown[c]);
            v.extend_from_slice(&out[out.len().saturating_sub(tail)..]);
            v
        }
        None => out.to_vec(),
    };
    lines.join("\n") + "\n"
}

#[test]
fn readme_quick_start_output_is_what_payback_prints() {
    let o = bin().args(QUICK_START).output().unwrap();
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    let readme_path = root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let start = readme.find(OPEN).expect("the quick-start block") + OPEN.len();
    let end = start + readme[start..].find("```").expect("end of the block");
    let shown: Vec<&str> = readme[start..end].lines().collect();
    let lines: Vec<&str> = out.lines().collect();
    if matches(&shown, &lines) {
        return;
    }
    if bless() {
        let text = format!(
            "{}{}{}",
            &readme[..start],
            blessed(&shown, &lines),
            &readme[end..]
        );
        std::fs::write(&readme_path, text).unwrap();
        return;
    }
    panic!(
        "README.md's quick-start output differs from `payback {}`:\n{out}\n(PAYBACK_BLESS=1 rewrites it)",
        QUICK_START.join(" ")
    );
}

#[test]
fn docs_payback_png_is_the_chart_payback_writes() {
    let d = tempdir();
    bin()
        .args(QUICK_START)
        .args(["-q", "--charts", "png", "--out"])
        .arg(d.path())
        .assert()
        .success();
    let fresh = std::fs::read(d.path().join("payback.png")).unwrap();
    let kept_path = root().join("docs/payback.png");
    let kept = std::fs::read(&kept_path).unwrap_or_default();
    if fresh == kept {
        return;
    }
    if bless() {
        std::fs::write(&kept_path, &fresh).unwrap();
        return;
    }
    panic!(
        "docs/payback.png is not the chart `payback {} --out DIR` writes (PAYBACK_BLESS=1 rewrites it)",
        QUICK_START.join(" ")
    );
}

#[test]
fn the_block_matcher_takes_an_ellipsis_for_any_lines() {
    let out = ["a", "b", "c", "d"];
    assert!(matches(&["a", "  ...", "d"], &out));
    assert!(matches(&["a", "b", "c", "d"], &out));
    assert!(!matches(&["a", "  ...", "x"], &out));
    assert!(!matches(&["a", "b"], &out));
    assert_eq!(blessed(&["x", "  ...", "y"], &out), "a\n  ...\nd\n");
}
