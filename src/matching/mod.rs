//! Fuzzy symptom matching: which entries a message describes, how sure we
//! are, and why.

pub mod index;
pub mod post;
pub mod text;

use serde::Serialize;

use crate::kb::KnowledgeBase;
use index::{Field, Index, Ranking};

/// How a score turns into a confidence between 0 and 1: a score of
/// `SCORE_SCALE` gives about 0.63 before the coverage factor.
const SCORE_SCALE: f32 = 7.0;
/// How hard unrecognised words in the message pull confidence down.
const COVERAGE_POWER: f32 = 1.25;
/// The factor for a message without any problem word.
const NO_PROBLEM_WORD: f32 = 0.5;

/// Why an entry matched, in words a person can check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Why {
    /// The phrase of the entry that matched best.
    pub phrase: String,
    /// `symptom`, `title`, `summary` or `cause`.
    pub field: &'static str,
    /// The message's words found in the entry.
    pub words: Vec<String>,
    /// Typos repaired on the way: (as typed, as understood).
    pub corrected: Vec<(String, String)>,
}

/// One entry a message seems to describe.
#[derive(Debug, Clone)]
pub struct SymptomMatch {
    /// Index into the knowledge base's entries.
    pub entry: usize,
    pub score: f32,
    pub confidence: f32,
    pub why: Why,
}

/// The symptom index of one knowledge base.
#[derive(Debug)]
pub struct Matcher {
    index: Index,
}

impl Matcher {
    pub fn new(kb: &KnowledgeBase) -> Matcher {
        Matcher {
            index: Index::build(kb),
        }
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The best `limit` entries for `text`, best first, each with its
    /// confidence.
    pub fn find(&self, kb: &KnowledgeBase, text: &str, limit: usize) -> Vec<SymptomMatch> {
        let ranking = self.index.query(text, limit);
        self.explain(kb, &ranking)
    }

    fn explain(&self, kb: &KnowledgeBase, r: &Ranking) -> Vec<SymptomMatch> {
        let second = r.hits.get(1).map_or(0.0, |h| h.score);
        r.hits
            .iter()
            .enumerate()
            .map(|(rank, h)| {
                let e = &kb.entries[h.entry];
                let (field, phrase) = match h.best_field {
                    Field::Symptom => ("symptom", e.symptoms[h.best_index as usize].clone()),
                    Field::Title => ("title", e.title.clone()),
                    Field::Summary => ("summary", e.summary.clone()),
                    Field::Cause => ("cause", e.causes[h.best_index as usize].clone()),
                };
                let mut words = Vec::new();
                let mut corrected = Vec::new();
                for t in &r.terms {
                    if let Some(id) = t.term
                        && h.matched.contains(&id)
                    {
                        words.push(t.surface.clone());
                        if t.corrected {
                            corrected
                                .push((t.surface.clone(), self.index.term_name(id).to_string()));
                        }
                    }
                }
                // A clear winner is surer than one of several near-equal hits.
                let margin = if rank == 0 && h.score > 0.0 {
                    ((h.score - second) / h.score).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let confidence =
                    confidence(h.score, r.coverage, margin, r.problem) * breadth(h.matched.len());
                SymptomMatch {
                    entry: h.entry,
                    score: h.score,
                    confidence,
                    why: Why {
                        phrase,
                        field,
                        words,
                        corrected,
                    },
                }
            })
            .collect()
    }
}

/// Strength of the match, damped when much of the message is about things
/// the knowledge base does not know (chatter mentions one familiar word
/// among many unfamiliar ones), nudged up for a clear winner.
///
/// A message with no problem word ("fails", "stuck", "denied") is more
/// likely chatter: it needs a stronger match.
fn confidence(score: f32, coverage: f32, margin: f32, problem: bool) -> f32 {
    let strength = 1.0 - (-score / SCORE_SCALE).exp();
    let problem = if problem { 1.0 } else { NO_PROBLEM_WORD };
    (strength * coverage.powf(COVERAGE_POWER) * (0.85 + 0.15 * margin) * problem).clamp(0.0, 1.0)
}

/// One shared word is thin evidence however rare it is ("good night" and
/// an entry about updates failing at night); two are better.
fn breadth(matched_terms: usize) -> f32 {
    match matched_terms {
        0 | 1 => 0.5,
        2 => 0.8,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_shared_word_is_thin_evidence() {
        assert!(breadth(1) < breadth(2));
        assert!(breadth(2) < breadth(3));
        assert_eq!(breadth(3), breadth(7));
    }

    #[test]
    fn confidence_grows_with_score_and_coverage() {
        assert!(confidence(10.0, 1.0, 0.5, true) > confidence(5.0, 1.0, 0.5, true));
        assert!(confidence(10.0, 1.0, 0.5, true) > confidence(10.0, 0.5, 0.5, true));
        assert!(confidence(10.0, 1.0, 1.0, true) > confidence(10.0, 1.0, 0.0, true));
        assert!(confidence(10.0, 1.0, 1.0, true) > confidence(10.0, 1.0, 1.0, false));
        assert_eq!(confidence(0.0, 1.0, 1.0, true), 0.0);
        assert!(confidence(1000.0, 1.0, 1.0, true) <= 1.0);
    }
}
