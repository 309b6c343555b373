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

/// The longest input line read; longer lines get an error record.
const MAX_LINE: usize = 4 << 20;

/// Streams stdin to stdout a line at a time: memory stays flat however
/// many messages come in.
///
/// Every input line that is not blank gets exactly one output line, in
/// order: an answer record, or `{"line": N, "error": "…"}` (line numbers
/// count from one) when the line is not valid UTF-8, not a JSON request,
/// or longer than four MiB. Bad lines never stop the stream: the exit code
/// is 0 unless reading stdin or writing stdout fails.
fn jsonl_loop(engine: &Engine) -> Result<ExitCode, Error> {
    let mut stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut buf = Vec::new();
    let mut n = 0usize;
    while let Some(whole) = read_line_capped(&mut stdin, &mut buf, MAX_LINE)? {
        n += 1;
        match request(&buf, whole) {
            Ok(None) => continue,
            Ok(Some(req)) => {
                let answer = engine.answer(&req.text, Mode::Explicit);
                serde_json::to_writer(&mut out, &jsonl::record(req.id.as_deref(), &answer))
                    .map_err(std::io::Error::other)?;
            }
            Err(e) => {
                eprintln!("hexhelp: line {n}: {e}");
                serde_json::to_writer(&mut out, &serde_json::json!({ "line": n, "error": e }))
                    .map_err(std::io::Error::other)?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One line's request; `None` for a blank line, the reason for a bad one.
fn request(line: &[u8], whole: bool) -> Result<Option<jsonl::Request>, String> {
    if !whole {
        return Err(format!("line longer than {} MiB", MAX_LINE >> 20));
    }
    let text = std::str::from_utf8(line)
        .map_err(|e| format!("not valid UTF-8 (byte {} of the line)", e.valid_up_to() + 1))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    serde_json::from_str(text)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Reads one line (without its `\n` or `\r\n`) into `buf`, keeping at most
/// `cap` bytes; `Some(false)` when the line was longer, `None` at the end.
fn read_line_capped(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<Option<bool>> {
    buf.clear();
    let mut whole = true;
    let mut any = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        let room = cap.saturating_sub(buf.len());
        if part.len() > room {
            whole = false;
        }
        buf.extend_from_slice(&part[..part.len().min(room)]);
        let used = done.unwrap_or(chunk.len());
        r.consume(used);
        if done.is_some() {
            break;
        }
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(any.then_some(whole))
}
