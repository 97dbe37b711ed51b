//! `configureLogger`: the core's log output (`ZM_RTMS_LOG_*`), configured from JS.

use napi::Env;
use napi_derive::napi;
use rtms_core::logging::{LogConfig, LogFormat, LogLevel};

use crate::error::{to_js, JsResult};

/// Installs (or reconfigures) the core's log output on stderr. `level` is a name (`"debug"`) or
/// the official number as a string (`"0"`-`"4"`); `format` is `"progressive"` or `"json"`.
/// Returns whether rtms's subscriber is installed afterwards.
#[napi]
pub fn configure_logger(env: &Env, enabled: bool, level: String, format: String) -> JsResult<bool> {
    let level: LogLevel = level.parse().map_err(|e| to_js(env, &rtms_core::Error::invalid_argument(format!("log level: {e}"))))?;
    let format: LogFormat = format.parse().map_err(|e| to_js(env, &rtms_core::Error::invalid_argument(format!("log format: {e}"))))?;
    Ok(rtms_core::logging::init(LogConfig { enabled, level, format }))
}

/// Installs the log output configured by `ZM_RTMS_LOG_ENABLED`, `ZM_RTMS_LOG_LEVEL` and
/// `ZM_RTMS_LOG_FORMAT`.
#[napi]
pub fn configure_logger_from_env() -> bool {
    rtms_core::logging::init_from_env()
}
