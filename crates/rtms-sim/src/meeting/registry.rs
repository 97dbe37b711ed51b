//! The meeting's live sockets: one signaling socket per session, media sockets by type, and
//! queueing messages on them.

use std::time::Duration;

use rtms_core::protocol::MediaType;
use tokio::sync::mpsc;

use super::{MediaConn, Meeting, Refusal, SignalingConn};
use crate::server::link::Outbound;

impl Meeting {
    /// Makes `ctl` the signaling socket of a new session. One connection per stream: an older
    /// signaling socket and the media sockets of earlier sessions are closed and released at
    /// once, so a re-joining client's data handshakes are not refused as duplicates.
    pub fn register_signaling(&self, ctl: mpsc::UnboundedSender<Outbound>) -> u64 {
        let mut st = self.state();
        let id = st.next_id;
        st.next_id += 1;
        if let Some(old) = st.signaling.replace(SignalingConn { id, ctl }) {
            let _ = old.ctl.send(Outbound::Close);
        } else {
            self.live.send_modify(|n| *n += 1);
        }
        let stale = std::mem::take(&mut st.media);
        if !stale.is_empty() {
            tracing::info!(stream = %self.info.rtms_stream_id, sockets = stale.len(), "new session: closing the old media sockets");
            self.live.send_modify(|n| *n = n.saturating_sub(stale.len()));
        }
        for m in stale {
            let _ = m.ctl.send(Outbound::Close);
        }
        st.subscriptions.clear();
        drop(st);
        self.subscribed.send_replace(0);
        self.signaling_up.send_replace(true);
        id
    }

    pub fn unregister_signaling(&self, id: u64) {
        let mut st = self.state();
        if st.signaling.as_ref().is_some_and(|s| s.id == id) {
            st.signaling = None;
            drop(st);
            self.live.send_modify(|n| *n = n.saturating_sub(1));
            self.signaling_up.send_replace(false);
        }
    }

    pub fn has_signaling(&self) -> bool {
        self.state().signaling.is_some()
    }

    /// Claims the media types of a new socket: 15 next to an `all` socket, 16 for a type
    /// already served.
    pub fn register_media(&self, mask: u32, all: bool, ctl: mpsc::UnboundedSender<Outbound>) -> Result<u64, Refusal> {
        let mut st = self.state();
        if st.media.iter().any(|m| m.all) || (all && !st.media.is_empty()) {
            return Err((15, "a media connection for all types already exists".into()));
        }
        if let Some(m) = st.media.iter().find(|m| m.mask & mask != 0) {
            let taken: Vec<&str> = MediaType(m.mask & mask).singles().map(MediaType::key).collect();
            return Err((16, format!("duplicate media connection for {}", taken.join(", "))));
        }
        let id = st.next_id;
        st.next_id += 1;
        st.media.push(MediaConn { id, mask, all, ctl });
        self.live.send_modify(|n| *n += 1);
        Ok(id)
    }

    pub fn unregister_media(&self, id: u64) {
        let mut st = self.state();
        let before = st.media.len();
        st.media.retain(|m| m.id != id);
        if st.media.len() < before {
            self.live.send_modify(|n| *n = n.saturating_sub(1));
        }
    }

    /// Waits (at most `limit`) until every socket of the meeting has closed.
    pub async fn wait_disconnected(&self, limit: Duration) {
        let mut rx = self.live.subscribe();
        let _ = tokio::time::timeout(limit, rx.wait_for(|n| *n == 0)).await;
    }

    /// Queues `out` on the signaling socket; 1 when there is one.
    pub fn to_signaling(&self, out: Outbound) -> usize {
        let st = self.state();
        st.signaling.as_ref().map_or(0, |s| usize::from(s.ctl.send(out).is_ok()))
    }

    /// Queues `make()` on every media socket carrying `kind` (ALL: every media socket).
    pub fn to_media(&self, kind: MediaType, make: impl Fn() -> Outbound) -> usize {
        let st = self.state();
        st.media.iter().filter(|m| kind == MediaType::ALL || m.mask & kind.0 != 0).filter(|m| m.ctl.send(make()).is_ok()).count()
    }

    /// Queues `make()` on every socket of the meeting.
    pub fn to_all(&self, make: impl Fn() -> Outbound) -> usize {
        self.to_signaling(make()) + self.to_media(MediaType::ALL, make)
    }

    /// Closes every socket (close frame) after what is already queued.
    pub fn close_all(&self) {
        self.to_all(|| Outbound::Close);
    }
}
