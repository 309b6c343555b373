//! Code extraction speed: a typical help-channel message, a pasted log, and
//! a 1 MB hostile message full of hex-looking tokens (must stay linear),
//! plus parsing the bundled code tables, and every hostile pattern of
//! [`synthetic::HOSTILE_PATTERNS`] at 1×, 4× and 16× size.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hexhelp::codes::{CodeTables, decode, extract};
use hexhelp::synthetic;

/// Mean seconds of one call of `f` over about 50 ms (for the printed ratio).
fn mean_of<T>(mut f: impl FnMut() -> T) -> f64 {
    let start = std::time::Instant::now();
    let mut n = 0u32;
    while start.elapsed().as_millis() < 50 || n < 3 {
        black_box(f());
        n += 1;
    }
    start.elapsed().as_secs_f64() / f64::from(n)
}

const TYPICAL: &str = "Hi all, Windows Update keeps failing with 0x80070002 and sometimes 0x8024402c. \
    I already ran sfc /scannow (build 22631.2861). Any idea?";

const LOG: &str = "2024-01-02 10:11:12, Error CBS Failed to resolve package [HRESULT = 0x800f0831 - CBS_E_STORE_CORRUPTION]\n\
    2024-01-02 10:11:13, Info DISM Exit code: 0x80073712 Fault offset: 0x000000000001a2b3\n\
    2024-01-02 10:11:14, Info SP Crash 0x0000007E detected, parameter 0xFFFFFFFFC0000005\n\
    Setup failed: 0xC1900101 - 0x4000D, see {123e4567-e89b-12d3-a456-426614174000}\n";

/// About 1 MB of tokens that all look a bit like codes: bare and prefixed
/// hex of every length, negative decimals, colours, GUID parts, near-misses.
fn hostile() -> String {
    let mut s = String::with_capacity(1 << 20);
    let mut x: u32 = 0x1234_5678;
    while s.len() < (1 << 20) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        match x % 8 {
            0 => s.push_str(&format!("{x:08x} ")),
            1 => s.push_str(&format!("0x{x:08X} ")),
            2 => s.push_str(&format!("0x{:07x} ", x >> 4)),
            3 => s.push_str(&format!("error -{} ", x / 2)),
            4 => s.push_str(&format!("#{:06X} ", x >> 8)),
            5 => s.push_str(&format!("{x:08x}-{:04x} ", x >> 16)),
            6 => s.push_str(&format!("0x{x:08x}{x:08x} ")),
            _ => s.push_str("ERROR_FILE_NOT_FOUND stop code 0x7B "),
        }
    }
    s
}

fn bench(c: &mut Criterion) {
    let tables = CodeTables::bundled();
    let none = |_: u32| false;

    c.bench_function("extract/typical message", |b| {
        b.iter(|| extract(black_box(TYPICAL), tables, &none))
    });
    c.bench_function("extract+decode/pasted log", |b| {
        b.iter(|| {
            let e = extract(black_box(LOG), tables, &none);
            e.found
                .iter()
                .map(|f| decode(f, LOG, tables))
                .collect::<Vec<_>>()
        })
    });

    let big = hostile();
    let mut group = c.benchmark_group("extract/1 MB hostile");
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.sample_size(20);
    group.bench_function("hex-looking tokens", |b| {
        b.iter(|| extract(black_box(&big), tables, &none))
    });
    let errors = synthetic::repeat_to("error 5 ", 1 << 20);
    group.bench_function("\"error 5\" repeated", |b| {
        b.iter(|| extract(black_box(&errors), tables, &none))
    });
    group.finish();

    // Every hostile pattern at 1×, 4× and 16×: criterion reports each size's
    // time, and the ratio of 4× to 1× is printed (linear growth gives ~4).
    let base = 64 * 1024;
    let mut group = c.benchmark_group("extract/scaling");
    group.sample_size(10);
    for &(pattern, make) in synthetic::HOSTILE_PATTERNS {
        let mut means = Vec::new();
        for k in [1, 4, 16] {
            let text = make(base * k);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_function(format!("{pattern} {k}x"), |b| {
                b.iter(|| extract(black_box(&text), tables, &none))
            });
            means.push(mean_of(|| extract(black_box(&text), tables, &none)));
        }
        println!(
            "scaling {pattern}: 4x/1x = {:.2}, 16x/4x = {:.2}",
            means[1] / means[0].max(1e-12),
            means[2] / means[1].max(1e-12)
        );
    }
    group.finish();

    let mut group = c.benchmark_group("tables");
    group.sample_size(20);
    group.bench_function("parse bundled", |b| {
        b.iter(|| CodeTables::parse_bundled().map(|t| t.total_named()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
