//! Flood limits: how many times a minute the bot acts (an answer, an offer,
//! a reaction) for one member and in one channel. A moderator sets both per
//! server; 0 switches a limit off. The first refusal in each minute is
//! reported so the Discord layer logs it once, not once per message.

use std::collections::{HashMap, VecDeque};

/// The window both limits count in.
pub const WINDOW_MS: u64 = 60_000;

/// Answers a minute for one member, unless a moderator sets another.
pub const DEFAULT_MEMBER_LIMIT: u32 = 5;

/// Answers a minute in one channel or thread, unless a moderator sets
/// another.
pub const DEFAULT_CHANNEL_LIMIT: u32 = 20;

/// The highest limit a moderator can set.
pub const MAX_LIMIT: u32 = 120;

/// Which limit refused, and whether it is the first refusal of that limit
/// in its window (log it then).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    Member { first: bool },
    Channel { first: bool },
}

#[derive(Debug, Default)]
struct Window {
    /// When the bot acted, oldest first; never more than the limit.
    times: VecDeque<u64>,
    /// When a refusal was last reported.
    reported: Option<u64>,
}

impl Window {
    fn forget_old(&mut self, now_ms: u64) {
        while self
            .times
            .front()
            .is_some_and(|&t| now_ms.saturating_sub(t) >= WINDOW_MS)
        {
            self.times.pop_front();
        }
    }

    fn full(&mut self, limit: u32, now_ms: u64) -> bool {
        self.forget_old(now_ms);
        limit != 0 && self.times.len() >= limit as usize
    }

    /// The first refusal since the window last had room.
    fn first_refusal(&mut self, now_ms: u64) -> bool {
        let first = self
            .reported
            .is_none_or(|t| now_ms.saturating_sub(t) >= WINDOW_MS);
        if first {
            self.reported = Some(now_ms);
        }
        first
    }

    fn push(&mut self, limit: u32, now_ms: u64) {
        if limit == 0 {
            return;
        }
        self.times.push_back(now_ms);
        while self.times.len() > limit as usize {
            self.times.pop_front();
        }
    }

    fn idle(&self, now_ms: u64) -> bool {
        self.times
            .back()
            .is_none_or(|&t| now_ms.saturating_sub(t) >= WINDOW_MS)
    }
}

/// The counters; memory stays bounded (idle windows are dropped).
#[derive(Debug, Default)]
pub struct Limits {
    members: HashMap<(u64, u64), Window>,
    channels: HashMap<u64, Window>,
}

const PRUNE_AT: usize = 10_000;

impl Limits {
    /// May the bot act for `member` of `guild` in `channel` now? When it
    /// may, the action is counted against both limits.
    pub fn admit(
        &mut self,
        guild: u64,
        member: u64,
        channel: u64,
        member_limit: u32,
        channel_limit: u32,
        now_ms: u64,
    ) -> Result<(), Limited> {
        if self.members.len() > PRUNE_AT {
            self.members.retain(|_, w| !w.idle(now_ms));
        }
        if self.channels.len() > PRUNE_AT {
            self.channels.retain(|_, w| !w.idle(now_ms));
        }
        let m = self.members.entry((guild, member)).or_default();
        if m.full(member_limit, now_ms) {
            return Err(Limited::Member {
                first: m.first_refusal(now_ms),
            });
        }
        let c = self.channels.entry(channel).or_default();
        if c.full(channel_limit, now_ms) {
            return Err(Limited::Channel {
                first: c.first_refusal(now_ms),
            });
        }
        c.push(channel_limit, now_ms);
        if let Some(m) = self.members.get_mut(&(guild, member)) {
            m.push(member_limit, now_ms);
        }
        Ok(())
    }

    /// How many windows are kept (for tests of the memory bound).
    pub fn tracked(&self) -> usize {
        self.members.len() + self.channels.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_gets_at_most_the_limit_per_minute() {
        let mut l = Limits::default();
        for i in 0..3 {
            assert_eq!(l.admit(1, 7, 50, 3, 0, i * 1000), Ok(()), "answer {i}");
        }
        assert_eq!(
            l.admit(1, 7, 50, 3, 0, 4000),
            Err(Limited::Member { first: true })
        );
        assert_eq!(
            l.admit(1, 7, 51, 3, 0, 5000),
            Err(Limited::Member { first: false }),
            "in another channel too, reported once"
        );
        // Someone else is not held back.
        assert_eq!(l.admit(1, 8, 50, 3, 0, 5000), Ok(()));
        // The same id in another server is another member.
        assert_eq!(l.admit(2, 7, 60, 3, 0, 5000), Ok(()));
        // A minute after the first answer there is room for one more.
        assert_eq!(l.admit(1, 7, 50, 3, 0, 60_000), Ok(()));
        assert_eq!(
            l.admit(1, 7, 50, 3, 0, 60_001),
            Err(Limited::Member { first: false })
        );
        assert_eq!(l.admit(1, 7, 50, 3, 0, 61_000), Ok(()));
        assert_eq!(l.admit(1, 7, 50, 3, 0, 62_000), Ok(()));
        assert_eq!(
            l.admit(1, 7, 50, 3, 0, 64_001),
            Err(Limited::Member { first: true }),
            "a new window reports again"
        );
    }

    #[test]
    fn a_channel_gets_at_most_the_limit_per_minute() {
        let mut l = Limits::default();
        for member in 0..4 {
            assert_eq!(l.admit(1, member, 50, 0, 4, 10), Ok(()));
        }
        assert_eq!(
            l.admit(1, 99, 50, 0, 4, 20),
            Err(Limited::Channel { first: true })
        );
        assert_eq!(l.admit(1, 99, 51, 0, 4, 20), Ok(()), "another channel");
        // A refused message does not count against its member.
        let mut l = Limits::default();
        l.admit(1, 1, 50, 1, 1, 0).unwrap();
        assert!(l.admit(1, 2, 50, 1, 1, 1).is_err());
        assert_eq!(l.admit(1, 2, 51, 1, 1, 2), Ok(()));
    }

    #[test]
    fn zero_switches_a_limit_off() {
        let mut l = Limits::default();
        for i in 0..1000 {
            assert_eq!(l.admit(1, 7, 50, 0, 0, i), Ok(()));
        }
    }

    #[test]
    fn memory_is_bounded() {
        let mut l = Limits::default();
        for member in 0..(PRUNE_AT as u64 + 10) {
            l.admit(1, member, member, 5, 5, 0).unwrap();
        }
        l.admit(1, 1, 1, 5, 5, WINDOW_MS * 2).unwrap();
        assert!(l.tracked() < 10, "{}", l.tracked());
    }
}
