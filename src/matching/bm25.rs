//! Ranking entries for a post: BM25F over each entry's four fields (title,
//! symptoms, summary, causes), fed by the knowledge base's own analysis
//! (abbreviations, stemming, synonyms, typo repair), with parameters fitted
//! on real posts ([`crate::kb::Ranking`]); and plain BM25, untuned, as the
//! reference it is measured against.
//!
//! BM25F sums, per field, the term frequency normalised by the field's
//! length and weighted by the field, then saturates the sum once per term:
//! a word in the title and in three symptoms is strong evidence, but not
//! four times a word in one. Everything that depends only on the knowledge
//! base is computed when the index is built, so a query adds one number per
//! posting.

use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;

use super::index::{Index, TermId};
use super::post::MAX_POST_BYTES;
use super::text::{Analyzer, raw_words, stem};
use crate::kb::{Bm25fParams, Entry, KnowledgeBase, Vocabulary};

/// The four fields, in the order of [`Bm25fParams::fields`].
pub const FIELDS: [&str; 4] = ["title", "symptoms", "summary", "causes"];

/// Terms held by more entries than this only add to entries that rarer
/// terms found: a post that shares nothing but very common words with an
/// entry is no answer, and the work per query follows the rare terms.
const MIN_CAP: usize = 64;

/// Per entry holding a pair: (entry, times side by side, its weight).
type PairPostings = Vec<(u32, u16, f32)>;

/// One posting's term frequency per field.
pub type FieldTf = [u16; 4];

#[derive(Debug, Default)]
pub struct Bm25f {
    params: Bm25fParams,
    /// Per term: (entry, idf · t̃f / (k1 + t̃f)), by entry.
    postings: Vec<Vec<(u32, f32)>>,
    /// Per term: (entry, term frequency per field), by entry.
    raw: Vec<Vec<(u32, FieldTf)>>,
    /// Neighbouring pair of terms (smaller id first) -> (entry, how many
    /// times the pair stands side by side in its phrases, idf · tf/(k1 + tf)).
    pairs: HashMap<(TermId, TermId), PairPostings>,
    /// Per entry: terms per field.
    lens: Vec<FieldTf>,
    avg: [f32; 4],
    cap: usize,
}

thread_local! {
    static ACC: RefCell<(Vec<f32>, Vec<u32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

fn fields_of(e: &Entry) -> [Vec<&str>; 4] {
    [
        vec![e.title.as_str()],
        e.symptoms.iter().map(String::as_str).collect(),
        vec![e.summary.as_str()],
        e.causes.iter().map(String::as_str).collect(),
    ]
}

impl Bm25f {
    /// The index over `kb`'s entries, with the terms of `index`.
    pub fn build(kb: &KnowledgeBase, index: &Index, params: Bm25fParams) -> Bm25f {
        let mut ix = Bm25f {
            params,
            postings: vec![Vec::new(); index.term_count()],
            raw: vec![Vec::new(); index.term_count()],
            ..Bm25f::default()
        };
        let mut tf: HashMap<TermId, FieldTf> = HashMap::default();
        let mut pair_tf: HashMap<(TermId, TermId), u16> = HashMap::default();
        for (ei, e) in kb.entries.iter().enumerate() {
            tf.clear();
            pair_tf.clear();
            let mut lens: FieldTf = [0; 4];
            for (f, texts) in fields_of(e).iter().enumerate() {
                for text in texts {
                    let mut prev: Option<TermId> = None;
                    for w in index.analyzer().words(text) {
                        let Some(id) = index.term_id(&w.term) else {
                            continue;
                        };
                        let slot = tf.entry(id).or_default();
                        slot[f] = slot[f].saturating_add(1);
                        lens[f] = lens[f].saturating_add(1);
                        if let Some(p) = prev
                            && p != id
                        {
                            let n = pair_tf.entry((p.min(id), p.max(id))).or_default();
                            *n = n.saturating_add(1);
                        }
                        prev = Some(id);
                    }
                }
            }
            for (&pair, &n) in &pair_tf {
                ix.pairs.entry(pair).or_default().push((ei as u32, n, 0.0));
            }
            let mut terms: Vec<(TermId, FieldTf)> = tf.iter().map(|(&t, &c)| (t, c)).collect();
            terms.sort_unstable_by_key(|&(t, _)| t);
            for (t, c) in terms {
                ix.raw[t as usize].push((ei as u32, c));
            }
            ix.lens.push(lens);
        }
        let n = kb.entries.len().max(1) as f32;
        for f in 0..4 {
            let total: f32 = ix.lens.iter().map(|l| f32::from(l[f])).sum();
            ix.avg[f] = (total / n).max(1e-3);
        }
        for (t, list) in ix.raw.iter().enumerate() {
            let idf = index.idf(t as TermId);
            ix.postings[t] = list
                .iter()
                .map(|&(e, c)| (e, idf * ix.saturated(&c, &ix.lens[e as usize])))
                .collect();
        }
        let k1 = ix.params.k1;
        for list in ix.pairs.values_mut() {
            list.sort_unstable_by_key(|&(e, _, _)| e);
            let df = list.len() as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for p in list.iter_mut() {
                let tf = f32::from(p.1);
                p.2 = idf * tf / (k1 + tf);
            }
        }
        ix.cap = (kb.entries.len() / 8).max(MIN_CAP);
        ix
    }

    /// The entries where `pair` stands side by side: (entry, times).
    pub fn raw_pair(&self, pair: (TermId, TermId)) -> impl Iterator<Item = (u32, u16)> + '_ {
        self.pairs
            .get(&pair)
            .into_iter()
            .flatten()
            .map(|&(e, n, _)| (e, n))
    }

    /// Does entry `entry` hold `pair` side by side?
    pub fn pair_has(&self, pair: (TermId, TermId), entry: usize) -> bool {
        self.pairs.get(&pair).is_some_and(|list| {
            list.binary_search_by_key(&entry, |&(e, _, _)| e as usize)
                .is_ok()
        })
    }

    /// How many entries hold `pair`.
    pub fn pair_df(&self, pair: (TermId, TermId)) -> usize {
        self.pairs.get(&pair).map_or(0, Vec::len)
    }

    /// t̃f / (k1 + t̃f) for one entry's frequencies.
    fn saturated(&self, tf: &FieldTf, lens: &FieldTf) -> f32 {
        let p = &self.params;
        let mut t = 0.0;
        for f in 0..4 {
            if tf[f] > 0 {
                let norm = 1.0 - p.b + p.b * f32::from(lens[f]) / self.avg[f];
                t += p.fields[f] * f32::from(tf[f]) / norm.max(1e-3);
            }
        }
        t / (p.k1 + t)
    }

    pub fn params(&self) -> &Bm25fParams {
        &self.params
    }

    /// Per term: the entries holding it with their frequencies per field.
    pub fn raw_postings(&self, t: TermId) -> &[(u32, FieldTf)] {
        &self.raw[t as usize]
    }

    /// Terms per field of entry `e`, and the average per field.
    pub fn lengths(&self, e: usize) -> (FieldTf, [f32; 4]) {
        (self.lens[e], self.avg)
    }

    /// `terms` ordered rarest first, and how many of them walk their
    /// postings (the others only add to entries those found).
    pub fn walk_order(&self, terms: &[(TermId, f32)]) -> (Vec<(TermId, f32)>, usize) {
        let mut order: Vec<(TermId, f32)> = terms.to_vec();
        order.sort_by_key(|&(t, _)| self.postings[t as usize].len());
        let rare = match order
            .iter()
            .position(|&(t, _)| self.postings[t as usize].len() > self.cap)
        {
            Some(0) => 1.min(order.len()),
            Some(n) => n,
            None => order.len(),
        };
        (order, rare)
    }

    /// The best `limit` entries for `terms` (term, query weight) and the
    /// post's neighbouring `pairs` (pair, query weight), best first, with
    /// their scores. Pairs only add to entries the terms found.
    pub fn rank(
        &self,
        terms: &[(TermId, f32)],
        pairs: &[((TermId, TermId), f32)],
        limit: usize,
    ) -> Vec<(usize, f32)> {
        let (order, rare) = self.walk_order(terms);
        ACC.with(|cell| {
            let (acc, touched) = &mut *cell.borrow_mut();
            acc.resize(self.lens.len(), 0.0);
            touched.clear();
            for &(t, w) in &order[..rare] {
                for &(e, s) in &self.postings[t as usize] {
                    // a field weighted 0 adds nothing and finds nothing
                    if w * s <= 0.0 {
                        continue;
                    }
                    if acc[e as usize] == 0.0 {
                        touched.push(e);
                    }
                    acc[e as usize] += w * s;
                }
            }
            for &(t, w) in &order[rare..] {
                let list = &self.postings[t as usize];
                if list.len() <= touched.len() * 8 {
                    // cheaper to walk the postings, adding to found entries only
                    for &(e, s) in list {
                        if acc[e as usize] > 0.0 {
                            acc[e as usize] += w * s;
                        }
                    }
                } else {
                    for &e in touched.iter() {
                        if let Ok(i) = list.binary_search_by_key(&e, |&(x, _)| x) {
                            acc[e as usize] += w * list[i].1;
                        }
                    }
                }
            }
            if self.params.pairs > 0.0 {
                for (pair, w) in pairs {
                    for &(e, _, s) in self.pairs.get(pair).into_iter().flatten() {
                        if acc[e as usize] > 0.0 {
                            acc[e as usize] += self.params.pairs * w * s;
                        }
                    }
                }
            }
            let mut out: Vec<(usize, f32)> = touched
                .iter()
                .map(|&e| (e as usize, acc[e as usize]))
                .collect();
            for &e in touched.iter() {
                acc[e as usize] = 0.0;
            }
            top(&mut out, limit);
            out
        })
    }
}

/// Keeps the best `limit` (entry, score) pairs, best first; ties go to the
/// knowledge base's order.
fn top(list: &mut Vec<(usize, f32)>, limit: usize) {
    let by = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    let limit = limit.max(1);
    if list.len() > limit {
        list.select_nth_unstable_by(limit - 1, by);
        list.truncate(limit);
    }
    list.sort_unstable_by(by);
}

/// Textbook BM25 over title + summary + symptoms as one document, with
/// lower-cased words, stop words dropped and light stemming: no synonyms,
/// no typo repair, no reading of the post, k1 = 1.2, b = 0.75. The
/// reference the ranking must beat.
#[derive(Debug, Default)]
pub struct PlainBm25 {
    /// Only its stop words are used.
    stop: Analyzer,
    terms: HashMap<String, u32>,
    /// Per term: (entry, its BM25 weight), by entry.
    postings: Vec<Vec<(u32, f32)>>,
    entries: usize,
}

pub const PLAIN_K1: f32 = 1.2;
pub const PLAIN_B: f32 = 0.75;

impl PlainBm25 {
    pub fn build(kb: &KnowledgeBase) -> PlainBm25 {
        let stop = Analyzer::new(&Vocabulary::default());
        let mut ix = PlainBm25 {
            entries: kb.entries.len(),
            ..PlainBm25::default()
        };
        let mut docs: Vec<HashMap<u32, u32>> = Vec::with_capacity(kb.entries.len());
        let mut lens = Vec::with_capacity(kb.entries.len());
        for e in &kb.entries {
            let mut tf: HashMap<u32, u32> = HashMap::default();
            let mut len = 0u32;
            let texts = std::iter::once(&e.title)
                .chain(std::iter::once(&e.summary))
                .chain(&e.symptoms);
            for text in texts {
                for w in raw_words(text) {
                    if stop.is_stopword(&w) {
                        continue;
                    }
                    let next = ix.terms.len() as u32;
                    let id = *ix.terms.entry(stem(&w)).or_insert(next);
                    if id as usize == ix.postings.len() {
                        ix.postings.push(Vec::new());
                    }
                    *tf.entry(id).or_default() += 1;
                    len += 1;
                }
            }
            docs.push(tf);
            lens.push(len as f32);
        }
        let n = kb.entries.len().max(1) as f32;
        let avg = (lens.iter().sum::<f32>() / n).max(1e-3);
        for (e, tf) in docs.iter().enumerate() {
            let mut terms: Vec<(&u32, &u32)> = tf.iter().collect();
            terms.sort_unstable();
            for (&t, &c) in terms {
                let c = c as f32;
                let norm = 1.0 - PLAIN_B + PLAIN_B * lens[e] / avg;
                ix.postings[t as usize]
                    .push((e as u32, c * (PLAIN_K1 + 1.0) / (c + PLAIN_K1 * norm)));
            }
        }
        for list in &mut ix.postings {
            let df = list.len() as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for p in list.iter_mut() {
                p.1 *= idf;
            }
        }
        ix.stop = stop;
        ix
    }

    /// The best `limit` entries for the whole of `text`, best first.
    pub fn rank(&self, text: &str, limit: usize) -> Vec<(usize, f32)> {
        let stop = &self.stop;
        let mut acc = vec![0.0f32; self.entries];
        let text = &text[..floor_boundary(text, MAX_POST_BYTES)];
        for w in raw_words(text) {
            if stop.is_stopword(&w) {
                continue;
            }
            if let Some(&t) = self.terms.get(&stem(&w)) {
                for &(e, s) in &self.postings[t as usize] {
                    acc[e as usize] += s;
                }
            }
        }
        let mut out: Vec<(usize, f32)> = acc
            .into_iter()
            .enumerate()
            .filter(|&(_, s)| s > 0.0)
            .collect();
        top(&mut out, limit);
        out
    }
}

fn floor_boundary(text: &str, max: usize) -> usize {
    if text.len() <= max {
        return text.len();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::Fix;

    fn entry(id: &str, title: &str, symptoms: &[&str], causes: &[&str]) -> Entry {
        Entry {
            id: id.into(),
            area: "a".into(),
            path: format!("a/{id}.toml"),
            codes: vec![1],
            title: title.into(),
            summary: "summary".into(),
            symptoms: symptoms.iter().map(|s| s.to_string()).collect(),
            causes: causes.iter().map(|s| s.to_string()).collect(),
            fixes: vec![Fix {
                id: "f".into(),
                title: "t".into(),
                ..Default::default()
            }],
            checked: "2026-11-27".into(),
            ..Default::default()
        }
    }

    fn kb() -> KnowledgeBase {
        KnowledgeBase::new(
            vec![
                entry(
                    "store",
                    "Store downloads stay pending",
                    &["apps never download", "stuck at pending"],
                    &["store cache damaged"],
                ),
                entry(
                    "printer",
                    "Printer is offline",
                    &["printer shows offline", "cannot print"],
                    &["spooler stopped"],
                ),
                entry(
                    "cache",
                    "Update cache",
                    &["update fails"],
                    &["cache damaged", "cache folder full"],
                ),
            ],
            vec![],
            Default::default(),
            Vocabulary::default(),
        )
    }

    fn ranked(params: Bm25fParams, text: &str) -> Vec<usize> {
        let kb = kb();
        let ix = Index::build(&kb);
        let bm = Bm25f::build(&kb, &ix, params);
        let terms: Vec<(TermId, f32)> = ix
            .analyzer()
            .words(text)
            .iter()
            .filter_map(|w| ix.term_id(&w.term).map(|t| (t, 1.0)))
            .collect();
        bm.rank(&terms, &[], 3)
            .into_iter()
            .map(|(e, _)| e)
            .collect()
    }

    #[test]
    fn field_weights_decide_between_fields() {
        // "cache": a cause of the store entry, title and causes of the cache entry
        let causes_heavy = Bm25fParams {
            fields: [0.0, 0.0, 0.0, 5.0],
            ..Default::default()
        };
        let title_only = Bm25fParams {
            fields: [1.0, 0.0, 0.0, 0.0],
            ..Default::default()
        };
        assert_eq!(ranked(causes_heavy, "store cache damaged pending")[0], 0);
        assert_eq!(ranked(title_only, "update cache"), vec![2]);
    }

    #[test]
    fn a_term_in_many_fields_saturates() {
        let kb = kb();
        let ix = Index::build(&kb);
        let bm = Bm25f::build(&kb, &ix, Bm25fParams::default());
        let cache = ix.term_id(&ix.analyzer().term("cache")).unwrap();
        let (_, s) = bm.rank(&[(cache, 1.0)], &[], 1)[0];
        assert!(s < ix.idf(cache), "saturated below its idf: {s}");
        assert_eq!(bm.raw_postings(cache).len(), 2);
    }

    #[test]
    fn words_side_by_side_add_to_entries_that_hold_them_so() {
        let kb = kb();
        let ix = Index::build(&kb);
        let id = |w: &str| ix.term_id(&ix.analyzer().term(w)).unwrap();
        let (cache, damaged) = (id("cache"), id("damaged"));
        let pair = (cache.min(damaged), cache.max(damaged));
        let terms = [(cache, 1.0), (damaged, 1.0)];
        let without = Bm25f::build(
            &kb,
            &ix,
            Bm25fParams {
                pairs: 0.0,
                ..Default::default()
            },
        );
        let with = Bm25f::build(
            &kb,
            &ix,
            Bm25fParams {
                pairs: 2.0,
                ..Default::default()
            },
        );
        let score = |b: &Bm25f, e: usize| {
            b.rank(&terms, &[(pair, 1.0)], 3)
                .into_iter()
                .find(|&(x, _)| x == e)
                .unwrap()
                .1
        };
        // both entries hold "cache damaged" side by side
        assert!(score(&with, 0) > score(&without, 0));
        assert_eq!(with.raw_pair(pair).count(), 2);
        assert_eq!(with.pair_df((cache, cache)), 0);
    }

    #[test]
    fn plain_bm25_ranks_by_shared_rare_words() {
        let kb = kb();
        let plain = PlainBm25::build(&kb);
        let r = plain.rank("my printer says offline", 3);
        assert_eq!(r[0].0, 1);
        assert!(plain.rank("nothing in common here", 3).is_empty());
    }
}
