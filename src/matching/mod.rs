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
        let p = self.params();
        // each word's query weight, worked out once for ranking, the
        // features and the explanation
        let weights: Vec<f32> = q.terms.iter().map(|t| t.weight(p)).collect();
        let terms: Vec<(TermId, f32)> = q
            .terms
            .iter()
            .zip(&weights)
            .filter_map(|(t, &w)| t.term.map(|id| (id, w)))
            .filter(|&(_, w)| w > 0.0)
            .collect();
        let hits = self
            .bm25f
            .rank(&terms, &self.weighted_pairs(&q), limit.max(2));
        let mut has = Vec::with_capacity(q.terms.len());
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
                has.clear();
                has.extend(
                    q.terms
                        .iter()
                        .map(|t| t.term.is_some_and(|id| self.index.entry_has(entry, id))),
                );
                let held = Held {
                    weights: &weights,
                    has: &has,
                };
                let f = Features::of_held(&self.bm25f, &q, entry, score, other, signals, held);
                SymptomMatch {
                    entry,
                    score,
                    confidence: f.probability(&self.confidence),
                    why: self.why_held(kb, &q, entry, held),
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
        let mut b = QueryBuilder {
            m: self,
            q: Query {
                titled: false,
                ..Query::default()
            },
            prev: None,
            seen: Default::default(),
            by_term: Default::default(),
            pair_at: Default::default(),
            repairs: 0,
        };
        let mut title_words = 0usize;
        b.words(&post.title, MAX_TITLE_WORDS, true, &mut title_words);
        b.q.titled = title_words > 0;
        let mut body_words = 0usize;
        b.words(&post.body, MAX_POST_WORDS, false, &mut body_words);
        let mut q = b.q;
        q.words = title_words + body_words;
        let total: f32 = q.terms.iter().map(|t| t.idf).sum();
        let known: f32 = q.terms.iter().map(|t| t.idf * t.typo).sum();
        q.coverage = if total > 0.0 { known / total } else { 0.0 };
        q
    }

    fn why_held(&self, kb: &KnowledgeBase, q: &Query, entry: usize, h: Held<'_>) -> Why {
        let held = || {
            q.terms
                .iter()
                .zip(h.has)
                .filter(|&(_, &has)| has)
                .map(|(t, _)| t)
        };
        let weighted: Vec<(TermId, f32)> = q
            .terms
            .iter()
            .zip(h.weights)
            .zip(h.has)
            .filter(|&(_, &has)| has)
            .filter_map(|((t, &w), _)| t.term.map(|id| (id, w * t.idf)))
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
            words: held().map(|t| t.surface.clone()).collect(),
            corrected: held()
                .filter(|t| t.corrected)
                .filter_map(|t| {
                    t.term
                        .map(|id| (t.surface.clone(), self.index.term_name(id).to_string()))
                })
                .collect(),
        }
    }
}

/// Per word of a query ([`Query::terms`]): its weight
/// ([`QueryTerm::weight`]) and whether one entry holds its term.
#[derive(Debug, Clone, Copy)]
pub struct Held<'a> {
    pub weights: &'a [f32],
    pub has: &'a [bool],
}

/// A query being built, one word at a time, title first.
struct QueryBuilder<'m> {
    m: &'m Matcher,
    q: Query,
    /// The previous known word's term, and whether it was in the title.
    prev: Option<(TermId, bool)>,
    /// Distinct words seen: surface -> index in `q.terms`.
    seen: rustc_hash::FxHashMap<Box<str>, usize>,
    by_term: rustc_hash::FxHashMap<TermId, usize>,
    /// Pair -> index in `q.pairs`.
    pair_at: rustc_hash::FxHashMap<(TermId, TermId), usize>,
    repairs: usize,
}

impl QueryBuilder<'_> {
    /// Adds the meaningful words among the first `max` words of `text`,
    /// counting them in `count`.
    fn words(&mut self, text: &str, max: usize, in_title: bool, count: &mut usize) {
        let m = self.m;
        let index = &m.index;
        text::for_each_raw_word(text, max, |raw| match index.lexed(raw) {
            Some(list) => {
                for l in list {
                    *count += 1;
                    self.word(l.surface.as_ref(), l.problem, l.digits, l.exact, in_title);
                }
            }
            None => index.analyzer().analyse(raw, |w| {
                *count += 1;
                let l = index.lex(&w);
                self.word(&w.surface, l.problem, l.digits, l.exact, in_title);
            }),
        });
    }

    /// One meaningful word: `problem`, `digits` and `exact` as in
    /// [`index::Lexed`].
    fn word(
        &mut self,
        surface: &str,
        problem: bool,
        digits: bool,
        exact: Option<TermId>,
        in_title: bool,
    ) {
        let q = &mut self.q;
        let m = self.m;
        let index = &m.index;
        q.problem |= problem;
        // numbers (versions, percentages, counts) match entries by chance
        if digits {
            return;
        }
        let known = self.seen.get(surface).copied();
        let (term, typo, corrected) = match known {
            Some(i) => (q.terms[i].term, q.terms[i].typo, q.terms[i].corrected),
            None => {
                let r = match exact {
                    Some(id) => (Some(id), 1.0, false),
                    None => {
                        let repaired = if self.repairs < MAX_REPAIRS {
                            index.repair_word(surface)
                        } else {
                            None
                        };
                        let w = if repaired.is_some() { 0.8 } else { 0.0 };
                        (repaired, w, repaired.is_some())
                    }
                };
                if r.0.is_none() || r.2 {
                    self.repairs += 1;
                }
                r
            }
        };
        match (self.prev, term) {
            (Some((a, part)), Some(b)) if part == in_title && a != b => {
                let pair = (a.min(b), a.max(b));
                let i = *self.pair_at.entry(pair).or_insert_with(|| {
                    q.pairs.push(QueryPair {
                        pair,
                        in_title: false,
                        body_count: 0,
                    });
                    q.pairs.len() - 1
                });
                let p = &mut q.pairs[i];
                if in_title {
                    p.in_title = true;
                } else {
                    p.body_count = p.body_count.saturating_add(1);
                }
            }
            _ => {}
        }
        self.prev = term.map(|t| (t, in_title));
        if let Some(id) = term
            && corrected
        {
            // a misspelt problem word ("disbaled") counts once repaired
            q.problem |= index.analyzer().is_problem(index.term_name(id));
        }
        let same = match (known, term) {
            (Some(i), _) => Some(i),
            (None, Some(id)) => self.by_term.get(&id).copied(),
            (None, None) => None,
        };
        let i = match same {
            Some(i) => i,
            None => {
                q.terms.push(QueryTerm {
                    idf: term.map_or(index.unknown_idf(), |id| index.idf(id)),
                    surface: surface.to_string(),
                    term,
                    typo,
                    corrected,
                    in_title: false,
                    in_body: false,
                    body_count: 0,
                });
                q.terms.len() - 1
            }
        };
        if known.is_none() {
            self.seen.insert(surface.into(), i);
        }
        if let Some(id) = q.terms[i].term {
            self.by_term.entry(id).or_insert(i);
        }
        let t = &mut q.terms[i];
        t.in_title |= in_title;
        t.in_body |= !in_title;
        if !in_title {
            t.body_count = t.body_count.saturating_add(1);
        }
    }
}
