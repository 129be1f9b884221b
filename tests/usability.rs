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

/// The subcommands clap defines, as the user types them.
fn subcommands() -> Vec<String> {
    use clap::CommandFactory;
    payback::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

fn stdout_of(args: &[&str]) -> String {
    let out = bin().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "payback {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn completions_cover_every_subcommand_and_option_in_every_shell() {
    let subs = subcommands();
    assert!(subs.len() >= 10, "{subs:?}");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        for s in &subs {
            assert!(script.contains(s.as_str()), "{shell}: no {s}");
        }
        for opt in ["deterministic", "number-style", "template", "spider-trials"] {
            assert!(script.contains(opt), "{shell}: no --{opt}");
        }
    }
    // The bash script is valid bash, where bash is installed.
    let d = tempdir();
    let f = d.path().join("payback.bash");
    std::fs::write(&f, stdout_of(&["completions", "bash"])).expect("write");
    match std::process::Command::new("bash")
        .arg("-n")
        .arg(&f)
        .output()
    {
        Ok(o) => assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr)),
        Err(_) => eprintln!("bash not installed: bash -n of the completion script skipped"),
    }
    bin().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_pages_are_generated_for_the_command_and_each_subcommand() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH payback 1"), "{page}");
    for s in subcommands() {
        assert!(
            page.contains(&format!("payback\\-{}(1)", s.replace('-', "\\-"))),
            "payback(1) does not list {s}"
        );
    }
    let d = tempdir();
    let dir = d.path().join("man");
    bin().args(["man", "--out"]).arg(&dir).assert().success();
    assert_eq!(
        std::fs::read_to_string(dir.join("payback.1")).expect("payback.1"),
        page
    );
    let run = std::fs::read_to_string(dir.join("payback-run.1")).expect("payback-run.1");
    assert!(run.contains(".TH payback-run 1"), "{run}");
    assert!(run.contains("deterministic"), "{run}");
    for s in subcommands() {
        assert!(
            dir.join(format!("payback-{s}.1")).is_file(),
            "no page for {s}"
        );
    }
}
