//! The sentences that say what was read from an attachment.

use crate::attach::{FileKind, Note, Problem, Reading};
use crate::codes::{self, CodeTables, Family};

pub const OCR_OFF_AT_START: &str =
    "tesseract is not installed: screenshots attached to messages will not be read.";
pub const TOO_MANY_ATTACHMENTS: &str = "I read the first 5 attachments only.";
pub const DOWNLOAD_FAILED: &str = "I couldn't download your attachment; try attaching it again.";

/// "your setupact.log", or the kind of file when there is no name.
fn your(r: &Reading) -> String {
    if let Some(name) = &r.name {
        return format!("your {name}");
    }
    let kind = match r.kind {
        FileKind::SetupLog => "upgrade log",
        FileKind::SetupDiag => "SetupDiag results",
        FileKind::CbsLog => "CBS log",
        FileKind::DismLog => "DISM log",
        FileKind::UpdateLog => "Windows Update log",
        FileKind::KernelDump => "crash dump",
        FileKind::UserDump => "crash dump",
        FileKind::Screenshot => "screenshot",
        FileKind::Zip => "zip file",
        FileKind::Text | FileKind::Unknown => "file",
    };
    format!("your {kind}")
}

fn problem_sentence(r: &Reading, p: Problem) -> String {
    let you = your(r);
    let sentence = match p {
        Problem::Truncated => format!("{you} is cut short, so I could only read part of it."),
        Problem::Malformed => format!(
            "I couldn't read {you}: it isn't the kind of file it looks like, or it is damaged."
        ),
        Problem::NotSupported => format!(
            "I can't read {you} yet: attach a log, a screenshot or a crash dump from C:\\Windows\\Minidump."
        ),
        Problem::TooLarge => {
            format!("{you} is too large for me to read (25 MB per file, 50 MB unpacked in a zip).")
        }
        Problem::ZipBomb => {
            format!("I didn't open {you}: it would unpack to far more than its size.")
        }
        Problem::BadPath => format!("I skipped a file in {you} whose path leads outside the zip."),
        Problem::TooManyEntries => {
            format!("{you} holds too many files for me (200 at most); zip just the logs, please.")
        }
        Problem::OcrUnavailable => format!(
            "I can't read screenshots here, so I skipped {you}: please type the code it shows."
        ),
        Problem::Unreadable => format!("I couldn't read {you}."),
    };
    capitalised(&sentence)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn bugcheck_name(code: u32, tables: &CodeTables) -> Option<String> {
    tables
        .meanings(code)
        .into_iter()
        .find(|m| m.family == Family::BugCheck && m.name != codes::NO_PUBLIC_NAME)
        .map(|m| m.name)
}

/// One sentence (sometimes two) saying what was read.
pub fn describe(r: &Reading, tables: &CodeTables) -> String {
    let you = your(r);
    let main = r.main.map(|c| c.text());
    let mut s = match (r.kind, &main) {
        (_, None) if r.problem.is_some() => {
            return problem_sentence(r, r.problem.unwrap_or(Problem::Unreadable));
        }
        (FileKind::Screenshot, None) => {
            let dym = r.notes.iter().find_map(|n| match n {
                Note::DidYouMean { typed, suggested } => Some((typed, *suggested)),
                _ => None,
            });
            return match dym {
                Some((typed, suggested)) => format!(
                    "Read from {you}: {typed}, which isn't a code I know. Did you mean {}?",
                    codes::hex(suggested)
                ),
                None => format!(
                    "I couldn't read an error code in {you}; please type the code it shows."
                ),
            };
        }
        (FileKind::Screenshot, Some(code)) => {
            format!("Read from {you}: {code}. If I misread it, type the code as you see it")
        }
        (FileKind::KernelDump, Some(code)) => {
            let name = r.main.and_then(|c| bugcheck_name(c.code, tables));
            let mut s = match name {
                Some(n) => format!("From {you}: bug check {code} ({n})"),
                None => format!("From {you}: bug check {code}"),
            };
            let params: Vec<String> = r
                .notes
                .iter()
                .filter_map(|n| match n {
                    Note::Parameter { value, .. } => Some(format!("0x{value:X}")),
                    _ => None,
                })
                .collect();
            if !params.is_empty() {
                s.push_str(&format!(", parameters {}", params.join(", ")));
            }
            for n in &r.notes {
                if let Note::Parameter {
                    index,
                    driver: Some(d),
                    offset: Some(off),
                    ..
                } = n
                {
                    s.push_str(&format!("; parameter {index} is inside {d} (+0x{off:X})"));
                }
            }
            for n in &r.notes {
                if let Note::System { build, arch } = n {
                    s.push_str(&format!("; Windows build {build}, {arch}"));
                }
            }
            s
        }
        (FileKind::UserDump, Some(code)) => {
            let mut s = format!("From {you}: the program crashed with {code}");
            for n in &r.notes {
                match n {
                    Note::Parameter {
                        driver: Some(d),
                        offset: Some(off),
                        ..
                    } => s.push_str(&format!(" in {d} (+0x{off:X})")),
                    Note::System { build, arch } => {
                        s.push_str(&format!("; Windows build {build}, {arch}"))
                    }
                    _ => {}
                }
            }
            s
        }
        (FileKind::SetupLog, Some(code)) | (FileKind::SetupDiag, Some(code)) => {
            let mut s = format!("From {you}: setup failed with {code}");
            if let Some(p) = &r.phase {
                s.push_str(&format!(" in the {p} phase"));
            }
            if let Some(op) = &r.operation {
                s.push_str(&format!(", during \u{201c}{op}\u{201d}"));
            }
            if let Some(root) = r.root_cause {
                s.push_str(&format!(
                    "; root cause {}, the error just before it",
                    root.text()
                ));
            }
            if let Some(f) = &r.culprit {
                s.push_str(&format!("; the file named there: {f}"));
            }
            for n in &r.notes {
                if let Note::Rule { name } = n {
                    s.push_str(&format!(" (SetupDiag rule {name})"));
                }
            }
            s
        }
        (FileKind::DismLog, Some(code)) => {
            let cmd = r.notes.iter().find_map(|n| match n {
                Note::Command { line } => Some(line.as_str()),
                _ => None,
            });
            match cmd {
                Some(c) => format!("From {you}: `{c}` failed with {code}"),
                None => format!("From {you}: DISM failed with {code}"),
            }
        }
        (FileKind::CbsLog, Some(code)) => format!("From {you}: servicing failed with {code}"),
        (FileKind::UpdateLog, Some(code)) => format!("From {you}: an update failed with {code}"),
        (_, Some(code)) => {
            let mut all = vec![code.clone()];
            all.extend(r.other.iter().map(|&c| codes::hex(c)));
            format!("From {you}: {}", all.join(", "))
        }
        (_, None) => String::new(),
    };
    for n in &r.notes {
        match n {
            Note::Package { name } => s.push_str(&format!(" (package {name})")),
            Note::Corruption {
                detected,
                repaired,
                files,
            } => {
                let lead = if s.is_empty() {
                    format!("From {you}: the")
                } else {
                    "; the".to_string()
                };
                s.push_str(&format!(
                    "{lead} scan found {detected} corrupt file(s) and repaired {repaired}"
                ));
                if !files.is_empty() {
                    s.push_str(&format!(" ({})", files.join(", ")));
                }
            }
            _ => {}
        }
    }
    if s.is_empty() {
        return format!("I read {you}: nothing in it failed.");
    }
    s.push('.');
    if let Some(p) = r.problem {
        s.push(' ');
        s.push_str(&problem_sentence(r, p));
    }
    s
}
