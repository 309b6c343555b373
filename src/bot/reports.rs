//! The reports built from what the store counts, as plain data: the
//! knowledge maintainers' `hexhelp kb outcomes` and the moderators'
//! `/hexhelp stats`. The store hands over rows; the sentences around the
//! figures are in `messages::reports`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::answer::outcomes::FixCounts;

/// What people reported about one fix of one entry (or `@ladder`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeRow {
    pub entry: String,
    /// From 1, in the entry's own list.
    pub fix: usize,
    pub counts: FixCounts,
}

/// One day's count of answers (or of questions left unanswered) for one
/// code and entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayRow {
    /// Days since the Unix epoch (UTC).
    pub day: i64,
    /// The first code of the message, when it had one.
    pub code: Option<u32>,
    /// The entry (or `@ladder`) that answered; `None` when nothing did.
    pub entry: Option<String>,
    pub answered: bool,
    pub count: u64,
}

/// The day number of `secs` seconds since the Unix epoch.
pub fn day_of(secs: u64) -> i64 {
    i64::try_from(secs / 86_400).unwrap_or(i64::MAX)
}

/// Is `key` a ladder's (a code without an entry of its own)?
fn is_ladder(key: &str) -> bool {
    crate::bot::ids::as_ladder(key).is_some()
}

/// One entry in the maintainers' report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryOutcomes {
    pub entry: String,
    /// `(fix number, counts)`, by number.
    pub fixes: Vec<(usize, FixCounts)>,
    /// The fix that ended the most problems (the lower number on a tie);
    /// `None` when no fix has a "That fixed it".
    pub ends: Option<usize>,
    pub total: FixCounts,
}

/// `hexhelp kb outcomes`: per entry, the fix that ends problems; the
/// entries people most often say "Didn't help" to; the codes asked about
/// that have no entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutcomesReport {
    /// Most reports first, then by id.
    pub entries: Vec<EntryOutcomes>,
    /// `(entry, didn't help)`, most first, at most `top`.
    pub most_no_help: Vec<(String, u64)>,
    /// `(code, times asked)`, most first, at most `top`.
    pub codes_without_entry: Vec<(u32, u64)>,
}

/// Sums per key; the `top` largest non-zero ones, most first, then by key.
fn top<K: Ord + Clone>(sums: BTreeMap<K, u64>, top: usize) -> Vec<(K, u64)> {
    let mut list: Vec<(K, u64)> = sums.into_iter().filter(|(_, n)| *n > 0).collect();
    // Stable: equal counts stay in key order.
    list.sort_by_key(|e| std::cmp::Reverse(e.1));
    list.truncate(top);
    list
}

/// Per entry, what people reported about each of its fixes.
fn by_entry(outcomes: &[OutcomeRow]) -> BTreeMap<&str, BTreeMap<usize, FixCounts>> {
    let mut out: BTreeMap<&str, BTreeMap<usize, FixCounts>> = BTreeMap::new();
    for r in outcomes {
        out.entry(&r.entry)
            .or_default()
            .entry(r.fix)
            .or_default()
            .add(&r.counts);
    }
    out
}

/// The entries with the most "Didn't help".
fn most_no_help(outcomes: &[OutcomeRow], n: usize) -> Vec<(String, u64)> {
    let mut sums: BTreeMap<String, u64> = BTreeMap::new();
    for r in outcomes {
        let s = sums.entry(r.entry.clone()).or_default();
        *s = s.saturating_add(r.counts.no_help);
    }
    top(sums, n)
}

/// Codes that were asked about and got a ladder or nothing: no entry.
fn codes_without_entry<'a>(days: impl Iterator<Item = &'a DayRow>, n: usize) -> Vec<(u32, u64)> {
    let mut sums: BTreeMap<u32, u64> = BTreeMap::new();
    for r in days {
        if let Some(code) = r.code
            && r.entry.as_deref().is_none_or(is_ladder)
        {
            let s = sums.entry(code).or_default();
            *s = s.saturating_add(r.count);
        }
    }
    top(sums, n)
}

impl OutcomesReport {
    /// The report over all `outcomes` and `days`, with `top` entries and
    /// codes in its lists.
    pub fn build(outcomes: &[OutcomeRow], days: &[DayRow], top: usize) -> OutcomesReport {
        let mut entries: Vec<EntryOutcomes> = by_entry(outcomes)
            .into_iter()
            .map(|(entry, fixes)| {
                let mut total = FixCounts::default();
                fixes.values().for_each(|c| total.add(c));
                let ends = fixes
                    .iter()
                    .filter(|(_, c)| c.fixed > 0)
                    // The first of the largest: iteration is by number.
                    .fold(None::<(usize, u64)>, |best, (&n, c)| match best {
                        Some((_, b)) if b >= c.fixed => best,
                        _ => Some((n, c.fixed)),
                    })
                    .map(|(n, _)| n);
                EntryOutcomes {
                    entry: entry.to_string(),
                    fixes: fixes.into_iter().collect(),
                    ends,
                    total,
                }
            })
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.total.reports()));
        OutcomesReport {
            entries,
            most_no_help: most_no_help(outcomes, top),
            codes_without_entry: codes_without_entry(days.iter(), top),
        }
    }
}

/// `/hexhelp stats`: one server's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub answers_7: u64,
    pub answers_30: u64,
    /// Questions the bot had nothing for.
    pub unanswered_7: u64,
    pub unanswered_30: u64,
    /// The last 30 days, most first.
    pub top_codes: Vec<(u32, u64)>,
    pub top_entries: Vec<(String, u64)>,
    /// Over all time, most first.
    pub most_no_help: Vec<(String, u64)>,
    /// Codes asked about in the last 30 days without an entry of their own.
    pub codes_without_entry: Vec<(u32, u64)>,
}

impl Stats {
    /// The figures for `today` (a day number) from one server's `days` and
    /// `outcomes`, with `top` items in each list.
    pub fn build(today: i64, days: &[DayRow], outcomes: &[OutcomeRow], top_n: usize) -> Stats {
        let within = |r: &DayRow, n: i64| r.day <= today && r.day > today.saturating_sub(n);
        let sum = |answered: bool, n: i64| {
            days.iter()
                .filter(|r| r.answered == answered && within(r, n))
                .fold(0u64, |s, r| s.saturating_add(r.count))
        };
        let month = || days.iter().filter(|r| within(r, 30));
        let mut codes: BTreeMap<u32, u64> = BTreeMap::new();
        let mut entries: BTreeMap<String, u64> = BTreeMap::new();
        for r in month().filter(|r| r.answered) {
            if let Some(c) = r.code {
                let s = codes.entry(c).or_default();
                *s = s.saturating_add(r.count);
            }
            if let Some(e) = r.entry.as_ref().filter(|e| !is_ladder(e)) {
                let s = entries.entry(e.clone()).or_default();
                *s = s.saturating_add(r.count);
            }
        }
        Stats {
            answers_7: sum(true, 7),
            answers_30: sum(true, 30),
            unanswered_7: sum(false, 7),
            unanswered_30: sum(false, 30),
            top_codes: top(codes, top_n),
            top_entries: top(entries, top_n),
            most_no_help: most_no_help(outcomes, top_n),
            codes_without_entry: codes_without_entry(month(), top_n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(entry: &str, fix: usize, fixed: u64, no_help: u64, passed: u64) -> OutcomeRow {
        OutcomeRow {
            entry: entry.into(),
            fix,
            counts: FixCounts {
                fixed,
                no_help,
                passed,
            },
        }
    }

    fn day(day: i64, code: Option<u32>, entry: Option<&str>, answered: bool, count: u64) -> DayRow {
        DayRow {
            day,
            code,
            entry: entry.map(str::to_string),
            answered,
            count,
        }
    }

    #[test]
    fn the_outcomes_report_names_the_fix_that_ends_problems() {
        let outcomes = [
            row("wu", 1, 2, 9, 1),
            row("wu", 3, 14, 6, 0),
            row("wu", 2, 14, 1, 0),
            // The same fix again (another server): summed.
            row("store", 1, 1, 3, 0),
            row("store", 1, 0, 2, 0),
            row("quiet", 1, 0, 0, 1),
        ];
        let days = [
            day(100, Some(0x8007_0002), Some("wu"), true, 5),
            day(100, Some(0x8024_0000), Some("@windows-update"), true, 3),
            day(101, Some(0x8024_0000), None, true, 1),
            day(101, Some(0x8007_000E), Some("@win32"), true, 4),
            day(102, None, None, false, 7),
        ];
        let r = OutcomesReport::build(&outcomes, &days, 5);
        let ids: Vec<&str> = r.entries.iter().map(|e| e.entry.as_str()).collect();
        assert_eq!(ids, ["wu", "store", "quiet"]);
        let wu = &r.entries[0];
        // Fixes 2 and 3 both ended 14 problems: the earlier one is named.
        assert_eq!(wu.ends, Some(2));
        assert_eq!(wu.fixes.iter().map(|f| f.0).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(wu.total.no_help, 16);
        assert_eq!(
            r.entries[1].fixes,
            vec![(
                1,
                FixCounts {
                    fixed: 1,
                    no_help: 5,
                    passed: 0
                }
            )]
        );
        assert_eq!(r.entries[2].ends, None);
        assert_eq!(
            r.most_no_help,
            vec![("wu".to_string(), 16), ("store".to_string(), 5)]
        );
        // Equal counts: by code.
        assert_eq!(
            r.codes_without_entry,
            vec![(0x8007_000E, 4), (0x8024_0000, 4)]
        );
        let r = OutcomesReport::build(&outcomes, &days, 1);
        assert_eq!(r.most_no_help.len(), 1);
        assert_eq!(r.codes_without_entry, vec![(0x8007_000E, 4)]);
    }

    #[test]
    fn stats_count_the_last_7_and_30_days() {
        let today = 1000;
        let days = [
            day(today, Some(1), Some("a"), true, 2),
            day(today - 6, Some(2), Some("b"), true, 3),
            // Eight days ago: in the 30 days only.
            day(today - 7, Some(2), Some("b"), true, 4),
            day(today - 29, Some(3), Some("@win32"), true, 1),
            // Too old for either.
            day(today - 30, Some(9), Some("z"), true, 50),
            day(today - 2, None, None, false, 6),
            day(today - 20, None, None, false, 1),
            // Not yet (a clock ahead of ours): left out.
            day(today + 1, Some(1), Some("a"), true, 9),
        ];
        let outcomes = [
            row("a", 1, 1, 2, 0),
            row("b", 2, 0, 5, 3),
            row("c", 1, 3, 0, 0),
        ];
        let s = Stats::build(today, &days, &outcomes, 5);
        assert_eq!((s.answers_7, s.answers_30), (5, 10));
        assert_eq!((s.unanswered_7, s.unanswered_30), (6, 7));
        assert_eq!(s.top_codes, vec![(2, 7), (1, 2), (3, 1)]);
        // Ladders are not entries.
        assert_eq!(
            s.top_entries,
            vec![("b".to_string(), 7), ("a".to_string(), 2)]
        );
        assert_eq!(
            s.most_no_help,
            vec![("b".to_string(), 5), ("a".to_string(), 2)]
        );
        assert_eq!(s.codes_without_entry, vec![(3, 1)]);
        assert_eq!(Stats::build(today, &[], &[], 5), Stats::default());
    }

    #[test]
    fn days_are_utc_day_numbers() {
        assert_eq!(day_of(0), 0);
        assert_eq!(day_of(86_399), 0);
        assert_eq!(day_of(86_400), 1);
        assert_eq!(day_of(u64::MAX), (u64::MAX / 86_400) as i64);
    }
}
