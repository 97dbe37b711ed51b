//! The signaling side of a scenario, flattened into a time-ordered list: events (msg 6) and
//! session-state changes (msg 9). Media is produced separately from the scenario's spans.

use serde_json::{json, Map, Value};

use super::Scenario;

/// Something the signaling channel sends at a scenario time.
#[derive(Debug, Clone, PartialEq)]
pub enum TimedAction {
    /// An `EVENT_UPDATE` body without `timestamp` (added when sent).
    Event(Map<String, Value>),
    /// A `SESSION_STATE_UPDATE` with this state (3 paused, 4 resumed).
    SessionState(i32),
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedItem {
    pub at_ms: u64,
    pub action: TimedAction,
}

/// A scenario's signaling timeline, sorted by time (ties keep Zoom's order: joins, active
/// speaker, video on, share start; then video off, share stop, leaves).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    pub items: Vec<TimedItem>,
}

fn event(event_type: i32, body: Value) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("event_type".into(), json!(event_type));
    if let Value::Object(fields) = body {
        m.extend(fields);
    }
    m
}

impl Timeline {
    /// Builds the timeline of `s`.
    pub fn build(s: &Scenario) -> Timeline {
        // (time, rank, action): rank orders simultaneous actions.
        let mut raw: Vec<(u64, u8, TimedAction)> = Vec::new();
        let mut group = |at: u64, rank: u8, event_type: i32, entries: Vec<Value>| {
            if !entries.is_empty() {
                raw.push((at, rank, TimedAction::Event(event(event_type, json!({ "participants": entries })))));
            }
        };
        let mut times: Vec<u64> = s.participants.iter().map(|p| p.join_ms).collect();
        times.extend(s.participants.iter().filter_map(|p| p.leave_ms));
        times.extend(s.video.iter().flat_map(|v| [v.from_ms, v.to_ms]));
        times.sort_unstable();
        times.dedup();
        for &t in &times {
            let joins = s.participants.iter().filter(|p| p.join_ms == t);
            group(t, 0, 3, joins.map(|p| json!({"user_id": p.id, "user_name": p.name})).collect());
            let on = s.video.iter().filter(|v| v.from_ms == t);
            group(t, 2, 8, on.map(|v| json!({"user_id": v.user.id()})).collect());
            let off = s.video.iter().filter(|v| v.to_ms == t);
            group(t, 4, 9, off.map(|v| json!({"user_id": v.user.id()})).collect());
            let leaves = s.participants.iter().filter(|p| p.leave_ms == Some(t));
            group(t, 6, 4, leaves.map(|p| json!({"user_id": p.id, "user_name": p.name})).collect());
        }
        let mut current = None;
        for seg in &s.speaking {
            let id = seg.user.id();
            if current != Some(id) {
                current = Some(id);
                let body = json!({"user_id": id, "user_name": s.user_name(id)});
                raw.push((seg.from_ms, 1, TimedAction::Event(event(2, body))));
            }
        }
        for sh in &s.shares {
            let id = sh.user.id();
            raw.push((sh.from_ms, 3, TimedAction::Event(event(5, json!({"user_id": id, "user_name": s.user_name(id)})))));
            raw.push((sh.to_ms, 5, TimedAction::Event(event(6, json!({})))));
        }
        for p in &s.pauses {
            raw.push((p.from_ms, 7, TimedAction::SessionState(3)));
            raw.push((p.to_ms, 7, TimedAction::SessionState(4)));
        }
        raw.retain(|(t, _, _)| *t < s.meeting.duration_ms);
        raw.sort_by_key(|(t, rank, _)| (*t, *rank));
        Timeline { items: raw.into_iter().map(|(at_ms, _, action)| TimedItem { at_ms, action }).collect() }
    }

    /// The events a client joining at scenario time `t` needs to see the meeting as it is:
    /// who is present, the active speaker, whose video is on, who shares.
    pub fn catch_up(s: &Scenario, t: u64) -> Vec<Map<String, Value>> {
        let mut out = Vec::new();
        let present: Vec<Value> =
            s.participants.iter().filter(|p| s.present(p.id, t)).map(|p| json!({"user_id": p.id, "user_name": p.name})).collect();
        if !present.is_empty() {
            out.push(event(3, json!({ "participants": present })));
        }
        if let Some(id) = s.active_speaker_at(t) {
            out.push(event(2, json!({"user_id": id, "user_name": s.user_name(id)})));
        }
        let video: Vec<Value> = s.video_users_at(t).into_iter().map(|id| json!({"user_id": id})).collect();
        if !video.is_empty() {
            out.push(event(8, json!({ "participants": video })));
        }
        if let Some(id) = s.sharer_at(t) {
            out.push(event(5, json!({"user_id": id, "user_name": s.user_name(id)})));
        }
        out
    }
}
