//! The files as written, with the position of every value so that
//! problems can name a line. Only `load` reads these.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

pub(crate) type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEntry {
    pub id: S<String>,
    pub codes: S<Vec<S<String>>>,
    pub title: S<String>,
    pub summary: S<String>,
    #[serde(default)]
    pub applies_to: Vec<String>,
    pub checked: S<toml::value::Datetime>,
    pub symptoms: S<Vec<S<String>>>,
    pub causes: S<Vec<S<String>>>,
    #[serde(default)]
    pub ask_for: Option<S<String>>,
    #[serde(default)]
    pub fixes: Option<S<Vec<S<RawFix>>>>,
    #[serde(default)]
    pub context: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub versions: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub sources: Vec<S<String>>,
}

/// A fix in an entry's list: a reference (`use`) or written out in place.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFix {
    #[serde(rename = "use")]
    pub use_id: Option<S<String>>,
    pub id: Option<S<String>>,
    pub title: Option<S<String>>,
    pub steps: Option<S<Vec<S<String>>>>,
    pub admin: Option<bool>,
    pub risk: Option<S<String>>,
    #[serde(default)]
    pub tried: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub versions: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub topic: Option<S<String>>,
    /// Ids of fixes to try first (prerequisites).
    #[serde(default)]
    pub after: Option<S<Vec<S<String>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFixFile {
    #[serde(default)]
    pub fix: Vec<S<RawFix>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLadders {
    #[serde(default)]
    pub ladder: Vec<S<RawLadder>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLadder {
    #[serde(default)]
    pub family: Option<S<String>>,
    /// A symbolic-name prefix such as `HCS_E_`.
    #[serde(default)]
    pub prefix: Option<S<String>>,
    /// An inclusive range of codes, `["0x80073C00", "0x80073DFF"]`.
    #[serde(default)]
    pub range: Option<S<Vec<S<String>>>>,
    pub title: S<String>,
    #[serde(default)]
    pub summary: Option<S<String>>,
    pub fixes: Vec<S<String>>,
}

/// `knowledge/facts/*.toml`: what a message says besides its codes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFacts {
    #[serde(default)]
    pub area: Vec<S<RawArea>>,
    #[serde(default)]
    pub version: Vec<S<RawVersion>>,
    #[serde(default)]
    pub build: Vec<S<RawBuild>>,
    #[serde(default)]
    pub tool: Vec<S<RawTool>>,
    #[serde(default)]
    pub topic: Vec<S<RawTopic>>,
    #[serde(default)]
    pub context_weights: Option<S<BTreeMap<String, f32>>>,
    /// Other products and kinds of message: the same shape as a topic.
    #[serde(default)]
    pub offtopic: Vec<S<RawTopic>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawArea {
    pub id: S<String>,
    pub name: S<String>,
    pub words: Vec<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVersion {
    pub id: S<String>,
    pub name: S<String>,
    pub words: Vec<S<String>>,
    #[serde(default)]
    pub supported: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBuild {
    pub build: u32,
    pub version: S<String>,
    pub name: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTool {
    pub id: S<String>,
    pub name: S<String>,
    pub words: Vec<S<String>>,
    pub kind: S<String>,
    pub breaks: Vec<S<String>>,
    pub cause: S<String>,
    pub fix: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTopic {
    pub id: S<String>,
    pub name: S<String>,
    pub words: Vec<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVocabulary {
    #[serde(default)]
    pub abbreviations: BTreeMap<String, String>,
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
    #[serde(default)]
    pub problem_words: Vec<String>,
}
