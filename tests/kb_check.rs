//! `kb check` on a folder of broken files: every kind of mistake is
//! reported with its file and line, all in one run.

use std::path::Path;
use std::process::Command;

use hexhelp::kb::KnowledgeBase;

mod kb_copy;
use kb_copy::knowledge_copy;

const BROKEN: &str = "tests/fixtures/kb-broken";

fn problems() -> Vec<String> {
    let err =
        KnowledgeBase::from_dir(Path::new(BROKEN)).expect_err("the broken folder must not load");
    err.iter().map(|p| p.to_string()).collect()
}

fn has(problems: &[String], needle: &str) -> bool {
    problems.iter().any(|p| p.contains(needle))
}

#[test]
fn each_kind_of_mistake_is_reported_with_path_and_line() {
    let p = problems();
    let expect = [
        "activation/syntax-error.toml:3:",
        "activation/wrong-name.toml:1: id `not-the-file-name` differs from the file name `wrong-name.toml`",
        "activation/wrong-name.toml:6: symptoms: 2 given, at least 3 needed",
        "ladders.toml:2: unknown family `windows-updates`",
        "ladders.toml:9: no shared fix `restart-and-rety` in fixes/",
        "windows-update/bad-after.toml:9: fix 1 `Clear the cache` is to come after `restart-and-retry`, which the entry lists later (fix 2)",
        "windows-update/bad-after.toml:19: `after` names no fix `no-such-fix`",
        "windows-update/bad-order.toml:15: risk `dangerous` is not one of safe, moderate, destructive",
        "windows-update/bad-order.toml:18: fix 1 `Reset this PC` is destructive but comes before fix 2 `Restart and try again` (safe)",
        "windows-update/bad-reference.toml:10: no shared fix `restart-and-retyr` in fixes/ (did you mean `restart-and-retry`?)",
        "windows-update/duplicate-code.toml:4: code 0x80070002 is already answered at",
        "windows-update/invalid-code.toml:2: invalid code `0x8007002`",
        "windows-update/no-fixes.toml: an entry needs [[fixes]]",
        "windows-update/too-long.toml:13: the steps of fix `A very long fix` are",
        "windows-update/unknown-field.toml:4: unknown field `sumary`",
    ];
    for e in expect {
        assert!(has(&p, e), "missing problem `{e}` in:\n{}", p.join("\n"));
    }
    // The good entry is not blamed for anything (it is named only as the
    // first owner of the duplicated code).
    assert!(
        !p.iter()
            .any(|x| x.starts_with("tests/fixtures/kb-broken/windows-update/a-good-entry.toml")),
        "{}",
        p.join("\n")
    );
}

#[test]
fn problems_come_sorted_by_file_and_line() {
    let err = KnowledgeBase::from_dir(Path::new(BROKEN)).unwrap_err();
    let keys: Vec<(String, usize)> = err.iter().map(|p| (p.path.clone(), p.line)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn the_bundled_knowledge_base_is_valid() {
    let kb = KnowledgeBase::bundled()
        .unwrap_or_else(|p| panic!("bundled knowledge base has problems:\n{p}"));
    assert!(kb.entries.len() >= 30, "only {} entries", kb.entries.len());
    // Every fix list is ordered: nothing gentler after a destructive fix.
    for e in &kb.entries {
        assert!(!e.fixes.is_empty(), "{} has no fixes", e.id);
        if let Some(d) = e
            .fixes
            .iter()
            .position(|f| f.risk == hexhelp::kb::Risk::Destructive)
        {
            assert!(
                e.fixes[d..]
                    .iter()
                    .all(|f| f.risk == hexhelp::kb::Risk::Destructive),
                "{}",
                e.id
            );
        }
    }
}

#[test]
fn the_cli_prints_problems_and_exits_1() {
    let out = Command::new(env!("CARGO_BIN_EXE_hexhelp"))
        .args(["kb", "check", BROKEN])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.lines().count() >= 12, "{stdout}");
    assert!(stdout.lines().all(|l| l.starts_with(BROKEN)), "{stdout}");
}

#[test]
fn the_cli_passes_the_repository_knowledge() {
    let out = Command::new(env!("CARGO_BIN_EXE_hexhelp"))
        .args(["kb", "check", "knowledge"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A copy of the repository's knowledge directory in a fresh tempdir.
/// Rewrites the first line of `file` that starts with `from` (trimmed).
fn edit_line(file: &Path, from: &str, to: &str) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    let mut line_no = 0;
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if line_no == 0 && l.trim_start().starts_with(from) {
                line_no = i + 1;
                to.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(
        line_no > 0,
        "no line starting with {from} in {}",
        file.display()
    );
    std::fs::write(file, lines.join("\n") + "\n").unwrap();
    line_no
}

/// How many times entries and ladders refer to shared fix `id`.
fn references_to(dir: &Path, id: &str) -> usize {
    fn walk(d: &Path, id: &str, n: &mut usize) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                if !p.ends_with("fixes") {
                    walk(&p, id, n);
                }
            } else if p.extension().is_some_and(|x| x == "toml") {
                *n += std::fs::read_to_string(&p)
                    .unwrap()
                    .matches(&format!("\"{id}\""))
                    .count();
            }
        }
    }
    let mut n = 0;
    walk(dir, id, &mut n);
    n
}

#[test]
fn a_type_error_in_a_shared_fix_file_is_one_problem_and_a_count_of_knock_ons() {
    let (_tmp, dir) = knowledge_copy();
    let file = dir.join("fixes/common.toml");
    let line = edit_line(&file, "admin = ", "admin = \"yes\"");
    let err = KnowledgeBase::from_dir(&dir).expect_err("must not load");
    let p: Vec<String> = err.iter().map(|p| p.to_string()).collect();
    assert!(
        !has(&p, "no shared fix"),
        "knock-on problems listed one by one: {} problems",
        p.len()
    );
    assert!(p.len() <= 3, "{p:#?}");
    let cause = format!("fixes/common.toml:{line}:");
    assert_eq!(p.iter().filter(|x| x.contains(&cause)).count(), 2, "{p:#?}");
    assert!(
        p.iter()
            .any(|x| x.contains(&cause) && x.contains("references to fixes of")),
        "{p:#?}"
    );
}

#[test]
fn a_shared_fix_missing_a_field_counts_each_reference_to_it() {
    let (_tmp, dir) = knowledge_copy();
    let file = dir.join("fixes/common.toml");
    // The first fix of the file is restart-and-retry.
    let line = edit_line(&file, "risk = ", "");
    let want = references_to(&dir, "restart-and-retry");
    assert!(want > 10, "{want}");
    let err = KnowledgeBase::from_dir(&dir).expect_err("must not load");
    let p: Vec<String> = err.iter().map(|p| p.to_string()).collect();
    assert!(!has(&p, "no shared fix"), "{p:#?}");
    assert!(has(&p, "no `risk`"), "{p:#?}");
    assert!(
        has(&p, &format!("and {want} references to fixes of")),
        "{want} expected: {p:#?}"
    );
    assert!(p.len() <= 3 && line > 0, "{p:#?}");
}

#[test]
fn a_reference_to_a_fix_that_never_existed_is_still_reported() {
    let (_tmp, dir) = knowledge_copy();
    let file = dir.join("fixes/common.toml");
    edit_line(&file, "admin = ", "admin = \"yes\"");
    let entry = std::fs::read_dir(dir.join("boot"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read_to_string(p).unwrap().contains("use = \""))
        .unwrap();
    edit_line(&entry, "use = \"", "use = \"no-such-fix-anywhere\"");
    let err = KnowledgeBase::from_dir(&dir).expect_err("must not load");
    let p: Vec<String> = err.iter().map(|p| p.to_string()).collect();
    assert!(has(&p, "no shared fix `no-such-fix-anywhere`"), "{p:#?}");
}

#[test]
fn the_reload_reply_names_the_file_at_fault() {
    let (_tmp, dir) = knowledge_copy();
    edit_line(
        &dir.join("fixes/common.toml"),
        "admin = ",
        "admin = \"yes\"",
    );
    let err = KnowledgeBase::from_dir(&dir).expect_err("must not load");
    let text = hexhelp::messages::kb_broken_details(&err, 4000);
    let first = text.lines().next().unwrap();
    assert!(first.contains("fixes/common.toml"), "{text}");
    assert!(text.chars().count() <= 4000);
}

/// Problems of the copy after `edit`, as text.
fn problems_after(edit: impl FnOnce(&Path)) -> Vec<String> {
    let (_tmp, dir) = knowledge_copy();
    edit(&dir);
    match KnowledgeBase::from_dir(&dir) {
        Ok(_) => panic!("the edited knowledge base loaded"),
        Err(err) => err.iter().map(|p| p.to_string()).collect(),
    }
}

#[test]
fn vocabulary_problems_have_a_line_number() {
    let p = problems_after(|dir| {
        let f = dir.join("vocabulary.toml");
        let text = std::fs::read_to_string(&f).unwrap();
        let text = text.replacen("synonyms = [\n", "synonyms = [\n  [\"lonely\"],\n", 1);
        let text = text + "\"two words\" = \"x\"\n";
        std::fs::write(&f, text).unwrap();
    });
    let vocab: Vec<&String> = p.iter().filter(|x| x.contains("vocabulary.toml")).collect();
    assert_eq!(vocab.len(), 2, "{p:#?}");
    let lonely = vocab
        .iter()
        .find(|x| x.contains("lonely"))
        .expect("synonym problem");
    assert!(lonely.contains("vocabulary.toml:9:"), "{lonely}");
    let abbr = vocab
        .iter()
        .find(|x| x.contains("two words"))
        .expect("abbreviation problem");
    assert!(!abbr.contains("vocabulary.toml: "), "no line: {abbr}");
}

#[test]
fn control_characters_are_rejected_in_every_text_field_with_path_and_line() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "boot",
            "title = ",
            "title = \"Clears \\u001b[2J the terminal\"",
        ),
        ("boot", "title = ", "title = \"Rings \\u0007 the bell\""),
        ("boot", "title = ", "title = \"Reversed \u{202E}txet\""),
        (
            "boot",
            "summary = ",
            "summary = \"A C1 control \u{0085} here\"",
        ),
        (
            "boot",
            "ask_for = ",
            "ask_for = \"isolate \u{2066}this\u{2069}\"",
        ),
        (
            "fixes/common.toml",
            "title = ",
            "title = \"Escape \\e[31m red\"",
        ),
    ];
    for &(place, from, to) in cases {
        let mut target = String::new();
        let p = problems_after(|dir| {
            let file = if place.ends_with(".toml") {
                dir.join(place)
            } else {
                std::fs::read_dir(dir.join(place))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .filter(|p| std::fs::read_to_string(p).unwrap().contains("\nask_for = "))
                    .min()
                    .unwrap()
            };
            let line = edit_line(&file, from, to);
            target = format!("{}:{line}:", file.strip_prefix(dir).unwrap().display());
        });
        assert!(
            p.iter()
                .any(|x| x.contains(&target) && x.contains("control character")),
            "{to:?} at {target}: {p:#?}"
        );
    }
}

#[test]
fn a_step_with_a_control_character_is_rejected() {
    let p = problems_after(|dir| {
        let f = dir.join("fixes/common.toml");
        let text = std::fs::read_to_string(&f).unwrap();
        let text = text.replacen("steps = [\n", "steps = [\n  \"bell \\u0007 step\",\n", 1);
        std::fs::write(&f, text).unwrap();
    });
    // The step sits on the line after the first `steps = [`.
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge/fixes/common.toml"),
    )
    .unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("steps = ["))
        .unwrap()
        + 2;
    let at = format!("fixes/common.toml:{line}:");
    assert!(
        p.iter()
            .any(|x| x.contains(&at) && x.contains("control character")),
        "{p:#?}"
    );
}

#[test]
fn an_id_too_long_for_button_ids_is_rejected() {
    let p = problems_after(|dir| {
        let area = dir.join("boot");
        let src = std::fs::read_dir(&area)
            .unwrap()
            .map(|e| e.unwrap().path())
            .min()
            .unwrap();
        let old_id = src.file_stem().unwrap().to_str().unwrap().to_string();
        let new_id = format!("a{}", "-b".repeat(47)); // 95 characters
        let text = std::fs::read_to_string(&src).unwrap().replacen(
            &format!("id = \"{old_id}\""),
            &format!("id = \"{new_id}\""),
            1,
        );
        std::fs::remove_file(&src).unwrap();
        std::fs::write(area.join(format!("{new_id}.toml")), text).unwrap();
    });
    assert!(
        p.iter().any(|x| x.contains(":1:") && x.contains("button")),
        "{p:#?}"
    );
}
