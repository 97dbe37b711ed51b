//! `Client`: a thin wrapper over [`rtms_core::Client`] (the public `Client` of
//! `bindings/node/index.js` extends it).
//!
//! Events cross into JS in one place, [`pump`]: each join takes a fresh event stream from the
//! core and one tokio task hands every event to one JS dispatcher function through a
//! thread-safe function (queued, never polled; the callbacks run on the JS thread). The
//! thread-safe function is strong while the stream lives, so the process stays up like the
//! official SDK's `setInterval`, and it is released with the last event (leave, failed join),
//! so the process exits by itself once every client has left.

use std::time::Duration;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use rtms_core::protocol::MediaType;
use rtms_core::{Events, JoinParams};
use tokio::sync::watch;

use crate::error::{to_js, ErrorInfo, JsResult};
use crate::event::{is_final, to_delivery, Delivery};
use crate::params::{JsAudioParams, JsDeskshareParams, JsTranscriptParams, JsVideoParams};

/// The dispatcher: strong (keeps the loop alive), unbounded queue (control events are never
/// dropped), errors thrown by it are uncaught exceptions as with any callback.
type Dispatch = ThreadsafeFunction<Delivery, (), Delivery, Status, false, false, 0>;

/// What to join (built by the JS layer from the official `join(options)`).
#[napi(object)]
pub struct JoinOptions {
    /// `meeting`, `webinar`, `session` or `engagement`.
    pub product: String,
    pub instance_id: String,
    pub stream_id: String,
    pub server_urls: String,
    pub signature: Option<String>,
    pub client: Option<String>,
    pub secret: Option<String>,
    /// Join timeout in ms (default 10 000).
    pub timeout: Option<u32>,
    /// A CA file (PEM) to trust for `wss://`.
    pub ca: Option<String>,
    /// Appended to the agent string of the signaling handshake.
    pub agent: Option<String>,
}

/// The native client.
#[napi(js_name = "Client")]
pub struct JsClient {
    core: rtms_core::Client,
}

impl Default for JsClient {
    fn default() -> Self {
        JsClient::new()
    }
}

#[napi]
impl JsClient {
    #[napi(constructor)]
    pub fn new() -> Self {
        let core = rtms_core::Client::new();
        core.set_agent(concat!("rtms-node/", env!("CARGO_PKG_VERSION")));
        JsClient { core }
    }

    /// Enables media types (a `MEDIA_TYPE_*` bitmask).
    #[napi]
    pub fn enable_media(&self, mask: u32) {
        self.core.enable_media(MediaType(mask));
    }

    /// Disables media types.
    #[napi]
    pub fn disable_media(&self, mask: u32) {
        self.core.disable_media(MediaType(mask));
    }

    /// The enabled media types.
    #[napi]
    pub fn enabled_media(&self) -> u32 {
        self.core.enabled_media().0
    }

    /// Audio params; unset fields take the official defaults; validated by the core.
    #[napi]
    pub fn set_audio_params(&self, env: &Env, params: JsAudioParams) -> JsResult<bool> {
        self.core.set_audio_params(params.into()).map_err(|e| to_js(env, &e))?;
        Ok(true)
    }

    #[napi]
    pub fn set_video_params(&self, env: &Env, params: JsVideoParams) -> JsResult<bool> {
        self.core.set_video_params(params.into()).map_err(|e| to_js(env, &e))?;
        Ok(true)
    }

    #[napi]
    pub fn set_deskshare_params(&self, env: &Env, params: JsDeskshareParams) -> JsResult<bool> {
        self.core.set_deskshare_params(params.into()).map_err(|e| to_js(env, &e))?;
        Ok(true)
    }

    #[napi]
    pub fn set_transcript_params(&self, env: &Env, params: JsTranscriptParams) -> JsResult<bool> {
        self.core.set_transcript_params(params.into()).map_err(|e| to_js(env, &e))?;
        Ok(true)
    }

    /// Routes connections through an `http://` proxy.
    #[napi]
    pub fn set_proxy(&self, env: &Env, url: String) -> JsResult<bool> {
        self.core.set_proxy(&url).map_err(|e| to_js(env, &e))?;
        Ok(true)
    }

    /// Subscribes to event types (sent at join, or at once when joined).
    #[napi]
    pub fn subscribe_events(&self, env: &Env, types: Vec<i32>) -> JsResult<bool> {
        self.core.subscribe_events(&types).map_err(|e| to_js(env, &e))?;
        Ok(true)
    }

    #[napi]
    pub fn unsubscribe_events(&self, env: &Env, types: Vec<i32>) -> JsResult<bool> {
        self.core.unsubscribe_events(&types).map_err(|e| to_js(env, &e))?;
        Ok(true)
    }

    /// Subscribes to (or stops) one participant's video; needs a joined stream.
    #[napi]
    pub fn subscribe_video(&self, env: &Env, user_id: i64, subscribe: bool) -> JsResult<bool> {
        self.core.subscribe_video(user_id, subscribe).map_err(|e| to_js(env, &e))?;
        Ok(true)
    }

    /// True while a stream is joined.
    #[napi]
    pub fn is_joined(&self) -> bool {
        self.core.is_joined()
    }

    /// Joins a stream; every event of it goes to `dispatch`. Resolves to `null` once joined,
    /// or to the error (the promise never rejects, so the error's `code` survives).
    #[napi(ts_return_type = "Promise<ErrorInfo | null>")]
    pub fn join<'env>(
        &self,
        env: &'env Env,
        options: JoinOptions,
        dispatch: Function<'env, Delivery, ()>,
    ) -> JsResult<PromiseRaw<'env, Option<ErrorInfo>>> {
        let mut params = match options.product.as_str() {
            "meeting" => JoinParams::meeting(&options.instance_id, &options.stream_id, &options.server_urls),
            "webinar" => JoinParams::webinar(&options.instance_id, &options.stream_id, &options.server_urls),
            "session" => JoinParams::session(&options.instance_id, &options.stream_id, &options.server_urls),
            "engagement" => JoinParams::engagement(&options.instance_id, &options.stream_id, &options.server_urls),
            other => return Err(to_js(env, &rtms_core::Error::invalid_argument(format!("unknown product `{other}`")))),
        };
        params.signature = options.signature.filter(|s| !s.is_empty());
        params.client_id = options.client.filter(|s| !s.is_empty());
        params.client_secret = options.secret.filter(|s| !s.is_empty());
        params.timeout = options.timeout.filter(|t| *t > 0).map(|t| Duration::from_millis(u64::from(t)));
        if let Some(ca) = options.ca.filter(|s| !s.is_empty()) {
            self.core.set_ca_file(ca);
        }
        if let Some(agent) = options.agent.filter(|s| !s.is_empty()) {
            self.core.set_agent(&format!("rtms-node/{}-{agent}", env!("CARGO_PKG_VERSION")));
        }
        let tsfn: Dispatch = dispatch.build_threadsafe_function::<Delivery>().callee_handled::<false>().build()?;
        let events = self.core.events();
        let (cancel, cancelled) = watch::channel(false);
        napi::bindgen_prelude::spawn(pump(events, tsfn, cancelled));
        let core = self.core.clone();
        env.spawn_future(async move {
            match core.join(params).await {
                Ok(_) => Ok(None),
                Err(e) => {
                    cancel.send_replace(true);
                    Ok(Some(ErrorInfo::from(&e)))
                }
            }
        })
    }

    /// Leaves the stream: resolves (to `null`) once it is closed and the leave event is queued
    /// for the callbacks, or to the error (`INVALID_STATUS` when not joined).
    #[napi(ts_return_type = "Promise<ErrorInfo | null>")]
    pub fn leave<'env>(&self, env: &'env Env) -> JsResult<PromiseRaw<'env, Option<ErrorInfo>>> {
        let core = self.core.clone();
        env.spawn_future(async move { Ok(core.leave().await.err().map(|e| ErrorInfo::from(&e))) })
    }

    /// Starts leaving without waiting; false when not joined.
    #[napi]
    pub fn request_leave(&self) -> bool {
        self.core.request_leave()
    }

    /// Resolves when the current stream has ended (at once when not joined).
    #[napi(ts_return_type = "Promise<void>")]
    pub fn closed<'env>(&self, env: &'env Env) -> JsResult<PromiseRaw<'env, ()>> {
        let core = self.core.clone();
        env.spawn_future(async move {
            core.closed().await;
            Ok(())
        })
    }

    /// Counters of everything received (debug text, for diagnostics).
    #[napi]
    pub fn stats(&self) -> String {
        format!("{:?}", self.core.stats())
    }
}

/// Resolves when the join is abandoned; never when the sender is merely dropped.
async fn abandoned(cancelled: &mut watch::Receiver<bool>) {
    if cancelled.wait_for(|c| *c).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// The event pump of one session: core channel → the JS dispatcher, until the last event.
async fn pump(mut events: Events, dispatch: Dispatch, mut cancelled: watch::Receiver<bool>) {
    loop {
        let next = tokio::select! {
            biased;
            event = events.recv() => event,
            _ = abandoned(&mut cancelled) => None,
        };
        let Some(event) = next else {
            // Abandoned or closed: deliver what is already queued (a failed join's confirm).
            while let Some(event) = events.try_recv() {
                if let Some(d) = to_delivery(event) {
                    dispatch.call(d, ThreadsafeFunctionCallMode::NonBlocking);
                }
            }
            break;
        };
        let end = is_final(&event);
        if let Some(d) = to_delivery(event) {
            let status = dispatch.call(d, ThreadsafeFunctionCallMode::NonBlocking);
            if status != Status::Ok {
                tracing::warn!(?status, "event dropped: the JS dispatcher is closing");
            }
        }
        if end {
            break;
        }
    }
    // Dropping `dispatch` releases the thread-safe function: nothing keeps the loop alive.
    drop(dispatch);
}
