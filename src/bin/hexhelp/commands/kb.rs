//! `hexhelp kb check|export|stats|outcomes`: tooling for the people who maintain the
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
        /// Also warn about entries checked more than MONTHS months ago,
        /// and entries only for Windows versions out of support.
        #[arg(long, value_name = "MONTHS")]
        stale: Option<u32>,
    },
    /// Print one JSON object per entry per line, fixes in order.
    Export,
    /// Count entries and codes per folder, and named codes per family.
    Stats {
        /// How many of the demand's uncovered codes to list, most asked first.
        #[arg(long, default_value_t = 15)]
        missing: usize,
    },
    /// What people reported about fixes in the bot's database: per entry
    /// the fix that ends problems, the entries that most often "didn't
    /// help", and codes asked about that have no entry (servers that opted
    /// out of sharing are left out).
    Outcomes {
        /// The bot's SQLite file.
        #[arg(long, value_name = "PATH", default_value = "hexhelp.db")]
        db: PathBuf,
        /// How many entries and codes the two lists show.
        #[arg(long, default_value_t = 15)]
        top: usize,
    },
}

pub fn run(knowledge: Option<&Path>, cmd: KbCommand) -> Result<ExitCode, Error> {
    match cmd {
        KbCommand::Check { dir, stale } => {
            let dir = dir.as_deref().or(knowledge);
            let code = check(dir)?;
            if let Some(months) = stale
                && let Ok(kb) = KnowledgeBase::from_dir_or_bundled(dir)
            {
                let list =
                    hexhelp::kb::freshness::stale(&kb, months, hexhelp::kb::freshness::today());
                for s in &list {
                    println!("warning: {}: {}", s.path, s.reason);
                }
                eprintln!(
                    "{} entr{} to look at again",
                    list.len(),
                    if list.len() == 1 { "y" } else { "ies" }
                );
            }
            Ok(code)
        }
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
                    "context": e.context,
                    "versions": e.versions,
                    "sources": e.sources,
                });
                serde_json::to_writer(&mut out, &v).map_err(std::io::Error::other)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        KbCommand::Stats { missing } => {
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
            demand_stats(&kb, knowledge, missing)?;
            Ok(ExitCode::SUCCESS)
        }
        KbCommand::Outcomes { db, top } => outcomes(knowledge, &db, top),
    }
}

/// `kb outcomes`: the shared counts in `db`, named from the knowledge base.
fn outcomes(knowledge: Option<&Path>, db: &Path, top: usize) -> Result<ExitCode, Error> {
    use hexhelp::bot::reports::OutcomesReport;
    use hexhelp::render::discord::fixes_of;
    // A report never creates a database.
    if !db.is_file() {
        return Err(Error::Read {
            path: db.display().to_string(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
    }
    let kb = load(knowledge)?;
    let store = hexhelp::bot::Store::open(db)?;
    let report = OutcomesReport::build(
        &store.outcome_rows(None)?,
        &store.day_rows(None, i64::MIN)?,
        top,
    );
    let title = |key: &str, n: usize| {
        let (title, fixes, _) = fixes_of(&kb, key)?;
        match n {
            0 => Some(title.to_string()),
            n => fixes.get(n - 1).map(|f| f.title.clone()),
        }
    };
    println!("{}", hexhelp::messages::reports::outcomes(&report, &title));
    Ok(ExitCode::SUCCESS)
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

/// Demand coverage: the share of code mentions in real posts that have an
/// entry for their area, and the codes most asked about that have none.
fn demand_stats(kb: &KnowledgeBase, knowledge: Option<&Path>, list: usize) -> Result<(), Error> {
    use hexhelp::kb::demand;
    let text = match knowledge.map(|d| d.join("demand.tsv")) {
        Some(p) if p.is_file() => std::fs::read_to_string(&p)?,
        _ => demand::BUNDLED.to_string(),
    };
    let rows =
        demand::parse(&text).map_err(|e| std::io::Error::other(format!("demand.tsv {e}")))?;
    let c = demand::coverage(kb, &rows);
    let tables = CodeTables::bundled();
    let unnamed: Vec<&str> = rows
        .iter()
        .filter(|r| r.code.is_some_and(|code| !tables.is_named(code)))
        .map(|r| r.label.as_str())
        .collect();
    println!();
    println!(
        "demand coverage: {:.1}% of {} code mentions have an entry for their area ({:.1}% by code alone)",
        c.by_context_share() * 100.0,
        c.mentions,
        c.by_code_share() * 100.0
    );
    println!("demand codes without a name: {}", unnamed.len());
    if !unnamed.is_empty() {
        println!("  {}", unnamed.join(" "));
    }
    if !c.missing.is_empty() && list > 0 {
        println!(
            "most asked about without an entry for their area ({} of {}):",
            list.min(c.missing.len()),
            c.missing.len()
        );
        for r in c.missing.iter().take(list) {
            println!("  {:<32} {:<16} {:>3}", r.label, r.area, r.mentions);
        }
    }
    Ok(())
}
