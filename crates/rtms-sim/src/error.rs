//! The simulator's error type.

/// Anything that can stop the simulator from starting or a scenario from loading.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// A scenario could not be parsed or is inconsistent.
    #[error("scenario: {0}")]
    Scenario(String),
    /// A configuration value is out of range.
    #[error("config: {0}")]
    Config(String),
    /// Binding the listener, writing the CA file, ...
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    /// Generating the self-signed certificate or building the TLS config.
    #[error("tls: {0}")]
    Tls(String),
    /// A webhook could not be delivered or its answer was wrong.
    #[error("webhook: {0}")]
    Webhook(String),
}
