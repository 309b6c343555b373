//! Windows logs, read line by line: each line goes to every reader (setup,
//! SetupDiag, CBS, DISM, Windows Update), each keeps a few facts, and the
//! most specific one that found something answers. A recognised log with
//! no failure gives no code; only text in no known format is scanned for
//! any code.

mod lines;
mod servicing;
mod setup;

pub use lines::{MAX_LINE, for_each_line};

use std::io::Read;

use super::sniff::Encoding;
use super::{FileKind, ReadCode, Reading};
use crate::codes::{self, CodeTables};

/// Codes the plain-text scan keeps.
const MAX_TEXT_CODES: usize = 20;

/// One `date, level component message` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLine<'a> {
    /// `YYYY-MM-DD`.
    pub date: &'a str,
    /// Seconds since midnight.
    pub secs: u32,
    pub level: &'a str,
    /// `SP`, `MOUPG`, `CBS`, `DISM`…, or empty.
    pub component: &'a str,
    pub message: &'a str,
}

impl LogLine<'_> {
    pub fn is_error(&self) -> bool {
        self.level.eq_ignore_ascii_case("error") || self.level.eq_ignore_ascii_case("fatalerror")
    }

    /// Whether two lines are a minute apart at most.
    pub fn near(&self, date: &str, secs: u32) -> bool {
        self.date == date && self.secs.abs_diff(secs) <= 60
    }
}

/// Parses `2023-05-23 00:32:46, Error   SP   message`; None for any
/// other line.
pub fn parse_line(s: &str) -> Option<LogLine<'_>> {
    let b = s.as_bytes();
    if b.len() < 21 {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b' '
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && b[19] == b',')
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let secs = num(11..13) * 3600 + num(14..16) * 60 + num(17..19);
    let rest = s[20..].trim_start();
    let level_end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let level = &rest[..level_end];
    let after = &rest[level_end..];
    let mut rest = after.trim_start();
    // The level is padded to 22 columns; a longer gap means the
    // component column is empty.
    let mut wide_gap = after.len() - rest.len() > 24usize.saturating_sub(level.len());
    // setuperr.log puts `[0x0606ae]` before the component.
    if rest.starts_with("[0x")
        && let Some(end) = rest.find(']')
    {
        rest = rest[end + 1..].trim_start();
        wide_gap = false;
    }
    let tok_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let tok = &rest[..tok_end];
    let is_component = (2..=12).contains(&tok.len())
        && tok
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && tok_end < rest.len()
        && !wide_gap;
    let (component, message) = if is_component {
        (tok, rest[tok_end..].trim_start())
    } else {
        ("", rest)
    };
    Some(LogLine {
        date: &s[..10],
        secs,
        level,
        component,
        message,
    })
}

/// The first failure HRESULT in a message: `0x` and exactly 8 hex digits
/// with the top bit set, not a `gle=` value.
pub fn failure_code(msg: &str) -> Option<u32> {
    let b = msg.as_bytes();
    let mut i = 0;
    while let Some(off) = msg
        .get(i..)
        .and_then(|m| m.find("0x").or_else(|| m.find("0X")))
    {
        let at = i + off;
        i = at + 2;
        let digits = &b[at + 2..];
        let n = digits.iter().take_while(|c| c.is_ascii_hexdigit()).count();
        let boundary = digits.get(n).is_none_or(|c| !c.is_ascii_alphanumeric());
        let before_ok = at == 0 || !b[at - 1].is_ascii_alphanumeric();
        let gle = at >= 4 && b[at - 4..at].eq_ignore_ascii_case(b"gle=");
        if n == 8
            && boundary
            && before_ok
            && !gle
            && let Ok(v) = u32::from_str_radix(&msg[at + 2..at + 10], 16)
            && v & 0x8000_0000 != 0
        {
            return Some(v);
        }
    }
    None
}

/// The last path part of the first Windows path in `msg` that names a
/// file with one of `exts`; a WinSxS component folder is kept with it.
pub fn named_file(msg: &str, exts: &[&str]) -> Option<String> {
    for tok in msg.split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '\'' | '"')) {
        if !tok.contains('\\') {
            continue;
        }
        let tok = tok.trim_end_matches(['.', ',', ';', ':', ')']);
        let mut parts = tok.rsplit('\\');
        let last = parts.next().unwrap_or("");
        let ext = last.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if ext.is_none_or(|e| !exts.contains(&e.as_str())) || last.len() > 100 {
            continue;
        }
        let parent = parts.next().unwrap_or("");
        let sxs = ["amd64_", "x86_", "wow64_", "arm64_", "msil_"];
        let out = if sxs.iter().any(|p| parent.starts_with(p)) && parent.len() <= 120 {
            format!("{parent}\\{last}")
        } else {
            last.to_string()
        };
        return Some(out);
    }
    None
}

/// Text cut to `n` characters at most.
pub fn cap(s: &str, n: usize) -> String {
    s.trim().chars().take(n).collect()
}

/// Reads a whole log held in memory.
pub fn read(bytes: &[u8], encoding: Encoding, tables: &CodeTables) -> Reading {
    read_stream(bytes, encoding, tables)
}

/// Reads a log from a stream, a line at a time.
pub fn read_stream(input: impl Read, encoding: Encoding, tables: &CodeTables) -> Reading {
    let mut setup = setup::Setup::default();
    let mut diag = setup::SetupDiag::default();
    let mut cbs = servicing::Cbs::default();
    let mut dism = servicing::Dism::default();
    let mut wu = servicing::Update::default();
    let mut text = TextScan::default();
    let mut dated = 0usize;
    let result = for_each_line(input, encoding, |raw| {
        diag.line(raw);
        wu.line(raw);
        match parse_line(raw) {
            Some(l) => {
                dated += 1;
                setup.line(&l);
                cbs.line(&l);
                dism.line(&l);
            }
            None if dated == 0 => text.line(raw, tables),
            None => {}
        }
        true
    });
    if let Err(e) = result {
        tracing::warn!("reading a log: {e}");
    }
    let counts = (setup.lines, cbs.lines, dism.lines, wu.seen());
    if let Some(r) = diag.finish() {
        return r;
    }
    if let Some(r) = setup.finish() {
        return r;
    }
    if let Some(r) = dism.finish() {
        return r;
    }
    if let Some(r) = cbs.finish() {
        return r;
    }
    if let Some(r) = wu.finish() {
        return r;
    }
    let (setup_lines, cbs_lines, dism_lines, wu_seen) = counts;
    if dated > 0 || wu_seen {
        // A known log with nothing failed in it.
        let kind = if wu_seen {
            FileKind::UpdateLog
        } else if dism_lines > cbs_lines && dism_lines > setup_lines {
            FileKind::DismLog
        } else if cbs_lines > setup_lines {
            FileKind::CbsLog
        } else {
            FileKind::SetupLog
        };
        return Reading::new(kind);
    }
    text.finish()
}

/// Any other text: every code the message scanner finds, in order.
#[derive(Default)]
struct TextScan {
    codes: Vec<ReadCode>,
}

impl TextScan {
    fn line(&mut self, raw: &str, tables: &CodeTables) {
        if self.codes.len() >= MAX_TEXT_CODES || !raw.bytes().any(|b| b.is_ascii_digit()) {
            return;
        }
        for f in codes::extract(raw, tables, &|_| false).found {
            if self.codes.len() < MAX_TEXT_CODES && !self.codes.iter().any(|c| c.code == f.code) {
                self.codes.push(ReadCode {
                    code: f.code,
                    ext: f.ext,
                });
            }
        }
    }

    fn finish(self) -> Reading {
        let mut r = Reading::new(FileKind::Text);
        let mut it = self.codes.into_iter();
        r.main = it.next();
        r.other = it.map(|c| c.code).collect();
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_setup_and_setuperr_lines() {
        let l = parse_line("2023-05-23 00:32:46, Error                 SP     Operation failed: x. Error: 0x80070570[gle=0x000000b7]").unwrap();
        assert_eq!(
            (l.date, l.level, l.component),
            ("2023-05-23", "Error", "SP")
        );
        assert_eq!(l.secs, 32 * 60 + 46);
        assert_eq!(failure_code(l.message), Some(0x8007_0570));
        let e =
            parse_line("2019-03-29 00:32:48, Error      [0x0606ae] IBS    [SetupCl library] hive")
                .unwrap();
        assert_eq!((e.component, e.message), ("IBS", "[SetupCl library] hive"));
        let w = parse_line("2022-07-06 08:18:24, Error                        WMI Helper Library: failed (0x80080005)[gle=0x000036b7]").unwrap();
        assert_eq!(w.component, "");
        assert_eq!(failure_code(w.message), Some(0x8008_0005));
        assert!(parse_line("[1676.1796] [0x80070570] ResExtract").is_none());
        assert!(parse_line("2023-05-23").is_none());
    }

    #[test]
    fn failure_codes_skip_gle_success_and_long_hex() {
        assert_eq!(failure_code("Error 0x00000002 [gle=0x80070002]"), None);
        assert_eq!(
            failure_code("addr 0x80070002FFFF then hr:0x800f081f"),
            Some(0x800F_081F)
        );
        assert_eq!(failure_code("HRESULT [0x8007000D]"), Some(0x8007_000D));
        assert_eq!(failure_code("0x"), None);
    }

    #[test]
    fn named_files_keep_the_winsxs_folder() {
        let m = r"Error in apply of \\?\C:\Windows\WinSxS\amd64_netfx4-x_1.0_none_00\mscordbi.dll. GLE [1392]";
        assert_eq!(
            named_file(m, &["dll"]).as_deref(),
            Some(r"amd64_netfx4-x_1.0_none_00\mscordbi.dll")
        );
        assert_eq!(
            named_file(r"to D:\$WINDOWS.~BT\NewOS.", &["dll", "sys"]),
            None
        );
    }

    #[test]
    fn plain_text_is_scanned_for_any_code() {
        let r = read(
            b"my install stopped\nit said 0xC1900101 - 0x4000D\nthen 0x80070002\n",
            Encoding::Utf8,
            CodeTables::bundled(),
        );
        assert_eq!(r.kind, FileKind::Text);
        assert_eq!(
            r.main.map(|c| (c.code, c.ext)),
            Some((0xC190_0101, Some(0x4000D)))
        );
        assert_eq!(r.other, vec![0x8007_0002]);
    }
}
