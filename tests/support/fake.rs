//! A loopback Discord: the gateway over WebSocket (hello, identify,
//! heartbeat and ack, ready, dispatches, resume with replay; shards, each
//! guild's events going to shard `(guild_id >> 22) % total`) and the REST
//! routes the bot uses, answering with JSON as Discord does, over plain
//! HTTP (for `--api-proxy`) and over TLS as `discord.com` (for serenity's
//! own rate limiter). It records every request and gateway message so
//! tests can assert on what the bot did.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, mpsc};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::payloads::{self, APP};

/// How often the bot must heartbeat (short, so heartbeats happen in tests).
pub const HEARTBEAT_MS: u64 = 1_500;

/// One REST request as the fake received it, and the status it answered.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub at: Instant,
    pub method: String,
    pub path: String,
    pub query: String,
    pub auth: Option<String>,
    pub body: Value,
    pub status: u16,
}

impl Recorded {
    pub fn is(&self, method: &str, path: &str) -> bool {
        self.method == method && self.path == path
    }
}

/// What the gateway side saw.
#[derive(Debug, Clone, Default)]
pub struct GatewayLog {
    pub connections: usize,
    pub identifies: Vec<Value>,
    pub resumes: Vec<Value>,
    pub heartbeats: usize,
    /// Sequence number of the last dispatch sent.
    pub seq: u64,
    pub session_id: Option<String>,
    /// Connections dropped while the gateway was down.
    pub refused: usize,
}

/// A 429 for the next `times` requests to `method path`.
#[derive(Debug, Clone)]
pub struct RateLimit {
    pub method: String,
    pub path: String,
    pub times: usize,
    pub retry_after: f64,
}

#[derive(Debug, Default)]
pub struct Rules {
    pub rate_limits: Vec<RateLimit>,
    /// Channels where sending answers 403 Missing Permissions.
    pub forbidden: HashSet<u64>,
    /// Close the connection with 4014 (disallowed intents) when identify
    /// asks for the Message Content intent.
    pub refuse_message_content: bool,
    /// Answer 404 to deleting an interaction's original message.
    pub fail_original_delete: bool,
    /// The gateway is unreachable: connections are closed at once.
    pub gateway_down: bool,
    /// Posted messages are answered 200 with a body that is not JSON.
    pub garbled_post_reply: bool,
}

enum GwCmd {
    Send(String),
    Close(u16),
    Drop,
}

/// One gateway session: its shard, its frames (for replay on resume) and
/// its connection while it has one.
struct Session {
    shard: u64,
    seq: u64,
    frames: Vec<(u64, String)>,
    current: Option<mpsc::UnboundedSender<GwCmd>>,
}

#[derive(Default)]
struct Gateway {
    log: GatewayLog,
    /// By session id. A new identify on a shard ends that shard's
    /// disconnected sessions; connected ones go on (two processes on one
    /// shard both get its events, as on Discord during a handover).
    sessions: HashMap<String, Session>,
    /// Shards in all (1 unless a test says otherwise).
    shard_total: u64,
}

impl Gateway {
    fn shard_of(&self, d: &Value) -> u64 {
        let total = self.shard_total.max(1);
        d["guild_id"]
            .as_str()
            .and_then(|g| g.parse::<u64>().ok())
            .map_or(0, |g| (g >> 22) % total)
    }
}

struct Inner {
    /// Messages dispatched with MESSAGE_CREATE, by id, for GET.
    messages: Mutex<std::collections::HashMap<String, Value>>,
    token: String,
    gw_url: String,
    requests: Mutex<Vec<Recorded>>,
    gateway: Mutex<Gateway>,
    rules: Mutex<Rules>,
    changed: Notify,
    sessions: AtomicU64,
    /// GUILD_CREATE payloads, each sent to its shard after READY.
    guilds: Mutex<Vec<Value>>,
}

/// Everything recorded so far.
pub struct Snapshot {
    pub requests: Vec<Recorded>,
    pub gateway: GatewayLog,
}

impl Snapshot {
    pub fn posts_to(&self, path: &str) -> Vec<&Recorded> {
        self.requests
            .iter()
            .filter(|r| r.is("POST", path))
            .collect()
    }
}

pub struct FakeDiscord {
    inner: Arc<Inner>,
    pub http_addr: SocketAddr,
    pub tls_addr: SocketAddr,
    /// The test CA that signed the TLS certificate for discord.com (PEM).
    pub ca_pem: String,
}

fn tls_acceptor() -> (TlsAcceptor, String) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "hexhelp test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["discord.com".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca, &ca_key)
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone()], key)
        .unwrap();
    (TlsAcceptor::from(Arc::new(config)), ca.pem())
}

impl FakeDiscord {
    /// Starts the three listeners on loopback ports; `token` is the only
    /// bot token it accepts.
    pub async fn start(token: &str) -> FakeDiscord {
        let http = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let tls = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gw = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gw_url = format!("ws://{}", gw.local_addr().unwrap());
        let inner = Arc::new(Inner {
            messages: Mutex::new(std::collections::HashMap::new()),
            token: token.to_string(),
            gw_url,
            requests: Mutex::new(Vec::new()),
            gateway: Mutex::new(Gateway::default()),
            rules: Mutex::new(Rules::default()),
            changed: Notify::new(),
            sessions: AtomicU64::new(0),
            guilds: Mutex::new(vec![payloads::guild_create()]),
        });
        let (acceptor, ca_pem) = tls_acceptor();
        let fake = FakeDiscord {
            inner: inner.clone(),
            http_addr: http.local_addr().unwrap(),
            tls_addr: tls.local_addr().unwrap(),
            ca_pem,
        };
        let i = inner.clone();
        tokio::spawn(async move {
            while let Ok((s, _)) = http.accept().await {
                tokio::spawn(serve_http(s, i.clone()));
            }
        });
        let i = inner.clone();
        tokio::spawn(async move {
            while let Ok((s, _)) = tls.accept().await {
                let (i, acceptor) = (i.clone(), acceptor.clone());
                tokio::spawn(async move {
                    if let Ok(stream) = acceptor.accept(s).await {
                        serve_http(stream, i).await;
                    }
                });
            }
        });
        let i = inner;
        tokio::spawn(async move {
            while let Ok((s, _)) = gw.accept().await {
                tokio::spawn(gateway_conn(s, i.clone()));
            }
        });
        fake
    }

    pub fn proxy_url(&self) -> String {
        format!("http://{}", self.http_addr)
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            requests: self.inner.requests.lock().unwrap().clone(),
            gateway: self.inner.gateway.lock().unwrap().log.clone(),
        }
    }

    pub fn rules(&self, f: impl FnOnce(&mut Rules)) {
        f(&mut self.inner.rules.lock().unwrap());
    }

    /// Sends a dispatch (op 0) on the current connection, or keeps it for
    /// replay when the bot is disconnected.
    pub fn dispatch(&self, t: &str, d: Value) {
        dispatch(&self.inner, t, d);
    }

    pub fn message(&self, m: &payloads::Msg<'_>) -> Value {
        let v = payloads::message(m);
        self.inner
            .messages
            .lock()
            .unwrap()
            .insert(m.id.to_string(), v.clone());
        self.dispatch("MESSAGE_CREATE", v.clone());
        v
    }

    pub fn interaction(&self, payload: Value) -> Value {
        self.dispatch("INTERACTION_CREATE", payload.clone());
        payload
    }

    /// Someone adds `emoji` to `message` (a MESSAGE_CREATE payload).
    pub fn reaction(&self, message: &Value, user: u64, emoji: &str) {
        self.dispatch(
            "MESSAGE_REACTION_ADD",
            payloads::reaction_add(message, user, emoji),
        );
    }

    /// Closes every gateway connection with a close frame.
    pub fn close_gateway(&self, code: u16) {
        for s in self.inner.gateway.lock().unwrap().sessions.values_mut() {
            if let Some(c) = s.current.take() {
                let _ = c.send(GwCmd::Close(code));
            }
        }
    }

    /// Drops every gateway connection without a close frame.
    pub fn drop_gateway(&self) {
        for s in self.inner.gateway.lock().unwrap().sessions.values_mut() {
            if let Some(c) = s.current.take() {
                let _ = c.send(GwCmd::Drop);
            }
        }
    }

    /// Sends a dispatch on `shard` whatever its guild, as Discord does for
    /// a guild moving between shards during a handover.
    pub fn dispatch_on_shard(&self, shard: u64, t: &str, d: Value) {
        send_to_shard(&self.inner, Some(shard), t, &d);
    }

    /// The bot runs `total` shards: each guild's events go to its shard.
    pub fn set_shard_total(&self, total: u64) {
        self.inner.gateway.lock().unwrap().shard_total = total;
    }

    /// One more guild (a GUILD_CREATE payload), sent to its shard on
    /// identify.
    pub fn add_guild(&self, guild: Value) {
        self.inner.guilds.lock().unwrap().push(guild);
    }

    /// Shards with a connection now.
    pub fn connected_shards(&self) -> Vec<u64> {
        let gw = self.inner.gateway.lock().unwrap();
        let mut v: Vec<u64> = gw
            .sessions
            .values()
            .filter(|s| s.current.is_some())
            .map(|s| s.shard)
            .collect();
        v.sort_unstable();
        v
    }

    /// Waits until `check` finds what it looks for in the recorded
    /// traffic; panics with `what` and the traffic after `timeout`.
    pub async fn wait_for<T>(
        &self,
        what: &str,
        timeout: Duration,
        check: impl Fn(&Snapshot) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.inner.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(t) = check(&self.snapshot()) {
                return t;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let snap = self.snapshot();
                let reqs: Vec<String> = snap
                    .requests
                    .iter()
                    .map(|r| format!("{} {} -> {}", r.method, r.path, r.status))
                    .collect();
                panic!(
                    "timed out waiting for {what}\nrequests:\n{}\ngateway: {:?}",
                    reqs.join("\n"),
                    snap.gateway
                );
            }
        }
    }

    /// Waits until the bot has identified and registered its commands,
    /// that is until it answers events.
    pub async fn ready(&self) -> Snapshot {
        let path = format!("/api/v10/applications/{APP}/commands");
        self.wait_for(
            "identify and command registration",
            Duration::from_secs(20),
            |s| {
                (!s.gateway.identifies.is_empty() && s.requests.iter().any(|r| r.is("PUT", &path)))
                    .then_some(())
            },
        )
        .await;
        self.snapshot()
    }
}

/// Sends a dispatch to every session of the shard its guild is on.
fn dispatch(inner: &Inner, t: &str, d: Value) {
    send_to_shard(inner, None, t, &d);
}

/// Sends a dispatch to every session of `shard`, or of the shard the
/// payload's guild is on.
fn send_to_shard(inner: &Inner, shard: Option<u64>, t: &str, d: &Value) {
    {
        let mut gw = inner.gateway.lock().unwrap();
        let shard = shard.unwrap_or_else(|| gw.shard_of(d));
        let ids: Vec<String> = gw
            .sessions
            .iter()
            .filter(|(_, s)| s.shard == shard)
            .map(|(id, _)| id.clone())
            .collect();
        for id in ids {
            send_to(&mut gw, &id, t, d);
        }
    }
    inner.changed.notify_waiters();
}

/// Sends a dispatch in one session (kept for replay when disconnected).
fn send_to(gw: &mut Gateway, session: &str, t: &str, d: &Value) {
    let Some(s) = gw.sessions.get_mut(session) else {
        return;
    };
    s.seq += 1;
    let seq = s.seq;
    let frame = json!({"op": 0, "s": seq, "t": t, "d": d}).to_string();
    s.frames.push((seq, frame.clone()));
    if let Some(c) = &s.current {
        let _ = c.send(GwCmd::Send(frame));
    }
    gw.log.seq = seq;
}

async fn gateway_conn(stream: TcpStream, inner: Arc<Inner>) {
    if inner.rules.lock().unwrap().gateway_down {
        // Unreachable: the connection is closed before the handshake.
        inner.gateway.lock().unwrap().log.refused += 1;
        inner.changed.notify_waiters();
        drop(stream);
        return;
    }
    let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut source) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<GwCmd>();
    inner.gateway.lock().unwrap().log.connections += 1;
    inner.changed.notify_waiters();
    let hello = json!({"op": 10, "s": null, "t": null, "d": {"heartbeat_interval": HEARTBEAT_MS, "_trace": ["[\"gateway-test\"]"]}});
    if sink.send(WsMessage::Text(hello.to_string())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            msg = source.next() => {
                let text = match msg {
                    Some(Ok(WsMessage::Text(t))) => t,
                    Some(Ok(WsMessage::Binary(_) | WsMessage::Ping(_) | WsMessage::Pong(_) | WsMessage::Frame(_))) => continue,
                    _ => break,
                };
                let Ok(v) = serde_json::from_str::<Value>(&text) else { break };
                match v["op"].as_u64() {
                    Some(1) => {
                        inner.gateway.lock().unwrap().log.heartbeats += 1;
                        inner.changed.notify_waiters();
                        if sink.send(WsMessage::Text(json!({"op": 11, "s": null, "t": null, "d": null}).to_string())).await.is_err() {
                            break;
                        }
                    }
                    Some(2) => {
                        let content = v["d"]["intents"].as_u64().unwrap_or(0) & (1 << 15) != 0;
                        if content && inner.rules.lock().unwrap().refuse_message_content {
                            inner.gateway.lock().unwrap().log.identifies.push(v["d"].clone());
                            let frame = CloseFrame { code: CloseCode::from(4014), reason: "Disallowed intent(s).".into() };
                            let _ = sink.send(WsMessage::Close(Some(frame))).await;
                            break;
                        }
                        identify(&inner, &tx, v["d"].clone());
                    }
                    Some(6) if !resume(&inner, &tx, v["d"].clone()) => {
                        let invalid = json!({"op": 9, "s": null, "t": null, "d": false});
                        let _ = sink.send(WsMessage::Text(invalid.to_string())).await;
                    }
                    _ => {}
                }
            }
            cmd = rx.recv() => match cmd {
                Some(GwCmd::Send(frame)) => {
                    if sink.send(WsMessage::Text(frame)).await.is_err() {
                        break;
                    }
                }
                Some(GwCmd::Close(code)) => {
                    let frame = CloseFrame { code: CloseCode::from(code), reason: "test closes the connection".into() };
                    let _ = sink.send(WsMessage::Close(Some(frame))).await;
                    break;
                }
                Some(GwCmd::Drop) | None => break,
            }
        }
    }
    let mut gw = inner.gateway.lock().unwrap();
    for s in gw.sessions.values_mut() {
        if s.current.as_ref().is_some_and(|c| c.same_channel(&tx)) {
            s.current = None;
        }
    }
    drop(gw);
    inner.changed.notify_waiters();
}

fn identify(inner: &Arc<Inner>, tx: &mpsc::UnboundedSender<GwCmd>, d: Value) {
    let n = inner.sessions.fetch_add(1, Ordering::Relaxed);
    let session = format!("{:032x}", 0xfeed_0000_u64 + n);
    let shard = d["shard"].clone();
    let shard_id = shard[0].as_u64().unwrap_or(0);
    let mut ready = payloads::ready(&session, &inner.gw_url);
    if shard.is_array() {
        ready["shard"] = shard;
    }
    let guilds = inner.guilds.lock().unwrap().clone();
    {
        let mut gw = inner.gateway.lock().unwrap();
        gw.log.identifies.push(d);
        gw.log.session_id = Some(session.clone());
        gw.log.seq = 0;
        gw.sessions
            .retain(|_, s| s.shard != shard_id || s.current.is_some());
        gw.sessions.insert(
            session.clone(),
            Session {
                shard: shard_id,
                seq: 0,
                frames: Vec::new(),
                current: Some(tx.clone()),
            },
        );
        let mine: Vec<&Value> = guilds
            .iter()
            .filter(|g| gw.shard_of(&json!({"guild_id": g["id"]})) == shard_id)
            .collect();
        ready["guilds"] = Value::Array(
            mine.iter()
                .map(|g| json!({"unavailable": true, "id": g["id"]}))
                .collect(),
        );
        send_to(&mut gw, &session, "READY", &ready);
        for g in mine {
            send_to(&mut gw, &session, "GUILD_CREATE", g);
        }
    }
    inner.changed.notify_waiters();
}

/// Resumes the session: replays what the bot missed, then RESUMED.
fn resume(inner: &Arc<Inner>, tx: &mpsc::UnboundedSender<GwCmd>, d: Value) -> bool {
    let id = d["session_id"].as_str().unwrap_or("").to_string();
    {
        let mut gw = inner.gateway.lock().unwrap();
        gw.log.resumes.push(d.clone());
        let Some(s) = gw.sessions.get_mut(&id) else {
            return false;
        };
        if d["token"].as_str().is_none() {
            return false;
        }
        let from = d["seq"].as_u64().unwrap_or(0);
        for (seq, frame) in &s.frames {
            if *seq > from {
                let _ = tx.send(GwCmd::Send(frame.clone()));
            }
        }
        s.current = Some(tx.clone());
        send_to(
            &mut gw,
            &id,
            "RESUMED",
            &json!({"_trace": ["[\"gateway-test\"]"]}),
        );
    }
    inner.changed.notify_waiters();
    true
}

struct Response {
    status: u16,
    body: Option<Value>,
    headers: Vec<(String, String)>,
}

fn json_response(status: u16, body: Value) -> Response {
    Response {
        status,
        body: Some(body),
        headers: Vec::new(),
    }
}

fn no_content() -> Response {
    Response {
        status: 204,
        body: None,
        headers: Vec::new(),
    }
}

fn error(status: u16, message: &str, code: u64) -> Response {
    json_response(status, json!({"message": message, "code": code}))
}

fn route(inner: &Inner, method: &str, path: &str, auth: Option<&str>, body: &Value) -> Response {
    if auth != Some(format!("Bot {}", inner.token).as_str()) {
        return error(401, "401: Unauthorized", 0);
    }
    let Some(rest) = path.strip_prefix("/api/v10/") else {
        return error(404, "404: Not Found", 0);
    };
    let parts: Vec<&str> = rest.split('/').collect();
    {
        let mut rules = inner.rules.lock().unwrap();
        if let Some(rl) = rules
            .rate_limits
            .iter_mut()
            .find(|r| r.method == method && r.path == path && r.times > 0)
        {
            rl.times -= 1;
            let retry = rl.retry_after;
            let mut r = json_response(
                429,
                json!({"message": "You are being rate limited.", "retry_after": retry, "global": false, "code": 0}),
            );
            r.headers = vec![
                ("retry-after".into(), format!("{retry}")),
                ("x-ratelimit-limit".into(), "5".into()),
                ("x-ratelimit-remaining".into(), "0".into()),
                ("x-ratelimit-reset-after".into(), format!("{retry}")),
                ("x-ratelimit-bucket".into(), "f0b5a1c3d2e4".into()),
                ("x-ratelimit-scope".into(), "user".into()),
            ];
            return r;
        }
        if method == "POST"
            && parts.len() == 3
            && parts[0] == "channels"
            && parts[2] == "messages"
            && parts[1]
                .parse::<u64>()
                .is_ok_and(|c| rules.forbidden.contains(&c))
        {
            return error(403, "Missing Permissions", 50013);
        }
        if method == "DELETE" && path.ends_with("/messages/@original") && rules.fail_original_delete
        {
            return error(404, "Unknown Message", 10008);
        }
    }
    match (method, parts.as_slice()) {
        // serenity asks for the plain gateway URL while building the client;
        // hexhelp must connect to the one /gateway/bot names.
        ("GET", ["gateway"]) => json_response(200, json!({"url": "ws://127.0.0.1:9"})),
        ("GET", ["gateway", "bot"]) => json_response(
            200,
            json!({
                "url": inner.gw_url,
                "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
            }),
        ),
        ("GET", ["users", "@me"]) => json_response(200, payloads::user_of(payloads::BOT)),
        ("PUT", ["applications", _, "commands"]) => {
            let list: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|mut c| {
                    let name = c["name"].as_str().unwrap_or("").to_string();
                    c["id"] = json!(payloads::command_id(&name));
                    c["application_id"] = json!(APP.to_string());
                    c["version"] = json!("1190000000000000999");
                    if c.get("type").is_none() {
                        c["type"] = json!(1);
                    }
                    if c.get("description").is_none() {
                        c["description"] = json!("");
                    }
                    c["nsfw"] = json!(false);
                    c
                })
                .collect();
            json_response(200, Value::Array(list))
        }
        ("GET", ["channels", id]) => match id.parse().ok().and_then(payloads::channel_by_id) {
            Some(c) => json_response(200, c),
            None => error(404, "Unknown Channel", 10003),
        },
        ("POST", ["channels", _, "messages"]) if inner.rules.lock().unwrap().garbled_post_reply => {
            Response {
                status: 200,
                body: None,
                headers: Vec::new(),
            }
        }
        ("POST", ["channels", id, "messages"]) => {
            let channel: u64 = id.parse().unwrap_or(0);
            let mut m = payloads::bot_message(payloads::snowflake(), channel, body);
            m["guild_id"] = json!(payloads::GUILD.to_string());
            json_response(200, m)
        }
        ("DELETE", ["channels", _, "messages", _]) => no_content(),
        ("PUT", ["channels", _, "messages", _, "reactions", _, "@me"]) => no_content(),
        ("GET", ["channels", _, "messages", id]) => match inner.messages.lock().unwrap().get(*id) {
            Some(m) => json_response(200, m.clone()),
            None => error(404, "Unknown Message", 10008),
        },
        ("POST", ["interactions", _, _, "callback"]) => no_content(),
        ("POST", ["webhooks", _, _]) | ("PATCH", ["webhooks", _, _, "messages", _]) => {
            let mut m = payloads::bot_message(payloads::snowflake(), payloads::HELP, body);
            m["webhook_id"] = json!(APP.to_string());
            m["application_id"] = json!(APP.to_string());
            json_response(200, m)
        }
        ("GET", ["webhooks", _, _, "messages", _]) => json_response(
            200,
            payloads::bot_message(payloads::snowflake(), payloads::HELP, &json!({})),
        ),
        ("DELETE", ["webhooks", _, _, "messages", _]) => no_content(),
        _ => error(404, "404: Not Found", 0),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Status",
    }
}

/// HTTP/1.1 with keep-alive, as reqwest speaks it: request line, headers,
/// a body of Content-Length bytes.
async fn serve_http<S: AsyncRead + AsyncWrite + Unpin>(stream: S, inner: Arc<Inner>) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        if line.trim().is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let method = words.next().unwrap_or("").to_string();
        let target = words.next().unwrap_or("").to_string();
        let mut length = 0usize;
        let mut auth = None;
        let mut close = false;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).await.unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((name, value)) = h.split_once(':') {
                let value = value.trim();
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => length = value.parse().unwrap_or(0),
                    "authorization" => auth = Some(value.to_string()),
                    "connection" => close = value.eq_ignore_ascii_case("close"),
                    _ => {}
                }
            }
        }
        let mut raw = vec![0u8; length];
        if reader.read_exact(&mut raw).await.is_err() {
            return;
        }
        let body: Value = serde_json::from_slice(&raw).unwrap_or(Value::Null);
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (target.clone(), String::new()),
        };
        let resp = route(&inner, &method, &path, auth.as_deref(), &body);
        inner.requests.lock().unwrap().push(Recorded {
            at: Instant::now(),
            method,
            path,
            query,
            auth,
            body,
            status: resp.status,
        });
        let payload = match resp.body {
            Some(b) => b.to_string(),
            // A 200 whose body is cut off: not JSON.
            None if resp.status == 200 => "{\"id\": \"12".to_string(),
            None => String::new(),
        };
        let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
        head.push_str("content-type: application/json\r\n");
        if resp.status != 204 {
            head.push_str(&format!("content-length: {}\r\n", payload.len()));
        }
        if resp.status != 429 {
            head.push_str("x-ratelimit-limit: 50\r\nx-ratelimit-remaining: 49\r\nx-ratelimit-reset-after: 0.001\r\nx-ratelimit-bucket: 41f9cd5d28af77da04563bcb1d67fdfd\r\n");
        }
        for (k, v) in &resp.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let w = reader.get_mut();
        if w.write_all(head.as_bytes()).await.is_err()
            || w.write_all(payload.as_bytes()).await.is_err()
        {
            return;
        }
        let _ = w.flush().await;
        inner.changed.notify_waiters();
        if close {
            return;
        }
    }
}
