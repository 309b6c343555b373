//! Reading what people attach: upgrade and servicing logs, blue-screen
//! dumps, screenshots and zip files of logs.
//!
//! Every reader takes bytes (or a byte stream for logs), never panics, and
//! returns a [`Reading`]: plain data saying what kind of file it was, the
//! main code, the root-cause code, the phase and operation, the driver or
//! file named, and notes. [`crate::messages::attach`] turns a reading into
//! the sentence people see ("from your setupact.log: …").
//!
//! - [`sniff`]: the type from the first bytes, never from the name.
//! - [`dump`]: kernel dump headers (`PAGEDU64`, `PAGEDUMP`) and the driver
//!   list of triage dumps.
//! - [`minidump`]: user-mode minidumps (`MDMP`): the exception code and
//!   the module it happened in.
//! - [`logs`]: setupact/setuperr, SetupDiagResults, CBS, DISM and Windows
//!   Update text logs, read line by line in constant memory.
//! - [`zip`]: zip files of logs, with caps against zip bombs.
//! - [`ocr`]: screenshots through the `tesseract` command, when installed.

mod answer;
pub mod dump;
pub mod logs;
pub mod minidump;
pub mod ocr;
mod reading;
pub mod sniff;
pub mod zip;

pub use reading::{FileKind, Note, Problem, ReadCode, Reading};
pub use sniff::{Sniffed, sniff};

use std::io::Read;

use crate::codes::CodeTables;

/// At most this many attachments of one message are read.
pub const MAX_ATTACHMENTS: usize = 5;
/// Attachments larger than this are not downloaded or read whole.
pub const MAX_ATTACHMENT_BYTES: usize = 25 * 1024 * 1024;

/// What the readers need besides the bytes.
pub struct Readers<'a> {
    pub tables: &'a CodeTables,
    /// Codes the knowledge base has entries for (they count as known).
    pub known: &'a (dyn Fn(u32) -> bool + Sync),
    pub ocr: &'a ocr::Ocr,
}

impl Readers<'_> {
    /// Whether a code read from a picture may be shown as read: the
    /// tables or the knowledge base name it, or it is a failure value of a
    /// facility the tables know.
    pub fn is_known(&self, code: u32) -> bool {
        self.tables.is_named(code)
            || (self.known)(code)
            || (code & 0x8000_0000 != 0
                && (self.tables.hresult_facility(code).is_some()
                    || self.tables.ntstatus_facility(code).is_some()))
    }
}

/// Reads one attachment held in memory. `name` is only shown to people
/// ("your setupact.log"); the type comes from the bytes.
pub fn read_bytes(bytes: &[u8], name: &str, readers: &Readers<'_>) -> Reading {
    let sniffed = sniff(bytes);
    let mut reading = match sniffed {
        Sniffed::Png | Sniffed::Jpeg | Sniffed::WebP => readers.ocr.read_image(bytes, readers),
        Sniffed::KernelDump64 | Sniffed::KernelDump32 => dump::read(bytes, readers.tables),
        Sniffed::UserDump => minidump::read(bytes),
        Sniffed::Zip => zip::read(bytes, readers),
        Sniffed::Text(encoding) => logs::read(bytes, encoding, readers.tables),
        Sniffed::Unknown => Reading::problem(FileKind::Unknown, Problem::NotSupported),
    };
    reading.name = display_name(name);
    reading
}

/// Reads one attachment from a stream: text logs are read line by line
/// (memory does not grow with the file); other types are read whole up to
/// [`MAX_ATTACHMENT_BYTES`].
pub fn read_stream(mut input: impl Read, name: &str, readers: &Readers<'_>) -> Reading {
    let mut head = Vec::with_capacity(sniff::HEAD_BYTES);
    if let Err(e) = input
        .by_ref()
        .take(sniff::HEAD_BYTES as u64)
        .read_to_end(&mut head)
    {
        tracing::warn!("reading attachment {name}: {e}");
        return Reading::problem(FileKind::Unknown, Problem::Unreadable);
    }
    let mut reading = match sniff(&head) {
        Sniffed::Text(encoding) => logs::read_stream(
            std::io::Cursor::new(head).chain(input),
            encoding,
            readers.tables,
        ),
        _ => {
            let mut all = head;
            let limit = (MAX_ATTACHMENT_BYTES + 1 - all.len().min(MAX_ATTACHMENT_BYTES)) as u64;
            if let Err(e) = input.take(limit).read_to_end(&mut all) {
                tracing::warn!("reading attachment {name}: {e}");
                return Reading::problem(FileKind::Unknown, Problem::Unreadable);
            }
            if all.len() > MAX_ATTACHMENT_BYTES {
                return Reading {
                    name: display_name(name),
                    ..Reading::problem(FileKind::Unknown, Problem::TooLarge)
                };
            }
            return read_bytes(&all, name, readers);
        }
    };
    reading.name = display_name(name);
    reading
}

/// The phase an upgrade extend code names, in short ("Safe OS").
pub fn phase_of_ext(ext: u32) -> Option<&'static str> {
    let label = crate::codes::decode_ext(ext).phase_label?;
    label.split(':').next().map(str::trim)
}

/// The file name as it may be shown: the last path part, printable
/// characters only, no Markdown, at most 60 characters.
pub fn display_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '`' | '*' | '~' | '|' | '<' | '>' | '@' | '#'))
        .take(60)
        .collect();
    let clean = clean.trim().to_string();
    (!clean.is_empty()).then_some(clean)
}
