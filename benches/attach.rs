//! Reading attachments: a generated 16 MB setupact.log streamed line by
//! line, a kernel dump header with its triage driver list, and OCR of a
//! few labelled screenshots (when tesseract and ../shared are there).

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use hexhelp::attach::{self, Readers, ocr::Ocr, sniff::Encoding};
use hexhelp::codes::CodeTables;

/// About `bytes` of setupact.log: progress lines, noise codes, a failure
/// burst at the end.
fn setupact(bytes: usize) -> Vec<u8> {
    let mut out = String::with_capacity(bytes + 4096);
    let mut i = 0u32;
    while out.len() < bytes {
        let (m, s) = ((i / 60) % 60, i % 60);
        match i % 7 {
            0 => out.push_str(&format!("2024-03-01 10:{m:02}:{s:02}, Info                  SP     SPWIMCallback: Image apply. Progress: {}\r\n", i % 100)),
            1 => out.push_str(&format!("2024-03-01 10:{m:02}:{s:02}, Info                  MOUPG  CSetupDiagnostics: Tracing Data [DWORD] -> [Value{i}]=[0x{i:X}]\r\n")),
            2 => out.push_str(&format!("2024-03-01 10:{m:02}:{s:02}, Warning               SP     Cannot find file \\\\?\\C:\\$WINDOWS.~BT\\x{i}.dll. Error: 0x80070002\r\n")),
            3 => out.push_str(&format!("[1676.1796] [0x8144012d] ResExtract:({i}):\r\n")),
            4 => out.push_str(&format!("2024-03-01 10:{m:02}:{s:02}, Info                  CONX   Driver [oem{i}.inf] is compatible\r\n")),
            5 => out.push_str(&format!("2024-03-01 10:{m:02}:{s:02}, Error                 DISM   API: PID=1 TID=2 failed - X(hr:0x800700b7)\r\n")),
            _ => out.push_str(&format!("2024-03-01 10:{m:02}:{s:02}, Info                  SP     Operation completed successfully: Add boot entry {i}\r\n")),
        }
        i += 1;
    }
    out.push_str("2024-03-01 11:00:00, Error                 SP     Operation failed: Apply WIM file X. Error: 0x80070570\r\n");
    out.push_str("2024-03-01 11:00:00, Error                 SP     ExecuteOperations: Main operation execution failed. Error: 0x8007000D\r\n");
    out.into_bytes()
}

fn logs(c: &mut Criterion) {
    let log = setupact(16 * 1024 * 1024);
    let tables = CodeTables::bundled();
    let r = attach::logs::read(&log, Encoding::Utf8, tables);
    assert_eq!(r.main.map(|m| m.code), Some(0x8007_000D));
    let mut g = c.benchmark_group("attach");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("setupact.log 16 MB", |b| {
        b.iter(|| attach::logs::read(black_box(&log), Encoding::Utf8, tables))
    });
    g.finish();
}

fn dumps(c: &mut Criterion) {
    let tables = CodeTables::bundled();
    let real =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/attachments/triage_x64.dmp");
    let mut header = vec![0u8; 0x2000];
    header[..8].copy_from_slice(b"PAGEDU64");
    header[0x38..0x3C].copy_from_slice(&0xEFu32.to_le_bytes());
    c.bench_function("attach/dump header", |b| {
        b.iter(|| attach::dump::read(black_box(&header), tables))
    });
    if let Ok(bytes) = std::fs::read(&real) {
        c.bench_function("attach/triage dump with driver list", |b| {
            b.iter(|| attach::dump::read(black_box(&bytes), tables))
        });
    }
}

fn screenshots(c: &mut Criterion) {
    let ocr = Ocr::detect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/attachments");
    if !ocr.available() || !dir.is_dir() {
        println!("attach/ocr skipped: tesseract or ../shared/eval/attachments is absent");
        return;
    }
    let readers = Readers {
        tables: CodeTables::bundled(),
        known: &|_| false,
        ocr: &ocr,
    };
    let mut g = c.benchmark_group("attach/ocr");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(15));
    for name in [
        "wintrou_bsod1.png",
        "appo_win_11_iso_install.png",
        "redone_wbem_ohno02.png",
    ] {
        let Ok(bytes) = std::fs::read(dir.join(name)) else {
            continue;
        };
        g.bench_function(name, |b| {
            b.iter(|| attach::read_bytes(black_box(&bytes), name, &readers))
        });
    }
    g.finish();
}

criterion_group!(benches, logs, dumps, screenshots);
criterion_main!(benches);
