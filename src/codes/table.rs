//! The code tables: every named code from `knowledge/codes/*.tsv`, embedded
//! in the binary and parsed once.
//!
//! File format (one file per [`Family`], the file stem is the slug):
//! `0xXXXXXXXX<TAB>NAME[<TAB>note]`, lines starting with `#` are comments.
//! `internet.tsv` has the API between name and note:
//! `0xXXXXXXXX<TAB>NAME<TAB>wininet|winhttp[<TAB>note]`. The first row of a
//! code (per API for internet) is its primary name; later rows are aliases
//! that [`CodeTables::by_name`] still knows. `-` as the name means
//! Microsoft publishes no symbolic name for the code.
//!
//! Win32 and internet rows hold the plain error number; the HRESULT form
//! `0x8007xxxx` is derived (see [`CodeTables::meanings`]).

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;

use super::family::{Api, Family};
use super::humanise::humanise;

/// The embedded tables, one per family, in [`Family::ALL`] order.
const SOURCES: [(Family, &str); 12] = [
    (
        Family::Win32,
        include_str!("../../knowledge/codes/win32.tsv"),
    ),
    (
        Family::HResult,
        include_str!("../../knowledge/codes/hresult.tsv"),
    ),
    (
        Family::NtStatus,
        include_str!("../../knowledge/codes/ntstatus.tsv"),
    ),
    (
        Family::WindowsUpdate,
        include_str!("../../knowledge/codes/windows-update.tsv"),
    ),
    (
        Family::Activation,
        include_str!("../../knowledge/codes/activation.tsv"),
    ),
    (
        Family::Internet,
        include_str!("../../knowledge/codes/internet.tsv"),
    ),
    (Family::Cbs, include_str!("../../knowledge/codes/cbs.tsv")),
    (
        Family::Setup,
        include_str!("../../knowledge/codes/setup.tsv"),
    ),
    (
        Family::BugCheck,
        include_str!("../../knowledge/codes/bugcheck.tsv"),
    ),
    (
        Family::Store,
        include_str!("../../knowledge/codes/store.tsv"),
    ),
    (
        Family::DotNet,
        include_str!("../../knowledge/codes/dotnet.tsv"),
    ),
    (
        Family::Backup,
        include_str!("../../knowledge/codes/backup.tsv"),
    ),
];
const HRESULT_FACILITIES: &str = include_str!("../../knowledge/codes/facilities/hresult.tsv");
const NTSTATUS_FACILITIES: &str = include_str!("../../knowledge/codes/facilities/ntstatus.tsv");

/// What a name shows when Microsoft publishes no symbolic name for a code.
pub const NO_PUBLIC_NAME: &str = "(no public name)";

/// One meaning of a 32-bit value in one family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meaning {
    pub family: Family,
    /// The symbolic name, e.g. `ERROR_FILE_NOT_FOUND`, or [`NO_PUBLIC_NAME`].
    pub name: String,
    /// Plain words: a hand-written note, or words made from the name.
    pub summary: String,
    /// The value the name stands for in its own family: the Win32 or
    /// WinINet/WinHTTP error number for a derived meaning (2 for
    /// 0x80070002), the NTSTATUS for an HRESULT_FROM_NT value, otherwise
    /// the code itself.
    pub value: u32,
    /// For the internet family: which API uses this name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<Api>,
}

/// A row of a family file.
#[derive(Debug, Clone, Copy)]
struct Entry {
    code: u32,
    family: Family,
    api: Option<Api>,
    /// `None` when the code has no public name.
    name: Option<&'static str>,
    note: Option<&'static str>,
    primary: bool,
}

/// A table file that does not follow the format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{family}.tsv line {line}: {problem}")]
pub struct TableError {
    pub family: &'static str,
    pub line: usize,
    pub problem: String,
}

/// All named codes, searchable by value and by name.
pub struct CodeTables {
    /// Sorted by code; rows of one code keep family then file order.
    entries: Vec<Entry>,
    /// `(NAME, value by_name returns, entry index)`, sorted by name bytes.
    names: Vec<(&'static str, u32, usize)>,
    /// Indexes into `names` of the few names with lower-case letters.
    mixed_case: Vec<usize>,
    hresult_facilities: HashMap<u16, &'static str>,
    ntstatus_facilities: HashMap<u16, &'static str>,
    counts: [usize; 12],
    /// Bug-check names as lower-case words, by first word, built on first use.
    stop_phrases: std::sync::OnceLock<StopPhrases>,
}

/// Bug-check names as words (`dpc watchdog violation`): first word ->
/// (the other words, the code).
pub(crate) type StopPhrases = rustc_hash::FxHashMap<String, Vec<(Vec<String>, u32)>>;

impl fmt::Debug for CodeTables {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeTables")
            .field("entries", &self.entries.len())
            .field("names", &self.names.len())
            .field("counts", &self.count_per_family())
            .finish()
    }
}

/// The HRESULT a Win32 error number becomes (`HRESULT_FROM_WIN32`).
pub fn hresult_from_win32(n: u32) -> u32 {
    if n == 0 || n > 0xFFFF {
        n
    } else {
        0x8007_0000 | n
    }
}

impl CodeTables {
    /// The tables bundled into the binary, parsed on first use.
    pub fn bundled() -> &'static CodeTables {
        static TABLES: OnceLock<CodeTables> = OnceLock::new();
        TABLES.get_or_init(|| {
            CodeTables::parse_bundled().expect("bundled knowledge/codes tables are well-formed")
        })
    }

    /// Parses the bundled tables afresh (what [`CodeTables::bundled`] does
    /// once); for benchmarks and checks.
    pub fn parse_bundled() -> Result<CodeTables, TableError> {
        CodeTables::parse(&SOURCES)
    }

    /// Parses family files (`(family, file contents)`), e.g. for tests with
    /// small tables. Facility names always come from the bundled files.
    pub fn parse(sources: &[(Family, &'static str)]) -> Result<CodeTables, TableError> {
        let mut entries = Vec::with_capacity(16_384);
        let mut counts = [0usize; 12];
        for &(family, text) in sources {
            let before = entries.len();
            parse_family(family, text, &mut entries)?;
            let mut codes: Vec<u32> = entries[before..].iter().map(|e| e.code).collect();
            codes.dedup();
            counts[family.index()] += codes.len();
        }
        // Stable: rows of one code stay in family order, then file order.
        entries.sort_by_key(|e| e.code);

        let mut names = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            if let Some(name) = e.name {
                let value = match e.family {
                    Family::Win32 | Family::Internet => hresult_from_win32(e.code),
                    _ => e.code,
                };
                names.push((name, value, i));
            }
        }
        // Byte order, so looking up an upper-case name is a plain binary
        // search; ties (a name in two families) keep the first row.
        names.sort_unstable_by(|a, b| a.0.cmp(b.0).then(a.2.cmp(&b.2)));
        names.dedup_by(|later, first| later.0 == first.0);
        let mixed_case = (0..names.len())
            .filter(|&i| names[i].0.bytes().any(|b| b.is_ascii_lowercase()))
            .collect();

        Ok(CodeTables {
            entries,
            names,
            mixed_case,
            hresult_facilities: parse_facilities(HRESULT_FACILITIES),
            ntstatus_facilities: parse_facilities(NTSTATUS_FACILITIES),
            counts,
            stop_phrases: std::sync::OnceLock::new(),
        })
    }

    /// Rows whose own value is `code`.
    fn at(&self, code: u32) -> &[Entry] {
        let lo = self.entries.partition_point(|e| e.code < code);
        let hi = lo + self.entries[lo..].partition_point(|e| e.code == code);
        &self.entries[lo..hi]
    }

    /// Calls `f(entry, value)` for every primary row that names `code`,
    /// directly or through a derived form, in no particular order.
    fn each_primary<'s>(&'s self, code: u32, mut f: impl FnMut(&'s Entry, u32)) {
        for e in self.at(code).iter().filter(|e| e.primary) {
            f(e, code);
        }
        let high = code >> 16;
        // HRESULT_FROM_WIN32 (0x8007xxxx) and NTSTATUS_FROM_WIN32 (0xC007xxxx).
        if (high == 0x8007 || high == 0xC007) && code & 0xFFFF != 0 {
            let n = code & 0xFFFF;
            for e in self
                .at(n)
                .iter()
                .filter(|e| e.primary && matches!(e.family, Family::Win32 | Family::Internet))
            {
                f(e, n);
            }
        }
        // HRESULT_FROM_NT: the NTSTATUS with the N bit set.
        if code & 0xF000_0000 == 0xD000_0000 {
            let nt = code & !0x1000_0000;
            for e in self
                .at(nt)
                .iter()
                .filter(|e| e.primary && e.family == Family::NtStatus)
            {
                f(e, nt);
            }
        }
    }

    /// Every meaning of the 32-bit value `code`, one per family (two for
    /// internet codes that WinINet and WinHTTP both name), in the default
    /// order (specific families first). [`super::decode`] reorders them by
    /// the message's context.
    pub fn meanings(&self, code: u32) -> Vec<Meaning> {
        let mut found: Vec<(&Entry, u32)> = Vec::new();
        self.each_primary(code, |e, value| found.push((e, value)));
        found.sort_by_key(|(e, _)| (e.family.rank(), e.api));
        // Many subsystems alias well-known values (0x80070002 is also
        // DirectInput's DIERR_NOTFOUND). Beside a Win32 meaning only the
        // generic E_* alias says anything more; elsewhere two aliases do.
        let has_win32 = found.iter().any(|(e, _)| e.family == Family::Win32);
        let mut aliases = 0;
        found.retain(|(e, _)| {
            if e.family != Family::HResult {
                return true;
            }
            let generic = e.name.is_some_and(|n| n.starts_with("E_"));
            aliases += 1;
            if has_win32 { generic } else { aliases <= 2 }
        });
        found
            .into_iter()
            .map(|(e, value)| Meaning {
                family: e.family,
                name: e.name.unwrap_or(NO_PUBLIC_NAME).to_string(),
                summary: match (e.note, e.name) {
                    (Some(note), _) => note.to_string(),
                    (None, Some(name)) => humanise(name, e.family),
                    (None, None) => String::new(),
                },
                value,
                api: e.api,
            })
            .collect()
    }

    /// Whether any family names `code` (directly or derived).
    pub fn is_named(&self, code: u32) -> bool {
        let mut any = false;
        self.each_primary(code, |_, _| any = true);
        any
    }

    /// Whether `code` is among the codes with a hand-written note (the ones
    /// help channels see most).
    pub fn is_well_known(&self, code: u32) -> bool {
        let mut any = false;
        self.each_primary(code, |e, _| any |= e.note.is_some());
        any
    }

    /// Whether the bug-check table names the value `code`.
    pub fn is_bugcheck(&self, code: u32) -> bool {
        self.at(code).iter().any(|e| e.family == Family::BugCheck)
    }

    /// Whether `n` is a named Win32 (or WinINet/WinHTTP) error number.
    pub fn is_win32_number(&self, n: u32) -> bool {
        n != 0
            && n <= 0xFFFF
            && self
                .at(n)
                .iter()
                .any(|e| matches!(e.family, Family::Win32 | Family::Internet))
    }

    /// The name of Win32 error number `n` (`ERROR_ACCESS_DENIED` for 5).
    pub fn win32_name(&self, n: u32) -> Option<&str> {
        if n == 0 || n > 0xFFFF {
            return None;
        }
        self.at(n)
            .iter()
            .find(|e| e.family == Family::Win32)
            .and_then(|e| e.name)
    }

    /// The code a symbolic name stands for, in the form people meet it:
    /// Win32 and WinINet/WinHTTP names give their HRESULT (`0x8007xxxx`),
    /// every other name its own value. Case-insensitive.
    pub fn by_name(&self, name: &str) -> Option<u32> {
        self.lookup_name(name).map(|(code, _)| code)
    }

    /// Like [`CodeTables::by_name`], with the family of the name.
    pub fn lookup_name(&self, name: &str) -> Option<(u32, Family)> {
        let upper;
        let key = if name.bytes().any(|b| b.is_ascii_lowercase()) {
            upper = name.to_ascii_uppercase();
            upper.as_str()
        } else {
            name
        };
        let i = match self.names.binary_search_by(|(n, _, _)| (*n).cmp(key)) {
            Ok(i) => i,
            Err(_) => *self
                .mixed_case
                .iter()
                .find(|&&i| self.names[i].0.eq_ignore_ascii_case(key))?,
        };
        let (_, value, entry) = self.names[i];
        Some((value, self.entries[entry].family))
    }

    /// How many distinct codes each family names.
    pub fn count_per_family(&self) -> Vec<(Family, usize)> {
        Family::ALL
            .iter()
            .map(|&f| (f, self.counts[f.index()]))
            .collect()
    }

    /// Every named code once per family, as people meet it (Win32 and
    /// WinINet/WinHTTP numbers in their HRESULT form), in code order.
    pub fn iter_codes(&self) -> impl Iterator<Item = (Family, u32)> + '_ {
        self.entries.iter().filter(|e| e.primary).map(|e| {
            let code = match e.family {
                Family::Win32 | Family::Internet => hresult_from_win32(e.code),
                _ => e.code,
            };
            (e.family, code)
        })
    }

    /// Total of [`CodeTables::count_per_family`].
    pub fn total_named(&self) -> usize {
        self.counts.iter().sum()
    }

    /// Names for autocomplete: names starting with `query` first (in name
    /// order), then names containing it, at most `limit`. Case-insensitive;
    /// values as [`CodeTables::by_name`] gives them.
    /// Bug-check names of two or more words, as lower-case words.
    pub(crate) fn stop_phrases(&self) -> &StopPhrases {
        self.stop_phrases.get_or_init(|| {
            let mut map: StopPhrases = StopPhrases::default();
            for &(name, value, i) in &self.names {
                if self.entries[i].family != Family::BugCheck || value == 0 {
                    continue;
                }
                let mut words = name.split('_').map(str::to_ascii_lowercase);
                let Some(first) = words.next() else { continue };
                let rest: Vec<String> = words.collect();
                if !rest.is_empty() && rest.iter().all(|w| !w.is_empty()) {
                    map.entry(first).or_default().push((rest, value));
                }
            }
            for list in map.values_mut() {
                // Longest first: DRIVER_IRQL_NOT_LESS_OR_EQUAL before DRIVER_IRQL...
                list.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
            }
            map
        })
    }

    /// Every symbolic name with the value it stands for, in name order.
    pub fn all_names(&self) -> impl Iterator<Item = (&'static str, u32)> + '_ {
        self.names.iter().map(|&(n, v, _)| (n, v))
    }

    pub fn search_names(&self, query: &str, limit: usize) -> Vec<(u32, &str)> {
        let q = query.trim().to_ascii_uppercase();
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let has_prefix = |n: &str| {
            n.len() >= q.len() && n.as_bytes()[..q.len()].eq_ignore_ascii_case(q.as_bytes())
        };
        let mut out: Vec<(u32, &str)> = Vec::with_capacity(limit.min(32));
        let start = self.names.partition_point(|(n, _, _)| *n < q.as_str());
        let prefixed = self.names[start..]
            .iter()
            .take_while(|(n, _, _)| n.starts_with(q.as_str()));
        let mixed = self
            .mixed_case
            .iter()
            .map(|&i| &self.names[i])
            .filter(|(n, _, _)| has_prefix(n));
        for &(name, value, _) in prefixed.chain(mixed) {
            if out.len() == limit {
                return out;
            }
            if !out.iter().any(|(_, n)| *n == name) {
                out.push((value, name));
            }
        }
        for &(name, value, _) in &self.names {
            if out.len() == limit {
                break;
            }
            if !has_prefix(name) && name.to_ascii_uppercase().contains(q.as_str()) {
                out.push((value, name));
            }
        }
        out
    }

    /// The HRESULT facility of `code`: 13-bit facility numbers first (newer
    /// facilities such as DXGI 0x87A use bit 27), then the classic 11 bits.
    pub fn hresult_facility(&self, code: u32) -> Option<(u16, &'static str)> {
        let wide = ((code >> 16) & 0x1FFF) as u16;
        let narrow = ((code >> 16) & 0x7FF) as u16;
        [wide, narrow]
            .into_iter()
            .find_map(|n| self.hresult_facilities.get(&n).map(|&name| (n, name)))
    }

    /// The NTSTATUS facility of `code` (12 bits).
    pub fn ntstatus_facility(&self, code: u32) -> Option<(u16, &'static str)> {
        let n = ((code >> 16) & 0xFFF) as u16;
        self.ntstatus_facilities.get(&n).map(|&name| (n, name))
    }

    /// Whether the NTSTATUS table names `code` itself.
    pub(crate) fn is_ntstatus(&self, code: u32) -> bool {
        self.at(code).iter().any(|e| e.family == Family::NtStatus)
    }
}

fn parse_family(
    family: Family,
    text: &'static str,
    out: &mut Vec<Entry>,
) -> Result<(), TableError> {
    let err = |line: usize, problem: String| TableError {
        family: family.slug(),
        line,
        problem,
    };
    // (code, api) pairs seen, to mark the first row of each as primary.
    let mut last: Option<(u32, Option<Api>)> = None;
    let mut seen_internet: Vec<(u32, Option<Api>)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim_ascii().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let code_text = cols.next().unwrap_or_default();
        let code = parse_hex(code_text)
            .ok_or_else(|| err(line_no, format!("`{code_text}` is not 0x + 8 hex digits")))?;
        let name = cols
            .next()
            .map(str::trim_ascii)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| err(line_no, "missing name".into()))?;
        // Upper case by convention; a few SDK names carry a lower-case unit ("_64k").
        let shaped = name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && name.bytes().next().is_some_and(|b| b.is_ascii_uppercase());
        if name != "-" && !shaped {
            return Err(err(
                line_no,
                format!("name `{name}` is not an upper-case identifier"),
            ));
        }
        let api =
            if family == Family::Internet {
                let tag = cols.next().unwrap_or_default();
                Some(Api::from_tag(tag).ok_or_else(|| {
                    err(line_no, format!("api `{tag}` is not wininet or winhttp"))
                })?)
            } else {
                None
            };
        let note = cols.next().map(str::trim_ascii).filter(|n| !n.is_empty());
        let key = (code, api);
        let primary = if family == Family::Internet {
            let fresh = !seen_internet.contains(&key);
            if fresh {
                seen_internet.retain(|(c, _)| *c == code);
                seen_internet.push(key);
            }
            fresh
        } else {
            last != Some(key)
        };
        if let Some((prev, _)) = last
            && prev > code
        {
            return Err(err(
                line_no,
                format!("codes out of order (0x{code:08X} after 0x{prev:08X})"),
            ));
        }
        last = Some(key);
        out.push(Entry {
            code,
            family,
            api,
            name: (name != "-").then_some(name),
            note,
            primary,
        });
    }
    Ok(())
}

fn parse_hex(text: &str) -> Option<u32> {
    let digits = text.strip_prefix("0x")?.as_bytes();
    if digits.len() != 8 {
        return None;
    }
    digits
        .iter()
        .try_fold(0u32, |acc, &c| Some((acc << 4) | (c as char).to_digit(16)?))
}

fn parse_facilities(text: &'static str) -> HashMap<u16, &'static str> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (num, name) = l.split_once('\t')?;
            Some((num.trim().parse().ok()?, name.trim()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables() -> &'static CodeTables {
        CodeTables::bundled()
    }

    #[test]
    fn bundled_tables_hold_at_least_12000_codes() {
        let t = tables();
        assert!(t.total_named() >= 12_000, "{t:?}");
        for (family, n) in t.count_per_family() {
            assert!(n > 0, "{} is empty", family.slug());
        }
    }

    #[test]
    fn win32_meaning_is_derived_from_the_hresult() {
        let m = tables().meanings(0x8007_0002);
        let win32 = m
            .iter()
            .find(|m| m.family == Family::Win32)
            .expect("win32 meaning");
        assert_eq!(win32.name, "ERROR_FILE_NOT_FOUND");
        assert_eq!(win32.value, 2);
        assert_eq!(
            m[0].family,
            Family::Win32,
            "Win32 before the generic HRESULT name: {m:?}"
        );
    }

    #[test]
    fn internet_code_has_both_api_names() {
        let m = tables().meanings(0x8007_2F8F);
        let names: Vec<_> = m
            .iter()
            .filter(|m| m.family == Family::Internet)
            .map(|m| (m.api, m.name.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![
                (Some(Api::WinInet), "ERROR_INTERNET_DECODING_FAILED"),
                (Some(Api::WinHttp), "ERROR_WINHTTP_SECURE_FAILURE")
            ]
        );
        assert!(
            m.iter()
                .any(|m| m.family == Family::HResult && m.name == "WININET_E_DECODING_FAILED")
        );
        assert!(
            m.iter()
                .all(|m| m.family != Family::Internet || m.value == 12175)
        );
    }

    #[test]
    fn small_value_is_both_bug_check_and_win32_error() {
        let m = tables().meanings(0x7E);
        let fams: Vec<_> = m.iter().map(|m| (m.family, m.name.as_str())).collect();
        assert!(
            fams.contains(&(Family::BugCheck, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED")),
            "{fams:?}"
        );
        assert!(
            fams.contains(&(Family::Win32, "ERROR_MOD_NOT_FOUND")),
            "{fams:?}"
        );
        // The HRESULT form is only the Win32 error.
        assert!(
            tables()
                .meanings(0x8007_007E)
                .iter()
                .all(|m| m.family != Family::BugCheck)
        );
    }

    #[test]
    fn hresult_from_nt_names_the_ntstatus() {
        let m = tables().meanings(0xD000_0034);
        assert!(
            m.iter()
                .any(|m| m.name == "STATUS_OBJECT_NAME_NOT_FOUND" && m.value == 0xC000_0034),
            "{m:?}"
        );
    }

    #[test]
    fn by_name_maps_win32_names_to_hresults() {
        let t = tables();
        assert_eq!(
            t.by_name("ERROR_SXS_COMPONENT_STORE_CORRUPT"),
            Some(0x8007_3712)
        );
        assert_eq!(t.by_name("error_file_not_found"), Some(0x8007_0002));
        assert_eq!(t.by_name("E_ACCESSDENIED"), Some(0x8007_0005));
        assert_eq!(t.by_name("STATUS_ACCESS_DENIED"), Some(0xC000_0022));
        assert_eq!(
            t.by_name("WU_E_PT_WINHTTP_NAME_NOT_RESOLVED"),
            Some(0x8024_402C)
        );
        assert_eq!(
            t.by_name("SL_E_VL_BINDING_SERVICE_UNAVAILABLE"),
            Some(0xC004_F074)
        );
        assert_eq!(t.by_name("CRITICAL_PROCESS_DIED"), Some(0xEF));
        assert_eq!(t.by_name("CBS_E_SOURCE_MISSING"), Some(0x800F_081F));
        assert_eq!(t.by_name("MOSETUP_E_SETUP_PLATFORM"), Some(0xC190_0101));
        assert_eq!(t.by_name("ERROR_WINHTTP_SECURE_FAILURE"), Some(0x8007_2F8F));
        assert_eq!(t.by_name("ERROR_SUCCESS"), Some(0));
        assert_eq!(t.by_name("NOT_A_REAL_NAME"), None);
        assert_eq!(
            t.by_name("ERROR_ITERATED_DATA_EXCEEDS_64K"),
            Some(0x8007_00C2)
        );
        assert_eq!(
            t.by_name("error_iterated_data_exceeds_64k"),
            Some(0x8007_00C2)
        );
        assert_eq!(
            t.search_names("error_iterated_data", 3),
            [(0x8007_00C2, "ERROR_ITERATED_DATA_EXCEEDS_64k")]
        );
        assert_eq!(t.by_name("-"), None);
    }

    #[test]
    fn unnamed_store_code_is_known_without_a_name() {
        let t = tables();
        let m = t.meanings(0x803F_8001);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].family, Family::Store);
        assert_eq!(m[0].name, NO_PUBLIC_NAME);
        assert!(!m[0].summary.is_empty());
        assert!(t.is_named(0x803F_8001));
    }

    #[test]
    fn is_named_matches_meanings() {
        let t = tables();
        for code in [
            0u32,
            2,
            0x7E,
            0x8007_0002,
            0x8007_FFFF,
            0xC000_0022,
            0x8a1f_2c3d,
            0xDEAD_BEEF,
            0xD000_0034,
        ] {
            assert_eq!(
                t.is_named(code),
                !t.meanings(code).is_empty(),
                "0x{code:08X}"
            );
        }
    }

    #[test]
    fn well_known_codes_have_notes() {
        let t = tables();
        assert!(t.is_well_known(0x8007_0002));
        assert!(t.is_well_known(0x8024_402C));
        assert!(!t.is_well_known(0x8007_0026));
    }

    #[test]
    fn search_names_puts_prefix_matches_first() {
        let t = tables();
        let hits = t.search_names("error_sxs_comp", 5);
        assert_eq!(
            hits.first(),
            Some(&(0x8007_3712, "ERROR_SXS_COMPONENT_STORE_CORRUPT"))
        );
        let frag = t.search_names("COMPONENT_STORE_CORRUPT", 10);
        assert!(
            frag.iter()
                .any(|(_, n)| *n == "ERROR_SXS_COMPONENT_STORE_CORRUPT")
        );
        assert_eq!(t.search_names("ERROR_", 7).len(), 7);
        assert!(t.search_names("", 5).is_empty());
        assert!(t.search_names("zzzz_no_such", 5).is_empty());
    }

    #[test]
    fn facilities_are_named() {
        let t = tables();
        assert_eq!(t.hresult_facility(0x8007_0002), Some((7, "WIN32")));
        assert_eq!(
            t.hresult_facility(0x8024_402C),
            Some((0x24, "WINDOWSUPDATE"))
        );
        assert_eq!(
            t.hresult_facility(0x803F_8001),
            Some((0x3F, "WINDOWS_STORE"))
        );
        assert_eq!(t.hresult_facility(0x887A_0001).map(|f| f.0), Some(0x87A));
        assert_eq!(t.ntstatus_facility(0xC00D_0000).map(|f| f.0), None);
        assert_eq!(t.ntstatus_facility(0xC007_0005), Some((7, "NTWIN32")));
    }

    #[test]
    fn parse_rejects_bad_rows_with_line_numbers() {
        let bad = CodeTables::parse(&[(Family::Win32, "# c\n0x00000002\tERROR_X\n0x2\tERROR_Y\n")])
            .unwrap_err();
        assert_eq!(bad.line, 3);
        let lower = CodeTables::parse(&[(Family::Win32, "0x00000002\terror_x\n")]).unwrap_err();
        assert!(lower.problem.contains("upper-case"));
        let spaced = CodeTables::parse(&[(Family::Win32, "0x00000002\tERROR X\n")]).unwrap_err();
        assert!(spaced.problem.contains("identifier"));
        let api = CodeTables::parse(&[(
            Family::Internet,
            "0x00002EE2\tERROR_INTERNET_TIMEOUT\tcurl\n",
        )])
        .unwrap_err();
        assert!(api.problem.contains("wininet"));
        let order = CodeTables::parse(&[(Family::Win32, "0x00000003\tA_B\n0x00000002\tC_D\n")])
            .unwrap_err();
        assert!(order.problem.contains("order"));
    }

    #[test]
    fn aliases_resolve_but_the_first_row_is_primary() {
        let t = CodeTables::parse(&[(
            Family::Win32,
            "0x0000007B\tERROR_INVALID_NAME\tnote\n0x0000007B\tDNS_ERROR_INVALID_NAME\n",
        )])
        .unwrap();
        let m = t.meanings(0x8007_007B);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].name, "ERROR_INVALID_NAME");
        assert_eq!(m[0].summary, "note");
        assert_eq!(t.by_name("DNS_ERROR_INVALID_NAME"), Some(0x8007_007B));
    }

    #[test]
    fn iter_codes_gives_hresult_forms() {
        let t = tables();
        let all: Vec<_> = t.iter_codes().collect();
        assert!(all.contains(&(Family::Win32, 0x8007_0002)));
        assert!(all.contains(&(Family::BugCheck, 0x7B)));
        assert!(all.iter().all(|&(_, c)| t.is_named(c)));
    }

    #[test]
    fn bundled_parse_is_cached() {
        assert!(std::ptr::eq(CodeTables::bundled(), CodeTables::bundled()));
    }
}
