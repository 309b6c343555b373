//! The attachment readers never panic: arbitrary bytes, and valid files
//! cut at any point or with bytes flipped.

use std::io::{Cursor, Write};

use hexhelp::attach::{self, Readers, dump, logs, ocr::Ocr, sniff::Encoding};
use hexhelp::codes::CodeTables;
use proptest::prelude::*;

fn read_any(bytes: &[u8]) -> attach::Reading {
    let ocr = Ocr::disabled();
    let readers = Readers {
        tables: CodeTables::bundled(),
        known: &|_| false,
        ocr: &ocr,
    };
    attach::read_bytes(bytes, "file.bin", &readers)
}

/// A 64-bit triage dump header with a driver list of `n` entries.
fn triage_dump(n: u32) -> Vec<u8> {
    let mut b = vec![0u8; 0x2000 + 0x40 + 0x100 + n as usize * 0x90 + 0x400];
    b[..8].copy_from_slice(b"PAGEDU64");
    b[0x38..0x3C].copy_from_slice(&0x7Eu32.to_le_bytes());
    b[0xF98..0xF9C].copy_from_slice(&4u32.to_le_bytes());
    let list = 0x2100u32;
    let pool = list + n * 0x90;
    b[0x2030..0x2034].copy_from_slice(&list.to_le_bytes());
    b[0x2034..0x2038].copy_from_slice(&n.to_le_bytes());
    b[0x2038..0x203C].copy_from_slice(&pool.to_le_bytes());
    b[0x203C..0x2040].copy_from_slice(&0x400u32.to_le_bytes());
    for i in 0..n as usize {
        let e = list as usize + i * 0x90;
        b[e..e + 4].copy_from_slice(&pool.to_le_bytes());
        b[e + 0x38..e + 0x40]
            .copy_from_slice(&(0xFFFF_F800_0000_0000u64 + i as u64 * 0x10000).to_le_bytes());
        b[e + 0x48..e + 0x4C].copy_from_slice(&0x1000u32.to_le_bytes());
    }
    let p = pool as usize;
    b[p..p + 4].copy_from_slice(&3u32.to_le_bytes());
    b[p + 4..p + 10].copy_from_slice(&[b'a', 0, b'.', 0, b's', 0]);
    b
}

fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const LOG: &str = "2024-03-01 10:00:05, Error                 SP     Operation failed: Apply. Error: 0x80070570\n2024-03-01 10:00:05, Error                 SP     Main operation execution failed. Error: 0x8007000D\n";

#[test]
fn the_triage_fixture_has_its_drivers() {
    let h = dump::parse(&triage_dump(3)).unwrap();
    assert_eq!(h.drivers.len(), 3);
    assert_eq!(
        h.driver_at(0xFFFF_F800_0001_0010)
            .map(|(d, o)| (d.name.as_str(), o)),
        Some(("a.s", 0x10))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = read_any(&bytes);
        let _ = dump::parse(&bytes);
        let _ = logs::read(&bytes, Encoding::Utf8, CodeTables::bundled());
        let _ = logs::read(&bytes, Encoding::Utf16Le, CodeTables::bundled());
    }

    #[test]
    fn dumps_with_magic_and_random_bytes_never_panic(
        magic in prop_oneof![Just(b"PAGEDU64"), Just(b"PAGEDUMP"), Just(b"MDMP\x93\xa7\0\0")],
        rest in proptest::collection::vec(any::<u8>(), 0..0x2400),
    ) {
        let mut b = magic.to_vec();
        b.extend(rest);
        let _ = read_any(&b);
    }

    #[test]
    fn cut_or_flipped_triage_dumps_never_panic(n in 0u32..6, cut in 0usize..0x3000, flips in proptest::collection::vec((8usize..0x3000, any::<u8>()), 0..16)) {
        let mut b = triage_dump(n);
        for (at, v) in flips {
            if at < b.len() { b[at] = v; }
        }
        b.truncate(cut.max(8));
        let r = read_any(&b);
        prop_assert_eq!(r.kind, attach::FileKind::KernelDump);
    }

    #[test]
    fn cut_or_flipped_zips_never_panic(cut in 0usize..600, flips in proptest::collection::vec((0usize..600, any::<u8>()), 0..8)) {
        let mut z = zip_of(&[("setupact.log", LOG.as_bytes().to_vec()), ("a/b.txt", b"0x80070002".to_vec())]);
        for (at, v) in flips {
            if at < z.len() { z[at] = v; }
        }
        z.truncate(cut.max(4));
        let _ = read_any(&z);
    }

    #[test]
    fn cut_logs_never_panic_and_keep_lines_read_before_the_cut(cut in 0usize..LOG.len()) {
        let r = read_any(&LOG.as_bytes()[..cut]);
        if cut == LOG.len() {
            prop_assert_eq!(r.main.map(|c| c.code), Some(0x8007_000D));
        }
    }

    #[test]
    fn odd_lines_in_logs_never_panic(lines in proptest::collection::vec("[0-9:, \\-a-zA-Z\\[\\]\\\\x.]{0,120}", 0..40)) {
        let text = lines.iter().map(|l| format!("2024-03-01 10:00:05, {l}\n")).collect::<String>();
        let _ = logs::read(text.as_bytes(), Encoding::Utf8, CodeTables::bundled());
    }
}
