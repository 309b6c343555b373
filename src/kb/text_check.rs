//! Characters no knowledge text may hold: C0 and C1 controls (ESC can clear
//! a terminal, BEL rings it), DEL, and the bidirectional overrides and
//! isolates that make text read differently from how it is stored
//! (U+202E). Checked on the file as written, so every field, comment and
//! escape (`\u001b`, `\e`) is covered with its line.

use super::problem::Lines;

/// Whether `c` may not appear in knowledge text. Tabs and line breaks may.
pub(crate) fn forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Every forbidden character in `text`, written as itself or as a TOML
/// escape, with its 1-based line: at most one per line.
pub(crate) fn forbidden_chars(text: &str) -> Vec<(usize, char)> {
    let lines = Lines::new(text);
    let mut out: Vec<(usize, char)> = Vec::new();
    let mut push = |offset: usize, c: char| out.push((lines.line_of(offset), c));
    let b = text.as_bytes();
    // Escapes only mean something in basic strings ("…" and """…"""):
    // a Windows path in a literal string ('C:\etc') is text.
    let mut state = State::Outside;
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        match state {
            State::Outside => {
                if rest.starts_with(b"\"\"\"") {
                    state = State::Basic(true);
                    i += 3;
                    continue;
                } else if rest.starts_with(b"\'\'\'") {
                    state = State::Literal(true);
                    i += 3;
                    continue;
                }
                match b[i] {
                    b'"' => state = State::Basic(false),
                    b'\'' => state = State::Literal(false),
                    b'#' => state = State::Comment,
                    _ => {}
                }
            }
            State::Comment if b[i] == b'\n' => state = State::Outside,
            State::Basic(multi) => {
                if b[i] == b'\\' {
                    if let Some(e) = escaped(&b[i + 1..])
                        && forbidden(e)
                    {
                        push(i, e);
                    }
                    i += 2; // the escaped character is never a quote or a backslash
                    continue;
                }
                if multi && rest.starts_with(b"\"\"\"") {
                    state = State::Outside;
                    i += 3;
                    continue;
                }
                if !multi && (b[i] == b'"' || b[i] == b'\n') {
                    state = State::Outside;
                }
            }
            State::Literal(multi) => {
                if multi && rest.starts_with(b"\'\'\'") {
                    state = State::Outside;
                    i += 3;
                    continue;
                }
                if !multi && (b[i] == b'\'' || b[i] == b'\n') {
                    state = State::Outside;
                }
            }
            State::Comment => {}
        }
        i += 1;
    }
    for (i, c) in text.char_indices() {
        if forbidden(c) {
            push(i, c);
        }
    }
    out.sort_unstable();
    out.dedup_by_key(|x| x.0);
    out
}

#[derive(Clone, Copy)]
enum State {
    Outside,
    Comment,
    /// In a basic string; `true` for a multi-line one.
    Basic(bool),
    /// In a literal string; `true` for a multi-line one.
    Literal(bool),
}

/// The character a TOML escape after a backslash stands for, for the
/// escapes that can produce a control character.
fn escaped(after: &[u8]) -> Option<char> {
    let hex = |n: usize| -> Option<char> {
        let digits = after.get(1..=n)?;
        let s = std::str::from_utf8(digits).ok()?;
        char::from_u32(u32::from_str_radix(s, 16).ok()?)
    };
    match after.first()? {
        b'e' => Some('\u{1B}'),
        b'u' => hex(4),
        b'U' => hex(8),
        b'x' => hex(2),
        b'b' => Some('\u{8}'),
        b'f' => Some('\u{C}'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_and_escaped_controls_are_found_with_their_line() {
        let t = "a = \"ok\"\nb = \"\u{1b}[2J\"\nc = \"\\u0007\"\nd = \"\u{202E}x\"\ne = \"\\e[31m\"\nf = \"\\\\u0007 is text\"\ng = 'C:\\etc\\u0007'\nh = \"\"\"\nmulti \\u001b\n\"\"\" # \\e\n";
        let found = forbidden_chars(t);
        assert_eq!(
            found,
            [
                (2, '\u{1b}'),
                (3, '\u{7}'),
                (4, '\u{202E}'),
                (5, '\u{1b}'),
                (9, '\u{1b}')
            ]
        );
        assert!(forbidden('\u{85}') && forbidden('\u{7f}') && forbidden('\u{2067}'));
        assert!(!forbidden('\t') && !forbidden('é') && !forbidden('\n'));
    }
}
