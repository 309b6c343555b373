//! Scoring labelled help-channel messages, with the same metrics as
//! `shared/eval/score.py`: `code` cases must yield exactly their codes and a
//! reply; `symptom` cases need a right entry first (top1) or in the first
//! three (top3); `noise` must stay silent, and `falsehex` must also yield
//! no code.
//!
//! Real posts (`tests/eval/real/`) add: `offtopic` cases, which must stay
//! silent; an `entries` label (the acceptable entry ids, `[]` when none
//! fits, which then must stay silent too) that takes the place of codes
//! when present; and posts with codes but no `kind`, scored by their
//! entries. Beside the answers, the ranking alone is scored (`rank_top1`,
//! `rank_top3`: the first entries whether or not the bot would reply), for
//! us and for plain BM25, and every case without a code adds a point to the
//! calibration table.

mod calibration;
pub mod dump;

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

pub use calibration::Calibration;

use crate::answer::{Answer, Engine, Mode};
use crate::kb::KnowledgeBase;
use crate::matching::bm25::PlainBm25;

#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub id: String,
    #[serde(default)]
    pub kind: String,
    pub text: String,
    #[serde(default)]
    pub codes: Vec<String>,
    #[serde(default)]
    pub expect: Vec<String>,
    /// The acceptable entry ids; empty when no entry fits.
    #[serde(default)]
    pub entries: Option<Vec<String>>,
    /// The area a real post is about (`windows-update`, `store`...).
    #[serde(default)]
    pub area: Option<String>,
    /// The fix ids an experienced helper accepts as the first thing to
    /// try; scored as `first_fix` against the answer's plan.
    #[serde(default)]
    pub first_fixes: Option<Vec<String>>,
}

/// Per-metric (good, total), and the cases that missed.
#[derive(Debug, Default)]
pub struct Report {
    pub tally: BTreeMap<&'static str, (usize, usize)>,
    pub misses: Vec<(&'static str, String, String)>,
    /// The ranking alone and the silences, for us...
    pub ranking: BTreeMap<&'static str, (usize, usize)>,
    /// ...and for plain BM25 on the same cases, when asked for.
    pub baseline: BTreeMap<&'static str, (usize, usize)>,
    pub calibration: Calibration,
}

fn add(map: &mut BTreeMap<&'static str, (usize, usize)>, metric: &'static str, ok: bool) {
    let e = map.entry(metric).or_default();
    e.0 += ok as usize;
    e.1 += 1;
}

fn rate_of(map: &BTreeMap<&'static str, (usize, usize)>, metric: &str) -> Option<f64> {
    map.get(metric).map(|&(g, t)| g as f64 / t.max(1) as f64)
}

impl Report {
    /// A metric of the answers, or of the ranking alone (`rank_top1`).
    pub fn rate(&self, metric: &str) -> Option<f64> {
        rate_of(&self.tally, metric).or_else(|| rate_of(&self.ranking, metric))
    }

    /// The same metric for the BM25 reference.
    pub fn baseline_rate(&self, metric: &str) -> Option<f64> {
        rate_of(&self.baseline, metric)
    }

    fn count(&mut self, metric: &'static str, ok: bool, case: &Case, got: impl FnOnce() -> String) {
        add(&mut self.tally, metric, ok);
        if !ok {
            self.misses.push((metric, case.id.clone(), got()));
        }
    }

    /// Ours and BM25's figures side by side, one metric a line.
    pub fn side_by_side(&self) -> String {
        let mut out = format!("{:18} {:>16} {:>16}\n", "metric", "hexhelp", "bm25");
        let cell = |m: &BTreeMap<&str, (usize, usize)>, k: &str| match m.get(k) {
            Some(&(g, t)) => format!("{g}/{t} {:5.1}%", g as f64 * 100.0 / t.max(1) as f64),
            None => "—".to_string(),
        };
        let mut keys: BTreeSet<&str> = self.tally.keys().copied().collect();
        keys.extend(self.ranking.keys().copied());
        keys.extend(self.baseline.keys().copied());
        for k in keys {
            let ours = if self.tally.contains_key(k) {
                cell(&self.tally, k)
            } else {
                cell(&self.ranking, k)
            };
            out.push_str(&format!(
                "{k:18} {ours:>16} {:>16}\n",
                cell(&self.baseline, k)
            ));
        }
        out
    }
}

/// Normalises a code as the scorer does: `0x` + 8 upper-case hex digits.
fn norm(code: &str) -> String {
    let h = code.trim().to_ascii_lowercase();
    let h = h.strip_prefix("0x").unwrap_or(&h);
    format!("0x{:0>8}", h.to_ascii_uppercase())
}

pub fn parse_cases(text: &str) -> Result<Vec<Case>, crate::error::Error> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| crate::error::Error::Input {
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// The entries (by index) that are right for a case: from its `entries`
/// label, else from its expected codes; empty when none is (noise,
/// off-topic, "no entry fits"); `None` when the case says nothing about
/// entries.
pub fn gold(kb: &KnowledgeBase, c: &Case) -> Option<Vec<usize>> {
    let index_of = |id: &str| kb.entries.iter().position(|e| e.id == id);
    if let Some(ids) = &c.entries {
        return Some(ids.iter().filter_map(|id| index_of(id)).collect());
    }
    match c.kind.as_str() {
        "symptom" if !c.expect.is_empty() => {
            let want: BTreeSet<String> = c.expect.iter().map(|x| norm(x)).collect();
            Some(
                kb.entries
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.hex_codes().iter().any(|h| want.contains(h)))
                    .map(|(i, _)| i)
                    .collect(),
            )
        }
        "noise" | "offtopic" | "falsehex" => Some(Vec::new()),
        _ => None,
    }
}

pub fn score(engine: &Engine, cases: &[Case]) -> Report {
    score_with(engine, cases, false)
}

/// Scores `cases`; with `baseline`, plain BM25 ranks the same cases.
pub fn score_with(engine: &Engine, cases: &[Case], baseline: bool) -> Report {
    let plain = baseline.then(|| PlainBm25::build(engine.kb()));
    let mut r = Report::default();
    for c in cases {
        let a = engine.answer(&c.text, Mode::Explicit);
        let gold = gold(engine.kb(), c);
        score_one(&mut r, c, &a);
        if let Some(g) = &gold {
            rank_one(&mut r, engine.kb(), c, &a, g);
            if let Some(p) = &plain {
                let top: Vec<usize> = p.rank(&c.text, 3).into_iter().map(|(e, _)| e).collect();
                rank_counts(&mut r.baseline, c, &top, g, !top.is_empty());
            }
        }
    }
    r
}

fn score_one(r: &mut Report, c: &Case, a: &Answer) {
    let codes: BTreeSet<String> = a.codes.iter().map(|x| x.decoded.hex.clone()).collect();
    let got = || {
        let top3: Vec<&str> = a
            .matches
            .iter()
            .take(3)
            .map(|m| m.entry.id.as_str())
            .collect();
        format!(
            "reply={} codes={:?} top={:?} conf={:.2}",
            a.reply, codes, top3, a.confidence
        )
    };
    let ids: Vec<&str> = a.matches.iter().map(|m| m.entry.id.as_str()).collect();
    // The first fix the answer gives, against the labelled first fixes.
    if let Some(want) = c.first_fixes.as_ref().filter(|w| !w.is_empty()) {
        let first = a.plan.fixes.first().map(|p| p.fix.id.as_str());
        let right = a.reply && first.is_some_and(|f| want.iter().any(|w| w == f));
        r.count("first_fix", right, c, got);
    }
    let labelled = c.entries.as_ref();
    let hit_id = |id: &&str| labelled.is_some_and(|l| l.iter().any(|x| x == id));
    match c.kind.as_str() {
        "code" => {
            let want: BTreeSet<String> = c.codes.iter().map(|x| norm(x)).collect();
            r.count("code_exact", codes == want && a.reply, c, got);
        }
        "symptom" if labelled.is_some_and(Vec::is_empty) => {
            r.count("none_silent", !a.reply, c, got);
        }
        "symptom" if labelled.is_some() => {
            let first = a.reply && ids.first().is_some_and(hit_id);
            r.count("symptom_top1", first, c, got);
            let three = a.reply && ids.iter().take(3).any(hit_id);
            r.count("symptom_top3", three, c, got);
        }
        "symptom" if !c.expect.is_empty() => {
            let want: BTreeSet<String> = c.expect.iter().map(|x| norm(x)).collect();
            let top: Vec<BTreeSet<String>> = a
                .matches
                .iter()
                .map(|m| m.entry.hex_codes().into_iter().collect())
                .collect();
            let hit = |t: &BTreeSet<String>| !t.is_disjoint(&want);
            r.count(
                "symptom_top1",
                a.reply && top.first().is_some_and(hit),
                c,
                got,
            );
            r.count(
                "symptom_top3",
                a.reply && top.iter().take(3).any(hit),
                c,
                got,
            );
        }
        "noise" => r.count("noise_silent", !a.reply, c, got),
        "offtopic" => r.count("offtopic_silent", !a.reply, c, got),
        "falsehex" => r.count("falsehex_silent", !a.reply && codes.is_empty(), c, got),
        "" if !c.codes.is_empty() && labelled.is_some_and(|l| !l.is_empty()) => {
            let first = a.reply && ids.first().is_some_and(hit_id);
            r.count("coded_top1", first, c, got);
            let three = a.reply && ids.iter().take(3).any(hit_id);
            r.count("coded_top3", three, c, got);
        }
        _ => {}
    }
}

/// The ranking alone, and a point for the calibration table when the
/// answer rests on words rather than a code.
fn rank_one(r: &mut Report, kb: &KnowledgeBase, c: &Case, a: &Answer, gold: &[usize]) {
    let top: Vec<usize> = a
        .matches
        .iter()
        .take(3)
        .filter_map(|m| {
            kb.entries
                .iter()
                .position(|e| std::sync::Arc::ptr_eq(e, &m.entry))
        })
        .collect();
    rank_counts(&mut r.ranking, c, &top, gold, a.reply);
    if a.codes.is_empty() && c.codes.is_empty() {
        let right = top.first().is_some_and(|e| gold.contains(e));
        r.calibration.add(a.confidence, right);
        // of the replies it gives on words alone, how many lead with a right entry
        if a.reply {
            add(&mut r.ranking, "replies_right", right);
        }
    }
}

fn rank_counts(
    map: &mut BTreeMap<&'static str, (usize, usize)>,
    c: &Case,
    top: &[usize],
    gold: &[usize],
    replied: bool,
) {
    if gold.is_empty() {
        let metric = match c.kind.as_str() {
            "noise" => "noise_silent",
            "offtopic" => "offtopic_silent",
            // a code is answered by its decode and ladder, entry or not
            "falsehex" | "" => return,
            _ => "none_silent",
        };
        add(map, metric, !replied);
        return;
    }
    add(
        map,
        "rank_top1",
        top.first().is_some_and(|e| gold.contains(e)),
    );
    add(
        map,
        "rank_top3",
        top.iter().take(3).any(|e| gold.contains(e)),
    );
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (metric, &(good, total)) in &self.tally {
            let rate = good as f64 / total.max(1) as f64;
            writeln!(f, "{metric:16} {good:4}/{total:<4} {:5.1}%", rate * 100.0)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_matches_the_script() {
        assert_eq!(norm("0x7b"), "0x0000007B");
        assert_eq!(norm("0X80070002"), "0x80070002");
        assert_eq!(norm("c004f074"), "0xC004F074");
    }

    #[test]
    fn entry_labels_take_the_place_of_codes() {
        let kb = KnowledgeBase::bundled().unwrap();
        let first = kb.entries[0].id.clone();
        let line = format!(
            r#"{{"id":"w1","kind":"symptom","text":"t","expect":["0x1"],"entries":["{first}","no-such"]}}"#
        );
        let c = &parse_cases(&line).unwrap()[0];
        assert_eq!(gold(&kb, c), Some(vec![0]));
        let none = r#"{"id":"o1","kind":"offtopic","text":"t"}"#;
        assert_eq!(gold(&kb, &parse_cases(none).unwrap()[0]), Some(vec![]));
        let coded = r#"{"id":"c1","text":"t","codes":["0x80070002"]}"#;
        assert_eq!(gold(&kb, &parse_cases(coded).unwrap()[0]), None);
    }
}
