//! How the cost of a run grows with the work: ns per input draw, per item-month and per
//! output, measured on generated scenarios of 10–200 PERT inputs, 36–600 months and
//! 10–200 line items (one thread, whole `simulate`, medians of 3). A plain harness:
//! `cargo bench --bench scaling` (`-- --quick` for one small pass, as CI runs it). The
//! slopes are differences between sizes divided by the added work, so fixed costs cancel.

use std::fmt::Write as _;
use std::time::Instant;

use payback::engine::RunOptions;
use payback::model::Plan;
use payback::sampling::Design;
use payback::scenario::parse_str;
use payback::simulate::{RunConfig, simulate_plan};

fn scenario(inputs: usize, months: u32, items: usize) -> String {
    let mut s = format!("name = \"scaling\"\nhorizon_months = {months}\n[inputs]\n");
    for i in 0..inputs {
        let _ = writeln!(
            s,
            "x{i} = {{ dist = \"pert\", min = {}, mode = {}, max = {} }}",
            10 + i,
            20 + i,
            40 + 2 * i
        );
    }
    for j in 0..items {
        let (table, category) = if j % 2 == 0 {
            ("costs", "operations")
        } else {
            ("benefits", "productivity")
        };
        // Each item reads a few inputs, so every input is used.
        let a = j % inputs;
        let b = (j * 7 + 3) % inputs;
        let _ = write!(
            s,
            "[[{table}]]\nname = \"item {j}\"\ncategory = \"{category}\"\nwhen = \"monthly\"\namount = \"x{a} * {} + x{b} * adoption\"\n",
            1 + j % 5
        );
    }
    // Reference every input at least once.
    let sum: Vec<String> = (0..inputs).map(|i| format!("x{i}")).collect();
    let _ = write!(
        s,
        "[[costs]]\nname = \"setup\"\ncategory = \"implementation\"\nwhen = \"once\"\namount = \"({}) * 100\"\n",
        sum.join(" + ")
    );
    s
}

fn ns_per_trial(src: &str, trials: u64, reps: usize) -> f64 {
    let s = parse_str(src, "<bench>", None).expect("generated scenario parses");
    let plan = Plan::compile(&s);
    let d = Design::monte_carlo(&s, 3);
    let cfg = RunConfig {
        trials,
        seed: 3,
        sampling: payback::summary::Sampling::Mc,
        engine: RunOptions {
            threads: Some(1),
            ..RunOptions::default()
        },
    };
    let mut t: Vec<f64> = (0..reps)
        .map(|_| {
            let t0 = Instant::now();
            std::hint::black_box(simulate_plan(&s, &plan, &d, &cfg).expect("runs"));
            t0.elapsed().as_secs_f64() * 1e9 / trials as f64
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick" || a == "--test");
    let (trials, reps) = if quick { (2_000, 1) } else { (100_000, 3) };
    println!("ns per trial, one thread, {trials} trials, median of {reps}");
    let line =
        |label: &str, a: (usize, u32, usize), b: (usize, u32, usize), per: f64, unit: &str| {
            let ta = ns_per_trial(&scenario(a.0, a.1, a.2), trials, reps);
            let tb = ns_per_trial(&scenario(b.0, b.1, b.2), trials, reps);
            println!(
                "{label:<34} {ta:>9.0} → {tb:>9.0} ns/trial   {:>7.2} ns per {unit}",
                (tb - ta) / per
            );
        };
    let lines = [
        // Inputs: 10 → 200 PERT inputs (36 months, 10 items): slope per input draw.
        ("inputs 10 → 200", (200, 36, 10), 190.0, "input draw"),
        // Months: 36 → 600 (10 inputs, 10 items): slope per item-month (11 items).
        ("months 36 → 600", (10, 600, 10), 564.0 * 11.0, "item-month"),
        // Items: 10 → 200 (10 inputs, 36 months): slope per item-month.
        ("items 10 → 200", (10, 36, 200), 190.0 * 37.0, "item-month"),
    ];
    for (label, to, per, unit) in lines {
        line(label, (10, 36, 10), to, per, unit);
    }
    // Outputs: cost categories add one TCO output each; here one category → the fixed
    // outputs are 7 + 2 categories; the accumulator bench gives the per-output cost.
    let t0 = Instant::now();
    let big = scenario(200, 36, 10);
    let s = parse_str(&big, "<bench>", None).expect("parses");
    std::hint::black_box(Plan::compile(&s));
    std::hint::black_box(Design::monte_carlo(&s, 1));
    println!(
        "build 200 PERT tables and compile: {:.3} s",
        t0.elapsed().as_secs_f64()
    );
}
