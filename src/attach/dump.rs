//! Kernel crash dump headers, read by hand (existing crates read user-mode
//! or full kernel dumps only). Every read is bounds-checked: truncated or
//! hostile bytes give a [`Problem`], never a panic.
//!
//! Offsets, from public descriptions of the dump format:
//!
//! | | 64-bit `PAGE` `DU64` | 32-bit `PAGE` `DUMP` |
//! | --- | --- | --- |
//! | MajorVersion / MinorVersion (build) | 0x08 / 0x0C | 0x08 / 0x0C |
//! | MachineImageType | 0x30 | 0x20 |
//! | BugCheckCode | 0x38 (u32) | 0x28 (u32) |
//! | parameters 1–4 | 0x40, 0x48, 0x50, 0x58 (u64) | 0x2C–0x38 (u32) |
//! | DumpType | 0xF98 | 0xF88 |
//! | header size | 0x2000 | 0x1000 |
//!
//! A 64-bit triage dump (DumpType 4, the `Minidump` folder's format) has a
//! triage header right after the dump header; its driver list (entries of
//! 0x90 bytes: a name offset, then a loader entry with DllBase at +0x38 and
//! SizeOfImage at +0x48) and string pool (u32 length, UTF-16 name) say
//! which driver a parameter points into.

use super::{FileKind, Note, Problem, ReadCode, Reading};
use crate::codes::CodeTables;

const HEADER64: usize = 0x2000;
const HEADER32: usize = 0x1000;
const DRIVER_ENTRY64: usize = 0x90;
/// More drivers than this means the list is not what we think it is.
const MAX_DRIVERS: usize = 4096;
const MAX_NAME_CHARS: usize = 260;

/// A loaded driver from a triage dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Driver {
    pub name: String,
    pub base: u64,
    pub size: u32,
}

/// What a kernel dump header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpHeader {
    pub is64: bool,
    pub bugcheck: u32,
    pub params: [u64; 4],
    pub build: u32,
    pub machine: u32,
    pub dump_type: u32,
    /// Loaded drivers (64-bit triage dumps only; empty when unreadable).
    pub drivers: Vec<Driver>,
}

/// The little-endian `u32` at `at`, if the bytes reach that far.
pub(super) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// The little-endian `u64` at `at`, if the bytes reach that far.
pub(super) fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_le_bytes(a))
}

/// Parses the header of a kernel dump.
pub fn parse(b: &[u8]) -> Result<DumpHeader, Problem> {
    let is64 = if b.starts_with(b"PAGEDU64") {
        true
    } else if b.starts_with(b"PAGEDUMP") {
        false
    } else {
        return Err(Problem::Malformed);
    };
    let (code_at, type_at) = if is64 { (0x38, 0xF98) } else { (0x28, 0xF88) };
    let bugcheck = u32_at(b, code_at).ok_or(Problem::Truncated)?;
    let mut params = [0u64; 4];
    for (i, p) in params.iter_mut().enumerate() {
        *p = if is64 {
            u64_at(b, 0x40 + 8 * i)
        } else {
            u32_at(b, 0x2C + 4 * i).map(u64::from)
        }
        .ok_or(Problem::Truncated)?;
    }
    let build = u32_at(b, 0x0C).ok_or(Problem::Truncated)?;
    let machine = u32_at(b, if is64 { 0x30 } else { 0x20 }).ok_or(Problem::Truncated)?;
    // A header cut before DumpType still has the bug check: keep it.
    let dump_type = u32_at(b, type_at).unwrap_or(0);
    let drivers = if is64 && dump_type == 4 {
        triage_drivers64(b)
    } else {
        Vec::new()
    };
    Ok(DumpHeader {
        is64,
        bugcheck,
        params,
        build,
        machine,
        dump_type,
        drivers,
    })
}

/// The driver list of a 64-bit triage dump, or nothing when any part of
/// it doesn't hold together.
fn triage_drivers64(b: &[u8]) -> Vec<Driver> {
    let t = HEADER64;
    let (Some(list), Some(count), Some(pool), Some(pool_size)) = (
        u32_at(b, t + 0x30),
        u32_at(b, t + 0x34),
        u32_at(b, t + 0x38),
        u32_at(b, t + 0x3C),
    ) else {
        return Vec::new();
    };
    let (list, count, pool, pool_end) = (
        list as usize,
        count as usize,
        pool as usize,
        (pool as usize).saturating_add(pool_size as usize),
    );
    if count == 0 || count > MAX_DRIVERS || list < HEADER64 || pool_end > b.len() {
        return Vec::new();
    }
    let Some(list_end) = count
        .checked_mul(DRIVER_ENTRY64)
        .and_then(|n| n.checked_add(list))
    else {
        return Vec::new();
    };
    if list_end > b.len() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let e = list + i * DRIVER_ENTRY64;
        let (Some(name_at), Some(base), Some(size)) =
            (u32_at(b, e), u64_at(b, e + 0x38), u32_at(b, e + 0x48))
        else {
            return Vec::new();
        };
        let name_at = name_at as usize;
        if name_at < pool || name_at >= pool_end || base == 0 || size == 0 {
            return Vec::new();
        }
        let Some(name) = pool_string(&b[..pool_end], name_at) else {
            return Vec::new();
        };
        out.push(Driver { name, base, size });
    }
    out
}

/// A string-pool entry: u32 length in characters, then UTF-16LE; the
/// last path part is kept.
fn pool_string(b: &[u8], at: usize) -> Option<String> {
    let len = u32_at(b, at)? as usize;
    if len == 0 || len > MAX_NAME_CHARS {
        return None;
    }
    let start = at + 4;
    let bytes = b.get(start..start + 2 * len)?;
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    let full = String::from_utf16_lossy(&units);
    let base = full.rsplit('\\').next().unwrap_or(&full);
    (!base.is_empty()).then(|| base.to_string())
}

impl DumpHeader {
    /// The driver whose image holds `addr`, and the offset into it.
    pub fn driver_at(&self, addr: u64) -> Option<(&Driver, u64)> {
        self.drivers.iter().find_map(|d| {
            let off = addr.checked_sub(d.base)?;
            (off < u64::from(d.size)).then_some((d, off))
        })
    }

    pub fn arch(&self) -> &'static str {
        match self.machine {
            0x8664 => "x64",
            0xAA64 => "ARM64",
            0x014C => "x86",
            0x01C4 => "ARM",
            _ => "unknown architecture",
        }
    }

    pub fn dump_type_name(&self) -> Option<&'static str> {
        match self.dump_type {
            1 => Some("full"),
            2 => Some("kernel"),
            4 => Some("triage (minidump)"),
            5 => Some("bitmap full"),
            6 => Some("bitmap kernel"),
            _ => None,
        }
    }
}

/// Bug checks whose first parameter is the exception (NTSTATUS) code.
fn param1_is_exception(code: u32) -> bool {
    matches!(code & 0x0FFF_FFFF, 0x1E | 0x7E | 0x8E) || code == 0x3B
}

/// Reads a kernel dump into a [`Reading`].
pub fn read(b: &[u8], tables: &CodeTables) -> Reading {
    let h = match parse(b) {
        Ok(h) => h,
        Err(p) => return Reading::problem(FileKind::KernelDump, p),
    };
    let mut r = Reading::new(FileKind::KernelDump);
    r.main = Some(ReadCode::new(h.bugcheck));
    if param1_is_exception(h.bugcheck) {
        let p1 = h.params[0];
        let low = p1 as u32;
        let upper = (p1 >> 32) as u32;
        if (upper == 0 || upper == u32::MAX) && tables.is_named(low) {
            r.other.push(low);
        }
    }
    r.notes.push(Note::System {
        build: h.build,
        arch: h.arch().to_string(),
    });
    if let Some(name) = h.dump_type_name() {
        r.notes.push(Note::DumpType {
            name: name.to_string(),
        });
    }
    for (i, &value) in h.params.iter().enumerate() {
        let hit = h.driver_at(value);
        if r.culprit.is_none()
            && let Some((d, _)) = hit
        {
            r.culprit = Some(d.name.clone());
        }
        r.notes.push(Note::Parameter {
            index: i as u8 + 1,
            value,
            driver: hit.map(|(d, _)| d.name.clone()),
            offset: hit.map(|(_, off)| off),
        });
    }
    let header = if h.is64 { HEADER64 } else { HEADER32 };
    if b.len() < header {
        r.problem = Some(Problem::Truncated);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 64-bit triage dump with one driver and the given bug check.
    pub(crate) fn fake_dump64(code: u32, params: [u64; 4]) -> Vec<u8> {
        let mut b = vec![0u8; 0x3000];
        b[..8].copy_from_slice(b"PAGEDU64");
        b[0x0C..0x10].copy_from_slice(&19045u32.to_le_bytes());
        b[0x30..0x34].copy_from_slice(&0x8664u32.to_le_bytes());
        b[0x38..0x3C].copy_from_slice(&code.to_le_bytes());
        for (i, p) in params.iter().enumerate() {
            b[0x40 + 8 * i..0x48 + 8 * i].copy_from_slice(&p.to_le_bytes());
        }
        b[0xF98..0xF9C].copy_from_slice(&4u32.to_le_bytes());
        let t = 0x2000;
        let list = 0x2100u32;
        let pool = 0x2200u32;
        b[t + 0x30..t + 0x34].copy_from_slice(&list.to_le_bytes());
        b[t + 0x34..t + 0x38].copy_from_slice(&1u32.to_le_bytes());
        b[t + 0x38..t + 0x3C].copy_from_slice(&pool.to_le_bytes());
        b[t + 0x3C..t + 0x40].copy_from_slice(&0x100u32.to_le_bytes());
        let e = list as usize;
        b[e..e + 4].copy_from_slice(&pool.to_le_bytes());
        b[e + 0x38..e + 0x40].copy_from_slice(&0xFFFF_F800_1000_0000u64.to_le_bytes());
        b[e + 0x48..e + 0x4C].copy_from_slice(&0x8000u32.to_le_bytes());
        let name: Vec<u8> = "\\SystemRoot\\drivers\\fake.sys"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let p = pool as usize;
        b[p..p + 4].copy_from_slice(&((name.len() / 2) as u32).to_le_bytes());
        b[p + 4..p + 4 + name.len()].copy_from_slice(&name);
        b
    }

    #[test]
    fn reads_bugcheck_parameters_build_and_driver() {
        let b = fake_dump64(0x7E, [0xFFFF_FFFF_C000_0005, 0xFFFF_F800_1000_1234, 0, 0]);
        let h = parse(&b).unwrap();
        assert_eq!(h.bugcheck, 0x7E);
        assert_eq!(h.build, 19045);
        assert_eq!(h.arch(), "x64");
        assert_eq!(h.drivers.len(), 1);
        let (d, off) = h.driver_at(h.params[1]).unwrap();
        assert_eq!((d.name.as_str(), off), ("fake.sys", 0x1234));
        let r = read(&b, CodeTables::bundled());
        assert_eq!(r.main, Some(ReadCode::new(0x7E)));
        assert_eq!(r.other, vec![0xC000_0005]);
        assert_eq!(r.culprit.as_deref(), Some("fake.sys"));
    }

    #[test]
    fn a_driver_list_pointing_outside_the_file_is_dropped() {
        let mut b = fake_dump64(0xD1, [0; 4]);
        b[0x2034..0x2038].copy_from_slice(&100_000u32.to_le_bytes());
        assert!(parse(&b).unwrap().drivers.is_empty());
    }

    #[test]
    fn thirty_two_bit_header_offsets() {
        let mut b = vec![0u8; 0x1000];
        b[..8].copy_from_slice(b"PAGEDUMP");
        b[0x0C..0x10].copy_from_slice(&7601u32.to_le_bytes());
        b[0x20..0x24].copy_from_slice(&0x14Cu32.to_le_bytes());
        b[0x28..0x2C].copy_from_slice(&0x50u32.to_le_bytes());
        b[0x2C..0x30].copy_from_slice(&0xDEAD_BEEFu32.to_le_bytes());
        b[0xF88..0xF8C].copy_from_slice(&2u32.to_le_bytes());
        let h = parse(&b).unwrap();
        assert_eq!(
            (h.bugcheck, h.params[0], h.build),
            (0x50, 0xDEAD_BEEF, 7601)
        );
        assert_eq!((h.arch(), h.dump_type_name()), ("x86", Some("kernel")));
    }

    #[test]
    fn truncated_headers_are_problems_not_panics() {
        let b = fake_dump64(0xEF, [1, 2, 3, 4]);
        assert_eq!(parse(&b[..0x30]), Err(Problem::Truncated));
        assert_eq!(parse(&b[..6]), Err(Problem::Malformed));
        // Cut after the parameters: the bug check is still read.
        assert_eq!(parse(&b[..0x100]).unwrap().bugcheck, 0xEF);
        assert_eq!(
            read(&b[..0x100], CodeTables::bundled()).problem,
            Some(Problem::Truncated)
        );
    }
}
