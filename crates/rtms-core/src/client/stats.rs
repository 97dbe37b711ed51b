//! Counters a client keeps without locks: frames per message type, media bytes, skips.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::protocol::MediaType;

/// Live counters of one client (all sessions it joined).
#[derive(Debug, Default)]
pub struct Stats {
    frames: [AtomicU64; 32],
    media_bytes: [AtomicU64; 5],
    skipped: AtomicU64,
    unknown: AtomicU64,
    keepalives: AtomicU64,
}

/// A copy of [`Stats`] at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// Frames received, indexed by `msg_type` (index 0 counts types >= 32 too).
    pub frames: [u64; 32],
    /// Media packets received per type: audio, video, deskshare, transcript, chat.
    pub media_packets: [u64; 5],
    /// Decoded payload bytes per type, same order.
    pub media_bytes: [u64; 5],
    /// Frames skipped because they could not be decoded (malformed JSON, bad base64, ...).
    pub skipped: u64,
    /// Frames with a `msg_type` this version does not know.
    pub unknown: u64,
    /// Keep-alive requests answered.
    pub keepalives_answered: u64,
}

pub(crate) fn media_index(kind: MediaType) -> usize {
    match kind.0 {
        1 => 0,
        2 => 1,
        4 => 2,
        8 => 3,
        _ => 4,
    }
}

impl Stats {
    pub(crate) fn frame(&self, msg_type: i64) {
        let i = if (0..32).contains(&msg_type) { msg_type as usize } else { 0 };
        self.frames[i].fetch_add(1, Relaxed);
    }
    pub(crate) fn media(&self, kind: MediaType, bytes: usize) {
        self.media_bytes[media_index(kind)].fetch_add(bytes as u64, Relaxed);
    }
    pub(crate) fn skipped(&self) {
        self.skipped.fetch_add(1, Relaxed);
    }
    pub(crate) fn unknown(&self) {
        self.unknown.fetch_add(1, Relaxed);
    }
    pub(crate) fn keepalive(&self) {
        self.keepalives.fetch_add(1, Relaxed);
    }

    /// Reads every counter.
    pub fn snapshot(&self) -> StatsSnapshot {
        let mut s = StatsSnapshot::default();
        for (i, f) in self.frames.iter().enumerate() {
            s.frames[i] = f.load(Relaxed);
        }
        for i in 0..5 {
            s.media_packets[i] = s.frames[14 + i];
            s.media_bytes[i] = self.media_bytes[i].load(Relaxed);
        }
        s.skipped = self.skipped.load(Relaxed);
        s.unknown = self.unknown.load(Relaxed);
        s.keepalives_answered = self.keepalives.load(Relaxed);
        s
    }
}
