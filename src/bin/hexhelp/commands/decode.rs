//! `hexhelp decode`: every code in a text and what it is; with `--file`,
//! the codes read from a log, dump or screenshot, the main code first.

use std::path::Path;
use std::process::ExitCode;

use hexhelp::attach::{self, FileKind, Readers, ocr::Ocr};
use hexhelp::codes::{self, CodeTables, Decoded, Found};
use hexhelp::error::Error;

pub fn run(text: &str, json: bool) -> Result<ExitCode, Error> {
    let tables = CodeTables::bundled();
    let extraction = codes::extract(text, tables, &|_| false);
    let decoded: Vec<_> = extraction
        .found
        .iter()
        .map(|f| codes::decode(f, text, tables))
        .collect();
    if json {
        let v = serde_json::json!({ "codes": decoded, "suggestions": extraction.suggestions });
        println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(std::io::Error::other)?
        );
        return Ok(ExitCode::SUCCESS);
    }
    for s in &extraction.suggestions {
        println!(
            "{}",
            hexhelp::messages::did_you_mean(&s.typed, &codes::hex(s.suggested))
        );
    }
    if decoded.is_empty() && extraction.suggestions.is_empty() {
        println!("No error codes found.");
        return Ok(ExitCode::from(1));
    }
    print_decoded(&decoded);
    Ok(ExitCode::SUCCESS)
}

/// `hexhelp decode --file FILE`: what was read, then each code decoded as
/// `decode` prints it, the main code first.
pub fn run_file(path: &Path, json: bool) -> Result<ExitCode, Error> {
    let tables = CodeTables::bundled();
    let ocr = Ocr::detect();
    let readers = Readers {
        tables,
        known: &|_| false,
        ocr: &ocr,
    };
    let reading = read_file(path, &readers)?;
    let decoded = decode_reading(&reading, tables);
    if json {
        let v = serde_json::json!({ "read": reading, "codes": decoded });
        println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(std::io::Error::other)?
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", hexhelp::messages::attach::describe(&reading, tables));
    print_decoded(&decoded);
    Ok(if decoded.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads one file from disk (logs streamed, other types capped).
pub fn read_file(path: &Path, readers: &Readers<'_>) -> Result<attach::Reading, Error> {
    let file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.display().to_string(),
        source,
    })?;
    Ok(attach::read_stream(
        std::io::BufReader::new(file),
        &path.to_string_lossy(),
        readers,
    ))
}

/// The reading's codes decoded, the main code first; a dump's bug check
/// is decoded as a stop code.
pub fn decode_reading(reading: &attach::Reading, tables: &CodeTables) -> Vec<Decoded> {
    let stop = reading.kind == FileKind::KernelDump;
    reading
        .codes()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let found = Found {
                code: c.code,
                ext: c.ext,
                start: 0,
                end: 0,
                stop_framed: stop && i == 0,
            };
            let context = if stop && i == 0 { "stop code" } else { "" };
            codes::decode(&found, context, tables)
        })
        .collect()
}

fn print_decoded(decoded: &[Decoded]) {
    for d in decoded {
        println!("{}", d.hex);
        if let Some((num, name)) = &d.facility {
            println!("  facility {name} ({num})");
        }
        for m in &d.meanings {
            println!(
                "  {}: {}{}",
                m.family.label(),
                m.name,
                if m.summary.is_empty() {
                    String::new()
                } else {
                    format!(" - {}", m.summary)
                }
            );
        }
        if let Some(ext) = &d.ext {
            println!("  {ext}");
        }
    }
}
