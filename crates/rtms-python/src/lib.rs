//! `rtms._rtms`: the native module under the `rtms` Python package.
//!
//! Thin by design: every protocol rule, validation and state machine is in `rtms-core`; this
//! crate converts types and carries callbacks across. The public Python API (`rtms.Client`,
//! decorators, enums, `run()`...) is written in Python on top of it (`bindings/python`).
//!
//! | file | what |
//! |---|---|
//! | `client.rs` | `Client`: params, subscriptions, join/leave, the event dispatcher thread |
//! | `event.rs` | events as Python callback arguments (`Metadata`, `Session`, `Participant`) |
//! | `webhook.rs` | `WebhookReceiver` (the core's receiver) and signature helpers |
//! | `error.rs` | core errors → the exception classes of `rtms/exceptions.py` |
//! | `logging.rs` | `configure_logger` |
//! | `sim.rs` | `Simulator` (rtms-sim), behind the `sim` feature |
//! | `runtime.rs` | the shared tokio runtime |

mod client;
mod error;
mod event;
mod logging;
mod runtime;
#[cfg(feature = "sim")]
mod sim;
mod webhook;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use rtms_core::protocol as p;

/// The join signature: `hex(HMAC-SHA256(secret, "client,uuid,stream_id"))`.
#[pyfunction]
fn generate_signature(client: &str, secret: &str, uuid: &str, stream_id: &str) -> String {
    rtms_core::signature::generate_signature(client, secret, uuid, stream_id)
}

/// The core's enums by name (`{"EventType": {"PARTICIPANT_JOIN": 3, ...}, ...}`), for the
/// Python layer's `IntEnum`s.
#[pyfunction]
fn enums(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    for t in p::tables() {
        let values = PyDict::new(py);
        for (name, value) in t.values {
            values.set_item(name, value)?;
        }
        d.set_item(t.name, values)?;
    }
    Ok(d)
}

#[pymodule]
fn _rtms(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("HAS_SIMULATOR", cfg!(feature = "sim"))?;
    m.add_class::<client::PyClient>()?;
    m.add_class::<event::Metadata>()?;
    m.add_class::<event::Session>()?;
    m.add_class::<event::Participant>()?;
    m.add_class::<webhook::PyReceiver>()?;
    m.add_class::<webhook::Responder>()?;
    #[cfg(feature = "sim")]
    m.add_class::<sim::PySim>()?;
    m.add_function(wrap_pyfunction!(generate_signature, m)?)?;
    m.add_function(wrap_pyfunction!(enums, m)?)?;
    m.add_function(wrap_pyfunction!(error::error_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::verify_webhook_signature, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::webhook_signature, m)?)?;
    m.add_function(wrap_pyfunction!(logging::configure_logger, m)?)?;
    m.add_function(wrap_pyfunction!(logging::configure_logger_from_env, m)?)?;
    Ok(())
}
