//! The Discord layer: translates gateway events and interactions into calls
//! on the library ([`hexhelp::Engine`], [`hexhelp::bot`],
//! [`hexhelp::render::discord`]) and answers into Discord messages. Every
//! decision lives in the library; nothing here is worth testing without
//! Discord, and the end-to-end tests run it against a loopback Discord.
//!
//! - [`state`]: what the bot shares between events (engine, store, policy).
//! - [`events`]: messages, edits and button presses.
//! - [`commands`]: `/error`, `/ask`, "Diagnose with hexhelp" and the
//!   moderators' `/hexhelp`.
//! - [`outcomes`]: the outcome buttons as counts.
//! - [`stats`]: `/hexhelp stats` and the opt-out from sharing outcomes.
//! - [`reply`]: library embeds and button ids as Discord builders, always
//!   with allowed mentions empty.

mod attach;
mod commands;
mod events;
mod outcomes;
mod reply;
mod state;
mod stats;

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use hexhelp::messages;
use poise::serenity_prelude as serenity;
use serenity::{ClientBuilder, GatewayIntents, HttpBuilder};
use tracing::{error, info, warn};

pub use state::Bot;

/// The bot token; never printed, not even in `Debug`.
pub struct Token(String);

impl Token {
    pub fn new(s: &str) -> Token {
        Token(s.to_string())
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

/// Which shards this process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardPlan {
    /// As many as Discord's `/gateway/bot` recommends, all here.
    Auto,
    /// Shards `first..=last` of `total`.
    Range { first: u32, last: u32, total: u32 },
}

#[derive(Debug)]
pub struct Config {
    pub token: Token,
    pub db: PathBuf,
    pub knowledge: Option<PathBuf>,
    pub api_proxy: Option<String>,
    pub shards: ShardPlan,
    pub message_content: bool,
    /// For tests: hosts resolved to these addresses for REST calls.
    pub resolve: Vec<(String, SocketAddr)>,
    /// For tests: an extra CA certificate (PEM) trusted for REST calls.
    pub extra_ca: Option<Vec<u8>>,
}

/// Why the bot could not start or stopped, as a sentence for the operator.
#[derive(Debug)]
pub struct StartError(String);

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_unauthorized(e: &serenity::Error) -> bool {
    matches!(e, serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)) if r.status_code.as_u16() == 401)
}

/// The REST client: through the API proxy (which handles rate limits, so
/// serenity's own limiter is off), or straight to Discord with serenity's
/// rate limiter.
fn http(config: &Config) -> Result<serenity::Http, StartError> {
    let mut builder = HttpBuilder::new(config.token.expose())
        .default_allowed_mentions(serenity::CreateAllowedMentions::new());
    if let Some(proxy) = &config.api_proxy {
        builder = builder
            .proxy(proxy.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    if !config.resolve.is_empty() || config.extra_ca.is_some() {
        let mut client = reqwest::Client::builder().use_rustls_tls();
        for (host, addr) in &config.resolve {
            client = client.resolve(host, *addr);
        }
        if let Some(pem) = &config.extra_ca {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| StartError(format!("--extra-ca: {e}")))?;
            client = client.add_root_certificate(cert);
        }
        let client = client
            .build()
            .map_err(|e| StartError(format!("cannot build the HTTP client: {e}")))?;
        builder = builder.client(client);
    }
    Ok(builder.build())
}

/// Runs the bot until Ctrl-C or SIGTERM (then `Ok`), or until Discord
/// refuses it.
pub async fn run(config: Config) -> Result<(), StartError> {
    let bot = Arc::new(Bot::open(&config).map_err(|e| StartError(e.to_string()))?);
    let http = http(&config)?;
    if !attach::ocr_available() {
        warn!("{}", messages::attach::OCR_OFF_AT_START);
    }

    // One call before connecting: a bad token fails here with a clear
    // sentence, and the gateway URL and shard count come from it.
    let gateway = match http.get_bot_gateway().await {
        Ok(g) => g,
        Err(e) if is_unauthorized(&e) => return Err(StartError(messages::TOKEN_REJECTED.into())),
        Err(e) => return Err(StartError(format!("cannot reach Discord: {e}"))),
    };
    info!(shards = gateway.shards, "Discord accepted the token");

    // Reactions: the author asks for an offered answer with one.
    let mut intents = GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::GUILD_MESSAGE_REACTIONS;
    if config.message_content {
        intents |= GatewayIntents::MESSAGE_CONTENT;
    } else {
        warn!(
            "running without the Message Content intent: only mentions, slash commands and the context menu work"
        );
    }

    let framework = poise::Framework::builder()
        .options(commands::options())
        .initialize_owners(false)
        .setup({
            let bot = bot.clone();
            move |ctx, ready, framework| {
                Box::pin(async move {
                    bot.set_me(ready.user.id.get());
                    info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected");
                    info!(
                        "invite link: {}",
                        hexhelp::bot::settings::invite_url(ready.application.id.get())
                    );
                    match poise::builtins::register_globally(ctx, &framework.options().commands)
                        .await
                    {
                        Ok(()) => info!("slash commands registered"),
                        Err(e) => error!("cannot register the slash commands: {e}"),
                    }
                    Ok(bot)
                })
            }
        })
        .build();

    let mut client = ClientBuilder::new_with_http(http, intents)
        .framework(framework)
        .await
        .map_err(|e| StartError(format!("cannot start the Discord client: {e}")))?;
    *client.ws_url.lock().await = gateway.url.clone();

    // Listening from the start, so that no signal is missed.
    let mut signals = Signals::new();
    let shard_manager = client.shard_manager.clone();
    let stopping = bot.clone();
    tokio::spawn(async move {
        signals.next().await;
        info!("shutting down");
        // No event is handled from here on, whatever the gateway does.
        stopping.stop();
        // serenity's shutdown does nothing while a shard waits in its
        // queue to reconnect (no runner to stop), and otherwise waits for
        // the gateway: it gets a few seconds, then the process ends.
        if shard_manager.runners.lock().await.is_empty() {
            // Every shard waits to reconnect: no connection to close, and
            // nothing would stop serenity's queue from connecting again.
            info!("no gateway connection to close; stopped");
            std::process::exit(0);
        }
        let manager = shard_manager.clone();
        tokio::spawn(async move { manager.shutdown_all().await });
        tokio::select! {
            _ = tokio::time::sleep(SHUTDOWN_GRACE) => {
                warn!("the gateway connection did not close in time; stopping anyway");
                std::process::exit(0);
            }
            _ = signals.next() => {
                warn!("second signal: stopping now");
                std::process::exit(130);
            }
        }
    });

    let result = match config.shards {
        ShardPlan::Auto => client.start_shards(gateway.shards.max(1)).await,
        ShardPlan::Range { first, last, total } => {
            client.start_shard_range(first..last + 1, total).await
        }
    };
    match result {
        Ok(()) => {
            info!("stopped");
            Ok(())
        }
        Err(serenity::Error::Gateway(serenity::GatewayError::InvalidAuthentication)) => {
            Err(StartError(messages::TOKEN_REJECTED.into()))
        }
        Err(serenity::Error::Gateway(serenity::GatewayError::DisallowedGatewayIntents)) => {
            Err(StartError(messages::INTENT_DISALLOWED.into()))
        }
        Err(e) => Err(StartError(format!("the Discord connection failed: {e}"))),
    }
}

/// How long a graceful stop may take before the process just ends.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// Ctrl-C, or SIGTERM on Unix, as many times as they come.
struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let listen = |kind: SignalKind, name: &str| match signal(kind) {
                Ok(s) => Some(s),
                Err(e) => {
                    warn!("cannot listen for {name}: {e}");
                    None
                }
            };
            Signals {
                term: listen(SignalKind::terminate(), "SIGTERM"),
                int: listen(SignalKind::interrupt(), "SIGINT"),
            }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        {
            async fn recv(s: &mut Option<tokio::signal::unix::Signal>) {
                match s {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
            tokio::select! {
                _ = recv(&mut self.term) => {}
                _ = recv(&mut self.int) => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
