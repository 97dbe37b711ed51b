//! [`Sim`]: the running simulator (listener, meetings, webhooks) and its handle.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use crate::config::SimConfig;
use crate::error::SimError;
use crate::faults::{FaultFlags, Faults};
use crate::meeting::{Meeting, MeetingInfo};
use crate::server::{serve, Shared};
use crate::summary::Summary;
use crate::tls::SimTls;
use crate::webhook::Webhook;

/// A running simulator. Every task it starts ends with [`Sim::shutdown`] or when it is
/// dropped.
pub struct Sim {
    cfg: Arc<SimConfig>,
    addr: SocketAddr,
    base_url: String,
    ca_pem: Option<String>,
    meetings: Arc<[Arc<Meeting>]>,
    flags: Arc<FaultFlags>,
    shutdown: watch::Sender<bool>,
    /// The accept loop; it owns every connection task.
    server: Option<JoinHandle<()>>,
    /// Meeting runners and webhook deliveries.
    tasks: JoinSet<()>,
}

fn url_host(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    }
}

impl Sim {
    /// Binds the listener, prepares the meetings and, with a webhook URL, announces each
    /// meeting with `*.rtms_started`. Meetings start when a client is ready.
    pub async fn start(cfg: SimConfig) -> Result<Sim, SimError> {
        cfg.validate()?;
        let tls = if cfg.tls { Some(SimTls::generate(&cfg.host)?) } else { None };
        if let (Some(t), Some(path)) = (&tls, &cfg.ca_out) {
            t.write_ca(path)?;
        }
        let listener = TcpListener::bind((cfg.host.as_str(), cfg.port)).await?;
        let addr = listener.local_addr()?;
        let scheme = if cfg.tls { "wss" } else { "ws" };
        let base_url = format!("{scheme}://{}:{}", url_host(&cfg.host), addr.port());
        let cfg = Arc::new(cfg);
        let flags = Arc::new(FaultFlags::default());
        let meetings: Arc<[Arc<Meeting>]> = (0..cfg.meetings).map(|i| Arc::new(Meeting::new(i, cfg.clone(), &base_url))).collect();
        let (shutdown, shutdown_rx) = watch::channel(false);
        let shared = Arc::new(Shared { cfg: cfg.clone(), meetings: meetings.clone(), flags: flags.clone(), shutdown: shutdown_rx });
        let webhook = cfg.webhook_url.as_ref().map(|u| Arc::new(Webhook::new(u, cfg.webhook_secret.as_deref(), cfg.webhook_attempts)));

        let server = tokio::spawn(serve(listener, tls.as_ref().map(|t| t.acceptor.clone()), shared));
        let mut tasks = JoinSet::new();
        if let (Some(w), true) = (&webhook, cfg.validate_webhook) {
            if let Err(e) = w.validate_url().await {
                tracing::warn!(error = %e, "webhook URL validation failed");
            }
        }
        for m in meetings.iter() {
            tasks.spawn(crate::runner::run(m.clone(), webhook.clone()));
            if let Some(w) = webhook.clone() {
                let m = m.clone();
                tasks.spawn(async move {
                    let record = w.post(&w.started_body(&m.info, &m.scenario.meeting.operator_id)).await;
                    m.record(|r| r.summary.webhooks.push(record));
                });
            }
        }
        tracing::info!(%addr, meetings = meetings.len(), tls = cfg.tls, "rtms-sim listening");
        Ok(Sim { cfg, addr, base_url, ca_pem: tls.map(|t| t.ca_pem), meetings, flags, shutdown, server: Some(server), tasks })
    }

    /// The generic signaling URL (`ws://127.0.0.1:PORT/signaling`); the handshake's
    /// `rtms_stream_id` picks the meeting.
    pub fn signaling_url(&self) -> String {
        format!("{}/signaling", self.base_url)
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The CA certificate (PEM) clients must trust for `wss://`.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &SimConfig {
        &self.cfg
    }

    /// Every meeting, as a webhook would announce it.
    pub fn meetings(&self) -> Vec<MeetingInfo> {
        self.meetings.iter().map(|m| m.info.clone()).collect()
    }

    /// A handle to inject faults.
    pub fn faults(&self) -> Faults {
        Faults::new(self.flags.clone(), self.meetings.clone())
    }

    /// Resolves when every meeting has ended (stop sent, sockets closed); never resolves if
    /// no client joins and nothing ends the meetings.
    pub async fn wait(&self) -> Summary {
        for m in self.meetings.iter() {
            m.wait_ended().await;
        }
        self.summary()
    }

    /// The summary as of now.
    pub fn summary(&self) -> Summary {
        Summary { meetings: self.meetings.iter().map(|m| m.summary()).collect() }
    }

    /// Closes every socket (close frames), stops every task and waits for them (at most about
    /// two seconds).
    pub async fn shutdown(mut self) {
        self.shutdown.send_replace(true);
        if let Some(server) = self.server.take() {
            let abort = server.abort_handle();
            if tokio::time::timeout(Duration::from_millis(2500), server).await.is_err() {
                abort.abort();
            }
        }
        self.tasks.shutdown().await;
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
        // `tasks` aborts its tasks when dropped; connection tasks belong to the server task.
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_sync<T: Send + Sync>() {}

    #[test]
    fn handles_cross_threads() {
        send_sync::<Sim>();
        send_sync::<Faults>();
        send_sync::<Summary>();
    }

    #[test]
    fn ipv6_hosts_are_bracketed() {
        assert_eq!(url_host("::1"), "[::1]");
        assert_eq!(url_host("127.0.0.1"), "127.0.0.1");
    }
}
