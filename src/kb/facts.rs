//! The words that tell what a message is about besides its codes: the
//! Windows version, the area or product, third-party tools known to break
//! things, and the phrases that rule a cause out. Loaded from
//! `knowledge/facts/*.toml`, so contributors extend them without Rust.

use serde::Serialize;

use super::model::Fix;

/// An area or product: Windows Update, the Store, winget, WSL...
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Area {
    pub id: String,
    /// As the answer says it: "the Microsoft Store".
    pub name: String,
    pub words: Vec<String>,
    /// The key of the ladder (`ladders.toml`) a code with no entry gets in
    /// this area when its own family's ladder is a general one.
    pub ladder: Option<String>,
}

/// A Windows version and the ways people write it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Version {
    /// `7`, `8.1`, `10`, `11`, `server2019`...
    pub id: String,
    pub name: String,
    pub words: Vec<String>,
    /// Still receives security updates.
    pub supported: bool,
}

/// A build number and the version and release it belongs to.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Build {
    pub build: u32,
    /// A version id.
    pub version: String,
    /// "Windows 10 22H2".
    pub name: String,
}

/// A third-party tool known to break updates, activation or apps.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tool {
    pub id: String,
    pub name: String,
    pub words: Vec<String>,
    /// `debloat`, `modified-image`, `activator`, `blocker`, `cleaner`...
    pub kind: String,
    /// The area ids it breaks.
    pub breaks: Vec<String>,
    /// The sentence the answer leads its causes with.
    pub cause: String,
    /// The fix that undoes the damage.
    pub fix: Fix,
    /// The undo that works when Windows does not start, for boot entries.
    pub boot_fix: Option<Fix>,
}

/// A cause people rule out in words ("plenty of space").
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Topic {
    pub id: String,
    /// "free space".
    pub name: String,
    pub words: Vec<String>,
}

/// Everything in `knowledge/facts/`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub areas: Vec<Area>,
    pub versions: Vec<Version>,
    pub builds: Vec<Build>,
    pub tools: Vec<Tool>,
    pub topics: Vec<Topic>,
    /// Weights for choosing among the entries of one code
    /// (`facts/context.toml`), in the order of `answer::context::NAMES`.
    pub context_weights: Option<[f32; 6]>,
    /// Other products and kinds of message (`offtopic.toml`): a post about
    /// one of these is not a Windows fault.
    pub offtopic: Vec<Topic>,
}

impl Facts {
    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    pub fn version(&self, id: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.id == id)
    }

    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }
}
