//! Turning free text into matching terms: split into words, expand
//! abbreviations, drop words that carry no meaning here, reduce each word
//! to a stem, and fold synonyms into one term.
//!
//! The same steps run over the knowledge base when it is indexed and over
//! every message, so both sides meet on the same terms.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::kb::Vocabulary;

/// Words that say nothing about which problem someone has.
pub const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anyone",
    "anybody",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "for",
    "from",
    "get",
    "gets",
    "getting",
    "got",
    "guys",
    "had",
    "has",
    "have",
    "having",
    "he",
    "hello",
    "help",
    "her",
    "here",
    "hey",
    "hi",
    "him",
    "his",
    "how",
    "i",
    "id",
    "if",
    "im",
    "in",
    "into",
    "is",
    "it",
    "its",
    "ive",
    "just",
    "keep",
    "keeps",
    "kind",
    "know",
    "like",
    "lol",
    "me",
    "mine",
    "my",
    "now",
    "of",
    "ok",
    "okay",
    "on",
    "one",
    "or",
    "our",
    "please",
    "pls",
    "plz",
    "really",
    "so",
    "some",
    "someone",
    "still",
    "than",
    "thanks",
    "thank",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "thx",
    "to",
    "too",
    "trying",
    "u",
    "up",
    "us",
    "very",
    "via",
    "was",
    "we",
    "were",
    "what",
    "whats",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "would",
    "ya",
    "yes",
    "you",
    "your",
    "yours",
    "yet",
    "anything",
    "something",
    "everything",
    "tried",
    "try",
    "says",
    "said",
    "say",
    "saying",
    "shows",
    "showing",
    "show",
    "see",
    "seems",
    "seem",
    "thing",
    "things",
    "way",
    "want",
    "wanted",
    "need",
    "needs",
    "should",
    "since",
    "because",
    "only",
    "even",
    "every",
    "other",
    "more",
    "most",
    "much",
    "many",
    "each",
    "both",
    "being",
    "ever",
    "over",
    "under",
    "until",
    "well",
    "idk",
    "tbh",
    "btw",
    "pc's",
    "s",
    "t",
    "d",
    "ll",
    "re",
    "ve",
    "m",
];

/// Normalises text into terms for one knowledge base's vocabulary.
#[derive(Debug, Clone, Default)]
pub struct Analyzer {
    abbreviations: HashMap<String, Vec<String>>,
    /// Stem -> canonical stem of its synonym group.
    synonyms: HashMap<String, String>,
    stop: HashSet<&'static str>,
    /// Terms of the vocabulary's problem words.
    problem: HashSet<String>,
}

/// A word of the text: its surface form (lower-cased) and its term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub surface: String,
    pub term: String,
}

/// At most this many words of a message are matched: a help request says
/// what it is about early, and the cap keeps hostile input cheap.
pub const MAX_WORDS: usize = 200;

impl Analyzer {
    pub fn new(vocab: &Vocabulary) -> Analyzer {
        let mut a = Analyzer {
            stop: STOPWORDS.iter().copied().collect(),
            ..Analyzer::default()
        };
        for (short, long) in &vocab.abbreviations {
            a.abbreviations.insert(
                short.clone(),
                long.split_whitespace().map(str::to_string).collect(),
            );
        }
        for group in &vocab.synonyms {
            let canon = stem(&group[0]);
            for w in group {
                a.synonyms.insert(stem(w), canon.clone());
            }
        }
        a.problem = vocab.problem_words.iter().map(|w| a.term(w)).collect();
        a
    }

    /// Does this term say something is wrong?
    pub fn is_problem(&self, term: &str) -> bool {
        self.problem.contains(term)
    }

    pub fn is_stopword(&self, w: &str) -> bool {
        self.stop.contains(w)
    }

    /// The term for one lower-cased word (after abbreviation expansion).
    pub fn term(&self, word: &str) -> String {
        let s = stem(word);
        match self.synonyms.get(&s) {
            Some(c) => c.clone(),
            None => s,
        }
    }

    /// The meaningful words of `text`, in order.
    pub fn words(&self, text: &str) -> Vec<Word> {
        self.words_up_to(text, MAX_WORDS)
    }

    /// The meaningful words among the first `max` words of `text`.
    pub fn words_up_to(&self, text: &str, max: usize) -> Vec<Word> {
        let mut out = Vec::new();
        for_each_raw_word(text, max, |raw| self.analyse(raw, |w| out.push(w)));
        out
    }

    /// The meaningful words one raw word (of [`raw_words`]) stands for:
    /// its expansion when it is an abbreviation, none when it is a stop
    /// word or a code, else itself.
    pub fn analyse(&self, raw: &str, mut f: impl FnMut(Word)) {
        match self.abbreviations.get(raw) {
            Some(expansion) => {
                for w in expansion {
                    if !self.is_stopword(w) {
                        f(Word {
                            surface: w.clone(),
                            term: self.term(w),
                        });
                    }
                }
            }
            None => {
                if !self.is_stopword(raw) && !is_noise_token(raw) {
                    f(Word {
                        surface: raw.to_string(),
                        term: self.term(raw),
                    });
                }
            }
        }
    }

    /// The abbreviations this analyzer expands.
    pub fn abbreviations(&self) -> impl Iterator<Item = &str> {
        self.abbreviations.keys().map(String::as_str)
    }
}

/// Calls `f` with each of the first `max` words [`raw_words`] yields,
/// without allocating a string per word.
pub fn for_each_raw_word(text: &str, max: usize, mut f: impl FnMut(&str)) {
    let mut left = max;
    if left == 0 {
        return;
    }
    let mut word = String::new();
    let mut emit = |word: &mut String| {
        f(word);
        word.clear();
        left -= 1;
        left == 0
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase());
            } else if c == '\''
                && !word.is_empty()
                && chars.peek().is_some_and(|n| n.is_alphanumeric())
            {
                // inside a word: skip
            } else if !word.is_empty() && emit(&mut word) {
                return;
            }
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if c == '’' && !word.is_empty() && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            // inside a word: skip
        } else if !word.is_empty() && emit(&mut word) {
            return;
        }
        if word.len() > 40 {
            // absurdly long runs are not words; cut them so work stays bounded
            while chars.peek().is_some_and(|n| n.is_alphanumeric()) {
                chars.next();
            }
            if emit(&mut word) {
                return;
            }
        }
    }
    if !word.is_empty() {
        emit(&mut word);
    }
}

/// Lower-cased words: letters and digits, apostrophes dropped inside a word
/// (`can't` -> `cant`), everything else a separator.
pub fn raw_words(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let mut word = String::new();
        while let Some((_, c)) = chars.next() {
            if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
            } else if (c == '\'' || c == '’')
                && !word.is_empty()
                && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric())
            {
                // inside a word: skip
            } else if !word.is_empty() {
                return Some(word);
            }
            if word.len() > 40 {
                // absurdly long runs are not words; cut them so work stays bounded
                while chars.peek().is_some_and(|(_, n)| n.is_alphanumeric()) {
                    chars.next();
                }
                return Some(std::mem::take(&mut word));
            }
        }
        (!word.is_empty()).then_some(word)
    })
}

/// Tokens that are codes, long numbers or hex runs: the code extractor deals
/// with those, and as words they would only add noise.
fn is_noise_token(w: &str) -> bool {
    let b = w.as_bytes();
    if b.len() > 24 {
        return true;
    }
    if b.len() > 2 && b[0] == b'0' && b[1] == b'x' {
        return true;
    }
    if b.iter().all(u8::is_ascii_digit) {
        return b.len() > 4;
    }
    b.len() >= 6 && b.iter().all(u8::is_ascii_hexdigit) && b.iter().any(u8::is_ascii_digit)
}

/// A light suffix-stripping stemmer for English help-chat words: enough to
/// fold plurals and verb forms (`updates`, `updating`, `updated` ->
/// `updat`) without the surprises of a full Porter stemmer on jargon.
pub fn stem(word: &str) -> String {
    let w = word;
    if !w.is_ascii() {
        return w.to_string();
    }
    if w.len() <= 3 {
        // `pcs` -> `pc`, `kbs` -> `kb`; keep `gas`, `bus`, `ios`
        let b = w.as_bytes();
        if b.len() == 3 && b[2] == b's' && !b"aeiousy".contains(&b[1]) {
            return w[..2].to_string();
        }
        return w.to_string();
    }
    if let Some(x) = w.strip_suffix("ies")
        && x.len() >= 2
    {
        return finish(&format!("{x}y"));
    }
    let s = if w.ends_with("sses") {
        &w[..w.len() - 2]
    } else if let Some(x) = w.strip_suffix("ing") {
        if x.len() >= 3 {
            return restore_e(undouble(x));
        }
        w
    } else if let Some(x) = w.strip_suffix("ed") {
        if x.len() >= 3 {
            return restore_e(undouble(x));
        }
        w
    } else if let Some(x) = w.strip_suffix("es") {
        let sibilant =
            x.ends_with("ss") || x.ends_with('x') || x.ends_with("ch") || x.ends_with("sh");
        match (x.len() >= 3, sibilant) {
            (true, true) => x,
            (true, false) => &w[..w.len() - 1],
            _ => w,
        }
    } else if let Some(x) = w.strip_suffix('s') {
        let keep = x.len() < 3 || x.ends_with('s') || x.ends_with('u') || x.ends_with('i');
        if keep { w } else { x }
    } else if let Some(x) = w.strip_suffix("ly") {
        if x.len() >= 4 { x } else { w }
    } else {
        w
    };
    finish(s)
}

fn finish(s: &str) -> String {
    let s = if s.len() > 4 {
        s.strip_suffix('e').unwrap_or(s)
    } else {
        s
    };
    s.to_string()
}

/// A short stem left by `-ed`/`-ing` that lost its `e` gets it back, so
/// `timed`, `timing`, `time` and `times` meet: consonant, vowel, consonant
/// (not w, x or y), three letters.
fn restore_e(s: &str) -> String {
    let b = s.as_bytes();
    let vowel = |c: u8| b"aeiou".contains(&c);
    if b.len() == 3 && !vowel(b[0]) && vowel(b[1]) && !vowel(b[2]) && !b"wxy".contains(&b[2]) {
        format!("{s}e")
    } else {
        finish(s)
    }
}

/// `stopp` -> `stop`, `runn` -> `run`; keeps `ll` and `ss` (`install`).
fn undouble(s: &str) -> &str {
    let b = s.as_bytes();
    let n = b.len();
    if n >= 3
        && b[n - 1] == b[n - 2]
        && !matches!(b[n - 1], b'l' | b's' | b'z')
        && !b"aeiou".contains(&b[n - 1])
    {
        &s[..n - 1]
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_fold_inflections() {
        for w in ["update", "updates", "updated", "updating"] {
            assert_eq!(stem(w), "updat", "{w}");
        }
        assert_eq!(stem("fails"), "fail");
        assert_eq!(stem("failed"), "fail");
        assert_eq!(stem("failing"), "fail");
        assert_eq!(stem("stopped"), "stop");
        assert_eq!(stem("installed"), "install");
        assert_eq!(stem("installing"), "install");
        assert_eq!(stem("batteries"), "battery");
        assert_eq!(stem("drives"), "driv");
        assert_eq!(stem("drive"), "driv");
        assert_eq!(stem("fixes"), "fix");
        assert_eq!(stem("access"), "access");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("disabled"), "disabl");
        assert_eq!(stem("disable"), "disabl");
        assert_eq!(stem("wsus"), "wsus");
        for w in ["time", "times", "timed", "timing"] {
            assert_eq!(stem(w), "time", "{w}");
        }
        assert_eq!(stem("fixed"), "fix");
        assert_eq!(stem("stopped"), "stop");
        assert_eq!(stem("pcs"), "pc");
        assert_eq!(stem("bus"), "bus");
        assert_eq!(stem("ios"), "ios");
    }

    #[test]
    fn words_drop_stopwords_and_codes() {
        let a = Analyzer::default();
        let mut a2 = a.clone();
        a2.stop = STOPWORDS.iter().copied().collect();
        let w: Vec<String> = a2
            .words("Hi, my update FAILS with 0x80070002!")
            .into_iter()
            .map(|w| w.term)
            .collect();
        assert_eq!(w, vec!["updat", "fail"]);
    }

    #[test]
    fn apostrophes_join_words() {
        let w: Vec<String> = raw_words("can't won’t 'quoted'").collect();
        assert_eq!(w, vec!["cant", "wont", "quoted"]);
    }

    #[test]
    fn abbreviations_and_synonyms_apply() {
        let vocab = Vocabulary {
            abbreviations: vec![("wu".into(), "windows update".into())],
            synonyms: vec![vec!["pc".into(), "computer".into(), "laptop".into()]],
            problem_words: vec!["broke".into()],
        };
        let a = Analyzer::new(&vocab);
        let w: Vec<String> = a
            .words("WU broke my laptop")
            .into_iter()
            .map(|w| w.term)
            .collect();
        assert_eq!(w, vec!["window", "updat", "brok", "pc"]);
        assert!(a.is_problem("brok"));
        assert!(!a.is_problem("pc"));
    }

    #[test]
    fn the_word_walker_yields_what_raw_words_yields() {
        let long = format!("x{}y é", "ab".repeat(30));
        let texts = [
            "can't won’t 'quoted' it's' ÉCOLE Straße İstanbul",
            "0x80070002, KB5034441; don''t a-b_c\td\n",
            long.as_str(),
            "",
            "'' ’x ‘y’ end'",
        ];
        for text in texts {
            let want: Vec<String> = raw_words(text).collect();
            for max in [0, 1, 3, usize::MAX] {
                let mut got = Vec::new();
                for_each_raw_word(text, max, |w| got.push(w.to_string()));
                let want: Vec<String> = want.iter().take(max).cloned().collect();
                assert_eq!(got, want, "{text:?} up to {max}");
            }
        }
    }

    #[test]
    fn long_runs_are_cut() {
        let s = "a".repeat(10_000);
        let w: Vec<String> = raw_words(&s).collect();
        assert_eq!(w.len(), 1);
        assert!(w[0].len() <= 41);
    }
}
