//! The knowledge base as the rest of hexhelp sees it: entries with their
//! fixes already resolved and in the order to try them.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

pub use super::facts::Facts;

/// How much a fix can go wrong, shown next to every fix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    #[default]
    Safe,
    Moderate,
    Destructive,
}

impl Risk {
    pub fn parse(s: &str) -> Option<Risk> {
        match s {
            "safe" => Some(Risk::Safe),
            "moderate" => Some(Risk::Moderate),
            "destructive" => Some(Risk::Destructive),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Safe => "safe",
            Risk::Moderate => "moderate",
            Risk::Destructive => "destructive",
        }
    }
}

impl fmt::Display for Risk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One fix: a short title and the steps to carry it out.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Fix {
    /// Shared fixes keep their own id; inline fixes get `<entry id>#<n>`.
    pub id: String,
    pub title: String,
    pub steps: Vec<String>,
    pub admin: bool,
    pub risk: Risk,
    /// How people say they already did this (lower-case phrases).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tried: Vec<String>,
    /// The Windows versions its steps are for; empty: every version.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// The cause it addresses, a topic of `facts/ruled-out.toml`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Fixes (by id) to try before this one: outcomes never move it ahead
    /// of them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
}

impl Fix {
    /// Are the fix's steps meant for Windows `version` (a version id)?
    pub fn fits_version(&self, version: &str) -> bool {
        fits(&self.versions, version)
    }
}

/// Does a list of version ids admit `version`? An empty list admits all;
/// `server` stands for every Windows Server release.
pub fn fits(versions: &[String], version: &str) -> bool {
    versions.is_empty()
        || versions
            .iter()
            .any(|v| v == version || (v == "server" && version.starts_with("server")))
}

/// One curated answer: the codes it covers, how people describe the
/// problem, why it happens and what to do about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Entry {
    pub id: String,
    /// The folder the entry lives in (`windows-update`, `activation`, ...).
    pub area: String,
    /// Path relative to the knowledge directory, for messages.
    pub path: String,
    pub codes: Vec<u32>,
    pub title: String,
    pub summary: String,
    pub symptoms: Vec<String>,
    pub causes: Vec<String>,
    /// In the order to try them.
    pub fixes: Vec<Fix>,
    pub ask_for: Option<String>,
    pub applies_to: Vec<String>,
    pub checked: String,
    /// The areas (ids of `facts/areas.toml`) the entry is for; its folder
    /// when the file names none.
    pub context: Vec<String>,
    /// The file names its context: the entry is a code's answer in one
    /// special setting, not its general one.
    #[serde(skip)]
    pub context_given: bool,
    /// Windows versions the entry is for; empty: every version.
    pub versions: Vec<String>,
    /// Where the order of its fixes comes from.
    pub sources: Vec<String>,
}

impl Entry {
    /// The entry's codes as `0x` and 8 upper-case hex digits.
    pub fn hex_codes(&self) -> Vec<String> {
        self.codes.iter().map(|&c| crate::codes::hex(c)).collect()
    }
}

/// The general ladder for codes that have no entry of their own: chosen
/// by symbolic-name prefix, then code range, then family.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Ladder {
    /// The family slug; empty for prefix and range ladders.
    pub family: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<(u32, u32)>,
    pub title: String,
    /// What codes of this kind usually mean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub fixes: Vec<Fix>,
}

impl Ladder {
    /// The key that names this ladder in button ids: its family slug, its
    /// prefix (upper case), or its range as `0x…-0x…`.
    pub fn key(&self) -> String {
        match (&self.prefix, self.range) {
            (Some(p), _) => p.clone(),
            (None, Some((a, b))) => format!("{}-{}", crate::codes::hex(a), crate::codes::hex(b)),
            (None, None) => self.family.clone(),
        }
    }
}

/// Extra vocabulary the matcher uses: abbreviations expanded before
/// matching and groups of words treated as one term.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vocabulary {
    /// `wu` -> `windows update`.
    pub abbreviations: Vec<(String, String)>,
    /// Each group's words are one term; the first word names it.
    pub synonyms: Vec<Vec<String>>,
    /// Words that mark a message as a problem report ("fails", "stuck",
    /// "denied"): chatter that merely mentions a familiar word lacks them.
    pub problem_words: Vec<String>,
}

/// A loaded, validated knowledge base.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    pub entries: Vec<Arc<Entry>>,
    /// Family ladders by family slug.
    pub ladders: HashMap<String, Arc<Ladder>>,
    /// Ladders by symbolic-name prefix or code range, most specific first.
    pub special_ladders: Vec<Arc<Ladder>>,
    pub shared_fixes: HashMap<String, Fix>,
    pub vocabulary: Vocabulary,
    pub facts: Facts,
    /// Ranking parameters and confidence weights (`ranking.toml`).
    pub ranking: super::ranking::Ranking,
    by_code: HashMap<u32, Vec<usize>>,
    by_id: HashMap<String, usize>,
}

impl KnowledgeBase {
    pub fn new(
        entries: Vec<Entry>,
        ladders: Vec<Ladder>,
        shared_fixes: HashMap<String, Fix>,
        vocabulary: Vocabulary,
    ) -> KnowledgeBase {
        let mut by_code: HashMap<u32, Vec<usize>> = HashMap::new();
        let mut by_id = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            by_id.insert(e.id.clone(), i);
            for &c in &e.codes {
                by_code.entry(c).or_default().push(i);
            }
        }
        // A code's general entry first, then those for special contexts.
        for list in by_code.values_mut() {
            list.sort_by_key(|&i| entries[i].context_given);
        }
        let (special, family): (Vec<Ladder>, Vec<Ladder>) = ladders
            .into_iter()
            .partition(|l| l.prefix.is_some() || l.range.is_some());
        let mut special_ladders: Vec<Arc<Ladder>> = special.into_iter().map(Arc::new).collect();
        // Longer prefixes and narrower ranges are more specific.
        special_ladders.sort_by_key(|l| match (&l.prefix, l.range) {
            (Some(p), _) => (0, u64::MAX - p.len() as u64),
            (None, Some((a, b))) => (1, u64::from(b - a)),
            (None, None) => (2, 0),
        });
        KnowledgeBase {
            entries: entries.into_iter().map(Arc::new).collect(),
            ladders: family
                .into_iter()
                .map(|l| (l.family.clone(), Arc::new(l)))
                .collect(),
            special_ladders,
            shared_fixes,
            vocabulary,
            facts: Facts::default(),
            ranking: Default::default(),
            by_code,
            by_id,
        }
    }

    /// The knowledge base with the facts that recognise versions, areas,
    /// tools and ruled-out causes in messages.
    pub fn with_facts(mut self, facts: Facts) -> KnowledgeBase {
        self.facts = facts;
        self
    }

    /// The knowledge base with fitted ranking parameters.
    pub fn with_ranking(mut self, ranking: super::ranking::Ranking) -> KnowledgeBase {
        self.ranking = ranking;
        self
    }

    /// The entry that answers `code` when nothing points at a context: its
    /// general entry (no `context` in its file) before special ones, then
    /// the one of the most general area (see [`KnowledgeBase::area_rank`]);
    /// file order breaks ties.
    pub fn entry_for_code(&self, code: u32) -> Option<&Arc<Entry>> {
        self.entries_for_code(code)
            .min_by_key(|e| (e.context_given, self.area_rank(e)))
    }

    /// How general the entry's context is: the position of its earliest
    /// area in `knowledge/facts/areas.toml`, which lists areas from the
    /// most general to the most specific. Unknown areas rank last.
    pub fn area_rank(&self, e: &Entry) -> usize {
        e.context
            .iter()
            .filter_map(|a| self.facts.areas.iter().position(|x| &x.id == a))
            .min()
            .unwrap_or(usize::MAX)
    }

    /// Every entry that claims `code`, each for its own context, in file
    /// order.
    pub fn entries_for_code(&self, code: u32) -> impl Iterator<Item = &Arc<Entry>> {
        self.by_code
            .get(&code)
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
    }

    /// The most specific ladder for a code without an entry: a ladder for
    /// its symbolic name's prefix, then for a range holding it, then its
    /// family's, then the generic one.
    pub fn ladder_for(&self, code: u32, names: &[&str], family: &str) -> Option<&Arc<Ladder>> {
        self.special_ladders
            .iter()
            .find(|l| {
                l.prefix
                    .as_ref()
                    .is_some_and(|p| names.iter().any(|n| n.starts_with(p.as_str())))
            })
            .or_else(|| {
                self.special_ladders
                    .iter()
                    .find(|l| l.range.is_some_and(|(a, b)| (a..=b).contains(&code)))
            })
            .or_else(|| self.ladder(family))
    }

    pub fn entry(&self, id: &str) -> Option<&Arc<Entry>> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    pub fn has_code(&self, code: u32) -> bool {
        self.by_code.contains_key(&code)
    }

    /// The ladder that [`Ladder::key`] names.
    pub fn ladder_by_key(&self, key: &str) -> Option<&Arc<Ladder>> {
        self.ladders
            .get(key)
            .or_else(|| self.special_ladders.iter().find(|l| l.key() == key))
    }

    /// The ladder for a family slug, falling back to the `generic` one.
    pub fn ladder(&self, family: &str) -> Option<&Arc<Ladder>> {
        self.ladders
            .get(family)
            .or_else(|| self.ladders.get("generic"))
    }

    pub fn code_count(&self) -> usize {
        self.by_code.len()
    }
}
