//! What was read from one attachment: plain data, rendered elsewhere.

use serde::Serialize;

/// What kind of file the bytes turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// setupact.log / setuperr.log of a Windows upgrade or install.
    SetupLog,
    /// SetupDiagResults.log or .xml.
    SetupDiag,
    /// CBS.log (servicing).
    CbsLog,
    /// DISM.log.
    DismLog,
    /// WindowsUpdate text log.
    UpdateLog,
    /// Any other text.
    Text,
    /// A kernel crash dump (`PAGEDU64` / `PAGEDUMP`).
    KernelDump,
    /// A user-mode minidump (`MDMP`).
    UserDump,
    /// A PNG or JPEG picture.
    Screenshot,
    Zip,
    Unknown,
}

/// A code read from the file, with its upgrade extend code when there was one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReadCode {
    pub code: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ext: Option<u32>,
}

impl ReadCode {
    pub fn new(code: u32) -> ReadCode {
        ReadCode { code, ext: None }
    }

    /// `0x8007000D` or `0x8007000D - 0x2000C`.
    pub fn text(&self) -> String {
        match self.ext {
            Some(ext) => format!("{} - 0x{ext:X}", crate::codes::hex(self.code)),
            None => crate::codes::hex(self.code),
        }
    }
}

/// Facts worth telling beside the codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    /// SetupDiag's matched rule.
    Rule { name: String },
    /// The command a DISM run failed in.
    Command { line: String },
    /// The servicing package named with the failure.
    Package { name: String },
    /// A CBS/SFC scan summary.
    Corruption {
        detected: u32,
        repaired: u32,
        files: Vec<String>,
    },
    /// A bug-check parameter (1–4) and the driver it points into.
    Parameter {
        index: u8,
        value: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        driver: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        offset: Option<u64>,
    },
    /// Windows build and processor architecture from a dump header.
    System { build: u32, arch: String },
    /// The dump's type (full, kernel, triage/minidump).
    DumpType { name: String },
    /// What OCR read that was almost a known code.
    DidYouMean { typed: String, suggested: u32 },
    /// The reading came from a picture and may be misread.
    FromPicture,
    /// An entry of a zip file was not read, and why.
    Skipped { entry: String, problem: Problem },
}

/// Why a file could not be read (or only partly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// The file ends before the part that was needed.
    Truncated,
    /// The header is not what the type promises.
    Malformed,
    /// Not a type hexhelp reads.
    NotSupported,
    /// Larger than the cap.
    TooLarge,
    /// A zip whose entries would unpack far beyond their size.
    ZipBomb,
    /// A zip entry with a path leading outside.
    BadPath,
    /// Too many zip entries.
    TooManyEntries,
    /// Screenshots can't be read here (no `tesseract`).
    OcrUnavailable,
    /// An I/O or decoding failure.
    Unreadable,
}

/// Everything read from one attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reading {
    pub kind: FileKind,
    /// The file name, cleaned for display.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The reported code (the last failure of an upgrade, the bug check).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main: Option<ReadCode>,
    /// The failure just before the reported one, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_cause: Option<ReadCode>,
    /// Other codes worth decoding (a bug check's exception code).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The file or driver named with the failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub culprit: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
}

impl Reading {
    pub fn new(kind: FileKind) -> Reading {
        Reading {
            kind,
            name: None,
            main: None,
            root_cause: None,
            other: Vec::new(),
            phase: None,
            operation: None,
            culprit: None,
            notes: Vec::new(),
            problem: None,
        }
    }

    pub fn problem(kind: FileKind, problem: Problem) -> Reading {
        Reading {
            problem: Some(problem),
            ..Reading::new(kind)
        }
    }

    /// Every code read, the main code first, then the root cause, then the
    /// others; each once.
    pub fn codes(&self) -> Vec<ReadCode> {
        let mut out: Vec<ReadCode> = Vec::new();
        let all = self
            .main
            .iter()
            .chain(self.root_cause.iter())
            .copied()
            .chain(self.other.iter().map(|&c| ReadCode::new(c)));
        for c in all {
            if !out.iter().any(|o| o.code == c.code) {
                out.push(c);
            }
        }
        out
    }

    /// Whether a screenshot's code should be shown as "read from your
    /// screenshot" so the person can correct it.
    pub fn from_picture(&self) -> bool {
        self.kind == FileKind::Screenshot
    }
}
