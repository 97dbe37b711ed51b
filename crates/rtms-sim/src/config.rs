//! Simulator configuration.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::SimError;
use crate::scenario::Scenario;

/// Default client id the simulator expects in handshake signatures.
pub const DEFAULT_CLIENT_ID: &str = "sim-client-id";
/// Default client secret the simulator signs with.
pub const DEFAULT_CLIENT_SECRET: &str = "sim-client-secret";

/// Everything [`crate::Sim::start`] needs. Build with [`SimConfig::new`] and change fields.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Listen address; must be a loopback address (default `127.0.0.1`).
    pub host: String,
    /// Listen port; 0 picks a free one (see [`crate::Sim::signaling_url`]).
    pub port: u16,
    /// Serve `wss://` with a self-signed certificate made at start.
    pub tls: bool,
    /// Where to write the PEM of the CA that signed the TLS certificate.
    pub ca_out: Option<PathBuf>,
    /// Client id the handshake signature must be made with.
    pub client_id: String,
    /// Client secret the handshake signature must be made with.
    pub client_secret: String,
    /// Where to POST `*.rtms_started` / `*.rtms_stopped` (plain `http://` only).
    pub webhook_url: Option<String>,
    /// Secret for `x-zm-signature`; without it webhooks go unsigned.
    pub webhook_secret: Option<String>,
    /// The meeting script (every meeting of a load run plays it with its own ids).
    pub scenario: Scenario,
    /// How many concurrent meetings to run.
    pub meetings: usize,
    /// Scenario time per real time: 2.0 plays twice as fast.
    pub speed: f64,
    /// Send this many audio packets per audio socket as fast as the socket takes them.
    pub flood: Option<u64>,
    /// How often `KEEP_ALIVE_REQ` goes out on every socket.
    pub keepalive_interval: Duration,
    /// Unanswered keep-alives before the stream ends with reason 24.
    pub keepalive_misses: u32,
    /// Send keep-alives without `sequence` (the shape of Zoom's samples; Zoom's SDK ignores it).
    pub keepalive_without_sequence: bool,
    /// How long to wait for the first `EVENT_SUBSCRIPTION` after `CLIENT_READY_ACK`.
    pub settle: Duration,
    /// Pause between the last media and the stop message.
    pub drain: Duration,
    /// Send only the event types the client subscribed to (Zoom's documented behaviour).
    pub filter_events: bool,
    /// End a running stream (reason 19) after its signaling socket has been gone this long.
    pub reconnect_grace: Duration,
    /// Attempts per webhook POST before giving up.
    pub webhook_attempts: u32,
    /// Send `endpoint.url_validation` before the first `rtms_started` and check the answer.
    pub validate_webhook: bool,
}

impl SimConfig {
    /// Defaults: 127.0.0.1 on a free port, plain ws, client `sim-client-id` /
    /// `sim-client-secret`, one meeting at real-time speed, keep-alive every 10 s with 3 misses
    /// allowed, settle 0.5 s, drain 0.3 s, events filtered by subscription.
    pub fn new(scenario: Scenario) -> Self {
        SimConfig {
            host: "127.0.0.1".to_owned(),
            port: 0,
            tls: false,
            ca_out: None,
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            client_secret: DEFAULT_CLIENT_SECRET.to_owned(),
            webhook_url: None,
            webhook_secret: None,
            scenario,
            meetings: 1,
            speed: 1.0,
            flood: None,
            keepalive_interval: Duration::from_secs(10),
            keepalive_misses: 3,
            keepalive_without_sequence: false,
            settle: Duration::from_millis(500),
            drain: Duration::from_millis(300),
            filter_events: true,
            reconnect_grace: Duration::from_secs(10),
            webhook_attempts: 4,
            validate_webhook: false,
        }
    }

    /// Checks ranges and that the host is a loopback address.
    pub fn validate(&self) -> Result<(), SimError> {
        let loopback = self.host == "localhost" || self.host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if !loopback {
            return Err(SimError::Config(format!("host `{}` is not a loopback address", self.host)));
        }
        if self.client_id.is_empty() || self.client_secret.is_empty() {
            return Err(SimError::Config("client_id and client_secret must not be empty".into()));
        }
        if self.meetings == 0 {
            return Err(SimError::Config("meetings must be at least 1".into()));
        }
        if !(self.speed.is_finite() && self.speed > 0.0) {
            return Err(SimError::Config(format!("speed must be positive, got {}", self.speed)));
        }
        if self.keepalive_interval.is_zero() {
            return Err(SimError::Config("keepalive_interval must be positive".into()));
        }
        if self.keepalive_misses == 0 {
            return Err(SimError::Config("keepalive_misses must be at least 1".into()));
        }
        if let Some(url) = &self.webhook_url {
            if !url.starts_with("http://") {
                return Err(SimError::Config(format!("webhook URL must be http://, got `{url}`")));
            }
        }
        Ok(())
    }

    /// Real time for a span of scenario time.
    pub(crate) fn real(&self, scenario_ms: f64) -> Duration {
        Duration::from_secs_f64((scenario_ms / self.speed).max(0.0) / 1000.0)
    }
}
