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
    /// Also rank every case with a reference ranker (`bm25`: plain BM25
    /// over title + summary + symptoms) and print both side by side, with
    /// the calibration table.
    #[arg(long, value_name = "RANKER")]
    baseline: Option<String>,
    /// Print the calibration table (predicted against observed).
    #[arg(long)]
    calibration: bool,
    /// Instead of scoring, write what `tools/ranking/fit.py` fits on, one
    /// JSON object per labelled case, to stdout.
    #[arg(long)]
    dump: bool,
}

pub fn run(knowledge: Option<&Path>, args: Args) -> Result<ExitCode, Error> {
    let text = std::fs::read_to_string(&args.file).map_err(|source| Error::Read {
        path: args.file.display().to_string(),
        source,
    })?;
    let cases = eval::parse_cases(&text)?;
    let engine = super::engine(knowledge)?;
    if args.dump {
        let plain = hexhelp::matching::bm25::PlainBm25::build(engine.kb());
        println!("{}", eval::dump::header(&engine));
        for c in &cases {
            if let Some(line) = eval::dump::case(&engine, &plain, c) {
                println!("{line}");
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let baseline = match args.baseline.as_deref() {
        None => false,
        Some("bm25") => true,
        Some(other) => {
            return Err(Error::Input {
                line: 0,
                message: format!("--baseline takes `bm25`, not `{other}`"),
            });
        }
    };
    let report = eval::score_with(&engine, &cases, baseline);
    if args.verbose {
        for (metric, id, got) in &report.misses {
            println!("MISS {metric} {id}: {got}");
        }
    }
    if baseline {
        print!("{}", report.side_by_side());
    } else {
        print!("{report}");
    }
    if (baseline || args.calibration) && !report.calibration.is_empty() {
        print!("{}", report.calibration);
    }
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
