//! `rtms._rtms.Client`: a thin wrapper over [`rtms_core::Client`].
//!
//! Events cross into Python in one place, [`dispatch`]: each join starts one dispatcher thread
//! that takes the session's events off the core's channel and calls the registered Python
//! callables with the GIL held, a batch at a time. Tokio workers never touch the GIL, nothing
//! polls, and the thread ends with the session (after `Leave`, after a failed join, or when the
//! join is abandoned). A callback that raises is logged with its traceback and the stream goes
//! on.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::{PyTraverseError, PyVisit};
use rtms_core::params::{AudioParams, ChatParams, DeskshareParams, TranscriptParams, VideoParams};
use rtms_core::protocol::MediaType;
use rtms_core::{Event, Events, JoinParams};
use tokio::sync::watch;

use crate::error::{failure, log_callback_error, to_py};
use crate::event::to_args;
use crate::runtime;

/// The handler names `set_handler` accepts: [`Event::name`] of every event with a callback.
const HANDLERS: &[&str] = &[
    "join_confirm",
    "session_update",
    "stream_state",
    "user_update",
    "participant_event",
    "active_speaker",
    "sharing",
    "media_connection_interrupted",
    "participant_video",
    "video_subscribed",
    "event_ex",
    "audio",
    "video",
    "deskshare",
    "transcript",
    "chat",
    "leave",
];

/// Most events handed to Python per GIL acquisition.
const BATCH: usize = 64;

/// What a client and its dispatcher threads share.
struct Shared {
    core: rtms_core::Client,
    handlers: Mutex<HashMap<&'static str, Py<PyAny>>>,
}

impl Shared {
    fn handlers(&self) -> MutexGuard<'_, HashMap<&'static str, Py<PyAny>>> {
        self.handlers.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The native client (`rtms._rtms.Client`); the public `rtms.Client` is a Python class over it.
#[pyclass(module = "rtms._rtms", name = "Client", frozen)]
pub struct PyClient {
    shared: Arc<Shared>,
}

fn media_params<T>(r: rtms_core::Result<T>) -> PyResult<T> {
    r.map_err(|e| to_py(&e))
}

#[pymethods]
impl PyClient {
    #[new]
    fn new() -> Self {
        let core = rtms_core::Client::new();
        core.set_agent(concat!("rtms-python/", env!("CARGO_PKG_VERSION")));
        PyClient { shared: Arc::new(Shared { core, handlers: Mutex::new(HashMap::new()) }) }
    }

    /// Registers (or with `None` removes) the callable for one event kind (see `HANDLERS`).
    #[pyo3(signature = (name, callback))]
    fn set_handler(&self, name: &str, callback: Option<Py<PyAny>>) -> PyResult<()> {
        let Some(key) = HANDLERS.iter().find(|h| **h == name) else {
            return Err(to_py(&rtms_core::Error::invalid_argument(format!("unknown event handler `{name}`"))));
        };
        let mut handlers = self.shared.handlers();
        match callback {
            Some(cb) => handlers.insert(key, cb),
            None => handlers.remove(key),
        };
        Ok(())
    }

    /// Enables media types (a `MEDIA_TYPE_*` bitmask).
    fn enable_media(&self, mask: u32) {
        self.shared.core.enable_media(MediaType(mask));
    }

    /// Disables media types.
    fn disable_media(&self, mask: u32) {
        self.shared.core.disable_media(MediaType(mask));
    }

    /// The enabled media types.
    fn enabled_media(&self) -> u32 {
        self.shared.core.enabled_media().0
    }

    /// Audio params; validated with the official rules (`InvalidArgumentError`).
    fn set_audio_params(
        &self,
        content_type: i32,
        codec: i32,
        sample_rate: i32,
        channel: i32,
        data_opt: i32,
        duration: i32,
    ) -> PyResult<()> {
        let p = AudioParams { content_type, codec, sample_rate, channel, data_opt, send_rate: duration };
        media_params(self.shared.core.set_audio_params(p))
    }

    /// Video params.
    fn set_video_params(&self, content_type: i32, codec: i32, resolution: i32, data_opt: i32, fps: i32) -> PyResult<()> {
        media_params(self.shared.core.set_video_params(VideoParams { content_type, codec, resolution, data_opt, fps }))
    }

    /// Screen-share params.
    fn set_deskshare_params(&self, content_type: i32, codec: i32, resolution: i32, fps: i32) -> PyResult<()> {
        media_params(self.shared.core.set_deskshare_params(DeskshareParams { content_type, codec, resolution, fps }))
    }

    /// Transcript params.
    fn set_transcript_params(&self, content_type: i32, src_language: i32, enable_lid: bool) -> PyResult<()> {
        media_params(self.shared.core.set_transcript_params(TranscriptParams { content_type, src_language, enable_lid }))
    }

    /// Chat params.
    fn set_chat_params(&self, content_type: i32) -> PyResult<()> {
        media_params(self.shared.core.set_chat_params(ChatParams { content_type }))
    }

    /// Routes connections through an `http://` proxy.
    fn set_proxy(&self, url: &str) -> PyResult<()> {
        self.shared.core.set_proxy(url).map_err(|e| to_py(&e))
    }

    /// Trusts an extra CA file (PEM) for `wss://`.
    fn set_ca_file(&self, path: std::path::PathBuf) {
        self.shared.core.set_ca_file(path);
    }

    /// Subscribes to event types (sent at join, or at once when joined).
    fn subscribe_events(&self, types: Vec<i32>) -> PyResult<()> {
        self.shared.core.subscribe_events(&types).map_err(|e| to_py(&e))
    }

    /// Unsubscribes from event types.
    fn unsubscribe_events(&self, types: Vec<i32>) -> PyResult<()> {
        self.shared.core.unsubscribe_events(&types).map_err(|e| to_py(&e))
    }

    /// Subscribes to (or stops) one participant's video; needs a joined stream.
    fn subscribe_video(&self, user_id: i64, subscribe: bool) -> PyResult<()> {
        self.shared.core.subscribe_video(user_id, subscribe).map_err(|e| to_py(&e))
    }

    /// True while a stream is joined.
    fn is_joined(&self) -> bool {
        self.shared.core.is_joined()
    }

    /// Joins a stream. `product` is `meeting`, `webinar`, `session` or `engagement`.
    ///
    /// With `wait`, blocks (without the GIL) until the join finished and raises its error;
    /// without, starts the join and returns at once (the outcome reaches `join_confirm`).
    #[pyo3(signature = (product, instance_id, stream_id, server_urls, signature=None, client_id=None, secret=None, timeout_ms=None, wait=false))]
    #[allow(clippy::too_many_arguments)]
    fn join(
        &self,
        py: Python<'_>,
        product: &str,
        instance_id: &str,
        stream_id: &str,
        server_urls: &str,
        signature: Option<String>,
        client_id: Option<String>,
        secret: Option<String>,
        timeout_ms: Option<u64>,
        wait: bool,
    ) -> PyResult<()> {
        let mut params = match product {
            "meeting" => JoinParams::meeting(instance_id, stream_id, server_urls),
            "webinar" => JoinParams::webinar(instance_id, stream_id, server_urls),
            "session" => JoinParams::session(instance_id, stream_id, server_urls),
            "engagement" => JoinParams::engagement(instance_id, stream_id, server_urls),
            other => return Err(to_py(&rtms_core::Error::invalid_argument(format!("unknown product `{other}`")))),
        };
        params.signature = signature;
        params.client_id = client_id;
        params.client_secret = secret;
        params.timeout = timeout_ms.map(Duration::from_millis);

        let handle = runtime::handle()?;
        let (cancel, thread) = start_dispatcher(&self.shared, handle.clone())?;
        let core = self.shared.core.clone();
        if wait {
            let result = py.detach(|| handle.block_on(core.join(params)));
            if let Err(e) = result {
                // Let the dispatcher deliver the failed join's `join_confirm` first, so the
                // callback has run when the exception is raised.
                cancel.send_replace(true);
                py.detach(|| {
                    let _ = thread.join();
                });
                return Err(to_py(&e));
            }
        } else {
            handle.spawn(async move {
                if let Err(e) = core.join(params).await {
                    tracing::debug!(error = %e, "join failed; the join_confirm callback has the code");
                    cancel.send_replace(true);
                }
            });
        }
        Ok(())
    }

    /// Leaves the stream and waits (bounded, without the GIL) until it is closed and the leave
    /// event was queued for the callbacks. Returns false when not joined.
    fn leave(&self, py: Python<'_>) -> PyResult<bool> {
        if !self.shared.core.is_joined() {
            return Ok(false);
        }
        let handle = runtime::handle()?;
        let core = self.shared.core.clone();
        match py.detach(|| handle.block_on(core.leave())) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == rtms_core::ErrorKind::InvalidState => Ok(false),
            Err(e) => Err(to_py(&e)),
        }
    }

    /// Starts leaving without waiting; false when not joined.
    fn request_leave(&self) -> bool {
        self.shared.core.request_leave()
    }

    /// Blocks (without the GIL) until the current stream has ended, at most `timeout` seconds;
    /// true when it ended.
    #[pyo3(signature = (timeout=None))]
    fn wait_closed(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<bool> {
        let handle = runtime::handle()?;
        let core = self.shared.core.clone();
        let limit = timeout.map(|t| Duration::from_secs_f64(t.max(0.0)));
        Ok(py.detach(|| {
            handle.block_on(async {
                match limit {
                    Some(limit) => tokio::time::timeout(limit, core.closed()).await.is_ok(),
                    None => {
                        core.closed().await;
                        true
                    }
                }
            })
        }))
    }

    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        // Never block in a GC traversal: a handler table being edited is skipped this round.
        if let Ok(handlers) = self.shared.handlers.try_lock() {
            for cb in handlers.values() {
                visit.call(cb)?;
            }
        }
        Ok(())
    }

    fn __clear__(&self) {
        if let Ok(mut handlers) = self.shared.handlers.try_lock() {
            handlers.clear();
        }
    }
}

/// Takes a fresh event stream and starts its dispatcher thread. Returns the sender that
/// abandons the stream (for a join that failed before any event) and the thread.
fn start_dispatcher(shared: &Arc<Shared>, handle: tokio::runtime::Handle) -> PyResult<(watch::Sender<bool>, JoinHandle<()>)> {
    let events = shared.core.events();
    let (cancel, cancelled) = watch::channel(false);
    let shared = shared.clone();
    let thread = std::thread::Builder::new()
        .name("rtms-dispatch".into())
        .spawn(move || dispatch(shared, events, cancelled, handle))
        .map_err(|e| failure(format!("cannot start the event dispatcher thread: {e}")))?;
    Ok((cancel, thread))
}

/// True for the last event of a session.
fn is_final(event: &Event) -> bool {
    matches!(event, Event::Leave { .. }) || matches!(event, Event::JoinConfirm { reason } if *reason != 0)
}

/// Resolves when the join is abandoned; never when the sender is merely dropped.
async fn abandoned(cancelled: &mut watch::Receiver<bool>) {
    if cancelled.wait_for(|c| *c).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// The dispatcher thread: waits for events without the GIL, then delivers them in batches.
fn dispatch(shared: Arc<Shared>, mut events: Events, mut cancelled: watch::Receiver<bool>, handle: tokio::runtime::Handle) {
    loop {
        let first = handle.block_on(async {
            tokio::select! {
                biased;
                event = events.recv() => event,
                _ = abandoned(&mut cancelled) => None,
            }
        });
        let mut batch = Vec::with_capacity(BATCH);
        let mut end = match first {
            Some(event) => {
                batch.push(event);
                false
            }
            // Abandoned or closed: deliver what is already queued (a failed join's confirm).
            None => true,
        };
        while batch.len() < BATCH {
            match events.try_recv() {
                Some(event) => batch.push(event),
                None => break,
            }
        }
        end |= batch.iter().any(is_final);
        if !batch.is_empty() && Python::try_attach(|py| deliver(py, &shared, batch)).is_none() {
            // The interpreter is shutting down: nobody is left to call.
            return;
        }
        if end {
            return;
        }
    }
}

/// Calls the registered callable of each event, in order.
fn deliver(py: Python<'_>, shared: &Shared, batch: Vec<Event>) {
    for event in batch {
        let (name, args) = match to_args(py, &event) {
            Ok(Some(x)) => x,
            Ok(None) => continue,
            Err(e) => {
                log_callback_error(py, "converting an event", e);
                continue;
            }
        };
        let callback = shared.handlers().get(name).map(|cb| cb.clone_ref(py));
        if let Some(cb) = callback {
            if let Err(e) = cb.call1(py, args) {
                log_callback_error(py, name, e);
            }
        }
    }
}
