//! Decoding found codes and the table API the rest of the crate uses.

use hexhelp::codes::{
    Api, CodeTables, Decoded, Family, Found, Layout, NO_PUBLIC_NAME, Severity, decode, extract, hex,
};

fn tables() -> &'static CodeTables {
    CodeTables::bundled()
}

/// Extracts the first code of `text` and decodes it with `text` as context.
fn decode_text(text: &str) -> Decoded {
    let e = extract(text, tables(), &|_| false);
    let f = e
        .found
        .first()
        .unwrap_or_else(|| panic!("no code in {text:?}"));
    decode(f, text, tables())
}

fn families(d: &Decoded) -> Vec<Family> {
    d.meanings.iter().map(|m| m.family).collect()
}

#[test]
fn win32_hresult_names_its_win32_error() {
    let d = decode_text("0x80070002");
    assert_eq!(d.hex, "0x80070002");
    assert_eq!(d.layout, Layout::HResult);
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.facility, Some((7, "WIN32")));
    assert_eq!(d.number, 2);
    let first = &d.meanings[0];
    assert_eq!(
        (first.family, first.name.as_str(), first.value),
        (Family::Win32, "ERROR_FILE_NOT_FOUND", 2)
    );
    assert!(!first.summary.is_empty());
}

#[test]
fn other_facilities_are_named() {
    let d = decode_text("0x8024402C");
    assert_eq!(d.facility, Some((0x24, "WINDOWSUPDATE")));
    assert_eq!(d.meanings[0].family, Family::WindowsUpdate);
    assert_eq!(d.meanings[0].name, "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED");
    assert_eq!(decode_text("0xC004F074").facility, Some((4, "ITF")));
    assert_eq!(decode_text("0x800F081F").facility, Some((0xF, "SETUPAPI")));
    assert_eq!(decode_text("0x800B0101").facility, Some((0xB, "CERT")));
    assert_eq!(decode_text("0x80131500").facility, Some((0x13, "URT")));
    assert_eq!(
        decode_text("0x803F8001").facility,
        Some((0x3F, "WINDOWS_STORE"))
    );
}

#[test]
fn families_by_range_and_prefix() {
    let first = |t: &str| decode_text(t).meanings[0].family;
    assert_eq!(first("0x800F0922"), Family::Cbs);
    assert_eq!(first("0x800F0988"), Family::Cbs);
    assert_eq!(first("0xC1900208"), Family::Setup);
    assert_eq!(first("0xC004C008"), Family::Activation);
    assert_eq!(first("0x803F8001"), Family::Store);
    assert_eq!(first("0x80131500"), Family::DotNet);
    assert_eq!(first("0x807800C5"), Family::Backup);
    assert_eq!(first("0x81000019"), Family::Backup);
    assert_eq!(first("0xC0000034"), Family::NtStatus);
    assert_eq!(first("0x80072EFD"), Family::Internet);
}

#[test]
fn ntstatus_is_decoded_with_its_own_layout() {
    let d = decode_text("STATUS 0xC0000034 after a failed update");
    assert_eq!(d.layout, Layout::NtStatus);
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.meanings[0].name, "STATUS_OBJECT_NAME_NOT_FOUND");
    // SL_E_ codes are HRESULTs even though they start with 0xC.
    assert_eq!(decode_text("0xC004F074").layout, Layout::HResult);
}

#[test]
fn setup_extend_code_is_decoded() {
    let d = decode_text("0xC1900101-0x4000D");
    assert_eq!(d.meanings[0].name, "MOSETUP_E_SETUP_PLATFORM");
    let ext = d.ext.expect("extend code");
    assert_eq!(ext.hex, "0x4000D");
    assert_eq!(
        (ext.phase, ext.phase_name),
        (4, Some("SP_EXECUTION_OOBE_BOOT"))
    );
    assert_eq!(
        (ext.operation, ext.operation_name),
        (0xD, Some("SP_EXECUTION_OP_MIGRATE_DATA"))
    );
    let d = decode_text("0x80070070 - 0x50011");
    assert_eq!(d.meanings[0].name, "ERROR_DISK_FULL");
    assert_eq!(d.ext.unwrap().phase_name, Some("SP_EXECUTION_UNINSTALL"));
}

#[test]
fn bug_check_and_win32_order_flips_with_context() {
    let stop = decode_text("BSOD 0x0000007E after the driver update");
    assert_eq!(stop.meanings[0].family, Family::BugCheck);
    assert_eq!(stop.meanings[0].name, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED");
    // Framed as a blue screen, the Win32 namesake is left out.
    assert!(!families(&stop).contains(&Family::Win32), "{stop:?}");

    let plain = decode_text("LoadLibrary failed with 0x0000007E, the dll is gone");
    assert_eq!(plain.meanings[0].family, Family::Win32);
    assert_eq!(plain.meanings[0].name, "ERROR_MOD_NOT_FOUND");
    assert_eq!(plain.meanings[0].value, 126);
    assert!(families(&plain).contains(&Family::BugCheck));

    // The same Found decoded with different context.
    let f = Found {
        code: 0x7E,
        ext: None,
        start: 0,
        end: 0,
        stop_framed: false,
    };
    assert_eq!(
        decode(&f, "blue screen", tables()).meanings[0].family,
        Family::BugCheck
    );
    assert_eq!(
        decode(&f, "module missing", tables()).meanings[0].family,
        Family::Win32
    );
    let framed = Found {
        stop_framed: true,
        ..f
    };
    assert_eq!(
        decode(&framed, "", tables()).meanings[0].family,
        Family::BugCheck
    );
}

#[test]
fn setup_log_crash_line_reads_as_bug_check() {
    let d = decode_text("Info SP     Crash 0x0000007E detected");
    assert_eq!(d.meanings[0].family, Family::BugCheck);
}

#[test]
fn short_stop_code_decodes_as_bug_check() {
    let d = decode_text("stop code 0x7B on boot");
    assert_eq!(d.hex, "0x0000007B");
    assert_eq!(d.layout, Layout::Number);
    assert_eq!(d.meanings[0].name, "INACCESSIBLE_BOOT_DEVICE");
}

#[test]
fn wininet_and_winhttp_names_order_by_context() {
    let api_order = |text: &str| -> Vec<(Api, String)> {
        decode_text(text)
            .meanings
            .iter()
            .filter(|m| m.family == Family::Internet)
            .map(|m| (m.api.unwrap(), m.name.clone()))
            .collect()
    };
    let update = api_order("windows update fails with 0x80072F8F");
    assert_eq!(
        update[0],
        (Api::WinHttp, "ERROR_WINHTTP_SECURE_FAILURE".to_string())
    );
    assert_eq!(
        update[1],
        (Api::WinInet, "ERROR_INTERNET_DECODING_FAILED".to_string())
    );
    let ie = api_order("internet explorer shows 0x80072F8F");
    assert_eq!(
        ie[0],
        (Api::WinInet, "ERROR_INTERNET_DECODING_FAILED".to_string())
    );
    assert_eq!(ie[1].0, Api::WinHttp);
    // Both names are always there, with the shared error number.
    let d = decode_text("0x80072F8F");
    assert!(
        d.meanings
            .iter()
            .filter(|m| m.family == Family::Internet)
            .all(|m| m.value == 12175)
    );
    assert!(
        d.meanings
            .iter()
            .any(|m| m.name == "WININET_E_DECODING_FAILED")
    );
}

#[test]
fn unnamed_codes_still_decode() {
    let d = decode_text("0x8024ABCD");
    assert!(d.meanings.is_empty());
    assert_eq!(d.facility, Some((0x24, "WINDOWSUPDATE")));
    let store = decode_text("0x803F8001");
    assert_eq!(store.meanings[0].name, NO_PUBLIC_NAME);
    assert!(!store.meanings[0].summary.is_empty());
}

#[test]
fn decoded_serializes_to_json() {
    let d = decode_text("0xc1900101-0x4000d");
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(v["hex"], "0xC1900101");
    assert_eq!(v["layout"], "hresult");
    assert_eq!(v["severity"], "error");
    assert_eq!(v["meanings"][0]["family"], "setup");
    assert_eq!(v["ext"]["phase_name"], "SP_EXECUTION_OOBE_BOOT");
    let f = extract("0x80070002", tables(), &|_| false);
    let fv = serde_json::to_value(&f).unwrap();
    assert_eq!(fv["found"][0]["code"], 0x8007_0002u32);
}

#[test]
fn tables_api() {
    // by_name is covered by the table's own unit tests.
    let t = tables();
    assert!(t.is_named(0x8007_0002));
    assert!(!t.is_named(0x8A1F_2C3D));
    let counts = t.count_per_family();
    assert_eq!(counts.len(), 12);
    assert!(
        counts.iter().map(|c| c.1).sum::<usize>() >= 12_000,
        "{counts:?}"
    );
    let hits = t.search_names("critical_process", 3);
    assert_eq!(hits[0], (0xEF, "CRITICAL_PROCESS_DIED"));
    assert!(hits.len() <= 3);
}

#[test]
fn every_meaning_has_words() {
    for code in [
        0x8007_0002u32,
        0x8024_402C,
        0xC004_F074,
        0x800F_0922,
        0xC190_0101,
        0x7B,
        0x8013_1500,
        0xC000_0005,
    ] {
        for m in tables().meanings(code) {
            assert!(!m.summary.is_empty(), "{} {}", hex(code), m.name);
        }
    }
}
