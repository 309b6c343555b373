//! The sentences around the figures of `hexhelp kb outcomes` and
//! `/hexhelp stats`.

use crate::bot::reports::{OutcomesReport, Stats};
use crate::codes::hex;

/// Discord's limit on a message is 2,000 characters; the stats stay under
/// it with the [`sharing`] line above them.
pub const MAX_STATS_CHARS: usize = 1850;

/// An entry or ladder key as people read it: its title, then the key.
fn named(key: &str, title: Option<String>) -> String {
    match title {
        Some(t) => format!("{t} (`{key}`)"),
        None => format!("`{key}`"),
    }
}

fn code_list(list: &[(u32, u64)]) -> String {
    list.iter()
        .map(|(c, n)| format!("{} ×{n}", hex(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whole lines up to `max` characters, then "…".
fn cap(lines: Vec<String>, max: usize) -> String {
    let mut out = String::new();
    for l in lines {
        let l: String = l.chars().take(200).collect();
        if out.chars().count() + l.chars().count() + 2 > max {
            out.push('…');
            break;
        }
        out.push_str(&l);
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// The first line of `/hexhelp stats`: whether the server shares.
pub fn sharing(on: bool) -> &'static str {
    if on {
        "Fix outcomes from this server are shared: they help order fixes in other servers too (`share_outcomes: False` to stop)."
    } else {
        "Fix outcomes from this server are not shared: they order fixes here only (`share_outcomes: True` to share)."
    }
}

pub const STATS_EMPTY: &str = "I haven't answered anything in this server in the last 30 days.";
pub const STATS_PRIVACY: &str =
    "Counts only: I keep no message text, and who pressed a button only until the answer expires.";

/// The ephemeral `/hexhelp stats` reply; `title` names an entry or ladder.
pub fn stats(s: &Stats, title: &dyn Fn(&str) -> Option<String>) -> String {
    if s.answers_30 == 0 && s.unanswered_30 == 0 && s.most_no_help.is_empty() {
        return format!("{STATS_EMPTY}\n{STATS_PRIVACY}");
    }
    let mut lines = vec![
        format!(
            "**Answers:** {} in the last 7 days, {} in the last 30.",
            s.answers_7, s.answers_30
        ),
        format!(
            "**Questions I had no answer for:** {} in the last 7 days, {} in the last 30.",
            s.unanswered_7, s.unanswered_30
        ),
    ];
    if !s.top_codes.is_empty() {
        lines.push(format!(
            "**Most asked codes (30 days):** {}",
            code_list(&s.top_codes)
        ));
    }
    if !s.codes_without_entry.is_empty() {
        lines.push(format!(
            "**Codes asked about that have no guide yet (30 days):** {}",
            code_list(&s.codes_without_entry)
        ));
    }
    if !s.top_entries.is_empty() {
        lines.push("**Most used guides (30 days):**".to_string());
        for (e, n) in &s.top_entries {
            lines.push(format!("• {} — {n}", named(e, title(e))));
        }
    }
    if !s.most_no_help.is_empty() {
        lines.push("**Guides people most often said \"Didn't help\" to:**".to_string());
        for (e, n) in &s.most_no_help {
            lines.push(format!("• {} — {n}", named(e, title(e))));
        }
    }
    let tail = format!("\n{STATS_PRIVACY}");
    cap(lines, MAX_STATS_CHARS - tail.chars().count()) + &tail
}

pub const OUTCOMES_EMPTY: &str = "No outcomes recorded yet: nobody has pressed \"That fixed it\", \"Didn't help\" or \"Next fix\" under an answer.";

/// The maintainers' report for the terminal; `title` names an entry's fix
/// `(entry, number)`, or the entry itself with number 0.
pub fn outcomes(r: &OutcomesReport, title: &dyn Fn(&str, usize) -> Option<String>) -> String {
    let mut out = Vec::new();
    if r.entries.is_empty() {
        out.push(OUTCOMES_EMPTY.to_string());
    }
    for e in &r.entries {
        out.push(format!(
            "{}: {} fixed, {} didn't help, {} passed over",
            named(&e.entry, title(&e.entry, 0)),
            e.total.fixed,
            e.total.no_help,
            e.total.passed
        ));
        match e.ends {
            Some(n) => out.push(format!(
                "  ends problems most: fix {n}, {}",
                title(&e.entry, n).unwrap_or_else(|| "(no longer in the entry)".into())
            )),
            None => out.push("  no fix reported as the one that worked".to_string()),
        }
        for (n, c) in &e.fixes {
            out.push(format!(
                "  fix {n}: fixed it for {} of {} who said, passed over {} times",
                c.fixed,
                c.tried(),
                c.passed
            ));
        }
    }
    if !r.most_no_help.is_empty() {
        out.push(String::new());
        out.push("Entries with the most \"Didn't help\":".to_string());
        for (e, n) in &r.most_no_help {
            out.push(format!("  {n:>5}  {}", named(e, title(e, 0))));
        }
    }
    if !r.codes_without_entry.is_empty() {
        out.push(String::new());
        out.push("Codes asked about that have no entry:".to_string());
        for (c, n) in &r.codes_without_entry {
            out.push(format!("  {n:>5}  {}", hex(*c)));
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::outcomes::FixCounts;
    use crate::bot::reports::EntryOutcomes;

    #[test]
    fn stats_fit_one_discord_message_whatever_the_titles() {
        let long = |e: &str| Some(format!("{e} {}", "very long title ".repeat(20)));
        let s = Stats {
            answers_7: 3,
            answers_30: 9,
            unanswered_7: 1,
            unanswered_30: 2,
            top_codes: vec![(0x8007_0002, 4)],
            top_entries: (0..40).map(|i| (format!("entry-{i}"), 40 - i)).collect(),
            most_no_help: vec![("entry-1".into(), 3)],
            codes_without_entry: vec![(0x8024_0000, 2)],
        };
        let text = stats(&s, &long);
        assert!(text.chars().count() <= MAX_STATS_CHARS, "{}", text.len());
        assert!(
            text.contains("3 in the last 7 days, 9 in the last 30"),
            "{text}"
        );
        assert!(text.contains("0x80070002 ×4"), "{text}");
        assert!(text.ends_with(STATS_PRIVACY), "{text}");
        let short = stats(&s, &|_| None);
        assert!(short.contains("• `entry-0` — 40"), "{short}");
        assert!(short.contains("0x80240000 ×2"), "{short}");
        assert!(stats(&Stats::default(), &|_| None).starts_with(STATS_EMPTY));
    }

    #[test]
    fn the_outcomes_report_names_fixes_by_title() {
        let r = OutcomesReport {
            entries: vec![EntryOutcomes {
                entry: "wu".into(),
                fixes: vec![(
                    2,
                    FixCounts {
                        fixed: 14,
                        no_help: 6,
                        passed: 3,
                    },
                )],
                ends: Some(2),
                total: FixCounts {
                    fixed: 14,
                    no_help: 6,
                    passed: 3,
                },
            }],
            most_no_help: vec![("wu".into(), 6)],
            codes_without_entry: vec![(0x8024_0000, 2)],
        };
        let text = outcomes(&r, &|e, n| Some(format!("{e} title {n}")));
        assert!(
            text.contains("ends problems most: fix 2, wu title 2"),
            "{text}"
        );
        assert!(
            text.contains("fix 2: fixed it for 14 of 20 who said, passed over 3 times"),
            "{text}"
        );
        assert!(text.contains("0x80240000"), "{text}");
        assert!(outcomes(&OutcomesReport::default(), &|_, _| None).starts_with(OUTCOMES_EMPTY));
    }
}
