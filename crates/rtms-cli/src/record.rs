//! `rtms record`: the production job. Receives Zoom's webhooks, joins every stream that
//! starts, records each into its own folder, leaves on `rtms_stopped`, and on Ctrl-C/SIGTERM
//! leaves every stream and finalises every file.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rtms_core::webhook::{Handler, Receiver, ReceiverConfig, RtmsEventKind, WebhookEvent};
use rtms_core::Client;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tracing::{info, warn};

use crate::demo::folder_name;
use crate::recorder::Summary;
use crate::stream::{self, Job};

/// Options of `rtms record`.
#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// Folder the recordings go to (one sub-folder per stream).
    #[arg(long, default_value = "recordings")]
    pub out: PathBuf,
    /// A dotenv file with ZM_RTMS_* settings (missing file is fine).
    #[arg(long, default_value = ".env")]
    pub env_file: PathBuf,
}

type Live = Arc<Mutex<HashMap<String, Client>>>;

/// Runs until Ctrl-C/SIGTERM; returns the summaries of every stream recorded.
pub async fn run(args: RecordArgs) -> Result<Vec<Summary>, String> {
    if args.env_file.exists() {
        dotenvy::from_path(&args.env_file).map_err(|e| format!("cannot read {}: {e}", args.env_file.display()))?;
    }
    let (client_id, client_secret) =
        rtms_core::signature::credentials(None, None).map_err(|e| format!("{e} (or put it in {})", args.env_file.display()))?;
    std::fs::create_dir_all(&args.out).map_err(|e| format!("cannot create {}: {e} (choose a writable --out)", args.out.display()))?;
    let config = ReceiverConfig::from_env().map_err(|e| e.to_string())?;
    if config.webhook_secret.is_none() {
        warn!("ZM_RTMS_WEBHOOK_SECRET is not set: webhooks are accepted without verification");
    }
    let (tx, mut hooks) = mpsc::unbounded_channel::<WebhookEvent>();
    let receiver = Receiver::start(
        config,
        Handler::simple(move |event| {
            let _ = tx.send(event);
        }),
    )
    .await
    .map_err(|e| format!("{e} (set ZM_RTMS_PORT to a free port)"))?;
    info!(url = %receiver.url(), "waiting for RTMS webhooks");
    eprintln!("rtms record: listening for webhooks on {}", receiver.url());

    let live: Live = Arc::default();
    let mut jobs: JoinSet<Result<Summary, String>> = JoinSet::new();
    let mut summaries = Vec::new();
    let stop = shutdown_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            Some(hook) = hooks.recv() => handle(hook, &args, &client_id, &client_secret, &live, &mut jobs),
            Some(done) = jobs.join_next(), if !jobs.is_empty() => collect(done, &mut summaries),
        }
    }

    eprintln!("rtms record: stopping, leaving {} stream(s)", live.lock().map(|l| l.len()).unwrap_or(0));
    let clients: Vec<Client> = live.lock().map(|l| l.values().cloned().collect()).unwrap_or_default();
    for client in clients {
        client.request_leave();
    }
    while let Some(done) = jobs.join_next().await {
        collect(done, &mut summaries);
    }
    receiver.shutdown().await;
    Ok(summaries)
}

fn collect(done: Result<Result<Summary, String>, tokio::task::JoinError>, summaries: &mut Vec<Summary>) {
    match done {
        Ok(Ok(s)) => {
            eprintln!("rtms record: finished {} -> {}", s.stream, s.folder.display());
            summaries.push(s);
        }
        Ok(Err(e)) => eprintln!("rtms record: {e}"),
        Err(e) => eprintln!("rtms record: a recording task failed: {e}"),
    }
}

fn handle(hook: WebhookEvent, args: &RecordArgs, client_id: &str, secret: &str, live: &Live, jobs: &mut JoinSet<Result<Summary, String>>) {
    let Some((_, kind)) = hook.rtms_kind() else {
        eprintln!(
            "rtms record: ignored webhook `{}`: not an RTMS stream event (subscribe the app only to *.rtms_started / *.rtms_stopped)",
            hook.event
        );
        return;
    };
    let Some(stream) = hook.join_params() else {
        warn!(event = %hook.event, "RTMS webhook without a stream id or instance id; ignored");
        return;
    };
    let id = stream.rtms_stream_id.clone();
    match kind {
        RtmsEventKind::Started | RtmsEventKind::Interrupted => {
            if let Some(old) = live.lock().ok().and_then(|mut l| l.remove(&id)) {
                // A second start for a live stream means Zoom wants a full re-connect.
                info!(stream = %id, "stream restarted: re-joining");
                old.request_leave();
            }
            let client = match stream::recording_client() {
                Ok(c) => c,
                Err(e) => return eprintln!("rtms record: {e}"),
            };
            if let Ok(mut l) = live.lock() {
                l.insert(id.clone(), client.clone());
            }
            let job = Job {
                join: stream.to_join_params().credentials(client_id, secret),
                dir: args.out.join(format!("{}-{}", folder_name(&stream.instance_id), folder_name(&id))),
                title: id.clone(),
                length: None,
                live: false,
            };
            let live = live.clone();
            eprintln!("rtms record: joining {id} ({})", hook.event);
            jobs.spawn(async move {
                let result = stream::record(client, job).await;
                if let Ok(mut l) = live.lock() {
                    l.remove(&id);
                }
                result
            });
        }
        RtmsEventKind::Stopped => {
            if let Some(client) = live.lock().ok().and_then(|l| l.get(&id).cloned()) {
                info!(stream = %id, reason = ?stream.stop_reason, "rtms_stopped: leaving");
                client.request_leave();
            }
        }
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
