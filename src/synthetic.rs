//! Synthetic knowledge bases for benchmarks: many entries built from the
//! words of a real one, so that term frequencies look like real text.

use std::collections::HashMap;

use crate::kb::{Entry, Fix, KnowledgeBase, Risk, Vocabulary};
use crate::matching::text::raw_words;

/// A small deterministic generator (xorshift64*), so every run benchmarks
/// the same knowledge base.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `n` entries whose phrases are random word sequences drawn from `base`,
/// with the vocabulary of `base`; every entry gets one unique code.
pub fn knowledge_base(base: &KnowledgeBase, n: usize, seed: u64) -> KnowledgeBase {
    let mut words: Vec<String> = Vec::new();
    let mut seen: HashMap<String, ()> = HashMap::new();
    for e in &base.entries {
        for text in e
            .symptoms
            .iter()
            .chain(&e.causes)
            .chain([&e.title, &e.summary])
        {
            for w in raw_words(text) {
                if seen.insert(w.clone(), ()).is_none() {
                    words.push(w);
                }
            }
        }
    }
    if words.is_empty() {
        words.push("windows".into());
    }
    let mut rng = Rng(seed | 1);
    let phrase = |rng: &mut Rng, len: usize| -> String {
        (0..len)
            .map(|_| words[rng.below(words.len())].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let entries = (0..n)
        .map(|i| Entry {
            id: format!("synthetic-{i}"),
            area: "synthetic".into(),
            path: format!("synthetic/synthetic-{i}.toml"),
            codes: vec![0xA000_0000 | i as u32],
            title: phrase(&mut rng, 6),
            summary: phrase(&mut rng, 14),
            symptoms: (0..8).map(|_| phrase(&mut rng, 3 + i % 5)).collect(),
            causes: (0..2).map(|_| phrase(&mut rng, 12)).collect(),
            fixes: vec![Fix {
                id: format!("synthetic-{i}#1"),
                title: phrase(&mut rng, 4),
                steps: vec![phrase(&mut rng, 10)],
                admin: false,
                risk: Risk::Safe,
                ..Default::default()
            }],
            ask_for: None,
            applies_to: vec![],
            checked: "2026-11-27".into(),
            ..Default::default()
        })
        .collect();
    let vocab: Vocabulary = base.vocabulary.clone();
    KnowledgeBase::new(entries, Vec::new(), HashMap::new(), vocab)
}

/// Messages like those a help channel sees, for timing whole answers.
pub const TYPICAL_MESSAGES: &[&str] = &[
    "Windows Update keeps failing with 0x80070002 on the latest cumulative update, tried restarting already",
    "automatic backup to my external drive errors out every time since yesterday",
    "windwos updte servise is disabeld and wont start",
    "my laptop can't activate windows after I replaced the motherboard, says no product key",
    "thanks, that fixed it!",
];

/// A hostile message shape: its name and a maker of about `bytes` bytes.
pub type HostilePattern = (&'static str, fn(usize) -> String);

/// Every hostile message shape the benchmarks time at 1×, 4× and 16× size,
/// so that a shape that grows faster than its length shows up as a ratio.
pub const HOSTILE_PATTERNS: &[HostilePattern] = &[
    ("hex-looking tokens", |n| hostile_message(n, 3)),
    ("\"error 5\" repeated", |n| repeat_to("error 5 ", n)),
    ("\"error N\" named in words", error_numbers_named),
    ("stop-code framing", |n| {
        repeat_to("stop code 0x7B BSOD blue screen ", n)
    }),
    ("upgrade code and extend code", |n| {
        repeat_to("0xC1900101 - 0x4000D \u{2013} ", n)
    }),
    ("one long word", |n| "a".repeat(n)),
    ("URL schemes", |n| repeat_to("a://", n)),
    ("digit groups", |n| repeat_to("1,2.3 ", n)),
    ("zero-width characters", |n| {
        repeat_to("0x8007\u{200B}0002 e\u{301}rror ", n)
    }),
];

/// `unit` repeated up to about `bytes` bytes.
pub fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes.div_ceil(unit.len().max(1)))
}

/// "error N" for many Win32 numbers, with the words of their names in the
/// text, so each number needs its name looked up in the message.
fn error_numbers_named(bytes: usize) -> String {
    let mut s = String::from("access denied file not found path sharing violation ");
    let mut rng = Rng(11);
    while s.len() < bytes {
        s.push_str(&format!("error {} ", 1 + rng.below(1500)));
    }
    s
}

/// A message of about `bytes` bytes packed with hex-looking tokens, codes
/// and near-codes: the worst case for code extraction.
pub fn hostile_message(bytes: usize, seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    let mut s = String::with_capacity(bytes + 32);
    while s.len() < bytes {
        match rng.below(8) {
            0 => s.push_str(&format!("0x{:08X} ", rng.next() as u32)),
            1 => s.push_str(&format!("{:08x} ", rng.next() as u32)),
            2 => s.push_str(&format!("-{} ", rng.next() as u32)),
            3 => s.push_str(&format!("0x{:016x} ", rng.next())),
            4 => s.push_str("error code 0x80070002-0x20017 "),
            5 => s.push_str(&format!("#{:06X} ", rng.next() as u32 & 0xFF_FFFF)),
            6 => s.push_str("stop code 0x7B BSOD "),
            _ => s.push_str("update failed again "),
        }
    }
    s
}
