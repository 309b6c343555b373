//! Repairs OCR makes inside codes: `O`/`o`/`Q` read for `0` and `l`/`I`
//! for `1` within hex tokens, a dropped or misread `x` in `0x…`, and stop
//! codes read with spaces for underscores (`CRITICAL PROCESS DIED`).
//! Whatever comes out is only shown when the code tables know it.

use crate::codes::CodeTables;

/// Longest run of upper-case words tried as one symbolic name.
const MAX_NAME_WORDS: usize = 10;

/// The OCR text with code tokens repaired, line by line.
pub fn repair(text: &str, tables: &CodeTables) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        let hexed = repair_hex_tokens(line);
        out.push_str(&join_names(&hexed, tables));
        out.push('\n');
    }
    out
}

fn as_hex_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' | 'a'..='f' | 'A'..='F' => Some(c),
        'O' | 'o' | 'Q' => Some('0'),
        'l' | 'I' | 'i' | '|' => Some('1'),
        'S' => Some('5'),
        _ => None,
    }
}

/// `body` as hex digits after repair, when every character maps.
fn hex_body(body: &str) -> Option<String> {
    body.chars().map(as_hex_digit).collect()
}

fn repair_word(w: &str) -> Option<String> {
    let chars: Vec<char> = w.chars().collect();
    let n = chars.len();
    let zero = |c: char| matches!(c, '0' | 'O' | 'o' | 'Q');
    let failure_lead = |s: &str| s.starts_with(['8', 'C', 'c', 'D', 'd']);
    if n >= 3 && zero(chars[0]) && matches!(chars[1], 'x' | 'X' | '×') {
        let body: String = chars[2..].iter().collect();
        let fixed = hex_body(&body)?;
        return (fixed.len() <= 8).then(|| format!("0x{fixed}"));
    }
    // `080070570`: the x was dropped.
    if n == 9 && zero(chars[0]) {
        let body: String = chars[1..].iter().collect();
        let fixed = hex_body(&body)?;
        return failure_lead(&fixed).then(|| format!("0x{fixed}"));
    }
    // `0180041033`: the x was read as 1.
    if n == 10 && zero(chars[0]) && matches!(chars[1], '1' | 'l' | 'I' | '|') {
        let body: String = chars[2..].iter().collect();
        let fixed = hex_body(&body)?;
        return failure_lead(&fixed).then(|| format!("0x{fixed}"));
    }
    // Bare `8OO70005`, `cQ00035a`: mostly digits, perhaps a letter
    // misread; failure values get their `0x` (a picture attached for help
    // frames its codes).
    if n == 8
        && chars[0].is_ascii_hexdigit()
        && chars.iter().filter(|c| c.is_ascii_digit()).count() >= 5
    {
        let fixed = hex_body(w)?;
        return Some(if failure_lead(&fixed) {
            format!("0x{fixed}")
        } else {
            fixed
        });
    }
    None
}

/// Rewrites every word (a run of letters, digits, `_`, `|`) that repairs
/// into a hex code.
fn repair_hex_tokens(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        match repair_word(word) {
            Some(fixed) => out.push_str(&fixed),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in line.chars() {
        if c.is_alphanumeric() || c == '_' || c == '|' || c == '×' {
            word.push(c);
        } else {
            // The first part of a GUID stays as it is.
            if c == '-' {
                out.push_str(&word);
                word.clear();
            }
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn is_caps_word(w: &str) -> bool {
    let w = w.trim_end_matches([':', '.', ',', ';']);
    !w.is_empty()
        && w.bytes().any(|b| b.is_ascii_uppercase())
        && w.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Joins runs of upper-case words into the longest symbolic name the
/// tables know: `DRIVER IRQL NOT LESS OR EQUAL` → `DRIVER_IRQL_NOT_LESS_OR_EQUAL`.
fn join_names(line: &str, tables: &CodeTables) -> String {
    let words: Vec<&str> = line.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        if !is_caps_word(words[i]) {
            out.push(words[i].to_string());
            i += 1;
            continue;
        }
        let mut j = i;
        while j < words.len() && j - i < MAX_NAME_WORDS && is_caps_word(words[j]) {
            j += 1;
        }
        let mut matched = None;
        for len in (2..=j - i).rev() {
            let joined = words[i..i + len]
                .iter()
                .map(|w| w.trim_end_matches([':', '.', ',', ';']).trim_matches('_'))
                .collect::<Vec<_>>()
                .join("_");
            if tables.lookup_name(&joined).is_some() {
                matched = Some((joined, len));
                break;
            }
        }
        match matched {
            Some((name, len)) => {
                out.push(name);
                i += len;
            }
            None => {
                out.push(words[i].to_string());
                i += 1;
            }
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(s: &str) -> String {
        repair(s, CodeTables::bundled()).trim_end().to_string()
    }

    #[test]
    fn letters_inside_hex_tokens_become_digits() {
        assert_eq!(fix("Status: Oxc0000001"), "Status: 0xc0000001");
        assert_eq!(fix("code 0x8OO7OOO5 here"), "code 0x80070005 here");
        assert_eq!(
            fix("Error code: 080070570 - 0xA0003"),
            "Error code: 0x80070570 - 0xA0003"
        );
        assert_eq!(fix("HRESULT =0180041033"), "HRESULT =0x80041033");
        assert_eq!(fix("0x8O0l0002"), "0x80010002");
        assert_eq!(fix("STOP: cQ00035a The"), "STOP: 0xc000035a The");
        assert_eq!(fix("enrollment 80192ee7"), "enrollment 0x80192ee7");
        assert_eq!(fix("{8007E711-3434-4694}"), "{8007E711-3434-4694}");
    }

    #[test]
    fn ordinary_words_and_numbers_stay() {
        assert_eq!(
            fix("Oxford lolly 012345678 2016"),
            "Oxford lolly 012345678 2016"
        );
        assert_eq!(fix("Solo 12345"), "Solo 12345");
    }

    #[test]
    fn spaced_stop_code_names_are_joined() {
        assert_eq!(
            fix("Stop code: CRITICAL PROCESS DIED"),
            "Stop code: CRITICAL_PROCESS_DIED"
        );
        assert_eq!(
            fix("Stop code: DRIVER IRQL NOT LESS OR EQUAL"),
            "Stop code: DRIVER_IRQL_NOT_LESS_OR_EQUAL"
        );
        assert_eq!(fix("THE END OF IT"), "THE END OF IT");
    }
}
