//! The async RTMS client: join a stream, receive media and events, leave.
//!
//! Event-driven on tokio: one task per connection, no polling. Events reach callbacks
//! ([`Client::on_event`]) on the connection's task and channels ([`Client::events`]) in
//! arrival order per connection.

mod conn;
mod join;
mod media;
mod options;
mod session;
mod sink;
mod stats;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, watch};

pub use options::{JoinInfo, JoinParams, MediaLayout, Product};
pub use sink::{Callback, Events};
pub use stats::{Stats, StatsSnapshot};

use crate::error::{Error, ErrorKind, Result};
use crate::event::Event;
use crate::params::*;
use crate::protocol::{MediaType, Message, SessionStateReq, StreamRef, VideoSubscriptionReq};
use crate::transport::TransportConfig;
use session::Command;
use sink::{Sink, Sinks};

/// Explicitly set params, by type.
#[derive(Clone, Default)]
struct ExplicitParams {
    audio: Option<AudioParams>,
    video: Option<VideoParams>,
    deskshare: Option<DeskshareParams>,
    transcript: Option<TranscriptParams>,
    chat: Option<ChatParams>,
}

#[derive(Clone)]
struct Settings {
    params: ExplicitParams,
    enabled: MediaType,
    events: BTreeMap<i32, bool>,
    transport: TransportConfig,
    layout: MediaLayout,
    sinks: Sinks,
    keepalive_timeout: Duration,
    close_timeout: Duration,
    agent: String,
}

struct SessionHandle {
    stream_id: String,
    commands: mpsc::UnboundedSender<Command>,
    done: watch::Receiver<bool>,
}

impl SessionHandle {
    fn is_live(&self) -> bool {
        !*self.done.borrow()
    }
}

struct Inner {
    joining: AtomicBool,
    settings: Mutex<Settings>,
    session: Mutex<Option<SessionHandle>>,
    stats: Arc<Stats>,
}

/// An RTMS client. Cheap to clone (clones share one client); `Send + Sync`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("joined", &self.is_joined()).finish()
    }
}

impl Client {
    pub fn new() -> Client {
        let settings = Settings {
            params: ExplicitParams::default(),
            enabled: MediaType::UNDEFINED,
            events: BTreeMap::new(),
            transport: TransportConfig::new(),
            layout: MediaLayout::Split,
            sinks: Sinks::default(),
            keepalive_timeout: Duration::from_secs(60),
            close_timeout: Duration::from_secs(3),
            agent: concat!("rtms-rs/", env!("CARGO_PKG_VERSION")).to_owned(),
        };
        Client {
            inner: Arc::new(Inner {
                joining: AtomicBool::new(false),
                settings: Mutex::new(settings),
                session: Mutex::new(None),
                stats: Arc::new(Stats::default()),
            }),
        }
    }

    fn settings<R>(&self, f: impl FnOnce(&mut Settings) -> R) -> R {
        let mut guard = self.inner.settings.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    fn session<R>(&self, f: impl FnOnce(&mut Option<SessionHandle>) -> R) -> R {
        let mut guard = self.inner.session.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// Enables media types (a bitmask). Types without explicit params get the official
    /// SDK's defaults.
    pub fn enable_media(&self, types: MediaType) {
        self.settings(|s| s.enabled |= types);
    }

    /// Disables media types.
    pub fn disable_media(&self, types: MediaType) {
        self.settings(|s| s.enabled = MediaType(s.enabled.0 & !types.0));
    }

    /// The enabled media types.
    pub fn enabled_media(&self) -> MediaType {
        self.settings(|s| s.enabled)
    }

    /// Enables audio, with `params` or the official defaults (OPUS 48 kHz stereo per participant).
    pub fn on_audio(&self, params: Option<AudioParams>) -> Result<()> {
        if let Some(p) = params {
            self.set_audio_params(p)?;
        }
        self.enable_media(MediaType::AUDIO);
        Ok(())
    }

    /// Sets audio params (validated with the official rules).
    pub fn set_audio_params(&self, p: AudioParams) -> Result<()> {
        p.validate()?;
        self.settings(|s| s.params.audio = Some(p));
        Ok(())
    }

    /// Sets video params.
    pub fn set_video_params(&self, p: VideoParams) -> Result<()> {
        p.validate()?;
        self.settings(|s| s.params.video = Some(p));
        Ok(())
    }

    /// Sets screen-share params.
    pub fn set_deskshare_params(&self, p: DeskshareParams) -> Result<()> {
        p.validate()?;
        self.settings(|s| s.params.deskshare = Some(p));
        Ok(())
    }

    /// Sets transcript params.
    pub fn set_transcript_params(&self, p: TranscriptParams) -> Result<()> {
        p.validate()?;
        self.settings(|s| s.params.transcript = Some(p));
        Ok(())
    }

    /// Sets chat params.
    pub fn set_chat_params(&self, p: ChatParams) -> Result<()> {
        p.validate()?;
        self.settings(|s| s.params.chat = Some(p));
        Ok(())
    }

    /// Routes connections through an HTTP proxy (`http://host:port`, CONNECT).
    pub fn set_proxy(&self, proxy_url: &str) -> Result<()> {
        if !proxy_url.starts_with("http://") {
            return Err(Error::invalid_argument(format!("unsupported proxy `{proxy_url}`: only http:// proxies are supported")));
        }
        self.settings(|s| s.transport.proxy = Some(proxy_url.to_owned()));
        Ok(())
    }

    /// Trusts an extra CA file (PEM) for `wss://` (default: `ZM_RTMS_CA`, then system roots).
    pub fn set_ca_file(&self, path: impl Into<PathBuf>) {
        let path = path.into();
        self.settings(|s| s.transport.ca_file = Some(path));
    }

    /// Chooses split (default) or combined media connections.
    pub fn set_media_layout(&self, layout: MediaLayout) {
        self.settings(|s| s.layout = layout);
    }

    /// Silence after which a connection is pinged; twice this and it is declared dead.
    pub fn set_keepalive_timeout(&self, timeout: Duration) {
        self.settings(|s| s.keepalive_timeout = timeout);
    }

    /// How long [`Client::leave`] waits for the server to confirm the close.
    pub fn set_close_timeout(&self, timeout: Duration) {
        self.settings(|s| s.close_timeout = timeout);
    }

    /// Largest message accepted from the server, in bytes (default 64 MiB).
    pub fn set_max_message_size(&self, bytes: usize) {
        self.settings(|s| s.transport.max_message_size = bytes);
    }

    /// The agent string sent in the signaling handshake (`rtms_client_agent`).
    pub fn set_agent(&self, agent: &str) {
        self.settings(|s| s.agent = agent.to_owned());
    }

    /// Registers a callback for every event. It runs on a connection task and must return
    /// quickly; it may call any `Client` method that does not wait (e.g.
    /// [`Client::request_leave`], [`Client::subscribe_events`]). Register before joining.
    pub fn on_event(&self, callback: impl Fn(&Event) + Send + Sync + 'static) {
        self.add_sink(Sink::Callback(Arc::new(callback)));
    }

    /// A stream of every event, for async Rust. Take it before joining.
    pub fn events(&self) -> Events {
        let (tx, rx) = mpsc::unbounded_channel();
        self.add_sink(Sink::Channel(tx));
        Events { rx }
    }

    fn add_sink(&self, sink: Sink) {
        self.settings(|s| {
            // Channels whose `Events` was dropped are pruned here, so taking many streams
            // over a client's life does not accumulate dead senders.
            let mut v: Vec<Sink> = s.sinks.0.iter().filter(|k| !matches!(k, Sink::Channel(tx) if tx.is_closed())).cloned().collect();
            v.push(sink);
            s.sinks = Sinks(Arc::new(v));
        });
    }

    /// Subscribes to event types. Before joining they are sent right after the join, in one
    /// message; once joined they are sent at once. Safe to call from a callback.
    pub fn subscribe_events(&self, types: &[i32]) -> Result<()> {
        self.change_events(types, true)
    }

    /// Unsubscribes from event types. Safe to call from a callback.
    pub fn unsubscribe_events(&self, types: &[i32]) -> Result<()> {
        self.change_events(types, false)
    }

    fn change_events(&self, types: &[i32], on: bool) -> Result<()> {
        self.settings(|s| {
            types.iter().for_each(|t| {
                s.events.insert(*t, on);
            })
        });
        let events = types.iter().map(|t| crate::protocol::EventSubscriptionItem { event_type: *t, subscribe: on }).collect();
        self.send_if_joined(Message::EventSubscription(crate::protocol::EventSubscription { events }));
        Ok(())
    }

    /// Subscribes to (or stops) one participant's video (`VIDEO_SINGLE_INDIVIDUAL_STREAM`).
    /// The answer arrives as [`Event::VideoSubscribed`].
    pub fn subscribe_video(&self, user_id: i64, subscribe: bool) -> Result<()> {
        let ts = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
        self.send_joined(Message::VideoSubscriptionReq(VideoSubscriptionReq { user_id, subscribe, timestamp: ts }))
    }

    /// Asks for the session state; the answer arrives as [`Event::StateResponse`].
    pub fn request_session_state(&self, session_id: &str) -> Result<()> {
        self.send_joined(Message::SessionStateReq(SessionStateReq { rtms_session_id: session_id.to_owned() }))
    }

    /// Asks for the stream state; the answer arrives as [`Event::StateResponse`].
    pub fn request_stream_state(&self) -> Result<()> {
        let stream = self.stream_id().unwrap_or_default();
        self.send_joined(Message::StreamStateReq(StreamRef { rtms_stream_id: stream }))
    }

    fn send_if_joined(&self, msg: Message) {
        self.session(|s| {
            if let Some(h) = s.as_ref().filter(|h| h.is_live()) {
                let _ = h.commands.send(Command::Send(Box::new(msg)));
            }
        });
    }

    fn send_joined(&self, msg: Message) -> Result<()> {
        self.session(|s| match s.as_ref().filter(|h| h.is_live()) {
            Some(h) => h.commands.send(Command::Send(Box::new(msg))).map_err(|_| not_joined()),
            None => Err(not_joined()),
        })
    }

    fn stream_id(&self) -> Option<String> {
        self.session(|s| s.as_ref().map(|h| h.stream_id.clone()))
    }

    /// True while a stream is joined.
    pub fn is_joined(&self) -> bool {
        self.session(|s| s.as_ref().is_some_and(SessionHandle::is_live))
    }

    /// Counters of everything received.
    pub fn stats(&self) -> StatsSnapshot {
        self.inner.stats.snapshot()
    }

    /// Joins a stream: signaling handshake, one media connection per enabled type, client
    /// ready, event subscriptions. Fires [`Event::JoinConfirm`] (0 on success, else the
    /// official join code) and returns the same outcome.
    pub async fn join(&self, params: JoinParams) -> Result<JoinInfo> {
        if params.instance_id.is_empty() {
            return Err(Error::invalid_argument("a meeting uuid, webinar uuid, session id or engagement id is required"));
        }
        if params.stream_id.is_empty() {
            return Err(Error::invalid_argument("rtms_stream_id is required"));
        }
        if self.is_joined() {
            return Err(Error::new(ErrorKind::InvalidState, "already joined; leave first"));
        }
        if self.inner.joining.swap(true, Ordering::AcqRel) {
            return Err(Error::new(ErrorKind::InvalidState, "a join is already in progress"));
        }
        // Cleared however the join ends, including when its future is dropped (cancelled).
        let _joining = JoiningGuard(&self.inner.joining);
        self.join_once(params).await
    }

    async fn join_once(&self, params: JoinParams) -> Result<JoinInfo> {
        let settings = self.settings(|s| s.clone());
        settings.params_valid()?;
        let timeout = params.timeout.unwrap_or(Duration::from_secs(10));
        let result = match tokio::time::timeout(timeout, join::join(&params, &settings, self.inner.stats.clone())).await {
            Ok(r) => r,
            Err(_) => Err(Error::new(ErrorKind::Timeout, format!("join did not complete within {timeout:?}"))),
        };
        match result {
            Ok(joined) => {
                let media = joined.media.clone();
                self.session(|s| {
                    *s = Some(SessionHandle { stream_id: params.stream_id.clone(), commands: joined.commands, done: joined.done })
                });
                settings.sinks.emit(Event::JoinConfirm { reason: 0 });
                Ok(JoinInfo { media })
            }
            Err(e) => {
                tracing::warn!(error = %e, "join failed");
                settings.sinks.emit(Event::JoinConfirm { reason: e.join_code() });
                Err(e)
            }
        }
    }

    /// Starts leaving without waiting: sends `STREAM_CLOSE_REQ`; [`Event::Leave`] follows.
    /// Returns false when not joined. Never blocks; safe from any thread or callback.
    pub fn request_leave(&self) -> bool {
        self.session(|s| s.as_ref().filter(|h| h.is_live()).is_some_and(|h| h.commands.send(Command::Leave).is_ok()))
    }

    /// Leaves the stream: sends `STREAM_CLOSE_REQ`, waits (bounded) for the server's answer,
    /// closes every connection and fires [`Event::Leave`]. Resolves once the leave event
    /// was delivered.
    pub async fn leave(&self) -> Result<()> {
        let done = self.session(|s| s.as_ref().filter(|h| h.is_live()).map(|h| (h.commands.clone(), h.done.clone())));
        let Some((commands, mut done)) = done else { return Err(not_joined()) };
        let _ = commands.send(Command::Leave);
        let limit = self.settings(|s| s.close_timeout) + Duration::from_secs(3);
        let finished = tokio::time::timeout(limit, done.wait_for(|d| *d)).await.is_ok();
        if finished {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::Timeout, format!("leave did not complete within {limit:?}")))
        }
    }

    /// Resolves when the current stream has ended (immediately when not joined).
    pub async fn closed(&self) {
        let done = self.session(|s| s.as_ref().map(|h| h.done.clone()));
        if let Some(mut done) = done {
            let _ = done.wait_for(|d| *d).await;
        }
    }
}

impl Settings {
    fn params_valid(&self) -> Result<()> {
        let p = &self.params;
        let all = MediaParams { audio: p.audio, video: p.video, deskshare: p.deskshare, transcript: p.transcript, chat: p.chat };
        all.validate()
    }
}

struct JoiningGuard<'a>(&'a AtomicBool);

impl Drop for JoiningGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

fn not_joined() -> Error {
    Error::new(ErrorKind::InvalidState, "not joined")
}
