//! Scripted meetings: who joins, speaks, shares, turns video on, says and writes what, when.
//!
//! A [`Scenario`] is written in TOML (format in the crate README) or taken from the built-ins
//! compiled into the binary ([`Scenario::builtin`]). All times are milliseconds of scenario time
//! from the moment the stream starts (the client's `CLIENT_READY_ACK` plus the settle wait).

mod builtin;
mod generate;
mod timeline;

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::SimError;

pub use timeline::{TimedAction, TimedItem, Timeline};

/// Which Zoom product the stream belongs to: it picks the webhook event names and the id key
/// (`meeting_uuid`, `session_id`, `engagement_id`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Product {
    /// A Zoom meeting (`meeting.rtms_started`).
    #[default]
    Meeting,
    /// A Zoom webinar (`webinar.rtms_started`, still keyed by `meeting_uuid`).
    Webinar,
    /// A Video SDK session (`session.rtms_started`, keyed by `session_id`).
    Session,
    /// A Contact Center voice engagement (`contact_center.voice_rtms_started`, `engagement_id`).
    Zcc,
}

impl Product {
    /// The webhook event prefix (`meeting.rtms_`, `contact_center.voice_rtms_`, ...).
    pub fn webhook_prefix(self) -> &'static str {
        match self {
            Product::Meeting => "meeting.rtms_",
            Product::Webinar => "webinar.rtms_",
            Product::Session => "session.rtms_",
            Product::Zcc => "contact_center.voice_rtms_",
        }
    }

    /// The payload key that carries the instance id.
    pub fn id_key(self) -> &'static str {
        match self {
            Product::Meeting | Product::Webinar => "meeting_uuid",
            Product::Session => "session_id",
            Product::Zcc => "engagement_id",
        }
    }
}

/// A participant reference: a numeric user id or a participant's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum UserRef {
    /// A Zoom user id.
    Id(i64),
    /// A participant name, resolved to its id when the scenario is loaded.
    Name(String),
}

impl UserRef {
    /// The resolved user id (always an id after [`Scenario::validate`]).
    pub fn id(&self) -> i64 {
        match self {
            UserRef::Id(id) => *id,
            UserRef::Name(_) => 0,
        }
    }
}

/// `[meeting]`: the stream's identity, length and end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingSpec {
    /// The instance id: meeting uuid, webinar uuid, session id or engagement id.
    pub uuid: String,
    /// `rtms_stream_id`.
    pub stream_id: String,
    #[serde(default)]
    pub product: Product,
    /// Scenario length; the stream stops when it is over.
    pub duration_ms: u64,
    /// The stop reason sent at the end (`RTMS_STOP_REASON`; 6 = MEETING_ENDED).
    #[serde(default = "default_stop_reason")]
    pub stop_reason: i32,
    /// `operator_id` in the webhooks.
    #[serde(default = "default_operator")]
    pub operator_id: String,
    /// `rtms_session_id` in session-state messages; derived from the stream id when absent.
    #[serde(default)]
    pub session_id: Option<String>,
    /// Seed of the synthetic media (tones, pictures).
    #[serde(default = "default_seed")]
    pub seed: u64,
}

fn default_stop_reason() -> i32 {
    6
}

fn default_operator() -> String {
    "sim-operator".to_owned()
}

fn default_seed() -> u64 {
    1
}

/// `[[participants]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// Zoom user id (must fit in an int32; Zoom's SDK rejects larger values).
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub join_ms: u64,
    /// When the participant leaves; absent means they stay to the end.
    #[serde(default)]
    pub leave_ms: Option<u64>,
}

/// A time span of one user: `[[speaking]]`, `[[shares]]`, `[[video]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub user: UserRef,
    pub from_ms: u64,
    pub to_ms: u64,
}

impl Segment {
    /// True when `t` is inside `[from_ms, to_ms)`.
    pub fn covers(&self, t: u64) -> bool {
        self.from_ms <= t && t < self.to_ms
    }
}

/// A span without a user: `[[pauses]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    pub from_ms: u64,
    pub to_ms: u64,
}

/// `[[transcripts]]`: one final transcript line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranscriptLine {
    pub user: UserRef,
    /// When the line is delivered; also its `end_time`.
    pub at_ms: u64,
    pub text: String,
    /// `TranscriptLanguage` id (9 = English).
    #[serde(default = "default_language")]
    pub language: i32,
    /// `start_time`; defaults to the start of the user's speaking segment that covers `at_ms`.
    #[serde(default)]
    pub start_ms: Option<u64>,
}

fn default_language() -> i32 {
    9
}

/// `[[chats]]`: one chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatLine {
    pub user: UserRef,
    pub at_ms: u64,
    pub text: String,
}

/// A complete scripted meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub meeting: MeetingSpec,
    #[serde(default)]
    pub participants: Vec<Participant>,
    #[serde(default)]
    pub speaking: Vec<Segment>,
    #[serde(default)]
    pub transcripts: Vec<TranscriptLine>,
    #[serde(default)]
    pub chats: Vec<ChatLine>,
    #[serde(default)]
    pub shares: Vec<Segment>,
    #[serde(default)]
    pub video: Vec<Segment>,
    /// Session pauses: SESSION_STATE PAUSED at `from_ms`, RESUMED at `to_ms`; no media between.
    #[serde(default)]
    pub pauses: Vec<Span>,
}

impl Scenario {
    /// A built-in scenario: `demo` (three people, two minutes, everything), `minimal` (one
    /// participant, about 3 s) or `quick` (three people, 5 s, everything; for tests).
    pub fn builtin(name: &str) -> Result<Scenario, SimError> {
        let text = builtin::text(name)
            .ok_or_else(|| SimError::Scenario(format!("no built-in scenario `{name}` (choose one of {})", builtin::NAMES.join(", "))))?;
        Scenario::from_toml(text)
    }

    /// The names of the built-in scenarios.
    pub fn builtin_names() -> &'static [&'static str] {
        builtin::NAMES
    }

    /// Parses and validates a TOML scenario.
    pub fn from_toml(s: &str) -> Result<Scenario, SimError> {
        let mut scenario: Scenario = toml::from_str(s).map_err(|e| SimError::Scenario(e.to_string()))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Reads a TOML scenario file.
    pub fn from_path(p: &Path) -> Result<Scenario, SimError> {
        let text = std::fs::read_to_string(p).map_err(|e| SimError::Scenario(format!("{}: {e}", p.display())))?;
        Scenario::from_toml(&text)
    }

    /// A generated meeting of `participants` people taking turns to speak for `duration_ms`,
    /// with transcripts, chats, one screen share and video for everyone (load tests).
    pub fn generate(meeting: MeetingSpec, participants: usize) -> Result<Scenario, SimError> {
        let mut scenario = generate::generate(meeting, participants);
        scenario.validate()?;
        Ok(scenario)
    }

    /// Checks the scenario and resolves participant names to ids.
    pub fn validate(&mut self) -> Result<(), SimError> {
        let err = |m: String| Err(SimError::Scenario(m));
        if self.meeting.uuid.is_empty() || self.meeting.stream_id.is_empty() {
            return err("meeting.uuid and meeting.stream_id must not be empty".into());
        }
        if self.meeting.duration_ms == 0 {
            return err("meeting.duration_ms must be positive".into());
        }
        let mut ids = HashSet::new();
        for p in &self.participants {
            if p.id <= 0 || p.id > i64::from(i32::MAX) {
                return err(format!("participant `{}`: id {} must be in 1..=2147483647", p.name, p.id));
            }
            if !ids.insert(p.id) {
                return err(format!("participant id {} appears twice", p.id));
            }
            if p.leave_ms.is_some_and(|l| l <= p.join_ms) {
                return err(format!("participant `{}`: leave_ms must be after join_ms", p.name));
            }
        }
        let roster = self.participants.clone();
        let resolve = |u: &mut UserRef, what: &str| -> Result<(), SimError> {
            let found = match u {
                UserRef::Id(id) => roster.iter().find(|p| p.id == *id),
                UserRef::Name(n) => roster.iter().find(|p| p.name == *n),
            };
            match found {
                Some(p) => {
                    *u = UserRef::Id(p.id);
                    Ok(())
                }
                None => Err(SimError::Scenario(format!("{what}: unknown participant {u:?}"))),
            }
        };
        for (what, list) in [("speaking", &mut self.speaking), ("shares", &mut self.shares), ("video", &mut self.video)] {
            for s in list.iter_mut() {
                resolve(&mut s.user, what)?;
                if s.to_ms <= s.from_ms {
                    return err(format!("{what}: to_ms must be after from_ms ({} .. {})", s.from_ms, s.to_ms));
                }
            }
            list.sort_by_key(|s| (s.from_ms, s.to_ms));
        }
        for t in &mut self.transcripts {
            resolve(&mut t.user, "transcripts")?;
            if t.start_ms.is_some_and(|s| s > t.at_ms) {
                return err(format!("transcript `{}`: start_ms after at_ms", t.text));
            }
        }
        self.transcripts.sort_by_key(|t| t.at_ms);
        for c in &mut self.chats {
            resolve(&mut c.user, "chats")?;
        }
        self.chats.sort_by_key(|c| c.at_ms);
        for p in &self.pauses {
            if p.to_ms <= p.from_ms {
                return err("pauses: to_ms must be after from_ms".into());
            }
        }
        self.pauses.sort_by_key(|p| p.from_ms);
        Ok(())
    }

    /// The participant with this id.
    pub fn participant(&self, id: i64) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// The participant's position in the roster (picks its tone and colour).
    pub fn participant_index(&self, id: i64) -> usize {
        self.participants.iter().position(|p| p.id == id).unwrap_or(0)
    }

    /// The participant's name, or `""`.
    pub fn user_name(&self, id: i64) -> &str {
        self.participant(id).map(|p| p.name.as_str()).unwrap_or("")
    }

    /// True while the participant is in the meeting.
    pub fn present(&self, id: i64, t: u64) -> bool {
        self.participant(id).is_some_and(|p| p.join_ms <= t && p.leave_ms.is_none_or(|l| t < l))
    }

    /// Users speaking at `t`, in roster order, at most `limit`.
    pub fn speakers_at(&self, t: u64, limit: usize) -> Vec<i64> {
        let mut out: Vec<i64> = Vec::new();
        for p in &self.participants {
            if out.len() >= limit {
                break;
            }
            if self.speaking.iter().any(|s| s.user.id() == p.id && s.covers(t)) && self.present(p.id, t) {
                out.push(p.id);
            }
        }
        out
    }

    /// The active speaker at `t`: whoever last started speaking.
    pub fn active_speaker_at(&self, t: u64) -> Option<i64> {
        self.speaking.iter().filter(|s| s.from_ms <= t).max_by_key(|s| s.from_ms).map(|s| s.user.id())
    }

    /// True while the user's camera is on (and they are present).
    pub fn video_on(&self, id: i64, t: u64) -> bool {
        self.present(id, t) && self.video.iter().any(|s| s.user.id() == id && s.covers(t))
    }

    /// Users with video on at `t`, in roster order.
    pub fn video_users_at(&self, t: u64) -> Vec<i64> {
        self.participants.iter().map(|p| p.id).filter(|id| self.video_on(*id, t)).collect()
    }

    /// The user sharing their screen at `t`.
    pub fn sharer_at(&self, t: u64) -> Option<i64> {
        self.shares.iter().find(|s| s.covers(t)).map(|s| s.user.id())
    }

    /// True inside a session pause.
    pub fn paused_at(&self, t: u64) -> bool {
        self.pauses.iter().any(|p| p.from_ms <= t && t < p.to_ms)
    }

    /// `start_time` of a transcript line (explicit, else its speaking segment's start).
    pub fn transcript_start(&self, line: &TranscriptLine) -> u64 {
        if let Some(s) = line.start_ms {
            return s;
        }
        self.speaking
            .iter()
            .filter(|s| s.user.id() == line.user.id() && s.from_ms <= line.at_ms && line.at_ms <= s.to_ms)
            .map(|s| s.from_ms)
            .min()
            .unwrap_or_else(|| line.at_ms.saturating_sub(1000))
    }

    /// This scenario with the ids of meeting `index` of `count` (load runs give each meeting
    /// its own uuid and stream id: `<uuid>-<index>`, `<stream_id>-<index>`).
    pub fn for_meeting(&self, index: usize, count: usize) -> Scenario {
        let mut s = self.clone();
        if count > 1 {
            s.meeting.uuid = format!("{}-{index}", self.meeting.uuid);
            s.meeting.stream_id = format!("{}-{index}", self.meeting.stream_id);
            s.meeting.session_id = self.meeting.session_id.as_ref().map(|id| format!("{id}-{index}"));
            s.meeting.seed = self.meeting.seed.wrapping_add(index as u64);
        }
        s
    }

    /// `rtms_session_id` used in session-state messages.
    pub fn session_id(&self) -> String {
        self.meeting.session_id.clone().unwrap_or_else(|| format!("sim-session-{}", self.meeting.stream_id))
    }
}

#[cfg(test)]
mod tests;
