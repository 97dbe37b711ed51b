//! The `rtms-sim` command line, as a library so other binaries (`rtms sim`) embed it.
//!
//! Prints one JSON line `{"event":"listening",...}` on stdout when ready and one
//! `{"event":"summary",...}` line when every meeting has ended; logs go to stderr.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::scenario::MeetingSpec;
use crate::{Scenario, Sim, SimConfig, SimError, Summary};
use clap::Parser;
use serde_json::{json, Value};

/// A simulated Zoom Realtime Media Streams (RTMS) server.
///
/// Serves signaling and media WebSockets on one port, plays a scripted meeting (built-in
/// `demo`, `minimal`, `quick`, or a TOML file) with synthetic, really encoded media, optionally
/// announces it with Zoom-style webhooks, and exits when every meeting has ended.
#[derive(Debug, Parser)]
#[command(name = "rtms-sim", version, about, long_about = None)]
pub struct Args {
    /// Built-in scenario name (demo, minimal, quick) or path to a TOML scenario.
    #[arg(long, default_value = "demo")]
    pub scenario: String,

    /// POST `*.rtms_started` / `*.rtms_stopped` here (http:// only). Without it the simulator
    /// just waits for a client to join.
    #[arg(long, value_name = "URL")]
    pub webhook: Option<String>,

    /// Secret for `x-zm-signature` on webhooks.
    #[arg(long, env = "ZM_RTMS_WEBHOOK_SECRET", default_value = "sim-webhook-secret", hide_env_values = true)]
    pub webhook_secret: String,

    /// Send `endpoint.url_validation` before the first webhook and check the answer.
    #[arg(long)]
    pub validate_webhook: bool,

    /// Listen address (loopback only).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,

    /// Listen port; 0 picks a free port (reported in the `listening` line).
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// Serve wss:// with a self-signed certificate made at start.
    #[arg(long)]
    pub tls: bool,

    /// With --tls: write the CA certificate (PEM) that clients must trust here.
    #[arg(long, value_name = "PATH")]
    pub ca_out: Option<PathBuf>,

    /// Client id the handshake signature must be made with.
    #[arg(long, env = "ZM_RTMS_CLIENT", default_value = crate::DEFAULT_CLIENT_ID, hide_env_values = true)]
    pub client_id: String,

    /// Client secret the handshake signature must be made with.
    #[arg(long, env = "ZM_RTMS_SECRET", default_value = crate::DEFAULT_CLIENT_SECRET, hide_env_values = true, hide_default_value = true)]
    pub client_secret: String,

    /// Scenario time per real time (2 plays twice as fast).
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,

    /// Send N audio packets per audio socket as fast as the socket takes them.
    #[arg(long, value_name = "N")]
    pub flood: Option<u64>,

    /// Number of concurrent meetings (each gets its own uuid and stream id).
    #[arg(long, default_value_t = 1)]
    pub meetings: usize,

    /// Replace the scenario's people by M generated participants taking turns (load runs).
    #[arg(long, value_name = "M")]
    pub participants: Option<usize>,

    /// Seconds between KEEP_ALIVE_REQs on every socket.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub keepalive_interval: f64,

    /// Unanswered keep-alives before the stream ends with reason 24.
    #[arg(long, default_value_t = 3)]
    pub keepalive_misses: u32,

    /// Send keep-alives without `sequence` (Zoom samples' shape; Zoom's SDK will not answer).
    #[arg(long)]
    pub keepalive_without_sequence: bool,

    /// Seconds to wait for the first EVENT_SUBSCRIPTION after CLIENT_READY_ACK.
    #[arg(long, default_value_t = 0.5, value_name = "SECONDS")]
    pub settle: f64,

    /// Seconds between the last media and the stop message.
    #[arg(long, default_value_t = 0.3, value_name = "SECONDS")]
    pub drain: f64,

    /// Seconds a running stream waits for a lost signaling socket before ending (reason 19).
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub reconnect_grace: f64,

    /// Send every event, subscribed or not.
    #[arg(long)]
    pub no_filter_events: bool,

    /// Also write the summary (pretty JSON) to this file.
    #[arg(long, value_name = "PATH")]
    pub summary_out: Option<PathBuf>,

    /// Exit after every meeting ended (the default; kept for explicit scripts).
    #[arg(long, default_value_t = true)]
    pub once: bool,

    /// Only log warnings and errors to stderr (RUST_LOG overrides).
    #[arg(long, short)]
    pub quiet: bool,
}

fn seconds(name: &str, v: f64) -> Result<Duration, SimError> {
    Duration::try_from_secs_f64(v).map_err(|_| SimError::Config(format!("--{name} must be a non-negative number of seconds")))
}

fn load_scenario(arg: &str) -> Result<Scenario, SimError> {
    let path = Path::new(arg);
    if path.is_file() {
        Scenario::from_path(path)
    } else {
        Scenario::builtin(arg)
    }
}

pub fn config(cli: &Args) -> Result<SimConfig, SimError> {
    let mut scenario = load_scenario(&cli.scenario)?;
    if let Some(m) = cli.participants {
        let spec: MeetingSpec = scenario.meeting.clone();
        scenario = Scenario::generate(spec, m)?;
    }
    let mut cfg = SimConfig::new(scenario);
    cfg.host.clone_from(&cli.host);
    cfg.port = cli.port;
    cfg.tls = cli.tls;
    cfg.ca_out.clone_from(&cli.ca_out);
    cfg.client_id.clone_from(&cli.client_id);
    cfg.client_secret.clone_from(&cli.client_secret);
    cfg.webhook_url.clone_from(&cli.webhook);
    cfg.webhook_secret = Some(cli.webhook_secret.clone()).filter(|s| !s.is_empty());
    cfg.validate_webhook = cli.validate_webhook;
    cfg.meetings = cli.meetings;
    cfg.speed = cli.speed;
    cfg.flood = cli.flood;
    cfg.keepalive_interval = seconds("keepalive-interval", cli.keepalive_interval)?;
    cfg.keepalive_misses = cli.keepalive_misses;
    cfg.keepalive_without_sequence = cli.keepalive_without_sequence;
    cfg.settle = seconds("settle", cli.settle)?;
    cfg.drain = seconds("drain", cli.drain)?;
    cfg.reconnect_grace = seconds("reconnect-grace", cli.reconnect_grace)?;
    cfg.filter_events = !cli.no_filter_events;
    Ok(cfg)
}

fn listening_line(sim: &Sim) -> Value {
    let client_id = &sim.config().client_id;
    let meetings: Vec<Value> = sim
        .meetings()
        .into_iter()
        .map(|m| {
            json!({
                "index": m.index,
                "meeting_uuid": m.meeting_uuid,
                "rtms_stream_id": m.rtms_stream_id,
                "server_urls": m.server_urls,
                "product": m.product,
                "signature_client_id": client_id,
            })
        })
        .collect();
    let mut line = json!({"event": "listening", "signaling_url": sim.signaling_url(), "meetings": meetings});
    if let Some(path) = &sim.config().ca_out {
        line["ca_pem_path"] = json!(path);
    }
    line
}

fn summary_line(summary: &Summary) -> Value {
    let mut v = serde_json::to_value(summary).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.insert("event".into(), json!("summary"));
    }
    v
}

/// Ctrl-C, or SIGTERM on Unix.
async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Runs the simulator as the command line does: prints the `listening` line, waits for every
/// meeting to end (or Ctrl-C/SIGTERM), prints the `summary` line.
pub async fn run(cli: Args) -> Result<(), SimError> {
    let cfg = config(&cli)?;
    let sim = Sim::start(cfg).await?;
    println!("{}", listening_line(&sim));
    let summary = tokio::select! {
        s = sim.wait() => s,
        _ = interrupted() => {
            tracing::warn!("interrupted");
            sim.summary()
        }
    };
    println!("{}", summary_line(&summary));
    if let Some(path) = &cli.summary_out {
        let text = serde_json::to_string_pretty(&summary).unwrap_or_default();
        std::fs::write(path, text)?;
    }
    sim.shutdown().await;
    Ok(())
}
