//! Cost of the quantile functions: `Sampler::quantiles` over 1,000,000 keyed uniforms per
//! family (criterion reports the time per 10⁶ draws, i.e. ms = ns per draw), and a
//! 200-PERT-input scenario for an end-to-end check.
//!
//! `cargo bench --bench sampling` runs the criterion group and writes the generated
//! scenario to `target/pert200.toml`. With `PAYBACK_BIN=target/release/payback` it also
//! times `payback run target/pert200.toml --threads 1 -n 1000000 -q` three times and
//! prints the median. Nothing here is asserted: timing belongs to benchmarks, not tests.

use std::fmt::Write as _;
use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use criterion::{Criterion, Throughput};
use payback::distributions::{InputDist, Sampler};
use payback::rng;
use payback::scenario::parse_input_value;

const DRAWS: usize = 1_000_000;

/// PERT parameters of input `i` of the generated scenario: assorted widths, modes from
/// the minimum to the maximum (beta shapes from 1 to 5), and a few λ other than 4.
fn pert(i: usize) -> (f64, f64, f64, f64) {
    let min = 100.0 + 7.0 * i as f64;
    let width = 20.0 + (i % 17) as f64 * 13.0;
    let frac = [0.0, 0.05, 0.15, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 1.0][i % 10];
    let lambda = [4.0, 4.0, 4.0, 2.0, 8.0][i % 5];
    (min, min + frac * width, min + width, lambda)
}

fn pert_text(i: usize) -> String {
    let (min, mode, max, lambda) = pert(i);
    format!("{{ dist = \"pert\", min = {min}, mode = {mode}, max = {max}, lambda = {lambda} }}")
}

/// A 36-month scenario with 200 PERT inputs and 10 line items (5 costs, 5 benefits), each
/// item the sum of 20 inputs.
fn pert200() -> String {
    let mut s = String::from(
        "name = \"200 PERT inputs\"\nhorizon_months = 36\ndiscount_rate = 0.1\nseed = 7\n[inputs]\n",
    );
    for i in 0..200 {
        writeln!(s, "x{i} = {}", pert_text(i)).unwrap();
    }
    for item in 0..10 {
        let kind = if item < 5 { "costs" } else { "benefits" };
        let terms: Vec<String> = (item * 20..item * 20 + 20)
            .map(|i| format!("x{i}"))
            .collect();
        let scale = if item < 5 { 1.0 } else { 1.3 };
        let category = if item < 5 {
            "operations"
        } else {
            "productivity"
        };
        writeln!(
            s,
            "[[{kind}]]\nname = \"item {item}\"\ncategory = \"{category}\"\nwhen = \"monthly\"\namount = \"{scale} * ({})\"",
            terms.join(" + ")
        )
        .unwrap();
    }
    s
}

fn sampler(text: &str) -> Sampler {
    let d: InputDist = parse_input_value(text, "x").expect("valid input");
    d.sampler().expect("builds")
}

fn quantiles(c: &mut Criterion) {
    let mut u = vec![0.0; DRAWS];
    rng::fill_uniforms(rng::input_key(1, "bench"), 0, &mut u);
    let mut out = vec![0.0; DRAWS];
    let mut g = c.benchmark_group("quantiles_1e6");
    g.throughput(Throughput::Elements(DRAWS as u64));
    g.sample_size(20);
    let families = [
        ("pert", "{ dist = \"pert\", min = 5, mode = 8, max = 20 }"),
        ("beta", "{ dist = \"beta\", alpha = 2, beta = 5 }"),
        ("beta_0.7", "{ dist = \"beta\", alpha = 0.7, beta = 1.5 }"),
        ("gamma", "{ dist = \"gamma\", shape = 2, scale = 3 }"),
        (
            "gamma_trunc",
            "{ dist = \"gamma\", shape = 0.8, scale = 10, min = 1, max = 30 }",
        ),
        ("normal", "{ dist = \"normal\", mean = 100, sd = 15 }"),
        (
            "lognormal",
            "{ dist = \"lognormal\", mu = 2.5, sigma = 0.4 }",
        ),
        (
            "normal_trunc",
            "{ dist = \"normal\", mean = 100, sd = 15, min = 90, max = 140 }",
        ),
        (
            "triangular",
            "{ dist = \"triangular\", min = 5, mode = 8, max = 20 }",
        ),
        (
            "loguniform",
            "{ dist = \"loguniform\", min = 10, max = 1000 }",
        ),
        ("weibull", "{ dist = \"weibull\", shape = 1.7, scale = 12 }"),
        ("bernoulli", "{ dist = \"bernoulli\", p = 0.3 }"),
    ];
    for (name, text) in families {
        let s = sampler(text);
        g.bench_function(name, |b| {
            b.iter(|| {
                s.quantiles(black_box(&u), &mut out);
                black_box(out[DRAWS - 1]);
            })
        });
    }
    // The 200 PERT inputs of the end-to-end scenario, 5,000 draws each (10⁶ in all).
    let perts: Vec<Sampler> = (0..200).map(|i| sampler(&pert_text(i))).collect();
    let chunk = DRAWS / perts.len();
    g.bench_function("pert_mix_200", |b| {
        b.iter(|| {
            for (k, s) in perts.iter().enumerate() {
                let r = k * chunk..(k + 1) * chunk;
                s.quantiles(black_box(&u[r.clone()]), &mut out[r]);
            }
            black_box(out[DRAWS - 1]);
        })
    });
    g.finish();
}

fn end_to_end() {
    let path = "target/pert200.toml";
    std::fs::write(path, pert200()).expect("writes target/pert200.toml");
    println!("wrote {path}");
    let Ok(bin) = std::env::var("PAYBACK_BIN") else {
        return;
    };
    let mut times: Vec<f64> = (0..3)
        .map(|_| {
            let t0 = Instant::now();
            let out = Command::new(&bin)
                .args(["run", path, "--threads", "1", "-n", "1000000", "-q"])
                .output()
                .expect("runs the binary");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            t0.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "end-to-end {bin} run {path} --threads 1 -n 1000000: median of 3 {:.3} s (runs {:.3} {:.3} {:.3})",
        times[1], times[0], times[1], times[2]
    );
}

fn main() {
    end_to_end();
    let mut c = Criterion::default().configure_from_args();
    quantiles(&mut c);
    c.final_summary();
}
