//! `rtms._rtms.WebhookReceiver`: the core's webhook [`Receiver`] serving a Python handler.
//!
//! The receiver answers `endpoint.url_validation` and verifies `x-zm-signature` over the raw
//! body itself (when a webhook secret is configured); accepted events reach the Python handler
//! as `handler(raw_body: bytes, request: dict, responder: Responder)` on tokio's blocking pool
//! (never on a worker), with the GIL held only for the call. An answer the handler did not
//! send becomes `200 {"status":"ok"}`; a handler that raises gets `500`.

use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use rtms_core::webhook::{Handler, Receiver, ReceiverConfig, WebhookRequest, WebhookResponder};

use crate::error::{log_callback_error, to_py};
use crate::runtime;

/// The answer to one webhook request, owned by the Python handler while it runs.
#[pyclass(module = "rtms._rtms", frozen)]
pub struct Responder {
    inner: Mutex<Option<WebhookResponder>>,
}

impl Responder {
    fn update(&self, f: impl FnOnce(WebhookResponder) -> WebhookResponder) {
        let mut slot = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(r) = slot.take() {
            *slot = Some(f(r));
        }
    }

    fn take(&self) -> Option<WebhookResponder> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

#[pymethods]
impl Responder {
    /// Sets the HTTP status (default 200).
    fn set_status(&self, code: u16) {
        self.update(|r| r.status(code));
    }

    /// Adds a response header.
    fn set_header(&self, name: &str, value: &str) {
        self.update(|r| r.header(name, value));
    }

    /// Sends the answer; only the first call counts. Returns whether this call sent it.
    fn send(&self, body: Vec<u8>) -> bool {
        match self.take() {
            Some(r) => {
                r.send(body);
                true
            }
            None => false,
        }
    }

    /// True once the answer was sent (or the request is over).
    #[getter]
    fn sent(&self) -> bool {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).is_none()
    }
}

fn request_dict<'py>(py: Python<'py>, req: &WebhookRequest) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("method", &req.method)?;
    d.set_item("path", &req.path)?;
    d.set_item("query", req.query.as_deref())?;
    d.set_item("headers", req.headers.clone())?;
    d.set_item("remote_addr", (req.remote_addr.ip().to_string(), req.remote_addr.port()))?;
    Ok(d)
}

/// Calls the Python handler for one accepted event.
fn call_handler(handler: &Py<PyAny>, request: WebhookRequest, responder: WebhookResponder) {
    let responder_slot = Arc::new(Mutex::new(None::<Py<Responder>>));
    let outcome = Python::try_attach(|py| {
        let result = (|| -> PyResult<()> {
            let r = Py::new(py, Responder { inner: Mutex::new(Some(responder)) })?;
            *responder_slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(r.clone_ref(py));
            let body = PyBytes::new(py, &request.raw_body);
            handler.call1(py, (body, request_dict(py, &request)?, r))?;
            Ok(())
        })();
        let responder = responder_slot.lock().unwrap_or_else(|p| p.into_inner()).take();
        let responder = responder.and_then(|r| r.get().take());
        if let Err(e) = result {
            let message = e.value(py).to_string();
            log_callback_error(py, "webhook handler", e);
            if let Some(r) = responder {
                r.status(500).send(format!("Internal error: {message}"));
            }
        }
        // An unanswered responder is dropped here: the receiver answers 200 {"status":"ok"}.
    });
    if outcome.is_none() {
        tracing::warn!("webhook received while the interpreter is shutting down; answered by default");
    }
}

/// A running webhook receiver (`rtms._rtms.WebhookReceiver`).
#[pyclass(module = "rtms._rtms", name = "WebhookReceiver", frozen)]
pub struct PyReceiver {
    receiver: Mutex<Option<Receiver>>,
    url: String,
    port: u16,
}

#[pymethods]
impl PyReceiver {
    /// Starts listening. Unset arguments come from `ZM_RTMS_HOST`, `ZM_RTMS_PORT`,
    /// `ZM_RTMS_PATH` and `ZM_RTMS_WEBHOOK_SECRET` (defaults `127.0.0.1`, 8080, `/`, none).
    #[new]
    #[pyo3(signature = (handler, host=None, port=None, path=None, secret=None))]
    fn new(
        py: Python<'_>,
        handler: Py<PyAny>,
        host: Option<String>,
        port: Option<u16>,
        path: Option<String>,
        secret: Option<String>,
    ) -> PyResult<Self> {
        let mut config = ReceiverConfig::from_env().map_err(|e| to_py(&e))?;
        if let Some(host) = host {
            config.host = host;
        }
        if let Some(port) = port {
            config.port = port;
        }
        if let Some(path) = path {
            config.path = path;
        }
        if let Some(secret) = secret.filter(|s| !s.is_empty()) {
            config.webhook_secret = Some(secret);
        }
        let handler = Arc::new(handler);
        let rt = runtime::handle()?;
        let h = Handler::advanced(move |_event, request, responder| call_handler(&handler, request, responder));
        let receiver = py.detach(|| rt.block_on(Receiver::start(config, h))).map_err(|e| to_py(&e))?;
        let (url, port) = (receiver.url(), receiver.local_addr().port());
        Ok(PyReceiver { receiver: Mutex::new(Some(receiver)), url, port })
    }

    /// `http://host:port/path`.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    /// The bound port.
    #[getter]
    fn port(&self) -> u16 {
        self.port
    }

    /// Stops listening and waits (without the GIL) until the port is released.
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        let receiver = self.receiver.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(receiver) = receiver {
            let rt = runtime::handle()?;
            py.detach(|| rt.block_on(receiver.shutdown()));
        }
        Ok(())
    }
}

/// Checks a webhook's `x-zm-signature` over the raw body (constant time).
#[pyfunction]
pub fn verify_webhook_signature(secret: &str, timestamp: &str, body: &[u8], signature: &str) -> bool {
    rtms_core::signature::verify_webhook_signature(secret, timestamp, body, signature)
}

/// The `x-zm-signature` value Zoom would send for `body` at `timestamp`.
#[pyfunction]
pub fn webhook_signature(secret: &str, timestamp: &str, body: &[u8]) -> String {
    rtms_core::signature::webhook_signature(secret, timestamp, body)
}
