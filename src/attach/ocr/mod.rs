//! Screenshots, read with the `tesseract` command when it is on PATH.
//!
//! Each picture is made grayscale, inverted when the background is dark,
//! and upscaled (3× small pictures, 2× medium ones); tesseract reads it
//! twice (automatic page layout, then one block of text on a binarised
//! copy, only when the first pass found no known code) and both texts
//! are combined. Codes are repaired ([`fix`]) and
//! only codes the tables or the knowledge base know are kept; near misses
//! become "did you mean". Without tesseract every picture gives
//! [`Problem::OcrUnavailable`], logged once.

mod fix;

pub use fix::repair;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use image::{GrayImage, ImageReader, Limits, imageops};

use super::{FileKind, Note, Problem, ReadCode, Readers, Reading};
use crate::codes;

/// Pictures larger than this (either side) are not read.
const MAX_SIDE: u32 = 8000;
/// The upscaled picture stays under this many pixels.
const MAX_PIXELS: u64 = 16_000_000;
/// One tesseract run may take this long before it is stopped.
const TIMEOUT: Duration = Duration::from_secs(20);
/// Codes kept from one picture.
const MAX_CODES: usize = 8;

/// The OCR engine: the path of `tesseract`, or nothing.
#[derive(Debug)]
pub struct Ocr {
    program: Option<PathBuf>,
    warned: AtomicBool,
}

impl Ocr {
    /// Looks for `tesseract` on PATH.
    pub fn detect() -> Ocr {
        let program = std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join("tesseract"))
                .find(|p| is_executable(p))
        });
        Ocr {
            program,
            warned: AtomicBool::new(false),
        }
    }

    /// An engine that never reads pictures.
    pub fn disabled() -> Ocr {
        Ocr {
            program: None,
            warned: AtomicBool::new(false),
        }
    }

    pub fn available(&self) -> bool {
        self.program.is_some()
    }

    /// The repaired text of both passes, or why there is none.
    pub fn text(&self, bytes: &[u8], readers: &Readers<'_>) -> Result<String, Problem> {
        let Some(program) = &self.program else {
            if !self.warned.swap(true, Ordering::Relaxed) {
                tracing::warn!("tesseract is not on PATH: screenshots are not read");
            }
            return Err(Problem::OcrUnavailable);
        };
        let gray = prepare(bytes)?;
        let first = repair(&run(program, &pgm(&gray), "3")?, readers.tables);
        // The second pass only when the first found no code worth showing.
        let text = if has_known_code(&first, readers) {
            first
        } else {
            let second = repair(&run(program, &pgm(&binarise(gray)), "6")?, readers.tables);
            format!("{first}\n{second}")
        };
        tracing::debug!(%text, "text read from a picture");
        Ok(text)
    }

    /// Reads a picture into a [`Reading`] with the known codes in it.
    pub fn read_image(&self, bytes: &[u8], readers: &Readers<'_>) -> Reading {
        let text = match self.text(bytes, readers) {
            Ok(t) => t,
            Err(p) => return Reading::problem(FileKind::Screenshot, p),
        };
        reading_from_text(&text, readers)
    }
}

fn has_known_code(text: &str, readers: &Readers<'_>) -> bool {
    codes::extract(text, readers.tables, readers.known)
        .found
        .iter()
        .any(|f| readers.is_known(f.code))
}

/// The known codes in OCR text, in the order read.
pub fn reading_from_text(text: &str, readers: &Readers<'_>) -> Reading {
    let extraction = codes::extract(text, readers.tables, readers.known);
    let mut r = Reading::new(FileKind::Screenshot);
    let mut kept = extraction
        .found
        .iter()
        .filter(|f| readers.is_known(f.code))
        .take(MAX_CODES);
    if let Some(f) = kept.next() {
        r.main = Some(ReadCode {
            code: f.code,
            ext: f.ext,
        });
        r.phase = f
            .ext
            .and_then(crate::attach::phase_of_ext)
            .map(str::to_string);
    }
    r.other = kept.map(|f| f.code).collect();
    for s in extraction.suggestions {
        r.notes.push(Note::DidYouMean {
            typed: s.typed,
            suggested: s.suggested,
        });
    }
    r.notes.push(Note::FromPicture);
    r
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Decoded, grayscale, light background, upscaled.
fn prepare(bytes: &[u8]) -> Result<GrayImage, Problem> {
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| Problem::Unreadable)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| {
        tracing::info!("undecodable picture: {e}");
        Problem::Malformed
    })?;
    let mut gray = img.to_luma8();
    let (w, h) = gray.dimensions();
    if w == 0 || h == 0 {
        return Err(Problem::Malformed);
    }
    let mean =
        gray.pixels().map(|p| u64::from(p.0[0])).sum::<u64>() / (u64::from(w) * u64::from(h));
    if mean < 110 {
        imageops::invert(&mut gray);
    }
    let mut scale = if w < 1000 {
        3
    } else if w < 2000 {
        2
    } else {
        1
    };
    while scale > 1 && u64::from(w * scale) * u64::from(h * scale) > MAX_PIXELS {
        scale -= 1;
    }
    if scale > 1 {
        gray = imageops::resize(&gray, w * scale, h * scale, imageops::FilterType::Triangle);
    }
    Ok(gray)
}

/// Black text on white: pixels darker than the mean become black.
fn binarise(mut gray: GrayImage) -> GrayImage {
    let n = u64::from(gray.width()) * u64::from(gray.height());
    let mean = gray.pixels().map(|p| u64::from(p.0[0])).sum::<u64>() / n.max(1);
    let cut = (mean as u8).saturating_sub(20);
    for p in gray.pixels_mut() {
        p.0[0] = if p.0[0] < cut { 0 } else { 255 };
    }
    gray
}

/// The picture as binary PGM, which tesseract reads from stdin.
fn pgm(gray: &GrayImage) -> Vec<u8> {
    let mut out = format!("P5\n{} {}\n255\n", gray.width(), gray.height()).into_bytes();
    out.extend_from_slice(gray.as_raw());
    out
}

/// One tesseract run on `image` with page segmentation mode `psm`.
fn run(program: &Path, image: &[u8], psm: &str) -> Result<String, Problem> {
    let mut child = Command::new(program)
        .args(["stdin", "stdout", "-l", "eng", "--psm", psm])
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            tracing::warn!("cannot start tesseract: {e}");
            Problem::OcrUnavailable
        })?;
    let mut stdin = child.stdin.take().ok_or(Problem::Unreadable)?;
    let stdout = child.stdout.take().ok_or(Problem::Unreadable)?;
    let text = std::thread::scope(|s| {
        s.spawn(move || {
            // A tesseract that quits early closes the pipe: not our error.
            let _ = stdin.write_all(image);
        });
        let reader = s.spawn(move || {
            let mut text = String::new();
            let _ = stdout.take(1 << 20).read_to_string(&mut text);
            text
        });
        let start = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if start.elapsed() < TIMEOUT => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                _ => {
                    tracing::warn!("tesseract took too long; stopped");
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
            }
        }
        reader.join().unwrap_or_default()
    });
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::CodeTables;

    fn readers_with<'a>(ocr: &'a Ocr) -> Readers<'a> {
        Readers {
            tables: CodeTables::bundled(),
            known: &|_| false,
            ocr,
        }
    }

    #[test]
    fn only_known_codes_are_kept_and_near_misses_suggested() {
        let ocr = Ocr::disabled();
        let readers = readers_with(&ocr);
        let r = reading_from_text(
            "Something happened\nError code: 0x80070570 - 0xA0003\naddress 0x7FF61234",
            &readers,
        );
        assert_eq!(
            r.main.map(|c| (c.code, c.ext)),
            Some((0x8007_0570, Some(0xA0003)))
        );
        assert!(r.other.is_empty());
        let r = reading_from_text("Error 0x8007002 then", &readers);
        assert_eq!(r.main, None);
        assert!(r.notes.iter().any(|n| matches!(n, Note::DidYouMean { .. })));
    }

    #[test]
    fn without_tesseract_pictures_are_not_read() {
        let ocr = Ocr::disabled();
        let readers = readers_with(&ocr);
        let r = ocr.read_image(b"\x89PNG\r\n\x1a\n", &readers);
        assert_eq!(r.problem, Some(Problem::OcrUnavailable));
        assert!(!ocr.available());
    }

    #[test]
    fn broken_pictures_are_malformed_not_panics() {
        assert!(prepare(b"\x89PNG\r\n\x1a\nnot really").is_err());
        assert!(prepare(&[0xFF, 0xD8, 0xFF, 0, 0, 0]).is_err());
    }
}
