//! What a new user meets first: `init` starter templates and `--list`, shell completions
//! and the man page.

use clap::ValueEnum;
use payback::cli::init::Template;

use crate::util::{bin, tempdir};

#[test]
fn init_list_names_every_template() {
    let out = bin().args(["init", "--list"]).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    for t in Template::value_variants() {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(t.name()))
            .unwrap_or_else(|| panic!("{} not listed:\n{text}", t.name()));
        assert!(line.len() > t.name().len() + 10, "no description: {line}");
    }
    // --list writes nothing.
    let d = tempdir();
    bin()
        .current_dir(d.path())
        .args(["init", "--list"])
        .assert()
        .success();
    assert_eq!(std::fs::read_dir(d.path()).expect("dir").count(), 0);
}

#[test]
fn every_template_is_short_commented_valid_and_runs() {
    let d = tempdir();
    for t in Template::value_variants() {
        let p = d.path().join(format!("{}.toml", t.name()));
        bin()
            .arg("init")
            .arg(&p)
            .args(["--template", t.name()])
            .assert()
            .success();
        let text = std::fs::read_to_string(&p).expect("written");
        assert_eq!(text, t.text());
        let lines = text.lines().count();
        assert!(
            (30..=64).contains(&lines),
            "{}: {lines} lines; a starter is short",
            t.name()
        );
        assert!(
            text.matches("FILL IN").count() >= 3,
            "{}: says what to fill in",
            t.name()
        );
        let comments = text.lines().filter(|l| l.contains('#')).count();
        assert!(
            comments * 4 >= lines,
            "{}: {comments} commented lines",
            t.name()
        );
        bin().arg("validate").arg(&p).assert().success();
        bin()
            .args(["run", "-n", "500", "--quiet"])
            .arg(&p)
            .assert()
            .success();
    }
}
