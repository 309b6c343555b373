//! What `tools/ranking/fit.py` fits on: for every labelled case, the query
//! terms as the matcher understood them and, for every entry holding any
//! of them, the term frequencies per field; plus the features that do not
//! depend on the ranking. The script recomputes BM25F and the confidence
//! from these for any parameters, so fitting needs no rebuild.

use serde_json::{Value, json};

use super::{Case, gold};
use crate::answer::{Engine, Mode};
use crate::matching::Signals;
use crate::matching::bm25::PlainBm25;

/// The first line: entry ids, their field lengths and the averages.
pub fn header(engine: &Engine) -> Value {
    let kb = engine.kb();
    let bm = engine.matcher().bm25f();
    let mut lens = Vec::with_capacity(kb.entries.len());
    let mut avg = [0.0f32; 4];
    for e in 0..kb.entries.len() {
        let (l, a) = bm.lengths(e);
        lens.push(l.to_vec());
        avg = a;
    }
    let p = bm.params();
    json!({
        "header": true,
        "entries": kb.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        "areas": kb.entries.iter().map(|e| {
            let mut a = vec![e.area.as_str()];
            a.extend(e.context.iter().map(String::as_str));
            a
        }).collect::<Vec<_>>(),
        "lens": lens,
        "avg": avg,
        "params": {"fields": p.fields, "k1": p.k1, "b": p.b, "title_query": p.title_query, "repeat": p.repeat, "pairs": p.pairs},
    })
}

/// One line per case with an entry label or an area; `None` for the
/// others. Without an entry label `gold` is null and the script may stand
/// the area in for it (`--area-proxy`).
pub fn case(engine: &Engine, plain: &PlainBm25, c: &Case) -> Option<Value> {
    let gold = gold(engine.kb(), c);
    if gold.is_none() && c.area.is_none() {
        return None;
    }
    let m = engine.matcher();
    let q = m.query(&c.text);
    let situation = engine.situation(&c.text);
    let signals = Signals::of(&situation);
    let answer = engine.answer(&c.text, Mode::Explicit);
    // which terms walk their postings (see `Bm25f::rank`)
    let (order, rare) = m.bm25f().walk_order(&m.weighted(&q));
    let walked: Vec<u32> = order[..rare].iter().map(|&(t, _)| t).collect();
    let mut terms = Vec::new();
    let mut cands: std::collections::BTreeMap<u32, Vec<Value>> = Default::default();
    for t in &q.terms {
        let Some(id) = t.term else { continue };
        let qi = terms.len();
        let walks = walked.contains(&id);
        terms.push(json!([
            t.idf,
            t.typo,
            t.in_title,
            t.in_body,
            walks,
            t.surface,
            t.body_count
        ]));
        for &(e, tf) in m.bm25f().raw_postings(id) {
            cands.entry(e).or_default().push(json!([qi, tf]));
        }
    }
    let mut pairs = Vec::new();
    let mut pair_hits: std::collections::BTreeMap<u32, Vec<Value>> = Default::default();
    for p in &q.pairs {
        let pi = pairs.len();
        let n = engine.kb().entries.len().max(1) as f64;
        let df = m.bm25f().pair_df(p.pair) as f64;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        pairs.push(json!([p.in_title, p.body_count, idf]));
        for (e, tf) in m.bm25f().raw_pair(p.pair) {
            pair_hits.entry(e).or_default().push(json!([pi, tf]));
        }
    }
    let ours = m.find_with(engine.kb(), &c.text, signals, 3);
    Some(json!({
        "id": c.id,
        "kind": c.kind,
        "gold": gold,
        "area": c.area,
        "coded": !answer.codes.is_empty() || !c.codes.is_empty(),
        "terms": terms,
        "cands": cands.into_iter().map(|(e, v)| json!([e, v])).collect::<Vec<_>>(),
        "pairs": pairs,
        "pair_hits": pair_hits.into_iter().map(|(e, v)| json!([e, v])).collect::<Vec<_>>(),
        "titled": q.titled,
        "coverage": q.coverage,
        "problem": q.problem,
        "windows": signals.windows,
        "offtopic": signals.offtopic,
        "words": q.words,
        "ours": ours.iter().map(|s| json!([s.entry, s.score, s.confidence])).collect::<Vec<_>>(),
        "bm25": plain.rank(&c.text, 3).into_iter().map(|(e, _)| e).collect::<Vec<_>>(),
    }))
}
