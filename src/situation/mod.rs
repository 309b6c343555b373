//! What a message says besides its codes: which Windows it is about, the
//! area or product, third-party tools known to break things, the fixes the
//! person already tried and the causes they ruled out. The words for each
//! live in `knowledge/facts/` and in the fixes' `tried` phrases, so the
//! community extends them without touching Rust.
//!
//! A [`Reader`] is built once per knowledge base; reading a message is one
//! pass over its first words ([`phrases::MAX_WORDS`]).

pub mod phrases;

use serde::Serialize;

use crate::kb::KnowledgeBase;
use phrases::{PhraseSet, Words};

/// Words that, before a phrase in the same sentence, say the person has
/// not done it ("should I run sfc", "haven't tried a clean boot").
const NOT_DONE: &[&str] = &[
    "should",
    "haven",
    "havent",
    "didn",
    "didnt",
    "not",
    "never",
    "how",
    "can",
    "could",
    "will",
    "would",
    "if",
    "suggested",
    "suggest",
    "recommend",
    "recommended",
    "want",
    "need",
];

/// The Windows version a message names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionSeen {
    /// A version id (`7`, `10`, `server2019`...).
    pub id: String,
    /// "Windows 10 22H2" for a build, the version's name otherwise.
    pub name: String,
    pub supported: bool,
}

/// What the message says besides its codes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Situation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<VersionSeen>,
    /// Area ids with how many times their words appear, most first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<(String, u32)>,
    /// Ids of the tools named, in the order of the text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<String>,
    /// Ids of every fix the person says they already did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tried: Vec<String>,
    /// Topic ids of the causes they ruled out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ruled_out: Vec<String>,
    /// Other products or kinds of message named (`offtopic.toml`), with
    /// how many times, most first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offtopic: Vec<(String, u32)>,
}

impl Situation {
    /// How often the message names area `id`.
    pub fn area_hits(&self, id: &str) -> u32 {
        self.areas
            .iter()
            .find(|(a, _)| a == id)
            .map_or(0, |(_, n)| *n)
    }

    /// How many words of other products the message uses.
    pub fn offtopic_hits(&self) -> u32 {
        self.offtopic.iter().map(|(_, n)| n).sum()
    }

    pub fn tried(&self, fix_id: &str) -> bool {
        self.tried.iter().any(|t| t == fix_id)
    }

    pub fn ruled_out(&self, topic: &str) -> bool {
        self.ruled_out.iter().any(|t| t == topic)
    }
}

#[derive(Debug, Clone)]
enum Target {
    Area(usize),
    Version(usize),
    Tool(usize),
    Topic(usize),
    Offtopic(usize),
    /// A fix id.
    Tried(String),
}

/// Reads situations for one knowledge base.
#[derive(Debug, Clone, Default)]
pub struct Reader {
    set: PhraseSet<Target>,
    area_ids: Vec<String>,
    versions: Vec<(String, String, bool)>,
    tools: Vec<String>,
    topics: Vec<String>,
    offtopic: Vec<String>,
}

impl Reader {
    pub fn new(kb: &KnowledgeBase) -> Reader {
        let facts = &kb.facts;
        let mut set = PhraseSet::default();
        for (i, a) in facts.areas.iter().enumerate() {
            for w in &a.words {
                set.insert(w, Target::Area(i));
            }
        }
        for (i, v) in facts.versions.iter().enumerate() {
            for w in &v.words {
                set.insert(w, Target::Version(i));
            }
        }
        for (i, t) in facts.tools.iter().enumerate() {
            for w in &t.words {
                set.insert(w, Target::Tool(i));
            }
        }
        for (i, t) in facts.topics.iter().enumerate() {
            for w in &t.words {
                set.insert(w, Target::Topic(i));
            }
        }
        for (i, t) in facts.offtopic.iter().enumerate() {
            for w in &t.words {
                set.insert(w, Target::Offtopic(i));
            }
        }
        let mut seen = std::collections::HashSet::new();
        // Shared fixes in id order: a phrase two fixes share must read the
        // same way on every run, whatever the map's order.
        let mut shared: Vec<_> = kb.shared_fixes.values().collect();
        shared.sort_by(|a, b| a.id.cmp(&b.id));
        let fixes = shared
            .into_iter()
            .chain(kb.entries.iter().flat_map(|e| e.fixes.iter()))
            .chain(facts.tools.iter().map(|t| &t.fix));
        for fix in fixes {
            if !seen.insert(fix.id.clone()) {
                continue;
            }
            for w in &fix.tried {
                set.insert(w, Target::Tried(fix.id.clone()));
            }
        }
        Reader {
            set,
            area_ids: facts.areas.iter().map(|a| a.id.clone()).collect(),
            versions: facts
                .versions
                .iter()
                .map(|v| (v.id.clone(), v.name.clone(), v.supported))
                .collect(),
            tools: facts.tools.iter().map(|t| t.id.clone()).collect(),
            topics: facts.topics.iter().map(|t| t.id.clone()).collect(),
            offtopic: facts.offtopic.iter().map(|t| t.id.clone()).collect(),
        }
    }

    /// The situation `text` describes.
    pub fn read(&self, kb: &KnowledgeBase, text: &str) -> Situation {
        let words = Words::new(text);
        let mut s = Situation::default();
        let mut area_hits = vec![0u32; self.area_ids.len()];
        let mut version: Option<usize> = None;
        let mut offtopic = vec![0u32; self.offtopic.len()];
        for hit in self.set.find(&words) {
            match hit.value {
                Target::Area(i) => area_hits[*i] += 1,
                Target::Version(i) => {
                    version.get_or_insert(*i);
                }
                Target::Tool(i) => push_once(&mut s.tools, &self.tools[*i]),
                Target::Topic(i) => push_once(&mut s.ruled_out, &self.topics[*i]),
                Target::Offtopic(i) => offtopic[*i] += 1,
                Target::Tried(id) => {
                    if done(&words, hit.at) {
                        push_once(&mut s.tried, id);
                    }
                }
            }
        }
        let mut areas: Vec<(String, u32)> = self
            .area_ids
            .iter()
            .zip(area_hits)
            .filter(|(_, n)| *n > 0)
            .map(|(a, n)| (a.clone(), n))
            .collect();
        areas.sort_by_key(|a| std::cmp::Reverse(a.1));
        s.areas = areas;
        s.offtopic = counted(&self.offtopic, offtopic);
        // A build number names the release exactly; words name the version.
        // When the two disagree ("Vista" beside an agent's 7.6.7600.256),
        // the number belongs to something else and the words win; only
        // Windows 10 and 11, which people mix up, defer to the build.
        let named = version.map(|i| self.versions[i].0.as_str());
        let current = |id: &str| id == "10" || id == "11";
        s.version = build_in(kb, &words)
            .filter(|b| {
                named.is_none_or(|id| id == b.version || (current(id) && current(&b.version)))
            })
            .map(|b| VersionSeen {
                id: b.version.clone(),
                name: b.name.clone(),
                supported: kb.facts.version(&b.version).is_none_or(|v| v.supported),
            })
            .or_else(|| {
                version.map(|i| {
                    let (id, name, supported) = &self.versions[i];
                    VersionSeen {
                        id: id.clone(),
                        name: name.clone(),
                        supported: *supported,
                    }
                })
            });
        s
    }
}

/// The ids with a count above 0, most first.
fn counted(ids: &[String], counts: Vec<u32>) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = ids
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(a, n)| (a.clone(), n))
        .collect();
    out.sort_by_key(|a| std::cmp::Reverse(a.1));
    out
}

fn push_once(list: &mut Vec<String>, id: &str) {
    if !list.iter().any(|x| x == id) {
        list.push(id.to_string());
    }
}

/// Is the phrase at word `at` something the person did, not something they
/// ask about or have not done?
fn done(words: &Words, at: usize) -> bool {
    let Some(w) = words.get(at) else { return false };
    if words.is_question(w.sentence) {
        return false;
    }
    !words
        .before_in_sentence(at)
        .take(6)
        .any(|b| NOT_DONE.contains(&b))
}

/// The first known build number in the message (4 or 5 digits, alone or
/// in a version string such as 10.0.19045.4291).
fn build_in<'k>(kb: &'k KnowledgeBase, words: &Words) -> Option<&'k crate::kb::facts::Build> {
    (0..words.len()).find_map(|i| {
        let w = words.get(i)?.text;
        if !(4..=5).contains(&w.len()) || !w.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        kb.facts.build(w.parse().ok()?)
    })
}
