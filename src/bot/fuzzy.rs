//! Matching the words typed so far against the words of a title or a
//! symbolic name, for autocomplete: every typed word must match some word,
//! in any order, as a prefix ("fou" → "found") or with a typo ("dsik" →
//! "disk"). Typed input is capped so each keystroke costs little.

/// At most this many typed words are used.
pub const MAX_WORDS: usize = 8;
/// Typed words longer than this are cut.
const MAX_WORD: usize = 32;

/// The typed words: lower case, letters and digits only, at most
/// [`MAX_WORDS`] of them, each at most 32 characters.
pub fn query_words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .map(|w| w.chars().take(MAX_WORD).collect::<String>().to_lowercase())
        .collect()
}

/// The words of a text (title, id, symbolic name), lower case.
pub fn text_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// How well typed word `q` matches word `w`: 3 the same, 2 a prefix of it,
/// 1 one typo away (two for long words) from it or from its start; 0 not.
pub fn word_score(q: &str, w: &str) -> u8 {
    if q == w {
        return 3;
    }
    if w.starts_with(q) {
        return 2;
    }
    let n = q.chars().count();
    // Typos are looked for in words of four letters or more that start
    // with the same letter: few people mistype the first one.
    if n < 4 || q.chars().next() != w.chars().next() {
        return 0;
    }
    let allowed = if n >= 8 { 2 } else { 1 };
    let close = |a: &str| strsim::damerau_levenshtein(q, a) <= allowed;
    // A partly typed word: compare with the start of `w`, one longer or
    // shorter too, since a typo may add or drop a letter.
    let start = |k: usize| w.chars().take(k).collect::<String>();
    if close(w) || close(&start(n)) || close(&start(n + 1)) || close(&start(n - 1)) {
        1
    } else {
        0
    }
}

/// The score of `words` for all typed words `query`: the sum of each typed
/// word's best match, or 0 when some typed word matches nothing.
pub fn score(query: &[String], words: &[String]) -> u32 {
    let mut total = 0;
    for q in query {
        let best = words.iter().map(|w| word_score(q, w)).max().unwrap_or(0);
        if best == 0 {
            return 0;
        }
        total += u32::from(best);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        text_words(s)
    }

    #[test]
    fn prefixes_typos_and_order() {
        assert_eq!(word_score("disk", "disk"), 3);
        assert_eq!(word_score("fou", "found"), 2);
        assert_eq!(word_score("dsik", "disk"), 1);
        assert_eq!(word_score("foun", "found"), 2);
        assert_eq!(word_score("flie", "file"), 1);
        assert_eq!(word_score("xyz", "disk"), 0);
        assert_eq!(word_score("dis", "dsik"), 0);
        let t = words("Not enough free disk space");
        assert!(score(&query_words("space disk"), &t) > 0);
        assert_eq!(score(&query_words("disk zzzz"), &t), 0);
        assert!(score(&query_words("disk"), &t) > score(&query_words("dsik"), &t));
    }

    #[test]
    fn query_is_capped() {
        let q = query_words(&format!("{} {}", "a ".repeat(50), "b".repeat(500)));
        assert_eq!(q.len(), MAX_WORDS);
        assert!(query_words(&"x".repeat(500))[0].len() <= 32);
        assert!(query_words("  ,, ").is_empty());
    }
}
