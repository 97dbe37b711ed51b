//! `rtms demo`: a scripted meeting on the embedded simulator, joined through a real signed
//! webhook, recorded to files.

use std::path::PathBuf;
use std::time::Duration;

use rtms_core::webhook::{Handler, Receiver, ReceiverConfig};
use rtms_sim::{Scenario, Sim, SimConfig};
use tokio::sync::mpsc;

use crate::recorder::Summary;
use crate::stream::{self, Job};

/// Options of `rtms demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Built-in scenario name (demo, quick, minimal) or path to a scenario TOML file.
    #[arg(long, default_value = "demo")]
    pub scenario: String,
    /// Folder the recordings go to (one sub-folder per meeting).
    #[arg(long, default_value = "recordings")]
    pub out: PathBuf,
    /// Play the meeting this many times faster than real time.
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,
}

fn load_scenario(name: &str) -> Result<Scenario, String> {
    let path = std::path::Path::new(name);
    if path.exists() {
        return Scenario::from_path(path).map_err(|e| format!("scenario {name}: {e}"));
    }
    Scenario::builtin(name).map_err(|e| format!("{e} (built-in scenarios: {})", Scenario::builtin_names().join(", ")))
}

/// Runs the demo; returns the recording summary.
pub async fn run(args: DemoArgs) -> Result<Summary, String> {
    let scenario = load_scenario(&args.scenario)?;
    if !(args.speed > 0.0 && args.speed.is_finite()) {
        return Err(format!("--speed must be a positive number, got {}", args.speed));
    }
    let length = Duration::from_millis((scenario.meeting.duration_ms as f64 / args.speed) as u64);

    // 1. The webhook receiver, with a fresh secret the simulator signs with.
    let secret = format!("demo-{:016x}", rand_u64());
    let (tx, mut started) = mpsc::unbounded_channel();
    let config = ReceiverConfig { port: 0, webhook_secret: Some(secret.clone()), ..ReceiverConfig::default() };
    let receiver = Receiver::start(
        config,
        Handler::simple(move |event| {
            if event.is_rtms_started() {
                let _ = tx.send(event);
            }
        }),
    )
    .await
    .map_err(|e| format!("cannot start the webhook receiver: {e}"))?;

    // 2. The simulator, posting `meeting.rtms_started` to it.
    let mut sim_config = SimConfig::new(scenario);
    sim_config.webhook_url = Some(receiver.url());
    sim_config.webhook_secret = Some(secret);
    sim_config.speed = args.speed;
    let (client_id, client_secret) = (sim_config.client_id.clone(), sim_config.client_secret.clone());
    let sim = Sim::start(sim_config).await.map_err(|e| format!("cannot start the simulator: {e}"))?;

    // 3. The signed webhook arrives: join and record.
    let event = tokio::time::timeout(Duration::from_secs(15), started.recv())
        .await
        .ok()
        .flatten()
        .ok_or("no meeting.rtms_started webhook arrived within 15 s")?;
    let stream = event.join_params().ok_or("the rtms_started webhook names no stream")?;
    let join = stream.to_join_params().credentials(&client_id, &client_secret);
    let dir = args.out.join(folder_name(&stream.instance_id));
    let client = stream::recording_client()?;
    let title = format!("meeting {}", stream.instance_id);
    let summary = stream::record(client, Job { join, dir: dir.clone(), title, length: Some(length), live: true }).await;

    // What the simulator sent, beside what was recorded, so the two can be compared.
    let sent = tokio::time::timeout(Duration::from_secs(5), sim.wait()).await.unwrap_or_else(|_| sim.summary());
    if summary.is_ok() {
        let text = serde_json::to_vec_pretty(&sent).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("simulator.json"), text).map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    }
    sim.shutdown().await;
    receiver.shutdown().await;
    summary
}

/// A folder name from a meeting uuid (which may hold `/`, `+`, `=`).
pub fn folder_name(id: &str) -> String {
    let s: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if s.is_empty() {
        "meeting".into()
    } else {
        s
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    h.finish()
}
