//! `hexhelp eval FILE.jsonl`: the evaluation metrics, computed in-process.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hexhelp::error::Error;
use hexhelp::eval;

#[derive(clap::Args)]
pub struct Args {
    /// Labelled cases, one JSON object per line.
    file: PathBuf,
    /// List every miss.
    #[arg(short, long)]
    verbose: bool,
    /// Fail unless METRIC reaches RATE, e.g. `--min symptom_top1=0.9`.
    #[arg(long, value_name = "METRIC=RATE")]
    min: Vec<String>,
}

pub fn run(knowledge: Option<&Path>, args: Args) -> Result<ExitCode, Error> {
    let text = std::fs::read_to_string(&args.file).map_err(|source| Error::Read {
        path: args.file.display().to_string(),
        source,
    })?;
    let cases = eval::parse_cases(&text)?;
    let engine = super::engine(knowledge)?;
    let report = eval::score(&engine, &cases);
    if args.verbose {
        for (metric, id, got) in &report.misses {
            println!("MISS {metric} {id}: {got}");
        }
    }
    print!("{report}");
    let mut ok = true;
    for m in &args.min {
        let Some((metric, rate)) = m.split_once('=') else {
            return Err(Error::Input {
                line: 0,
                message: format!("--min takes METRIC=RATE, not `{m}`"),
            });
        };
        let rate: f64 = rate.parse().map_err(|_| Error::Input {
            line: 0,
            message: format!("`{rate}` is not a rate between 0 and 1"),
        })?;
        match report.rate(metric) {
            Some(r) if r >= rate => {}
            Some(r) => {
                println!("{metric} {:.1}% < {:.1}%", r * 100.0, rate * 100.0);
                ok = false;
            }
            None => {
                println!("{metric} not measured");
                ok = false;
            }
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
