//! Fuzzy symptom matching: which entries a message describes, how sure we
//! are, and why.
//!
//! A message is read as a helper reads a post ([`post`]): the title weighs
//! most, pasted logs and templates are set aside. Its words are analysed
//! and typo-repaired against the knowledge base ([`index`], [`text`]),
//! entries are ranked by BM25F ([`bm25`]), and the confidence is a fitted
//! probability that the top entry is right ([`confidence`]).

pub mod bm25;
pub mod confidence;
pub mod index;
pub mod post;
pub mod text;

use serde::Serialize;

use crate::kb::{Bm25fParams, ConfidenceWeights, KnowledgeBase};
use crate::situation::Situation;
use bm25::Bm25f;
use confidence::Features;
use index::{Field, Index, TermId};
use post::Post;

/// Of a post's description at most this many words are matched: a
/// 300-word post is read whole, a pasted novel is not.
pub const MAX_POST_WORDS: usize = 600;
/// A title longer than this is a description without a title.
const MAX_TITLE_WORDS: usize = 40;
/// Typo repair costs a few hash lookups and edit distances per unknown
/// word; a long post has dozens of words the knowledge base never uses.
/// The title's and the first words' typos are repaired, the rest of a
/// long post is redundant enough without.
const MAX_REPAIRS: usize = 8;

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
    /// The probability that this entry is the right one.
    pub confidence: f32,
    pub why: Why,
}

/// What the rest of the message says, beyond the words matched: how many
/// Windows words (areas, versions) and how many words of other products.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Signals {
    pub windows: u32,
    pub offtopic: u32,
}

impl Signals {
    /// What the message's facts say: area words and a named version count
    /// for Windows, product words against.
    pub fn of(s: &Situation) -> Signals {
        Signals {
            windows: s.areas.iter().map(|(_, n)| *n).sum::<u32>() + u32::from(s.version.is_some()),
            offtopic: s.offtopic_hits(),
        }
    }
}

/// One distinct word of the message as the matcher understood it.
#[derive(Debug, Clone)]
pub struct QueryTerm {
    pub surface: String,
    pub term: Option<TermId>,
    /// 1 for a known word, less for a repaired typo, 0 for an unknown one.
    pub typo: f32,
    pub corrected: bool,
    pub in_title: bool,
    pub in_body: bool,
    /// How often the description uses it.
    pub body_count: u16,
    /// Its IDF (the unknown-word IDF when unknown).
    pub idf: f32,
}

/// A query word's or pair's weight: `title_query` when the title has it,
/// plus its repeats in the description damped by `repeat` (n^repeat).
fn query_weight(in_title: bool, body_count: u16, p: &Bm25fParams) -> f32 {
    let title = if in_title { p.title_query } else { 0.0 };
    let body = if body_count > 0 {
        f32::from(body_count).powf(p.repeat)
    } else {
        0.0
    };
    title + body
}

impl QueryTerm {
    /// How much the word counts in the query: once in the title, weighted
    /// `title_query`, plus its repeats in the description, damped by
    /// `repeat` (n^repeat).
    pub fn weight(&self, p: &Bm25fParams) -> f32 {
        self.typo * query_weight(self.in_title, self.body_count, p)
    }
}

/// Two known words of the message side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryPair {
    /// The two terms, smaller id first.
    pub pair: (TermId, TermId),
    pub in_title: bool,
    /// How often the description has them side by side.
    pub body_count: u16,
}

impl QueryPair {
    /// Weighted as a word is ([`QueryTerm::weight`]).
    pub fn weight(&self, p: &Bm25fParams) -> f32 {
        query_weight(self.in_title, self.body_count, p)
    }
}

/// A message as the matcher understood it.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub terms: Vec<QueryTerm>,
    pub pairs: Vec<QueryPair>,
    /// The message has a title line with words in it.
    pub titled: bool,
    /// Share of the message's meaning (IDF mass) the knowledge base
    /// recognises at all: low for chatter about other things.
    pub coverage: f32,
    /// A word that says something is wrong.
    pub problem: bool,
    /// Analysed words, repeats included.
    pub words: usize,
}

fn add_pair(pairs: &mut Vec<QueryPair>, pair: (TermId, TermId), in_title: bool) {
    let i = match pairs.iter().position(|p| p.pair == pair) {
        Some(i) => i,
        None => {
            pairs.push(QueryPair {
                pair,
                in_title: false,
                body_count: 0,
            });
            pairs.len() - 1
        }
    };
    let p = &mut pairs[i];
    if in_title {
        p.in_title = true;
    } else {
        p.body_count = p.body_count.saturating_add(1);
    }
}

/// The symptom index of one knowledge base.
#[derive(Debug)]
pub struct Matcher {
    index: Index,
    bm25f: Bm25f,
    confidence: ConfidenceWeights,
}

impl Matcher {
    pub fn new(kb: &KnowledgeBase) -> Matcher {
        let index = Index::build(kb);
        let bm25f = Bm25f::build(kb, &index, kb.ranking.bm25f);
        Matcher {
            index,
            bm25f,
            confidence: kb.ranking.confidence,
        }
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn bm25f(&self) -> &Bm25f {
        &self.bm25f
    }

    /// The best `limit` entries for `text`, best first, each with its
    /// confidence, knowing nothing else about the message.
    pub fn find(&self, kb: &KnowledgeBase, text: &str, limit: usize) -> Vec<SymptomMatch> {
        self.find_with(kb, text, Signals::default(), limit)
    }

    /// The best `limit` entries for `text`, with what the message's facts
    /// say (`signals`) weighing in on the confidence.
    pub fn find_with(
        &self,
        kb: &KnowledgeBase,
        text: &str,
        signals: Signals,
        limit: usize,
    ) -> Vec<SymptomMatch> {
        let q = self.query(text);
        let hits = self.rank(&q, limit.max(2));
        let mut out: Vec<SymptomMatch> = hits
            .iter()
            .enumerate()
            .map(|(i, &(entry, score))| {
                let other = hits
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, h)| h.1)
                    .fold(0.0f32, f32::max);
                let f = Features::of(
                    &self.index,
                    &self.bm25f,
                    &q,
                    entry,
                    score,
                    other,
                    signals,
                    self.params(),
                );
                SymptomMatch {
                    entry,
                    score,
                    confidence: f.probability(&self.confidence),
                    why: self.why(kb, &q, entry),
                }
            })
            .collect();
        out.truncate(limit);
        out
    }

    fn params(&self) -> &Bm25fParams {
        self.bm25f.params()
    }

    /// The query terms with their weights, for ranking.
    pub fn weighted(&self, q: &Query) -> Vec<(TermId, f32)> {
        let p = self.params();
        q.terms
            .iter()
            .filter_map(|t| t.term.map(|id| (id, t.weight(p))))
            .filter(|&(_, w)| w > 0.0)
            .collect()
    }

    /// The query's pairs with their weights, for ranking.
    pub fn weighted_pairs(&self, q: &Query) -> Vec<((TermId, TermId), f32)> {
        let p = self.params();
        q.pairs.iter().map(|x| (x.pair, x.weight(p))).collect()
    }

    /// Entries by BM25F, best first.
    pub fn rank(&self, q: &Query, limit: usize) -> Vec<(usize, f32)> {
        self.bm25f
            .rank(&self.weighted(q), &self.weighted_pairs(q), limit)
    }

    /// Reads `text` as a post and resolves its words.
    pub fn query(&self, text: &str) -> Query {
        let post = Post::read(text);
        let a = self.index.analyzer();
        let title = a.words_up_to(&post.title, MAX_TITLE_WORDS);
        let body = a.words_up_to(&post.body, MAX_POST_WORDS);
        let mut q = Query {
            words: title.len() + body.len(),
            titled: !title.is_empty(),
            ..Query::default()
        };
        let mut prev: Option<(TermId, bool)> = None;
        // distinct words seen: surface -> index in q.terms
        let mut seen: rustc_hash::FxHashMap<String, usize> = Default::default();
        let mut by_term: rustc_hash::FxHashMap<TermId, usize> = Default::default();
        let mut repairs = 0usize;
        let parts = title
            .iter()
            .map(|w| (w, true))
            .chain(body.iter().map(|w| (w, false)));
        for (w, in_title) in parts {
            q.problem |= a.is_problem(&w.term);
            // numbers (versions, percentages, counts) match entries by chance
            if w.surface.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let known = seen.get(&w.surface).copied();
            let r = match known {
                Some(i) => index::QueryTerm {
                    surface: w.surface.clone(),
                    term: q.terms[i].term,
                    weight: q.terms[i].typo,
                    corrected: q.terms[i].corrected,
                },
                None => {
                    let r = self.index.resolve_with(w, repairs < MAX_REPAIRS);
                    if r.term.is_none() || r.corrected {
                        repairs += 1;
                    }
                    r
                }
            };
            match (prev, r.term) {
                (Some((a, part)), Some(b)) if part == in_title && a != b => {
                    add_pair(&mut q.pairs, (a.min(b), a.max(b)), in_title);
                }
                _ => {}
            }
            prev = r.term.map(|t| (t, in_title));
            if let Some(id) = r.term
                && r.corrected
            {
                // a misspelt problem word ("disbaled") counts once repaired
                q.problem |= a.is_problem(self.index.term_name(id));
            }
            let same = match (known, r.term) {
                (Some(i), _) => Some(i),
                (None, Some(id)) => by_term.get(&id).copied(),
                (None, None) => None,
            };
            let i = match same {
                Some(i) => i,
                None => {
                    q.terms.push(QueryTerm {
                        idf: r
                            .term
                            .map_or(self.index.unknown_idf(), |id| self.index.idf(id)),
                        surface: r.surface,
                        term: r.term,
                        typo: r.weight,
                        corrected: r.corrected,
                        in_title: false,
                        in_body: false,
                        body_count: 0,
                    });
                    q.terms.len() - 1
                }
            };
            seen.entry(w.surface.clone()).or_insert(i);
            if let Some(id) = q.terms[i].term {
                by_term.entry(id).or_insert(i);
            }
            let t = &mut q.terms[i];
            t.in_title |= in_title;
            t.in_body |= !in_title;
            if !in_title {
                t.body_count = t.body_count.saturating_add(1);
            }
        }
        let total: f32 = q.terms.iter().map(|t| t.idf).sum();
        let known: f32 = q.terms.iter().map(|t| t.idf * t.typo).sum();
        q.coverage = if total > 0.0 { known / total } else { 0.0 };
        q
    }

    fn why(&self, kb: &KnowledgeBase, q: &Query, entry: usize) -> Why {
        let p = self.params();
        let held: Vec<&QueryTerm> = q
            .terms
            .iter()
            .filter(|t| t.term.is_some_and(|id| self.index.entry_has(entry, id)))
            .collect();
        let weighted: Vec<(TermId, f32)> = held
            .iter()
            .filter_map(|t| t.term.map(|id| (id, t.weight(p) * t.idf)))
            .collect();
        let (field, index) = self.index.best_phrase(entry, &weighted);
        let e = &kb.entries[entry];
        let (field, phrase) = match field {
            Field::Symptom => ("symptom", e.symptoms[index as usize].clone()),
            Field::Title => ("title", e.title.clone()),
            Field::Summary => ("summary", e.summary.clone()),
            Field::Cause => ("cause", e.causes[index as usize].clone()),
        };
        Why {
            phrase,
            field,
            words: held.iter().map(|t| t.surface.clone()).collect(),
            corrected: held
                .iter()
                .filter(|t| t.corrected)
                .filter_map(|t| {
                    t.term
                        .map(|id| (t.surface.clone(), self.index.term_name(id).to_string()))
                })
                .collect(),
        }
    }
}
