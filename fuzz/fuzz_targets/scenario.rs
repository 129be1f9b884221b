//! Fuzz the scenario parser, the expression compiler and a short run of the engine:
//! `cargo fuzz run -s none scenario` (stable Rust: no sanitizer). Crashes go to
//! `tests/fuzz_regressions/` as regression tests.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payback::engine::{self, BatchOut, RunOptions, Sink};
use payback::model::Plan;
use payback::sampling::{Design, Method, correlation};
use payback::scenario::parse_str;

struct Nothing;
impl Sink for Nothing {
    fn absorb(&mut self, _: &BatchOut) {}
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(mut s) = parse_str(text, "fuzz.toml", None) else { return };
    s.horizon = s.horizon.min(60);
    let plan = Plan::compile(&s);
    let names: Vec<String> = s.inputs.iter().map(|i| i.name.clone()).collect();
    let copula = correlation::build(&s.correlations, &names, true).ok().and_then(|c| c.0);
    if let Ok(d) = Design::new(&s, 1, Method::Mc, 256, copula) {
        let _ = engine::run(&plan, &d, 0..256, &RunOptions { threads: Some(1), ..RunOptions::default() }, |_| Nothing);
    }
});
