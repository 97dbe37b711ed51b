//! One simulated stream: its identity, phase and clock, what the client subscribed to, and
//! the summary being recorded. Its sockets are in [`registry`], what it sends in [`send`].

mod registry;
mod send;

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use rtms_core::protocol::{EventSubscriptionItem, ServerUrls};
use serde::Serialize;
use serde_json::Value;
use tokio::sync::{mpsc, watch};

use crate::config::SimConfig;
use crate::scenario::{Product, Scenario, Timeline};
use crate::server::link::Outbound;
use crate::summary::{MeetingSummary, Recorder};
use crate::util::unix_ms;

/// How one meeting is reached, as a webhook would announce it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingInfo {
    /// Position in the run (0-based).
    pub index: usize,
    /// The instance id the handshake signature is made over.
    pub meeting_uuid: String,
    pub rtms_stream_id: String,
    /// The signaling URL for this meeting (what `server_urls` carries in the webhook).
    pub server_urls: String,
    pub product: Product,
    /// `rtms_session_id` in session-state messages.
    pub session_id: String,
}

/// Where a meeting is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Waiting for the client to be ready (and the settle time).
    Waiting,
    /// Scenario playing.
    Running,
    /// Stop decided: media stopped, draining, stop messages going out.
    Ending,
    /// Over; sockets closed.
    Ended,
}

/// Scenario time zero, in monotonic and in Unix time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    pub start: Instant,
    pub epoch_ms: u64,
}

pub(crate) struct SignalingConn {
    pub id: u64,
    pub ctl: mpsc::UnboundedSender<Outbound>,
}

pub(crate) struct MediaConn {
    pub id: u64,
    /// Single-type bits this socket carries.
    pub mask: u32,
    /// Opened with `media_type: 32`.
    pub all: bool,
    pub ctl: mpsc::UnboundedSender<Outbound>,
}

struct State {
    signaling: Option<SignalingConn>,
    media: Vec<MediaConn>,
    subscriptions: HashSet<i32>,
    video_subscription: Option<i64>,
    rec: Recorder,
    next_id: u64,
}

/// Held by a media producer while it still has packets to send.
pub(crate) struct ProducerGuard<'a>(&'a Meeting);

impl Drop for ProducerGuard<'_> {
    fn drop(&mut self) {
        self.0.producers.send_modify(|n| *n = n.saturating_sub(1));
    }
}

/// A refused handshake: Zoom status code and reason.
pub(crate) type Refusal = (i64, String);

pub(crate) struct Meeting {
    pub index: usize,
    pub info: MeetingInfo,
    pub scenario: Scenario,
    pub timeline: Timeline,
    pub cfg: Arc<SimConfig>,
    /// Media URLs handed out in the signaling handshake response.
    pub media_urls: ServerUrls,
    phase: watch::Sender<Phase>,
    clock: OnceLock<Clock>,
    ready: watch::Sender<u32>,
    subscribed: watch::Sender<u32>,
    end_req: watch::Sender<Option<i32>>,
    signaling_up: watch::Sender<bool>,
    floods: watch::Sender<usize>,
    /// Paced producers still before the end of the scenario.
    producers: watch::Sender<usize>,
    /// Live sockets (signaling and media) registered with the meeting.
    live: watch::Sender<usize>,
    state: Mutex<State>,
}

impl Meeting {
    pub fn new(index: usize, cfg: Arc<SimConfig>, base_url: &str) -> Meeting {
        let scenario = cfg.scenario.for_meeting(index, cfg.meetings);
        let timeline = Timeline::build(&scenario);
        let media = |k: &str| Some(format!("{base_url}/media/{k}?meeting={index}"));
        let media_urls = ServerUrls {
            audio: media("audio"),
            video: media("video"),
            deskshare: media("deskshare"),
            transcript: media("transcript"),
            chat: media("chat"),
            all: media("all"),
        };
        let info = MeetingInfo {
            index,
            meeting_uuid: scenario.meeting.uuid.clone(),
            rtms_stream_id: scenario.meeting.stream_id.clone(),
            server_urls: format!("{base_url}/signaling?meeting={index}"),
            product: scenario.meeting.product,
            session_id: scenario.session_id(),
        };
        let rec = Recorder::new(&info.meeting_uuid, &info.rtms_stream_id, info.product);
        Meeting {
            index,
            info,
            scenario,
            timeline,
            cfg,
            media_urls,
            phase: watch::Sender::new(Phase::Waiting),
            clock: OnceLock::new(),
            ready: watch::Sender::new(0),
            subscribed: watch::Sender::new(0),
            end_req: watch::Sender::new(None),
            signaling_up: watch::Sender::new(false),
            floods: watch::Sender::new(0),
            producers: watch::Sender::new(0),
            live: watch::Sender::new(0),
            state: Mutex::new(State {
                signaling: None,
                media: Vec::new(),
                subscriptions: HashSet::new(),
                video_subscription: None,
                rec,
                next_id: 1,
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    // ---- phase and clock -------------------------------------------------------------

    pub fn phase(&self) -> Phase {
        *self.phase.borrow()
    }

    pub fn set_phase(&self, p: Phase) {
        self.phase.send_replace(p);
    }

    pub fn is_running(&self) -> bool {
        self.phase() == Phase::Running
    }

    /// Waits until the scenario runs; `None` when the meeting ended before it started.
    pub async fn wait_running(&self) -> Option<Clock> {
        let mut rx = self.phase.subscribe();
        let phase = *rx.wait_for(|p| *p != Phase::Waiting).await.ok()?;
        (phase == Phase::Running).then(|| self.clock.get().copied()).flatten()
    }

    /// Waits until the meeting is over.
    pub async fn wait_ended(&self) {
        let mut rx = self.phase.subscribe();
        let _ = rx.wait_for(|p| *p == Phase::Ended).await;
    }

    pub fn start_clock(&self) -> Clock {
        *self.clock.get_or_init(|| Clock { start: Instant::now(), epoch_ms: unix_ms() })
    }

    pub fn clock(&self) -> Option<Clock> {
        self.clock.get().copied()
    }

    /// Scenario milliseconds elapsed now (0 before the start).
    pub fn now_ms(&self) -> f64 {
        self.clock().map_or(0.0, |c| c.start.elapsed().as_secs_f64() * 1000.0 * self.cfg.speed)
    }

    /// When scenario time `ms` falls due.
    pub fn due(&self, clock: &Clock, ms: f64) -> tokio::time::Instant {
        tokio::time::Instant::from_std(clock.start + self.cfg.real(ms))
    }

    /// Unix ms of scenario time `ms`.
    pub fn stamp(&self, ms: u64) -> u64 {
        self.clock().map_or_else(unix_ms, |c| c.epoch_ms + ms)
    }

    // ---- client progress ---------------------------------------------------------------

    pub fn mark_ready(&self) {
        self.ready.send_modify(|n| *n += 1);
        self.state().rec.summary.observed.ready_acks += 1;
    }

    pub fn ready_rx(&self) -> watch::Receiver<u32> {
        self.ready.subscribe()
    }

    /// Waits up to `settle` for the first `EVENT_SUBSCRIPTION` on the current signaling
    /// socket (Zoom's SDK sends it right after `CLIENT_READY_ACK`).
    pub async fn settle(&self) {
        let mut rx = self.subscribed.subscribe();
        let _ = tokio::time::timeout(self.cfg.settle, rx.wait_for(|n| *n > 0)).await;
    }

    pub fn apply_subscription(&self, items: &[EventSubscriptionItem], raw: Value) {
        let mut st = self.state();
        for it in items {
            if it.subscribe {
                st.subscriptions.insert(it.event_type);
            } else {
                st.subscriptions.remove(&it.event_type);
            }
        }
        st.rec.summary.observed.subscriptions.push(raw);
        drop(st);
        self.subscribed.send_modify(|n| *n += 1);
    }

    pub fn request_end(&self, reason: i32) {
        self.end_req.send_if_modified(|r| {
            if r.is_none() {
                *r = Some(reason);
                true
            } else {
                false
            }
        });
    }

    pub fn end_rx(&self) -> watch::Receiver<Option<i32>> {
        self.end_req.subscribe()
    }

    pub fn signaling_rx(&self) -> watch::Receiver<bool> {
        self.signaling_up.subscribe()
    }

    /// Counts running audio floods (the stream does not end before they finish).
    pub fn flood_started(&self) {
        self.floods.send_modify(|n| *n += 1);
    }

    pub fn flood_finished(&self) {
        self.floods.send_modify(|n| *n = n.saturating_sub(1));
    }

    /// Marks a media producer busy until the guard drops.
    pub fn producer(&self) -> ProducerGuard<'_> {
        self.producers.send_modify(|n| *n += 1);
        ProducerGuard(self)
    }

    /// Waits until every paced producer has sent its last packet before the end.
    pub async fn wait_producers(&self) {
        let mut rx = self.producers.subscribe();
        let _ = rx.wait_for(|n| *n == 0).await;
    }

    pub async fn wait_floods(&self) {
        let mut rx = self.floods.subscribe();
        let _ = rx.wait_for(|n| *n == 0).await;
    }

    pub fn video_subscription(&self) -> Option<i64> {
        self.state().video_subscription
    }

    pub fn set_video_subscription(&self, user: i64, on: bool) {
        let mut st = self.state();
        if on {
            st.video_subscription = Some(user);
        } else if st.video_subscription == Some(user) {
            st.video_subscription = None;
        }
    }

    // ---- the record ----

    pub fn record<R>(&self, f: impl FnOnce(&mut Recorder) -> R) -> R {
        f(&mut self.state().rec)
    }

    pub fn note_fault(&self, what: String) {
        self.record(|r| r.summary.faults.push(what));
    }

    pub fn summary(&self) -> MeetingSummary {
        self.state().rec.snapshot()
    }

    /// A participant's name (`""` when unknown).
    pub fn user_name(&self, id: i64) -> String {
        self.scenario.user_name(id).to_owned()
    }

    /// How long the signaling socket may stay away before the stream ends.
    pub fn reconnect_grace(&self) -> Duration {
        self.cfg.reconnect_grace
    }
}
