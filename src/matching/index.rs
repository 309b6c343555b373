//! The symptom index: built once per knowledge base, queried per message.
//!
//! Why this shape: a message is short (a dozen meaningful words) and the
//! knowledge base is many short phrases. Comparing the message with every
//! phrase by edit distance costs O(phrases × length²) per message and
//! drowns in its own noise. Instead every phrase is reduced to terms once,
//! and an inverted index maps each term (and each unordered pair of
//! neighbouring terms) to the phrases holding it, weighted by how rare the
//! term is across entries (IDF). A message then touches only the postings
//! of its own terms. Typos are repaired before lookup, against the index's
//! vocabulary, through a table of one-deletion variants (symmetric delete):
//! a misspelt word costs a few hash lookups instead of a scan, and strsim's
//! Damerau-Levenshtein distance confirms each candidate.

use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;

use super::text::{Analyzer, Word, for_each_raw_word};
use crate::kb::{Entry, KnowledgeBase};

pub type TermId = u32;

/// Where a phrase comes from; titles and symptoms say more than summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Symptom,
    Title,
    Summary,
    Cause,
}

impl Field {
    fn weight(self) -> f32 {
        match self {
            Field::Symptom => 1.0,
            Field::Title => 0.9,
            Field::Summary => 0.7,
            Field::Cause => 0.5,
        }
    }
}

#[derive(Debug, Clone)]
struct Phrase {
    entry: u32,
    field: Field,
    /// Index of the phrase within its field (which symptom, which cause).
    index: u16,
    /// Sum of the IDF of its distinct terms.
    mass: f32,
}

/// A query term after typo repair.
#[derive(Debug, Clone)]
pub struct QueryTerm {
    pub surface: String,
    pub term: Option<TermId>,
    /// 1.0 for an exact term, less for a repaired typo.
    pub weight: f32,
    pub corrected: bool,
}

/// One meaningful word as a query reads it: what [`Analyzer::analyse`]
/// makes of a raw word, with its term looked up. The same for every
/// message, so the words of the knowledge base are worked out once
/// ([`Index::lexed`]).
#[derive(Debug, Clone)]
pub struct Lexed {
    pub surface: Box<str>,
    /// Its term says something is wrong.
    pub problem: bool,
    /// All digits (a version, a percentage, a count).
    pub digits: bool,
    /// Its term, or the term of the surface word as the knowledge base
    /// writes it; none when only typo repair could find one.
    pub exact: Option<TermId>,
}

/// One entry's score, with the phrase that scored best.
#[derive(Debug, Clone)]
pub struct Hit {
    pub entry: usize,
    pub score: f32,
    pub best_field: Field,
    pub best_index: u16,
    /// Terms of the query found anywhere in the entry.
    pub matched: Vec<TermId>,
}

/// The result of one query over the index.
#[derive(Debug, Clone, Default)]
pub struct Ranking {
    pub terms: Vec<QueryTerm>,
    /// Best first.
    pub hits: Vec<Hit>,
    /// Share of the message's meaning (IDF mass) that the knowledge base
    /// recognises at all: low for chatter about other things.
    pub coverage: f32,
    /// The message uses a word that says something is wrong.
    pub problem: bool,
}

#[derive(Debug, Default)]
pub struct Index {
    analyzer: Analyzer,
    terms: HashMap<Box<str>, TermId>,
    term_names: Vec<Box<str>>,
    idf: Vec<f32>,
    /// Surface words and stems -> term, for typo repair targets.
    surfaces: HashMap<Box<str>, TermId>,
    /// One-deletion variants of every surface word -> the words' terms.
    /// Sorted (hash of the word with one character deleted, term). Hashes
    /// rather than strings keep the build to one allocation; a collision
    /// only adds a candidate, which the edit distance then rejects.
    deletes: Vec<(u64, u32)>,
    /// Every surface word and stem, by index, with its term: what a typo is
    /// measured against.
    surface_words: Vec<(Box<str>, TermId)>,
    postings: Vec<Vec<u32>>,
    /// Unordered neighbouring pair -> (its weight, the phrases holding it).
    pairs: HashMap<(TermId, TermId), (f32, Vec<u32>)>,
    phrases: Vec<Phrase>,
    phrase_terms: Vec<Vec<TermId>>,
    /// Distinct terms per entry, sorted.
    entry_terms: Vec<Vec<TermId>>,
    entry_count: usize,
    /// The IDF given to words the knowledge base has never seen.
    unknown_idf: f32,
    /// Terms in more phrases than this only add to phrases that rarer
    /// terms found: an eighth of all phrases, at most POSTINGS_CAP.
    postings_cap: usize,
    /// Raw word -> its meaningful words, for every raw word of the
    /// knowledge base, the stop words and the abbreviations.
    lexicon: HashMap<Box<str>, Box<[Lexed]>>,
}

thread_local! {
    /// Per-thread scratch for accumulating phrase scores without clearing
    /// a buffer the size of the whole index on every query.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

#[derive(Default)]
struct Scratch {
    /// Per phrase: bonus from neighbouring pairs.
    phrase_acc: Vec<f32>,
    /// Per phrase: weight of the message's terms it holds.
    phrase_terms: Vec<f32>,
    /// Per phrase: which of the message's terms it holds (bit i = term i).
    phrase_mask: Vec<u64>,
    touched: Vec<u32>,
    /// Per entry: best phrase (score, phrase), second best score, and the
    /// message's terms found in any of its phrases.
    entry_best: Vec<(f32, u32)>,
    entry_second: Vec<f32>,
    entry_mask: Vec<u64>,
    entry_touched: Vec<u32>,
}

const MIN_TYPO_LEN: usize = 4;

/// An entry's score is its best phrase, plus some of its second best (two
/// symptoms that both fit are more evidence than one), plus the weight of
/// the message's terms found anywhere in the entry.
const SECOND_PHRASE: f32 = 0.4;

/// Terms with more postings than this only add to phrases that rarer terms
/// found (see `score`).
const POSTINGS_CAP: usize = 512;
const BAG: f32 = 0.3;

impl Index {
    pub fn build(kb: &KnowledgeBase) -> Index {
        let analyzer = Analyzer::new(&kb.vocabulary);
        let mut ix = Index {
            analyzer,
            entry_count: kb.entries.len(),
            ..Index::default()
        };
        let mut df: Vec<u32> = Vec::new();
        for (ei, e) in kb.entries.iter().enumerate() {
            let mut seen: Vec<TermId> = Vec::new();
            for (field, index, text) in phrases_of(e) {
                let words = ix.analyzer.words(text);
                let mut ids: Vec<TermId> = Vec::with_capacity(words.len());
                for w in &words {
                    let id = ix.intern(&w.term, &mut df);
                    ix.add_surface(&w.surface, id);
                    ix.add_surface(&w.term, id);
                    ids.push(id);
                }
                let pid = ix.phrases.len() as u32;
                let mut distinct = ids.clone();
                distinct.sort_unstable();
                distinct.dedup();
                for &t in &distinct {
                    ix.postings[t as usize].push(pid);
                }
                for p in neighbour_pairs(&ids) {
                    let (_, list) = ix.pairs.entry(p).or_default();
                    if list.last() != Some(&pid) {
                        list.push(pid);
                    }
                }
                seen.extend(&distinct);
                ix.phrases.push(Phrase {
                    entry: ei as u32,
                    field,
                    index: index as u16,
                    mass: 0.0,
                });
                ix.phrase_terms.push(distinct);
            }
            seen.sort_unstable();
            seen.dedup();
            for &t in &seen {
                df[t as usize] += 1;
            }
            ix.entry_terms.push(seen);
        }
        ix.postings_cap = (ix.phrases.len() / 8).clamp(64, POSTINGS_CAP);
        ix.deletes.sort_unstable();
        ix.deletes.dedup();
        let n = ix.entry_count.max(1) as f32;
        ix.idf = df.iter().map(|&d| idf(n, d as f32)).collect();
        // An unknown word counts like a rare known one: brand names and
        // everyday words outside the knowledge base should lower confidence,
        // not wipe it out.
        ix.unknown_idf = idf(n, 2.0);
        for (p, terms) in ix.phrases.iter_mut().zip(&ix.phrase_terms) {
            p.mass = terms.iter().map(|&t| ix.idf[t as usize]).sum();
        }
        // A pair weighs as much as the rarer of its two terms.
        let idf = &ix.idf;
        for (&(a, b), (w, _)) in ix.pairs.iter_mut() {
            *w = idf[a as usize].min(idf[b as usize]);
        }
        ix.lexicon = ix.build_lexicon(kb);
        ix
    }

    /// Every raw word a message shares with the knowledge base, worked out
    /// once: [`Index::lex`] of each.
    fn build_lexicon(&self, kb: &KnowledgeBase) -> HashMap<Box<str>, Box<[Lexed]>> {
        let mut raws: rustc_hash::FxHashSet<String> = Default::default();
        for e in &kb.entries {
            for (_, _, text) in phrases_of(e) {
                for_each_raw_word(text, usize::MAX, |w| {
                    if !raws.contains(w) {
                        raws.insert(w.to_string());
                    }
                });
            }
        }
        raws.extend(super::text::STOPWORDS.iter().map(|w| w.to_string()));
        raws.extend(self.analyzer.abbreviations().map(str::to_string));
        raws.into_iter()
            .map(|raw| {
                let mut list = Vec::new();
                self.analyzer.analyse(&raw, |w| list.push(self.lex(&w)));
                (raw.into_boxed_str(), list.into_boxed_slice())
            })
            .collect()
    }

    /// The meaningful words of one raw word, when the knowledge base has
    /// worked them out; [`Analyzer::analyse`] and [`Index::lex`] otherwise.
    pub fn lexed(&self, raw: &str) -> Option<&[Lexed]> {
        self.lexicon.get(raw).map(|l| &l[..])
    }

    /// One analysed word with its term looked up, as [`Index::resolve_with`]
    /// does before any typo repair.
    pub fn lex(&self, w: &Word) -> Lexed {
        Lexed {
            surface: w.surface.as_str().into(),
            problem: self.analyzer.is_problem(&w.term),
            digits: w.surface.bytes().all(|b| b.is_ascii_digit()),
            exact: self
                .terms
                .get(w.term.as_str())
                .or_else(|| self.surfaces.get(w.surface.as_str()))
                .copied(),
        }
    }

    /// The closest known word to an unknown one ([`Index::resolve_with`]'s
    /// typo repair).
    pub fn repair_word(&self, word: &str) -> Option<TermId> {
        self.repair(word)
    }

    fn intern(&mut self, term: &str, df: &mut Vec<u32>) -> TermId {
        if let Some(&id) = self.terms.get(term) {
            return id;
        }
        let id = self.term_names.len() as TermId;
        self.terms.insert(term.into(), id);
        self.term_names.push(term.into());
        self.postings.push(Vec::new());
        df.push(0);
        id
    }

    fn add_surface(&mut self, surface: &str, id: TermId) {
        if self.surfaces.contains_key(surface) {
            return;
        }
        self.surfaces.insert(surface.into(), id);
        let index = self.surface_words.len() as u32;
        self.surface_words.push((surface.into(), id));
        let chars: Vec<char> = surface.chars().collect();
        if chars.len() >= MIN_TYPO_LEN {
            for i in 0..chars.len() {
                self.deletes.push((hash_without(&chars, Some(i)), index));
            }
        }
    }

    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    pub fn term_name(&self, id: TermId) -> &str {
        &self.term_names[id as usize]
    }

    pub fn idf(&self, id: TermId) -> f32 {
        self.idf[id as usize]
    }

    /// How many phrases hold a term.
    pub fn postings_len(&self, id: TermId) -> usize {
        self.postings[id as usize].len()
    }

    pub fn term_count(&self) -> usize {
        self.term_names.len()
    }

    /// The IDF of a word the knowledge base has never seen.
    pub fn unknown_idf(&self) -> f32 {
        self.unknown_idf
    }

    /// The term an analysed word stands for, when the knowledge base has it.
    pub fn term_id(&self, term: &str) -> Option<TermId> {
        self.terms.get(term).copied()
    }

    /// Does entry `entry` use term `id` in any field?
    pub fn entry_has(&self, entry: usize, id: TermId) -> bool {
        self.entry_terms
            .get(entry)
            .is_some_and(|t| t.binary_search(&id).is_ok())
    }

    /// The phrase of `entry` holding the most of `terms` (term, weight),
    /// titles and symptoms before summaries and causes on a tie.
    pub fn best_phrase(&self, entry: usize, terms: &[(TermId, f32)]) -> (Field, u16) {
        let e = entry as u32;
        let start = self.phrases.partition_point(|p| p.entry < e);
        let end = start + self.phrases[start..].partition_point(|p| p.entry == e);
        let mut best = (f32::MIN, Field::Title, 0u16);
        for p in start..end {
            let held: f32 = terms
                .iter()
                .filter(|(t, _)| self.phrase_terms[p].binary_search(t).is_ok())
                .map(|&(_, w)| w)
                .sum();
            let score = held * self.phrases[p].field.weight();
            if score > best.0 {
                best = (score, self.phrases[p].field, self.phrases[p].index);
            }
        }
        (best.1, best.2)
    }

    /// Looks a word up, repairing a typo when the word is unknown.
    pub fn resolve(&self, w: &Word) -> QueryTerm {
        self.resolve_with(w, true)
    }

    /// Looks a word up; repairs a typo only when `repair` is set.
    pub fn resolve_with(&self, w: &Word, repair: bool) -> QueryTerm {
        if let Some(&id) = self.terms.get(w.term.as_str()) {
            return QueryTerm {
                surface: w.surface.clone(),
                term: Some(id),
                weight: 1.0,
                corrected: false,
            };
        }
        if let Some(&id) = self.surfaces.get(w.surface.as_str()) {
            return QueryTerm {
                surface: w.surface.clone(),
                term: Some(id),
                weight: 1.0,
                corrected: false,
            };
        }
        let repaired = if repair {
            self.repair(&w.surface)
        } else {
            None
        };
        QueryTerm {
            surface: w.surface.clone(),
            term: repaired,
            weight: if repaired.is_some() { 0.8 } else { 0.0 },
            corrected: repaired.is_some(),
        }
    }

    /// The closest known word within one edit (two for long words), by
    /// symmetric deletion; ties go to the more common term.
    fn repair(&self, word: &str) -> Option<TermId> {
        let len = word.chars().count();
        if !(MIN_TYPO_LEN + 1..=30).contains(&len) || !word.chars().all(char::is_alphabetic) {
            return None;
        }
        let max = if len >= 8 { 2 } else { 1 };
        let mut best: Option<(usize, f32, TermId)> = None;
        // Measured against the words as the knowledge base writes them
        // (and their stems): `servcie` is one edit from `service`, while
        // `house` is two from `hours` and is left alone. Optimal string
        // alignment is Damerau-Levenshtein without repeated edits of one
        // substring, which is what typos are, and allocates nothing per
        // letter.
        let consider = |surface: &str, id: TermId, best: &mut Option<(usize, f32, TermId)>| {
            let d = strsim::osa_distance(word, surface);
            if d <= max {
                let key = (d, -self.idf[id as usize], id);
                if best.is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
                    *best = Some(key);
                }
            }
        };
        let chars: Vec<char> = word.chars().collect();
        for &(_, i) in self.deleted(hash_without(&chars, None)) {
            let (surface, id) = &self.surface_words[i as usize];
            consider(surface, *id, &mut best);
        }
        // every string made by deleting one character, each once: deleting
        // any character of a run of equal ones makes the same string
        let mut d = String::with_capacity(word.len());
        for i in 0..chars.len() {
            if i > 0 && chars[i] == chars[i - 1] {
                continue;
            }
            d.clear();
            d.extend(chars[..i].iter().chain(&chars[i + 1..]));
            if let Some(&id) = self.surfaces.get(d.as_str()) {
                consider(&d, id, &mut best);
            }
            for &(_, k) in self.deleted(hash_without(&chars, Some(i))) {
                let (surface, id) = &self.surface_words[k as usize];
                consider(surface, *id, &mut best);
            }
        }
        best.map(|b| b.2)
    }

    /// The surface words with a one-deletion variant whose hash is `h`.
    fn deleted(&self, h: u64) -> &[(u64, u32)] {
        let start = self.deletes.partition_point(|&(x, _)| x < h);
        let end = start + self.deletes[start..].partition_point(|&(x, _)| x == h);
        &self.deletes[start..end]
    }

    /// Scores every entry that shares a term with `text`, best first.
    pub fn query(&self, text: &str, limit: usize) -> Ranking {
        let words = self.analyzer.words(text);
        // A misspelt problem word ("disbaled") counts once repaired.
        let mut problem = words.iter().any(|w| self.analyzer.is_problem(&w.term));
        let mut terms: Vec<QueryTerm> = Vec::with_capacity(words.len());
        for w in &words {
            let q = self.resolve(w);
            // the same term twice counts once
            if q.term.is_some() && terms.iter().any(|t| t.term == q.term) {
                continue;
            }
            if let Some(id) = q.term
                && q.corrected
            {
                problem |= self.analyzer.is_problem(self.term_name(id));
            }
            terms.push(q);
        }
        let mut total = 0.0f32;
        let mut known = 0.0f32;
        for t in &terms {
            match t.term {
                Some(id) => {
                    total += self.idf(id);
                    known += self.idf(id) * t.weight;
                }
                None => total += self.unknown_idf,
            }
        }
        let coverage = if total > 0.0 { known / total } else { 0.0 };
        let hits = SCRATCH.with(|s| self.score(&terms, &mut s.borrow_mut(), limit));
        Ranking {
            terms,
            hits,
            coverage,
            problem,
        }
    }

    fn score(&self, terms: &[QueryTerm], s: &mut Scratch, limit: usize) -> Vec<Hit> {
        s.phrase_acc.resize(self.phrases.len(), 0.0);
        s.phrase_terms.resize(self.phrases.len(), 0.0);
        s.phrase_mask.resize(self.phrases.len(), 0);
        s.entry_best.resize(self.entry_count, (0.0, u32::MAX));
        s.entry_second.resize(self.entry_count, 0.0);
        s.entry_mask.resize(self.entry_count, 0);
        s.touched.clear();
        s.entry_touched.clear();

        // The message's distinct known terms, at most 64 (one bit each).
        let mut resolved: Vec<(TermId, f32)> = Vec::with_capacity(terms.len());
        for t in terms {
            if let Some(id) = t.term
                && resolved.len() < 64
                && !resolved.iter().any(|&(x, _)| x == id)
            {
                resolved.push((id, self.idf(id) * t.weight));
            }
        }
        resolved.sort_by_key(|&(id, _)| self.postings[id as usize].len());

        // Rare terms walk their postings and seed the candidate phrases;
        // a term common enough to have more postings than the cap only
        // adds to phrases already seeded (a phrase that shares nothing but
        // very common words with the message is no answer). Work then
        // follows the rare terms, however large the knowledge base; in a
        // small one no term reaches the cap and every posting is walked.
        let rare = match resolved
            .iter()
            .position(|&(id, _)| self.postings[id as usize].len() > self.postings_cap)
        {
            Some(0) => 1,
            Some(n) => n,
            None => resolved.len(),
        };
        for (bit, &(id, w)) in resolved[..rare].iter().enumerate() {
            for &p in &self.postings[id as usize] {
                let p = p as usize;
                if s.phrase_mask[p] == 0 {
                    s.touched.push(p as u32);
                }
                s.phrase_terms[p] += w;
                s.phrase_mask[p] |= 1 << bit;
            }
        }
        for (bit, &(id, w)) in resolved.iter().enumerate().skip(rare) {
            for &p in &s.touched {
                let p = p as usize;
                if self.phrase_terms[p].binary_search(&id).is_ok() {
                    s.phrase_terms[p] += w;
                    s.phrase_mask[p] |= 1 << bit;
                }
            }
        }
        // Neighbouring terms of the message that are also neighbours in a
        // phrase (either order) add a bonus: "service disabled" beats a
        // phrase that merely has both words far apart.
        let ids: Vec<TermId> = terms.iter().filter_map(|t| t.term).collect();
        for pair in neighbour_pairs(&ids) {
            if let Some((w, list)) = self.pairs.get(&pair) {
                for &p in list {
                    if s.phrase_mask[p as usize] != 0 {
                        s.phrase_acc[p as usize] += w * 0.5;
                    }
                }
            }
        }
        for &p in &s.touched {
            let p = p as usize;
            let ph = &self.phrases[p];
            let matched = s.phrase_terms[p];
            let cover = if ph.mass > 0.0 {
                (matched / ph.mass).min(1.0)
            } else {
                0.0
            };
            let score = (matched + s.phrase_acc[p]) * (0.5 + 0.5 * cover) * ph.field.weight();
            let e = ph.entry as usize;
            if s.entry_best[e].1 == u32::MAX {
                s.entry_touched.push(e as u32);
                s.entry_best[e] = (score, p as u32);
            } else if score > s.entry_best[e].0 {
                s.entry_second[e] = s.entry_best[e].0;
                s.entry_best[e] = (score, p as u32);
            } else if score > s.entry_second[e] {
                s.entry_second[e] = score;
            }
            s.entry_mask[e] |= s.phrase_mask[p];
            s.phrase_acc[p] = 0.0;
            s.phrase_terms[p] = 0.0;
            s.phrase_mask[p] = 0;
        }
        // Final score per entry: best phrase, some of the second best, and
        // the weight of the message's terms found anywhere in the entry.
        let mut cands: Vec<(f32, u32)> = Vec::with_capacity(s.entry_touched.len());
        for &e in &s.entry_touched {
            let e = e as usize;
            let mask = s.entry_mask[e];
            let bag: f32 = (0..resolved.len())
                .filter(|b| mask & (1 << b) != 0)
                .map(|b| resolved[b].1)
                .sum();
            cands.push((
                s.entry_best[e].0 + SECOND_PHRASE * s.entry_second[e] + BAG * bag,
                e as u32,
            ));
        }
        let by_score = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        let limit = limit.max(1);
        if cands.len() > limit {
            cands.select_nth_unstable_by(limit - 1, by_score);
            cands.truncate(limit);
        }
        cands.sort_unstable_by(by_score);
        let hits = cands
            .iter()
            .map(|&(score, e)| {
                let e = e as usize;
                let p = s.entry_best[e].1 as usize;
                let ph = &self.phrases[p];
                let mask = s.entry_mask[e];
                let matched = (0..resolved.len())
                    .filter(|b| mask & (1 << b) != 0)
                    .map(|b| resolved[b].0)
                    .collect();
                Hit {
                    entry: e,
                    score,
                    best_field: ph.field,
                    best_index: ph.index,
                    matched,
                }
            })
            .collect();
        for &e in &s.entry_touched {
            s.entry_best[e as usize] = (0.0, u32::MAX);
            s.entry_second[e as usize] = 0.0;
            s.entry_mask[e as usize] = 0;
        }
        hits
    }
}

fn idf(n: f32, df: f32) -> f32 {
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

fn phrases_of(e: &Entry) -> impl Iterator<Item = (Field, usize, &str)> {
    let symptoms = e
        .symptoms
        .iter()
        .enumerate()
        .map(|(i, s)| (Field::Symptom, i, s.as_str()));
    let causes = e
        .causes
        .iter()
        .enumerate()
        .map(|(i, s)| (Field::Cause, i, s.as_str()));
    std::iter::once((Field::Title, 0, e.title.as_str()))
        .chain(std::iter::once((Field::Summary, 0, e.summary.as_str())))
        .chain(symptoms)
        .chain(causes)
}

/// Unordered pairs of neighbouring terms, skipping a term paired with itself.
fn neighbour_pairs(ids: &[TermId]) -> impl Iterator<Item = (TermId, TermId)> + '_ {
    ids.windows(2)
        .filter(|w| w[0] != w[1])
        .map(|w| (w[0].min(w[1]), w[0].max(w[1])))
}

/// FNV-1a over the characters of a word, skipping the one at `skip`.
fn hash_without(chars: &[char], skip: Option<usize>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, &c) in chars.iter().enumerate() {
        if Some(i) == skip {
            continue;
        }
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{Entry, Fix, Risk, Vocabulary};

    fn kb(symptoms: &[&str]) -> KnowledgeBase {
        let entry = Entry {
            id: "e".into(),
            area: "a".into(),
            path: "a/e.toml".into(),
            codes: vec![1],
            title: "title".into(),
            summary: "summary".into(),
            symptoms: symptoms.iter().map(|s| s.to_string()).collect(),
            causes: vec![],
            fixes: vec![Fix {
                id: "f".into(),
                title: "t".into(),
                steps: vec![],
                admin: false,
                risk: Risk::Safe,
                ..Default::default()
            }],
            ask_for: None,
            applies_to: vec![],
            checked: "2026-11-27".into(),
            ..Default::default()
        };
        KnowledgeBase::new(
            vec![entry],
            vec![],
            Default::default(),
            Vocabulary::default(),
        )
    }

    #[test]
    fn typos_are_repaired_against_words_as_written() {
        let ix = Index::build(&kb(&[
            "the service waits for hours",
            "installation disabled",
        ]));
        let name = |w: &str| ix.repair(w).map(|id| ix.term_name(id).to_string());
        assert_eq!(name("servcie").as_deref(), Some("servic"));
        assert_eq!(name("disabeld").as_deref(), Some("disabl"));
        assert_eq!(name("instalation").as_deref(), Some("installation"));
        // a real word two edits from the nearest known one stays unknown
        assert_eq!(name("house"), None);
        // too short to guess at
        assert_eq!(name("hors"), None);
    }

    #[test]
    fn a_common_term_only_adds_to_phrases_rarer_terms_found() {
        let phrases: Vec<String> = (0..2000)
            .map(|i| format!("update fails number{i}"))
            .collect();
        let refs: Vec<&str> = phrases.iter().map(String::as_str).collect();
        let mut symptoms = refs.clone();
        symptoms.push("update fails with a locked file");
        let ix = Index::build(&kb(&symptoms));
        assert!(ix.postings_cap < 2000);
        let r = ix.query("update fails locked file", 3);
        assert_eq!(r.hits.len(), 1);
        assert_eq!(r.hits[0].best_field, Field::Symptom);
        assert_eq!(
            r.hits[0].best_index as usize, 2000,
            "the phrase with the rare terms wins"
        );
    }
}
