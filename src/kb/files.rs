//! Finding the knowledge files of a directory without trusting it.
//!
//! Only regular files named `*.toml` inside the directory are read. A
//! symbolic link is never followed (so a link loop or a link to
//! `/dev/zero` costs nothing), FIFOs, sockets and devices are never opened,
//! and every file, the number of files and the depth of folders are
//! capped. Anything refused becomes a [`Problem`] naming its path.

use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

use super::load::SourceFile;
use super::problem::Problem;

/// The largest knowledge file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 1 << 20;
/// At most this many `.toml` files are read from one directory tree.
pub const MAX_FILES: usize = 5_000;
/// Folders nested deeper than this are not read.
pub const MAX_DEPTH: usize = 16;

/// What one walk found so far.
#[derive(Default)]
pub(crate) struct Walk {
    pub files: Vec<SourceFile>,
    pub problems: Vec<Problem>,
    /// Entries looked at, to stop a directory with millions of names.
    seen: usize,
}

impl Walk {
    fn refuse(&mut self, path: &Path, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.display().to_string(),
            line: 0,
            message: message.into(),
        });
    }

    fn full(&self) -> bool {
        self.files.len() >= MAX_FILES || self.seen >= MAX_FILES * 4
    }
}

/// Reads the knowledge files under `root` into `w`.
pub(crate) fn walk(root: &Path, w: &mut Walk) {
    walk_dir(root, root, 0, w);
}

fn walk_dir(root: &Path, dir: &Path, depth: usize, w: &mut Walk) {
    if depth > MAX_DEPTH {
        w.refuse(dir, format!("folders nest deeper than {MAX_DEPTH} levels"));
        return;
    }
    let read = match fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) => return w.refuse(dir, e.to_string()),
    };
    let mut entries = Vec::new();
    for e in read {
        w.seen += 1;
        if w.full() {
            w.refuse(
                dir,
                format!("more than {MAX_FILES} files; the rest were not read"),
            );
            return;
        }
        match e {
            // The type of the entry itself: a symbolic link stays a link.
            Ok(e) => match e.file_type() {
                Ok(t) => entries.push((e.path(), t)),
                Err(err) => w.refuse(&e.path(), err.to_string()),
            },
            Err(err) => w.refuse(dir, err.to_string()),
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, kind) in entries {
        if w.full() {
            w.refuse(
                dir,
                format!("more than {MAX_FILES} files; the rest were not read"),
            );
            return;
        }
        if kind.is_symlink() {
            w.refuse(
                &path,
                "is a symbolic link; links are not followed, put the file itself here",
            );
        } else if kind.is_dir() {
            walk_dir(root, &path, depth + 1, w);
        } else if !kind.is_file() {
            w.refuse(
                &path,
                "is not a regular file (a FIFO, socket or device); it was not opened",
            );
        } else if path.extension().is_some_and(|e| e == "toml") {
            read_one(root, &path, w);
        }
    }
}

/// Reads one regular file, at most [`MAX_FILE_BYTES`] of it.
fn read_one(root: &Path, path: &Path, w: &mut Walk) {
    let rel = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    match read_capped(path) {
        Ok(text) => w.files.push(SourceFile {
            rel,
            shown: path.display().to_string(),
            text,
        }),
        Err(message) => w.refuse(path, message),
    }
}

fn read_capped(path: &Path) -> Result<String, String> {
    let file = File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    // The file may have changed since the directory was listed.
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("is not a regular file; it was not read".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "is not UTF-8 text (byte {} is not valid)",
            e.utf8_error().valid_up_to()
        )
    })
}

fn too_big(len: u64) -> String {
    format!(
        "is {len} bytes or more; a knowledge file may be at most {} KiB",
        MAX_FILE_BYTES / 1024
    )
}
