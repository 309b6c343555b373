//! The curated knowledge base: entries, shared fixes, family ladders and
//! matcher vocabulary, loaded from `knowledge/` (bundled into the binary or
//! read from a directory) and validated with file-and-line problems.

pub mod demand;
pub mod facts;
mod facts_load;
mod files;
pub mod freshness;
mod load;
mod model;
mod prereq;
mod problem;
mod ranking;
mod raw;
mod text_check;

pub use facts::Facts;
pub use facts_load::VERSION_IDS;
pub use files::{MAX_DEPTH, MAX_FILE_BYTES, MAX_FILES};
pub use load::{SourceFile, bundled_sources, dir_sources, load, parse_code};
pub use model::{Entry, Fix, KnowledgeBase, Ladder, Risk, Vocabulary, fits};
pub use problem::{Problem, Problems};
pub use ranking::{Bm25fParams, ConfidenceWeights, FEATURES, Ranking};

use std::path::Path;

/// Limits on knowledge text, so that every entry fits a Discord embed
/// (title 256, field 1,024, description 4,096 characters).
pub mod limits {
    pub const TITLE: usize = 200;
    pub const SUMMARY: usize = 300;
    pub const SYMPTOM: usize = 200;
    pub const CAUSE: usize = 300;
    pub const FIX_TITLE: usize = 100;
    /// The numbered steps of one fix, as rendered.
    pub const FIX_STEPS: usize = 1000;
    pub const ASK_FOR: usize = 500;
    /// One embed field.
    pub const FIELD: usize = 1024;
    pub const MIN_SYMPTOMS: usize = 3;
}

impl KnowledgeBase {
    /// The knowledge base compiled into the binary.
    pub fn bundled() -> Result<KnowledgeBase, Problems> {
        load(&bundled_sources())
    }

    /// Every knowledge file under `dir`.
    pub fn from_dir(dir: &Path) -> Result<KnowledgeBase, Problems> {
        load(&dir_sources(dir)?)
    }

    /// The knowledge base under `dir` when one is given (`--knowledge`),
    /// the bundled one otherwise.
    pub fn from_dir_or_bundled(dir: Option<&Path>) -> Result<KnowledgeBase, Problems> {
        match dir {
            Some(d) => KnowledgeBase::from_dir(d),
            None => KnowledgeBase::bundled(),
        }
    }
}
