//! Plain words from a symbolic name, for codes that have no hand-written note:
//! `ERROR_FILE_NOT_FOUND` becomes "file not found",
//! `WU_E_PT_WINHTTP_NAME_NOT_RESOLVED` becomes
//! "connection to the update service: WinHTTP name not resolved". The
//! words come from `knowledge/codes/words.tsv`, so contributors extend them.

use super::Family;

use std::sync::OnceLock;

/// `knowledge/codes/words.tsv`, compiled in.
const WORDS_TSV: &str = include_str!("../../knowledge/codes/words.tsv");

/// The dictionary: name prefixes (longest first) and name parts.
struct Words {
    prefixes: Vec<(&'static str, &'static str)>,
    words: Vec<(&'static str, &'static str)>,
}

fn words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| parse(WORDS_TSV))
}

/// Reads the dictionary; lines it cannot read are skipped (the test
/// `the_bundled_dictionary_is_clean` keeps the file free of them).
fn parse(text: &'static str) -> Words {
    let mut prefixes = Vec::new();
    let mut words = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut cols = line.splitn(3, '\t');
        match (cols.next(), cols.next(), cols.next()) {
            (Some("prefix"), Some(p), Some(w)) => prefixes.push((p, w.trim())),
            (Some("word"), Some(p), Some(w)) => words.push((p, w.trim())),
            _ => {}
        }
    }
    prefixes.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    Words { prefixes, words }
}

#[cfg(test)]
/// Lines of the bundled dictionary that are not `prefix` or `word` rows
/// of three columns.
pub fn dictionary_problems() -> Vec<String> {
    WORDS_TSV
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .filter(|(_, l)| {
            let cols: Vec<&str> = l.splitn(3, '\t').collect();
            cols.len() != 3 || !matches!(cols[0], "prefix" | "word") || cols[1].is_empty()
        })
        .map(|(i, l)| format!("knowledge/codes/words.tsv:{}: {l:?}", i + 1))
        .collect()
}

/// Plain words for `name` (a symbolic name of `family`): the prefix's
/// words, then each part's, lower-case unless the dictionary spells it.
pub fn humanise(name: &str, family: Family) -> String {
    let dict = words();
    let mut rest = name;
    let mut out = String::with_capacity(name.len() + 16);
    if family != Family::BugCheck
        && let Some((p, w)) = dict
            .prefixes
            .iter()
            .find(|(p, _)| rest.starts_with(*p) && rest.len() > p.len())
    {
        rest = &rest[p.len()..];
        out.push_str(w);
    }
    for word in rest.split('_').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        match dict.words.iter().find(|(abbr, _)| *abbr == word) {
            Some((_, long)) => out.push_str(long),
            None => out.extend(word.chars().map(|c| c.to_ascii_lowercase())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_family_prefix_and_lowercases() {
        assert_eq!(
            humanise("ERROR_FILE_NOT_FOUND", Family::Win32),
            "file not found"
        );
        assert_eq!(
            humanise("STATUS_ACCESS_DENIED", Family::NtStatus),
            "access denied"
        );
        assert_eq!(humanise("E_ACCESSDENIED", Family::HResult), "access denied");
    }

    #[test]
    fn expands_known_abbreviations() {
        assert_eq!(
            humanise("WU_E_PT_WINHTTP_NAME_NOT_RESOLVED", Family::WindowsUpdate),
            "connection to the update service: WinHTTP name not resolved"
        );
        assert_eq!(
            humanise("ERROR_SXS_COMPONENT_STORE_CORRUPT", Family::Win32),
            "component store: component store corrupt"
        );
        assert_eq!(
            humanise("HCS_E_HYPERV_NOT_INSTALLED", Family::HResult),
            "Host Compute Service: Hyper-V not installed"
        );
        assert_eq!(
            humanise("CO_E_SERVER_EXEC_FAILURE", Family::HResult),
            "COM: server start failure"
        );
    }

    #[test]
    fn bug_check_names_keep_every_word() {
        assert_eq!(
            humanise("CRITICAL_PROCESS_DIED", Family::BugCheck),
            "critical process died"
        );
        // "STATUS_" is part of a bug check's name, not a family prefix.
        assert_eq!(
            humanise("STATUS_SYSTEM_PROCESS_TERMINATED", Family::BugCheck),
            "status system process terminated"
        );
    }

    #[test]
    fn the_bundled_dictionary_is_clean() {
        assert_eq!(dictionary_problems(), Vec::<String>::new());
        // The longest prefix wins over a shorter one it starts with.
        assert!(
            humanise("WU_E_PT_EXCEEDED_MAX_SERVER_TRIPS", Family::WindowsUpdate)
                .starts_with("connection to the update service:")
        );
    }

    #[test]
    fn prefix_alone_is_kept() {
        assert_eq!(humanise("E_", Family::HResult), "e");
    }
}
