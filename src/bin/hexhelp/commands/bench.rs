//! `hexhelp bench`: medians of whole answers, with the bundled knowledge
//! base and with a synthetic one of 10,000 entries, and of code extraction
//! over a hostile 1 MB message. Figures, not assertions: the criterion
//! benches under `benches/` measure the same things with statistics.

use std::hint::black_box;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use hexhelp::codes::{self, CodeTables};
use hexhelp::error::Error;
use hexhelp::{Engine, Mode, synthetic};

#[derive(clap::Args)]
pub struct Args {
    /// Samples per measurement (the median is reported).
    #[arg(long, default_value_t = 31)]
    samples: usize,
    /// Entries in the synthetic knowledge base.
    #[arg(long, default_value_t = 10_000)]
    entries: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// Also time each typical message on its own.
    #[arg(long)]
    each: bool,
    /// Print the typical messages and the symptom phrases of the knowledge
    /// base with this many synthetic entries (0: the bundled one) as JSON,
    /// for comparisons with other matchers, and exit.
    #[arg(long, value_name = "ENTRIES")]
    print_corpus: Option<usize>,
    /// Size in bytes of the 1× message of the scaling benchmark (every
    /// hostile pattern at 1×, 4× and 16× this size).
    #[arg(long, default_value_t = 64 * 1024)]
    scaling_base: usize,
    /// Only run the scaling benchmark.
    #[arg(long)]
    scaling_only: bool,
    /// Real posts (JSON lines with a `text`), of which those of 100 to 300
    /// words are answered as the real-length case.
    #[arg(long, default_value = "tests/eval/real/words.jsonl")]
    posts: std::path::PathBuf,
}

/// A named step of an answer, timed on its own.
type Part<'a> = (&'a str, &'a dyn Fn(&str));

/// The texts of 100 to 300 words in a JSON-lines file of posts.
fn real_length_posts(path: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text")?.as_str().map(str::to_string))
        .filter(|t| (100..=300).contains(&t.split_whitespace().count()))
        .collect()
}

/// One row of the scaling benchmark: the medians at 1×, 4× and 16×.
struct Scaling {
    pattern: &'static str,
    what: &'static str,
    times: [Duration; 3],
}

impl Scaling {
    fn ratio(&self, a: usize, b: usize) -> f64 {
        self.times[b].as_secs_f64() / self.times[a].as_secs_f64().max(1e-9)
    }
}

/// Every hostile pattern at 1×, 4× and 16× `base` bytes, through code
/// extraction and through a whole answer. Linear growth gives ratios near 4.
fn scaling(engine: &Engine, base: usize, samples: usize) -> Vec<Scaling> {
    let tables = CodeTables::bundled();
    let mut rows = Vec::new();
    for &(pattern, make) in synthetic::HOSTILE_PATTERNS {
        let texts = [make(base), make(base * 4), make(base * 16)];
        let time =
            |f: &dyn Fn(&str)| [0, 1, 2].map(|k| median(samples, || f(black_box(&texts[k]))));
        rows.push(Scaling {
            pattern,
            what: "extract",
            times: time(&|t| {
                black_box(codes::extract(t, tables, &|_| false));
            }),
        });
        rows.push(Scaling {
            pattern,
            what: "answer",
            times: time(&|t| {
                black_box(engine.answer(t, Mode::Explicit));
            }),
        });
    }
    rows
}

fn print_scaling(rows: &[Scaling], base: usize) {
    println!(
        "{:<32} {:<8} {:>10} {:>10} {:>10} {:>7} {:>7}",
        format!("scaling (1× = {} KiB)", base / 1024),
        "step",
        "1×",
        "4×",
        "16×",
        "4×/1×",
        "16×/4×"
    );
    for r in rows {
        let ms = |k: usize| r.times[k].as_secs_f64() * 1e3;
        println!(
            "{:<32} {:<8} {:>7.2} ms {:>7.2} ms {:>7.2} ms {:>7.2} {:>7.2}",
            r.pattern,
            r.what,
            ms(0),
            ms(1),
            ms(2),
            r.ratio(0, 1),
            r.ratio(1, 2)
        );
    }
}

/// Median time of one call of `f`, over `samples` batches sized to take
/// about 5 ms each.
fn median(samples: usize, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    let mut calls = 0u32;
    while start.elapsed() < Duration::from_millis(5) || calls < 3 {
        f();
        calls += 1;
    }
    let batch = calls.max(1);
    let mut times: Vec<Duration> = (0..samples.max(1))
        .map(|_| {
            let t = Instant::now();
            for _ in 0..batch {
                f();
            }
            t.elapsed() / batch
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

pub fn run(knowledge: Option<&Path>, args: Args) -> Result<ExitCode, Error> {
    let t = Instant::now();
    let engine = super::engine(knowledge)?;
    let load = t.elapsed();
    if let Some(n) = args.print_corpus {
        let kb = if n == 0 {
            engine.kb().clone()
        } else {
            synthetic::knowledge_base(engine.kb(), n, 7)
        };
        let phrases: Vec<&str> = kb
            .entries
            .iter()
            .flat_map(|e| e.symptoms.iter().map(String::as_str))
            .collect();
        let v = serde_json::json!({ "messages": synthetic::TYPICAL_MESSAGES, "phrases": phrases });
        println!("{v}");
        return Ok(ExitCode::SUCCESS);
    }
    if args.scaling_only {
        let rows = scaling(&engine, args.scaling_base.max(1024), args.samples.min(5));
        if args.json {
            println!("{}", scaling_json(&rows));
        } else {
            print_scaling(&rows, args.scaling_base.max(1024));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let load_median = median(args.samples.min(11), || {
        black_box(super::engine(knowledge).ok());
    });

    let mut rows: Vec<(String, Duration)> =
        vec![("load knowledge base + index".into(), load_median)];
    let typical = synthetic::TYPICAL_MESSAGES;
    let mut i = 0;
    rows.push((
        "answer, bundled knowledge base".into(),
        median(args.samples, || {
            black_box(engine.answer(black_box(typical[i % typical.len()]), Mode::Explicit));
            i += 1;
        }),
    ));

    let t = Instant::now();
    let big = Engine::new(synthetic::knowledge_base(engine.kb(), args.entries, 7));
    let build_big = t.elapsed();
    let mut i = 0;
    rows.push((
        format!("answer, synthetic {} entries", args.entries),
        median(args.samples, || {
            black_box(big.answer(black_box(typical[i % typical.len()]), Mode::Explicit));
            i += 1;
        }),
    ));

    let posts = real_length_posts(&args.posts);
    if posts.is_empty() {
        println!(
            "real-length posts skipped: no posts of 100-300 words in {}",
            args.posts.display()
        );
    } else {
        for (label, e) in [("bundled", &engine), ("synthetic", &big)] {
            let mut i = 0;
            rows.push((
                format!("answer, {} real posts, {label}", posts.len()),
                median(args.samples, || {
                    black_box(e.answer(black_box(&posts[i % posts.len()]), Mode::Passive));
                    i += 1;
                }),
            ));
            // where the time of a real post goes
            let parts: [Part; 3] = [
                ("symptom matching", &|t| {
                    black_box(e.matcher().find(e.kb(), t, 5));
                }),
                ("situation", &|t| {
                    black_box(e.situation(t));
                }),
                ("code extraction", &|t| {
                    black_box(codes::extract(t, e.tables(), &|c| e.kb().has_code(c)));
                }),
            ];
            for (part, f) in parts {
                let mut i = 0;
                rows.push((
                    format!("  of which {part}"),
                    median(args.samples, || {
                        f(black_box(&posts[i % posts.len()]));
                        i += 1;
                    }),
                ));
            }
        }
    }

    if args.each {
        for (n, text) in typical.iter().enumerate() {
            for (label, e) in [("bundled", &engine), ("synthetic", &big)] {
                rows.push((
                    format!("  message {n}, {label}"),
                    median(args.samples, || {
                        black_box(e.answer(black_box(text), Mode::Explicit));
                    }),
                ));
            }
        }
    }

    let hostile = synthetic::hostile_message(1 << 20, 3);
    let tables = CodeTables::bundled();
    rows.push((
        "extract codes, 1 MB hostile message".into(),
        median(args.samples.min(11), || {
            black_box(codes::extract(black_box(&hostile), tables, &|_| false));
        }),
    ));
    rows.push((
        "answer, 1 MB hostile message".into(),
        median(args.samples.min(11), || {
            black_box(engine.answer(black_box(&hostile), Mode::Passive));
        }),
    ));

    let scaled = scaling(&engine, args.scaling_base.max(1024), args.samples.min(5));

    if args.json {
        let v: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(k, d)| (k.clone(), serde_json::json!(d.as_secs_f64() * 1e6)))
            .collect();
        println!(
            "{}",
            serde_json::json!({
                "median_us": v,
                "first_load_us": load.as_secs_f64() * 1e6,
                "scaling": scaling_json(&scaled),
            })
        );
    } else {
        println!("{:<40} {:>12}", "median of", "time");
        for (name, d) in &rows {
            println!("{name:<40} {:>9.1} µs", d.as_secs_f64() * 1e6);
        }
        println!(
            "(first load {:.1} ms; synthetic index built in {:.0} ms)",
            load.as_secs_f64() * 1e3,
            build_big.as_secs_f64() * 1e3
        );
        println!();
        print_scaling(&scaled, args.scaling_base.max(1024));
    }
    Ok(ExitCode::SUCCESS)
}

fn scaling_json(rows: &[Scaling]) -> serde_json::Value {
    rows.iter()
        .map(|r| {
            serde_json::json!({
                "pattern": r.pattern,
                "step": r.what,
                "median_us": r.times.map(|d| d.as_secs_f64() * 1e6),
                "ratio_4x_1x": r.ratio(0, 1),
                "ratio_16x_4x": r.ratio(1, 2),
            })
        })
        .collect()
}
