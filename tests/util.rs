use std::path::PathBuf;

use payback::engine::{FixedSource, RunOptions};
use payback::sampling::Design;
use payback::scenario::{Scenario, parse_str};
use payback::simulate::{RunConfig, RunResult, simulate};

pub fn scenario(src: &str) -> Scenario {
    parse_str(src, "<test>", None).unwrap_or_else(|e| panic!("{e}"))
}

pub fn config(trials: u64, seed: u64, threads: Option<usize>) -> RunConfig<'static> {
    RunConfig {
        trials,
        seed,
        sampling: payback::summary::Sampling::Mc,
        engine: RunOptions {
            threads,
            ..RunOptions::default()
        },
    }
}

/// One trial at the point values.
pub fn deterministic(src: &str) -> RunResult {
    let s = scenario(src);
    let fixed = FixedSource {
        values: s.point_values(),
    };
    simulate(&s, &fixed, &config(1, 0, Some(1))).unwrap_or_else(|e| panic!("{e}"))
}

pub fn monte_carlo(s: &Scenario, trials: u64, seed: u64, threads: Option<usize>) -> RunResult {
    let mc = Design::monte_carlo(s, seed);
    simulate(s, &mc, &config(trials, seed, threads)).unwrap_or_else(|e| panic!("{e}"))
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("payback").expect("binary built");
    c.current_dir(root());
    c
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// A small scenario with a slow ramp: payback between about 8 and 30 months.
pub const CLOUD_LIKE: &str = r#"name = "cloud-like"
[inputs]
seats = 200
price = { dist = "triangular", min = 25, mode = 30, max = 40 }
saved = { dist = "pert", min = 0.5, mode = 2, max = 6 }
setup = { dist = "lognormal", median = 80000, p95 = 200000 }
[adoption]
curve = "logistic"
months_to_peak = 9
[[costs]]
name = "licence"
category = "licence"
when = "monthly"
amount = "seats * price"
[[costs]]
name = "setup"
category = "implementation"
when = "once"
amount = "setup"
[[benefits]]
name = "time"
category = "productivity"
when = "monthly"
amount = "seats * adoption * saved * 60"
"#;
