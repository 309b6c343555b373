//! Upgrade logs: setupact.log / setuperr.log and SetupDiagResults.
//!
//! The reported code is the last failure of Setup's own components (`SP`,
//! `MOUPG`); the root cause is the error with another code just before
//! the reported code first appeared; the failing file is the first one an
//! error line names in that burst of errors. The most frequent code in a
//! setupact.log is usually noise, so counts are never used.

use super::{LogLine, cap, failure_code, named_file};
use crate::attach::{FileKind, Note, ReadCode, Reading};

/// Files worth naming as the one that failed.
const FILE_EXTS: &[&str] = &[
    "sys", "dll", "exe", "inf", "cat", "mui", "mun", "ttc", "efi",
];

#[derive(Debug, Clone)]
struct Failure {
    code: u32,
    date: String,
    secs: u32,
}

impl Failure {
    fn of(l: &LogLine<'_>, code: u32) -> Failure {
        Failure {
            code,
            date: l.date.to_string(),
            secs: l.secs,
        }
    }
}

#[derive(Default)]
pub struct Setup {
    /// Lines of setup components seen (to tell the kind of log).
    pub lines: usize,
    main: Option<Failure>,
    root: Option<Failure>,
    last_error: Option<Failure>,
    /// When the last error line (with or without a code) was written.
    last_error_at: Option<(String, u32)>,
    /// The first file named by an error line of the current burst.
    burst_file: Option<String>,
    culprit: Option<String>,
    /// When and what the last `Operation failed:` was.
    operation: Option<(Failure, String)>,
    main_operation: Option<String>,
    phase: Option<String>,
    ext: Option<(u32, u32)>,
}

fn is_setup_component(c: &str) -> bool {
    matches!(c, "SP" | "MOUPG")
}

impl Setup {
    pub fn line(&mut self, l: &LogLine<'_>) {
        if !matches!(l.component, "CBS" | "CSI" | "DISM") {
            self.lines += 1;
        }
        let msg = l.message;
        // Extend codes are reported on Info lines of MOUPG.
        if l.component == "MOUPG"
            && let Some(ext) = extended_pair(msg)
        {
            self.ext = Some(ext);
        }
        if !l.is_error() {
            return;
        }
        if let Some(i) = msg.find("Operation failed: ") {
            let op = &msg[i + 18..];
            let op = op.rsplit_once(". Error").map_or(op, |(a, _)| a);
            if let Some(code) = failure_code(msg) {
                self.operation = Some((Failure::of(l, code), cap(op, 160)));
            }
        }
        if let Some(i) = msg.find("Failed execution phase ") {
            let p = &msg[i + 23..];
            self.phase = Some(cap(p.split(". Error").next().unwrap_or(p), 40));
        }
        let burst_over = self
            .last_error_at
            .as_ref()
            .is_none_or(|(date, secs)| !l.near(date, *secs));
        self.last_error_at = Some((l.date.to_string(), l.secs));
        if burst_over {
            self.burst_file = None;
        }
        if self.burst_file.is_none() {
            self.burst_file = named_file(msg, FILE_EXTS);
        }
        let Some(code) = failure_code(msg) else {
            return;
        };
        let f = Failure::of(l, code);
        if is_setup_component(l.component) && self.main.as_ref().is_none_or(|m| m.code != code) {
            self.root = self
                .last_error
                .take()
                .filter(|p| p.code != code && l.near(&p.date, p.secs));
            self.culprit = self.burst_file.clone();
            self.main_operation = self
                .operation
                .as_ref()
                .filter(|(when, _)| l.near(&when.date, when.secs))
                .map(|(_, op)| op.clone());
            self.main = Some(f.clone());
        }
        self.last_error = Some(f);
    }

    pub fn finish(self) -> Option<Reading> {
        let main = self.main?;
        let mut r = Reading::new(FileKind::SetupLog);
        let ext = self.ext.filter(|(c, _)| *c == main.code).map(|(_, e)| e);
        r.main = Some(ReadCode {
            code: main.code,
            ext,
        });
        r.root_cause = self.root.map(|f| ReadCode::new(f.code));
        r.operation = self.main_operation;
        r.phase = self.phase.or_else(|| {
            ext.and_then(crate::attach::phase_of_ext)
                .map(str::to_string)
        });
        r.culprit = self.culprit;
        Some(r)
    }
}

/// `Reporting error event -> [0x80070032, 0x50013]` or `Specifying
/// extended data [0x50013] for error [0x80070032]`: (code, extend code).
fn extended_pair(msg: &str) -> Option<(u32, u32)> {
    let hex = |s: &str| {
        let s = s.trim().trim_start_matches("0x").trim_start_matches("0X");
        u32::from_str_radix(s, 16).ok()
    };
    if let Some(i) = msg.find("Reporting error event -> [") {
        let inner = msg[i + 26..].split(']').next()?;
        let (a, b) = inner.split_once(',')?;
        return Some((hex(a)?, hex(b)?));
    }
    if let Some(i) = msg.find("Specifying extended data [") {
        let rest = &msg[i + 26..];
        let (e, rest) = rest.split_once(']')?;
        let code = rest.split_once('[')?.1.split(']').next()?;
        return Some((hex(code)?, hex(e)?));
    }
    None
}

/// SetupDiagResults.log (`Key = value` lines) or .xml (`<Key>value</Key>`).
#[derive(Default)]
pub struct SetupDiag {
    seen: bool,
    rule: Option<String>,
    phase: Option<String>,
    operation: Option<String>,
    code: Option<ReadCode>,
}

impl SetupDiag {
    pub fn line(&mut self, raw: &str) {
        let t = raw.trim();
        if t.starts_with("SetupDiag version") || t.contains("<SetupDiagReport") {
            self.seen = true;
        }
        if let Some(rest) = t.strip_prefix("Matching Profile found: ") {
            self.seen = true;
            let name = rest.split(" - ").next().unwrap_or(rest);
            self.rule = Some(cap(name, 80));
        }
        if let Some(v) = xml_value(t, "ProfileName") {
            self.rule = Some(cap(v, 80));
        }
        if !self.seen {
            return;
        }
        if let Some(v) = t
            .strip_prefix("Last Phase = ")
            .or_else(|| xml_value(t, "LastPhase"))
        {
            self.phase = Some(cap(v, 40));
        }
        if let Some(v) = t
            .strip_prefix("Last Operation = ")
            .or_else(|| xml_value(t, "LastOperation"))
        {
            self.operation = Some(cap(v, 160));
        }
        let err = t
            .strip_prefix("Error = ")
            .or_else(|| xml_value(t, "ErrorCode"));
        if let Some(v) = err
            && self.code.is_none()
        {
            self.code = parse_code_pair(v);
        }
    }

    pub fn finish(self) -> Option<Reading> {
        if !self.seen || (self.code.is_none() && self.rule.is_none()) {
            return None;
        }
        let mut r = Reading::new(FileKind::SetupDiag);
        r.main = self.code;
        r.phase = self.phase;
        r.operation = self.operation;
        if let Some(name) = self.rule {
            r.notes.push(Note::Rule { name });
        }
        Some(r)
    }
}

fn xml_value<'a>(t: &'a str, tag: &str) -> Option<&'a str> {
    let rest = t.strip_prefix('<')?.strip_prefix(tag)?.strip_prefix('>')?;
    rest.split("</").next()
}

/// `0x8007000D-0x2000C`, `0x8007000D - 0x2000C` or `0x8007000D`.
fn parse_code_pair(v: &str) -> Option<ReadCode> {
    let mut parts = v.split('-').map(str::trim);
    let hex = |s: &str| {
        let s = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))?;
        let end = s.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(s.len());
        (1..=8)
            .contains(&end)
            .then(|| u32::from_str_radix(&s[..end], 16).ok())?
    };
    let code = hex(parts.next()?)?;
    let ext = parts.next().and_then(hex);
    Some(ReadCode { code, ext })
}

#[cfg(test)]
mod tests {
    use crate::attach::logs::read;
    use crate::attach::sniff::Encoding;
    use crate::attach::{FileKind, ReadCode};
    use crate::codes::CodeTables;

    const UPGRADE: &str = "\
2023-05-23 00:32:45, Info                  SP     SPWIMCallback: Image apply. Progress: 26
2023-05-23 00:32:45, Error                 SP     SPWIMCallback: Error in apply of \\\\?\\C:\\$WINDOWS.~BT\\NewOS\\Windows\\System32\\drivers\\acme.sys. GLE [1392]
[1676.1680] [0x80070570] GetImageErrorCode: The file or directory is corrupted.
2023-05-23 00:32:46, Error                 SP     Operation failed: Apply WIM file X, index 6 to D:\\$WINDOWS.~BT\\NewOS. Error: 0x80070570[gle=0x000000b7]
2023-05-23 00:32:46, Error                 SP     ExecuteOperations: Main operation execution failed. Error: 0x8007000D
2023-05-23 00:32:46, Error                 SP     ExecuteOperations: Failed execution phase Safe OS. Error: 0x8007000D
2023-05-23 00:32:46, Info                  MOUPG  SetupHost: Reporting error event -> [0x8007000D, 0x2000C]
";

    #[test]
    fn reported_code_root_cause_phase_operation_and_file() {
        let r = read(UPGRADE.as_bytes(), Encoding::Utf8, CodeTables::bundled());
        assert_eq!(r.kind, FileKind::SetupLog);
        assert_eq!(
            r.main,
            Some(ReadCode {
                code: 0x8007_000D,
                ext: Some(0x2000C)
            })
        );
        assert_eq!(r.root_cause, Some(ReadCode::new(0x8007_0570)));
        assert_eq!(r.phase.as_deref(), Some("Safe OS"));
        assert_eq!(
            r.operation.as_deref(),
            Some("Apply WIM file X, index 6 to D:\\$WINDOWS.~BT\\NewOS")
        );
        assert_eq!(r.culprit.as_deref(), Some("acme.sys"));
    }

    #[test]
    fn the_most_frequent_code_is_not_the_answer() {
        let mut log = String::new();
        for i in 0..50 {
            log.push_str(&format!(
                "2022-07-06 08:{:02}:00, Error                 SP     Cannot find file. Error: 0x80070002\n",
                i % 10
            ));
        }
        log.push_str(
            "2022-07-06 09:18:24, Error                        WMI: failed (0x80080005)\n",
        );
        log.push_str("2022-07-06 09:18:24, Error                 SP     CSetupPlatform::Initialize: Disk provisioning is not available; hr = 0x80070032\n");
        log.push_str("2022-07-06 09:20:07, Error                 MOUPG  CSetupHost::Execute(433): Result = 0x80070032\n");
        let r = read(log.as_bytes(), Encoding::Utf8, CodeTables::bundled());
        assert_eq!(r.main.map(|c| c.code), Some(0x8007_0032));
        assert_eq!(r.root_cause.map(|c| c.code), Some(0x8008_0005));
    }

    #[test]
    fn a_healthy_setuperr_log_has_no_code() {
        let log = "2019-03-29 00:32:48, Error      [0x0606ae] IBS    [SetupCl library] Required profile hive does not exist: [\\??\\E:\\WINDOWS\\system32\\config\\systemprofile\\NTUSER.DAT].\n";
        let r = read(log.as_bytes(), Encoding::Utf8, CodeTables::bundled());
        assert_eq!((r.kind, r.main), (FileKind::SetupLog, None));
    }

    #[test]
    fn setupdiag_results_give_rule_phase_operation_and_code() {
        let log = "\r\nMatching Profile found: FindRollbackFailure - 3A43C9B5\r\nSetupDiag version: 1.6\r\nLast Phase = Safe OS\r\nLast Operation = Apply WIM file\r\nError = 0x8007000D-0x2000C\r\nLogEntry: 2023-05-23 00:32:46, Error   SP   Main operation execution failed. Error: 0x8007000D\r\n";
        let r = read(log.as_bytes(), Encoding::Utf8, CodeTables::bundled());
        assert_eq!(r.kind, FileKind::SetupDiag);
        assert_eq!(
            r.main.map(|c| c.text()),
            Some("0x8007000D - 0x2000C".to_string())
        );
        assert_eq!(r.phase.as_deref(), Some("Safe OS"));
        assert_eq!(r.operation.as_deref(), Some("Apply WIM file"));
    }
}
