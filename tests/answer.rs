//! Whole answers from the bundled knowledge base: codes first, symptoms
//! when there is no code, silence on chatter, and never a panic.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use hexhelp::answer::Reason;
use hexhelp::{Engine, Mode};
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::bundled().expect("bundled knowledge base loads"))
}

fn top_codes(text: &str, mode: Mode) -> Vec<String> {
    let a = engine().answer(text, mode);
    a.matches
        .first()
        .map(|m| m.entry.hex_codes())
        .unwrap_or_default()
}

#[test]
fn a_code_brings_its_entry_with_fixes_in_knowledge_order() {
    let a = engine().answer("WU fails with 0x80070422 every time", Mode::Passive);
    assert!(a.reply);
    assert_eq!(a.codes.len(), 1);
    assert_eq!(a.codes[0].decoded.hex, "0x80070422");
    let top = &a.matches[0];
    assert!(top.entry.codes.contains(&0x8007_0422));
    assert!(matches!(top.reason, Reason::Code { .. }));
    let kb_entry = engine().kb().entry_for_code(0x8007_0422).unwrap();
    let ids: Vec<&str> = a.fixes().iter().map(|f| f.id.as_str()).collect();
    let want: Vec<&str> = kb_entry.fixes.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, want);
}

#[test]
fn several_codes_keep_their_order_of_appearance() {
    let a = engine().answer("first 0xC004F074 then later 0x80070005", Mode::Passive);
    let codes: Vec<&str> = a.codes.iter().map(|c| c.decoded.hex.as_str()).collect();
    assert_eq!(codes, ["0xC004F074", "0x80070005"]);
    assert!(a.matches[0].entry.codes.contains(&0xC004_F074));
    assert!(a.matches[1].entry.codes.contains(&0x8007_0005));
}

#[test]
fn a_code_without_entry_gets_its_family_ladder() {
    let code = 0x8007_001E; // ERROR_READ_FAULT: no entry of its own
    assert!(engine().kb().entry_for_code(code).is_none());
    let a = engine().answer("update history shows 0x8007001E", Mode::Passive);
    assert!(a.reply);
    let c = &a.codes[0];
    assert!(c.entry.is_none());
    let ladder = c
        .ladder
        .as_ref()
        .expect("a ladder for a code without entry");
    assert!(!ladder.fixes.is_empty());
    assert_eq!(a.fixes().len(), ladder.fixes.len());
}

#[test]
fn typos_and_abbreviations_still_find_the_problem() {
    // the service behind Windows Update is disabled: 0x80070422
    for text in [
        "the windows update service is disabled",
        "WU service disabled, cant turn it on",
        "windows updaet servcie disbaled",
    ] {
        assert!(
            top_codes(text, Mode::Explicit).contains(&"0x80070422".to_string()),
            "{text}"
        );
        assert!(engine().answer(text, Mode::Passive).reply, "{text}");
    }
}

#[test]
fn chatter_gets_no_passive_reply() {
    for text in [
        "thanks, that fixed it!",
        "the backup generator at work failed lol",
        "anyone playing the new zelda tonight?",
        "good morning everyone",
        "what keyboard do you all use",
    ] {
        let a = engine().answer(text, Mode::Passive);
        assert!(
            !a.reply,
            "{text}: {:?}",
            a.matches.first().map(|m| &m.entry.id)
        );
        assert!(a.matches.is_empty());
    }
}

#[test]
fn an_explicit_question_shows_a_guess_marked_unsure() {
    let a = engine().answer("something about activation i guess", Mode::Explicit);
    if !a.reply {
        assert!(a.unsure);
        assert!(!a.matches.is_empty());
    }
    let silent = engine().answer("something about activation i guess", Mode::Passive);
    assert_eq!(silent.reply, a.reply);
}

/// Runs `ask --jsonl` on `input`; its exit status and its output lines.
fn jsonl_run(input: &[u8], args: &[&str]) -> (std::process::ExitStatus, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hexhelp"))
        .args(["ask", "--jsonl"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let text = String::from_utf8(out.stdout).expect("output is UTF-8");
    (out.status, text.lines().map(str::to_string).collect())
}

#[test]
fn jsonl_answers_every_good_line_around_invalid_utf8_and_bad_json() {
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"id\": \"a\", \"text\": \"0x80070002\"}\n");
    input.extend_from_slice(b"{\"id\": \"b\", \"text\": \"bad \xff\xfe here\"}\n");
    input.extend_from_slice(b"{\"id\": \"c\", \"text\": \"0xC004F074\"}\n");
    input.extend_from_slice(b"not json at all\n");
    input.extend_from_slice(b"{\"id\": \"e\", \"text\": \"0x80070005\"}");
    let (status, lines) = jsonl_run(&input, &[]);
    assert!(status.success(), "{status:?}");
    assert_eq!(lines.len(), 5, "{lines:#?}");
    let v: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v[0]["codes"][0], "0x80070002");
    assert_eq!(v[1]["line"], 2);
    assert!(
        v[1]["error"].as_str().unwrap().contains("UTF-8"),
        "{}",
        v[1]
    );
    assert_eq!(v[2]["id"], "c");
    assert_eq!(v[2]["codes"][0], "0xC004F074");
    assert_eq!(v[3]["line"], 4);
    assert!(v[3]["error"].is_string());
    assert_eq!(v[4]["codes"][0], "0x80070005");
}

#[test]
fn jsonl_echoes_ids_exactly_as_written() {
    let ids = [
        "12345678901234567890",
        "1e3",
        "-0.10",
        "18446744073709551617",
        "\"x\\u00e9\"",
        "{\"k\": [1, 2]}",
    ];
    let input: String = ids
        .iter()
        .map(|id| format!("{{\"id\": {id}, \"text\": \"0x80070002\"}}\n"))
        .collect();
    let (status, lines) = jsonl_run(input.as_bytes(), &[]);
    assert!(status.success());
    assert_eq!(lines.len(), ids.len());
    for (id, line) in ids.iter().zip(&lines) {
        assert!(
            line.starts_with(&format!("{{\"id\":{id},")),
            "id {id} came back as {line}"
        );
    }
}

#[test]
fn jsonl_streams_one_line_per_input_in_order() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hexhelp"))
        .args(["ask", "--jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let input = concat!(
        "{\"id\": \"a\", \"text\": \"0x80070002\"}\n",
        "{\"id\": 7, \"text\": \"hello\\nthere 0xC004F074\"}\n",
        "\n",
        "{\"id\": null, \"text\": \"thanks!\"}\n",
    );
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["codes"][0], "0x80070002");
    assert_eq!(lines[0]["reply"], true);
    assert_eq!(lines[1]["id"], 7);
    assert_eq!(lines[1]["codes"][0], "0xC004F074");
    assert!(
        lines[1]["matches"][0]["codes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "0xC004F074")
    );
    assert_eq!(lines[2]["id"], serde_json::Value::Null);
    assert_eq!(lines[2]["reply"], false);
}

#[test]
fn ask_prints_fixes_numbered() {
    let out = Command::new(env!("CARGO_BIN_EXE_hexhelp"))
        .args(["ask", "0x80070002"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("0x80070002"));
    assert!(s.contains("  1. "), "{s}");
    assert!(s.contains("  2. "), "{s}");
    assert!(!s.contains('\x1b'), "no colour when not a terminal");
}

#[test]
fn oversized_messages_are_answered() {
    let mut text = "my update fails with 0x80070002 ".repeat(20_000);
    text.push_str(&"\u{1F600}".repeat(10_000));
    let a = engine().answer(&text, Mode::Passive);
    assert!(a.reply);
    assert_eq!(a.codes.len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn never_panics_and_confidence_is_a_probability(text in "\\PC{0,400}") {
        for mode in [Mode::Passive, Mode::Explicit] {
            let a = engine().answer(&text, mode);
            prop_assert!((0.0..=1.0).contains(&a.confidence));
            prop_assert!(a.matches.len() <= hexhelp::answer::MAX_MATCHES + a.codes.len());
        }
    }

    #[test]
    fn words_in_any_order_find_the_same_entry(seed in 0usize..6) {
        let words = ["windows", "update", "service", "disabled"];
        let mut w: Vec<&str> = words.to_vec();
        w.rotate_left(seed % 4);
        if seed >= 4 { w.reverse(); }
        let text = w.join(" ");
        prop_assert!(top_codes(&text, Mode::Explicit).contains(&"0x80070422".to_string()), "{}", text);
    }
}

#[test]
fn an_answer_lists_at_most_max_matches_entries_even_with_many_codes() {
    let kb = engine().kb();
    let text: String = kb
        .entries
        .iter()
        .filter_map(|e| e.codes.first())
        .take(40)
        .map(|&c| format!("error {} ", hexhelp::codes::hex(c)))
        .collect();
    for mode in [Mode::Explicit, Mode::Passive] {
        let a = engine().answer(&text, mode);
        assert!(
            a.codes.len() > hexhelp::answer::MAX_MATCHES,
            "{}",
            a.codes.len()
        );
        assert_eq!(a.matches.len(), hexhelp::answer::MAX_MATCHES);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_hexhelp"))
        .args(["ask", "--json", &text])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["matches"].as_array().unwrap().len(),
        hexhelp::answer::MAX_MATCHES
    );
}

#[test]
fn a_bare_shared_code_gets_its_general_entry() {
    // A code alone says nothing of its context: of the entries that share
    // it, the general one answers, as `entry_for_code` picks it
    // (0x80070032 is the backup, Mail and camera entry, not winget's).
    let kb = engine().kb();
    let mut wrong = Vec::new();
    let mut checked = 0;
    let mut codes: Vec<u32> = kb.entries.iter().flat_map(|e| e.codes.clone()).collect();
    codes.sort_unstable();
    codes.dedup();
    for code in codes {
        if kb.entries_for_code(code).count() < 2 {
            continue;
        }
        let general = kb.entry_for_code(code).unwrap();
        // An entry only for old Windows waits for the message to name it.
        let old_only = !general.versions.is_empty()
            && !general.versions.iter().any(|v| v == "10" || v == "11");
        if general.context_given || old_only {
            continue;
        }
        let a = engine().answer(&format!("0x{code:08X}"), Mode::Explicit);
        let top = &a.matches.first().expect("an answer").entry;
        if top.id != general.id {
            wrong.push(format!(
                "0x{code:08X}: {} instead of {}",
                top.id, general.id
            ));
        }
        checked += 1;
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(
        checked >= 10,
        "only {checked} shared codes with a general entry"
    );
}
