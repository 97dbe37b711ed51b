//! Faults injected by rtms-sim: the client's reaction to each, and nothing received before
//! the fault is lost.

use std::time::Duration;

use rtms_core::params::{AudioParams, TranscriptParams};
use rtms_core::protocol::MediaType;
use rtms_core::{Client, ErrorKind, Event, Events, JoinParams};
use rtms_sim::{Scenario, Sim, SimConfig};

async fn start(scenario: &str) -> Sim {
    let mut config = SimConfig::new(Scenario::builtin(scenario).expect("scenario"));
    config.speed = 1.0;
    Sim::start(config).await.expect("sim")
}

fn params(sim: &Sim) -> JoinParams {
    let m = &sim.meetings()[0];
    JoinParams::meeting(&m.meeting_uuid, &m.rtms_stream_id, &m.server_urls).credentials("sim-client-id", "sim-client-secret")
}

fn new_client() -> Client {
    let c = Client::new();
    c.set_audio_params(AudioParams { codec: 1, sample_rate: 1, channel: 1, data_opt: 2, ..AudioParams::default() }).unwrap();
    c.set_transcript_params(TranscriptParams::default()).unwrap();
    c.enable_media(MediaType::AUDIO | MediaType::TRANSCRIPT | MediaType::CHAT);
    c.subscribe_events(&(1..=9).collect::<Vec<_>>()).unwrap();
    c
}

/// Joins and waits until `n` audio packets arrived; returns the events so far.
async fn joined(sim: &Sim, client: &Client, n: usize) -> (Events, Vec<Event>) {
    let mut events = client.events();
    client.join(params(sim)).await.expect("join");
    let mut seen = Vec::new();
    while seen.iter().filter(|e| matches!(e, Event::Media(m) if m.kind == MediaType::AUDIO)).count() < n {
        match tokio::time::timeout(Duration::from_secs(10), events.recv()).await {
            Ok(Some(ev)) => seen.push(ev),
            other => panic!("media did not flow: {other:?}"),
        }
    }
    (events, seen)
}

async fn rest(events: &mut Events, mut seen: Vec<Event>) -> Vec<Event> {
    loop {
        match tokio::time::timeout(Duration::from_secs(30), events.recv()).await {
            Ok(Some(ev)) => {
                let end = matches!(ev, Event::Leave { .. });
                seen.push(ev);
                if end {
                    return seen;
                }
            }
            other => panic!("no Leave: {other:?}"),
        }
    }
}

fn audio_crc(events: &[Event]) -> (u64, u32) {
    let mut h = crc32fast::Hasher::new();
    let mut n = 0;
    for e in events {
        if let Event::Media(m) = e {
            if m.kind == MediaType::AUDIO {
                n += 1;
                h.update(&m.content.data);
            }
        }
    }
    (n, h.finalize())
}

#[tokio::test]
async fn garbage_frames_are_skipped_counted_and_lose_nothing() {
    let sim = start("quick").await;
    let client = new_client();
    let (mut events, seen) = joined(&sim, &client, 3).await;
    let f = sim.faults();
    let malformed = f.malformed_json();
    let bad_b64 = f.invalid_base64();
    let unknown = f.unknown_msg_type(77);
    assert!(malformed >= 4 && bad_b64 >= 1 && unknown >= 4, "{malformed} {bad_b64} {unknown}");
    let all = rest(&mut events, seen).await;
    let summary = sim.wait().await.meetings.remove(0);
    let sent = summary.media_stats("audio");
    assert_eq!(audio_crc(&all), (sent.packets, sent.crc32), "audio received == sent");
    let stats = client.stats();
    assert_eq!(stats.skipped, (malformed + bad_b64) as u64, "{stats:?}");
    assert_eq!(stats.unknown, unknown as u64, "{stats:?}");
    assert!(matches!(all.last(), Some(Event::Leave { error: None, .. })), "{:?}", all.last());
    sim.shutdown().await;
}

#[tokio::test]
async fn large_frames_within_the_limit_arrive_intact_and_oversized_ones_end_the_stream_clearly() {
    let sim = start("quick").await;
    let client = new_client();
    let (mut events, seen) = joined(&sim, &client, 3).await;
    assert!(sim.faults().oversized(6 << 20) >= 1);
    let all = rest(&mut events, seen).await;
    let summary = sim.wait().await.meetings.remove(0);
    let sent = summary.media_stats("audio");
    assert_eq!(audio_crc(&all), (sent.packets, sent.crc32), "a 6 MB packet is delivered byte for byte");
    sim.shutdown().await;

    let sim = start("quick").await;
    let client = new_client();
    client.set_max_message_size(1 << 20);
    let (mut events, seen) = joined(&sim, &client, 3).await;
    let before = audio_crc(&seen).0;
    sim.faults().oversized(2 << 20);
    let all = rest(&mut events, seen).await;
    assert!(audio_crc(&all).0 >= before, "packets before the fault are kept");
    match all.last() {
        Some(Event::Leave { reason: 16, error: Some(e) }) => assert!(e.to_string().contains("oversized frame"), "{e}"),
        other => panic!("{other:?}"),
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn dropped_media_socket_ends_with_data_connection_reason() {
    let sim = start("quick").await;
    let client = new_client();
    let (mut events, seen) = joined(&sim, &client, 3).await;
    let before = audio_crc(&seen).0;
    assert_eq!(sim.faults().drop_media(MediaType::AUDIO), 1);
    let all = rest(&mut events, seen).await;
    assert!(audio_crc(&all).0 >= before);
    match all.last() {
        Some(Event::Leave { reason: 16, error: Some(e) }) => {
            assert_eq!(e.kind(), ErrorKind::ConnectionLost);
            assert!(e.to_string().contains("audio"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!client.is_joined());
    sim.shutdown().await;
}

#[tokio::test]
async fn dropped_signaling_socket_ends_with_signal_connection_reason() {
    let sim = start("quick").await;
    let client = new_client();
    let (mut events, seen) = joined(&sim, &client, 3).await;
    assert_eq!(sim.faults().drop_signaling(), 1);
    let all = rest(&mut events, seen).await;
    match all.last() {
        Some(Event::Leave { reason: 15, error: Some(e) }) => assert_eq!(e.kind(), ErrorKind::ConnectionLost),
        other => panic!("{other:?}"),
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn refused_and_unanswered_handshakes() {
    let sim = start("minimal").await;
    sim.faults().refuse_next_handshake(18);
    let err = new_client().join(params(&sim)).await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::HandshakeRefused, Some(18)), "{err}");

    sim.faults().ignore_handshakes(true);
    let c = new_client();
    let mut events = c.events();
    let err = c.join(params(&sim).timeout(Duration::from_millis(500))).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(events.recv().await, Some(Event::JoinConfirm { reason: 1 }));
    sim.faults().ignore_handshakes(false);
    sim.shutdown().await;
}

#[tokio::test]
async fn delays_keep_order_and_lose_nothing() {
    let sim = start("quick").await;
    let client = new_client();
    let (mut events, seen) = joined(&sim, &client, 2).await;
    sim.faults().delay(Duration::from_millis(2));
    let all = rest(&mut events, seen).await;
    let summary = sim.wait().await.meetings.remove(0);
    let sent = summary.media_stats("audio");
    assert_eq!(audio_crc(&all), (sent.packets, sent.crc32));
    sim.shutdown().await;
}

#[tokio::test]
async fn server_events_on_cue() {
    let sim = start("quick").await;
    let client = new_client();
    let (mut events, seen) = joined(&sim, &client, 2).await;
    let f = sim.faults();
    f.media_interrupted();
    // A participant-leave with a single object instead of an array (Zoom's SDK throws here).
    f.send_signaling_raw(r#"{"msg_type":6,"event":{"event_type":4,"timestamp":1,"participants":{"user_id":4242,"user_name":"Obj"}}}"#);
    f.end_meeting(4);
    let all = rest(&mut events, seen).await;
    assert!(all.iter().any(|e| matches!(e, Event::MediaConnectionInterrupted { .. })));
    assert!(all.iter().any(|e| matches!(e, Event::UserUpdate { op: 1, participant } if participant.user_id == 4242)));
    assert!(matches!(all.last(), Some(Event::Leave { reason: 4, error: None })), "{:?}", all.last());
    sim.shutdown().await;
}
