//! Records one joined stream: client events go to the recorder and the view until the
//! stream ends.

use std::path::PathBuf;
use std::time::Duration;

use rtms_core::params::{AudioParams, DeskshareParams, TranscriptParams, VideoParams};
use rtms_core::protocol::MediaType;
use rtms_core::{Client, Event, JoinParams};

use crate::recorder::{AudioFormat, Recorder, Summary};
use crate::view::View;

/// Audio the CLI asks for: L16 PCM (WAV-ready), 16 kHz mono, one stream per participant.
pub const AUDIO: AudioParams = AudioParams { content_type: 2, sample_rate: 1, channel: 1, codec: 1, data_opt: 2, send_rate: 20 };
/// Video: JPG frames, SD, 2 fps, active speaker.
pub const VIDEO: VideoParams = VideoParams { content_type: 3, codec: 5, resolution: 1, data_opt: 3, fps: 2 };
/// Screen share: PNG frames, SD, 1 fps.
pub const SHARE: DeskshareParams = DeskshareParams { content_type: 3, codec: 6, resolution: 1, fps: 1 };

/// A client set up for recording: every media type, every event.
pub fn recording_client() -> Result<Client, String> {
    let client = Client::new();
    let fail = |e: rtms_core::Error| e.to_string();
    client.set_audio_params(AUDIO).map_err(fail)?;
    client.set_video_params(VIDEO).map_err(fail)?;
    client.set_deskshare_params(SHARE).map_err(fail)?;
    client.set_transcript_params(TranscriptParams::default()).map_err(fail)?;
    client.enable_media(MediaType::AUDIO | MediaType::VIDEO | MediaType::DESKSHARE | MediaType::TRANSCRIPT | MediaType::CHAT);
    client.subscribe_events(&(1..=9).collect::<Vec<i32>>()).map_err(fail)?;
    Ok(client)
}

pub struct Job {
    pub join: JoinParams,
    pub dir: PathBuf,
    pub title: String,
    pub length: Option<Duration>,
    pub live: bool,
}

/// Joins, records until the stream ends, finalises the files.
pub async fn record(client: Client, job: Job) -> Result<Summary, String> {
    let mut recorder =
        Recorder::create(&job.dir, &job.join.instance_id, &job.join.stream_id, AudioFormat { sample_rate: 16_000, channels: 1 })
            .map_err(|e| format!("cannot write to {}: {e} (choose a writable --out)", job.dir.display()))?;
    let mut events = client.events();
    let mut view = job.live.then(|| View::new(&job.title, job.length));
    if let Err(e) = client.join(job.join.clone()).await {
        if let Some(v) = view {
            v.finish();
        }
        let _ = recorder.finish();
        return Err(format!("joining {} failed: {e}", job.join.stream_id));
    }
    let mut write_error = None;
    while let Some(event) = events.recv().await {
        if write_error.is_none() {
            if let Err(e) = recorder.handle(&event) {
                write_error = Some(format!("writing to {} failed: {e}", recorder.dir().display()));
                client.request_leave();
            }
        }
        if let Some(v) = view.as_mut() {
            v.event(&event, recorder.counts());
        } else if let Event::Leave { reason, error } = &event {
            tracing::info!(stream = %job.join.stream_id, reason, error = ?error.as_ref().map(|e| e.to_string()), "stream ended");
        }
        if matches!(event, Event::Leave { .. }) {
            break;
        }
    }
    if let Some(v) = view {
        v.finish();
    }
    let summary = recorder.finish().map_err(|e| format!("finalising {} failed: {e}", job.dir.display()))?;
    match write_error {
        Some(e) => Err(e),
        None => Ok(summary),
    }
}
