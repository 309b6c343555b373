//! What the answer does with the person's situation: fixes they already
//! tried are set aside, fixes for another Windows version are left out, a
//! cause they ruled out moves down, a tool they name leads, and a code
//! shared by several entries gets the entry of the message's context.

use std::fs;
use std::sync::OnceLock;

use hexhelp::kb::KnowledgeBase;
use hexhelp::{Engine, Mode};

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::bundled().expect("bundled knowledge base loads"))
}

fn fix_ids(text: &str) -> Vec<String> {
    engine()
        .answer(text, Mode::Explicit)
        .fixes()
        .iter()
        .map(|f| f.id.clone())
        .collect()
}

#[test]
fn fixes_already_tried_are_named_and_skipped() {
    let text = "Windows Update fails with 0x80070002. I already ran sfc /scannow and DISM restorehealth, no luck.";
    let a = engine().answer(text, Mode::Explicit);
    let ids: Vec<&str> = a.fixes().iter().map(|f| f.id.as_str()).collect();
    assert!(!ids.contains(&"sfc-scannow"), "{ids:?}");
    assert!(!ids.contains(&"dism-restorehealth"), "{ids:?}");
    assert_eq!(a.plan.tried.len(), 2, "{:?}", a.plan.tried);
    // Without the story the same code starts from the entry's own order.
    let plain = fix_ids("Windows Update fails with 0x80070002");
    assert!(plain.contains(&"sfc-scannow".to_string()));
}

#[test]
fn a_fix_asked_about_is_not_a_fix_tried() {
    let a = engine().answer(
        "0x80070002 from Windows Update. Should I run sfc /scannow?",
        Mode::Explicit,
    );
    assert!(a.plan.tried.is_empty(), "{:?}", a.plan.tried);
    let b = engine().answer(
        "0x80070002 from Windows Update, I haven't tried sfc /scannow yet",
        Mode::Explicit,
    );
    assert!(b.plan.tried.is_empty(), "{:?}", b.plan.tried);
}

#[test]
fn windows_7_gets_no_windows_10_settings_paths() {
    let a = engine().answer(
        "Windows 7 SP1: Windows Update error 0x80070002",
        Mode::Explicit,
    );
    assert_eq!(
        a.situation.version.as_ref().map(|v| v.id.as_str()),
        Some("7")
    );
    assert!(a.plan.other_version > 0);
    for f in a.fixes() {
        assert!(
            f.versions.is_empty() || f.versions.iter().any(|v| v == "7"),
            "{} is for {:?}",
            f.id,
            f.versions
        );
    }
    // The same code on Windows 11 keeps the clock check.
    let b = engine().answer("Windows 11 update error 0x80070002", Mode::Explicit);
    assert!(b.fixes().iter().any(|f| f.id == "check-date-time"));
}

#[test]
fn builds_name_the_release() {
    let s = engine().situation("OS build 10.0.22631.4460, update fails");
    let v = s.version.expect("a build names a version");
    assert_eq!(v.id, "11");
    assert_eq!(v.name, "Windows 11 23H2");
}

#[test]
fn a_ruled_out_cause_moves_down_with_a_note() {
    let plain = fix_ids("Windows Update error 0x80070002");
    let said = engine().answer(
        "Windows Update error 0x80070002, the time is correct and synced",
        Mode::Explicit,
    );
    let ids: Vec<&str> = said.fixes().iter().map(|f| f.id.as_str()).collect();
    let before = plain.iter().position(|f| f == "check-date-time").unwrap();
    let after = ids.iter().position(|f| *f == "check-date-time").unwrap();
    assert!(after > before, "{ids:?}");
    let p = &said.plan.fixes[after];
    assert_eq!(p.ruled_out.as_deref(), Some("the clock"));
}

#[test]
fn a_named_tool_that_breaks_the_area_leads_the_answer() {
    let a = engine().answer(
        "installed tiny11 and now Windows Update fails with 0x80070002",
        Mode::Explicit,
    );
    let tool = a.plan.tool.as_ref().expect("tiny11 is recognised");
    assert_eq!(tool.id, "tiny11");
    // Its undo is a repair install: heavy, so it follows the entry's first
    // step instead of leading.
    assert_eq!(a.fixes()[1].id, "tool-repair-from-clean-image");
    // A safe undo leads.
    let c = engine().answer(
        "ran a debloat script and now Windows Update fails with 0x80070002",
        Mode::Explicit,
    );
    assert_eq!(c.plan.tool.as_ref().unwrap().id, "debloat-script");
    assert_eq!(c.fixes()[0].id, "tool-undo-tweaks");
    // A tool that breaks other things does not lead an unrelated answer.
    let b = engine().answer(
        "ran kmspico once; now Windows Update fails with 0x80070002",
        Mode::Explicit,
    );
    assert!(b.plan.tool.is_none() || b.plan.tool.as_ref().unwrap().id == "kms-activator");
}

#[test]
fn a_tool_that_stops_windows_starting_leads_with_its_offline_undo() {
    // Windows does not start: the undo that works from recovery leads, even
    // before the entry's own quick first step.
    let a = engine().answer(
        "ran hardentools, restarted and now INACCESSIBLE_BOOT_DEVICE",
        Mode::Explicit,
    );
    assert_eq!(a.plan.tool.as_ref().unwrap().id, "hardening-tool");
    assert_eq!(a.fixes()[0].id, "system-restore");
    // The same tool in a running Windows keeps its own undo.
    let b = engine().answer(
        "after hardentools my installer fails with 0x80070643",
        Mode::Explicit,
    );
    if b.plan.tool.is_some() {
        assert_ne!(b.fixes()[0].id, "system-restore");
    }
    // A heavy undo leads when the entry's own first step is no quick one.
    let c = engine().answer(
        "installed tiny11, now KMODE_EXCEPTION_NOT_HANDLED when I open a file",
        Mode::Explicit,
    );
    assert_eq!(c.plan.tool.as_ref().unwrap().id, "tiny11");
    assert_eq!(c.fixes()[0].id, "tool-repair-from-clean-image");
}

#[test]
fn version_words_beat_a_build_number_of_something_else() {
    // 7600 is Windows 7's build, here inside an update agent's version.
    let s = engine().situation(
        "Windows Vista VM, I installed Windows Update Agent 7.6.7600.256, error 80072EFE",
    );
    assert_eq!(s.version.unwrap().id, "vista");
    // Windows 10 and 11 are mixed up by people; the build decides.
    let t = engine().situation("Windows 10, OS build 10.0.22631.4460, update fails");
    assert_eq!(t.version.unwrap().id, "11");
    let w = engine().situation("Legacy Update on a Windows 2000 VM fails with 80244008");
    assert_eq!(w.version.unwrap().id, "2000");
}

#[test]
fn vista_gets_no_windows_7_only_steps() {
    let a = engine().answer(
        "Windows Vista SP2: Windows Update error 80072EFE",
        Mode::Explicit,
    );
    let ids: Vec<&str> = a.fixes().iter().map(|f| f.id.as_str()).collect();
    assert!(!ids.contains(&"wuold-sha2-prereqs"), "{ids:?}");
    assert!(!ids.contains(&"wuold-enable-tls12"), "{ids:?}");
    let b = engine().answer(
        "Windows 7 SP1: Windows Update error 80072EFE",
        Mode::Explicit,
    );
    assert!(b.fixes().iter().any(|f| f.id == "wuold-sha2-prereqs"));
}

#[test]
fn a_code_with_no_entry_gets_the_ladder_of_the_area_the_post_names() {
    // 0x8007000E has no entry and a general Win32 ladder; a post about
    // .NET 3.5 gets the .NET steps instead.
    let ladder = |text: &str| {
        let a = engine().answer(text, Mode::Explicit);
        assert!(a.codes[0].entry.is_none(), "0x8007000E got an entry");
        a.codes[0].ladder.as_ref().expect("a ladder").family.clone()
    };
    assert_eq!(
        ladder(
            "Enabling .NET Framework 3.5 (NetFx3) fails, the .NET 3.5 install stops with 0x8007000E"
        ),
        "dotnet"
    );
    // Without an area the general ladder stays.
    assert_eq!(ladder("it fails with 0x8007000E"), "win32");
}

/// A small knowledge directory with two entries for one code.
fn two_context_kb(dir: &std::path::Path, same_context: bool) {
    let entry = |area: &str, id: &str, extra: &str| {
        fs::create_dir_all(dir.join(area)).unwrap();
        fs::write(
            dir.join(area).join(format!("{id}.toml")),
            format!(
                r#"id = "{id}"
codes = ["0x80070005"]
title = "Access denied in {area}"
summary = "Something in {area} was refused."
checked = 2026-12-04
{extra}
symptoms = ["access is denied in {area}", "{area} says access denied", "denied by {area}"]
causes = ["A permission in {area} is wrong."]

[[fixes]]
title = "Fix {area} permissions"
admin = true
risk = "safe"
steps = ["Do the {area} thing."]
"#
            ),
        )
        .unwrap();
    };
    entry("windows-update", "wu-denied", "");
    let ctx = if same_context {
        r#"context = ["windows-update"]"#
    } else {
        r#"context = ["store"]"#
    };
    entry("store", "st-denied", ctx);
    fs::create_dir_all(dir.join("facts")).unwrap();
    fs::write(
        dir.join("facts/areas.toml"),
        r#"
[[area]]
id = "windows-update"
name = "Windows Update"
words = ["windows update"]

[[area]]
id = "store"
name = "the Microsoft Store"
words = ["microsoft store", "store app"]
"#,
    )
    .unwrap();
}

#[test]
fn a_shared_code_gets_the_entry_of_its_context() {
    let dir = tempfile::tempdir().unwrap();
    two_context_kb(dir.path(), false);
    let e = Engine::new(KnowledgeBase::from_dir(dir.path()).expect("loads"));
    let a = e.answer(
        "0x80070005 installing a Microsoft Store app",
        Mode::Explicit,
    );
    assert_eq!(a.matches[0].entry.id, "st-denied");
    assert_eq!(a.codes[0].alternatives[0].entry, "wu-denied");
    let b = e.answer("0x80070005 from windows update", Mode::Explicit);
    assert_eq!(b.matches[0].entry.id, "wu-denied");
    assert_eq!(b.codes[0].alternatives[0].area, "the Microsoft Store");
}

#[test]
fn two_entries_for_one_code_and_one_context_are_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    two_context_kb(dir.path(), true);
    let problems = KnowledgeBase::from_dir(dir.path()).unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|p| p.contains("st-denied.toml") && p.contains("same context")),
        "{text:?}"
    );
}

#[test]
fn an_unknown_area_in_a_context_is_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    two_context_kb(dir.path(), false);
    let p = dir.path().join("store/st-denied.toml");
    let t = fs::read_to_string(&p)
        .unwrap()
        .replace(r#"["store"]"#, r#"["stroe"]"#);
    fs::write(&p, t).unwrap();
    let problems = KnowledgeBase::from_dir(dir.path()).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("unknown area `stroe`") && p.line == 6),
        "{problems:?}"
    );
}

#[test]
fn a_bare_shared_code_gets_the_most_general_area() {
    // Nothing in these messages points at a context, so the entry of the
    // area listed first in knowledge/facts/areas.toml answers, whatever
    // order the folders sort in.
    for (text, want) in [
        ("error 0x80070005", "wu-access-denied"),
        ("getting 0x80072EE2", "wu-timeout"),
        ("Windows 11 update error 0x80070002", "wu-missing-files"),
    ] {
        let a = engine().answer(text, Mode::Explicit);
        assert_eq!(a.codes[0].entry.as_deref(), Some(want), "{text}");
        assert!(!a.codes[0].alternatives.is_empty(), "{text}");
    }
    // Words of a context still win over the tie-break.
    let a = engine().answer("wsl --install fails with 0x80072EE2", Mode::Explicit);
    assert_eq!(a.codes[0].entry.as_deref(), Some("vm-wsl-download-failed"));
    let a = engine().answer("Office setup fails with 0x80070643", Mode::Explicit);
    assert_eq!(a.codes[0].entry.as_deref(), Some("office-install-failed"));
}
