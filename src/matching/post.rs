//! Reading a post as a helper does: the title says most, the description
//! says the rest, and everything pasted around them (code blocks, logs,
//! stack traces, system-information dumps, issue-template headings and
//! their boilerplate, quoted replies) is set aside. Its words are not used
//! for matching: a template asks every reporter the same questions, and a
//! log names a hundred things that are not the problem.
//!
//! Codes are read elsewhere, from the whole text; this only decides which
//! words describe the problem. One pass over the lines, linear in the text.

/// Of a longer text only this many bytes are read for words: a help
/// request says what it is about long before this, and the cap keeps
/// hostile input cheap.
pub const MAX_POST_BYTES: usize = 24 * 1024;

/// A post split the way a helper reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Post {
    /// The first line, when more text follows it; empty otherwise.
    pub title: String,
    /// The description: the lines that are the author's own words.
    pub body: String,
    /// How many lines were set aside as code, logs, templates or quotes.
    pub set_aside: usize,
}

/// Words of template headings that ask for facts rather than for the
/// problem: the lines under such a heading are answers to a form.
const DUMP_HEADINGS: &[&str] = &[
    "version",
    "versions",
    "environment",
    "system",
    "log",
    "logs",
    "output",
    "hardware",
    "architecture",
    "specifications",
    "specs",
    "checksum",
    "kernel",
    "platform",
    "package",
    "build",
    "capacity",
    "manufacturer",
    "style",
    "model",
    "mode",
    "attachments",
    "screenshots",
    "screenshot",
    "checklist",
    "prerequisites",
    "confirmation",
    "acknowledgement",
    "trace",
    "dump",
    "installed",
    "config",
    "configuration",
];

/// Sentences that issue templates put in every report.
const BOILERPLATE: &[&str] = &[
    "a clear and concise description",
    "steps to reproduce the behavior",
    "steps to reproduce the behaviour",
    "if applicable, add screenshots",
    "add any other context",
    "please complete the following information",
    "i have searched",
    "i've searched",
    "i searched the existing",
    "i have read the",
    "i've read the",
    "i agree to follow",
    "e.g. chrome",
    "[e.g.",
    "describe the bug",
    "to reproduce",
    "expected behavior",
    "expected behaviour",
    "actual behavior",
    "actual behaviour",
    "steps to reproduce",
    "what did you expect",
    "what happened instead",
];

/// Keys of `key: value` lines that describe the machine, not the problem.
const SYSINFO_KEYS: &[&str] = &[
    "os",
    "os name",
    "os version",
    "os build",
    "version",
    "build",
    "edition",
    "windows version",
    "windows build",
    "processor",
    "cpu",
    "gpu",
    "ram",
    "memory",
    "installed ram",
    "system type",
    "system model",
    "system manufacturer",
    "device",
    "device name",
    "browser",
    "architecture",
    "bios",
    "bios version",
    "bios mode",
    "motherboard",
    "baseboard",
    "kernel",
    "kernel version",
    "distro",
    "platform",
    "graphics",
    "display",
    "storage",
    "disk",
    "locale",
    "language",
    "app version",
    "product version",
];

impl Post {
    /// Splits `text` into title, description and the parts set aside.
    pub fn read(text: &str) -> Post {
        let text = cut(text, MAX_POST_BYTES);
        let mut lines = text.lines().peekable();
        while lines.next_if(|l| l.trim().is_empty()).is_some() {}
        let first = lines.next().unwrap_or("");
        let rest_has_text = lines.clone().any(|l| !l.trim().is_empty());
        let mut post = Post::default();
        let mut state = State::default();
        // one scratch buffer for every line's link removal
        let mut scratch = String::new();
        if rest_has_text {
            push_clean(
                &mut post.title,
                heading(first.trim()).unwrap_or(first),
                &mut scratch,
            );
        } else {
            // A one-line message is all description.
            lines = text.lines().peekable();
        }
        post.body.reserve(text.len());
        // the raw lines of a run of `key: value` lines, cleaned when kept
        let mut kv_run: Vec<&str> = Vec::new();
        for line in lines {
            if state.set_aside(line) {
                post.set_aside += 1;
                flush(&mut kv_run, &mut post.body, &mut scratch);
                continue;
            }
            match key_value(line) {
                Some(key) if SYSINFO_KEYS.contains(&key.as_str()) => {
                    post.set_aside += 1;
                    flush(&mut kv_run, &mut post.body, &mut scratch);
                }
                Some(_) => kv_run.push(line),
                None => {
                    if kv_run.len() >= 3 {
                        // three `key: value` lines in a row are a dump
                        post.set_aside += kv_run.len();
                        kv_run.clear();
                    }
                    flush(&mut kv_run, &mut post.body, &mut scratch);
                    push_clean(&mut post.body, line, &mut scratch);
                }
            }
        }
        if kv_run.len() >= 3 {
            post.set_aside += kv_run.len();
            kv_run.clear();
        }
        flush(&mut kv_run, &mut post.body, &mut scratch);
        post
    }
}

/// Where the reader is: inside a fence, a comment, a dump section.
#[derive(Default)]
struct State {
    fence: Option<&'static str>,
    comment: bool,
    dump_section: bool,
}

impl State {
    /// Is `line` set aside? Updates the state for the lines after it.
    fn set_aside(&mut self, line: &str) -> bool {
        let t = line.trim();
        if let Some(f) = self.fence {
            if t.starts_with(f) {
                self.fence = None;
            }
            return true;
        }
        if self.comment {
            if t.contains("-->") {
                self.comment = false;
            }
            return true;
        }
        for f in ["```", "~~~"] {
            if t.starts_with(f) {
                self.fence = Some(f);
                return true;
            }
        }
        if t.starts_with("<!--") {
            self.comment = !t.contains("-->");
            return true;
        }
        if let Some(words) = heading(t) {
            self.dump_section = words
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| DUMP_HEADINGS.contains(&w.to_lowercase().as_str()));
            return true;
        }
        if t.is_empty() {
            return false;
        }
        self.dump_section
            || t.starts_with('>')
            || is_checkbox(t)
            || is_indented_code(line)
            || is_boilerplate(t)
            || is_log_line(t)
    }
}

/// The words of a heading line: `### Windows Version`, `**Describe the
/// bug**`, `Steps to reproduce:` on a line of its own.
fn heading(t: &str) -> Option<&str> {
    if let Some(h) = t.strip_prefix('#') {
        let h = h
            .trim_start_matches('#')
            .trim()
            .trim_end_matches('#')
            .trim();
        return Some(h);
    }
    let bold = t
        .strip_prefix("**")
        .and_then(|s| s.strip_suffix("**").or_else(|| s.strip_suffix("**:")));
    if let Some(b) = bold
        && !b.contains("**")
        && b.split_whitespace().count() <= 8
    {
        return Some(b);
    }
    None
}

fn is_checkbox(t: &str) -> bool {
    let t = t.trim_start_matches(['-', '*', ' ']);
    t.starts_with("[x]") || t.starts_with("[X]") || t.starts_with("[ ]")
}

/// Four spaces or a tab that is not a nested list item.
fn is_indented_code(line: &str) -> bool {
    let indented = line.starts_with('\t') || line.starts_with("    ");
    if !indented {
        return false;
    }
    let t = line.trim_start();
    !(t.starts_with("- ") || t.starts_with("* ") || starts_numbered(t))
}

fn starts_numbered(t: &str) -> bool {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(t.as_bytes().get(digits), Some(b'.' | b')'))
}

fn is_boilerplate(t: &str) -> bool {
    // lower-casing keeps the whitespace, so the words are counted first
    if t.split_whitespace().count() > 14 {
        return false;
    }
    let lower = t.to_lowercase();
    BOILERPLATE.iter().any(|b| lower.contains(b))
}

/// A line of a pasted log, trace or dump rather than a sentence.
fn is_log_line(t: &str) -> bool {
    let b = t.as_bytes();
    let digit = |i: usize| b[i].is_ascii_digit();
    let mut backslashes = 0usize;
    // one pass: a time of day (12:34:56) or a date (2024-05-01,
    // 01/05/2024) around each separator, and the backslashes of paths
    for (i, &c) in b.iter().enumerate() {
        match c {
            b':' if i >= 2 && i + 6 <= b.len() => {
                let j = i - 2;
                if digit(j)
                    && digit(j + 1)
                    && digit(j + 3)
                    && digit(j + 4)
                    && b[j + 5] == b':'
                    && digit(j + 6)
                    && digit(j + 7)
                {
                    return true;
                }
            }
            b'-' | b'/' | b'.' if i >= 4 && i + 6 <= b.len() => {
                let j = i - 4;
                if (j..j + 4).all(digit)
                    && digit(j + 5)
                    && digit(j + 6)
                    && b[j + 7] == c
                    && digit(j + 8)
                    && digit(j + 9)
                {
                    return true;
                }
            }
            b'\\' => backslashes += 1,
            _ => {}
        }
    }
    // stack frames: `at Foo.Bar(...)`, `File "x.py", line 3`, `#3 0x...`
    if (t.starts_with("at ") && t.contains('(') && t.contains('.'))
        || (t.starts_with("File \"") && t.contains(", line "))
        || t.starts_with("Traceback (")
        || t.starts_with("Exception in ")
        || (t.starts_with('#') && t.contains(" 0x"))
    {
        return true;
    }
    // a path on a line of its own
    let drive = b.len() > 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\';
    if drive || backslashes >= 3 {
        return true;
    }
    // hex dumps and address lists: mostly hexadecimal tokens
    let (mut tokens, mut hexy) = (0usize, 0usize);
    for w in t.split_whitespace() {
        tokens += 1;
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let w = w.strip_prefix("0x").unwrap_or(w);
        if w.len() >= 2
            && w.bytes().all(|c| c.is_ascii_hexdigit())
            && w.bytes().any(|c| c.is_ascii_digit())
        {
            hexy += 1;
        }
    }
    if tokens >= 4 && hexy * 2 >= tokens {
        return true;
    }
    // paths, JSON, registry dumps: few letters among the characters
    let (mut letters, mut others) = (0usize, 0usize);
    if t.is_ascii() {
        for &c in b {
            if c.is_ascii_alphabetic() {
                letters += 1;
            } else if !matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
                others += 1;
            }
        }
    } else {
        for c in t.chars() {
            if c.is_alphabetic() {
                letters += 1;
            } else if !c.is_whitespace() {
                others += 1;
            }
        }
    }
    letters + others >= 12 && letters * 5 < (letters + others) * 3 && !t.contains(". ")
}

/// `Key: value` with a short key, lower-cased; none for sentences.
fn key_value(line: &str) -> Option<String> {
    let t = line.trim().trim_start_matches(['-', '*', ' ']);
    let (key, value) = t.split_once(':')?;
    let key = key.trim().trim_matches('*').trim();
    if key.is_empty()
        || value.trim().is_empty()
        || key.split_whitespace().count() > 4
        || value.split_whitespace().count() > 8
        || value.contains(", ")
        || value.trim_end().ends_with('.')
        || value.starts_with("//")
        || !key
            .chars()
            .all(|c| c.is_alphanumeric() || " ._()/-".contains(c))
    {
        return None;
    }
    Some(key.to_lowercase())
}

fn flush(run: &mut Vec<&str>, body: &mut String, scratch: &mut String) {
    for l in run.drain(..) {
        push_clean(body, l, scratch);
    }
}

/// Appends `line` without its links ([`clean_into`]) to `body` as a line of its
/// own; nothing when no words are left.
fn push_clean(body: &mut String, line: &str, scratch: &mut String) {
    let before = body.len();
    if !body.is_empty() {
        body.push('\n');
    }
    let start = body.len();
    clean_into(line, body, scratch);
    if body.len() == start {
        body.truncate(before);
    }
}

/// Appends `line` without its links to `out`: images, URLs and their
/// domain words say nothing about the problem (the text of `[text](url)`
/// stays). `text` is scratch space.
fn clean_into(line: &str, out: &mut String, text: &mut String) {
    let text = if line.contains(['[', ']']) {
        text.clear();
        let mut rest = line;
        while let Some(i) = rest.find(['[', ']']) {
            let (before, after) = rest.split_at(i);
            let image = before.ends_with('!');
            text.push_str(before.strip_suffix('!').unwrap_or(before));
            if after.starts_with("](") {
                // the address of a link: skip to its closing parenthesis
                rest = after.find(')').map_or("", |j| &after[j + 1..]);
            } else if image {
                // an image: its alt text and address both go
                rest = match after.find("](") {
                    Some(j) => after[j..].find(')').map_or("", |k| &after[j + k + 1..]),
                    None => &after[1..],
                };
            } else {
                rest = &after[1..];
            }
        }
        text.push_str(rest);
        text.as_str()
    } else {
        line
    };
    let start = out.len();
    for w in text.split_whitespace() {
        if w.contains("://") || w.starts_with("www.") {
            continue;
        }
        if out.len() > start {
            out.push(' ');
        }
        out.push_str(w);
    }
}

/// At most `max` bytes of `text`, cut at a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_is_the_title_when_more_follows() {
        let p = Post::read("Store won't download\n\nEvery app sits at pending.");
        assert_eq!(p.title, "Store won't download");
        assert_eq!(p.body, "Every app sits at pending.");
        let one = Post::read("my updates fail every night");
        assert_eq!(one.title, "");
        assert_eq!(one.body, "my updates fail every night");
    }

    #[test]
    fn code_blocks_logs_and_quotes_are_set_aside() {
        let text = "Backup fails\n\nThe nightly image backup stops halfway.\n\
                    ```\nvolume shadow copy failed writer timeout\n```\n\
                    2024-05-01 12:30:11, Error CSI mismatch\n\
                    > did you try another disk?\n\
                    \tGet-WBJob -Previous 1\n\
                    It worked last month.";
        let p = Post::read(text);
        assert_eq!(
            p.body,
            "The nightly image backup stops halfway.\nIt worked last month."
        );
        assert_eq!(p.set_aside, 6);
    }

    #[test]
    fn template_headings_and_boilerplate_are_set_aside() {
        let text = "WSL hangs at start\n\n### Windows Version\n\nMicrosoft Windows 10.0.22631\n\n\
                    ### Describe the bug\nA clear and concise description of what the bug is.\n\
                    The terminal stays black after I open Ubuntu.\n\
                    - [x] I have searched the existing issues\n\
                    **Expected behavior**\nIt starts.";
        let p = Post::read(text);
        assert_eq!(p.title, "WSL hangs at start");
        assert_eq!(
            p.body,
            "The terminal stays black after I open Ubuntu.\nIt starts."
        );
    }

    #[test]
    fn system_information_dumps_are_set_aside_but_sentences_with_colons_stay() {
        let text = "Laptop restarts\n\nOS: Windows 11 Pro\nRAM: 16 GB\n\
                    Note: it only happens on battery, the screen goes blue first.\n\
                    Brand: Lenovo\nModel year: 2021\nColour: grey";
        let p = Post::read(text);
        assert_eq!(
            p.body,
            "Note: it only happens on battery, the screen goes blue first."
        );
    }

    #[test]
    fn stack_traces_and_hex_dumps_are_set_aside() {
        let text = "Installer crashes\n\nIt closes right after the licence page.\n\
                    at System.IO.File.Open(String path)\n\
                    fffff801`1a2b3c4d 00000000 0000000a ffffa40f\n\
                    C:\\Program Files\\App\\bin\\x64\\setup.exe";
        let p = Post::read(text);
        assert_eq!(p.body, "It closes right after the licence page.");
        assert_eq!(p.set_aside, 3);
    }

    #[test]
    fn links_lose_their_addresses_and_keep_their_text() {
        let p = Post::read(
            "t\n\nsee ![shot](https://x.io/a.png) and [the guide](https://x.io/g) https://y.org/z",
        );
        assert_eq!(p.body, "see and the guide");
    }

    #[test]
    fn a_long_post_is_read_whole() {
        let sentence = "the update stops at a different percentage every time I try. ";
        let text = format!("Update stuck\n\n{}", sentence.repeat(30));
        let p = Post::read(&text);
        assert_eq!(p.body.split_whitespace().count(), 11 * 30);
    }

    #[test]
    fn hostile_input_is_cut_and_never_panics() {
        let text = "é".repeat(MAX_POST_BYTES);
        let p = Post::read(&text);
        assert!(p.body.len() <= MAX_POST_BYTES);
        let _ = Post::read("```");
        let _ = Post::read("<!-- never closed");
        let _ = Post::read("\n\n\n");
    }
}
