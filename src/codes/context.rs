//! Words around a position in a message, and the word lists that decide
//! whether the text frames a number as an error code, a stop code, or a
//! Windows error. Every look is bounded (a few words, a few dozen bytes),
//! so scanning stays linear in the length of the message.

/// Up to [`Words::CAP`] words (byte ranges), nearest first.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Words<'a> {
    text: &'a [u8],
    spans: [(usize, usize); Words::CAP],
    len: usize,
}

impl<'a> Words<'a> {
    pub const CAP: usize = 8;

    /// The words (ASCII letters and digits) ending before `pos`, nearest
    /// first: at most `max_words`, none starting more than `max_bytes`
    /// before `pos`.
    pub fn before(text: &'a [u8], pos: usize, max_words: usize, max_bytes: usize) -> Words<'a> {
        let mut w = Words {
            text,
            spans: [(0, 0); Words::CAP],
            len: 0,
        };
        let pos = pos.min(text.len());
        let floor = pos.saturating_sub(max_bytes);
        let mut i = pos;
        while w.len < max_words.min(Words::CAP) && i > floor {
            while i > floor && !text[i - 1].is_ascii_alphanumeric() {
                i -= 1;
            }
            let end = i;
            while i > floor && text[i - 1].is_ascii_alphanumeric() {
                i -= 1;
            }
            if end > i {
                // A word cut by the byte limit is not a whole word.
                if i == floor && floor > 0 && text[floor - 1].is_ascii_alphanumeric() {
                    break;
                }
                w.spans[w.len] = (i, end);
                w.len += 1;
            }
        }
        w
    }

    /// The words starting at or after `pos`, nearest first, with the same limits.
    pub fn after(text: &'a [u8], pos: usize, max_words: usize, max_bytes: usize) -> Words<'a> {
        let mut w = Words {
            text,
            spans: [(0, 0); Words::CAP],
            len: 0,
        };
        let ceil = pos.saturating_add(max_bytes).min(text.len());
        let mut i = pos.min(text.len());
        while w.len < max_words.min(Words::CAP) && i < ceil {
            while i < ceil && !text[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let start = i;
            while i < ceil && text[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i > start {
                if i == ceil && ceil < text.len() && text[ceil].is_ascii_alphanumeric() {
                    break;
                }
                w.spans[w.len] = (start, i);
                w.len += 1;
            }
        }
        w
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// The `i`-th word (0 = nearest).
    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        (i < self.len).then(|| &self.text[self.spans[i].0..self.spans[i].1])
    }

    /// Whether word `i` is one of `list` (ASCII case-insensitive).
    pub fn is(&self, i: usize, list: &[&str]) -> bool {
        self.get(i).is_some_and(|w| is_one_of(w, list))
    }

    /// Whether any word is one of `list`.
    pub fn any(&self, list: &[&str]) -> bool {
        (0..self.len).any(|i| self.is(i, list))
    }

    /// Whether some word is `first` and the word after it (in reading
    /// order) is one of `second`. For words before a position the word
    /// after word `i` is word `i - 1`.
    pub fn pair_before(&self, first: &[&str], second: &[&str]) -> bool {
        (1..self.len).any(|i| self.is(i, first) && self.is(i - 1, second))
    }

    /// Like [`Words::pair_before`] for words after a position.
    pub fn pair_after(&self, first: &[&str], second: &[&str]) -> bool {
        (1..self.len).any(|i| self.is(i - 1, first) && self.is(i, second))
    }
}

pub(crate) fn is_one_of(word: &[u8], list: &[&str]) -> bool {
    list.iter().any(|k| k.as_bytes().eq_ignore_ascii_case(word))
}

/// Words that make a number near them an error code.
pub(crate) const ERROR_WORDS: &[&str] = &[
    "error",
    "err",
    "errors",
    "code",
    "codes",
    "hresult",
    "hr",
    "exit",
    "exitcode",
    "errorcode",
    "returned",
    "return",
    "returns",
    "status",
    "result",
    "failed",
    "failure",
    "fails",
    "fail",
    "gle",
    "errno",
    "lasterror",
    "errorlevel",
];

/// Words right before a small number that make it a Win32 error number
/// ("error 5", "exit code 1603", "errorlevel 2").
pub(crate) const WIN32_NUMBER_WORDS: &[&str] = &[
    "error",
    "returned",
    "returning",
    "err",
    "errorcode",
    "exitcode",
    "errorlevel",
    "gle",
    "lasterror",
];

/// Words between "error"/"code" and the number that do not break the framing.
pub(crate) const FILLER_WORDS: &[&str] = &["was", "is", "of", "number", "no"];

/// Verbs that report a value as what went wrong ("the app says 0x87E00017").
pub(crate) const REPORT_WORDS: &[&str] = &[
    "says", "said", "shows", "showed", "showing", "get", "gets", "getting", "got", "gives", "gave",
    "giving", "throws", "threw",
];

/// Words before "code" that make "... code N" an error number.
pub(crate) const CODE_QUALIFIERS: &[&str] = &["error", "exit", "return", "win32", "system"];

/// Words that make "error N" something else than a Windows error.
pub(crate) const NOT_WIN32_WORDS: &[&str] = &[
    "http", "https", "status", "line", "page", "php", "python", "js", "sql",
];

/// Words right after a small number that make it a count or a measure.
pub(crate) const MEASURE_WORDS: &[&str] = &[
    "of",
    "times",
    "time",
    "minutes",
    "minute",
    "seconds",
    "second",
    "ms",
    "hours",
    "days",
    "percent",
    "px",
    "gb",
    "mb",
    "kb",
    "files",
    "items",
    "errors",
    "warnings",
    "more",
    // Counted things: "error 50 people", "error 3 users had it".
    "people",
    "persons",
    "users",
    "user",
    "members",
    "players",
    "customers",
    "clients",
    "pcs",
    "computers",
    "machines",
    "devices",
    "laptops",
    "servers",
    "folders",
    "apps",
    "games",
    "updates",
    "lines",
    "rows",
    "entries",
    "weeks",
    "months",
    "years",
    "hour",
    "day",
    "mins",
    "secs",
    "bytes",
    "tb",
    "kib",
    "mib",
    "gib",
    "gigs",
    "megs",
    "copies",
    "attempts",
    "tries",
];

/// Single words that frame a stop code.
pub(crate) const STOP_WORDS: &[&str] = &[
    "bsod",
    "bsods",
    "bugcheck",
    "bugchecks",
    "bluescreen",
    "bluescreens",
    "stopcode",
];
/// First words of two-word stop framings ("stop code", "blue screen", "bug check").
pub(crate) const STOP_FIRST: &[&str] = &["stop", "blue", "bug"];
/// Second words of two-word stop framings.
pub(crate) const STOP_SECOND: &[&str] = &[
    "code", "error", "screen", "check", "codes", "errors", "screens", "checks",
];

/// Words before a hex value that make it an address, not a code.
pub(crate) const ADDRESS_WORDS: &[&str] = &[
    "offset", "address", "addr", "base", "rip", "eip", "rsp", "esp", "ptr", "pointer", "va", "rva",
    "pc",
];

/// Words before a bare hex string that make it a hash or an identifier.
pub(crate) const HASH_WORDS: &[&str] = &[
    "commit", "commits", "merged", "merge", "sha", "sha1", "sha256", "md5", "hash", "checksum",
    "crc", "rev", "revision", "id", "uuid", "guid", "serial", "order", "token", "key", "color",
    "colour",
];

/// Words that make a message about Windows (so "error 5" is a Win32 error).
pub(crate) const WINDOWS_WORDS: &[&str] = &[
    "windows",
    "win",
    "win7",
    "win8",
    "win10",
    "win11",
    "microsoft",
    "update",
    "updates",
    "updating",
    "install",
    "installer",
    "installing",
    "installation",
    "installs",
    "uninstall",
    "setup",
    "msi",
    "msiexec",
    "dism",
    "sfc",
    "service",
    "services",
    "win32",
    "getlasterror",
    "activation",
    "activate",
    "store",
    "backup",
    "upgrade",
    "driver",
    "drivers",
    "powershell",
    "cmd",
    "registry",
    "regedit",
    "defender",
    "explorer",
    "exe",
    "dll",
    "robocopy",
    "bitlocker",
    "onedrive",
    "xbox",
    "office",
    "outlook",
    "wsus",
    "sccm",
    "intune",
    "kms",
    "bsod",
    "system32",
    "appx",
    "msix",
    "winget",
    "chkdsk",
    "event",
    "eventvwr",
];

/// Words that make a message about a download from a web service, where a
/// short value such as 0x194 is an HTTP status (404), not a Win32 error.
pub(crate) const DOWNLOAD_WORDS: &[&str] = &[
    "store",
    "msstore",
    "xbox",
    "gamepass",
    "winget",
    "download",
    "downloading",
    "downloads",
    "http",
    "https",
    "server",
];

/// Words that make a message about installing software, where exit codes
/// such as 1603 are Windows Installer errors.
pub(crate) const INSTALLER_WORDS: &[&str] = &[
    "msi",
    "msiexec",
    "installer",
    "install",
    "installing",
    "installation",
    "uninstall",
    "setup",
    "installshield",
    "wix",
    "burn",
];

/// Whether any word of `text` (split on non-alphanumerics) is in `list`.
/// One pass over the text.
pub(crate) fn text_has_word(text: &[u8], list: &[&str]) -> bool {
    text.split(|b| !b.is_ascii_alphanumeric())
        .any(|w| !w.is_empty() && w.len() <= 16 && is_one_of(w, list))
}

/// Whether `text` contains `needle` (ASCII case-insensitive; `needle` is lower case).
pub(crate) fn contains_ci(text: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    !n.is_empty()
        && text.len() >= n.len()
        && text.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ws: &Words<'_>) -> Vec<String> {
        (0..ws.len())
            .map(|i| String::from_utf8_lossy(ws.get(i).unwrap()).into_owned())
            .collect()
    }

    #[test]
    fn words_before_are_nearest_first_and_skip_punctuation() {
        let t = b"The stop code: (0x7B)";
        let ws = Words::before(t, 16, 4, 80);
        assert_eq!(words(&ws), ["code", "stop", "The"]);
        assert!(ws.pair_before(STOP_FIRST, STOP_SECOND));
        assert!(!ws.pair_before(STOP_SECOND, STOP_FIRST));
    }

    #[test]
    fn byte_limit_drops_a_cut_word() {
        let t = b"abcdefgh error ";
        let ws = Words::before(t, t.len(), 4, 9);
        assert_eq!(words(&ws), ["error"]);
    }

    #[test]
    fn words_after_respect_limits() {
        let t = b"0x124 blue screen again and again";
        let ws = Words::after(t, 5, 3, 30);
        assert_eq!(words(&ws), ["blue", "screen", "again"]);
        assert!(ws.pair_after(STOP_FIRST, STOP_SECOND));
        let cut = Words::after(t, 5, 8, 9);
        assert_eq!(words(&cut), ["blue"]);
    }

    #[test]
    fn word_lists_match_case_insensitively() {
        assert!(text_has_word(b"My WINDOWS box", WINDOWS_WORDS));
        assert!(!text_has_word(b"my windowsill", WINDOWS_WORDS));
        assert!(contains_ci(b"Blue Screen", "blue screen"));
    }

    #[test]
    fn empty_and_edge_positions_do_not_panic() {
        assert_eq!(Words::before(b"", 0, 4, 80).len(), 0);
        assert_eq!(Words::after(b"", 0, 4, 80).len(), 0);
        assert_eq!(Words::before(b"abc", 99, 4, 80).len(), 1);
        assert_eq!(Words::after(b"abc", 99, 4, 80).len(), 0);
    }
}
