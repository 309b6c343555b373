//! `kb check` on a folder of broken files: every kind of mistake is
//! reported with its file and line, all in one run.

use std::path::Path;
use std::process::Command;

use hexhelp::kb::KnowledgeBase;

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
