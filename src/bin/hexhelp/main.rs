//! The `hexhelp` command: parses the command line and hands over to the
//! library (`ask`, `decode`, `kb`, `eval`, `bench`) or to the Discord layer
//! (`serve`).

mod commands;
mod discord;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "hexhelp",
    version,
    about = "Reads Windows error codes and problem descriptions, and answers with causes and fixes in the order to try them"
)]
struct Cli {
    /// Load the knowledge base from this directory instead of the bundled one.
    #[arg(long, global = true, value_name = "DIR")]
    knowledge: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Answer a message: codes, likely causes and fixes in order.
    Ask(commands::ask::Args),
    /// List every error code found in TEXT (or read from --file) and what it is.
    Decode {
        /// The text to read codes from.
        text: Vec<String>,
        /// Read the codes from a log, crash dump, screenshot or zip instead.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check, export or count the knowledge base.
    Kb {
        #[command(subcommand)]
        command: commands::kb::KbCommand,
    },
    /// Score labelled cases (the format of shared/eval/dev.jsonl).
    Eval(commands::eval::Args),
    /// Time answering and print medians.
    Bench(commands::bench::Args),
    /// Run the Discord bot (token from DISCORD_TOKEN or --token-file).
    Serve(commands::serve::Args),
    /// Features of the entries sharing a code, for fitting their weights.
    #[command(hide = true)]
    FitContext(commands::fit::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        quiet_broken_pipe();
    }
    let knowledge = cli.knowledge.as_deref();
    let result = match cli.command {
        Command::Ask(args) => commands::ask::run(knowledge, args),
        Command::Decode {
            file: Some(path),
            json,
            ..
        } => commands::decode::run_file(&path, json),
        Command::Decode { text, json, .. } => commands::decode::run(&text.join(" "), json),
        Command::Kb { command } => commands::kb::run(knowledge, command),
        Command::Eval(args) => commands::eval::run(knowledge, args),
        Command::Bench(args) => commands::bench::run(knowledge, args),
        Command::Serve(args) => commands::serve::run(knowledge, args),
        Command::FitContext(args) => commands::fit::run(knowledge, args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("hexhelp: {e}");
            ExitCode::from(2)
        }
    }
}

/// A one-shot command whose output goes into `head` stops when the reader
/// does, instead of panicking on the broken pipe. The bot keeps Rust's
/// default (a failed write is an error to handle, not a signal).
fn quiet_broken_pipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default, before any
    // thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
