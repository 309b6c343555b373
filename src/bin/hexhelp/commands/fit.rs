//! `hexhelp fit-context FILE…` (hidden): for labelled real posts, the
//! features of every entry that claims the post's shared code, one JSON
//! line per post, for `tools/fit/context_weights.py`.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hexhelp::error::Error;

#[derive(clap::Args)]
pub struct Args {
    /// JSON-lines files with `id`, `text` and `entries` (the right entries).
    files: Vec<PathBuf>,
}

pub fn run(knowledge: Option<&Path>, args: Args) -> Result<ExitCode, Error> {
    let engine = super::engine(knowledge)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for file in &args.files {
        let reader = std::io::BufReader::new(std::fs::File::open(file)?);
        for line in reader.lines() {
            let line = line?;
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            let text = v["text"].as_str().unwrap_or_default();
            let Some((code, cands)) = engine.context_candidates(text) else {
                continue;
            };
            let cands: Vec<serde_json::Value> = cands
                .into_iter()
                .map(|(entry, f)| serde_json::json!({"entry": entry, "f": f}))
                .collect();
            let rec = serde_json::json!({
                "id": v["id"],
                "code": hexhelp::codes::hex(code),
                "entries": v["entries"],
                "candidates": cands,
            });
            serde_json::to_writer(&mut out, &rec).map_err(std::io::Error::other)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
