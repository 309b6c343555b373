//! Choosing among the entries that claim one code: each entry is for a
//! context (areas, Windows versions), and the message's facts say which
//! context it is in. Each candidate gets a few features; a weighted sum
//! picks the entry. The weights are data (`knowledge/facts/context.toml`),
//! fitted by cross-validation on labelled real posts with
//! `tools/fit/context_weights.py`.

use std::sync::Arc;

use crate::kb::{Entry, KnowledgeBase, Ladder, fits};
use crate::matching::SymptomMatch;
use crate::situation::Situation;

use super::Alternative;

/// The versions that fixes and entries are written for by default.
const CURRENT: [&str; 2] = ["10", "11"];

/// One candidate entry and its features.
pub type Candidate = (String, [f32; FEATURES]);

/// How many features a candidate has.
pub const FEATURES: usize = 6;

/// Feature names, in order, as the weights file and the fitting script
/// call them.
pub const NAMES: [&str; FEATURES] = [
    "presence",
    "specificity",
    "hits",
    "symptom",
    "general",
    "version",
];

/// The weights used when the knowledge base gives none.
pub const DEFAULT_WEIGHTS: [f32; FEATURES] = [1.0, 2.0, 1.0, 1.0, 0.5, 1.0];

/// The features of entry `e` for a message:
/// - presence: how many of its context areas the message names;
/// - specificity: of those, the most specific one's place in
///   `facts/areas.toml` (0 for the first, most general, to 1);
/// - hits: how often the message names them (capped at 5, scaled to 1);
/// - symptom: the confidence of the entry's symptom match;
/// - general: 1 for a code's general entry (no `context` in its file);
/// - version: 1 when the entry is only for old versions and the message
///   names one of them; -1 when the message names a version the entry is
///   not for, or names none and the entry is only for old versions; 0
///   otherwise.
pub fn features_for(
    kb: &KnowledgeBase,
    e: &Entry,
    situation: &Situation,
    symptoms: &[SymptomMatch],
) -> [f32; FEATURES] {
    let n_areas = kb.facts.areas.len().max(1) as f32;
    let mut presence = 0.0;
    let mut specificity: f32 = 0.0;
    let mut hits = 0u32;
    for a in &e.context {
        let h = situation.area_hits(a);
        if h > 0 {
            presence += 1.0;
            hits += h;
            if let Some(rank) = kb.facts.areas.iter().position(|x| &x.id == a) {
                specificity = specificity.max(rank as f32 / n_areas);
            }
        }
    }
    let symptom = symptoms
        .iter()
        .find(|s| std::ptr::eq(kb.entries[s.entry].as_ref(), e))
        .map_or(0.0, |s| s.confidence);
    let general = if e.context_given { 0.0 } else { 1.0 };
    // Entries for old Windows only count when the message names it.
    let legacy = !e.versions.is_empty() && !CURRENT.iter().any(|c| fits(&e.versions, c));
    let version = match &situation.version {
        _ if e.versions.is_empty() => 0.0,
        Some(v) if fits(&e.versions, &v.id) && legacy => 1.0,
        Some(v) if fits(&e.versions, &v.id) => 0.0,
        Some(_) => -1.0,
        None if legacy => -1.0,
        None => 0.0,
    };
    [
        presence,
        specificity,
        hits.min(5) as f32 / 5.0,
        symptom,
        general,
        version,
    ]
}

fn score(w: &[f32; FEATURES], f: &[f32; FEATURES]) -> f32 {
    w.iter().zip(f).map(|(a, b)| a * b).sum()
}

/// Of the entries that claim `code`, the one whose context the message
/// points at; the others, as alternatives. Ties go to the code's general
/// entry (no `context` in its file), then to the entry of the more general
/// area, then to the knowledge base's order.
pub(super) fn pick_entry<'k>(
    kb: &'k KnowledgeBase,
    code: u32,
    situation: &Situation,
    symptoms: &[SymptomMatch],
) -> (Option<&'k Arc<Entry>>, Vec<Alternative>) {
    let w = kb.facts.context_weights.unwrap_or(DEFAULT_WEIGHTS);
    let candidates: Vec<&Arc<Entry>> = kb.entries_for_code(code).collect();
    let mut best: Option<(&Arc<Entry>, f32, (bool, usize))> = None;
    if candidates.len() == 1 {
        best = Some((candidates[0], 0.0, (false, 0)));
    } else {
        for e in &candidates {
            let s = score(&w, &features_for(kb, e, situation, symptoms));
            // On a tie (a bare code says nothing of its context), the
            // code's general entry, as `entry_for_code` picks it.
            let rank = (e.context_given, kb.area_rank(e));
            if best.is_none_or(|(_, b, r)| s > b || (s == b && rank < r)) {
                best = Some((e, s, rank));
            }
        }
    }
    let chosen = best.map(|(e, _, _)| e);
    let alternatives = candidates
        .iter()
        .filter(|e| chosen.is_some_and(|c| !Arc::ptr_eq(c, e)))
        .map(|e| Alternative {
            entry: e.id.clone(),
            title: e.title.clone(),
            area: e
                .context
                .first()
                .and_then(|a| kb.facts.area(a))
                .map_or_else(|| e.area.clone(), |a| a.name.clone()),
        })
        .collect();
    (chosen, alternatives)
}

/// Families whose ladder says only "find which program raised the code":
/// the post's area knows more.
const GENERAL_FAMILIES: &[&str] = &["win32", "hresult", "generic"];

/// The ladder for a code with no entry: its own (`ladder`), unless that is
/// a general family's and the message is clearly about an area with a
/// ladder of its own (`facts/areas.toml`), which then serves instead.
pub fn area_ladder<'k>(
    kb: &'k KnowledgeBase,
    ladder: Option<&'k Arc<Ladder>>,
    situation: &Situation,
) -> Option<&'k Arc<Ladder>> {
    let general = ladder.is_none_or(|l| {
        l.prefix.is_none() && l.range.is_none() && GENERAL_FAMILIES.contains(&l.family.as_str())
    });
    if !general {
        return ladder;
    }
    // The area named most, at least twice, and more often than any other.
    let top = match situation.areas.as_slice() {
        [(a, n), rest @ ..] if *n >= 2 && rest.first().is_none_or(|(_, m)| m < n) => a,
        _ => return ladder,
    };
    kb.facts
        .areas
        .iter()
        .find(|a| &a.id == top)
        .and_then(|a| a.ladder.as_deref())
        .and_then(|key| kb.ladder_by_key(key))
        .or(ladder)
}
