//! Finding error codes in free text: a hand-written scanner over the bytes
//! of the message, linear in its length and free of panics on any input.
//!
//! The text is cut into tokens (runs of ASCII letters, digits and `_`);
//! each token is judged with a few bytes and words around it:
//!
//! | form | accepted when |
//! | --- | --- |
//! | `0x80070002` (8 hex digits) | known, or a failure value with a known facility; not after "offset"/"address" |
//! | `0x7B` (1–7 digits) | framed as a stop code (stop code, BSOD, bug check…) and a bug check; or after "error" as a Win32 number |
//! | `80070002`, `c004f074` (bare) | known, or a failure value with a known facility *and* framed as an error; never in GUIDs, colours, hashes |
//! | `-2147024894`, `2147942402` | framed as a code (error, code, hresult, exit, returned…) and known or plausible |
//! | `error 5`, `exit code 1603` | the message is about Windows and the number is a named Win32 error → `0x8007xxxx` |
//! | `ERROR_…`, `E_…`, `STATUS_…`, `WU_E_…`, `SL_E_…`, `CRITICAL_PROCESS_DIED` | an upper-case name in the tables |
//! | `0xC1900101 - 0x4000D` | any code followed by a dash and an extend code (kept in [`Found::ext`]) |
//!
//! Hex inside URLs, 16-digit addresses, colours, GUIDs, MAC/IPv6 parts,
//! build numbers and long digit strings are never codes. A code that is
//! one digit away from a known one becomes a [`Suggestion`] instead.

use rustc_hash::FxHashSet;
use serde::Serialize;

use super::context::{
    ADDRESS_WORDS, CODE_QUALIFIERS, DOWNLOAD_WORDS, ERROR_WORDS, FILLER_WORDS, HASH_WORDS,
    INSTALLER_WORDS, MEASURE_WORDS, NOT_WIN32_WORDS, REPORT_WORDS, STOP_FIRST, STOP_SECOND,
    STOP_WORDS, WIN32_NUMBER_WORDS, WINDOWS_WORDS, Words, text_has_word,
};
use super::table::{CodeTables, hresult_from_win32};
use super::{Family, hex};
use super::{clean, suggest};

/// At most this many codes come out of one message.
pub const MAX_FOUND: usize = 50;
/// At most this many suggestions come out of one message.
pub const MAX_SUGGESTIONS: usize = 5;
/// Near-misses examined per message (each costs up to 128 look-ups).
const SUGGESTION_BUDGET: usize = 32;

/// A code found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    /// The code, as a 32-bit value (`hex(code)` gives `0x80070002`).
    pub code: u32,
    /// The extend code of an upgrade error (`0x4000D` in `0xC1900101 - 0x4000D`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ext: Option<u32>,
    /// Byte span of the first occurrence (including an extend code).
    pub start: usize,
    pub end: usize,
    /// The text framed it as a stop code (stop code, BSOD, blue screen, bug
    /// check), or it was given by a bug-check name.
    pub stop_framed: bool,
}

/// A typed value that is almost a known code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// What the message says, e.g. `0x8007002`.
    pub typed: String,
    /// The known code it probably means.
    pub suggested: u32,
}

impl Suggestion {
    /// The suggested code as `0x` + 8 hex digits.
    pub fn suggested_hex(&self) -> String {
        hex(self.suggested)
    }
}

/// Everything [`extract`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Extraction {
    /// Distinct codes in order of first appearance, at most [`MAX_FOUND`].
    pub found: Vec<Found>,
    /// Near-misses, at most [`MAX_SUGGESTIONS`]; never a code in `found`.
    pub suggestions: Vec<Suggestion>,
}

impl Extraction {
    /// The found codes, in order.
    pub fn codes(&self) -> Vec<u32> {
        self.found.iter().map(|f| f.code).collect()
    }
}

/// Finds every error code in `text`. `extra_known` tells which codes the
/// knowledge base has entries for: they count as known even when no table
/// names them, and they are preferred for suggestions.
pub fn extract(text: &str, tables: &CodeTables, extra_known: &dyn Fn(u32) -> bool) -> Extraction {
    // Invisible characters inside a code must not hide it: scan without
    // them, then point the spans back into the text as written.
    let Some(cleaned) = clean::clean(text) else {
        return extract_clean(text, tables, extra_known);
    };
    let mut out = extract_clean(&cleaned.text, tables, extra_known);
    for f in &mut out.found {
        f.start = cleaned.original(f.start);
        f.end = cleaned.original_end(f.end);
    }
    out
}

fn extract_clean(text: &str, tables: &CodeTables, extra_known: &dyn Fn(u32) -> bool) -> Extraction {
    let mut scan = Scan {
        b: text.as_bytes(),
        tables,
        extra: extra_known,
        out: Extraction::default(),
        windows: None,
        installer: None,
        download: None,
        urls: url_spans(text.as_bytes()),
        url_at: 0,
        skip_to: 0,
        budget: SUGGESTION_BUDGET,
        passes: std::cell::Cell::new(0),
        word_set: std::cell::OnceCell::new(),
    };
    scan.run();
    #[cfg(test)]
    LAST_PASSES.with(|p| p.set(scan.passes.get()));
    let Extraction {
        found,
        mut suggestions,
    } = scan.out;
    suggestions.retain(|s| !found.iter().any(|f| f.code == s.suggested));
    Extraction { found, suggestions }
}

struct Scan<'a> {
    b: &'a [u8],
    tables: &'a CodeTables,
    extra: &'a dyn Fn(u32) -> bool,
    out: Extraction,
    /// Whether the message is about Windows; computed on first need.
    windows: Option<bool>,
    /// Whether the message is about an installer; computed on first need.
    installer: Option<bool>,
    /// Whether the message is about a download from a web service (the
    /// Store, Xbox, winget); computed on first need.
    download: Option<bool>,
    urls: Vec<(usize, usize)>,
    url_at: usize,
    /// Tokens starting before this were consumed (an extend code).
    skip_to: usize,
    budget: usize,
    /// Passes over the whole text (word lists, word sets): a constant
    /// number per message keeps extraction linear.
    passes: std::cell::Cell<usize>,
    /// The message's words (lower case, as [`text_has_word`] sees them),
    /// built on first need so that "error N" × many stays linear.
    word_set: std::cell::OnceCell<FxHashSet<Vec<u8>>>,
}

#[cfg(test)]
thread_local! {
    /// The whole-text passes of the last [`extract`] on this thread.
    static LAST_PASSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn all_hex(t: &[u8]) -> bool {
    !t.is_empty() && t.iter().all(u8::is_ascii_hexdigit)
}

fn parse_hex(t: &[u8]) -> Option<u32> {
    if t.is_empty() || t.len() > 8 || !all_hex(t) {
        return None;
    }
    Some(t.iter().fold(0u32, |acc, &c| {
        (acc << 4) | (c as char).to_digit(16).unwrap_or(0)
    }))
}

/// Byte spans of URLs (`scheme://…` and `www.…`) up to the next whitespace
/// or closing bracket. Linear: a span is never scanned twice.
fn url_spans(b: &[u8]) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let stop = |c: u8| {
        c.is_ascii_whitespace()
            || matches!(
                c,
                b'<' | b'>' | b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'`'
            )
    };
    let mut i = 0;
    while i + 3 < b.len() {
        let scheme = b[i] == b':' && b[i + 1] == b'/' && b[i + 2] == b'/';
        let www = b[i..i + 4].eq_ignore_ascii_case(b"www.") && (i == 0 || !is_word_byte(b[i - 1]));
        if !(scheme || www) {
            i += 1;
            continue;
        }
        let floor = spans.last().map_or(0, |s| s.1);
        let mut start = i;
        while start > floor && !stop(b[start - 1]) {
            start -= 1;
        }
        let mut end = i + 3;
        while end < b.len() && !stop(b[end]) {
            end += 1;
        }
        spans.push((start, end));
        i = end;
    }
    spans
}

impl Scan<'_> {
    fn run(&mut self) {
        let b = self.b;
        let mut i = 0;
        while i < b.len() {
            if !is_word_byte(b[i]) {
                i += 1;
                continue;
            }
            let s = i;
            while i < b.len() && is_word_byte(b[i]) {
                i += 1;
            }
            if s >= self.skip_to {
                if !self.in_url(s) {
                    self.token(s, i);
                } else if let Some(code) = self.url_tail_code(s, i) {
                    self.push(code, None, s, i, false);
                }
                if self.out.found.len() >= MAX_FOUND {
                    return;
                }
            }
        }
    }

    fn in_url(&mut self, pos: usize) -> bool {
        while self.url_at < self.urls.len() && self.urls[self.url_at].1 <= pos {
            self.url_at += 1;
        }
        self.urls
            .get(self.url_at)
            .is_some_and(|&(s, e)| s <= pos && pos < e)
    }

    /// A known failure code written as the last segment of a URL's path
    /// (`…/FACILITY_WINDOWS/0x80080005`, an error-lookup page): the rest of
    /// a URL is never read for codes.
    fn url_tail_code(&self, s: usize, e: usize) -> Option<u32> {
        let b = self.b;
        let t = &b[s..e];
        if t.len() != 10 || t[0] != b'0' || (t[1] | 0x20) != b'x' || s == 0 || b[s - 1] != b'/' {
            return None;
        }
        let &(_, url_end) = self.urls.get(self.url_at)?;
        let rest = &b[e..url_end];
        let tail = rest.is_empty()
            || rest == b"/"
            || matches!(rest[0], b'?' | b'#')
            || rest
                .iter()
                .all(|c| matches!(c, b'.' | b',' | b';' | b':' | b'!'));
        let code = parse_hex(&t[2..])?;
        (tail && code & 0x8000_0000 != 0 && self.known(code)).then_some(code)
    }

    fn known(&self, code: u32) -> bool {
        self.tables.is_named(code) || (self.extra)(code)
    }

    /// A failure value (high bit set) whose facility is a known one; facility
    /// 0 (bit masks such as 0x80000000) does not count.
    fn plausible(&self, code: u32) -> bool {
        if code & 0x8000_0000 == 0 {
            return false;
        }
        let hres = self
            .tables
            .hresult_facility(code)
            .is_some_and(|(n, _)| n != 0);
        let nt = code >> 30 == 3
            && self
                .tables
                .ntstatus_facility(code)
                .is_some_and(|(n, _)| n != 0);
        hres || nt
    }

    fn windows_context(&mut self) -> bool {
        *self.windows.get_or_insert_with(|| {
            self.passes.set(self.passes.get() + 1);
            text_has_word(self.b, WINDOWS_WORDS)
        })
    }

    fn error_framed(&self, s: usize, e: usize) -> bool {
        Words::before(self.b, s, 4, 48).any(ERROR_WORDS)
            || Words::after(self.b, e, 2, 24).any(&["error", "code"])
    }

    fn stop_framed(&self, s: usize, e: usize) -> bool {
        let before = Words::before(self.b, s, 8, 80);
        let after = Words::after(self.b, e, 3, 32);
        before.any(STOP_WORDS)
            || after.any(STOP_WORDS)
            || before.pair_before(STOP_FIRST, STOP_SECOND)
            || after.pair_after(STOP_FIRST, STOP_SECOND)
            // "STOP: 0x0000007B"
            || (before.is(0, &["stop"]) && self.b[..s].iter().rev().find(|c| !c.is_ascii_whitespace()) == Some(&b':'))
    }

    fn token(&mut self, s: usize, e: usize) {
        let b = self.b;
        let t = &b[s..e];
        if t.len() > 2 && t[0] == b'0' && (t[1] == b'x' || t[1] == b'X') {
            self.prefixed(s, s + 2, e);
        } else if t.contains(&b'_') {
            self.symbol(s, e);
        } else if t.iter().all(u8::is_ascii_digit) {
            self.digits(s, e);
        } else if all_hex(t) {
            if !self.stop_phrase(s, e) {
                self.bare_hex(s, e);
            }
        } else if let Some(k) = embedded_prefix(t) {
            // "error0x80070002": letters glued to a 0x value.
            self.prefixed(s + k, s + k + 2, e);
        } else if t.iter().all(u8::is_ascii_alphabetic) {
            self.stop_phrase(s, e);
        }
    }

    /// A bug-check name written as words ("DPC Watchdog Violation",
    /// "critical process died"), any case, one to three blanks between
    /// words. Names of two words ("memory management") need stop framing.
    fn stop_phrase(&mut self, s: usize, e: usize) -> bool {
        let b = self.b;
        if e - s > 32 {
            return false;
        }
        // Lower-cased on the stack: this runs for every word of the message.
        let mut buf = [0u8; 32];
        let lower = &mut buf[..e - s];
        lower.copy_from_slice(&b[s..e]);
        lower.make_ascii_lowercase();
        let first = std::str::from_utf8(lower).unwrap_or_default();
        let Some(candidates) = self.tables.stop_phrases().get(first) else {
            return false;
        };
        for (rest, code) in candidates {
            let mut j = e;
            let matched = rest.iter().all(|w| {
                let blanks = b[j..]
                    .iter()
                    .take(3)
                    .take_while(|c| **c == b' ' || **c == b'\t')
                    .count();
                let start = j + blanks;
                let end = start + w.len();
                let ok = blanks > 0
                    && end <= b.len()
                    && b[start..end].eq_ignore_ascii_case(w.as_bytes())
                    && b.get(end).is_none_or(|c| !is_word_byte(*c));
                if ok {
                    j = end;
                }
                ok
            });
            // Names that read as plain prose ("the NTFS file system",
            // "install more memory") need stop framing or capitals too.
            if !matched {
                continue;
            }
            let name = format!("{first}_{}", rest.join("_"));
            let prose = rest.len() < 2
                || name.ends_with("_file_system")
                || PROSE_STOP_NAMES.contains(&name.as_str());
            let capitals = b[s..j].iter().all(|c| !c.is_ascii_lowercase());
            if !prose || capitals || self.stop_framed(s, j) {
                self.skip_to = j;
                self.push(*code, None, s, j, true);
                return true;
            }
        }
        false
    }

    /// After a bug check, its parameters in brackets (`0xD1(0x38, 0x2, …)`,
    /// `{38, 2, 0, …}`) are not codes of their own: skip to the closing one.
    fn skip_parameters(&mut self, e: usize) {
        let b = self.b;
        let mut j = e;
        while j < b.len() && j < e + 3 && (b[j] == b' ' || b[j] == b',') {
            j += 1;
        }
        let close = match b.get(j) {
            Some(b'(') => b')',
            Some(b'{') => b'}',
            _ => return,
        };
        let limit = (j + 256).min(b.len());
        if let Some(k) = b[j..limit].iter().position(|&c| c == close) {
            self.skip_to = self.skip_to.max(j + k + 1);
        }
    }

    /// A short hex value that the words around call an error ("throws an
    /// 0x406 error", "error 0x5") or that stands beside a full code
    /// ("(0x409 / 0x80131509)").
    fn short_error_framed(&self, s: usize, e: usize) -> bool {
        let b = self.b;
        let full_code = |t: &[u8]| {
            t.len() >= 10
                && t[0] == b'0'
                && (t[1] | 0x20) == b'x'
                && t[2..10].iter().all(u8::is_ascii_hexdigit)
                && t.get(10).is_none_or(|c| !is_word_byte(*c))
        };
        let skip_blanks = |mut j: usize| {
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
            j
        };
        let after = skip_blanks(e);
        let slash_after = b.get(after) == Some(&b'/') && full_code(&b[skip_blanks(after + 1)..]);
        let mut k = s;
        while k > 0 && b[k - 1] == b' ' {
            k -= 1;
        }
        let slash_before = k >= 11 && b[k - 1] == b'/' && {
            let mut m = k - 1;
            while m > 0 && b[m - 1] == b' ' {
                m -= 1;
            }
            m >= 10 && full_code(&b[m - 10..])
        };
        Words::after(b, e, 1, 16).is(0, &["error", "errors", "exception"])
            || Words::before(b, s, 1, 16).is(0, &["error", "err", "hresult", "hr", "exception"])
            || slash_after
            || slash_before
    }

    /// `0x` + digits; `d` is where the digits start.
    fn prefixed(&mut self, s: usize, d: usize, e: usize) {
        let b = self.b;
        let digits = &b[d..e];
        if !all_hex(digits) {
            self.suggest(s, e, |tier| suggest::by_lookalike(digits, tier));
            return;
        }
        match digits.len() {
            8 => {
                let code = parse_hex(digits).unwrap_or(0);
                if Words::before(self.b, s, 1, 24).any(ADDRESS_WORDS) {
                    return;
                }
                let small_ok = code > 1 || (code == 1 && self.stop_framed(s, e));
                let accept = code != 0
                    && if code <= 0xFFFF {
                        small_ok && (self.tables.is_bugcheck(code) || self.known(code))
                    } else {
                        self.known(code)
                            || self.plausible(code)
                            || (code >> 16 != 0xFFFF && self.reported(s, e))
                    };
                if accept {
                    self.accept(code, s, e);
                    if code <= 0xFFFF && self.stop_framed(s, e) {
                        self.skip_parameters(e);
                    }
                }
            }
            9 => self.suggest(s, e, |tier| suggest::by_deletion(digits, tier)),
            1..=7 => {
                let value = parse_hex(digits).unwrap_or(0);
                if value != 0
                    && self.stop_framed(s, e)
                    && (self.tables.is_bugcheck(value) || (self.extra)(value))
                {
                    self.push(value, None, s, e, true);
                    self.skip_parameters(e);
                } else if let Some(code) = self.http_status(value, digits.len()) {
                    self.accept(code, s, e);
                } else if digits.len() <= 4
                    && self.win32_number_framed(s, e)
                    && self.win32_known(value)
                {
                    self.accept(hresult_from_win32(value), s, e);
                } else if digits.len() <= 4 && value != 0 && self.short_error_framed(s, e) {
                    let code = if self.win32_known(value) {
                        hresult_from_win32(value)
                    } else {
                        value
                    };
                    self.push(code, None, s, e, false);
                } else if digits.len() == 7 {
                    self.suggest(s, e, |tier| suggest::by_insertion(digits, tier));
                }
            }
            _ => {} // 10+ digits: an address or a hash
        }
    }

    /// An upper-case symbolic name such as `ERROR_FILE_NOT_FOUND`.
    fn symbol(&mut self, s: usize, e: usize) {
        let b = self.b;
        let t = &b[s..e];
        let shaped = t.len() >= 4
            && t[0].is_ascii_uppercase()
            && t.iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_');
        if !shaped {
            return;
        }
        let name = std::str::from_utf8(t).unwrap_or_default();
        if let Some((code, family)) = self.tables.lookup_name(name)
            && code != 0
        {
            let stop = family == Family::BugCheck || self.stop_framed(s, e);
            self.push(code, None, s, e, stop);
        }
    }

    /// A token of decimal digits: a bare 8-digit hex code, a decimal
    /// HRESULT, or a Win32 error number.
    fn digits(&mut self, s: usize, e: usize) {
        let n = e - s;
        let b = self.b;
        let signed = s >= 1 && b[s - 1] == b'-' && (s == 1 || !is_word_byte(b[s - 2]));
        if n == 8 && !signed {
            self.bare_hex(s, e);
            return;
        }
        if self.in_number_group(s, e) {
            return;
        }
        if signed && n <= 10 {
            self.decimal_hresult(s, e);
            return;
        }
        match n {
            1..=5 => self.win32_decimal(s, e),
            7 | 9 if self.error_framed(s, e) => {
                let b = self.b;
                let t = &b[s..e];
                if n == 7 {
                    self.suggest(s, e, |tier| suggest::by_insertion(t, tier));
                } else {
                    self.suggest(s, e, |tier| suggest::by_deletion(t, tier));
                }
            }
            10 => self.decimal_hresult(s, e),
            _ => {}
        }
    }

    /// Digits that are part of a dotted or comma group (build numbers such
    /// as 22631.2861, versions, IP addresses, 1,234).
    fn in_number_group(&self, s: usize, e: usize) -> bool {
        let b = self.b;
        let joined = |c: u8| matches!(c, b'.' | b',');
        (s >= 2 && joined(b[s - 1]) && b[s - 2].is_ascii_digit())
            || (e + 1 < b.len() && joined(b[e]) && b[e + 1].is_ascii_digit())
    }

    fn decimal_hresult(&mut self, s: usize, e: usize) {
        let b = self.b;
        let Ok(n) = std::str::from_utf8(&b[s..e])
            .unwrap_or_default()
            .parse::<u64>()
        else {
            return;
        };
        let negative = s >= 1 && b[s - 1] == b'-' && (s == 1 || !is_word_byte(b[s - 2]));
        let (code, start) = if negative {
            if n == 0 || n > 0x8000_0000 {
                return;
            }
            ((n as i64).wrapping_neg() as u32, s - 1)
        } else {
            if !(0x8000_0000..=0xFFFF_FFFF).contains(&n) {
                return;
            }
            (n as u32, s)
        };
        if self.error_framed(start, e) && (self.known(code) || self.plausible(code)) {
            self.accept(code, start, e);
        }
    }

    /// A failure value whose facility we do not know still counts when the
    /// text reports it as an error ("the Xbox app says 0x87E00017").
    fn reported(&self, s: usize, e: usize) -> bool {
        self.error_framed(s, e) || Words::before(self.b, s, 3, 40).any(REPORT_WORDS)
    }

    fn win32_number_framed(&self, s: usize, e: usize) -> bool {
        let before = Words::before(self.b, s, 4, 48);
        // "exit code was 1603": one filler word may sit between.
        let k = usize::from(before.is(0, FILLER_WORDS));
        let framed = before.is(k, WIN32_NUMBER_WORDS)
            || (before.is(k, &["code", "codes"]) && before.is(k + 1, CODE_QUALIFIERS));
        framed
            && !before.any(NOT_WIN32_WORDS)
            && !Words::after(self.b, e, 1, 16).is(0, MEASURE_WORDS)
    }

    fn win32_known(&self, n: u32) -> bool {
        n != 0
            && n <= 0xFFFF
            && (self.tables.is_win32_number(n) || (self.extra)(hresult_from_win32(n)))
    }

    fn win32_decimal(&mut self, s: usize, e: usize) {
        let b = self.b;
        if e < b.len() && matches!(b[e], b'%') || (s >= 1 && matches!(b[s - 1], b'-' | b'#' | b'+'))
        {
            return;
        }
        let Ok(n) = std::str::from_utf8(&b[s..e])
            .unwrap_or_default()
            .parse::<u32>()
        else {
            return;
        };
        if self.win32_known(n)
            && ((self.win32_number_framed(s, e)
                && (self.windows_context() || self.names_itself(n)))
                || self.installer_exit_framed(s, e, n))
        {
            self.accept(hresult_from_win32(n), s, e);
        }
    }

    /// "msiexec failed with 1618", "the installer exited with code 1603":
    /// an installer exit code (1601–1661, 3010, 3011) after "with",
    /// "returning" or "code" in a message about installing.
    fn installer_exit_framed(&mut self, s: usize, e: usize, n: u32) -> bool {
        if !(matches!(n, 1601..=1661 | 3010 | 3011)) {
            return false;
        }
        let before = Words::before(self.b, s, 4, 48);
        let framed = before.is(0, &["with", "returning", "returned", "code"])
            && before.any(&[
                "failed",
                "fails",
                "exited",
                "exit",
                "returned",
                "returning",
                "error",
                "code",
            ])
            && !Words::after(self.b, e, 1, 16).is(0, MEASURE_WORDS);
        framed && self.installer_context()
    }

    /// A three-digit value in the HTTP error range (0x190 = 400 to 0x257 =
    /// 599) in a message about a download from a web service is an HTTP
    /// status as the Store and Xbox apps print it ("0x194" = 404): the
    /// HTTP_E_STATUS_* HRESULT, when that has a name.
    fn http_status(&mut self, value: u32, len: usize) -> Option<u32> {
        if len != 3 || !(0x190..=0x257).contains(&value) {
            return None;
        }
        let code = 0x8019_0000 | value;
        if !self.tables.is_named(code) {
            return None;
        }
        if self.download.is_none() {
            self.passes.set(self.passes.get() + 1);
            self.download = Some(text_has_word(self.b, DOWNLOAD_WORDS));
        }
        (self.download == Some(true)).then_some(code)
    }

    fn installer_context(&mut self) -> bool {
        if self.installer.is_none() {
            self.passes.set(self.passes.get() + 1);
            self.installer = Some(text_has_word(self.b, INSTALLER_WORDS));
        }
        self.installer == Some(true)
    }

    /// The text also says what the error's name says: "error 5 access
    /// denied" names ERROR_ACCESS_DENIED in words, which makes the number
    /// a Windows error even without a word like "windows" around.
    fn names_itself(&self, n: u32) -> bool {
        let Some(name) = self.tables.win32_name(n) else {
            return false;
        };
        let words: Vec<&str> = name
            .split('_')
            .skip(usize::from(name.starts_with("ERROR_")))
            .filter(|w| w.len() >= 3)
            .collect();
        !words.is_empty()
            && words.iter().all(|w| {
                self.text_words()
                    .contains(w.to_ascii_lowercase().as_bytes())
            })
    }

    fn text_words(&self) -> &FxHashSet<Vec<u8>> {
        self.word_set.get_or_init(|| {
            self.passes.set(self.passes.get() + 1);
            words_of(self.b)
        })
    }

    /// 8 hex digits without `0x` (some of them letters).
    fn bare_hex(&mut self, s: usize, e: usize) {
        let b = self.b;
        let n = e - s;
        if n == 7 || n == 9 {
            if self.error_framed(s, e) {
                let t = &b[s..e];
                if n == 7 {
                    self.suggest(s, e, |tier| suggest::by_insertion(t, tier));
                } else {
                    self.suggest(s, e, |tier| suggest::by_deletion(t, tier));
                }
            }
            return;
        }
        if n != 8 || self.looks_like_identifier(s, e) {
            return;
        }
        let code = parse_hex(&b[s..e]).unwrap_or(0);
        if code == 0 {
            return;
        }
        let framed = self.error_framed(s, e);
        // Zero-padded small values without 0x are counters and ids in logs
        // ("CSI 00000001"); only a stop code framing makes one a code.
        let accept = if code <= 0xFFFF {
            self.stop_framed(s, e) && self.tables.is_bugcheck(code)
        } else {
            self.known(code) || (framed && self.plausible(code))
        };
        if accept {
            self.accept(code, s, e);
        }
    }

    /// Whether a bare 8-character hex token is part of something that is
    /// not a code: a colour, a GUID, a MAC/IPv6 address, a dotted name, a
    /// hash after "commit"/"sha"…
    fn looks_like_identifier(&self, s: usize, e: usize) -> bool {
        let b = self.b;
        let prev = s.checked_sub(1).map(|i| b[i]);
        let next = b.get(e).copied();
        let hex_run = |from: usize, forward: bool| -> usize {
            let mut n = 0;
            if forward {
                while from + n < b.len() && b[from + n].is_ascii_hexdigit() {
                    n += 1;
                }
            } else {
                while n < from && b[from - n - 1].is_ascii_hexdigit() {
                    n += 1;
                }
            }
            n
        };
        if matches!(prev, Some(b'#' | b'$' | b'@' | b'/' | b'\\' | b'&')) {
            return true;
        }
        // GUID groups and MAC/IPv6 parts: joined to more hex by '-' or ':'.
        if matches!(next, Some(b'-' | b':'))
            && hex_run(e + 1, true) >= 2
            && !self.b[e + 1..].starts_with(b"0x")
        {
            return true;
        }
        if matches!(prev, Some(b'-' | b':')) && s >= 2 && hex_run(s - 1, false) >= 2 {
            return true;
        }
        // file.80070002.log, 1.2.80070002
        if (next == Some(b'.') && b.get(e + 1).is_some_and(|c| c.is_ascii_alphanumeric()))
            || (prev == Some(b'.') && s >= 2 && b[s - 2].is_ascii_alphanumeric())
        {
            return true;
        }
        Words::before(b, s, 2, 32).any(HASH_WORDS)
    }

    /// Records an accepted code and, if a dash and an extend code follow
    /// (`0xC1900101 - 0x4000D`), keeps the extend code with it.
    fn accept(&mut self, code: u32, s: usize, e: usize) {
        let stop = self.stop_framed(s, e);
        match self.extend_code(e) {
            Some((ext, end)) => {
                self.skip_to = end;
                self.push(code, Some(ext), s, end, stop);
            }
            None => self.push(code, None, s, e, stop),
        }
    }

    /// An extend code right after `e`: optional blanks, a dash (or en/em
    /// dash), optional blanks, then `0x` + up to 5 significant hex digits
    /// (value at most 0xFFFFF) or exactly 5 bare hex digits.
    fn extend_code(&self, e: usize) -> Option<(u32, usize)> {
        let b = self.b;
        let mut j = e;
        let blanks = |j: &mut usize| {
            let mut k = 0;
            while *j < b.len() && (b[*j] == b' ' || b[*j] == b'\t') && k < 3 {
                *j += 1;
                k += 1;
            }
        };
        blanks(&mut j);
        if b.get(j) == Some(&b'-') {
            j += 1;
        } else if b[j.min(b.len())..].starts_with("\u{2013}".as_bytes())
            || b[j.min(b.len())..].starts_with("\u{2014}".as_bytes())
        {
            j += 3;
        } else {
            return None;
        }
        blanks(&mut j);
        let start = j;
        while j < b.len() && is_word_byte(b[j]) {
            j += 1;
        }
        let t = &b[start..j];
        let value = if t.len() > 2 && t[0] == b'0' && (t[1] | 0x20) == b'x' {
            parse_hex(&t[2..])?
        } else if t.len() == 5 {
            // Bare, it must look like one: a phase digit, then an
            // operation below 0x100 (0x4000D, 0x20017), as Setup writes them.
            parse_hex(t).filter(|v| v >> 16 != 0 && v & 0xFFFF <= 0xFF)?
        } else {
            return None;
        };
        // "0x80070005 - 12345 files" is a count.
        if Words::after(b, j, 1, 16).is(0, MEASURE_WORDS) {
            return None;
        }
        (value <= 0xF_FFFF).then_some((value, j))
    }

    fn push(&mut self, code: u32, ext: Option<u32>, start: usize, end: usize, stop_framed: bool) {
        // "ERROR 32 (0x00000020)": a plain Win32 number next to its HRESULT
        // form is the same error, unless the plain one is a stop code.
        let plain = |f: &Found| f.code <= 0xFFFF && !f.stop_framed;
        let twin = |f: &Found| {
            (code <= 0xFFFF && !stop_framed && f.code == hresult_from_win32(code))
                || (plain(f) && code != 0 && code == hresult_from_win32(f.code))
        };
        if self.out.found.iter().any(twin) {
            return;
        }
        if let Some(f) = self.out.found.iter_mut().find(|f| f.code == code) {
            f.stop_framed |= stop_framed;
            if f.ext.is_none() {
                f.ext = ext;
            }
            return;
        }
        if self.out.found.len() < MAX_FOUND {
            self.out.found.push(Found {
                code,
                ext,
                start,
                end,
                stop_framed,
            });
        }
    }

    /// Runs `find` (a near-miss search) within the per-message budget and
    /// records its answer as a suggestion for the typed text `s..e`.
    fn suggest(
        &mut self,
        s: usize,
        e: usize,
        find: impl FnOnce(&suggest::Tier<'_>) -> Option<u32>,
    ) {
        if self.budget == 0 || self.out.suggestions.len() >= MAX_SUGGESTIONS {
            return;
        }
        let typed = String::from_utf8_lossy(&self.b[s..e]).into_owned();
        if self.out.suggestions.iter().any(|x| x.typed == typed) {
            return;
        }
        self.budget -= 1;
        let tables = self.tables;
        let extra = self.extra;
        let tier = move |c: u32| -> Option<u8> {
            if extra(c) {
                Some(0)
            } else if c & 0x8000_0000 == 0 && !tables.is_bugcheck(c) {
                None
            } else if tables.is_well_known(c) {
                Some(1)
            } else if tables.is_named(c) {
                Some(2)
            } else {
                None
            }
        };
        if let Some(code) = find(&tier)
            && !self.out.suggestions.iter().any(|x| x.suggested == code)
        {
            self.out.suggestions.push(Suggestion {
                typed,
                suggested: code,
            });
        }
    }
}

/// The distinct words of `text` (runs of ASCII letters and digits, 3 to 16
/// bytes, lower-cased): the words a Win32 error's name can be checked against.
fn words_of(text: &[u8]) -> FxHashSet<Vec<u8>> {
    text.split(|b| !b.is_ascii_alphanumeric())
        .filter(|w| (3..=16).contains(&w.len()))
        .map(<[u8]>::to_ascii_lowercase)
        .collect()
}

/// Bug-check names that are also everyday phrases (lower case); like
/// two-word names and `*_FILE_SYSTEM`, they need stop framing or capitals.
const PROSE_STOP_NAMES: &[&str] = &[
    "install_more_memory",
    "no_boot_device",
    "no_such_partition",
    "no_pages_available",
    "data_bus_error",
    "internal_power_error",
    "memory_image_corrupt",
    "resource_not_owned",
    "cannot_write_configuration",
    "config_list_failed",
    "power_failure_simulate",
    "manually_initiated_crash",
    "undefined_bug_code",
    "trap_cause_unknown",
];

/// Where `0x` starts in a token like `error0x80070002` (letters, then `0x`).
fn embedded_prefix(t: &[u8]) -> Option<usize> {
    let k = t.iter().position(|c| !c.is_ascii_alphabetic())?;
    (k >= 2 && t.len() > k + 2 && t[k] == b'0' && (t[k + 1] | 0x20) == b'x').then_some(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        extract(text, CodeTables::bundled(), &|_| false)
            .found
            .iter()
            .map(|f| hex(f.code))
            .collect()
    }

    #[test]
    fn url_spans_cover_links_only() {
        let t = b"see https://x.org/0x80070002 and (www.a.com/80070002) then 0x80070005";
        let spans = url_spans(t);
        assert_eq!(spans.len(), 2);
        let s = std::str::from_utf8(t).unwrap();
        assert_eq!(&s[spans[0].0..spans[0].1], "https://x.org/0x80070002");
        assert_eq!(&s[spans[1].0..spans[1].1], "www.a.com/80070002");
    }

    #[test]
    fn url_spans_stay_linear_on_repeated_schemes() {
        let t = "a://".repeat(50_000);
        assert_eq!(url_spans(t.as_bytes()).len(), 1);
    }

    #[test]
    fn embedded_prefix_needs_letters_before() {
        assert_eq!(embedded_prefix(b"error0x80070002"), Some(5));
        assert_eq!(embedded_prefix(b"10x80070002"), None);
        assert_eq!(embedded_prefix(b"x0x1"), None);
    }

    #[test]
    fn glued_prefix_is_found() {
        assert_eq!(codes("error0x80070002"), ["0x80070002"]);
    }

    #[test]
    fn parse_hex_rejects_overlong_and_non_hex() {
        assert_eq!(parse_hex(b"80070002"), Some(0x8007_0002));
        assert_eq!(parse_hex(b"800700021"), None);
        assert_eq!(parse_hex(b"8007000g"), None);
        assert_eq!(parse_hex(b""), None);
    }

    #[test]
    fn decimal_in_dotted_group_is_not_a_code() {
        assert!(codes("build 22631.2861 error 5 on windows").contains(&"0x80070005".to_string()));
        assert!(codes("version 10.0.2147942402").is_empty());
    }

    /// Whole-text passes of one extraction of `text`.
    fn passes(text: &str) -> usize {
        extract(text, CodeTables::bundled(), &|_| false);
        LAST_PASSES.with(|p| p.get())
    }

    #[test]
    fn many_error_numbers_cost_a_constant_number_of_whole_text_passes() {
        let text = "error 5 ".repeat(4_000);
        let e = extract(&text, CodeTables::bundled(), &|_| false);
        // "error 5" with no Windows word and no "access denied" is no code.
        assert!(e.found.is_empty(), "{:?}", e.found);
        assert!(passes(&text) <= 3, "{} passes", passes(&text));
        // Distinct numbers, each named in the text: still a few passes.
        let mut text = String::from("access denied file not found ");
        for n in [5, 2, 3, 32, 112].iter().cycle().take(2_000) {
            text.push_str(&format!("error {n} "));
        }
        let e = extract(&text, CodeTables::bundled(), &|_| false);
        assert_eq!(
            e.found.iter().map(|f| hex(f.code)).collect::<Vec<_>>(),
            ["0x80070005", "0x80070002"]
        );
        assert!(passes(&text) <= 3, "{} passes", passes(&text));
    }

    #[test]
    fn cap_limits_found_codes() {
        let text: String = (0..200u32)
            .map(|i| format!("0x8007{:04X} ", i + 1))
            .collect();
        let found = extract(&text, CodeTables::bundled(), &|_| true).found;
        assert_eq!(found.len(), MAX_FOUND);
    }
}
