//! The one place core errors become Python exceptions.
//!
//! The exception classes live in Python (`rtms/exceptions.py`), so users can subclass and
//! `isinstance`-check them like any Python class; this module looks the class up by the core's
//! stable error code and raises it with the message, the code and (for refused handshakes)
//! Zoom's status code.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// A Python exception for a core error.
pub fn to_py(err: &rtms_core::Error) -> PyErr {
    Python::attach(|py| match build(py, err) {
        Ok(e) => e,
        Err(lookup) => {
            let e = PyRuntimeError::new_err(format!("{} (code {})", err.message(), err.code()));
            e.set_cause(py, Some(lookup));
            e
        }
    })
}

fn build(py: Python<'_>, err: &rtms_core::Error) -> PyResult<PyErr> {
    let module = py.import("rtms.exceptions")?;
    let args = (err.code(), err.kind().name(), err.message(), err.status());
    let exc = module.getattr("_from_core")?.call1(args)?;
    Ok(PyErr::from_value(exc))
}

/// A generic failure (`RTMSError`, code -1) for problems outside the core (threads, runtime).
pub fn failure(message: impl Into<String>) -> PyErr {
    to_py(&rtms_core::Error::new(rtms_core::ErrorKind::Failure, message))
}

/// Every error kind as `(code, name)`, so the Python side can check its mapping covers them all.
#[pyfunction]
pub fn error_kinds(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    let kinds: Vec<(i32, &str)> = rtms_core::ErrorKind::ALL.iter().map(|k| (k.code(), k.name())).collect();
    PyTuple::new(py, kinds)
}

/// Logs a Python exception raised by a user callback, with its traceback, to the `rtms`
/// logger; never raises itself (a failing logger falls back to `sys.unraisablehook`).
pub fn log_callback_error(py: Python<'_>, what: &str, err: PyErr) {
    // The value with its traceback attached, so the log record carries the traceback.
    let exc = err.clone_ref(py).into_value(py);
    let logged = (|| -> PyResult<()> {
        let logger = py.import("logging")?.getattr("getLogger")?.call1(("rtms",))?;
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("exc_info", exc.bind(py))?;
        logger.call_method("error", ("%s raised an exception; the stream continues", what), Some(&kwargs))?;
        Ok(())
    })();
    if logged.is_err() {
        err.write_unraisable(py, None);
    }
}
