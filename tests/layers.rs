//! The layers run one way (CONTRIBUTING.md): no module of the library reaches, directly or
//! through others, back into a module that uses it. Read from the source: every
//! `crate::<module>` a top-level module names outside its tests and comments is an edge.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::util::root;

/// Top-level module → the top-level modules it uses.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let rel = path.strip_prefix(src).expect("under src");
            let first = rel.components().next().expect("a component");
            let top = first
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string();
            if top == "main" || top == "lib" || rel.ends_with("tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("utf-8 source");
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let uses = graph.entry(top.clone()).or_default();
            for line in code.lines() {
                let line = line.trim_start();
                if line.starts_with("//") {
                    continue;
                }
                let line = line.split("//").next().unwrap_or("");
                for (i, _) in line.match_indices("crate::") {
                    let name: String = line[i + 7..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != top {
                        uses.insert(name);
                    }
                }
                // `use crate::{a, b::c}` names several modules at once.
                if let Some(rest) = line.strip_prefix("use crate::{") {
                    for part in rest.split(',') {
                        let name: String = part
                            .trim()
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if !name.is_empty() && name != top {
                            uses.insert(name);
                        }
                    }
                }
            }
        }
    }
    graph
}

/// A path of modules that leads from `from` back to itself, if there is one.
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![(from.to_string(), vec![from.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == from {
                let mut cycle = path.clone();
                cycle.push(from.to_string());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut p = path.clone();
                p.push(next.clone());
                stack.push((next.clone(), p));
            }
        }
    }
    None
}

#[test]
fn no_module_reaches_back_into_a_module_that_uses_it() {
    let graph = module_graph(&root().join("src"));
    assert!(graph.len() > 10, "read the modules: {graph:?}");
    for module in graph.keys() {
        if let Some(cycle) = cycle_through(&graph, module) {
            panic!("module cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_engine_sees_only_the_compiled_model() {
    let graph = module_graph(&root().join("src"));
    let engine = &graph["engine"];
    for forbidden in [
        "scenario",
        "expr",
        "sampling",
        "distributions",
        "simulate",
        "cli",
    ] {
        assert!(
            !engine.contains(forbidden),
            "the engine uses `{forbidden}`: {engine:?}"
        );
    }
}
