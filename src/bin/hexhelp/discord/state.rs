//! What the bot shares between events: the engine (swapped whole on
//! reload), the store with a settings cache in front (entries expire after
//! [`SETTINGS_TTL`], so that a change made through another process on the
//! same database is in force here soon after), the claims that keep two
//! processes from answering one message or interaction, the policy's
//! memory, thread parents, and the channels where sending failed for lack
//! of permissions.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, Instant};

use hexhelp::Engine;
use hexhelp::bot::store::Claim;
use hexhelp::bot::{GuildSettings, Policy, Store};
use hexhelp::error::Error;
use hexhelp::kb::{KnowledgeBase, Problems};
use tracing::{info, warn};

use super::Config;

/// After a 403 the bot stays quiet in that channel this long (the log says
/// so once), instead of failing on every message.
const FORBIDDEN_PAUSE: Duration = Duration::from_secs(60 * 60);

/// A server's cached settings are read again after this long: another
/// process may have changed them.
pub const SETTINGS_TTL: Duration = Duration::from_secs(2);

/// Interactions remembered as claimed here (a command is checked within
/// moments of its claim).
const CLAIMED_KEPT: usize = 256;

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
    settings: RwLock<HashMap<u64, (Instant, Arc<GuildSettings>)>>,
    pub policy: Mutex<Policy>,
    channels: Mutex<HashMap<u64, ChannelKind>>,
    forbidden: Mutex<HashMap<u64, Instant>>,
    /// Interactions this process claimed, newest last.
    claimed: Mutex<VecDeque<u64>>,
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
        let mut store = Store::connect(&config.db)?;
        info!(path = %store.path(), "settings database open");
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
            claimed: Mutex::new(VecDeque::new()),
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

    /// Claims a message or interaction in the store before answering it:
    /// `false` when another process (or an earlier event here) has. When
    /// the store cannot be reached the answer goes out anyway (the log
    /// says so): in this process the policy still answers once.
    ///
    /// An interaction this process claimed stays its own: poise checks a
    /// subcommand once per level (`/hexhelp settings`: twice).
    pub fn claim(&self, what: Claim) -> bool {
        if let Claim::Interaction(id) = what
            && lock(&self.claimed).contains(&id)
        {
            return true;
        }
        match lock(&self.store).claim(what, super::events::now_ms()) {
            Ok(won) => {
                if won && let Claim::Interaction(id) = what {
                    let mut mine = lock(&self.claimed);
                    if mine.len() >= CLAIMED_KEPT {
                        mine.pop_front();
                    }
                    mine.push_back(id);
                }
                won
            }
            Err(e) => {
                warn!(?what, "cannot claim in the store, answering anyway: {e}");
                true
            }
        }
    }

    /// A server's settings, from the cache while fresh, or the store.
    pub fn settings(&self, guild: u64) -> Result<Arc<GuildSettings>, Error> {
        if let Some((at, s)) = self
            .settings
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&guild)
            && at.elapsed() < SETTINGS_TTL
        {
            return Ok(s.clone());
        }
        let s = Arc::new(lock(&self.store).settings(guild)?);
        self.cache(guild, s.clone());
        Ok(s)
    }

    fn cache(&self, guild: u64, s: Arc<GuildSettings>) {
        let mut map = self
            .settings
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        // Stale entries go when the map grows (servers that went quiet).
        if map.len() > 10_000 {
            map.retain(|_, (at, _)| at.elapsed() < SETTINGS_TTL);
        }
        map.insert(guild, (Instant::now(), s));
    }

    /// Runs `change` on the store, then refreshes the cached settings.
    pub fn change_settings<T>(
        &self,
        guild: u64,
        change: impl FnOnce(&mut Store) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let (out, fresh) = {
            let mut store = lock(&self.store);
            let out = change(&mut store)?;
            (out, Arc::new(store.settings(guild)?))
        };
        self.cache(guild, fresh);
        Ok(out)
    }

    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, Error>,
    ) -> Result<T, Error> {
        f(&mut lock(&self.store))
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
