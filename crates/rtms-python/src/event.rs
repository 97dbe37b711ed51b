//! Core events as Python values: the objects callbacks receive (`Metadata`, `Session`,
//! `Participant`) and the argument tuple of each callback.
//!
//! Argument shapes follow the official SDK's Python callbacks:
//! media `(data: bytes, size, timestamp, metadata)`, `on_join_confirm(reason)`,
//! `on_session_update(op, session)`, `on_user_update(op, participant)`,
//! `on_participant_event('join'|'leave', timestamp, [ {user_id, user_name, userId, userName} ])`,
//! `on_active_speaker_event(timestamp, user_id, user_name)`,
//! `on_sharing_event('start'|'stop', timestamp, user_id|None, user_name|None)`,
//! `on_media_connection_interrupted(timestamp)`, `on_participant_video(user_ids, is_on)`,
//! `on_video_subscribed(user_id, status, error)`, `on_event_ex(json)`, `on_leave(reason)`.

#![allow(non_snake_case)] // the official camelCase property names

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};
use rtms_core::{Event, Media};

/// Metadata of one media packet (`metadata` in media callbacks). Properties exist in the
/// official camelCase (`userId`, `userName`, `startTs`, `endTs`) and in snake_case.
#[pyclass(module = "rtms._rtms", frozen, get_all)]
#[derive(Debug, Clone)]
pub struct Metadata {
    /// Zoom user id of the speaker/sender (0 for mixed streams).
    pub user_id: i64,
    /// Display name of the speaker/sender.
    pub user_name: String,
    /// Packet timestamp, Unix ms.
    pub timestamp: u64,
    /// Start of the packet (transcripts: sentence start), Unix ms.
    pub start_ts: u64,
    /// End of the packet (transcripts: sentence end), Unix ms.
    pub end_ts: u64,
    /// Contact Center channel id, when the source is identified by channel.
    pub channel_id: Option<String>,
    /// Transcript language id.
    pub language: Option<i32>,
    /// Transcript sentence id.
    pub sentence_id: Option<i64>,
    /// True when the client attributed mixed audio to the current active speaker.
    pub attributed: bool,
}

#[pymethods]
impl Metadata {
    #[getter]
    fn userId(&self) -> i64 {
        self.user_id
    }
    #[getter]
    fn userName(&self) -> &str {
        &self.user_name
    }
    #[getter]
    fn startTs(&self) -> u64 {
        self.start_ts
    }
    #[getter]
    fn endTs(&self) -> u64 {
        self.end_ts
    }
    /// AI interpreter metadata; `None` (not delivered with media by this SDK).
    #[getter]
    fn aiInterpreter(&self) -> Option<Py<PyAny>> {
        None
    }
    fn __repr__(&self) -> String {
        format!("Metadata(userId={}, userName={:?}, startTs={}, endTs={})", self.user_id, self.user_name, self.start_ts, self.end_ts)
    }
}

impl Metadata {
    fn from_media(m: &Media) -> Metadata {
        let c = &m.content;
        Metadata {
            user_id: c.user_id,
            user_name: c.user_name.clone(),
            timestamp: c.timestamp,
            start_ts: c.start_time.unwrap_or(c.timestamp),
            end_ts: c.end_time.unwrap_or(c.timestamp),
            channel_id: c.channel_id.clone(),
            language: c.language,
            sentence_id: c.sentence_id,
            attributed: m.attributed,
        }
    }
}

/// The session of `on_session_update` (official camelCase properties plus snake_case).
#[pyclass(module = "rtms._rtms", frozen, get_all)]
#[derive(Debug, Clone)]
pub struct Session {
    pub session_id: String,
    pub stream_id: String,
    /// The instance id the client joined with.
    pub meeting_id: String,
    /// Session start time, Unix ms.
    pub stat_time: u64,
    /// `SessionState` value.
    pub status: i32,
    pub is_active: bool,
    pub is_paused: bool,
}

#[pymethods]
impl Session {
    #[getter]
    fn sessionId(&self) -> &str {
        &self.session_id
    }
    #[getter]
    fn streamId(&self) -> &str {
        &self.stream_id
    }
    #[getter]
    fn meetingId(&self) -> &str {
        &self.meeting_id
    }
    #[getter]
    fn statTime(&self) -> u64 {
        self.stat_time
    }
    #[getter]
    fn isActive(&self) -> bool {
        self.is_active
    }
    #[getter]
    fn isPaused(&self) -> bool {
        self.is_paused
    }
    fn __repr__(&self) -> String {
        format!(
            "Session(sessionId={:?}, status={}, isActive={}, isPaused={})",
            self.session_id, self.status, self.is_active, self.is_paused
        )
    }
}

/// A participant of `on_user_update`: `id` and `name` (also `user_id`, `user_name`).
#[pyclass(module = "rtms._rtms", frozen, get_all)]
#[derive(Debug, Clone)]
pub struct Participant {
    pub id: i64,
    pub name: String,
}

#[pymethods]
impl Participant {
    #[getter]
    fn user_id(&self) -> i64 {
        self.id
    }
    #[getter]
    fn user_name(&self) -> &str {
        &self.name
    }
    fn __repr__(&self) -> String {
        format!("Participant(id={}, name={:?})", self.id, self.name)
    }
}

fn participant_dict<'py>(py: Python<'py>, p: &rtms_core::Participant) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("user_id", p.user_id)?;
    d.set_item("user_name", &p.user_name)?;
    d.set_item("userId", p.user_id)?;
    d.set_item("userName", &p.user_name)?;
    Ok(d)
}

/// The handler name an event goes to and its callback arguments; `None` for events without a
/// Python callback.
pub fn to_args<'py>(py: Python<'py>, event: &Event) -> PyResult<Option<(&'static str, Bound<'py, PyTuple>)>> {
    let name = event.name();
    let args = match event {
        Event::JoinConfirm { reason } => (*reason,).into_pyobject(py)?,
        Event::Leave { reason, .. } => (*reason,).into_pyobject(py)?,
        Event::SessionUpdate { op, session } => {
            let s = Session {
                session_id: session.session_id.clone(),
                stream_id: session.stream_id.clone(),
                meeting_id: session.meeting_id.clone(),
                stat_time: session.stat_time,
                status: session.state,
                is_active: !session.is_paused && session.state != 5,
                is_paused: session.is_paused,
            };
            (op.as_i32(), Bound::new(py, s)?).into_pyobject(py)?
        }
        Event::UserUpdate { op, participant } => {
            (*op, Bound::new(py, Participant { id: participant.user_id, name: participant.user_name.clone() })?).into_pyobject(py)?
        }
        Event::Participants { joined, timestamp, participants } => {
            let list = PyList::empty(py);
            for p in participants {
                list.append(participant_dict(py, p)?)?;
            }
            (if *joined { "join" } else { "leave" }, *timestamp, list).into_pyobject(py)?
        }
        Event::ActiveSpeaker { timestamp, user_id, user_name } => (*timestamp, *user_id, user_name.as_str()).into_pyobject(py)?,
        Event::Sharing { started, timestamp, user_id, user_name } => {
            (if *started { "start" } else { "stop" }, *timestamp, *user_id, user_name.as_deref()).into_pyobject(py)?
        }
        Event::MediaConnectionInterrupted { timestamp } => (*timestamp,).into_pyobject(py)?,
        Event::ParticipantVideo { on, user_ids, .. } => (user_ids.clone(), *on).into_pyobject(py)?,
        Event::VideoSubscribed { user_id, status, reason } => (*user_id, *status, reason.as_str()).into_pyobject(py)?,
        Event::Raw { json, .. } => (json.as_ref(),).into_pyobject(py)?,
        Event::StreamState { state, reason, timestamp } => (*state, *reason, *timestamp).into_pyobject(py)?,
        Event::Media(m) => {
            let data = PyBytes::new(py, &m.content.data);
            (data, m.content.data.len(), m.content.timestamp, Bound::new(py, Metadata::from_media(m))?).into_pyobject(py)?
        }
        Event::AudioMetadata(_) | Event::StateResponse { .. } => return Ok(None),
    };
    Ok(Some((name, args)))
}
