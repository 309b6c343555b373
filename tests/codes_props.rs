//! Properties of the extractor that must hold for any input.

use hexhelp::codes::{CodeTables, MAX_FOUND, MAX_SUGGESTIONS, extract};
use proptest::prelude::*;

fn tables() -> &'static CodeTables {
    CodeTables::bundled()
}

/// Every named code (as people write it), for sampling.
fn named_codes() -> Vec<u32> {
    let mut v: Vec<u32> = tables()
        .iter_codes()
        .map(|(_, c)| c)
        .filter(|&c| c > 1)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Text made of fragments that look like codes, to reach the scanner's
/// corners more often than random characters would.
fn codeish_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("0x".to_string()),
        Just("-".to_string()),
        Just(" - ".to_string()),
        Just("#".to_string()),
        Just(":".to_string()),
        Just(".".to_string()),
        Just("error ".to_string()),
        Just("stop code ".to_string()),
        Just("BSOD ".to_string()),
        Just("windows update ".to_string()),
        Just("https://x/".to_string()),
        Just("\u{2013}".to_string()),
        Just("😀".to_string()),
        Just("ERROR_FILE_NOT_FOUND".to_string()),
        "[0-9a-fA-F]{1,12}",
        "[0-9]{1,11}",
        "[A-Z_]{1,12}",
        "\\PC{0,4}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_respects_limits(text in prop_oneof!["\\PC{0,300}", codeish_text()]) {
        let e = extract(&text, tables(), &|c| c % 7 == 0);
        prop_assert!(e.found.len() <= MAX_FOUND);
        prop_assert!(e.suggestions.len() <= MAX_SUGGESTIONS);
        for (i, f) in e.found.iter().enumerate() {
            prop_assert!(f.start < f.end && f.end <= text.len());
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            prop_assert!(e.found[..i].iter().all(|g| g.code != f.code), "duplicate {:?}", f);
            prop_assert!(i == 0 || e.found[i - 1].start < f.start, "order of appearance");
        }
        for s in &e.suggestions {
            prop_assert!(e.found.iter().all(|f| f.code != s.suggested));
            prop_assert!(text.contains(&s.typed));
        }
    }

    #[test]
    fn named_codes_round_trip(i in any::<prop::sample::Index>(), form in 0usize..6) {
        let all = named_codes();
        let code = all[i.index(all.len())];
        let text = match form {
            0 => format!("0x{code:08X}"),
            1 => format!("0x{code:08x}"),
            2 => format!("(0x{code:08X})"),
            3 => format!("Error: 0x{code:08x}."),
            4 => format!("the log:\n```\n0X{code:08X}\n```"),
            _ => format!("'0x{code:08X}',"),
        };
        let got: Vec<u32> = extract(&text, tables(), &|_| false).found.iter().map(|f| f.code).collect();
        prop_assert_eq!(got, vec![code], "{}", text);
    }

    #[test]
    fn any_value_the_knowledge_base_knows_round_trips(code in 2u32..) {
        let text = format!("windows says (0x{code:08x})");
        let got: Vec<u32> = extract(&text, tables(), &|c| c == code).found.iter().map(|f| f.code).collect();
        prop_assert_eq!(got, vec![code], "{}", text);
    }

    #[test]
    fn signed_and_unsigned_decimal_agree(code in 0x8000_0000u32..) {
        let known = |c: u32| c == code;
        let signed = format!("error {}", code as i32);
        let unsigned = format!("error {code}");
        let a: Vec<u32> = extract(&signed, tables(), &known).found.iter().map(|f| f.code).collect();
        let b: Vec<u32> = extract(&unsigned, tables(), &known).found.iter().map(|f| f.code).collect();
        prop_assert_eq!(&a, &vec![code], "{}", signed);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn bare_hex_of_unknown_values_needs_framing(code in any::<u32>()) {
        // A value nobody knows is never a code without error framing.
        prop_assume!(!tables().is_named(code));
        let text = format!("see {code:08x} here");
        prop_assert!(extract(&text, tables(), &|_| false).found.is_empty(), "{}", text);
    }
}
