//! What the meeting sends on its own: events (filtered by subscription), state messages and
//! fault packets.

use rtms_core::protocol::{MediaContent, MediaType};
use serde_json::{json, Map, Value};

use super::{Meeting, Phase};
use crate::server::link::Outbound;
use crate::util::unix_ms;

impl Meeting {
    /// True when the client asked for this event type (or filtering is off, or it is 1).
    pub fn wants_event(&self, event_type: i32) -> bool {
        event_type == 1 || !self.cfg.filter_events || self.state().subscriptions.contains(&event_type)
    }

    /// Sends an event (timestamp added) on signaling if the client wants it.
    pub fn send_event(&self, mut event: Map<String, Value>, ts: u64) -> usize {
        let et = event.get("event_type").and_then(Value::as_i64).unwrap_or(0) as i32;
        if !self.wants_event(et) {
            return 0;
        }
        event.insert("timestamp".into(), json!(ts));
        self.to_signaling(Outbound::Event(Value::Object(event)))
    }

    /// Sends an event of this type, stamped now.
    pub fn send_event_now(&self, event_type: i32) -> usize {
        let mut m = Map::new();
        m.insert("event_type".into(), json!(event_type));
        self.send_event(m, unix_ms())
    }

    /// `SESSION_STATE_UPDATE` (9).
    pub fn send_session_state(&self, state: i32, reason: i32, ts: u64) -> usize {
        let msg = json!({"msg_type": 9, "rtms_session_id": self.info.session_id, "state": state, "reason": reason, "timestamp": ts});
        self.to_signaling(Outbound::State(msg))
    }

    /// `STREAM_STATE_UPDATE` (8).
    pub fn send_stream_state(&self, state: i32, reason: i32, ts: u64) -> usize {
        let msg = json!({"msg_type": 8, "rtms_stream_id": self.info.rtms_stream_id, "state": state, "reason": reason, "timestamp": ts});
        self.to_signaling(Outbound::State(msg))
    }

    /// The session state now: 1 before the start, 2 running, 3 paused, 5 over.
    pub fn session_state(&self) -> i32 {
        match self.phase() {
            Phase::Waiting => 1,
            Phase::Running if self.scenario.paused_at(self.now_ms() as u64) => 3,
            Phase::Running => 2,
            Phase::Ending | Phase::Ended => 5,
        }
    }

    /// The stream state now: 0 before any client, 1 active, 4 terminated.
    pub fn stream_state(&self) -> i32 {
        match self.phase() {
            Phase::Waiting if !self.has_signaling() => 0,
            Phase::Waiting | Phase::Running => 1,
            Phase::Ending | Phase::Ended => 4,
        }
    }

    /// A scenario participant for fault packets (the first one), or user 0.
    fn some_user(&self) -> (i64, String) {
        self.scenario.participants.first().map_or((0, String::new()), |p| (p.id, p.name.clone()))
    }

    pub fn invalid_base64(&self) -> usize {
        let (uid, name) = self.some_user();
        let ts = unix_ms();
        let st = self.state();
        let mut n = 0;
        for m in &st.media {
            for kind in MediaType(m.mask).singles().filter(|k| k.is_binary()) {
                let msg_type = kind.msg_type().map_or(0, |t| t.as_i32());
                let frame = json!({"msg_type": msg_type, "content": {"user_id": uid, "user_name": name, "data": "!!!notbase64$$$", "timestamp": ts}});
                n += usize::from(m.ctl.send(Outbound::Raw(frame.to_string().into_bytes())).is_ok());
            }
        }
        n
    }

    pub fn oversized(&self, bytes: usize) -> usize {
        let (uid, name) = self.some_user();
        let data: bytes::Bytes = (0..bytes).map(|i| (i % 251) as u8).collect::<Vec<u8>>().into();
        let st = self.state();
        let mut n = 0;
        for m in &st.media {
            if let Some(kind) = MediaType(m.mask).singles().find(|k| k.is_binary()) {
                let content =
                    MediaContent { user_id: uid, user_name: name.clone(), data: data.clone(), timestamp: unix_ms(), ..Default::default() };
                n += usize::from(m.ctl.send(Outbound::Media(kind, content)).is_ok());
            }
        }
        n
    }
}
