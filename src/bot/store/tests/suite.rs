//! Each store behaviour, written once against [`TestDb`].

use std::time::Duration;

use super::db::TestDb;
use crate::bot::settings::GuildSettings;
use crate::bot::store::{ANSWERED_KEEP_MS, Claim, Feedback, INTERACTION_KEEP_MS, Tally};
use crate::bot::store::{Store, schema_version};
use crate::error::Error;

pub fn created_on_first_open_with_current_schema(db: &dyn TestDb) {
    let mut store = db.open();
    assert_eq!(store.version().unwrap(), schema_version());
    assert_eq!(store.settings(1).unwrap(), GuildSettings::default());
    assert_eq!(store.dialect(), db.dialect());
}

pub fn settings_survive_reopening(db: &dyn TestDb) {
    {
        let mut s = db.open();
        assert!(s.add_channel(1, 100).unwrap());
        assert!(!s.add_channel(1, 100).unwrap());
        assert!(s.add_channel(1, 101).unwrap());
        assert!(s.add_channel(2, 200).unwrap());
        assert!(s.remove_channel(1, 101).unwrap());
        assert!(!s.remove_channel(1, 999).unwrap());
        s.set_threshold(1, 0.6).unwrap();
        s.set_cooldown(1, Duration::from_secs(120)).unwrap();
        s.set_thread_starter_only(1, true).unwrap();
        s.set_cooldown(2, Duration::ZERO).unwrap();
        // Ids above 2^63 keep every bit.
        s.add_channel(u64::MAX, u64::MAX - 1).unwrap();
    }
    let mut s = db.open();
    let one = s.settings(1).unwrap();
    assert_eq!(one.channels, [100].into());
    assert!((one.threshold - 0.6).abs() < 1e-6);
    assert_eq!(one.cooldown, Duration::from_secs(120));
    assert!(one.thread_starter_only);
    let two = s.settings(2).unwrap();
    assert_eq!(two.channels, [200].into());
    assert_eq!(two.cooldown, Duration::ZERO);
    assert_eq!(two.threshold, GuildSettings::default().threshold);
    assert!(!two.thread_starter_only);
    assert_eq!(
        s.settings(u64::MAX).unwrap().channels,
        [u64::MAX - 1].into()
    );
    assert_eq!(s.settings(3).unwrap(), GuildSettings::default());
}

fn vote(message: u64, user: u64, fix: usize, helped: bool) -> Feedback {
    Feedback {
        message,
        user,
        guild: Some(1),
        entry: "wu-missing-files".into(),
        fix,
        helped,
        at: 1_700_000_000,
    }
}

pub fn feedback_per_entry_and_fix(db: &dyn TestDb) {
    {
        let mut s = db.open();
        s.record_feedback(&vote(10, 1, 1, false)).unwrap();
        s.record_feedback(&vote(10, 2, 1, false)).unwrap();
        s.record_feedback(&vote(10, 3, 2, true)).unwrap();
        // Person 1 changes their mind about fix 1 on the same message.
        s.record_feedback(&vote(10, 1, 1, true)).unwrap();
        s.record_feedback(&Feedback {
            entry: "@win32".into(),
            guild: None,
            ..vote(11, 1, 1, true)
        })
        .unwrap();
    }
    let mut s = db.open();
    let t = s.feedback("wu-missing-files").unwrap();
    assert_eq!(
        t[&1],
        Tally {
            fixed: 1,
            no_help: 1
        }
    );
    assert_eq!(
        t[&2],
        Tally {
            fixed: 1,
            no_help: 0
        }
    );
    assert_eq!(t.len(), 2);
    assert_eq!(s.feedback("@win32").unwrap()[&1].fixed, 1);
    assert!(s.feedback("nothing").unwrap().is_empty());
}

pub fn older_databases_are_migrated_and_keep_their_data(db: &dyn TestDb) {
    {
        // A database as the first released schema left it.
        let mut s = db.open_raw();
        s.migrate(1).unwrap();
        assert_eq!(s.version().unwrap(), 1);
        s.add_channel(5, 50).unwrap();
    }
    let mut s = db.open();
    assert_eq!(s.version().unwrap(), schema_version());
    assert_eq!(s.settings(5).unwrap().channels, [50].into());
    s.record_feedback(&Feedback {
        guild: Some(5),
        ..vote(1, 1, 1, true)
    })
    .unwrap();
    assert!(s.claim(Claim::Interaction(9), 0).unwrap());
}

pub fn databases_from_a_newer_hexhelp_are_refused(db: &dyn TestDb) {
    db.force_version(99);
    let err = Store::connect_for_test(db).unwrap_err();
    assert!(
        matches!(err, Error::SchemaTooNew { found: 99, .. }),
        "{err}"
    );
}

pub fn a_database_at_the_current_version_without_its_tables_is_refused(db: &dyn TestDb) {
    db.force_version(schema_version());
    let err = Store::connect_for_test(db).unwrap_err();
    assert!(matches!(err, Error::MissingTables { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains(&db.shown()), "{text}");
    assert!(text.contains("guild_settings"), "{text}");
}

pub fn answers_and_cooldowns_survive_reopening_until_they_expire(db: &dyn TestDb) {
    let minute = Duration::from_secs(60);
    {
        let mut s = db.open();
        s.remember_answer(Some(10), 50, &["a".into(), "b".into()], 1_000, minute)
            .unwrap();
        s.remember_answer(None, 51, &["c".into()], 2_000, minute)
            .unwrap();
        // Cooldown off: nothing to keep for the channel.
        s.remember_answer(Some(11), 52, &["d".into()], 3_000, Duration::ZERO)
            .unwrap();
    }
    let mut s = db.open();
    let m = s.memory(30_000).unwrap();
    assert_eq!(m.answered, [10, 11]);
    assert_eq!(
        m.shown,
        [
            (50, "a".to_string(), 1_000),
            (50, "b".to_string(), 1_000),
            (51, "c".to_string(), 2_000)
        ]
    );
    // Past the cooldown the rows are pruned; answered messages last a day.
    let m = s.memory(61_500).unwrap();
    assert_eq!(m.shown, [(51, "c".to_string(), 2_000)]);
    assert_eq!(m.answered, [10, 11]);
    let m = s.memory(ANSWERED_KEEP_MS + 3_001).unwrap();
    assert!(m.answered.is_empty() && m.shown.is_empty(), "{m:?}");
    let rows = s.query("SELECT COUNT(*) FROM answered", &[]).unwrap();
    assert_eq!(rows[0][0].int(), Some(0), "expired rows are deleted");
}

pub fn limits_and_the_middle_ground_survive_reopening(db: &dyn TestDb) {
    {
        let mut s = db.open();
        s.set_limits(1, Some(2), Some(0)).unwrap();
        s.set_react(1, Some(false), Some(0.2), Some("\u{2753}"))
            .unwrap();
        s.set_limits(2, None, Some(7)).unwrap();
    }
    let mut s = db.open();
    let one = s.settings(1).unwrap();
    assert_eq!((one.member_limit, one.channel_limit), (2, 0));
    assert!(!one.react);
    assert!((one.react_threshold - 0.2).abs() < 1e-6);
    assert_eq!(one.reaction, "\u{2753}");
    let two = s.settings(2).unwrap();
    let d = GuildSettings::default();
    assert_eq!((two.member_limit, two.channel_limit), (d.member_limit, 7));
    assert_eq!(two.reaction, d.reaction);
    assert!(two.react);
}

pub fn a_claim_is_won_by_one_connection_only(db: &dyn TestDb) {
    let (mut a, mut b) = (db.open(), db.open());
    let t = 1_000_000;
    assert!(a.claim(Claim::Message(7), t).unwrap());
    assert!(!b.claim(Claim::Message(7), t).unwrap());
    assert!(!a.claim(Claim::Message(7), t + 1).unwrap());
    // Interactions are claimed apart from messages with the same number.
    assert!(b.claim(Claim::Interaction(7), t).unwrap());
    assert!(!a.claim(Claim::Interaction(7), t).unwrap());
    // A claimed message is answered, for the memory a restart reads.
    assert_eq!(b.memory(t).unwrap().answered, [7]);
    // Remembering the answer afterwards keeps the claim.
    a.remember_answer(Some(7), 1, &["k".into()], t, Duration::from_secs(60))
        .unwrap();
    assert!(!b.claim(Claim::Message(7), t + 2).unwrap());
    // Claims expire.
    let later = t + INTERACTION_KEEP_MS;
    assert!(a.claim(Claim::Interaction(7), later).unwrap());
    b.memory(t + ANSWERED_KEEP_MS).unwrap();
    assert!(b.claim(Claim::Message(7), t + ANSWERED_KEEP_MS).unwrap());
    // Many claimers at once: exactly one wins each id.
    let winners: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let mut s = db.open();
                scope.spawn(move || {
                    (100..140)
                        .filter(|&m| s.claim(Claim::Message(m), t).unwrap())
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(winners, 40);
}

pub fn processes_starting_at_once_migrate_once(db: &dyn TestDb) {
    let opened: Vec<Result<i64, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    Store::connect_for_test(db)
                        .and_then(|mut s| s.version())
                        .map_err(|e| e.to_string())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for o in opened {
        assert_eq!(o, Ok(schema_version()));
    }
}

pub fn settings_and_feedback_are_shared_between_connections(db: &dyn TestDb) {
    let (mut a, mut b) = (db.open(), db.open());
    a.add_channel(3, 30).unwrap();
    a.set_threshold(3, 0.4).unwrap();
    let seen = b.settings(3).unwrap();
    assert_eq!(seen.channels, [30].into());
    assert!((seen.threshold - 0.4).abs() < 1e-6);
    // The same vote through both: counted once.
    a.record_feedback(&vote(20, 1, 1, true)).unwrap();
    b.record_feedback(&vote(20, 1, 1, true)).unwrap();
    b.record_feedback(&vote(20, 2, 1, false)).unwrap();
    let t = a.feedback("wu-missing-files").unwrap();
    assert_eq!(
        t[&1],
        Tally {
            fixed: 1,
            no_help: 1
        }
    );
}

impl Store {
    /// Opens `db` as hexhelp does, returning the error.
    fn connect_for_test(db: &dyn TestDb) -> Result<Store, Error> {
        let mut s = db.open_raw();
        s.migrate(super::super::MIGRATIONS.len())?;
        s.check()?;
        Ok(s)
    }
}
