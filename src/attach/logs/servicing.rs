//! Servicing logs: CBS.log, DISM.log and Windows Update text logs.
//!
//! CBS: only error-level failures count (dozens of info-level
//! `CBS_E_INVALID_PACKAGE` lines are routine), with the package named on
//! the line, and the scan summary (corruption detected and repaired, the
//! corrupt payload files). DISM: the `hr:` of the last failed operation
//! and the command line it ran under; Appx provider errors only when
//! nothing else failed. Windows Update: the last `FAILED [8024xxxx]`.

use super::{LogLine, cap, failure_code};
use crate::attach::{FileKind, Note, ReadCode, Reading};

/// Corrupt files named in a summary note.
const MAX_FILES: usize = 10;

#[derive(Default)]
pub struct Cbs {
    pub lines: usize,
    main: Option<u32>,
    package: Option<String>,
    detected: Option<u32>,
    repaired: Option<u32>,
    files: Vec<String>,
}

impl Cbs {
    pub fn line(&mut self, l: &LogLine<'_>) {
        if !matches!(l.component, "CBS" | "CSI") {
            return;
        }
        self.lines += 1;
        let msg = l.message;
        if l.is_error()
            && let Some(code) = failure_code(msg)
        {
            self.main = Some(code);
            self.package = package_in(msg);
        }
        if msg.contains("Checking System Update Readiness") {
            self.files.clear();
        }
        if let Some(n) = count_after(msg, "Total Detected Corruption:") {
            self.detected = Some(n);
        }
        if let Some(n) = count_after(msg, "Total Repaired Corruption:") {
            self.repaired = Some(n);
        }
        let listed = msg.trim_start().starts_with("(p)") || msg.trim_start().starts_with("(w)");
        if listed && (msg.contains("CSI Payload Corrupt") || msg.contains("CSI Manifest Corrupt")) {
            let name = msg.rsplit(['\\', '\t']).next().unwrap_or("").trim();
            if !name.is_empty()
                && self.files.len() < MAX_FILES
                && !self.files.iter().any(|f| f == name)
            {
                self.files.push(cap(name, 80));
            }
        }
    }

    pub fn finish(self) -> Option<Reading> {
        let corrupt = self.detected.is_some_and(|n| n > 0);
        if self.main.is_none() && !corrupt {
            return None;
        }
        let mut r = Reading::new(FileKind::CbsLog);
        r.main = self.main.map(ReadCode::new);
        if let Some(name) = self.package {
            r.notes.push(Note::Package { name });
        }
        if let Some(detected) = self.detected
            && detected > 0
        {
            r.notes.push(Note::Corruption {
                detected,
                repaired: self.repaired.unwrap_or(0),
                files: self.files,
            });
        }
        Some(r)
    }
}

/// `Total Detected Corruption:\t8` → 8.
fn count_after(msg: &str, key: &str) -> Option<u32> {
    let rest = msg.trim_start().strip_prefix(key)?;
    rest.trim().parse().ok()
}

/// A package identity on the line (`Package_for_KB…~31bf3856ad364e35~…`).
fn package_in(msg: &str) -> Option<String> {
    msg.split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | ',' | '"'))
        .find(|t| t.contains("~31bf3856ad364e35~") || t.starts_with("Package_"))
        .map(|t| cap(t.trim_end_matches('.'), 120))
}

#[derive(Default)]
pub struct Dism {
    pub lines: usize,
    command: Option<String>,
    main: Option<(u32, Option<String>)>,
    appx: Option<(u32, Option<String>)>,
}

impl Dism {
    pub fn line(&mut self, l: &LogLine<'_>) {
        if l.component != "DISM" {
            return;
        }
        self.lines += 1;
        let msg = l.message;
        if let Some(i) = msg.find("Executing command line: ") {
            self.command = Some(cap(&msg[i + 24..], 200));
        }
        if !l.is_error() {
            return;
        }
        let Some(code) = failure_code(msg) else {
            return;
        };
        let failure = Some((code, self.command.clone()));
        if msg.contains("Appx Provider") {
            self.appx = failure;
        } else {
            self.main = failure;
        }
    }

    pub fn finish(self) -> Option<Reading> {
        let (code, command) = self.main.or(self.appx)?;
        let mut r = Reading::new(FileKind::DismLog);
        r.main = Some(ReadCode::new(code));
        if let Some(line) = command {
            r.notes.push(Note::Command { line });
        }
        Some(r)
    }
}

/// WindowsUpdate.log in its text form.
#[derive(Default)]
pub struct Update {
    failed: Option<u32>,
    lines: usize,
}

impl Update {
    pub fn line(&mut self, raw: &str) {
        let Some(i) = raw.find("FAILED [") else {
            let tabbed = raw.as_bytes().contains(&b'\t');
            if tabbed
                && (raw.contains("\tAgent\t")
                    || raw.contains("\tAU\t")
                    || raw.contains("\tHandler\t"))
            {
                self.lines += 1;
            }
            return;
        };
        self.lines += 1;
        let inside = raw[i + 8..].split(']').next().unwrap_or("");
        let hex = inside.strip_prefix("0x").unwrap_or(inside);
        if hex.len() == 8
            && let Ok(v) = u32::from_str_radix(hex, 16)
            && v & 0x8000_0000 != 0
        {
            self.failed = Some(v);
        }
    }

    pub fn seen(&self) -> bool {
        self.lines > 0
    }

    pub fn finish(self) -> Option<Reading> {
        let code = self.failed?;
        let mut r = Reading::new(FileKind::UpdateLog);
        r.main = Some(ReadCode::new(code));
        Some(r)
    }
}

#[cfg(test)]
mod tests {
    use crate::attach::logs::read;
    use crate::attach::sniff::Encoding;
    use crate::attach::{FileKind, Note, ReadCode};
    use crate::codes::CodeTables;

    fn read_str(s: &str) -> crate::attach::Reading {
        read(s.as_bytes(), Encoding::Utf8, CodeTables::bundled())
    }

    #[test]
    fn cbs_error_failures_count_and_info_failures_do_not() {
        let healthy = "2024-01-02 10:00:00, Info                  CBS    Failed to internally open package. [HRESULT = 0x800f0805 - CBS_E_INVALID_PACKAGE]\n".repeat(30);
        let r = read_str(&healthy);
        assert_eq!((r.kind, r.main), (FileKind::CbsLog, None));
        let broken = format!(
            "{healthy}2024-01-02 10:01:00, Error                 CBS    Failed to resolve package Package_for_KB5034441~31bf3856ad364e35~amd64~~10.0.1.2 [HRESULT = 0x800f0831 - CBS_E_STORE_CORRUPTION]\n"
        );
        let r = read_str(&broken);
        assert_eq!(r.main, Some(ReadCode::new(0x800F_0831)));
        assert!(
            matches!(&r.notes[0], Note::Package { name } if name.starts_with("Package_for_KB5034441"))
        );
    }

    #[test]
    fn cbs_summary_gives_corruption_without_a_code() {
        let log = "2023-05-17 08:56:21, Info                  CBS    (p)\tCSI Payload Corrupt\t(n)\t\t\tamd64_x_31bf_1_none_0\\dnsapi.dll\n\
2023-05-17 08:56:21, Info                  CBS    Total Detected Corruption:\t1\n\
2023-05-17 08:56:21, Info                  CBS    Total Repaired Corruption:\t0\n";
        let r = read_str(log);
        assert_eq!((r.kind, r.main), (FileKind::CbsLog, None));
        assert_eq!(
            r.notes,
            vec![Note::Corruption {
                detected: 1,
                repaired: 0,
                files: vec!["dnsapi.dll".to_string()]
            }]
        );
    }

    #[test]
    fn dism_gives_the_failed_command_and_skips_appx_noise() {
        let log = "\
2023-05-17 08:32:31, Info                  DISM   DISM.EXE: Executing command line: dism /online /add-provisionedappxpackage
2023-05-17 08:32:32, Error                 DISM   DISM Appx Provider: PID=1 Failed - CAppxManager::ExecuteCmdLine(hr:0x80070003)
2023-05-17 12:04:00, Info                  DISM   DISM.EXE: Executing command line: dism /online /cleanup-image /restorehealth
2023-05-17 12:06:13, Error                 DISM   DISM Package Manager: PID=2 Failed to restore the image health. - X(hr:0x800f081f)
2023-05-17 12:12:14, Info                  DISM   DISM.EXE: Executing command line: dism /online /cleanup-image /scanhealth
";
        let r = read_str(log);
        assert_eq!(
            (r.kind, r.main),
            (FileKind::DismLog, Some(ReadCode::new(0x800F_081F)))
        );
        assert_eq!(
            r.notes,
            vec![Note::Command {
                line: "dism /online /cleanup-image /restorehealth".into()
            }]
        );
    }

    #[test]
    fn windows_update_failed_lines() {
        let log = "2015-10-13\t08:52:51:587\t 948\t1e8c\tAgent\tWARNING: Exit code = 0x8024402C\n2015-10-13\t08:52:51:600\t 948\t1e8c\tAgent\t  * Download FAILED [8024402C]\n";
        let r = read_str(log);
        assert_eq!(
            (r.kind, r.main),
            (FileKind::UpdateLog, Some(ReadCode::new(0x8024_402C)))
        );
        let ok = "2015-10-13\t08:52:51:587\t 948\t1e8c\tAgent\t  * Found 0 updates\n";
        assert_eq!(read_str(ok).main, None);
    }
}
