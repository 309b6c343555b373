//! `hexhelp decode --file` and `ask --attach` on files the tests write, and
//! on the labelled attachments in `../shared/eval/attachments` (logs and
//! dumps always; screenshots when tesseract is installed).

use std::path::{Path, PathBuf};
use std::process::Command;

use hexhelp::codes::{CodeTables, hresult_from_win32};

fn hexhelp(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hexhelp"))
        .args(args)
        .output()
        .expect("run hexhelp");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The codes `decode` printed, in order (lines that start with `0x`).
fn printed_codes(out: &str) -> Vec<u32> {
    out.lines()
        .filter_map(|l| l.strip_prefix("0x"))
        .filter_map(|h| u32::from_str_radix(h.trim(), 16).ok())
        .collect()
}

fn attachments_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/attachments");
    dir.join("labels.jsonl").is_file().then_some(dir)
}

fn tesseract_installed() -> bool {
    Command::new("tesseract")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

struct Label {
    file: String,
    kind: String,
    codes: Vec<String>,
}

fn labels(dir: &Path) -> Vec<Label> {
    let text = std::fs::read_to_string(dir.join("labels.jsonl")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            Label {
                file: v["file"].as_str().unwrap().to_string(),
                kind: v["kind"].as_str().unwrap().to_string(),
                codes: v["codes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect(),
            }
        })
        .collect()
}

/// A labelled code as a value: `0x…`, bare hex, decimal, or a name; phase
/// and operation words (`SAFE_OS`) give nothing.
fn label_value(s: &str) -> Option<u32> {
    let tables = CodeTables::bundled();
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return u32::from_str_radix(h, 16).ok();
    }
    if let Ok(n) = s.parse::<i64>() {
        return u32::try_from(n).ok().or(Some(n as i32 as u32));
    }
    if s.len() == 8
        && let Ok(v) = u32::from_str_radix(s, 16)
    {
        return Some(v);
    }
    tables.by_name(s)
}

/// The same code, allowing a Win32 number for its HRESULT.
fn same_code(a: u32, b: u32) -> bool {
    a == b
        || (a <= 0xFFFF && hresult_from_win32(a) == b)
        || (b <= 0xFFFF && hresult_from_win32(b) == a)
}

#[test]
fn labelled_logs_and_dumps_give_the_main_code_first() {
    let Some(dir) = attachments_dir() else {
        println!("skipped: ../shared/eval/attachments is absent");
        return;
    };
    let mut checked = 0;
    for label in labels(&dir) {
        if label.kind != "log" && label.kind != "dump" {
            continue;
        }
        let path = dir.join(&label.file);
        let (_, out) = hexhelp(&["decode", "--file", path.to_str().unwrap()]);
        let printed = printed_codes(&out);
        match label.codes.first() {
            None => assert!(
                printed.is_empty(),
                "{}: a healthy log must give no code, got {out}",
                label.file
            ),
            Some(first) => {
                let want = label_value(first).unwrap();
                assert_eq!(
                    printed.first().copied(),
                    Some(want),
                    "{}: main code first; output:\n{out}",
                    label.file
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 9, "only {checked} logs and dumps labelled");
}

#[test]
fn labelled_screenshots_give_a_labelled_code_first() {
    let Some(dir) = attachments_dir() else {
        println!("skipped: ../shared/eval/attachments is absent");
        return;
    };
    if !tesseract_installed() {
        println!("skipped: tesseract is not installed, screenshots are not read");
        return;
    }
    let (mut hits, mut total) = (0, 0);
    let mut misses = Vec::new();
    for label in labels(&dir) {
        if label.kind != "screenshot" {
            continue;
        }
        total += 1;
        let path = dir.join(&label.file);
        let (_, out) = hexhelp(&["decode", "--file", path.to_str().unwrap()]);
        let first = printed_codes(&out).first().copied();
        let wanted: Vec<u32> = label.codes.iter().filter_map(|c| label_value(c)).collect();
        if first.is_some_and(|f| wanted.iter().any(|&w| same_code(f, w))) {
            hits += 1;
        } else {
            misses.push(format!(
                "{}: {}",
                label.file,
                out.lines().next().unwrap_or("")
            ));
        }
    }
    println!("screenshots: {hits} of {total} read with a labelled code first");
    assert!(total >= 10);
    assert!(
        hits * 10 >= total * 9,
        "{hits} of {total} screenshots; misses:\n{}",
        misses.join("\n")
    );
}

const UPGRADE_LOG: &str = "\
2024-03-01 10:00:00, Info                  SP     Operation started: Apply WIM file
2024-03-01 10:00:05, Error                 SP     Operation failed: Apply WIM file X, index 1 to C:\\$WINDOWS.~BT\\NewOS. Error: 0x80070570[gle=0x00000570]
2024-03-01 10:00:05, Error                 SP     ExecuteOperations: Main operation execution failed. Error: 0x8007000D
2024-03-01 10:00:05, Error                 SP     ExecuteOperations: Failed execution phase Safe OS. Error: 0x8007000D
";

fn write_temp(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// A minimal 64-bit kernel dump header with a bug check.
fn dump_header(code: u32, p1: u64) -> Vec<u8> {
    let mut b = vec![0u8; 0x2000];
    b[..8].copy_from_slice(b"PAGEDU64");
    b[0x0C..0x10].copy_from_slice(&22631u32.to_le_bytes());
    b[0x30..0x34].copy_from_slice(&0x8664u32.to_le_bytes());
    b[0x38..0x3C].copy_from_slice(&code.to_le_bytes());
    b[0x40..0x48].copy_from_slice(&p1.to_le_bytes());
    b[0xF98..0xF9C].copy_from_slice(&1u32.to_le_bytes());
    b
}

#[test]
fn decode_file_prints_the_reported_code_then_the_root_cause() {
    let (_d, path) = write_temp("setupact.log", UPGRADE_LOG.as_bytes());
    let (ok, out) = hexhelp(&["decode", "--file", path.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert_eq!(printed_codes(&out), vec![0x8007_000D, 0x8007_0570]);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with(
            "From your setupact.log: setup failed with 0x8007000D in the Safe OS phase"
        ),
        "{first}"
    );
    assert!(first.contains("root cause 0x80070570"), "{first}");
}

#[test]
fn decode_file_reads_a_utf16_log_named_anything() {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(UPGRADE_LOG.encode_utf16().flat_map(u16::to_le_bytes));
    let (_d, path) = write_temp("picture.png", &bytes);
    let (_, out) = hexhelp(&["decode", "--file", path.to_str().unwrap()]);
    assert_eq!(printed_codes(&out).first(), Some(&0x8007_000D), "{out}");
}

#[test]
fn decode_file_reads_a_dump_as_a_stop_code() {
    let (_d, path) = write_temp("MEMORY.DMP", &dump_header(0xEF, 0xFFFF_A000_1234_5678));
    let (_, out) = hexhelp(&["decode", "--file", path.to_str().unwrap()]);
    assert_eq!(printed_codes(&out).first(), Some(&0xEF), "{out}");
    assert!(out.contains("CRITICAL_PROCESS_DIED"), "{out}");
    assert!(out.contains("Windows build 22631, x64"), "{out}");
}

#[test]
fn decode_file_says_when_a_file_is_cut_short_or_unknown() {
    let (_d, path) = write_temp("MEMORY.DMP", &dump_header(0xEF, 0)[..0x20]);
    let (ok, out) = hexhelp(&["decode", "--file", path.to_str().unwrap()]);
    assert!(!ok);
    assert!(out.contains("cut short"), "{out}");
    let (_d2, bin) = write_temp("x.bin", &[0u8, 1, 2, 3, 0xFF, 0, 7, 9, 0, 0]);
    let (ok, out) = hexhelp(&["decode", "--file", bin.to_str().unwrap()]);
    assert!(!ok);
    assert!(printed_codes(&out).is_empty(), "{out}");
}

#[test]
fn ask_with_an_attached_log_answers_its_code_and_says_what_it_read() {
    let (_d, path) = write_temp("setupact.log", UPGRADE_LOG.as_bytes());
    let (ok, out) = hexhelp(&[
        "ask",
        "--no-color",
        "--attach",
        path.to_str().unwrap(),
        "my",
        "upgrade",
        "fails",
    ]);
    assert!(ok, "{out}");
    assert!(out.starts_with("From your setupact.log:"), "{out}");
    let answer_start = out.find("\n\n").unwrap();
    let answer = &out[answer_start..];
    let main = answer.find("0x8007000D").expect("main code in the answer");
    if let Some(root) = answer.find("0x80070570") {
        assert!(main < root, "main code first:\n{out}");
    }
}

#[test]
fn ask_with_an_attached_dump_answers_the_stop_code() {
    let (_d, path) = write_temp("041224-1.dmp", &dump_header(0xEF, 0));
    let (ok, out) = hexhelp(&["ask", "--json", "--attach", path.to_str().unwrap()]);
    assert!(ok, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["read"][0]["kind"], "kernel_dump");
    assert_eq!(v["answer"]["codes"][0]["decoded"]["hex"], "0x000000EF");
}
