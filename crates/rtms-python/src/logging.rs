//! `configure_logger`: the core's log output (`ZM_RTMS_LOG_*`), configured from Python.

use pyo3::prelude::*;
use rtms_core::logging::{LogConfig, LogFormat, LogLevel};

use crate::error::to_py;

/// Installs (or reconfigures) the core's log output on stderr. `level` is a name (`"debug"`)
/// or the official number (0-4); `format` is `"progressive"` or `"json"`. Returns whether
/// rtms's subscriber is installed afterwards.
#[pyfunction]
#[pyo3(signature = (enabled=true, level="info", format="progressive"))]
pub fn configure_logger(enabled: bool, level: &str, format: &str) -> PyResult<bool> {
    let level: LogLevel = level.parse().map_err(|e| to_py(&rtms_core::Error::invalid_argument(format!("log level: {e}"))))?;
    let format: LogFormat = format.parse().map_err(|e| to_py(&rtms_core::Error::invalid_argument(format!("log format: {e}"))))?;
    Ok(rtms_core::logging::init(LogConfig { enabled, level, format }))
}

/// Installs the log output configured by `ZM_RTMS_LOG_ENABLED`, `ZM_RTMS_LOG_LEVEL` and
/// `ZM_RTMS_LOG_FORMAT` (what importing `rtms` does).
#[pyfunction]
pub fn configure_logger_from_env() -> bool {
    rtms_core::logging::init_from_env()
}
