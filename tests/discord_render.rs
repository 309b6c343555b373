//! The Discord embeds of real answers from the bundled knowledge base stay
//! within every Discord limit, keep the fixes in the knowledge base's
//! order, and combine several codes into one reply.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use hexhelp::answer::Reason;
use hexhelp::bot::ids::ladder_key;
use hexhelp::codes::hex;
use hexhelp::kb::{Entry, Fix, KnowledgeBase, Ladder, Risk, Vocabulary, limits as kb_limits};
use hexhelp::messages;
use hexhelp::render::discord::{self, Embed, MAX_FULL, colour};
use hexhelp::{Engine, Mode};

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::bundled().expect("bundled knowledge base loads"))
}

#[track_caller]
fn assert_fits(e: &Embed, what: &str) {
    let problems = e.limit_problems();
    assert!(problems.is_empty(), "{what}: {problems:?}\n{e:#?}");
}

fn fixes_field(e: &Embed) -> &str {
    &e.fields
        .iter()
        .find(|f| f.name == messages::FIXES_IN_ORDER)
        .expect("a fixes field")
        .value
}

/// The titles in a numbered fix list, in the order shown.
fn listed_titles(list: &str) -> Vec<String> {
    list.lines()
        .filter_map(|l| {
            l.split_once(". ")
                .map(|(_, rest)| rest.split(" · *").next().unwrap_or(rest).to_string())
        })
        .collect()
}

/// Entries by how much text they have, longest first.
fn longest_entries() -> Vec<Arc<Entry>> {
    let mut entries = engine().kb().entries.clone();
    let size = |e: &Entry| {
        e.causes.iter().map(String::len).sum::<usize>()
            + e.fixes
                .iter()
                .map(|f| f.title.len() + f.steps.iter().map(String::len).sum::<usize>())
                .sum::<usize>()
            + e.summary.len()
            + e.title.len()
    };
    entries.sort_by_key(|e| std::cmp::Reverse(size(e)));
    // Entries for problems described only in words have no code to ask.
    entries.retain(|e| !e.codes.is_empty());
    entries
}

#[test]
fn every_entry_fits_with_fixes_in_knowledge_order() {
    for e in engine().kb().entries.iter().filter(|e| !e.codes.is_empty()) {
        let code = hex(e.codes[0]);
        let a = engine().answer(&format!("getting {code} again"), Mode::Passive);
        let embed = discord::answer(&a).expect("an answer for a known code");
        assert_fits(&embed, &e.id);
        assert!(embed.title.starts_with(&code), "{}: {}", e.id, embed.title);
        // A code shared by entries of several contexts gets one of them.
        let e = &a.matches[0].entry;
        assert!(embed.description.contains(&e.summary), "{}", e.id);
        // With nothing said about the situation, the knowledge order, less
        // fixes written only for old Windows versions, unless the entry
        // itself is only for old Windows.
        let old_entry =
            !e.versions.is_empty() && !e.versions.iter().any(|v| v == "10" || v == "11");
        let current = |f: &&hexhelp::kb::Fix| {
            old_entry || f.versions.is_empty() || f.versions.iter().any(|v| v == "10" || v == "11")
        };
        let want: Vec<&str> = e
            .fixes
            .iter()
            .filter(current)
            .map(|f| f.title.as_str())
            .collect();
        assert_eq!(listed_titles(fixes_field(&embed)), want, "{}", e.id);
        let first = e
            .fixes
            .iter()
            .find(current)
            .expect("a fix for current Windows");
        let steps = embed
            .fields
            .iter()
            .find(|f| f.name.ends_with(&first.title))
            .expect("first fix in full");
        assert!(steps.value.starts_with("1. "), "{}", e.id);
        assert!(steps.value.contains(&first.steps[0]), "{}", e.id);
        assert_eq!(embed.color, colour::ANSWER);
        assert_eq!(
            embed.footer.as_deref(),
            Some(format!("hexhelp · {}", e.id).as_str())
        );
        assert_eq!(discord::subject(&a), Some((e.id.clone(), e.fixes.len())));
    }
}

#[test]
fn markers_show_admin_and_risk() {
    let e = engine()
        .kb()
        .entries
        .iter()
        .find(|e| e.fixes.iter().any(|f| f.admin) && e.fixes.iter().any(|f| f.risk != Risk::Safe))
        .expect("an entry with admin and risky fixes");
    let a = engine().answer(&hex(e.codes[0]), Mode::Passive);
    let list = fixes_field(&discord::answer(&a).unwrap()).to_string();
    for (line, f) in list.lines().zip(&e.fixes) {
        assert_eq!(line.contains(messages::ADMIN), f.admin, "{line}");
        assert_eq!(
            line.contains("moderate"),
            f.risk == Risk::Moderate,
            "{line}"
        );
        assert_eq!(
            line.contains("destructive"),
            f.risk == Risk::Destructive,
            "{line}"
        );
    }
}

#[test]
fn every_symptom_answer_fits() {
    for e in &engine().kb().entries {
        for s in &e.symptoms {
            for mode in [Mode::Passive, Mode::Explicit] {
                let a = engine().answer(s, mode);
                if let Some(embed) = discord::answer(&a) {
                    assert_fits(&embed, s);
                }
            }
        }
    }
}

#[test]
fn combinations_of_four_long_codes_fit_in_one_reply() {
    // Ten distinct codes: entries of several contexts may share one.
    let mut long: Vec<u32> = Vec::new();
    for e in longest_entries() {
        if long.len() < 10 && !long.contains(&e.codes[0]) {
            long.push(e.codes[0]);
        }
    }
    let mut n = 0;
    for a in 0..long.len() {
        for b in a + 1..long.len() {
            for c in b + 1..long.len() {
                for d in c + 1..long.len() {
                    let codes = [long[a], long[b], long[c], long[d]];
                    let text = codes
                        .iter()
                        .map(|&c| hex(c))
                        .collect::<Vec<_>>()
                        .join(" and ");
                    let answer = engine().answer(&text, Mode::Passive);
                    assert_eq!(answer.codes.len(), 4, "{text}");
                    let embed = discord::answer(&answer).unwrap();
                    assert_fits(&embed, &text);
                    assert_eq!(embed.title, messages::several_codes(4));
                    // The first three in full, in the order of the message.
                    for (i, &code) in codes.iter().take(MAX_FULL).enumerate() {
                        let shown = embed
                            .fields
                            .iter()
                            .position(|f| f.name.starts_with(&hex(code)));
                        assert!(shown.is_some(), "{text}: {} missing", hex(code));
                        assert!(
                            embed
                                .fields
                                .iter()
                                .any(|f| f.name == messages::fixes_for(&hex(code))),
                            "{text}: fixes {i}"
                        );
                    }
                    let more = embed
                        .fields
                        .iter()
                        .find(|f| f.name == messages::and_more(1))
                        .expect("and 1 more");
                    assert!(more.value.contains(&hex(codes[3])));
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, 210);
}

#[test]
fn many_codes_in_one_message_still_fit() {
    let text: Vec<String> = longest_entries()
        .iter()
        .map(|e| hex(e.codes[0]))
        .take(12)
        .collect();
    let answer = engine().answer(&text.join(" "), Mode::Explicit);
    let embed = discord::answer(&answer).unwrap();
    assert_fits(&embed, "twelve codes");
    let rest = answer.codes.len() - MAX_FULL;
    assert!(
        embed
            .fields
            .iter()
            .any(|f| f.name == messages::and_more(rest))
    );
}

#[test]
fn a_code_without_entry_shows_its_decode_and_family_ladder() {
    let a = engine().answer("update history shows 0x8007001E", Mode::Passive);
    assert!(a.codes[0].entry.is_none());
    let ladder = a.codes[0].ladder.clone().unwrap();
    let embed = discord::answer(&a).unwrap();
    assert_fits(&embed, "ladder");
    assert!(embed.title.starts_with("0x8007001E"));
    assert!(embed.title.contains("ERROR_READ_FAULT"), "{}", embed.title);
    assert!(embed.description.contains(&ladder.title));
    assert_eq!(embed.color, colour::LADDER);
    let want: Vec<&str> = ladder.fixes.iter().map(|f| f.title.as_str()).collect();
    assert_eq!(listed_titles(fixes_field(&embed)), want);
    assert_eq!(
        discord::subject(&a),
        Some((ladder_key(&ladder.family), ladder.fixes.len()))
    );
    // Win32 codes without entries, many families of names.
    for (code, _) in engine().tables().search_names("ERROR_", 300) {
        let a = engine().answer(&hex(code), Mode::Explicit);
        if let Some(e) = discord::answer(&a) {
            assert_fits(&e, &hex(code));
        }
    }
}

#[test]
fn guesses_are_marked() {
    // A symptom without a code in it: a code would make the answer sure.
    let e = engine()
        .kb()
        .entries
        .iter()
        .find(|e| {
            engine()
                .answer(&e.symptoms[0], Mode::Explicit)
                .codes
                .is_empty()
        })
        .unwrap();
    let a = engine().answer_with(&e.symptoms[0], Mode::Explicit, 1.01);
    assert!(
        a.unsure,
        "an explicit answer below the threshold is a guess"
    );
    let embed = discord::answer(&a).unwrap();
    assert!(
        embed.description.starts_with(messages::UNSURE),
        "{}",
        embed.description
    );
    assert_eq!(embed.color, colour::GUESS);
    assert!(matches!(a.matches[0].reason, Reason::Symptom(_)));
    assert_fits(&embed, "guess");
}

#[test]
fn nothing_to_say_gives_no_embed() {
    assert!(discord::answer(&engine().answer("thanks, that worked!", Mode::Passive)).is_none());
}

#[test]
fn every_fix_of_every_entry_and_ladder_has_its_own_embed() {
    let kb = engine().kb();
    let mut keys: Vec<(String, usize)> = kb
        .entries
        .iter()
        .map(|e| (e.id.clone(), e.fixes.len()))
        .collect();
    keys.extend(
        kb.ladders
            .values()
            .map(|l| (ladder_key(&l.family), l.fixes.len())),
    );
    for (key, count) in keys {
        for n in 1..=count {
            let e = discord::fix(kb, &key, n).unwrap_or_else(|| panic!("{key} fix {n}"));
            assert_fits(&e, &key);
            assert!(
                e.title.starts_with(&format!("Fix {n} of {count}: ")),
                "{}",
                e.title
            );
            assert!(e.description.contains("1. "));
        }
        let last = discord::fix(kb, &key, count + 1).expect("one past the last fix");
        assert_eq!(last.title, messages::NO_MORE_FIXES);
        assert_fits(&last, &key);
        assert!(discord::fix(kb, &key, count + 2).is_none());
        assert!(discord::fix(kb, &key, 0).is_none());
    }
    assert!(discord::fix(kb, "no-such-entry", 1).is_none());
    assert!(discord::fix(kb, "@no-such-family", 1).is_none());
}

/// A knowledge base whose every text is as long as the loader allows, and
/// more fixes and causes than any real entry.
fn worst_case_kb() -> KnowledgeBase {
    let text = |n: usize, tag: &str| {
        let mut s = format!("{tag} ");
        while s.len() < n {
            s.push_str("lorem ipsum ");
        }
        s.truncate(n);
        s
    };
    let fix = |i: usize| Fix {
        id: format!("fix-{i}"),
        title: text(kb_limits::FIX_TITLE, &format!("fix {i}")),
        steps: (0..10)
            .map(|j| text(kb_limits::FIX_STEPS / 10 - 4, &format!("step {j}")))
            .collect(),
        admin: i.is_multiple_of(2),
        risk: if i.is_multiple_of(3) {
            Risk::Destructive
        } else {
            Risk::Moderate
        },
        ..Default::default()
    };
    let entries = (0..6u32)
        .map(|i| Entry {
            id: format!("worst-{i}"),
            area: "windows-update".into(),
            path: format!("windows-update/worst-{i}.toml"),
            codes: vec![0x8024_0001 + i],
            title: text(kb_limits::TITLE, "title"),
            summary: text(kb_limits::SUMMARY, "summary"),
            symptoms: vec![text(kb_limits::SYMPTOM, "symptom"); 12],
            causes: (0..12)
                .map(|j| text(kb_limits::CAUSE, &format!("cause {j}")))
                .collect(),
            fixes: (0..20).map(fix).collect(),
            ask_for: Some(text(kb_limits::ASK_FOR, "ask")),
            applies_to: vec!["Windows 11".into()],
            checked: "2026-01-01".into(),
            ..Default::default()
        })
        .collect();
    let ladder = Ladder {
        family: "generic".into(),
        title: text(200, "ladder"),
        fixes: (0..20).map(fix).collect(),
        ..Default::default()
    };
    KnowledgeBase::new(entries, vec![ladder], HashMap::new(), Vocabulary::default())
}

#[test]
fn entries_at_every_knowledge_limit_still_fit() {
    let engine = Engine::new(worst_case_kb());
    for k in 1..=6u32 {
        let text: Vec<String> = (0..k).map(|i| hex(0x8024_0001 + i)).collect();
        let a = engine.answer(&text.join(" "), Mode::Explicit);
        assert_eq!(a.codes.len(), k as usize);
        let e = discord::answer(&a).unwrap();
        assert_fits(&e, &format!("{k} worst-case codes"));
        // The first fix's steps survive in full when there is one entry.
        if k == 1 {
            let first = &engine.kb().entries[0].fixes[0];
            assert!(
                e.fields.iter().any(|f| f.value.contains(&first.steps[9])),
                "{e:#?}"
            );
        }
    }
    let a = engine.answer("0x8007001F and 0xC0000005", Mode::Explicit);
    assert_fits(&discord::answer(&a).unwrap(), "worst-case ladder");
    for n in 1..=21 {
        assert_fits(
            &discord::fix(engine.kb(), "worst-0", n).unwrap(),
            "worst fix",
        );
        assert_fits(
            &discord::fix(engine.kb(), "@generic", n).unwrap(),
            "worst ladder fix",
        );
    }
}
