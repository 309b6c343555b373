//! The knowledge base as the rest of hexhelp sees it: entries with their
//! fixes already resolved and in the order to try them.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// How much a fix can go wrong, shown next to every fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    /// Shared fixes keep their own id; inline fixes get `<entry id>#<n>`.
    pub id: String,
    pub title: String,
    pub steps: Vec<String>,
    pub admin: bool,
    pub risk: Risk,
}

/// One curated answer: the codes it covers, how people describe the
/// problem, why it happens and what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
}

impl Entry {
    /// The entry's codes as `0x` and 8 upper-case hex digits.
    pub fn hex_codes(&self) -> Vec<String> {
        self.codes.iter().map(|&c| crate::codes::hex(c)).collect()
    }
}

/// The general ladder for a family of codes that has no entry of its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ladder {
    pub family: String,
    pub title: String,
    pub fixes: Vec<Fix>,
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
    pub ladders: HashMap<String, Arc<Ladder>>,
    pub shared_fixes: HashMap<String, Fix>,
    pub vocabulary: Vocabulary,
    by_code: HashMap<u32, usize>,
    by_id: HashMap<String, usize>,
}

impl KnowledgeBase {
    pub fn new(
        entries: Vec<Entry>,
        ladders: Vec<Ladder>,
        shared_fixes: HashMap<String, Fix>,
        vocabulary: Vocabulary,
    ) -> KnowledgeBase {
        let mut by_code = HashMap::new();
        let mut by_id = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            by_id.insert(e.id.clone(), i);
            for &c in &e.codes {
                by_code.entry(c).or_insert(i);
            }
        }
        KnowledgeBase {
            entries: entries.into_iter().map(Arc::new).collect(),
            ladders: ladders
                .into_iter()
                .map(|l| (l.family.clone(), Arc::new(l)))
                .collect(),
            shared_fixes,
            vocabulary,
            by_code,
            by_id,
        }
    }

    pub fn entry_for_code(&self, code: u32) -> Option<&Arc<Entry>> {
        self.by_code.get(&code).map(|&i| &self.entries[i])
    }

    pub fn entry(&self, id: &str) -> Option<&Arc<Entry>> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    pub fn has_code(&self, code: u32) -> bool {
        self.by_code.contains_key(&code)
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
