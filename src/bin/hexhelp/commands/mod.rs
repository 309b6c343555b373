//! One module per subcommand.

pub mod ask;
pub mod bench;
pub mod decode;
pub mod eval;
pub mod fit;
pub mod kb;
pub mod serve;

use std::path::Path;

use hexhelp::Engine;
use hexhelp::error::Error;
use hexhelp::kb::KnowledgeBase;

/// The engine over `--knowledge DIR`, or over the bundled knowledge base.
pub fn engine(knowledge: Option<&Path>) -> Result<Engine, Error> {
    Ok(Engine::new(KnowledgeBase::from_dir_or_bundled(knowledge)?))
}
