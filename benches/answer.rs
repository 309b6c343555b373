//! Whole answers (extract, match, compose) with the bundled knowledge base
//! and with a synthetic one of 10,000 entries, and loading the bundled
//! knowledge base with its index.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hexhelp::kb::KnowledgeBase;
use hexhelp::{Engine, Mode, synthetic};

fn answers(c: &mut Criterion) {
    let engine = Engine::bundled().expect("bundled knowledge base");
    let mut g = c.benchmark_group("answer");
    for (i, text) in synthetic::TYPICAL_MESSAGES.iter().enumerate() {
        g.bench_function(format!("bundled/{i}"), |b| {
            b.iter(|| engine.answer(black_box(text), Mode::Explicit))
        });
    }
    let big = Engine::new(synthetic::knowledge_base(engine.kb(), 10_000, 7));
    for (i, text) in synthetic::TYPICAL_MESSAGES.iter().enumerate() {
        g.bench_function(format!("synthetic-10k/{i}"), |b| {
            b.iter(|| big.answer(black_box(text), Mode::Explicit))
        });
    }
    g.finish();
}

fn loading(c: &mut Criterion) {
    c.bench_function("load/bundled knowledge base", |b| {
        b.iter(|| KnowledgeBase::bundled().expect("loads"))
    });
    c.bench_function("load/bundled knowledge base + index", |b| {
        b.iter(|| Engine::bundled().expect("loads"))
    });
}

criterion_group!(benches, answers, loading);
criterion_main!(benches);
