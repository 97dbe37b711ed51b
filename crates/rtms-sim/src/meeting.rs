//! One simulated stream: its identity, phase and clock, its live sockets, what the client
//! subscribed to, and the summary being recorded.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use rtms_core::protocol::{EventSubscriptionItem, MediaContent, MediaType, ServerUrls};
use serde::Serialize;
use serde_json::{json, Map, Value};
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

    // ---- sockets -------------------------------------------------------------------------

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

    // ---- what goes out -----------------------------------------------------------------

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
                let content = MediaContent { user_id: uid, user_name: name.clone(), data: data.clone(), timestamp: unix_ms(), ..Default::default() };
                n += usize::from(m.ctl.send(Outbound::Media(kind, content)).is_ok());
            }
        }
        n
    }

    // ---- the record ------------------------------------------------------------------------

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
