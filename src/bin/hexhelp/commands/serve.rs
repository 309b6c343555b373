//! `hexhelp serve`: settings from flags, environment variables and an
//! optional `hexhelp.toml` (in that order of precedence), the token from
//! `DISCORD_TOKEN` or `--token-file`, logs to stderr (`RUST_LOG`), then the
//! Discord layer until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

use hexhelp::error::Error;
use hexhelp::messages;
use serde::Deserialize;

use crate::discord::{self, Config, ShardPlan, Token};

/// Where the settings file is looked for when `--config` isn't given.
const DEFAULT_CONFIG: &str = "hexhelp.toml";
const DEFAULT_DB: &str = "hexhelp.db";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Read the bot token from FILE instead of the DISCORD_TOKEN environment variable.
    #[arg(long, env = "HEXHELP_TOKEN_FILE", value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// The settings file [default: hexhelp.toml, when it exists].
    #[arg(long, env = "HEXHELP_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where server settings, feedback and answers are kept: an SQLite file, created on first
    /// start, or a postgres:// URL that every process of a sharded bot shares [default:
    /// hexhelp.db].
    #[arg(long, env = "HEXHELP_DB", value_name = "PATH|URL")]
    db: Option<String>,
    /// Send every REST call to this HTTP API proxy (such as twilight-http-proxy), which then
    /// handles rate limits; the gateway URL comes from the proxy's /gateway/bot.
    #[arg(long, env = "HEXHELP_API_PROXY", value_name = "URL")]
    api_proxy: Option<String>,
    /// Run only these shards (`FIRST-LAST`, or one number); needs --shard-total. Default: as
    /// many shards as Discord recommends.
    #[arg(long, env = "HEXHELP_SHARDS", value_name = "FIRST-LAST")]
    shards: Option<ShardRange>,
    /// The total number of shards across all processes (with --shards).
    #[arg(long, env = "HEXHELP_SHARD_TOTAL", value_name = "N")]
    shard_total: Option<u32>,
    /// Don't ask for the privileged Message Content intent. The bot then only answers
    /// mentions, slash commands and the "Diagnose with hexhelp" menu.
    #[arg(long, env = "HEXHELP_NO_MESSAGE_CONTENT")]
    no_message_content: bool,
    /// For tests: resolve HOST to ADDR for REST calls (`discord.com=127.0.0.1:8443`).
    #[arg(long, hide = true, value_name = "HOST=ADDR")]
    resolve: Vec<String>,
    /// For tests: also trust this CA certificate (PEM) for REST calls.
    #[arg(long, hide = true, value_name = "FILE")]
    extra_ca: Option<PathBuf>,
}

/// `FIRST-LAST`, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    first: u32,
    last: u32,
}

impl FromStr for ShardRange {
    type Err = String;

    fn from_str(s: &str) -> Result<ShardRange, String> {
        let bad = || {
            format!("`{s}` is not a shard range: write FIRST-LAST, like 0-3, or one shard number")
        };
        let (a, b) = s.split_once('-').unwrap_or((s, s));
        let first: u32 = a.trim().parse().map_err(|_| bad())?;
        let last: u32 = b.trim().parse().map_err(|_| bad())?;
        if last < first {
            return Err(bad());
        }
        Ok(ShardRange { first, last })
    }
}

/// `hexhelp.toml`: every key optional; unknown keys (and a token) are
/// refused so that typos don't go unnoticed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    token_file: Option<PathBuf>,
    db: Option<String>,
    knowledge: Option<PathBuf>,
    api_proxy: Option<String>,
    shards: Option<String>,
    shard_total: Option<u32>,
    message_content: Option<bool>,
}

/// A sentence for the operator, printed as `hexhelp: …` with exit code 2.
struct Refusal(String);

impl<E: std::fmt::Display> From<E> for Refusal {
    fn from(e: E) -> Refusal {
        Refusal(e.to_string())
    }
}

fn read_config(path: Option<&Path>) -> Result<FileConfig, Refusal> {
    let (path, required) = match path {
        Some(p) => (p.to_path_buf(), true),
        None => (PathBuf::from(DEFAULT_CONFIG), false),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(FileConfig::default());
        }
        Err(e) => return Err(Refusal(format!("cannot read {}: {e}", path.display()))),
    };
    toml::from_str(&text).map_err(|e| Refusal(format!("{}: {}", path.display(), e.message())))
}

fn read_token(file: Option<&Path>) -> Result<Token, Refusal> {
    let raw = match file {
        Some(f) => std::fs::read_to_string(f)
            .map_err(|e| Refusal(format!("cannot read the token file {}: {e}", f.display())))?,
        None => std::env::var("DISCORD_TOKEN").unwrap_or_default(),
    };
    let token = raw.trim();
    // serenity adds the "Bot " prefix itself.
    let token = token.strip_prefix("Bot ").unwrap_or(token).trim();
    if token.is_empty() {
        return Err(Refusal(messages::NO_TOKEN.into()));
    }
    if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Refusal(messages::TOKEN_REJECTED.into()));
    }
    Ok(Token::new(token))
}

fn config(knowledge: Option<&Path>, args: Args) -> Result<Config, Refusal> {
    let file = read_config(args.config.as_deref())?;
    let token = read_token(args.token_file.as_deref().or(file.token_file.as_deref()))?;
    let shards = match (
        args.shards
            .or(file.shards.as_deref().map(str::parse).transpose()?),
        args.shard_total.or(file.shard_total),
    ) {
        (None, None) => ShardPlan::Auto,
        (Some(r), Some(total)) => {
            if total == 0 || r.last >= total {
                return Err(Refusal(format!(
                    "shards {}-{} don't fit in a total of {total}",
                    r.first, r.last
                )));
            }
            ShardPlan::Range {
                first: r.first,
                last: r.last,
                total,
            }
        }
        (Some(_), None) => return Err(Refusal("--shards needs --shard-total".into())),
        (None, Some(total)) => {
            if total == 0 {
                return Err(Refusal("--shard-total must be at least 1".into()));
            }
            ShardPlan::Range {
                first: 0,
                last: total - 1,
                total,
            }
        }
    };
    let api_proxy = args.api_proxy.or(file.api_proxy);
    if let Some(p) = &api_proxy
        && !(p.starts_with("http://") || p.starts_with("https://"))
    {
        return Err(Refusal(format!(
            "--api-proxy must be an http:// or https:// URL, not `{p}`"
        )));
    }
    let mut resolve = Vec::new();
    for r in &args.resolve {
        let (host, addr) = r
            .split_once('=')
            .ok_or_else(|| Refusal(format!("--resolve wants HOST=ADDR, not `{r}`")))?;
        let addr: SocketAddr = addr
            .parse()
            .map_err(|_| Refusal(format!("--resolve: `{addr}` is not IP:PORT")))?;
        resolve.push((host.to_string(), addr));
    }
    let extra_ca = match &args.extra_ca {
        Some(p) => Some(
            std::fs::read(p).map_err(|e| Refusal(format!("cannot read {}: {e}", p.display())))?,
        ),
        None => None,
    };
    Ok(Config {
        token,
        db: args
            .db
            .or(file.db)
            .unwrap_or_else(|| DEFAULT_DB.to_string()),
        knowledge: knowledge.map(Path::to_path_buf).or(file.knowledge),
        api_proxy,
        shards,
        message_content: !args.no_message_content && file.message_content.unwrap_or(true),
        resolve,
        extra_ca,
    })
}

/// Logs to stderr, filtered by `RUST_LOG` (default `info`). The libraries
/// that could log raw requests or gateway frames (and with them the token)
/// are capped at `info` whatever `RUST_LOG` says.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let mut filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,serenity=warn,poise=warn"));
    for cap in [
        "tungstenite=info",
        "tokio_tungstenite=info",
        "hyper=info",
        "hyper_util=info",
        "reqwest=info",
        "rustls=info",
        "h2=info",
    ] {
        if let Ok(d) = cap.parse() {
            filter = filter.add_directive(d);
        }
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

pub fn run(knowledge: Option<&Path>, args: Args) -> Result<ExitCode, Error> {
    init_logging();
    let config = match config(knowledge, args) {
        Ok(c) => c,
        Err(Refusal(sentence)) => {
            eprintln!("hexhelp: {sentence}");
            return Ok(ExitCode::from(2));
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match runtime.block_on(discord::run(config)) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("hexhelp: {e}");
            Ok(ExitCode::from(2))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_ranges() {
        assert_eq!("0-3".parse(), Ok(ShardRange { first: 0, last: 3 }));
        assert_eq!("2".parse(), Ok(ShardRange { first: 2, last: 2 }));
        assert_eq!(
            " 1 - 2 ".trim().parse(),
            Ok(ShardRange { first: 1, last: 2 })
        );
        assert!("3-1".parse::<ShardRange>().is_err());
        assert!("a-b".parse::<ShardRange>().is_err());
        assert!("".parse::<ShardRange>().is_err());
    }

    #[test]
    fn the_example_config_parses_with_every_key_set() {
        let example = include_str!("../../../../hexhelp.example.toml");
        let uncommented: String = example
            .lines()
            .filter_map(|l| l.strip_prefix("# ").filter(|l| l.contains(" = ")))
            .collect::<Vec<_>>()
            .join("\n");
        let c: FileConfig = toml::from_str(&uncommented).unwrap();
        assert!(
            c.token_file.is_some()
                && c.db.is_some()
                && c.knowledge.is_some()
                && c.api_proxy.is_some()
        );
        assert_eq!(
            c.shards.as_deref().map(str::parse),
            Some(Ok(ShardRange { first: 0, last: 3 }))
        );
        assert_eq!(c.shard_total, Some(8));
        assert_eq!(c.message_content, Some(true));
    }

    #[test]
    fn config_file_refuses_unknown_keys_and_tokens() {
        assert!(
            toml::from_str::<FileConfig>("db = \"x.db\"\nshards = \"0-1\"\nshard_total = 2")
                .is_ok()
        );
        assert!(toml::from_str::<FileConfig>("token = \"secret\"").is_err());
        assert!(toml::from_str::<FileConfig>("dbb = \"x.db\"").is_err());
    }
}
