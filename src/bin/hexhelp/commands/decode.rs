//! `hexhelp decode`: every code in a text and what it is.

use std::process::ExitCode;

use hexhelp::codes::{self, CodeTables};
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
    for d in &decoded {
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
    Ok(ExitCode::SUCCESS)
}
