//! `hexhelp kb outcomes --db PATH`: the maintainers' report from the bot's
//! database, with servers that opted out of sharing left out.

use std::process::Command;

use hexhelp::Engine;
use hexhelp::bot::Store;
use hexhelp::bot::store::{Outcome, Verdict};

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hexhelp"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_report_names_the_fix_that_ends_problems_and_codes_without_entries() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hexhelp.db");
    let engine = Engine::bundled().unwrap();
    let entry = engine
        .kb()
        .entries
        .iter()
        .find(|e| e.fixes.len() >= 2)
        .unwrap();
    {
        let s = Store::open(&db).unwrap();
        let vote = |message, guild, fix, verdict| Outcome {
            message,
            member: 1,
            guild: Some(guild),
            entry: entry.id.clone(),
            fix,
            verdict,
            at_ms: 0,
        };
        for m in 0..3 {
            s.record_outcome(&vote(m, 10, 2, Verdict::Fixed)).unwrap();
        }
        s.record_outcome(&vote(9, 10, 1, Verdict::NoHelp)).unwrap();
        // A server that does not share: its reports stay out.
        s.set_share_outcomes(20, false).unwrap();
        for m in 10..20 {
            s.record_outcome(&vote(m, 20, 1, Verdict::Fixed)).unwrap();
        }
        s.count_answer(Some(10), 1, Some(0x8007_1234), Some("@win32"), true)
            .unwrap();
    }
    let (ok, out, err) = run(&["kb", "outcomes", "--db", db.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains(&entry.title), "{out}");
    assert!(
        out.contains(&format!(
            "ends problems most: fix 2, {}",
            entry.fixes[1].title
        )),
        "{out}"
    );
    assert!(out.contains("fix 1: fixed it for 0 of 1 who said"), "{out}");
    assert!(out.contains("0x80071234"), "{out}");

    // No database: an error, and none is created.
    let missing = dir.path().join("nothing.db");
    let (ok, _, err) = run(&["kb", "outcomes", "--db", missing.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("nothing.db"), "{err}");
    assert!(!missing.exists());
}
