//! What the bot shares between events: the engine (swapped whole on
//! reload), the settings store with a cache in front, the policy's memory,
//! thread parents, and the channels where sending failed for lack of
//! permissions.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, Instant};

use hexhelp::answer::outcomes::{self, FixCounts};
use hexhelp::bot::store::Outcome;
use hexhelp::bot::{GuildSettings, Policy, Store, reports};
use hexhelp::error::Error;
use hexhelp::kb::{KnowledgeBase, Problems};
use hexhelp::render::discord;
use hexhelp::{Answer, Engine};
use tracing::{info, warn};

use super::Config;

/// After a 403 the bot stays quiet in that channel this long (the log says
/// so once), instead of failing on every message.
const FORBIDDEN_PAUSE: Duration = Duration::from_secs(60 * 60);

/// Thread facts the policy needs, per channel id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    /// A text, forum or other non-thread channel.
    Plain,
    /// A thread or forum post: the channel it's under and who started it.
    Thread {
        parent: Option<u64>,
        owner: Option<u64>,
    },
}

pub struct Bot {
    engine: RwLock<Arc<Engine>>,
    knowledge: Option<PathBuf>,
    store: Mutex<Store>,
    settings: RwLock<HashMap<u64, Arc<GuildSettings>>>,
    pub policy: Mutex<Policy>,
    channels: Mutex<HashMap<u64, ChannelKind>>,
    forbidden: Mutex<HashMap<u64, Instant>>,
    me: AtomicU64,
    stopping: AtomicBool,
}

/// A poisoned lock only means another task panicked while holding it; the
/// data is still usable (every update is a single insert or swap).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Bot {
    pub fn open(config: &Config) -> Result<Bot, Error> {
        let kb = KnowledgeBase::from_dir_or_bundled(config.knowledge.as_deref())?;
        info!(
            entries = kb.entries.len(),
            codes = kb.code_count(),
            "knowledge base loaded"
        );
        let store = Store::open(&config.db)?;
        info!(path = %config.db.display(), "settings database open");
        // Cooldowns and answered messages from before a restart.
        let mut policy = Policy::default();
        let memory = store.memory(super::events::now_ms())?;
        info!(
            answered = memory.answered.len(),
            cooldowns = memory.shown.len(),
            "answers remembered from the last run"
        );
        policy.restore(&memory);
        Ok(Bot {
            engine: RwLock::new(Arc::new(Engine::new(kb))),
            knowledge: config.knowledge.clone(),
            store: Mutex::new(store),
            settings: RwLock::new(HashMap::new()),
            policy: Mutex::new(policy),
            channels: Mutex::new(HashMap::new()),
            forbidden: Mutex::new(HashMap::new()),
            me: AtomicU64::new(0),
            stopping: AtomicBool::new(false),
        })
    }

    /// The engine in use; a reload swaps it without disturbing answers
    /// already underway.
    pub fn engine(&self) -> Arc<Engine> {
        self.engine
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Loads the knowledge base again from `--knowledge DIR`; on problems
    /// the one in use stays. `Ok(None)` when there is no directory.
    pub fn reload(&self) -> Result<Option<Arc<Engine>>, Problems> {
        let Some(dir) = &self.knowledge else {
            return Ok(None);
        };
        let engine = Arc::new(Engine::new(KnowledgeBase::from_dir(dir)?));
        *self.engine.write().unwrap_or_else(PoisonError::into_inner) = engine.clone();
        info!(
            entries = engine.kb().entries.len(),
            "knowledge base reloaded"
        );
        Ok(Some(engine))
    }

    /// From now on the bot handles no event and sends nothing new.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Keeps in the store that `message` was answered and `keys` shown in
    /// `channel` (failures are logged: the answer is out either way).
    pub fn remember_answer(
        &self,
        message: Option<u64>,
        channel: u64,
        keys: &[String],
        cooldown: Duration,
    ) {
        let now = super::events::now_ms();
        if let Err(e) = lock(&self.store).remember_answer(message, channel, keys, now, cooldown) {
            warn!(
                channel,
                message, "cannot keep the answer for the cooldown: {e}"
            );
        }
    }

    pub fn set_me(&self, id: u64) {
        self.me.store(id, Ordering::Relaxed);
    }

    pub fn me(&self) -> u64 {
        self.me.load(Ordering::Relaxed)
    }

    /// A server's settings, from the cache or the store.
    pub fn settings(&self, guild: u64) -> Result<Arc<GuildSettings>, Error> {
        if let Some(s) = self
            .settings
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&guild)
        {
            return Ok(s.clone());
        }
        let s = Arc::new(lock(&self.store).settings(guild)?);
        self.settings
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(guild, s.clone());
        Ok(s)
    }

    /// Runs `change` on the store, then refreshes the cached settings.
    pub fn change_settings<T>(
        &self,
        guild: u64,
        change: impl FnOnce(&Store) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let out = {
            let store = lock(&self.store);
            let out = change(&store)?;
            let fresh = Arc::new(store.settings(guild)?);
            self.settings
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(guild, fresh);
            out
        };
        Ok(out)
    }

    pub fn with_store<T>(&self, f: impl FnOnce(&Store) -> Result<T, Error>) -> Result<T, Error> {
        f(&lock(&self.store))
    }

    /// What people in `guild` (and the servers that share) reported about
    /// each fix of `key` (an entry id or `@ladder`); none when the store
    /// fails (logged), so the knowledge base's order stands.
    fn counts(
        &self,
        store: &Store,
        engine: &Engine,
        guild: Option<u64>,
        key: &str,
    ) -> Vec<FixCounts> {
        let n = discord::fixes_of(engine.kb(), key).map_or(0, |(_, f, _)| f.len());
        store.outcome_counts(guild, key, n).unwrap_or_else(|e| {
            warn!(key, "cannot read outcomes: {e}");
            Vec::new()
        })
    }

    /// Puts the answer's fixes in the order outcomes adapted for `guild`.
    pub fn adapt(&self, engine: &Engine, answer: &mut Answer, guild: Option<u64>) {
        let store = lock(&self.store);
        engine.adapt(answer, &|key| self.counts(&store, engine, guild, key));
    }

    /// The adapted order of `key`'s fixes for `guild`.
    pub fn order(&self, engine: &Engine, guild: Option<u64>, key: &str) -> outcomes::Order {
        let store = lock(&self.store);
        let counts = self.counts(&store, engine, guild, key);
        let fixes = discord::fixes_of(engine.kb(), key).map_or(&[][..], |(_, f, _)| f);
        outcomes::order(fixes, &counts)
    }

    /// Counts `outcome`; `Ok(false)` when the member had said the same.
    pub fn record_outcome(&self, outcome: &Outcome) -> Result<bool, Error> {
        lock(&self.store).record_outcome(outcome)
    }

    /// Counts an answer (`answered`) or a question that found nothing, for
    /// `/hexhelp stats`; failures are logged.
    pub fn count_answer(&self, guild: Option<u64>, answer: &Answer, answered: bool) {
        let code = answer.codes.first().map(|c| c.decoded.code);
        let entry = discord::subject(answer).map(|(k, _)| k);
        let day = reports::day_of(super::events::now_ms() / 1000);
        let r = lock(&self.store).count_answer(guild, day, code, entry.as_deref(), answered);
        if let Err(e) = r {
            warn!(guild, "cannot count the answer: {e}");
        }
    }

    pub fn channel_kind(&self, channel: u64) -> Option<ChannelKind> {
        lock(&self.channels).get(&channel).copied()
    }

    pub fn remember_channel(&self, channel: u64, kind: ChannelKind) {
        let mut map = lock(&self.channels);
        if map.len() > 50_000 {
            map.clear();
        }
        map.insert(channel, kind);
    }

    /// Is the bot pausing in `channel` after a permission error?
    pub fn is_forbidden(&self, channel: u64) -> bool {
        lock(&self.forbidden)
            .get(&channel)
            .is_some_and(|t| t.elapsed() < FORBIDDEN_PAUSE)
    }

    /// Notes a permission error in `channel`; logged the first time only.
    pub fn forbid(&self, channel: u64, guild: Option<u64>, what: &str) {
        let first = lock(&self.forbidden)
            .insert(channel, Instant::now())
            .is_none();
        if first {
            warn!(
                channel,
                guild,
                "missing permissions to {what} in this channel; staying quiet there for an hour (grant View Channel, Send Messages, Send Messages in Threads, Embed Links and Read Message History)"
            );
        }
    }
}
