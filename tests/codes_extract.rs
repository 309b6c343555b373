//! Finding codes in messages: every form the scanner accepts, every
//! look-alike it must leave alone, near-miss suggestions, and the labelled
//! dev messages in `../shared/eval/dev.jsonl`.

use hexhelp::codes::{CodeTables, Extraction, MAX_FOUND, extract, hex};

fn run(text: &str) -> Extraction {
    extract(text, CodeTables::bundled(), &|_| false)
}

fn run_known(text: &str, known: &[u32]) -> Extraction {
    extract(text, CodeTables::bundled(), &|c| known.contains(&c))
}

fn codes(text: &str) -> Vec<String> {
    run(text).found.iter().map(|f| hex(f.code)).collect()
}

fn assert_codes(text: &str, want: &[&str]) {
    assert_eq!(codes(text), want, "in {text:?}");
}

fn assert_none(text: &str) {
    let got = run(text);
    assert!(
        got.found.is_empty(),
        "expected no code in {text:?}, got {:?}",
        got.found
    );
}

// ---------------------------------------------------------------- hex forms

#[test]
fn prefixed_hex_in_any_case_and_punctuation() {
    assert_codes("0x80070002", &["0x80070002"]);
    assert_codes("0X8007000D", &["0x8007000D"]);
    assert_codes("error 0x80070005 again", &["0x80070005"]);
    assert_codes("failed (0x80070490).", &["0x80070490"]);
    assert_codes("Error:0x800f081f", &["0x800F081F"]);
    assert_codes(
        "**0x80073712**, then `0x8024402c`!",
        &["0x80073712", "0x8024402C"],
    );
    assert_codes("\"0xc004f074\"", &["0xC004F074"]);
}

#[test]
fn codes_inside_code_blocks_and_logs() {
    let log = "```\n2024-01-02 10:11:12, Error CBS Failed to resolve package [HRESULT = 0x800f0831 - CBS_E_STORE_CORRUPTION]\n\
               2024-01-02 10:11:13, Info DISM Exit code: 0x80073712\n```";
    assert_codes(log, &["0x800F0831", "0x80073712"]);
}

#[test]
fn duplicates_are_dropped_and_order_kept() {
    assert_codes(
        "0x80070005 then 0x80070002 then 0x80070005 and 80070002",
        &["0x80070005", "0x80070002"],
    );
    let e = run("0x80070002 0x80070002");
    assert_eq!(e.found[0].start, 0);
    assert_eq!(e.found[0].end, 10);
}

#[test]
fn spans_point_at_the_code() {
    let text = "Update says (0x80240017) today";
    let f = &run(text).found[0];
    assert_eq!(&text[f.start..f.end], "0x80240017");
}

#[test]
fn bare_hex_that_is_a_known_code() {
    assert_codes("update says 80070422, what now", &["0x80070422"]);
    assert_codes("activation c004f074", &["0xC004F074"]);
    assert_codes("got 800F0922 on KB5034441", &["0x800F0922"]);
}

#[test]
fn bare_zero_padded_small_values_are_counters_unless_stop_framed() {
    assert_codes(
        "2019-03-24 08:21:45, Error CSI 00000001 (F) 80220008 [Error,Facility=FACILITY_STATE_MANAGEMENT,Code=8]",
        &["0x80220008"],
    );
    assert_none("ndv: {Update Device Driver - exit(00000103)}");
    assert_codes("stop code 0000007B", &["0x0000007B"]);
}

#[test]
fn bare_hex_with_known_facility_needs_error_framing() {
    // 0x80071234: facility WIN32, but no Win32 error 0x1234 has a name.
    assert_codes("error code 80071234", &["0x80071234"]);
    assert_none("reference 80071234 in the ticket");
}

#[test]
fn prefixed_failure_with_known_facility_is_a_code() {
    // Unnamed, but a failure HRESULT of facility WINDOWSUPDATE.
    assert_codes("0x8024ABCD", &["0x8024ABCD"]);
}

#[test]
fn glued_to_a_word() {
    assert_codes("error0x80070002", &["0x80070002"]);
}

// ---------------------------------------------------------------- decimal forms

#[test]
fn signed_and_unsigned_decimal_hresults() {
    assert_codes("error -2147024894 in the setup log", &["0x80070002"]);
    assert_codes("HRESULT: 2147942402", &["0x80070002"]);
    assert_codes("the call returned -2147024891", &["0x80070005"]);
    assert_codes("hr=-2147467259", &["0x80004005"]);
}

#[test]
fn decimal_without_code_framing_is_not_a_code() {
    assert_none("call me at 2147942402");
    assert_none("we sold -2147024894 units");
}

#[test]
fn win32_error_numbers_in_words() {
    assert_codes("Windows Update error 5", &["0x80070005"]);
    assert_codes("the installer failed with error code 1603", &["0x80070643"]);
    assert_codes("msiexec exit code 1618", &["0x80070652"]);
    assert_codes("windows setup: error 0x5 when copying", &["0x80070005"]);
    assert_codes("windows update failed: error 12002", &["0x80072EE2"]);
}

#[test]
fn a_filler_word_may_sit_between_frame_and_number() {
    assert_codes("The exit code was 1603 from msiexec", &["0x80070643"]);
}

#[test]
fn plain_win32_number_next_to_its_hresult_counts_once() {
    assert_codes(
        "robocopy ERROR 32 (0x00000020) Copying File",
        &["0x80070020"],
    );
    assert_codes(
        "0x80070005 and later [gle=0x00000005] on windows",
        &["0x80070005"],
    );
    // A stop code is not the Win32 error with the same number.
    assert_codes(
        "error 0x8007007E, later a BSOD 0x0000007E",
        &["0x8007007E", "0x0000007E"],
    );
}

#[test]
fn unknown_facility_needs_a_reporting_word() {
    assert_codes("the Xbox app says 0x87e00099", &["0x87E00099"]);
    assert_none("value 0x87e00099");
    // Sign-extended values and kernel addresses never qualify this way.
    assert_none("the dump says 0xffffa28f");
}

#[test]
fn small_numbers_outside_windows_error_context_are_not_codes() {
    assert_none("error 5 in my python script");
    assert_none("HTTP error 404 on windows server");
    assert_none("windows update: 5 errors today");
    assert_none("windows install error 2 of 3");
    assert_none("set the volume to 50 on windows");
    assert_none("windows error 0");
}

// ---------------------------------------------------------------- setup extend codes

#[test]
fn setup_codes_keep_the_extend_code() {
    for (text, code, ext) in [
        ("0xC1900101 - 0x20017", 0xC190_0101, 0x20017),
        ("0x80070070-0x50011", 0x8007_0070, 0x50011),
        (
            "0xc1900101-0x4000d during the windows 11 upgrade",
            0xC190_0101,
            0x4000D,
        ),
        ("Error 0xC1900101 \u{2013} 0x40017", 0xC190_0101, 0x40017),
        ("0x80070003- 0x20007", 0x8007_0003, 0x20007),
    ] {
        let e = run(text);
        assert_eq!(e.found.len(), 1, "{text}: {:?}", e.found);
        assert_eq!(e.found[0].code, code, "{text}");
        assert_eq!(e.found[0].ext, Some(ext), "{text}");
    }
    let text = "got 0xC1900101 - 0x4000D twice";
    let f = &run(text).found[0];
    assert_eq!(&text[f.start..f.end], "0xC1900101 - 0x4000D");
}

#[test]
fn a_dash_before_another_full_code_is_not_an_extend_code() {
    let e = run("0x80070002-0x80070003");
    assert_eq!(e.codes(), [0x8007_0002, 0x8007_0003]);
    assert!(e.found.iter().all(|f| f.ext.is_none()));
    assert_eq!(run("0x80070002 - see below").found[0].ext, None);
}

// ---------------------------------------------------------------- bug checks

#[test]
fn bug_checks_full_and_short() {
    assert_codes("BSOD 0x000000EF out of nowhere", &["0x000000EF"]);
    assert_codes("stop code 0x7B on boot", &["0x0000007B"]);
    assert_codes("blue screen 0x124 while gaming", &["0x00000124"]);
    assert_codes("0x124 bsod again", &["0x00000124"]);
    assert_codes(
        "The bugcheck was: 0x0000009f (0x0000000000000003, 0xffffc001)",
        &["0x0000009F"],
    );
    assert_codes("STOP: 0x0000007B", &["0x0000007B"]);
    assert!(run("stop code 0x7B").found[0].stop_framed);
}

#[test]
fn short_forms_without_stop_framing_are_not_codes() {
    assert_none("set the register to 0x1F");
    assert_none("flags 0x10 and 0x0");
    assert_none("0x7B");
    assert_none("the crash code 0x124 is weird"); // "crash" alone is not stop framing
}

#[test]
fn stop_code_names() {
    let e = run("my pc shows CRITICAL_PROCESS_DIED and then INACCESSIBLE_BOOT_DEVICE");
    assert_eq!(e.codes(), [0xEF, 0x7B]);
    assert!(e.found.iter().all(|f| f.stop_framed));
}

// ---------------------------------------------------------------- symbolic names

#[test]
fn symbolic_names_from_logs() {
    assert_codes(
        "the log says ERROR_SXS_COMPONENT_STORE_CORRUPT",
        &["0x80073712"],
    );
    assert_codes("WU_E_PT_WINHTTP_NAME_NOT_RESOLVED", &["0x8024402C"]);
    assert_codes("hr = E_ACCESSDENIED", &["0x80070005"]);
    assert_codes("NTSTATUS STATUS_ACCESS_DENIED", &["0xC0000022"]);
    assert_codes("SL_E_VL_BINDING_SERVICE_UNAVAILABLE", &["0xC004F074"]);
    assert_codes("CBS_E_SOURCE_MISSING", &["0x800F081F"]);
    assert!(!run("CBS_E_SOURCE_MISSING").found[0].stop_framed);
}

#[test]
fn names_and_numbers_of_the_same_code_count_once() {
    assert_codes("E_ACCESSDENIED (0x80070005)", &["0x80070005"]);
}

#[test]
fn lower_case_and_success_names_are_not_codes() {
    assert_none("error_file_not_found");
    assert_none("returned S_OK and ERROR_SUCCESS");
    assert_none("MY_OWN_CONSTANT");
}

// ---------------------------------------------------------------- not codes

#[test]
fn addresses_and_offsets_are_not_codes() {
    assert_none("stack trace shows 0x00007FFB12345678 in ntdll.dll");
    assert_none("Fault offset: 0x000000000001a2b3");
    assert_none("Faulting module path at 0x7ff6a2b3");
    assert_none("Fault offset: 0x0001a2b3");
    // An exception code next to an offset is still found.
    assert_codes(
        "Exception code: 0xc0000005 Fault offset: 0x0000000000012345",
        &["0xC0000005"],
    );
}

#[test]
fn colours_are_not_codes() {
    assert_none("background color #1E1E1E");
    assert_none("#FF5733 and #C004F0");
    assert_none("#80070002");
}

#[test]
fn hashes_are_not_codes() {
    assert_none("merged as c0ffee12");
    assert_none("fixed in 8a1f2c3d");
    assert_none("commit 80070002");
    assert_none("sha 3f786850e387550fdab836ed7e6dc881de23001b");
}

#[test]
fn guids_mac_and_ipv6_are_not_codes() {
    assert_none("the uuid is 123e4567-e89b-12d3-a456-426614174000");
    assert_none("{C004F074-0000-0000-0000-000000000000}");
    assert_none("mac 00:1A:2B:3C:4D:5E and 00-1A-2B-3C-4D-5E");
    assert_none("ipv6 fe80::8007:2:c004:f074 or 2001:db8:85a3:0:0:8a2e:370:7334");
}

#[test]
fn long_digit_strings_and_build_numbers_are_not_codes() {
    assert_none("my order number is 4012888888881881");
    assert_none("user <@123456789012345678> said hi");
    assert_none("build 22631.2861 and version 10.0.19045.3930");
    assert_none("card 4012 8888 8888 1881");
}

#[test]
fn hex_inside_urls_is_not_a_code() {
    assert_none("see https://example.com/kb/0x80070002/fix");
    assert_none("see www.example.com/80070002");
    assert_codes("see https://example.com/x and 0x80070005", &["0x80070005"]);
}

#[test]
fn plain_text_has_no_codes() {
    assert_none("");
    assert_none("hey all, my pc is slow since yesterday");
    assert_none("is it worth upgrading my RAM to 32GB");
}

// ---------------------------------------------------------------- suggestions

#[test]
fn missing_digit_gets_a_suggestion_not_a_code() {
    let e = run("windows update error 0x8007002");
    assert!(e.found.is_empty(), "{:?}", e.found);
    assert_eq!(e.suggestions.len(), 1);
    assert_eq!(e.suggestions[0].typed, "0x8007002");
    assert_eq!(e.suggestions[0].suggested, 0x8007_0002);
    assert_eq!(e.suggestions[0].suggested_hex(), "0x80070002");
}

#[test]
fn extra_digit_gets_a_suggestion() {
    let e = run("0x800700005");
    assert!(e.found.is_empty());
    assert_eq!(e.suggestions[0].suggested, 0x8007_0005);
}

#[test]
fn lookalike_letters_get_a_suggestion() {
    let e = run("0x8OO7OOO5");
    assert_eq!(e.suggestions[0].suggested, 0x8007_0005);
}

#[test]
fn suggestions_prefer_knowledge_base_codes() {
    // 0x8007002 is one digit from 0x80070002 and from 0x80070020.
    let e = run_known("0x8007002", &[0x8007_0020]);
    assert_eq!(e.suggestions[0].suggested, 0x8007_0020);
    let e = run_known("0x8007002", &[0x8007_0002]);
    assert_eq!(e.suggestions[0].suggested, 0x8007_0002);
}

#[test]
fn no_suggestion_for_a_code_already_found() {
    let e = run("0x80070002 (I also typed 0x8007002)");
    assert_eq!(e.codes(), [0x8007_0002]);
    assert!(e.suggestions.is_empty());
}

#[test]
fn bare_near_miss_needs_framing() {
    assert!(run("8007002").suggestions.is_empty());
    assert_eq!(run("error 8007002").suggestions[0].suggested, 0x8007_0002);
}

// ---------------------------------------------------------------- knowledge base codes

#[test]
fn extra_known_codes_count_as_known() {
    // Unnamed and facility 0: only the knowledge base makes it a code.
    assert_none("80001234");
    assert_eq!(run_known("80001234", &[0x8000_1234]).codes(), [0x8000_1234]);
}

// ---------------------------------------------------------------- limits

#[test]
fn found_codes_are_capped() {
    let text: String = (1..=300u32).map(|i| format!("0x8007{i:04X} ")).collect();
    let e = extract(&text, CodeTables::bundled(), &|_| true);
    assert_eq!(e.found.len(), MAX_FOUND);
    assert_eq!(e.found[0].code, 0x8007_0001);
}

#[test]
fn huge_hostile_input_finishes_and_stays_bounded() {
    let mut text = String::new();
    for i in 0..60_000u32 {
        text.push_str(&format!(
            "{:08x} 0x{:07X} -{} ",
            i.wrapping_mul(2_654_435_761),
            i,
            2_147_000_000 + i
        ));
    }
    let e = run(&text);
    assert!(e.found.len() <= MAX_FOUND);
    assert!(e.suggestions.len() <= hexhelp::codes::MAX_SUGGESTIONS);
}

#[test]
fn weird_unicode_is_fine() {
    assert_codes(
        "😀0x80070002😀 ｅｒｒｏｒ 0x80070005\u{200B}",
        &["0x80070002", "0x80070005"],
    );
    assert_none("𝟎𝐱𝟖𝟎𝟎𝟕𝟎𝟎𝟎𝟐");
    let e = run("ошибка 0x80070002 — 0x4000D");
    assert_eq!(e.found[0].ext, Some(0x4000D));
}

// ---------------------------------------------------------------- dev set

#[test]
fn dev_set_code_and_falsehex_cases() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/dev.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("note: {} not found; dev set check skipped", path.display());
        return;
    };
    let mut checked = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("dev.jsonl line is JSON");
        let msg = case["text"].as_str().expect("text");
        let id = case["id"].as_str().unwrap_or("?");
        match case["kind"].as_str() {
            Some("code") => {
                let want: Vec<String> = case["codes"]
                    .as_array()
                    .expect("codes")
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect();
                assert_eq!(codes(msg), want, "{id}: {msg:?}");
                checked += 1;
            }
            Some("falsehex") => {
                assert!(
                    run(msg).found.is_empty(),
                    "{id}: {msg:?} gave {:?}",
                    codes(msg)
                );
                checked += 1;
            }
            _ => {}
        }
    }
    assert!(checked > 0, "dev set has code or falsehex cases");
}

// ------------------------------------------------------ wrong reads (issue 11)

#[test]
fn a_count_after_a_dash_is_not_an_extend_code() {
    let e = run("0x80070005 - 12345 files");
    assert_eq!(e.found.len(), 1);
    assert_eq!(e.found[0].ext, None, "{:?}", e.found);
    let e = run("0x80070005 - 12345");
    assert_eq!(e.found[0].ext, None, "operation 0x2345 is no extend code");
    // Real extend codes, bare or prefixed, still come along.
    assert_eq!(run("0xC1900101 - 4000D").found[0].ext, Some(0x4000D));
    assert_eq!(run("0xC1900101 - 40017").found[0].ext, Some(0x40017));
    assert_eq!(run("0xC1900101 - 0x20017").found[0].ext, Some(0x20017));
}

#[test]
fn a_win32_number_followed_by_a_count_noun_is_not_a_code() {
    assert_none("windows error 50 people");
    assert_none("windows update error 3 users had it");
    assert_none("windows error 5 computers in our office");
    assert_codes("windows error 50 on the share", &["0x80070032"]);
    assert_codes("windows error 5 access denied", &["0x80070005"]);
}

#[test]
fn zero_width_characters_inside_a_code_do_not_hide_it() {
    for text in [
        "0x8007\u{200B}0002",
        "error 0x\u{200B}80070002 again",
        "0x80070\u{200D}002",
        "\u{FEFF}0x80070002",
        "0x8007\u{00AD}0002",
        "0x8007\u{2060}0002",
    ] {
        assert_codes(text, &["0x80070002"]);
    }
    // Offsets still point into the text as written.
    let text = "Update: 0x8007\u{200B}0002!";
    let f = &run(text).found[0];
    assert_eq!(&text[f.start..f.end], "0x8007\u{200B}0002");
}

#[test]
fn a_combining_mark_inside_a_code_is_not_a_typo() {
    for text in [
        "0x8007000\u{0301}2",
        "0x80070\u{0308}002",
        "0x80070002\u{0301}",
    ] {
        let e = run(text);
        assert_eq!(
            e.found.iter().map(|f| hex(f.code)).collect::<Vec<_>>(),
            ["0x80070002"],
            "{text:?}"
        );
        assert!(e.suggestions.is_empty(), "{text:?}: {:?}", e.suggestions);
    }
}

// ------------------------------------------------------- missed reads (issue 12)

#[test]
fn stop_codes_written_in_words_with_spaces_in_any_case() {
    assert_codes("got a DPC Watchdog Violation while gaming", &["0x00000133"]);
    assert_codes(
        "WHEA UNCORRECTABLE ERROR after overclocking",
        &["0x00000124"],
    );
    assert_codes(
        "the blue screen says critical process died",
        &["0x000000EF"],
    );
    assert_codes("bsod: inaccessible boot device", &["0x0000007B"]);
    assert!(run("dpc watchdog violation").found[0].stop_framed);
    // Two-word names are everyday words: only with stop framing.
    assert_none("memory management is hard");
    assert_codes("blue screen memory management", &["0x0000001A"]);
    // Split across lines or punctuation, it is not a name.
    assert_none("critical. process died");
    // Names that are everyday phrases need framing or capitals.
    assert_none("my ntfs file system is fine");
    assert_none("you should install more memory");
    assert_codes("NTFS FILE SYSTEM on boot", &["0x00000024"]);
    assert_codes("bsod: install more memory", &["0x0000007D"]);
}

#[test]
fn crash_tool_parameters_are_not_codes_of_their_own() {
    assert_codes(
        "Bugcheck code: 0xD1(0x38, 0x2, 0x0, 0xFFFFF80512345678)",
        &["0x000000D1"],
    );
    assert_codes(
        "BugCheck D1, {38, 2, 0, fffff80512345678} then 0x80070005 later",
        &["0x80070005"],
    );
    assert_codes(
        "The computer has rebooted from a bugcheck. The bugcheck was: 0x00000133 (0x0000000000000001, 0x0000000000001e00, 0xfffff8014e0fb320, 0x0000000000000000).",
        &["0x00000133"],
    );
    assert_codes(
        "bugcheck 0x124 (0x0, 0xffffe000, 0xbe000000, 0x800400)",
        &["0x00000124"],
    );
}

#[test]
fn short_hex_framed_as_an_error() {
    assert_eq!(run("it throws an 0x406 error on start").codes(), [0x406]);
    assert_eq!(
        run("the installer fails (0x409 / 0x80131509)").codes(),
        [0x409, 0x8013_1509]
    );
    assert_codes("error 0x5 when copying", &["0x80070005"]);
    assert_none("set the register to 0x1F");
    assert_none("the crash code 0x124 is weird");
}

#[test]
fn installer_exit_codes_in_an_installer_context() {
    assert_codes(
        "MSI (s) (A4:B8) [10:11:12:131]: MainEngineThread is returning 1603",
        &["0x80070643"],
    );
    assert_codes("msiexec failed with 1618", &["0x80070652"]);
    assert_codes("the installer exited with code 1603", &["0x80070643"]);
    assert_none("the function is returning 1603 apples");
    assert_none("my python script is returning 5");
}

#[test]
fn setupapi_codes_and_names() {
    assert_codes("pnputil failed: 0xE000020B", &["0xE000020B"]);
    assert_codes("driver install error 0xe0000247", &["0xE0000247"]);
    assert_codes("SetupDi returned ERROR_NO_SUCH_DEVINST", &["0xE000020B"]);
    let tables = CodeTables::bundled();
    let d = hexhelp::codes::decode(&run("0xE0000219").found[0], "0xE0000219", tables);
    assert_eq!(d.meanings[0].name, "ERROR_NO_ASSOCIATED_SERVICE");
}

#[test]
fn a_short_http_status_from_the_store_is_an_http_error() {
    // The Store and the Xbox app print HTTP statuses as short hex values.
    assert_codes(
        "Microsoft Store download fails with error 0x194",
        &["0x80190194"],
    );
    assert_codes(
        "xbox app: game install stopped, code 0x193",
        &["0x80190193"],
    );
    // Elsewhere a short value stays what it was.
    let other = codes("error 0x194 when opening a file on my OneDrive");
    assert!(!other.contains(&"0x80190194".to_string()), "{other:?}");
    // Outside the HTTP error range, nothing changes.
    let low = codes("store download fails with error 0x5");
    assert!(!low.iter().any(|c| c.starts_with("0x8019")), "{low:?}");
}

#[test]
fn a_code_ending_an_error_lookup_url_is_read() {
    assert_codes(
        "see https://learn.microsoft.com/en-us/windows/win32/com/FACILITY_WINDOWS/0x80080005",
        &["0x80080005"],
    );
    assert_codes(
        "lookup: https://errors.example.org/hresult/0x80070643?lang=en then retry",
        &["0x80070643"],
    );
    // A code in the middle of a path, or an unknown value, is part of the address.
    assert_none("https://github.com/user/repo/blob/0x80070643/README.md");
    assert_none("https://example.org/items/0x8A1F2C3D");
}
