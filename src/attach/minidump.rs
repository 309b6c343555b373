//! User-mode minidumps (`MDMP`, an app's crash dump): the exception code,
//! the module the exception address falls in, and the Windows build, read
//! by hand with every offset checked.
//!
//! Layout, from the public minidump format: header with the stream count
//! at 8 and the stream directory offset at 12; directory entries of 12
//! bytes (type, size, offset). Stream 6 (exception): the exception code at
//! +8 and the address at +0x18. Stream 4 (modules): a count, then entries
//! of 108 bytes (base u64 at 0, size u32 at 8, name offset u32 at 20; the
//! name a u32 byte length and UTF-16). Stream 7 (system info): the build
//! number at +16.

use super::{FileKind, Note, Problem, ReadCode, Reading};

const MAX_STREAMS: usize = 1024;
const MAX_MODULES: usize = 4096;
const MODULE_SIZE: usize = 108;

use super::dump::{u32_at, u64_at};

/// Where each stream of interest starts.
fn stream(b: &[u8], kind: u32) -> Option<usize> {
    let count = u32_at(b, 8)? as usize;
    let dir = u32_at(b, 12)? as usize;
    for i in 0..count.min(MAX_STREAMS) {
        let e = dir.checked_add(i * 12)?;
        if u32_at(b, e)? == kind {
            return Some(u32_at(b, e + 8)? as usize);
        }
    }
    None
}

fn module_at(b: &[u8], addr: u64) -> Option<(String, u64)> {
    let list = stream(b, 4)?;
    let n = (u32_at(b, list)? as usize).min(MAX_MODULES);
    for i in 0..n {
        let m = list.checked_add(4 + i * MODULE_SIZE)?;
        let base = u64_at(b, m)?;
        let size = u64::from(u32_at(b, m + 8)?);
        let off = addr.wrapping_sub(base);
        if addr >= base && off < size {
            let name_at = u32_at(b, m + 20)? as usize;
            let len = (u32_at(b, name_at)? as usize).min(520);
            let bytes = b.get(name_at + 4..name_at + 4 + len)?;
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            let full = String::from_utf16_lossy(&units);
            let name = full.rsplit('\\').next().unwrap_or(&full).to_string();
            return Some((name, off));
        }
    }
    None
}

/// Reads a user-mode minidump into a [`Reading`].
pub fn read(b: &[u8]) -> Reading {
    if b.len() < 32 || !b.starts_with(b"MDMP") {
        return Reading::problem(FileKind::UserDump, Problem::Truncated);
    }
    let Some(exc) = stream(b, 6) else {
        return Reading::problem(FileKind::UserDump, Problem::NotSupported);
    };
    let Some(code) = u32_at(b, exc + 8) else {
        return Reading::problem(FileKind::UserDump, Problem::Truncated);
    };
    let mut r = Reading::new(FileKind::UserDump);
    r.main = Some(ReadCode::new(code));
    if let Some(addr) = u64_at(b, exc + 0x18)
        && let Some((name, offset)) = module_at(b, addr)
    {
        r.culprit = Some(name.clone());
        r.notes.push(Note::Parameter {
            index: 0,
            value: addr,
            driver: Some(name),
            offset: Some(offset),
        });
    }
    if let Some(sys) = stream(b, 7)
        && let Some(build) = u32_at(b, sys + 16)
    {
        let arch = match b
            .get(sys..sys + 2)
            .map(|a| u16::from_le_bytes([a[0], a[1]]))
        {
            Some(9) => "x64",
            Some(12) => "ARM64",
            Some(0) => "x86",
            _ => "unknown architecture",
        };
        r.notes.push(Note::System {
            build,
            arch: arch.to_string(),
        });
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minidump with exception, module list and system info streams.
    fn fake() -> Vec<u8> {
        let mut b = vec![0u8; 0x400];
        b[..4].copy_from_slice(b"MDMP");
        b[8..12].copy_from_slice(&3u32.to_le_bytes());
        b[12..16].copy_from_slice(&0x20u32.to_le_bytes());
        let dir = [(6u32, 0x100u32), (4, 0x200), (7, 0x80)];
        for (i, (kind, at)) in dir.iter().enumerate() {
            let e = 0x20 + i * 12;
            b[e..e + 4].copy_from_slice(&kind.to_le_bytes());
            b[e + 8..e + 12].copy_from_slice(&at.to_le_bytes());
        }
        b[0x80..0x82].copy_from_slice(&9u16.to_le_bytes());
        b[0x90..0x94].copy_from_slice(&22631u32.to_le_bytes());
        b[0x108..0x10C].copy_from_slice(&0xC000_0005u32.to_le_bytes());
        b[0x118..0x120].copy_from_slice(&0x7FF6_0000_1234u64.to_le_bytes());
        b[0x200..0x204].copy_from_slice(&1u32.to_le_bytes());
        b[0x204..0x20C].copy_from_slice(&0x7FF6_0000_0000u64.to_le_bytes());
        b[0x20C..0x210].copy_from_slice(&0x10000u32.to_le_bytes());
        b[0x218..0x21C].copy_from_slice(&0x300u32.to_le_bytes());
        let name: Vec<u8> = "C:\\Games\\game.exe"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        b[0x300..0x304].copy_from_slice(&(name.len() as u32).to_le_bytes());
        b[0x304..0x304 + name.len()].copy_from_slice(&name);
        b
    }

    #[test]
    fn exception_code_module_and_build() {
        let r = read(&fake());
        assert_eq!(r.main, Some(ReadCode::new(0xC000_0005)));
        assert_eq!(r.culprit.as_deref(), Some("game.exe"));
        assert!(r.notes.contains(&Note::System {
            build: 22631,
            arch: "x64".into()
        }));
    }

    #[test]
    fn cut_minidumps_are_problems() {
        let b = fake();
        for cut in [0, 10, 40, 0x10A] {
            let r = read(&b[..cut]);
            assert!(r.main.is_none() && r.problem.is_some(), "cut at {cut}");
        }
    }
}
