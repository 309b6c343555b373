//! Autocomplete for `/error`: codes, symbolic names and entry titles that
//! match what has been typed so far, at most 25 (Discord's limit), each
//! choice's value the code in hex so the command reads it exactly.

use super::fuzzy;
use crate::answer::Engine;
use crate::codes::{self, hex};
use crate::render::discord::truncate;

/// Discord shows at most this many choices.
pub const MAX_CHOICES: usize = 25;

/// Discord's limit on a choice's name and value.
pub const MAX_CHOICE_LEN: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What people see, e.g. `0x80070002 · ERROR_FILE_NOT_FOUND · Windows Update can't find…`.
    pub name: String,
    /// What the command receives: the code, e.g. `0x80070002`.
    pub value: String,
}

struct Builder<'a> {
    engine: &'a Engine,
    out: Vec<Choice>,
    limit: usize,
}

impl Builder<'_> {
    fn full(&self) -> bool {
        self.out.len() >= self.limit
    }

    /// Adds `code`, named by the tables and, when it has one, its entry.
    fn code(&mut self, code: u32) {
        if self.full() {
            return;
        }
        let value = hex(code);
        if self.out.iter().any(|c| c.value == value) {
            return;
        }
        let mut name = value.clone();
        if let Some(m) = self.engine.tables().meanings(code).first() {
            name.push_str(" · ");
            name.push_str(&m.name);
        }
        if let Some(e) = self.engine.kb().entry_for_code(code) {
            name.push_str(" · ");
            name.push_str(&e.title);
        }
        self.out.push(Choice {
            name: truncate(&name, MAX_CHOICE_LEN),
            value,
        });
    }
}

/// The hex digits of a partly typed code (`0x8007`, `80070`, `c004f0`), or
/// `None` when it isn't one.
fn hex_digits(q: &str) -> Option<String> {
    let digits = q
        .strip_prefix("0x")
        .or_else(|| q.strip_prefix("0X"))
        .unwrap_or(q);
    (!digits.is_empty() && digits.len() <= 8 && digits.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| digits.to_ascii_uppercase())
}

/// Choices for what has been typed so far, best first, at most `limit`
/// (and never more than [`MAX_CHOICES`]).
pub fn choices(engine: &Engine, partial: &str, limit: usize) -> Vec<Choice> {
    let mut b = Builder {
        engine,
        out: Vec::new(),
        limit: limit.min(MAX_CHOICES),
    };
    let q = partial.trim();
    let kb = engine.kb();
    if q.is_empty() {
        for e in &kb.entries {
            if let Some(&c) = e.codes.first() {
                b.code(c);
            }
        }
        return b.out;
    }
    // Whole codes typed (or pasted with text around them).
    let found = codes::extract(q, engine.tables(), &|c| kb.has_code(c));
    for f in &found.found {
        b.code(f.code);
    }
    for s in &found.suggestions {
        b.code(s.suggested);
    }
    // A code being typed: the knowledge base's codes that start with it,
    // then those that contain it.
    if let Some(digits) = hex_digits(q) {
        let all: Vec<u32> = kb
            .entries
            .iter()
            .flat_map(|e| e.codes.iter().copied())
            .collect();
        let shown = |c: &u32| format!("{c:08X}");
        for &c in all.iter().filter(|c| shown(c).starts_with(&digits)) {
            b.code(c);
        }
        for &c in all.iter().filter(|c| shown(c).contains(&digits)) {
            b.code(c);
        }
    }
    // Words: entry titles and ids, then symbolic names.
    let lower = q.to_lowercase();
    for e in &kb.entries {
        if (e.title.to_lowercase().contains(&lower) || e.id.contains(&lower))
            && let Some(&c) = e.codes.first()
        {
            b.code(c);
        }
    }
    let words = fuzzy::query_words(q);
    if !words.is_empty() && !b.full() {
        for c in entries_by_words(engine, &words) {
            b.code(c);
        }
    }
    if !b.full() {
        for (code, _) in engine.tables().search_names(q, b.limit - b.out.len()) {
            b.code(code);
        }
    }
    if !words.is_empty() && !b.full() {
        for c in names_by_words(engine, &words, b.limit) {
            b.code(c);
        }
    }
    b.out
}

/// The first code of each entry whose words (title, id, symptoms) match
/// every typed word; entries matched by their title first, best first.
fn entries_by_words(engine: &Engine, words: &[String]) -> Vec<u32> {
    let mut scored: Vec<(bool, u32, u32)> = Vec::new();
    for e in &engine.kb().entries {
        let Some(&code) = e.codes.first() else {
            continue;
        };
        let mut own = fuzzy::text_words(&e.title);
        own.extend(fuzzy::text_words(&e.id));
        let in_title = fuzzy::score(words, &own);
        for s in &e.symptoms {
            own.extend(fuzzy::text_words(s));
        }
        let all = fuzzy::score(words, &own);
        if all > 0 {
            scored.push((in_title > 0, in_title.max(all), code));
        }
    }
    scored.sort_by_key(|s| std::cmp::Reverse((s.0, s.1)));
    scored.into_iter().map(|(_, _, c)| c).collect()
}

/// Codes whose symbolic name's parts match every typed word
/// (`file not fou` → `ERROR_FILE_NOT_FOUND`), best and shortest first.
fn names_by_words(engine: &Engine, words: &[String], limit: usize) -> Vec<u32> {
    let mut scored: Vec<(u32, usize, u32)> = engine
        .tables()
        .all_names()
        .filter_map(|(name, code)| {
            let s = fuzzy::score(words, &fuzzy::text_words(name));
            (s > 0 && code != 0).then_some((s, name.len(), code))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(limit * 2)
        .map(|(_, _, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;

    fn engine() -> &'static Engine {
        static E: OnceLock<Engine> = OnceLock::new();
        E.get_or_init(|| Engine::bundled().unwrap())
    }

    #[track_caller]
    fn check(partial: &str) -> Vec<Choice> {
        let out = choices(engine(), partial, MAX_CHOICES);
        assert!(
            out.len() <= MAX_CHOICES,
            "{partial:?}: {} choices",
            out.len()
        );
        for c in &out {
            assert!(
                !c.name.is_empty() && c.name.chars().count() <= MAX_CHOICE_LEN,
                "{c:?}"
            );
            assert!(c.value.starts_with("0x") && c.value.len() == 10, "{c:?}");
        }
        let mut values: Vec<&str> = out.iter().map(|c| c.value.as_str()).collect();
        values.sort_unstable();
        values.dedup();
        assert_eq!(values.len(), out.len(), "{partial:?}: duplicates");
        out
    }

    #[test]
    fn codes_names_and_titles_complete() {
        let cases: &[(&str, &str)] = &[
            ("0x80070002", "0x80070002"),
            ("80070002", "0x80070002"),
            ("0x8007000", "0x80070002"),
            ("c004f07", "0xC004F074"),
            ("ERROR_FILE_NOT", "0x80070002"),
            ("file_not_found", "0x80070002"),
            ("error 0x80070005 when updating", "0x80070005"),
        ];
        for &(partial, want) in cases {
            let out = check(partial);
            assert!(
                out.iter().any(|c| c.value == want),
                "{partial:?} -> {out:?}"
            );
        }
        let e = &engine().kb().entries[0];
        let word = e.title.split_whitespace().max_by_key(|w| w.len()).unwrap();
        assert!(
            check(word).iter().any(|c| c.value == hex(e.codes[0])),
            "{word}"
        );
    }

    fn values(partial: &str) -> Vec<String> {
        check(partial).into_iter().map(|c| c.value).collect()
    }

    #[test]
    fn several_words_in_any_order_complete() {
        for q in ["disk full", "full disk", "DISK  full", "not enough disk"] {
            assert!(
                values(q).contains(&"0x80070070".to_string()),
                "{q:?} -> {:?}",
                values(q)
            );
        }
        for q in ["file not", "file not fou", "not found file"] {
            assert!(
                values(q).contains(&"0x80070002".to_string()),
                "{q:?} -> {:?}",
                values(q)
            );
        }
    }

    #[test]
    fn words_with_typos_complete() {
        for q in ["dsik full", "disk fulll", "flie not foun"] {
            assert!(!values(q).is_empty(), "{q:?} gave nothing");
        }
        assert!(values("dsik full").contains(&"0x80070070".to_string()));
        assert!(values("flie not foun").contains(&"0x80070002".to_string()));
    }

    #[test]
    fn every_word_must_match() {
        assert!(values("disk zzzzqqq").is_empty());
        assert!(values("qqqq wwww").is_empty());
        let many = "word ".repeat(400);
        check(&many);
    }

    #[test]
    fn empty_and_wide_queries_stay_within_limits() {
        assert_eq!(
            check("").len(),
            MAX_CHOICES.min(engine().kb().entries.len())
        );
        for q in [
            "0",
            "8",
            "e",
            "ERROR",
            "update",
            "a",
            "zzzzqqq",
            "0x",
            "💥",
            &"x".repeat(500),
        ] {
            check(q);
        }
        assert!(check("zzzzqqq").is_empty());
        assert_eq!(choices(engine(), "ERROR", 3).len(), 3);
    }
}
