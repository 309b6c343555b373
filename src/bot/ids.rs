//! The custom ids of the buttons under an answer.
//!
//! Everything a button needs is in its id (`hexhelp:next:<entry>:<fix>`,
//! `hexhelp:fixed:<entry>:<fix>`, `hexhelp:nohelp:<entry>:<fix>`,
//! `hexhelp:dismiss:<asker id>`), so buttons keep working after the bot
//! restarts. Fix numbers count from 1, as people see them. Codes without an
//! entry use their family ladder, written `@<family>` in place of the entry.
//!
//! An id is never trusted as it arrives: [`check`] holds it against the
//! message it is on (one of its buttons, the bot's message, the asker the
//! message names), the knowledge base and the entry's fix count.

use std::fmt;

/// Discord's limit on a component's custom id.
pub const MAX_LEN: usize = 100;

const PREFIX: &str = "hexhelp:";

/// What a button does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Show fix `fix` of `entry` (the "Next fix" button).
    Next { entry: String, fix: usize },
    /// Fix `fix` of `entry` solved the problem.
    Fixed { entry: String, fix: usize },
    /// Fix `fix` of `entry` didn't help.
    NoHelp { entry: String, fix: usize },
    /// Delete the answer; allowed for the asker and moderators.
    Dismiss { asker: u64 },
}

/// The entry part of an id for a family ladder.
pub fn ladder_key(family: &str) -> String {
    format!("@{family}")
}

/// The family of a ladder key, or `None` for an entry id.
pub fn as_ladder(key: &str) -> Option<&str> {
    key.strip_prefix('@')
}

impl Action {
    /// The custom id, or `None` when it would be longer than Discord
    /// allows (the button is then left out) or the entry is empty.
    pub fn encode(&self) -> Option<String> {
        let id = match self {
            Action::Next { entry, fix } => with_entry("next", entry, *fix)?,
            Action::Fixed { entry, fix } => with_entry("fixed", entry, *fix)?,
            Action::NoHelp { entry, fix } => with_entry("nohelp", entry, *fix)?,
            Action::Dismiss { asker } => format!("{PREFIX}dismiss:{asker}"),
        };
        (id.len() <= MAX_LEN).then_some(id)
    }

    /// Reads a custom id; `None` for anything that isn't one of ours.
    pub fn decode(id: &str) -> Option<Action> {
        let rest = id.strip_prefix(PREFIX)?;
        let (verb, args) = rest.split_once(':')?;
        if verb == "dismiss" {
            return Some(Action::Dismiss {
                asker: parse_number(args)?,
            });
        }
        let (entry, fix) = args.rsplit_once(':')?;
        if entry.is_empty() {
            return None;
        }
        let fix = usize::try_from(parse_number(fix)?)
            .ok()
            .filter(|&f| f >= 1)?;
        let entry = entry.to_string();
        match verb {
            "next" => Some(Action::Next { entry, fix }),
            "fixed" => Some(Action::Fixed { entry, fix }),
            "nohelp" => Some(Action::NoHelp { entry, fix }),
            _ => None,
        }
    }
}

/// The longest entry id whose buttons all fit [`MAX_LEN`] for an entry
/// with `fixes` fixes (the longest id is `hexhelp:nohelp:<entry>:<fix>`).
pub fn max_entry_len(fixes: usize) -> usize {
    ["next", "fixed", "nohelp"]
        .iter()
        .map(|verb| {
            let id = with_entry(verb, "x", fixes.max(1)).unwrap_or_default();
            MAX_LEN.saturating_sub(id.len() - 1)
        })
        .min()
        .unwrap_or(0)
}

fn with_entry(verb: &str, entry: &str, fix: usize) -> Option<String> {
    (!entry.is_empty() && fix >= 1).then(|| format!("{PREFIX}{verb}:{entry}:{fix}"))
}

/// Digits only (no sign, no spaces), as we write them.
fn parse_number(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The message a button was pressed on, as far as the check needs it.
#[derive(Debug, Clone, Copy)]
pub struct OnMessage<'a> {
    /// The bot wrote the message.
    pub by_me: bool,
    /// The custom ids of the buttons on it.
    pub custom_ids: &'a [String],
    /// Who asked for the answer: the author of the message it replies to,
    /// or the person who ran the slash command that made it. `None` when
    /// the message says neither.
    pub asker: Option<u64>,
}

/// Why a button press is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The id is not one of the buttons on that message (forged), or the
    /// message is not the bot's.
    NotOnMessage,
    /// The entry or ladder is not in the knowledge base.
    UnknownEntry,
    /// The fix number is past the entry's fixes.
    FixOutOfRange,
    /// Dismiss by someone who neither asked nor moderates.
    NotTheAsker,
}

/// Checks a pressed button against the message it is on, the knowledge
/// base (`fixes` gives the number of fixes of an entry or `@family`
/// ladder, `None` when unknown) and who pressed it with which permissions.
///
/// Dismiss is allowed to moderators, and to the asker as the message
/// itself names them (see [`OnMessage::asker`]); the asker written in the
/// id must be the same person, but is never trusted alone. Next fix may go
/// one past the last fix (it then says there are no more); feedback only
/// names fixes that exist.
pub fn check(
    action: &Action,
    custom_id: &str,
    on: &OnMessage<'_>,
    clicker: u64,
    moderator: bool,
    fixes: impl Fn(&str) -> Option<usize>,
) -> Result<(), Refused> {
    if !on.by_me || !on.custom_ids.iter().any(|c| c == custom_id) {
        return Err(Refused::NotOnMessage);
    }
    match action {
        Action::Dismiss { asker } => {
            if moderator || (on.asker == Some(clicker) && *asker == clicker) {
                Ok(())
            } else {
                Err(Refused::NotTheAsker)
            }
        }
        Action::Next { entry, fix } => {
            let total = fixes(entry).ok_or(Refused::UnknownEntry)?;
            (*fix <= total + 1)
                .then_some(())
                .ok_or(Refused::FixOutOfRange)
        }
        Action::Fixed { entry, fix } | Action::NoHelp { entry, fix } => {
            let total = fixes(entry).ok_or(Refused::UnknownEntry)?;
            (*fix <= total).then_some(()).ok_or(Refused::FixOutOfRange)
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.encode() {
            Some(id) => f.write_str(&id),
            None => write!(f, "{self:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_entry_len_fits_every_button() {
        for fixes in [1, 9, 10, 99, 100] {
            let n = max_entry_len(fixes);
            let fits = "e".repeat(n);
            let over = "e".repeat(n + 1);
            for fix in 1..=fixes {
                for a in [
                    Action::Next {
                        entry: fits.clone(),
                        fix,
                    },
                    Action::Fixed {
                        entry: fits.clone(),
                        fix,
                    },
                    Action::NoHelp {
                        entry: fits.clone(),
                        fix,
                    },
                ] {
                    assert!(a.encode().is_some(), "{fixes}: {a:?}");
                }
            }
            let a = Action::NoHelp {
                entry: over,
                fix: fixes,
            };
            assert!(a.encode().is_none(), "{fixes}");
        }
    }

    #[test]
    fn round_trip() {
        let cases = [
            (
                Action::Next {
                    entry: "wu-missing-files".into(),
                    fix: 2,
                },
                "hexhelp:next:wu-missing-files:2",
            ),
            (
                Action::Fixed {
                    entry: "wu-missing-files".into(),
                    fix: 1,
                },
                "hexhelp:fixed:wu-missing-files:1",
            ),
            (
                Action::NoHelp {
                    entry: "act-key-invalid".into(),
                    fix: 12,
                },
                "hexhelp:nohelp:act-key-invalid:12",
            ),
            (
                Action::Dismiss {
                    asker: 80_351_110_224_678_912,
                },
                "hexhelp:dismiss:80351110224678912",
            ),
            (
                Action::Next {
                    entry: ladder_key("windows-update"),
                    fix: 3,
                },
                "hexhelp:next:@windows-update:3",
            ),
            (
                Action::Dismiss { asker: u64::MAX },
                "hexhelp:dismiss:18446744073709551615",
            ),
        ];
        for (action, id) in cases {
            assert_eq!(action.encode().as_deref(), Some(id));
            assert_eq!(Action::decode(id), Some(action.clone()), "{id}");
            assert_eq!(action.to_string(), id);
        }
    }

    #[test]
    fn foreign_and_broken_ids_are_rejected() {
        for id in [
            "",
            "hexhelp",
            "hexhelp:",
            "hexhelp:next",
            "hexhelp:next:",
            "hexhelp:next:entry",
            "hexhelp:next::2",
            "hexhelp:next:entry:0",
            "hexhelp:next:entry:-1",
            "hexhelp:next:entry:+1",
            "hexhelp:next:entry: 1",
            "hexhelp:next:entry:99999999999999999999999",
            "hexhelp:jump:entry:1",
            "hexhelp:dismiss:",
            "hexhelp:dismiss:abc",
            "otherbot:next:entry:1",
            "HEXHELP:next:entry:1",
        ] {
            assert_eq!(Action::decode(id), None, "{id:?}");
        }
    }

    #[test]
    fn pressed_ids_are_checked_against_their_message() {
        const ASKER: u64 = 7;
        const OTHER: u64 = 8;
        let ids: Vec<String> = [
            "hexhelp:next:wu:2",
            "hexhelp:fixed:wu:1",
            "hexhelp:nohelp:wu:3",
            "hexhelp:fixed:gone:1",
            "hexhelp:next:wu:9",
            "hexhelp:dismiss:7",
            "hexhelp:dismiss:8",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let on = OnMessage {
            by_me: true,
            custom_ids: &ids,
            asker: Some(ASKER),
        };
        let fixes = |e: &str| (e == "wu").then_some(3);
        let run = |id: &str, on: &OnMessage<'_>, clicker: u64, moderator: bool| {
            let a = Action::decode(id).unwrap();
            check(&a, id, on, clicker, moderator, fixes)
        };
        assert_eq!(run("hexhelp:next:wu:2", &on, OTHER, false), Ok(()));
        assert_eq!(run("hexhelp:fixed:wu:1", &on, OTHER, false), Ok(()));
        assert_eq!(run("hexhelp:nohelp:wu:3", &on, OTHER, false), Ok(()));
        assert_eq!(
            run("hexhelp:fixed:wu:2", &on, OTHER, false),
            Err(Refused::NotOnMessage)
        );
        assert_eq!(
            run("hexhelp:fixed:gone:1", &on, OTHER, false),
            Err(Refused::UnknownEntry)
        );
        assert_eq!(
            run("hexhelp:next:wu:9", &on, OTHER, false),
            Err(Refused::FixOutOfRange)
        );
        // Dismiss: the asker the message names, or a moderator.
        assert_eq!(run("hexhelp:dismiss:7", &on, ASKER, false), Ok(()));
        assert_eq!(
            run("hexhelp:dismiss:7", &on, OTHER, false),
            Err(Refused::NotTheAsker)
        );
        assert_eq!(
            run("hexhelp:dismiss:8", &on, OTHER, false),
            Err(Refused::NotTheAsker),
            "an id naming the clicker is not enough"
        );
        assert_eq!(run("hexhelp:dismiss:8", &on, OTHER, true), Ok(()));
        let unknown = OnMessage { asker: None, ..on };
        assert_eq!(
            run("hexhelp:dismiss:7", &unknown, ASKER, false),
            Err(Refused::NotTheAsker)
        );
        let not_mine = OnMessage { by_me: false, ..on };
        assert_eq!(
            run("hexhelp:next:wu:2", &not_mine, OTHER, true),
            Err(Refused::NotOnMessage)
        );
    }

    #[test]
    fn ids_never_exceed_discords_limit() {
        let long = "a".repeat(90);
        assert_eq!(
            Action::Next {
                entry: long.clone(),
                fix: 1
            }
            .encode(),
            None
        );
        assert_eq!(
            Action::Next {
                entry: String::new(),
                fix: 1
            }
            .encode(),
            None
        );
        assert_eq!(
            Action::Next {
                entry: "x".into(),
                fix: 0
            }
            .encode(),
            None
        );
        let fits = "a".repeat(MAX_LEN - "hexhelp:nohelp::99".len());
        let id = Action::NoHelp {
            entry: fits,
            fix: 99,
        }
        .encode()
        .unwrap();
        assert_eq!(id.len(), MAX_LEN);
    }

    #[test]
    fn every_bundled_entry_has_buttons() {
        let kb = crate::kb::KnowledgeBase::bundled().unwrap();
        for e in &kb.entries {
            for fix in 1..=e.fixes.len() {
                for a in [
                    Action::Next {
                        entry: e.id.clone(),
                        fix,
                    },
                    Action::Fixed {
                        entry: e.id.clone(),
                        fix,
                    },
                    Action::NoHelp {
                        entry: e.id.clone(),
                        fix,
                    },
                ] {
                    let id = a
                        .encode()
                        .unwrap_or_else(|| panic!("{} fix {fix}: id too long", e.id));
                    assert_eq!(Action::decode(&id), Some(a));
                }
            }
        }
        for family in kb.ladders.keys() {
            let a = Action::Next {
                entry: ladder_key(family),
                fix: 1,
            };
            assert_eq!(Action::decode(&a.encode().unwrap()), Some(a));
        }
    }
}
