//! Logging setup (the official `configureLogger` / `ZM_RTMS_LOG_*`), by rtms-core.

use rtms_core::logging::{self, LogConfig, LogFormat, LogLevel};

/// Installs rtms's log output on stderr: `level` 0 (error) to 4 (trace) as the official
/// `LogLevel`, or -1 to read `ZM_RTMS_LOG_ENABLED`, `ZM_RTMS_LOG_LEVEL` and
/// `ZM_RTMS_LOG_FORMAT`; `json` selects one JSON object per line. Idempotent: later calls
/// change the level. Returns true when rtms's subscriber is installed.
#[no_mangle]
pub extern "C" fn rtms_logging_init(level: i32, json: bool) -> bool {
    crate::guard(false, || {
        if level < 0 {
            return logging::init_from_env();
        }
        let level = match level {
            0 => LogLevel::Error,
            1 => LogLevel::Warn,
            2 => LogLevel::Info,
            3 => LogLevel::Debug,
            _ => LogLevel::Trace,
        };
        let format = if json { LogFormat::Json } else { LogFormat::Progressive };
        logging::init(LogConfig { enabled: true, level, format })
    })
}
