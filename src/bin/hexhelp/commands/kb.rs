//! `hexhelp kb check|export|stats`: tooling for the people who maintain the
//! knowledge base.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hexhelp::codes::CodeTables;
use hexhelp::error::Error;
use hexhelp::kb::KnowledgeBase;

#[derive(clap::Subcommand)]
pub enum KbCommand {
    /// Validate every file; print each problem as `path:line: message`.
    Check {
        /// The knowledge directory (default: the bundled knowledge base).
        dir: Option<PathBuf>,
    },
    /// Print one JSON object per entry per line, fixes in order.
    Export,
    /// Count entries and codes per folder, and named codes per family.
    Stats,
}

pub fn run(knowledge: Option<&Path>, cmd: KbCommand) -> Result<ExitCode, Error> {
    match cmd {
        KbCommand::Check { dir } => check(dir.as_deref().or(knowledge)),
        KbCommand::Export => {
            let kb = load(knowledge)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for e in &kb.entries {
                let v = serde_json::json!({
                    "id": e.id,
                    "area": e.area,
                    "codes": e.hex_codes(),
                    "title": e.title,
                    "summary": e.summary,
                    "symptoms": e.symptoms,
                    "causes": e.causes,
                    "fixes": e.fixes,
                    "ask_for": e.ask_for,
                    "applies_to": e.applies_to,
                    "checked": e.checked,
                });
                serde_json::to_writer(&mut out, &v).map_err(std::io::Error::other)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        KbCommand::Stats => {
            let kb = load(knowledge)?;
            let mut per_area: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
            for e in &kb.entries {
                let a = per_area.entry(e.area.as_str()).or_default();
                a.0 += 1;
                a.1 += e.codes.len();
            }
            println!("{:<20} {:>7} {:>6}", "folder", "entries", "codes");
            for (area, (n, c)) in &per_area {
                println!("{area:<20} {n:>7} {c:>6}");
            }
            println!(
                "{:<20} {:>7} {:>6}",
                "total",
                kb.entries.len(),
                kb.code_count()
            );
            println!(
                "shared fixes: {}, family ladders: {}",
                kb.shared_fixes.len(),
                kb.ladders.len()
            );
            println!();
            println!("{:<20} {:>7}", "family", "named codes");
            let mut total = 0;
            for (family, n) in CodeTables::bundled().count_per_family() {
                println!("{:<20} {n:>7}", family.slug());
                total += n;
            }
            println!("{:<20} {total:>7}", "total");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load(knowledge: Option<&Path>) -> Result<KnowledgeBase, Error> {
    Ok(KnowledgeBase::from_dir_or_bundled(knowledge)?)
}

fn check(dir: Option<&Path>) -> Result<ExitCode, Error> {
    match KnowledgeBase::from_dir_or_bundled(dir) {
        Ok(kb) => {
            let shown = dir.map_or_else(
                || "bundled knowledge base".to_string(),
                |d| d.display().to_string(),
            );
            println!(
                "{shown}: ok ({} entries, {} codes, {} shared fixes)",
                kb.entries.len(),
                kb.code_count(),
                kb.shared_fixes.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            for p in problems.iter() {
                println!("{p}");
            }
            eprintln!("{} problem(s)", problems.len());
            Ok(ExitCode::from(1))
        }
    }
}
