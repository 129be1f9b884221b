//! Cost of the statistics accumulators alone, in ns per value (criterion): the one-pass
//! histogram of percentiles on value streams shaped like the outputs (NPV of mixed sign,
//! payback with censored trials at +∞, heavily tied values), and the exact sums behind
//! means and variances. `cargo bench --bench accumulators`; divide the reported time per
//! iteration by the 1,048,576 values of an iteration.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use payback::accum::{LogHist, SumAcc};
use payback::rng;

const N: usize = 1 << 20;

fn streams() -> Vec<(&'static str, Vec<f64>)> {
    let key = rng::input_key(7, "bench");
    let u = |i: usize, k: u64| rng::uniform(key ^ k, i as u64);
    let z = |i: usize| payback::distributions::normal::inv_phi(u(i, 1));
    vec![
        (
            "npv (mixed sign, skewed)",
            (0..N).map(|i| 1.5e6 * (0.8 * z(i)).exp() - 6e5).collect(),
        ),
        (
            "payback (5% censored)",
            (0..N)
                .map(|i| {
                    if u(i, 2) < 0.05 {
                        f64::INFINITY
                    } else {
                        3.0 + 30.0 * u(i, 3).powi(3)
                    }
                })
                .collect(),
        ),
        (
            "tco category (heavy ties)",
            (0..N)
                .map(|i| {
                    if u(i, 4) < 0.7 {
                        0.0
                    } else {
                        (1.0 + (u(i, 5) * 20.0).floor()) * 5000.0
                    }
                })
                .collect(),
        ),
    ]
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("accumulators");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(10);
    for (name, v) in streams() {
        g.bench_function(format!("loghist/{name}"), |b| {
            b.iter(|| {
                let mut h = LogHist::new();
                h.extend(std::hint::black_box(&v));
                h.n()
            })
        });
        g.bench_function(format!("sums/{name}"), |b| {
            b.iter(|| {
                let mut s = SumAcc::default();
                for chunk in std::hint::black_box(&v).chunks(256) {
                    s.add_batch(chunk);
                }
                s.moments().mean
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
