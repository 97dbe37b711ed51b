//! Optional logging setup (the official SDK's `configureLogger` and `ZM_RTMS_LOG_*`).
//!
//! rtms-core logs through [`tracing`] and never installs a subscriber by itself. Applications
//! that have none can call [`init_from_env`] (or [`init`], as bindings and the CLI do):
//!
//! - `ZM_RTMS_LOG_ENABLED`: `true`/`false`/`1`/`0` (also `yes`/`no`/`on`/`off`), default `true`;
//! - `ZM_RTMS_LOG_LEVEL`: `error`, `warn`, `info`, `debug`, `trace` (or the official numbers
//!   0-4), default `info`;
//! - `ZM_RTMS_LOG_FORMAT`: `progressive` (human-readable) or `json` (one JSON object per line),
//!   default `progressive`. Both write to stderr.
//!
//! The level applies to the `rtms_core`, `rtms_sim` and `rtms` crates; other crates log at
//! `warn` and above (`error` only, when the level is `error`).

use std::fmt;
use std::io::IsTerminal;
use std::str::FromStr;
use std::sync::{Mutex, OnceLock};

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{reload, EnvFilter, Registry};

/// Environment variable: turn logging on or off.
pub const ENV_LOG_ENABLED: &str = "ZM_RTMS_LOG_ENABLED";
/// Environment variable: the level.
pub const ENV_LOG_LEVEL: &str = "ZM_RTMS_LOG_LEVEL";
/// Environment variable: the output format.
pub const ENV_LOG_FORMAT: &str = "ZM_RTMS_LOG_FORMAT";

/// Crates whose level [`LogConfig::level`] sets.
const OUR_CRATES: &[&str] = &["rtms_core", "rtms_sim", "rtms"];

/// A log level, numbered as the official SDK's `LogLevel` (`ERROR = 0` ... `TRACE = 4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum LogLevel {
    /// Errors only.
    Error = 0,
    /// Warnings and errors.
    Warn = 1,
    /// Informational messages (the default).
    #[default]
    Info = 2,
    /// Debugging detail.
    Debug = 3,
    /// Everything, including per-message traces.
    Trace = 4,
}

impl LogLevel {
    /// The lowercase name (`"info"`), as used in filter directives.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        }
    }
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LogLevel {
    type Err = String;

    /// Case-insensitive names (`warning` too) or the official numbers `0`-`4`.
    fn from_str(s: &str) -> Result<LogLevel, String> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "error" | "0" => LogLevel::Error,
            "warn" | "warning" | "1" => LogLevel::Warn,
            "info" | "2" => LogLevel::Info,
            "debug" | "3" => LogLevel::Debug,
            "trace" | "4" => LogLevel::Trace,
            other => return Err(format!("unknown log level {other:?} (expected error, warn, info, debug or trace)")),
        })
    }
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LogFormat {
    /// Human-readable lines (the official SDK's `progressive`).
    #[default]
    Progressive,
    /// One JSON object per line.
    Json,
}

impl LogFormat {
    /// The official name: `"progressive"` or `"json"`.
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Progressive => "progressive",
            LogFormat::Json => "json",
        }
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LogFormat {
    type Err = String;

    /// `progressive` (also `text`, `pretty`) or `json`, case-insensitive.
    fn from_str(s: &str) -> Result<LogFormat, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "progressive" | "text" | "pretty" => Ok(LogFormat::Progressive),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("unknown log format {other:?} (expected progressive or json)")),
        }
    }
}

/// Parses a boolean the way `ZM_RTMS_LOG_ENABLED` is read: `true`/`false`, `1`/`0`, `yes`/`no`,
/// `on`/`off`, case-insensitive.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// What [`init`] installs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LogConfig {
    /// Whether to log at all (default `true`).
    pub enabled: bool,
    /// Level for the rtms crates (default [`LogLevel::Info`]).
    pub level: LogLevel,
    /// Output format (default [`LogFormat::Progressive`]).
    pub format: LogFormat,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig { enabled: true, level: LogLevel::Info, format: LogFormat::Progressive }
    }
}

impl LogConfig {
    /// The defaults overridden by `ZM_RTMS_LOG_ENABLED`, `ZM_RTMS_LOG_LEVEL` and
    /// `ZM_RTMS_LOG_FORMAT`. Unset or empty variables keep the default; invalid values keep it
    /// too ([`init_from_env`] logs a warning about them).
    pub fn from_env() -> LogConfig {
        Self::from_lookup(|name| std::env::var(name).ok()).0
    }

    /// Parses from any variable source; returns the config and a warning per invalid value.
    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> (LogConfig, Vec<String>) {
        let mut config = LogConfig::default();
        let mut warnings = Vec::new();
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        if let Some(v) = var(ENV_LOG_ENABLED) {
            match parse_bool(&v) {
                Some(b) => config.enabled = b,
                None => warnings.push(format!("{ENV_LOG_ENABLED}={v:?} is not a boolean; using true")),
            }
        }
        if let Some(v) = var(ENV_LOG_LEVEL) {
            match v.parse() {
                Ok(level) => config.level = level,
                Err(e) => warnings.push(format!("{ENV_LOG_LEVEL}: {e}; using info")),
            }
        }
        if let Some(v) = var(ENV_LOG_FORMAT) {
            match v.parse() {
                Ok(format) => config.format = format,
                Err(e) => warnings.push(format!("{ENV_LOG_FORMAT}: {e}; using progressive")),
            }
        }
        (config, warnings)
    }

    /// The `tracing` filter directives: `warn` for every crate, [`LogConfig::level`] for
    /// `rtms_core`, `rtms_sim` and `rtms` (`off` when disabled).
    pub fn filter_directives(&self) -> String {
        if !self.enabled {
            return "off".into();
        }
        let global = LogLevel::Warn.min(self.level);
        let mut directives = global.as_str().to_owned();
        for krate in OUR_CRATES {
            directives.push_str(&format!(",{krate}={}", self.level));
        }
        directives
    }
}

/// The reload handle of the subscriber we installed, if any.
static INSTALLED: OnceLock<reload::Handle<EnvFilter, Registry>> = OnceLock::new();
/// Serialises [`init`] so two threads cannot both try to install.
static INIT_LOCK: Mutex<()> = Mutex::new(());

/// Installs a global `tracing` subscriber configured by `config`; idempotent.
///
/// The first enabled call installs the subscriber (format fixed from then on); later calls only
/// change the level, or turn output off when `enabled` is false. Returns `true` when our
/// subscriber is installed after the call, `false` when logging is disabled and none was
/// installed, or when the application already installed its own global subscriber (which is
/// left untouched).
pub fn init(config: LogConfig) -> bool {
    let _guard = INIT_LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(handle) = INSTALLED.get() {
        let _ = handle.reload(EnvFilter::new(config.filter_directives()));
        return true;
    }
    if !config.enabled {
        return false;
    }
    let (filter, handle) = reload::Layer::new(EnvFilter::new(config.filter_directives()));
    let json = config.format == LogFormat::Json;
    let human = (!json).then(|| tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(std::io::stderr().is_terminal()));
    let machine = json.then(|| tracing_subscriber::fmt::layer().json().with_writer(std::io::stderr));
    let installed = tracing_subscriber::registry().with(filter).with(human).with(machine).try_init().is_ok();
    if installed {
        let _ = INSTALLED.set(handle);
    }
    installed
}

/// [`init`] with [`LogConfig::from_env`]; invalid variables are reported as warnings once the
/// subscriber is installed. Returns what [`init`] returns.
pub fn init_from_env() -> bool {
    let (config, warnings) = LogConfig::from_lookup(|name| std::env::var(name).ok());
    let installed = init(config);
    for warning in warnings {
        tracing::warn!("{warning}");
    }
    installed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(vars: &[(&str, &str)]) -> (LogConfig, Vec<String>) {
        LogConfig::from_lookup(|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn defaults() {
        let (c, w) = parse(&[]);
        assert_eq!(c, LogConfig::default());
        assert_eq!((c.enabled, c.level, c.format), (true, LogLevel::Info, LogFormat::Progressive));
        assert!(w.is_empty());
        assert_eq!(parse(&[(ENV_LOG_LEVEL, " "), (ENV_LOG_ENABLED, "")]).0, LogConfig::default());
    }

    #[test]
    fn env_values() {
        let (c, w) = parse(&[(ENV_LOG_ENABLED, "0"), (ENV_LOG_LEVEL, "DEBUG"), (ENV_LOG_FORMAT, "json")]);
        assert_eq!((c.enabled, c.level, c.format), (false, LogLevel::Debug, LogFormat::Json));
        assert!(w.is_empty());
        for (v, b) in [("true", true), ("1", true), ("FALSE", false), ("0", false), ("off", false), ("yes", true)] {
            assert_eq!(parse(&[(ENV_LOG_ENABLED, v)]).0.enabled, b, "{v}");
        }
        for (v, l) in [
            ("error", LogLevel::Error),
            ("warn", LogLevel::Warn),
            ("warning", LogLevel::Warn),
            ("trace", LogLevel::Trace),
            ("4", LogLevel::Trace),
        ] {
            assert_eq!(parse(&[(ENV_LOG_LEVEL, v)]).0.level, l, "{v}");
        }
        assert_eq!(parse(&[(ENV_LOG_FORMAT, "Progressive")]).0.format, LogFormat::Progressive);
    }

    #[test]
    fn invalid_values_keep_defaults_and_warn() {
        let (c, w) = parse(&[(ENV_LOG_ENABLED, "maybe"), (ENV_LOG_LEVEL, "loud"), (ENV_LOG_FORMAT, "xml")]);
        assert_eq!(c, LogConfig::default());
        assert_eq!(w.len(), 3);
        assert!(w[0].contains(ENV_LOG_ENABLED) && w[1].contains("loud") && w[2].contains("xml"), "{w:?}");
    }

    #[test]
    fn directives() {
        let c = LogConfig { level: LogLevel::Debug, ..LogConfig::default() };
        assert_eq!(c.filter_directives(), "warn,rtms_core=debug,rtms_sim=debug,rtms=debug");
        let c = LogConfig { level: LogLevel::Error, ..LogConfig::default() };
        assert_eq!(c.filter_directives(), "error,rtms_core=error,rtms_sim=error,rtms=error");
        assert_eq!(LogConfig { enabled: false, ..LogConfig::default() }.filter_directives(), "off");
        // Every directive string parses.
        for level in [LogLevel::Error, LogLevel::Warn, LogLevel::Info, LogLevel::Debug, LogLevel::Trace] {
            let c = LogConfig { level, ..LogConfig::default() };
            EnvFilter::try_new(c.filter_directives()).unwrap();
        }
    }
}
