//! `hexhelp ask`: one answer in the terminal, the answer model as JSON, or
//! one JSON line per input line (`--jsonl`, constant memory).

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

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
    /// Also say how each entry matched and how sure the match is.
    #[arg(long)]
    explain: bool,
}

pub fn run(knowledge: Option<&Path>, args: Args) -> Result<ExitCode, Error> {
    let engine = super::engine(knowledge)?;
    if args.jsonl {
        return jsonl_loop(&engine);
    }
    let text = args.text.join(" ");
    let answer = engine.answer(&text, Mode::Explicit);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &answer).map_err(std::io::Error::other)?;
        writeln!(out)?;
    } else {
        let colour = !args.no_color
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none();
        write!(
            out,
            "{}",
            terminal::render(
                &answer,
                terminal::Style {
                    colour,
                    explain: args.explain
                }
            )
        )?;
    }
    Ok(ExitCode::SUCCESS)
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
