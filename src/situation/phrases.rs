//! Finding many known phrases in a message in one pass: the message and
//! every phrase are cut into lower-case words (runs of letters and
//! digits), and each word of the message looks up the phrases that start
//! with it. Time grows with the message's words, not with the number of
//! phrases times the message's length.

use rustc_hash::FxHashMap;

/// At most this many words of a message are read; the rest of a long
/// pasted log says nothing about the situation that its start did not.
pub const MAX_WORDS: usize = 4000;

/// And at most this many bytes.
pub const MAX_BYTES: usize = 64 * 1024;

/// One word of a message: where it is and which sentence holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'t> {
    pub text: &'t str,
    pub sentence: u32,
}

/// A message cut into lower-case words (the text is lower-cased first,
/// so the words borrow from that copy).
#[derive(Debug)]
pub struct Words {
    lower: String,
    spans: Vec<(u32, u32, u32)>,
    /// Sentences that end with a question mark.
    questions: Vec<bool>,
}

impl Words {
    pub fn new(text: &str) -> Words {
        let mut end = text.len().min(MAX_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let lower = text[..end].to_lowercase();
        let mut spans = Vec::new();
        let mut questions = vec![false];
        let mut sentence = 0u32;
        let mut start: Option<usize> = None;
        for (i, c) in lower.char_indices() {
            if c.is_alphanumeric() {
                start.get_or_insert(i);
                continue;
            }
            if let Some(s) = start.take() {
                spans.push((s as u32, i as u32, sentence));
                if spans.len() >= MAX_WORDS {
                    break;
                }
            }
            // A full stop between digits (8.1, 10.0.19045) ends no sentence.
            let ends = matches!(c, '!' | '?' | '\n')
                || (c == '.' && !lower[i + 1..].starts_with(|n: char| n.is_ascii_digit()));
            if ends {
                if c == '?' {
                    questions[sentence as usize] = true;
                }
                if spans.last().is_some_and(|w| w.2 == sentence) {
                    sentence += 1;
                    questions.push(false);
                }
            }
        }
        if let Some(s) = start
            && spans.len() < MAX_WORDS
        {
            spans.push((s as u32, lower.len() as u32, sentence));
        }
        Words {
            lower,
            spans,
            questions,
        }
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<Word<'_>> {
        self.spans.get(i).map(|&(s, e, sentence)| Word {
            text: &self.lower[s as usize..e as usize],
            sentence,
        })
    }

    /// Does sentence `n` end with a question mark?
    pub fn is_question(&self, n: u32) -> bool {
        self.questions.get(n as usize).copied().unwrap_or(false)
    }

    /// The words of sentence `sentence` before word `i`.
    pub fn before_in_sentence(&self, i: usize) -> impl Iterator<Item = &str> {
        let sentence = self.spans.get(i).map_or(u32::MAX, |w| w.2);
        self.spans[..i.min(self.spans.len())]
            .iter()
            .rev()
            .take_while(move |w| w.2 == sentence)
            .map(|&(s, e, _)| &self.lower[s as usize..e as usize])
    }
}

/// Cuts a phrase as a message is cut.
pub fn phrase_words(phrase: &str) -> Vec<String> {
    let w = Words::new(phrase);
    (0..w.len())
        .filter_map(|i| w.get(i).map(|x| x.text.to_string()))
        .collect()
}

/// A set of phrases, each with a value of type `T`.
#[derive(Debug, Clone)]
pub struct PhraseSet<T> {
    /// First word -> (the other words, value).
    by_first: FxHashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T> Default for PhraseSet<T> {
    fn default() -> Self {
        PhraseSet {
            by_first: FxHashMap::default(),
        }
    }
}

/// A phrase found in a message: its value and the index of its first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'a, T> {
    pub value: &'a T,
    pub at: usize,
    pub len: usize,
}

impl<T> PhraseSet<T> {
    pub fn insert(&mut self, phrase: &str, value: T) {
        let mut words = phrase_words(phrase);
        if words.is_empty() {
            return;
        }
        let first = words.remove(0);
        self.by_first.entry(first).or_default().push((words, value));
    }

    /// Every phrase in `words`, in the order of the text; where several
    /// phrases start at the same word, all of them.
    pub fn find<'a>(&'a self, words: &Words) -> Vec<Hit<'a, T>> {
        let mut hits = Vec::new();
        for i in 0..words.len() {
            let Some(w) = words.get(i) else { break };
            let Some(cands) = self.by_first.get(w.text) else {
                continue;
            };
            for (rest, value) in cands {
                let all = rest
                    .iter()
                    .enumerate()
                    .all(|(k, r)| words.get(i + 1 + k).is_some_and(|x| x.text == r));
                if all {
                    hits.push(Hit {
                        value,
                        at: i,
                        len: rest.len() + 1,
                    });
                }
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_runs_of_letters_and_digits() {
        let w = Words::new("Ran SFC /scannow on Win 8.1; then DISM.");
        let all: Vec<&str> = (0..w.len()).map(|i| w.get(i).unwrap().text).collect();
        assert_eq!(
            all,
            [
                "ran", "sfc", "scannow", "on", "win", "8", "1", "then", "dism"
            ]
        );
    }

    #[test]
    fn sentences_end_at_stops_but_not_inside_numbers() {
        let w = Words::new("I run 10.0.19045. Should I reset it?\nyes");
        assert_eq!(w.get(4).unwrap().text, "19045");
        assert_eq!(
            w.get(4).unwrap().sentence,
            0,
            "19045 stays in the first sentence"
        );
        assert_eq!(w.get(5).unwrap().sentence, 1);
        assert!(w.is_question(1));
        assert!(!w.is_question(0));
        assert_eq!(w.get(9).unwrap().text, "yes");
        assert_eq!(w.get(9).unwrap().sentence, 2);
    }

    #[test]
    fn phrases_match_whole_words_in_order() {
        let mut set = PhraseSet::default();
        set.insert("sfc /scannow", 1);
        set.insert("windows 8.1", 2);
        set.insert("store", 3);
        let w = Words::new("ran sfc scannow on windows 8.1, then the microsoft store app");
        let found: Vec<i32> = set.find(&w).iter().map(|h| *h.value).collect();
        assert_eq!(found, [1, 2, 3]);
        let w = Words::new("restore points and windows 8");
        assert!(
            set.find(&w).is_empty(),
            "no match inside a word or on a prefix"
        );
    }

    #[test]
    fn only_the_first_words_of_a_huge_message_are_read() {
        let text = "word ".repeat(MAX_WORDS * 3);
        assert_eq!(Words::new(&text).len(), MAX_WORDS);
    }
}
