//! Media producers: one task per media type on a media socket, pacing packets on the
//! scenario clock and queueing them on the socket.
//!
//! - Audio: per-participant streams carry only speakers (at most 3 per interval); the mixed
//!   stream (user 0, name "") carries the mix, silence included, for the whole meeting.
//! - Video: the active speaker (data_opt 3), the user picked with msg 28 (4) or a gallery
//!   (5, user 0), only while cameras are on.
//! - Deskshare: the sharer's screen during share segments.
//! - Transcript and chat: at their scripted times.
//!
//! Nothing is sent during session pauses. A producer that starts after the scenario started
//! (a re-join) picks up at the current scenario time.

use std::sync::Arc;

use bytes::Bytes;
use rtms_core::protocol::{MediaContent, MediaType};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::meeting::{Clock, Meeting};
use crate::negotiate::Negotiated;
use crate::server::link::Outbound;
use crate::synth::audio::tone_hz;
use crate::synth::video::clip;
use crate::synth::{AudioFormat, AudioSynth, Picture, VideoFormat};

type Tx = mpsc::Sender<Outbound>;

/// Starts the producers of a freshly negotiated media socket.
pub(crate) fn spawn_all(set: &mut JoinSet<()>, m: &Arc<Meeting>, n: &Negotiated, tx: Tx) {
    let late = m.is_running();
    if let Some((fmt, mixed)) = n.audio {
        set.spawn(audio(m.clone(), fmt, mixed, late, tx.clone()));
    }
    if let Some((fmt, data_opt)) = n.video {
        set.spawn(video(m.clone(), fmt, data_opt, late, tx.clone()));
    }
    if let Some(fmt) = n.deskshare {
        set.spawn(deskshare(m.clone(), fmt, late, tx.clone()));
    }
    if n.transcript {
        set.spawn(transcripts(m.clone(), late, tx.clone()));
    }
    if n.chat {
        set.spawn(chats(m.clone(), late, tx));
    }
}

/// Sleeps until scenario time `t`; false when the scenario stopped meanwhile.
async fn at(m: &Meeting, clock: &Clock, t: f64) -> bool {
    tokio::time::sleep_until(m.due(clock, t)).await;
    m.is_running()
}

/// The first frame index of a paced stream.
fn first_frame(m: &Meeting, late: bool, step: f64) -> u64 {
    if late {
        (m.now_ms() / step).ceil() as u64
    } else {
        0
    }
}

fn content(m: &Meeting, user_id: i64, data: Bytes, t: u64) -> MediaContent {
    let user_name = if user_id == 0 { String::new() } else { m.user_name(user_id) };
    MediaContent { user_id, user_name, data, timestamp: m.stamp(t), ..Default::default() }
}

async fn send(tx: &Tx, kind: MediaType, c: MediaContent) -> bool {
    tx.send(Outbound::Media(kind, c)).await.is_ok()
}

fn tone(m: &Meeting, user: i64) -> u32 {
    tone_hz(m.scenario.participant_index(user), m.scenario.meeting.seed)
}

async fn audio(m: Arc<Meeting>, fmt: AudioFormat, mixed: bool, late: bool, tx: Tx) {
    let synth = AudioSynth::new(fmt);
    if !mixed {
        for p in &m.scenario.participants {
            if let Err(e) = synth.frame(0, &[tone(&m, p.id)]).await {
                return tracing::error!(error = %e, "audio encoder failed");
            }
        }
    }
    let Some(clock) = m.wait_running().await else { return };
    if let Some(count) = m.cfg.flood {
        return flood(&m, &synth, mixed, count, &tx).await;
    }
    let _busy = m.producer();
    let step = f64::from(fmt.frame_ms);
    let duration = m.scenario.meeting.duration_ms as f64;
    let mut k = first_frame(&m, late, step);
    loop {
        let t = k as f64 * step;
        if t >= duration || !at(&m, &clock, t).await {
            break;
        }
        let tu = t as u64;
        if !m.scenario.paused_at(tu) {
            let speakers = m.scenario.speakers_at(tu, if mixed { usize::MAX } else { 3 });
            let streams: Vec<(i64, Vec<u32>)> = if mixed {
                vec![(0, speakers.iter().map(|u| tone(&m, *u)).collect())]
            } else {
                speakers.iter().map(|u| (*u, vec![tone(&m, *u)])).collect()
            };
            for (user, tones) in streams {
                let data = match synth.frame(k, &tones).await {
                    Ok(d) => d,
                    Err(e) => return tracing::error!(error = %e, "audio encoder failed"),
                };
                if !send(&tx, MediaType::AUDIO, content(&m, user, data, tu)).await {
                    return;
                }
            }
        }
        k += 1;
    }
}

/// Keeps the meeting from ending while a flood is under way, even if the task is aborted.
struct FloodGuard<'a>(&'a Meeting);

impl Drop for FloodGuard<'_> {
    fn drop(&mut self) {
        self.0.flood_finished();
    }
}

/// Sends `count` audio packets back to back, cycling through the participants (or the mix).
async fn flood(m: &Meeting, synth: &AudioSynth, mixed: bool, count: u64, tx: &Tx) {
    m.flood_started();
    let _guard = FloodGuard(m);
    let users: Vec<i64> = m.scenario.participants.iter().map(|p| p.id).collect();
    let step = u64::from(synth.format().frame_ms);
    tracing::info!(count, "audio flood");
    for i in 0..count {
        let user = if mixed || users.is_empty() { 0 } else { users[(i % users.len() as u64) as usize] };
        let tones = if user == 0 { users.first().map(|u| vec![tone(m, *u)]).unwrap_or_default() } else { vec![tone(m, user)] };
        let data = match synth.frame(i, &tones).await {
            Ok(d) => d,
            Err(e) => return tracing::error!(error = %e, "audio encoder failed"),
        };
        if !m.is_running() || !send(tx, MediaType::AUDIO, content(m, user, data, i * step)).await {
            return;
        }
    }
}

/// What a visual stream shows at `t`: the user it is attributed to and the picture.
fn camera_source(m: &Meeting, data_opt: i32, t: u64) -> Option<(i64, Picture)> {
    let s = &m.scenario;
    let camera = |u: i64| (u, Picture::Camera(s.participant_index(u)));
    match data_opt {
        3 => s.active_speaker_at(t).filter(|u| s.video_on(*u, t)).or_else(|| s.video_users_at(t).first().copied()).map(camera),
        4 => m.video_subscription().filter(|u| s.video_on(*u, t)).map(camera),
        _ => {
            let users = s.video_users_at(t);
            (!users.is_empty()).then(|| (0, Picture::Gallery(users.iter().map(|u| s.participant_index(*u)).collect())))
        }
    }
}

fn share_source(m: &Meeting, t: u64) -> Option<(i64, Picture)> {
    m.scenario.sharer_at(t).map(|u| (u, Picture::Share(m.scenario.participant_index(u))))
}

async fn video(m: Arc<Meeting>, fmt: VideoFormat, data_opt: i32, late: bool, tx: Tx) {
    if data_opt != 5 {
        let mut users: Vec<i64> = m.scenario.video.iter().map(|v| v.user.id()).collect();
        users.sort_unstable();
        users.dedup();
        warm(&m, fmt, users.into_iter().map(|u| Picture::Camera(m.scenario.participant_index(u)))).await;
    }
    visual(m, fmt, MediaType::VIDEO, late, tx, move |m, t| camera_source(m, data_opt, t)).await;
}

async fn deskshare(m: Arc<Meeting>, fmt: VideoFormat, late: bool, tx: Tx) {
    let sharers: Vec<Picture> = m.scenario.shares.iter().map(|s| Picture::Share(m.scenario.participant_index(s.user.id()))).collect();
    warm(&m, fmt, sharers.into_iter()).await;
    visual(m, fmt, MediaType::DESKSHARE, late, tx, share_source).await;
}

/// Encodes the clips a stream will need before it starts (during the handshake and settle).
async fn warm(m: &Meeting, fmt: VideoFormat, pictures: impl Iterator<Item = Picture>) {
    for pic in pictures {
        if let Err(e) = clip(fmt, pic).await {
            tracing::error!(stream = %m.info.rtms_stream_id, error = %e, "video encoder failed");
        }
    }
}

async fn visual(
    m: Arc<Meeting>,
    fmt: VideoFormat,
    kind: MediaType,
    late: bool,
    tx: Tx,
    source: impl Fn(&Meeting, u64) -> Option<(i64, Picture)>,
) {
    let Some(clock) = m.wait_running().await else { return };
    let _busy = m.producer();
    let step = 1000.0 / f64::from(fmt.fps);
    let duration = m.scenario.meeting.duration_ms as f64;
    let mut k = first_frame(&m, late, step);
    let mut current: Option<Picture> = None;
    let mut index = 0usize;
    loop {
        let t = k as f64 * step;
        if t >= duration || !at(&m, &clock, t).await {
            break;
        }
        k += 1;
        let tu = t as u64;
        if m.scenario.paused_at(tu) {
            continue;
        }
        let Some((user, pic)) = source(&m, tu) else {
            current = None;
            continue;
        };
        if current.as_ref() != Some(&pic) {
            // A new source starts at the clip's first (IDR) frame.
            current = Some(pic.clone());
            index = 0;
        }
        let frames = match clip(fmt, pic).await {
            Ok(f) => f,
            Err(e) => return tracing::error!(error = %e, "video encoder failed"),
        };
        let data = frames[index % frames.len()].clone();
        index += 1;
        if !send(&tx, kind, content(&m, user, data, tu)).await {
            return;
        }
    }
}

/// Which scripted lines a producer still has to send.
fn pending(m: &Meeting, late: bool, at_ms: u64) -> bool {
    at_ms < m.scenario.meeting.duration_ms && (!late || at_ms as f64 >= m.now_ms())
}

async fn transcripts(m: Arc<Meeting>, late: bool, tx: Tx) {
    let Some(clock) = m.wait_running().await else { return };
    let _busy = m.producer();
    let lines: Vec<(usize, u64)> =
        m.scenario.transcripts.iter().enumerate().map(|(i, l)| (i, l.at_ms)).filter(|(_, at)| pending(&m, late, *at)).collect();
    for (i, at_ms) in lines {
        if !at(&m, &clock, at_ms as f64).await {
            return;
        }
        if m.scenario.paused_at(at_ms) {
            continue;
        }
        let line = &m.scenario.transcripts[i];
        let mut c = content(&m, line.user.id(), Bytes::from(line.text.clone().into_bytes()), at_ms);
        c.start_time = Some(m.stamp(m.scenario.transcript_start(line)));
        c.end_time = Some(m.stamp(at_ms));
        c.language = Some(line.language);
        c.attribute = Some(1);
        c.sentence_id = Some(i as i64 + 1);
        if !send(&tx, MediaType::TRANSCRIPT, c).await {
            return;
        }
    }
}

async fn chats(m: Arc<Meeting>, late: bool, tx: Tx) {
    let Some(clock) = m.wait_running().await else { return };
    let _busy = m.producer();
    let lines: Vec<(usize, u64)> =
        m.scenario.chats.iter().enumerate().map(|(i, l)| (i, l.at_ms)).filter(|(_, at)| pending(&m, late, *at)).collect();
    for (i, at_ms) in lines {
        if !at(&m, &clock, at_ms as f64).await {
            return;
        }
        if m.scenario.paused_at(at_ms) {
            continue;
        }
        let line = &m.scenario.chats[i];
        let c = content(&m, line.user.id(), Bytes::from(line.text.clone().into_bytes()), at_ms);
        if !send(&tx, MediaType::CHAT, c).await {
            return;
        }
    }
}
