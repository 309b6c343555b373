//! Characters that are invisible or only decorate the letter before them
//! (zero-width spaces and joiners, the byte-order mark, soft hyphens,
//! direction marks, combining accents, variation selectors) can sit inside
//! a pasted code without anyone seeing them. The scanner reads the text
//! without them; [`Cleaned::original`] maps positions back to the text as
//! written.

/// Whether `c` is dropped before scanning.
pub(crate) fn ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' // soft hyphen
        | '\u{034F}' // combining grapheme joiner
        | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}' // zero-width space, joiners, direction marks
        | '\u{202A}'..='\u{202E}' // direction embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // direction isolates
        | '\u{FEFF}' // byte-order mark, zero-width no-break space
        | '\u{0300}'..='\u{036F}' // combining diacritical marks
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE00}'..='\u{FE0F}' // variation selectors
        | '\u{FE20}'..='\u{FE2F}'
    )
}

/// A text without its ignorable characters, and where each of its bytes
/// was in the original.
pub(crate) struct Cleaned {
    pub text: String,
    /// `map[i]` is the original offset of byte `i`; one more entry for the end.
    map: Vec<usize>,
}

impl Cleaned {
    /// The original offset of cleaned offset `i` (as a start).
    pub fn original(&self, i: usize) -> usize {
        self.map[i.min(self.map.len() - 1)]
    }

    /// The original offset just after cleaned byte `i - 1` (as an end), so
    /// that a span keeps the ignorable characters inside it.
    pub fn original_end(&self, i: usize) -> usize {
        if i == 0 {
            return 0;
        }
        let last = self.map[(i - 1).min(self.map.len() - 1)];
        // The byte after the last kept byte of the span.
        last + 1
    }
}

/// `None` when the text has nothing to drop (the common case: no copy).
pub(crate) fn clean(text: &str) -> Option<Cleaned> {
    // every ignorable character is outside ASCII
    let first = text.bytes().position(|b| !b.is_ascii())?;
    if !text[first..].chars().any(ignorable) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        if ignorable(c) {
            continue;
        }
        out.push(c);
        map.extend(i..i + c.len_utf8());
    }
    map.push(text.len());
    Some(Cleaned { text: out, map })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_to_the_original() {
        let t = "a\u{200B}b\u{0301}c";
        let c = clean(t).unwrap();
        assert_eq!(c.text, "abc");
        assert_eq!(c.original(0), 0);
        assert_eq!(c.original(1), 4);
        assert_eq!(c.original(2), 7);
        assert_eq!(c.original_end(3), 8);
        assert_eq!(c.original(3), t.len());
        assert_eq!(&t[c.original(1)..c.original_end(2)], "b");
        assert!(clean("plain text").is_none());
    }
}
