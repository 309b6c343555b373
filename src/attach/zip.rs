//! Zip files of logs. Caps: [`MAX_ENTRIES`] entries, [`MAX_TOTAL`] bytes
//! unpacked in all (counted as read, not as the headers claim), no path
//! leading outside, no entry unpacking to more than [`MAX_RATIO`] times
//! its packed size (a zip bomb), no zip inside a zip. The entry whose
//! reading says most is the answer.

use std::io::{Cursor, Read};

use super::sniff::{HEAD_BYTES, Sniffed, sniff};
use super::{FileKind, MAX_ATTACHMENT_BYTES, Note, Problem, Readers, Reading, logs};

pub const MAX_ENTRIES: usize = 200;
pub const MAX_TOTAL: u64 = 50 * 1024 * 1024;
pub const MAX_RATIO: u64 = 100;
/// Entries smaller than this unpacked are never called bombs.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// Reads the entries of a zip held in memory.
pub fn read(bytes: &[u8], readers: &Readers<'_>) -> Reading {
    let mut archive = match ::zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            tracing::info!("unreadable zip: {e}");
            return Reading::problem(FileKind::Zip, Problem::Malformed);
        }
    };
    if archive.len() > MAX_ENTRIES {
        return Reading::problem(FileKind::Zip, Problem::TooManyEntries);
    }
    let mut declared = 0u64;
    for i in 0..archive.len() {
        let Ok(f) = archive.by_index_raw(i) else {
            return Reading::problem(FileKind::Zip, Problem::Malformed);
        };
        let (size, packed) = (f.size(), f.compressed_size());
        declared = declared.saturating_add(size);
        if size > RATIO_FLOOR && size / packed.max(1) > MAX_RATIO {
            return Reading::problem(FileKind::Zip, Problem::ZipBomb);
        }
    }
    if declared > MAX_TOTAL {
        return Reading::problem(FileKind::Zip, Problem::TooLarge);
    }
    let mut budget = MAX_TOTAL;
    let mut best: Option<Reading> = None;
    let mut skipped = Vec::new();
    for i in 0..archive.len() {
        let mut f = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                tracing::info!("zip entry {i}: {e}");
                continue;
            }
        };
        if f.is_dir() {
            continue;
        }
        let entry = f.name().map(|n| n.into_owned()).unwrap_or_default();
        if f.enclosed_name().is_none() {
            skipped.push(Note::Skipped {
                entry: super::display_name(&entry).unwrap_or_default(),
                problem: Problem::BadPath,
            });
            continue;
        }
        // Never more than the header claims, the budget left, or the cap.
        let limit = f.size().min(budget).min(MAX_ATTACHMENT_BYTES as u64);
        let mut counted = Counted {
            inner: (&mut f).take(limit),
            n: 0,
        };
        let reading = read_entry(&mut counted, &entry, readers);
        budget = budget.saturating_sub(counted.n);
        if let Some(r) = reading
            && rank(&r) > best.as_ref().map_or(0, rank)
        {
            best = Some(r);
        }
        if budget == 0 {
            break;
        }
    }
    let mut out = best.unwrap_or_else(|| Reading::new(FileKind::Zip));
    out.notes.extend(skipped);
    out
}

/// Counts the bytes read through it.
struct Counted<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}

fn read_entry(input: &mut impl Read, entry: &str, readers: &Readers<'_>) -> Option<Reading> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    input.take(HEAD_BYTES as u64).read_to_end(&mut head).ok()?;
    let mut r = match sniff(&head) {
        Sniffed::Text(enc) => {
            logs::read_stream(Cursor::new(head).chain(input), enc, readers.tables)
        }
        Sniffed::Zip => return None,
        _ => {
            let mut all = head;
            input.read_to_end(&mut all).ok()?;
            super::read_bytes(&all, entry, readers)
        }
    };
    r.name = super::display_name(entry);
    Some(r)
}

/// How much a reading says: a code from a specific log beats plain text.
fn rank(r: &Reading) -> u8 {
    let kind = match r.kind {
        FileKind::SetupDiag => 9,
        FileKind::SetupLog => 8,
        FileKind::KernelDump => 7,
        FileKind::DismLog => 6,
        FileKind::CbsLog => 5,
        FileKind::UpdateLog => 4,
        FileKind::Screenshot => 3,
        FileKind::Text => 2,
        _ => 1,
    };
    if r.main.is_some() { 10 + kind } else { kind }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attach::ocr::Ocr;
    use crate::codes::CodeTables;
    use std::io::Write;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ::zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = ::zip::write::SimpleFileOptions::default()
            .compression_method(::zip::CompressionMethod::Deflated);
        for (name, data) in files {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn readers_read(bytes: &[u8]) -> Reading {
        let ocr = Ocr::disabled();
        let readers = Readers {
            tables: CodeTables::bundled(),
            known: &|_| false,
            ocr: &ocr,
        };
        read(bytes, &readers)
    }

    #[test]
    fn the_setup_log_in_a_zip_answers() {
        let log = b"2023-05-23 00:32:46, Error                 SP     Operation failed: Apply. Error: 0x80070570\n2023-05-23 00:32:46, Error                 SP     ExecuteOperations: Main operation execution failed. Error: 0x8007000D\n";
        let z = zip_of(&[("notes.txt", b"hello"), ("Logs/setupact.log", log)]);
        let r = readers_read(&z);
        assert_eq!(r.kind, FileKind::SetupLog);
        assert_eq!(r.main.map(|c| c.code), Some(0x8007_000D));
        assert_eq!(r.name.as_deref(), Some("setupact.log"));
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let zeros = vec![0u8; 20 * 1024 * 1024];
        let z = zip_of(&[("zeros.log", &zeros)]);
        assert_eq!(readers_read(&z).problem, Some(Problem::ZipBomb));
    }

    #[test]
    fn paths_outside_are_skipped() {
        let z = zip_of(&[("../../evil.log", b"0x80070002")]);
        let r = readers_read(&z);
        assert!(r.notes.iter().any(|n| matches!(
            n,
            Note::Skipped {
                problem: Problem::BadPath,
                ..
            }
        )));
        assert_eq!(r.main, None);
    }

    #[test]
    fn garbage_after_the_signature_is_malformed() {
        assert_eq!(
            readers_read(b"PK\x03\x04garbage").problem,
            Some(Problem::Malformed)
        );
    }
}
