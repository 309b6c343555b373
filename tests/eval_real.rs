//! The bars on real posts (`tests/eval/real/`): the ranking must stay well
//! above plain BM25, answers must be right, and off-topic posts must stay
//! unanswered. The bars sit a little below what the fitted ranking reaches,
//! so they catch regressions; they are not the target (see issue 10).

use hexhelp::Engine;
use hexhelp::eval::{Report, parse_cases, score_with};

fn report(file: &str) -> Option<Report> {
    let path = format!("tests/eval/real/{file}");
    let text = std::fs::read_to_string(&path).unwrap();
    let cases = parse_cases(&text).unwrap();
    assert!(cases.len() >= 50, "{path} has only {} cases", cases.len());
    if file != "offtopic.jsonl" && !cases.iter().any(|c| c.entries.is_some()) {
        eprintln!("skipped: {path} has no `entries` labels yet");
        return None;
    }
    Some(score_with(&Engine::bundled().unwrap(), &cases, true))
}

fn bar(r: &Report, file: &str, metric: &str, min: f64) {
    let rate = r
        .rate(metric)
        .unwrap_or_else(|| panic!("{file}: {metric} not measured"));
    assert!(
        rate >= min,
        "{file}: {metric} {rate:.3} < {min}\n{}",
        r.side_by_side()
    );
}

#[test]
fn offtopic_posts_stay_unanswered() {
    let r = report("offtopic.jsonl").unwrap();
    bar(&r, "offtopic.jsonl", "offtopic_silent", OFFTOPIC_SILENT);
}

/// Bars for the posts described in words, from the fitted ranking's
/// figures minus a margin of a few cases.
/// Reached with the labels of f597b50: rank top-1 85/140, top-3 114/140,
/// answered and right 36/140, silent on 32/38 posts no entry fits, 3.6
/// points above BM25.
const WORDS_RANK_TOP1: f64 = 0.57;
const WORDS_RANK_TOP3: f64 = 0.78;
const WORDS_ANSWERED_TOP1: f64 = 0.22;
const WORDS_NONE_SILENT: f64 = 0.78;
/// How far the ranking alone must stay above plain BM25 (top-1).
const WORDS_OVER_BM25: f64 = 0.01;
/// Reached: 70/76.
const OFFTOPIC_SILENT: f64 = 0.88;

#[test]
fn words_posts_meet_their_bars() {
    let file = "words.jsonl";
    let Some(r) = report(file) else { return };
    bar(&r, file, "rank_top1", WORDS_RANK_TOP1);
    bar(&r, file, "rank_top3", WORDS_RANK_TOP3);
    bar(&r, file, "symptom_top1", WORDS_ANSWERED_TOP1);
    bar(&r, file, "none_silent", WORDS_NONE_SILENT);
    let ours = r.rate("rank_top1").unwrap();
    let bm25 = r.baseline_rate("rank_top1").unwrap();
    assert!(
        ours - bm25 >= WORDS_OVER_BM25,
        "{file}: top-1 {ours:.3} is not {WORDS_OVER_BM25} above BM25's {bm25:.3}"
    );
}

/// Bars for the posts with codes (issue 8): the right entry first, and the
/// first fix one an experienced helper accepts. Reached with the labels of
/// 2026-12-04: entry 150/188, first fix 101/185.
const CODED_TOP1: f64 = 0.76;
const CODED_FIRST_FIX: f64 = 0.5;

#[test]
fn coded_posts_meet_their_bars() {
    let file = "coded.jsonl";
    let Some(r) = report(file) else { return };
    bar(&r, file, "coded_top1", CODED_TOP1);
    bar(&r, file, "first_fix", CODED_FIRST_FIX);
}
