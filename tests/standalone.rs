//! The repository stands alone: no file points outside it. A clone has only what is tracked,
//! so every path a document, comment or scenario cites must be inside the repository, and
//! every relative Markdown link must lead to a file or folder that exists.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::util::root;

/// This file names the forbidden strings to look for them.
const SELF: &str = "tests/standalone.rs";

/// Strings that only make sense on the machine the project was written on.
const FORBIDDEN: &[&str] = &[
    "/work/",
    "../shared",
    "/shared/",
    "shared/MODEL.md",
    "seeds/",
];

/// Documents that were cited but never part of the repository: a mention is only allowed
/// when a file of that name is tracked.
const MAYBE_ABSENT: &[&str] = &["DOMAIN.md", "PERF.md", "STYLE.md", "CRATES.md"];

/// The repository's files, relative to its root: `git ls-files` when git is available,
/// else a walk of the tree without build outputs and VCS metadata.
fn repo_files(root: &Path) -> Vec<PathBuf> {
    let git = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output();
    if let Ok(out) = git
        && out.status.success()
        && !out.stdout.is_empty()
    {
        return out
            .stdout
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
            .filter(|p| root.join(p).is_file())
            .collect();
    }
    let mut files = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let rel = dir.join(e.file_name());
            let name = e.file_name().to_string_lossy().into_owned();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                let skip = name == ".git"
                    || rel == Path::new("target")
                    || rel == Path::new("fuzz/target")
                    || rel == Path::new("fuzz/corpus")
                    || rel == Path::new("fuzz/artifacts");
                if !skip {
                    stack.push(rel);
                }
            } else if ft.is_file() {
                files.push(rel);
            }
        }
    }
    files
}

/// `dir/target` with `.` and `..` resolved lexically; `None` if it climbs above the root.
fn resolve(dir: &Path, target: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in dir.join(target).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Targets of the inline links and images `[text](target)` in Markdown text, with the line
/// they are on. Fenced code blocks are skipped.
fn markdown_links(text: &str) -> Vec<(usize, String)> {
    let mut links = Vec::new();
    let mut fenced = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            // `(target "title")`: the target is the first word.
            let target = after[..end].split_whitespace().next().unwrap_or("");
            let target = target.trim_start_matches('<').trim_end_matches('>');
            links.push((i + 1, target.to_string()));
            rest = &after[end..];
        }
    }
    links
}

/// Every problem found in the repository at `root`, one line each.
fn problems(root: &Path) -> Vec<String> {
    let files = repo_files(root);
    assert!(
        files.iter().any(|f| f == Path::new("Cargo.toml")),
        "no repository files found under {}",
        root.display()
    );
    let has_file = |name: &str| {
        files
            .iter()
            .any(|f| f.file_name().is_some_and(|n| n == name))
    };
    let mut found = Vec::new();
    for rel in &files {
        if rel == Path::new(SELF) {
            continue;
        }
        // Binary files (images, fuzz inputs, the non-UTF-8 bad scenario) are not read as text.
        let Ok(text) = std::fs::read_to_string(root.join(rel)) else {
            continue;
        };
        let shown = rel.display();
        for (n, line) in text.lines().enumerate() {
            for bad in FORBIDDEN {
                if line.contains(bad) {
                    found.push(format!(
                        "{shown}:{}: `{bad}` points outside the repository",
                        n + 1
                    ));
                }
            }
            for doc in MAYBE_ABSENT {
                if line.contains(doc) && !has_file(doc) {
                    found.push(format!(
                        "{shown}:{}: cites {doc}, which is not in the repository",
                        n + 1
                    ));
                }
            }
        }
        if rel.extension().is_some_and(|e| e == "md") {
            let dir = rel.parent().unwrap_or(Path::new(""));
            for (n, target) in markdown_links(&text) {
                let external = ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|p| target.starts_with(p));
                let path = target.split('#').next().unwrap_or("");
                if external || path.is_empty() {
                    continue;
                }
                let ok = resolve(dir, path).is_some_and(|p| root.join(p).exists());
                if !ok {
                    found.push(format!(
                        "{shown}:{n}: link `{target}` leads to no file in the repository"
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn standalone_no_path_or_link_leaves_the_repository() {
    let found = problems(&root());
    assert!(
        found.is_empty(),
        "{} problem(s):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn standalone_link_check_sees_links() {
    let md = "See [the model](docs/MODEL.md#time) and ![chart](a.png \"t\").\n```\n[x](no)\n```\n";
    let links: Vec<String> = markdown_links(md).into_iter().map(|l| l.1).collect();
    assert_eq!(links, ["docs/MODEL.md#time", "a.png"]);
    assert_eq!(
        resolve(Path::new("benches/peers"), "../../docs/MODEL.md"),
        Some(PathBuf::from("docs/MODEL.md"))
    );
    assert_eq!(resolve(Path::new(""), "../shared/MODEL.md"), None);
}
