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
    /// Also say how each entry matched and how sure the match is.
    #[arg(long)]
    explain: bool,
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
