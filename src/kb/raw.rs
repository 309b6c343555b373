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
    pub family: S<String>,
    pub title: S<String>,
    pub fixes: Vec<S<String>>,
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
