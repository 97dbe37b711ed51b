//! Records one stream into a folder: WAV per participant and mixed, transcripts (VTT, SRT,
//! JSONL), chat, every event, video and screen-share, and `summary.json`.

mod audio;
mod captions;
mod frames;
mod jsonl;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rtms_core::protocol::MediaType;
use rtms_core::{Event, Media};
use serde::Serialize;
use serde_json::json;

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Packets and bytes of one media type.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Count {
    pub packets: u64,
    pub bytes: u64,
}

/// One participant in `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantSummary {
    pub user_id: i64,
    pub user_name: String,
    pub audio_packets: u64,
    pub audio_samples: u64,
    pub wav: String,
}

/// `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub meeting: String,
    pub stream: String,
    pub folder: PathBuf,
    pub duration_ms: u64,
    pub participants: Vec<ParticipantSummary>,
    pub counts: BTreeMap<&'static str, Count>,
    pub transcript_lines: u64,
    pub chat_messages: u64,
    pub events: u64,
    pub mixed_samples: u64,
    pub leave_reason: Option<i32>,
}

/// Audio format the recorder expects (L16).
#[derive(Debug, Clone, Copy)]
pub struct AudioFormat {
    pub sample_rate: u32,
    pub channels: u16,
}

pub struct Recorder {
    dir: PathBuf,
    meeting: String,
    stream: String,
    started_ms: u64,
    audio: audio::AudioRecorder,
    captions: captions::Captions,
    chat: jsonl::Jsonl,
    events: jsonl::Jsonl,
    video: frames::Frames,
    share: frames::Frames,
    counts: BTreeMap<&'static str, Count>,
    names: BTreeMap<i64, String>,
    leave_reason: Option<i32>,
}

impl Recorder {
    /// Creates `dir` (and parents) and every output file in it.
    pub fn create(dir: &Path, meeting: &str, stream: &str, format: AudioFormat) -> io::Result<Recorder> {
        std::fs::create_dir_all(dir)?;
        Ok(Recorder {
            dir: dir.to_owned(),
            meeting: meeting.to_owned(),
            stream: stream.to_owned(),
            started_ms: now_ms(),
            audio: audio::AudioRecorder::create(dir, format.sample_rate, format.channels)?,
            captions: captions::Captions::create(dir)?,
            chat: jsonl::Jsonl::create(&dir.join("chat.jsonl"))?,
            events: jsonl::Jsonl::create(&dir.join("events.jsonl"))?,
            video: frames::Frames::new(dir, "video"),
            share: frames::Frames::new(dir, "deskshare"),
            counts: BTreeMap::new(),
            names: BTreeMap::new(),
            leave_reason: None,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn rel(&self, ts: u64) -> u64 {
        ts.saturating_sub(self.started_ms)
    }

    /// Records one event.
    pub fn handle(&mut self, event: &Event) -> io::Result<()> {
        match event {
            Event::Media(m) => self.media(m),
            Event::Raw { json, .. } => {
                let value: serde_json::Value = serde_json::from_str(json).unwrap_or(serde_json::Value::Null);
                self.events.write(&json!({"received_ms": now_ms(), "event": value}))
            }
            Event::UserUpdate { participant, .. } => {
                if !participant.user_name.is_empty() {
                    self.names.insert(participant.user_id, participant.user_name.clone());
                }
                Ok(())
            }
            Event::Leave { reason, error } => {
                self.leave_reason = Some(*reason);
                self.events
                    .write(&json!({"received_ms": now_ms(), "leave": {"reason": reason, "error": error.as_ref().map(|e| e.to_string())}}))
            }
            Event::SessionUpdate { op, session } => self.events.write(&json!({
                "received_ms": now_ms(), "session_update": {"op": op.name(), "session_id": session.session_id, "state": session.state}
            })),
            _ => Ok(()),
        }
    }

    fn media(&mut self, m: &Media) -> io::Result<()> {
        let c = &m.content;
        let count = self.counts.entry(m.kind.key()).or_default();
        count.packets += 1;
        count.bytes += c.data.len() as u64;
        if !c.user_name.is_empty() {
            self.names.entry(c.user_id).or_insert_with(|| c.user_name.clone());
        }
        match m.kind {
            MediaType::AUDIO => self.audio.push(c.user_id, &c.user_name, c.timestamp, &c.data),
            MediaType::VIDEO => self.video.push(c.user_id, c.timestamp, &c.data),
            MediaType::DESKSHARE => self.share.push(c.user_id, c.timestamp, &c.data),
            MediaType::TRANSCRIPT => {
                let text = String::from_utf8_lossy(&c.data);
                let start = self.rel(c.start_time.unwrap_or(c.timestamp));
                let end = self.rel(c.end_time.unwrap_or(c.timestamp));
                self.captions.push(&captions::Line {
                    user_id: c.user_id,
                    user_name: &c.user_name,
                    text: &text,
                    start_ms: start,
                    end_ms: end,
                    language: c.language,
                    timestamp: c.timestamp,
                })
            }
            _ => self.chat.write(&json!({
                "user_id": c.user_id, "user_name": c.user_name, "text": String::from_utf8_lossy(&c.data), "timestamp": c.timestamp,
            })),
        }
    }

    /// Counts so far (for live views).
    pub fn counts(&self) -> &BTreeMap<&'static str, Count> {
        &self.counts
    }

    /// Finalises every file and writes `summary.json`.
    pub fn finish(mut self) -> io::Result<Summary> {
        let mixed_samples = self.audio.finish()?;
        let participants = self
            .audio
            .tracks
            .iter()
            .map(|(id, t)| ParticipantSummary {
                user_id: *id,
                user_name: self.names.get(id).cloned().unwrap_or_else(|| t.name.clone()),
                audio_packets: t.packets,
                audio_samples: t.samples,
                wav: t.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
            })
            .collect();
        let summary = Summary {
            meeting: self.meeting.clone(),
            stream: self.stream.clone(),
            folder: self.dir.clone(),
            duration_ms: now_ms().saturating_sub(self.started_ms),
            participants,
            counts: self.counts.clone(),
            transcript_lines: self.captions.lines,
            chat_messages: self.chat.lines,
            events: self.events.lines,
            mixed_samples,
            leave_reason: self.leave_reason,
        };
        std::fs::write(self.dir.join("summary.json"), serde_json::to_vec_pretty(&summary)?)?;
        Ok(summary)
    }
}
