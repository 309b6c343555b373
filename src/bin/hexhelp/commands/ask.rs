//! `hexhelp ask`: one answer in the terminal, the answer model as JSON, or
//! one JSON line per input line (`--jsonl`, constant memory).

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use hexhelp::attach;
use hexhelp::error::Error;
use hexhelp::render::{jsonl, terminal};
use hexhelp::{Engine, Mode};

#[derive(clap::Args)]
pub struct Args {
    /// The message, as someone would post it.
    text: Vec<String>,
    /// Print the answer model as JSON.
    #[arg(long, conflicts_with = "jsonl")]
    json: bool,
    /// Read `{"id", "text"}` lines on stdin and write one answer line each.
    #[arg(long)]
    jsonl: bool,
    /// Never colour the output.
    #[arg(long)]
    no_color: bool,
    /// Files attached to the message (logs, crash dumps, screenshots, zip
    /// files); words after them that are not files are the message.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    attach: Vec<String>,
}

pub fn run(knowledge: Option<&Path>, args: Args) -> Result<ExitCode, Error> {
    let engine = super::engine(knowledge)?;
    if args.jsonl {
        return jsonl_loop(&engine);
    }
    let mut words = args.text;
    let mut files = Vec::new();
    for a in args.attach {
        if files.len() < attach::MAX_ATTACHMENTS && Path::new(&a).is_file() {
            files.push(a);
        } else if Path::new(&a).is_file() {
            eprintln!(
                "hexhelp: {}",
                hexhelp::messages::attach::TOO_MANY_ATTACHMENTS
            );
        } else {
            words.push(a);
        }
    }
    let text = words.join(" ");
    let readings = read_attachments(&engine, &files)?;
    let answer = engine.answer_with_attachments(&text, &readings, Mode::Explicit);
    let mut out = std::io::stdout().lock();
    if args.json {
        if readings.is_empty() {
            serde_json::to_writer_pretty(&mut out, &answer).map_err(std::io::Error::other)?;
        } else {
            let v = serde_json::json!({ "read": readings, "answer": answer });
            serde_json::to_writer_pretty(&mut out, &v).map_err(std::io::Error::other)?;
        }
        writeln!(out)?;
    } else {
        for r in &readings {
            writeln!(
                out,
                "{}\n",
                hexhelp::messages::attach::describe(r, engine.tables())
            )?;
        }
        let colour = !args.no_color
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none();
        write!(
            out,
            "{}",
            terminal::render(&answer, terminal::Style { colour })
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads each attached file (logs streamed from disk).
fn read_attachments(engine: &Engine, files: &[String]) -> Result<Vec<attach::Reading>, Error> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let ocr = attach::ocr::Ocr::detect();
    let kb = engine.kb();
    let known = |c: u32| kb.has_code(c);
    let readers = attach::Readers {
        tables: engine.tables(),
        known: &known,
        ocr: &ocr,
    };
    files
        .iter()
        .map(|f| super::decode::read_file(Path::new(f), &readers))
        .collect()
}

/// Streams stdin to stdout a line at a time: memory stays flat however
/// many messages come in.
fn jsonl_loop(engine: &Engine) -> Result<ExitCode, Error> {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = false;
    for (n, line) in stdin.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<jsonl::Request>(&line) {
            Ok(req) => {
                let answer = engine.answer(&req.text, Mode::Explicit);
                serde_json::to_writer(&mut out, &jsonl::record(&req.id, &answer))
                    .map_err(std::io::Error::other)?;
                out.write_all(b"\n")?;
            }
            Err(e) => {
                eprintln!("hexhelp: line {}: {e}", n + 1);
                failed = true;
            }
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
