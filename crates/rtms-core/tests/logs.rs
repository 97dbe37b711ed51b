//! Logs never carry secrets: a whole session at `trace` level, client and simulator, is
//! searched for the client secret and the join signature.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rtms_core::protocol::MediaType;
use rtms_core::{Client, Event, JoinParams};
use rtms_sim::{Scenario, Sim, SimConfig};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_traced_session_logs_no_secret_or_signature() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber =
        tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_ansi(false).with_writer(move || writer.clone()).finish();
    // A current-thread runtime keeps every task on this thread, under this subscriber.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let secret = "very-secret-client-secret";
    tracing::subscriber::with_default(subscriber, || {
        rt.block_on(async {
            let mut config = SimConfig::new(Scenario::builtin("minimal").unwrap());
            config.client_secret = secret.into();
            config.speed = 4.0;
            let sim = Sim::start(config).await.unwrap();
            let m = sim.meetings()[0].clone();
            let client = Client::new();
            client.enable_media(MediaType::AUDIO | MediaType::TRANSCRIPT);
            let mut events = client.events();
            client
                .join(JoinParams::meeting(&m.meeting_uuid, &m.rtms_stream_id, &m.server_urls).credentials("sim-client-id", secret))
                .await
                .unwrap();
            loop {
                match tokio::time::timeout(Duration::from_secs(20), events.recv()).await.unwrap() {
                    Some(Event::Leave { .. }) | None => break,
                    Some(_) => {}
                }
            }
            sim.shutdown().await;
        })
    });
    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("joined"), "the session was logged:\n{logs}");
    assert!(!logs.contains(secret), "the client secret leaked into the logs");
    for line in logs.lines() {
        // No 64-hex-digit token (a signature) anywhere.
        let hexrun = line.as_bytes().windows(64).any(|w| w.iter().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert!(!hexrun, "a signature-like value was logged: {line}");
    }
}
