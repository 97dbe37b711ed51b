//! The webhook HTTP receiver (HTTP/1 on tokio, the official SDK's `onWebhookEvent`).

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::{timeout, timeout_at, Instant};

use super::answer::{answer, Answer};
use super::WebhookEvent;
use crate::error::{Error, ErrorKind};

/// Environment variable: interface to listen on (default `127.0.0.1`).
pub const ENV_HOST: &str = "ZM_RTMS_HOST";
/// Environment variable: port to listen on (default `8080`, `0` picks a free port).
pub const ENV_PORT: &str = "ZM_RTMS_PORT";
/// Environment variable: URL path webhooks are posted to (default `/`).
pub const ENV_PATH: &str = "ZM_RTMS_PATH";
/// Environment variable: Zoom's webhook secret token (enables verification and URL validation).
pub const ENV_WEBHOOK_SECRET: &str = "ZM_RTMS_WEBHOOK_SECRET";

/// Time allowed for reading a request body (headers have hyper's 30 s limit).
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Time [`Receiver::shutdown`] gives open connections before aborting them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Where and how the [`Receiver`] listens. [`Default`] gives the documented defaults without
/// reading the environment; [`ReceiverConfig::from_env`] reads it.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceiverConfig {
    /// Interface to bind (`ZM_RTMS_HOST`, default `127.0.0.1`; use `0.0.0.0` to be reachable
    /// from other hosts without a reverse proxy or tunnel).
    pub host: String,
    /// Port (`ZM_RTMS_PORT`, default `8080`; `0` picks a free port, see [`Receiver::local_addr`]).
    pub port: u16,
    /// Path webhooks are posted to (`ZM_RTMS_PATH`, default `/`); a leading `/` is added if missing.
    pub path: String,
    /// Zoom's webhook secret token (`ZM_RTMS_WEBHOOK_SECRET`). With it, signatures are verified
    /// and `endpoint.url_validation` is answered; without it, events are accepted unverified.
    pub webhook_secret: Option<String>,
    /// Largest accepted body in bytes (default 1 MiB); larger requests get 413.
    pub max_body: usize,
    /// Largest accepted difference between `x-zm-request-timestamp` and now (default 300 s).
    pub max_skew: Duration,
    /// How long a request waits for the handler's answer (default 10 s) before the receiver
    /// answers `200 {"status":"ok"}` itself. Zoom retries webhooks not answered within about 3 s.
    pub response_timeout: Duration,
}

impl Default for ReceiverConfig {
    fn default() -> Self {
        ReceiverConfig {
            host: "127.0.0.1".into(),
            port: 8080,
            path: "/".into(),
            webhook_secret: None,
            max_body: 1024 * 1024,
            max_skew: Duration::from_secs(300),
            response_timeout: Duration::from_secs(10),
        }
    }
}

impl fmt::Debug for ReceiverConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceiverConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("path", &self.path)
            .field("webhook_secret", &self.webhook_secret.as_ref().map(|_| "<redacted>"))
            .field("max_body", &self.max_body)
            .field("max_skew", &self.max_skew)
            .field("response_timeout", &self.response_timeout)
            .finish()
    }
}

impl ReceiverConfig {
    /// The defaults overridden by `ZM_RTMS_HOST`, `ZM_RTMS_PORT`, `ZM_RTMS_PATH` and
    /// `ZM_RTMS_WEBHOOK_SECRET` (empty values count as unset). A `ZM_RTMS_PORT` that is not a
    /// port number is an [`ErrorKind::InvalidArgument`] error.
    pub fn from_env() -> Result<ReceiverConfig, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<ReceiverConfig, Error> {
        let var = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let mut config = ReceiverConfig::default();
        if let Some(host) = var(ENV_HOST) {
            config.host = host;
        }
        if let Some(port) = var(ENV_PORT) {
            config.port =
                port.parse().map_err(|_| Error::invalid_argument(format!("{ENV_PORT} must be a port number 0-65535, got {port:?}")))?;
        }
        if let Some(path) = var(ENV_PATH) {
            config.path = path;
        }
        // The secret is used exactly as given (no trimming beyond emptiness).
        config.webhook_secret = lookup(ENV_WEBHOOK_SECRET).filter(|s| !s.is_empty());
        Ok(config)
    }

    fn normalised_path(&self) -> String {
        if self.path.starts_with('/') {
            self.path.clone()
        } else {
            format!("/{}", self.path)
        }
    }
}

/// The simple handler: gets each verified event; the receiver answers `200 {"status":"ok"}` once
/// it returns (`500` if it panics).
pub type EventHandler = Arc<dyn Fn(WebhookEvent) + Send + Sync>;

/// The advanced handler: gets the event, the request and a [`WebhookResponder`] that owns the
/// answer (the official SDK's `(payload, req, res)` form).
pub type AdvancedHandler = Arc<dyn Fn(WebhookEvent, WebhookRequest, WebhookResponder) + Send + Sync>;

/// The callback a [`Receiver`] calls for every accepted event (not for `endpoint.url_validation`,
/// which the receiver answers itself).
///
/// Handlers run on tokio's blocking pool inside `catch_unwind`, so a slow or blocking handler does
/// not stall the server and a panicking one yields `500` while the server keeps serving. Handlers
/// may call `tokio::spawn` (the runtime is current); keep them short, as Zoom wants an answer
/// within about 3 s, and do long work (joining the stream) in a spawned task.
#[derive(Clone)]
pub enum Handler {
    /// See [`EventHandler`].
    Simple(EventHandler),
    /// See [`AdvancedHandler`].
    Advanced(AdvancedHandler),
}

impl Handler {
    /// A [`Handler::Simple`] from a closure.
    pub fn simple(f: impl Fn(WebhookEvent) + Send + Sync + 'static) -> Handler {
        Handler::Simple(Arc::new(f))
    }

    /// A [`Handler::Advanced`] from a closure. The closure may answer right away or move the
    /// responder into a task and answer later (within [`ReceiverConfig::response_timeout`]).
    pub fn advanced(f: impl Fn(WebhookEvent, WebhookRequest, WebhookResponder) + Send + Sync + 'static) -> Handler {
        Handler::Advanced(Arc::new(f))
    }
}

impl From<EventHandler> for Handler {
    fn from(f: EventHandler) -> Handler {
        Handler::Simple(f)
    }
}

impl From<AdvancedHandler> for Handler {
    fn from(f: AdvancedHandler) -> Handler {
        Handler::Advanced(f)
    }
}

impl fmt::Debug for Handler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Handler::Simple(_) => "Handler::Simple",
            Handler::Advanced(_) => "Handler::Advanced",
        })
    }
}

/// The HTTP request behind an event, for [`AdvancedHandler`]s.
#[derive(Debug, Clone)]
pub struct WebhookRequest {
    /// The method (always `POST` for requests that reach a handler).
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// Headers, lowercase name → value (repeated headers joined with `", "`).
    pub headers: BTreeMap<String, String>,
    /// The body exactly as received.
    pub raw_body: Bytes,
    /// The peer's address.
    pub remote_addr: SocketAddr,
}

/// The answer to a webhook, owned by an [`AdvancedHandler`]: a consuming builder like the
/// official `res.status(201).send("...")`.
///
/// Answer with [`send`](WebhookResponder::send) or [`json`](WebhookResponder::json). Dropping it
/// unanswered makes the receiver reply `200 {"status":"ok"}`, as does not answering within
/// [`ReceiverConfig::response_timeout`].
#[derive(Debug)]
pub struct WebhookResponder {
    status: StatusCode,
    headers: HeaderMap,
    tx: oneshot::Sender<Response<Full<Bytes>>>,
}

impl WebhookResponder {
    /// Sets the status code (default 200). Codes outside 100-999 are ignored with a warning.
    pub fn status(mut self, code: u16) -> WebhookResponder {
        match StatusCode::from_u16(code) {
            Ok(status) => self.status = status,
            Err(_) => tracing::warn!(code, "webhook handler set an invalid HTTP status; ignored"),
        }
        self
    }

    /// Adds a response header. Invalid names or values are ignored with a warning.
    pub fn header(mut self, name: &str, value: &str) -> WebhookResponder {
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            (Ok(n), Ok(v)) => {
                self.headers.append(n, v);
            }
            _ => tracing::warn!(name, "webhook handler set an invalid response header; ignored"),
        }
        self
    }

    /// Sends `body` with the status and headers set so far (`content-type` defaults to
    /// `text/plain; charset=utf-8`).
    pub fn send(mut self, body: impl Into<Bytes>) {
        if !self.headers.contains_key(header::CONTENT_TYPE) {
            self.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        }
        let mut response = Response::new(Full::new(body.into()));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        // The request may have timed out already; nothing to do then.
        let _ = self.tx.send(response);
    }

    /// Sends `value` as JSON (`content-type: application/json`).
    pub fn json(mut self, value: &Value) {
        self.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self.send(value.to_string());
    }
}

/// A running webhook receiver. Stop it with [`Receiver::shutdown`]; dropping it also stops it, in
/// the background.
#[derive(Debug)]
pub struct Receiver {
    local_addr: SocketAddr,
    path: String,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

struct Shared {
    path: String,
    config: ReceiverConfig,
    handler: Handler,
}

impl Receiver {
    /// Binds `config.host:config.port` and serves webhooks on `config.path` until shut down.
    /// Must be called within a tokio runtime.
    ///
    /// Answers: wrong path → 404; other method than `POST` → 405; body over `max_body` → 413;
    /// body not JSON or without `event` → 400; with a secret, `endpoint.url_validation` →
    /// `200 {"plainToken","encryptedToken"}` and a bad or stale signature → 401; without a
    /// secret, `endpoint.url_validation` → 400. Errors are JSON `{"error":"..."}`.
    ///
    /// A port already in use is an [`ErrorKind::Io`] error naming the port and `ZM_RTMS_PORT`.
    pub async fn start(config: ReceiverConfig, handler: impl Into<Handler>) -> Result<Receiver, Error> {
        let (host, port) = (config.host.clone(), config.port);
        let listener = TcpListener::bind((host.as_str(), port)).await.map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                format!("port {port} is already in use: set {ENV_PORT} (or ReceiverConfig::port) to a free port")
            } else {
                format!("check {ENV_HOST} and {ENV_PORT}")
            };
            Error::new(ErrorKind::Io, format!("webhook receiver cannot listen on {host}:{port}: {e}; {hint}"))
        })?;
        let local_addr = listener.local_addr()?;
        let shared = Arc::new(Shared { path: config.normalised_path(), config, handler: handler.into() });
        if shared.config.webhook_secret.is_none() {
            tracing::warn!(
                "no webhook secret ({ENV_WEBHOOK_SECRET}): webhooks are accepted WITHOUT signature verification \
                 and endpoint.url_validation cannot be answered"
            );
        }
        tracing::info!(%local_addr, path = %shared.path, "webhook receiver listening");
        let (stop, stop_rx) = watch::channel(false);
        let path = shared.path.clone();
        let task = tokio::spawn(accept_loop(listener, shared, stop_rx));
        Ok(Receiver { local_addr, path, stop, task: Some(task) })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://{local_addr}{path}`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.local_addr, self.path)
    }

    /// Stops accepting, lets open connections finish their current request (up to 10 s, then
    /// aborts them) and returns once the port is released and every server task has ended.
    /// Handlers still running on the blocking pool finish on their own.
    pub async fn shutdown(mut self) {
        self.stop.send_replace(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        tracing::info!(local_addr = %self.local_addr, "webhook receiver stopped");
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop.send_replace(true);
    }
}

/// Resolves once shutdown is requested (or the [`Receiver`] is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    // Drop the `Ref` at once: it must not be held across an await.
    let _ = stop.wait_for(|s| *s).await.map(|_| ());
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped(&mut stop) => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, remote)) => {
                    connections.spawn(serve_connection(stream, remote, shared.clone(), stop.clone()));
                }
                Err(e) => {
                    // E.g. out of file descriptors: back off instead of spinning.
                    tracing::warn!(error = %e, "webhook receiver accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
        }
    }
    drop(listener);
    if timeout(SHUTDOWN_GRACE, async { while connections.join_next().await.is_some() {} }).await.is_err() {
        tracing::warn!("webhook receiver: aborting connections still open after {SHUTDOWN_GRACE:?}");
        connections.shutdown().await;
    }
}

async fn serve_connection(stream: tokio::net::TcpStream, remote: SocketAddr, shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let service = service_fn(move |req| {
        let shared = shared.clone();
        async move { Ok::<_, Infallible>(handle(&shared, req, remote).await) }
    });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30))
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let result = tokio::select! {
        result = conn.as_mut() => result,
        _ = stopped(&mut stop) => {
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    if let Err(e) = result {
        tracing::debug!(%remote, error = %e, "webhook connection ended with an error");
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn error_response(status: StatusCode, message: &str) -> Response<Full<Bytes>> {
    json_response(status, &json!({ "error": message }))
}

fn ok_response() -> Response<Full<Bytes>> {
    json_response(StatusCode::OK, &json!({ "status": "ok" }))
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

async fn handle(shared: &Shared, req: Request<Incoming>, remote: SocketAddr) -> Response<Full<Bytes>> {
    if req.uri().path() != shared.path {
        tracing::debug!(%remote, path = req.uri().path(), "webhook request on an unknown path");
        return error_response(StatusCode::NOT_FOUND, "not found");
    }
    if req.method() != Method::POST {
        let mut response = error_response(StatusCode::METHOD_NOT_ALLOWED, "method not allowed: webhooks must be POSTed");
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    let max_body = shared.config.max_body;
    let too_large = || {
        let mut response = error_response(StatusCode::PAYLOAD_TOO_LARGE, &format!("body larger than {max_body} bytes"));
        // The rest of the body stays unread: do not reuse the connection.
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        response
    };
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|len| len > max_body as u64) {
        return too_large();
    }
    let (parts, body) = req.into_parts();
    let body = match timeout(BODY_READ_TIMEOUT, Limited::new(body, max_body).collect()).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => return too_large(),
        Ok(Err(e)) => return error_response(StatusCode::BAD_REQUEST, &format!("could not read the body: {e}")),
        Err(_) => return error_response(StatusCode::REQUEST_TIMEOUT, "timed out reading the body"),
    };
    let secret = shared.config.webhook_secret.as_deref();
    let event = match answer(secret, &parts.headers, &body, unix_now(), shared.config.max_skew) {
        Answer::Deliver(event) => event,
        Answer::Respond { status, body } => {
            if status >= 400 {
                tracing::debug!(%remote, status, "webhook request refused");
            }
            let mut response = Response::new(Full::new(Bytes::from(body)));
            *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            return response;
        }
    };
    let headers = parts.headers.keys().map(|name| {
        let values: Vec<_> = parts.headers.get_all(name).iter().map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()).collect();
        (name.as_str().to_owned(), values.join(", "))
    });
    let request = WebhookRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: headers.collect(),
        raw_body: body,
        remote_addr: remote,
    };
    dispatch(&shared.handler, event, request, shared.config.response_timeout).await
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic.downcast_ref::<&str>().copied().or_else(|| panic.downcast_ref::<String>().map(String::as_str)).unwrap_or("non-string panic")
}

async fn dispatch(handler: &Handler, event: WebhookEvent, request: WebhookRequest, response_timeout: Duration) -> Response<Full<Bytes>> {
    let name = event.event.clone();
    let deadline = Instant::now() + response_timeout;
    let (tx, mut rx) = oneshot::channel();
    let call = match handler {
        Handler::Simple(f) => {
            let f = f.clone();
            tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(|| f(event))))
        }
        Handler::Advanced(f) => {
            let f = f.clone();
            let responder = WebhookResponder { status: StatusCode::OK, headers: HeaderMap::new(), tx };
            tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(|| f(event, request, responder))))
        }
    };
    let late = || {
        tracing::warn!(event = %name, "webhook handler did not answer within {response_timeout:?}; answered 200");
        ok_response()
    };
    match timeout_at(deadline, call).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(panic))) => {
            tracing::error!(event = %name, panic = panic_message(panic.as_ref()), "webhook handler panicked");
            return rx.try_recv().unwrap_or_else(|_| error_response(StatusCode::INTERNAL_SERVER_ERROR, "webhook handler panicked"));
        }
        Ok(Err(e)) => {
            tracing::error!(event = %name, error = %e, "webhook handler task failed");
            return error_response(StatusCode::INTERNAL_SERVER_ERROR, "webhook handler failed");
        }
        Err(_) => return late(),
    }
    if matches!(handler, Handler::Simple(_)) {
        return ok_response();
    }
    match timeout_at(deadline, rx).await {
        Ok(Ok(response)) => response,
        // The responder was dropped without an answer.
        Ok(Err(_)) => ok_response(),
        Err(_) => late(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn config_defaults_and_env() {
        let c = ReceiverConfig::from_lookup(lookup(&[])).unwrap();
        assert_eq!(c, ReceiverConfig::default());
        assert_eq!((c.host.as_str(), c.port, c.path.as_str(), c.max_body), ("127.0.0.1", 8080, "/", 1 << 20));
        let c = ReceiverConfig::from_lookup(lookup(&[
            (ENV_HOST, "0.0.0.0"),
            (ENV_PORT, " 0 "),
            (ENV_PATH, "zoom/webhook"),
            (ENV_WEBHOOK_SECRET, "s3cret"),
        ]))
        .unwrap();
        assert_eq!((c.host.as_str(), c.port, c.normalised_path().as_str()), ("0.0.0.0", 0, "/zoom/webhook"));
        assert_eq!(c.webhook_secret.as_deref(), Some("s3cret"));
        assert!(!format!("{c:?}").contains("s3cret"));
        let empty = ReceiverConfig::from_lookup(lookup(&[(ENV_WEBHOOK_SECRET, ""), (ENV_PORT, "")])).unwrap();
        assert_eq!((empty.webhook_secret, empty.port), (None, 8080));
        let e = ReceiverConfig::from_lookup(lookup(&[(ENV_PORT, "http")])).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.to_string().contains(ENV_PORT));
    }
}
