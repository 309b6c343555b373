//! Text files a line at a time, in constant memory: fixed-size reads,
//! UTF-16 decoded on the fly, lines longer than [`MAX_LINE`] cut.

use std::borrow::Cow;
use std::io::Read;

use crate::attach::sniff::Encoding;

/// Bytes kept of one line; the rest of a longer line is dropped.
pub const MAX_LINE: usize = 4096;
const CHUNK: usize = 64 * 1024;

/// Calls `f` with every line of `input` (without `\r\n`), in order.
/// Stops early when `f` returns false. Read errors end the file.
pub fn for_each_line(
    mut input: impl Read,
    encoding: Encoding,
    mut f: impl FnMut(&str) -> bool,
) -> std::io::Result<()> {
    let mut chunk = vec![0u8; CHUNK];
    let mut utf8 = Vec::with_capacity(CHUNK * 2);
    let mut line: Vec<u8> = Vec::with_capacity(MAX_LINE);
    let mut utf16 = Utf16::default();
    let mut first = true;
    loop {
        let n = match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let bytes: &[u8] = match encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => &chunk[..n],
            Encoding::Utf16Le | Encoding::Utf16Be => {
                utf8.clear();
                utf16.feed(&chunk[..n], encoding == Encoding::Utf16Be, &mut utf8);
                &utf8
            }
        };
        let mut rest = bytes;
        while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            push_capped(&mut line, &rest[..nl]);
            if !emit(&line, &mut first, &mut f) {
                return Ok(());
            }
            line.clear();
            rest = &rest[nl + 1..];
        }
        push_capped(&mut line, rest);
    }
    if !line.is_empty() {
        emit(&line, &mut first, &mut f);
    }
    Ok(())
}

fn push_capped(line: &mut Vec<u8>, bytes: &[u8]) {
    let room = MAX_LINE.saturating_sub(line.len());
    line.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

fn emit(line: &[u8], first: &mut bool, f: &mut impl FnMut(&str) -> bool) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text: Cow<'_, str> = String::from_utf8_lossy(line);
    let mut s: &str = &text;
    if *first {
        *first = false;
        s = s.strip_prefix('\u{feff}').unwrap_or(s);
    }
    f(s)
}

/// UTF-16 to UTF-8 across chunk boundaries (an odd byte or a high
/// surrogate may wait for the next chunk); bad units become U+FFFD.
#[derive(Default)]
struct Utf16 {
    odd: Option<u8>,
    high: Option<u16>,
}

impl Utf16 {
    fn feed(&mut self, bytes: &[u8], big_endian: bool, out: &mut Vec<u8>) {
        let mut i = 0;
        let mut unit = |a: u8, b: u8, this: &mut Utf16| {
            let u = if big_endian {
                u16::from_be_bytes([a, b])
            } else {
                u16::from_le_bytes([a, b])
            };
            this.unit(u, out);
        };
        if let Some(a) = self.odd.take() {
            if let Some(&b) = bytes.first() {
                unit(a, b, self);
                i = 1;
            } else {
                self.odd = Some(a);
                return;
            }
        }
        while i + 1 < bytes.len() {
            unit(bytes[i], bytes[i + 1], self);
            i += 2;
        }
        if i < bytes.len() {
            self.odd = Some(bytes[i]);
        }
    }

    fn unit(&mut self, u: u16, out: &mut Vec<u8>) {
        let mut buf = [0u8; 4];
        let c = match (self.high.take(), u) {
            (Some(h), 0xDC00..=0xDFFF) => {
                char::from_u32(0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00))
            }
            (prev, 0xD800..=0xDBFF) => {
                if prev.is_some() {
                    out.extend_from_slice("\u{fffd}".as_bytes());
                }
                self.high = Some(u);
                return;
            }
            (prev, _) => {
                if prev.is_some() {
                    out.extend_from_slice("\u{fffd}".as_bytes());
                }
                char::from_u32(u32::from(u))
            }
        };
        let c = c.unwrap_or('\u{fffd}');
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(bytes: &[u8], enc: Encoding) -> Vec<String> {
        let mut out = Vec::new();
        for_each_line(bytes, enc, |l| {
            out.push(l.to_string());
            true
        })
        .unwrap();
        out
    }

    #[test]
    fn crlf_bom_and_a_last_line_without_newline() {
        assert_eq!(
            collect(b"\xEF\xBB\xBFone\r\ntwo\nthree", Encoding::Utf8Bom),
            ["one", "two", "three"]
        );
    }

    #[test]
    fn utf16_lines_split_across_chunks() {
        let text = "first line\r\nsecond \u{1F600} line\r\n".repeat(5000);
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let lines = collect(&bytes, Encoding::Utf16Le);
        assert_eq!(lines.len(), 10_000);
        assert_eq!(lines[0], "first line");
        assert_eq!(lines[9_999], "second \u{1F600} line");
    }

    #[test]
    fn very_long_lines_are_cut() {
        let mut bytes = vec![b'a'; MAX_LINE * 3];
        bytes.extend_from_slice(b"\nshort\n");
        let lines = collect(&bytes, Encoding::Utf8);
        assert_eq!(lines[0].len(), MAX_LINE);
        assert_eq!(lines[1], "short");
    }
}
