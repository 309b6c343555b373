use super::*;

const HOUR: u64 = 60 * 60 * 1000;

fn vote(message: u64, member: u64, guild: Option<u64>, fix: usize, verdict: Verdict) -> Outcome {
    Outcome {
        message,
        member,
        guild,
        entry: "wu".into(),
        fix,
        verdict,
        at_ms: 1_000 * HOUR,
    }
}

fn c(fixed: u64, no_help: u64, passed: u64) -> FixCounts {
    FixCounts {
        fixed,
        no_help,
        passed,
    }
}

fn votes_kept(s: &Store) -> i64 {
    s.conn
        .query_row("SELECT COUNT(*) FROM outcome_votes", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn one_vote_per_member_answer_and_fix() {
    let s = Store::in_memory().unwrap();
    assert!(
        s.record_outcome(&vote(1, 10, Some(5), 3, Verdict::Fixed))
            .unwrap()
    );
    // The same press again: not counted twice.
    assert!(
        !s.record_outcome(&vote(1, 10, Some(5), 3, Verdict::Fixed))
            .unwrap()
    );
    // Another member, and the same member under another answer, count.
    assert!(
        s.record_outcome(&vote(1, 11, Some(5), 3, Verdict::Fixed))
            .unwrap()
    );
    assert!(
        s.record_outcome(&vote(2, 10, Some(5), 3, Verdict::Fixed))
            .unwrap()
    );
    // A passed-over fix, then a changed mind: the vote moves.
    assert!(
        s.record_outcome(&vote(1, 12, Some(5), 1, Verdict::Passed))
            .unwrap()
    );
    assert!(
        s.record_outcome(&vote(1, 12, Some(5), 1, Verdict::NoHelp))
            .unwrap()
    );
    assert!(
        s.record_outcome(&vote(1, 13, Some(5), 1, Verdict::Passed))
            .unwrap()
    );
    let counts = s.outcome_counts(Some(5), "wu", 4).unwrap();
    assert_eq!(counts, vec![c(0, 1, 1), c(0, 0, 0), c(3, 0, 0), c(0, 0, 0)]);
    // Fix numbers past the entry's list are left out.
    assert_eq!(s.outcome_counts(Some(5), "wu", 2).unwrap().len(), 2);
    assert_eq!(
        s.outcome_counts(Some(5), "other", 1).unwrap(),
        vec![c(0, 0, 0)]
    );
}

#[test]
fn member_ids_go_when_the_answer_expires_and_the_counts_stay() {
    let s = Store::in_memory().unwrap();
    s.record_outcome(&vote(1, 10, Some(5), 1, Verdict::Fixed))
        .unwrap();
    assert_eq!(votes_kept(&s), 1);
    let later = 1_000 * HOUR + ANSWERED_KEEP_MS;
    s.memory(later).unwrap();
    assert_eq!(votes_kept(&s), 0);
    assert_eq!(
        s.outcome_counts(Some(5), "wu", 1).unwrap(),
        vec![c(1, 0, 0)]
    );
    // Nothing in any table holds the member id any more.
    for table in ["outcome_counts", "answer_days", "feedback"] {
        let cols: Vec<String> = s
            .conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        if table == "feedback" {
            let n: i64 = s
                .conn
                .query_row("SELECT COUNT(*) FROM feedback", [], |r| r.get(0))
                .unwrap();
            assert_eq!(n, 0, "feedback is no longer written");
        } else {
            assert!(
                !cols
                    .iter()
                    .any(|c| c.contains("member") || c.contains("user")),
                "{table}: {cols:?}"
            );
        }
    }
}

#[test]
fn servers_that_opt_out_keep_their_counts_to_themselves() {
    let s = Store::in_memory().unwrap();
    assert!(s.shares_outcomes(7).unwrap());
    s.set_share_outcomes(7, false).unwrap();
    s.set_share_outcomes(7, false).unwrap();
    assert!(!s.shares_outcomes(7).unwrap());
    for m in 0..3 {
        s.record_outcome(&vote(1, m, Some(7), 2, Verdict::Fixed))
            .unwrap();
    }
    s.record_outcome(&vote(2, 1, Some(8), 2, Verdict::NoHelp))
        .unwrap();
    s.record_outcome(&vote(3, 1, None, 2, Verdict::Fixed))
        .unwrap();
    // The opted-out server sees its own and the shared counts.
    assert_eq!(s.outcome_counts(Some(7), "wu", 2).unwrap()[1], c(4, 1, 0));
    // Others do not see it.
    assert_eq!(s.outcome_counts(Some(8), "wu", 2).unwrap()[1], c(1, 1, 0));
    assert_eq!(s.outcome_counts(None, "wu", 2).unwrap()[1], c(1, 1, 0));
    let shared = s.outcome_rows(None).unwrap();
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].counts, c(1, 1, 0));
    let own = s.outcome_rows(Some(7)).unwrap();
    assert_eq!(own[0].counts, c(3, 0, 0));
    // Sharing again brings them back.
    s.set_share_outcomes(7, true).unwrap();
    assert_eq!(s.outcome_counts(Some(8), "wu", 2).unwrap()[1], c(4, 1, 0));
}

#[test]
fn answers_are_counted_per_day_code_and_entry() {
    let s = Store::in_memory().unwrap();
    s.count_answer(Some(1), 500, Some(0x8007_0002), Some("wu"), true)
        .unwrap();
    s.count_answer(Some(1), 500, Some(0x8007_0002), Some("wu"), true)
        .unwrap();
    s.count_answer(Some(1), 501, None, None, false).unwrap();
    s.count_answer(Some(2), 501, Some(0xC000_0005), Some("@ntstatus"), true)
        .unwrap();
    s.set_share_outcomes(2, false).unwrap();
    let own = s.day_rows(Some(1), 0).unwrap();
    assert_eq!(
        own,
        vec![
            DayRow {
                day: 500,
                code: Some(0x8007_0002),
                entry: Some("wu".into()),
                answered: true,
                count: 2
            },
            DayRow {
                day: 501,
                code: None,
                entry: None,
                answered: false,
                count: 1
            },
        ]
    );
    assert_eq!(s.day_rows(Some(1), 501).unwrap().len(), 1);
    // Codes above 0x7FFFFFFF come back whole; opted-out servers stay out of
    // the shared rows.
    assert_eq!(s.day_rows(Some(2), 0).unwrap()[0].code, Some(0xC000_0005));
    assert_eq!(s.day_rows(None, 0).unwrap().len(), 2);
    // Old rows are dropped as new days come.
    s.count_answer(Some(1), 500 + DAYS_KEPT + 1, None, None, false)
        .unwrap();
    assert_eq!(s.day_rows(Some(1), 0).unwrap().len(), 2);
}

#[test]
fn old_feedback_becomes_counts_without_member_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hexhelp.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut s = Store {
            conn,
            path: path.display().to_string(),
        };
        s.migrate(4).unwrap();
        for (m, u, helped) in [(1, 1, true), (1, 2, false), (2, 1, true)] {
            s.conn
                .execute(
                    "INSERT INTO feedback (message_id, user_id, guild_id, entry, fix, helped, at) VALUES (?1, ?2, 9, 'wu', 2, ?3, 0)",
                    params![m, u, helped],
                )
                .unwrap();
        }
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.outcome_counts(Some(9), "wu", 2).unwrap()[1], c(2, 1, 0));
    let n: i64 = s
        .conn
        .query_row("SELECT COUNT(*) FROM feedback", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}
