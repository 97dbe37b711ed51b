use std::time::{Duration, Instant};

use futures_util::StreamExt;
use rtms_core::protocol::MediaType;
use rtms_sim::Sim;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::common::*;

/// Reads until the socket ends; true when it ended without a close frame.
async fn ends_without_close(ws: &mut Ws) -> bool {
    loop {
        match tokio::time::timeout(TIMEOUT, ws.next()).await.expect("socket did not end") {
            Some(Ok(Message::Close(_))) => return false,
            Some(Ok(_)) => {}
            Some(Err(_)) | None => return true,
        }
    }
}

async fn long_meeting() -> (Sim, Joined) {
    let sim = Sim::start(config(short(60_000))).await.unwrap();
    let sockets = [
        ("audio", 1, json!({"audio": {"codec": 1, "data_opt": 2}})),
        ("video", 2, json!({"video": {"codec": 5, "fps": 1, "resolution": 1}})),
        ("transcript", 8, Value::Null),
    ];
    let j = join(&sim, 0, &sockets, &[7]).await;
    (sim, j)
}

/// The next frame whose raw text satisfies `pred`.
async fn raw_until(ws: &mut Ws, pred: impl Fn(&str) -> bool) -> String {
    loop {
        let t = next_raw(ws).await.expect("socket closed");
        if pred(&t) {
            return t;
        }
    }
}

#[tokio::test]
async fn drop_and_close_sockets() {
    let (sim, mut j) = long_meeting().await;
    let f = sim.faults();
    assert_eq!(f.drop_media(MediaType::AUDIO), 1);
    assert!(ends_without_close(j.media.get_mut("audio").unwrap()).await, "reset, no close frame");
    assert_eq!(f.close_media(MediaType::VIDEO), 1);
    assert!(!ends_without_close(j.media.get_mut("video").unwrap()).await, "close frame");
    assert_eq!(f.drop_media(MediaType::AUDIO), 0, "already gone");
    assert_eq!(f.drop_signaling(), 1);
    assert!(ends_without_close(&mut j.sig).await);
    let faults = &sim.summary().meetings[0].faults;
    assert!(faults.iter().any(|x| x.starts_with("drop_media audio")), "{faults:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn bad_frames_reach_every_socket() {
    let (sim, mut j) = long_meeting().await;
    let f = sim.faults();
    assert_eq!(f.malformed_json(), 4);
    assert_eq!(raw_until(&mut j.sig, |t| !t.starts_with('{') || !t.ends_with('}')).await, "{not json");
    assert_eq!(f.unknown_msg_type(99), 4);
    raw_until(&mut j.sig, |t| t == r#"{"msg_type":99}"#).await;
    let audio = j.media.get_mut("audio").unwrap();
    raw_until(audio, |t| t == "{not json").await;
    raw_until(audio, |t| t == r#"{"msg_type":99}"#).await;

    assert_eq!(f.invalid_base64(), 2, "audio and video sockets");
    let bad = raw_until(audio, |t| t.contains("notbase64")).await;
    let v: Value = serde_json::from_str(&bad).unwrap();
    assert_eq!(v["msg_type"], 14);

    assert_eq!(f.oversized(1_000_000), 2);
    let big = raw_until(audio, |t| t.len() > 1_000_000).await;
    let v: Value = serde_json::from_str(&big).unwrap();
    assert_eq!(payload(&v).len(), 1_000_000);

    assert_eq!(f.media_interrupted(), 1);
    loop {
        let ev = next_of(&mut j.sig, 6).await;
        if ev["event"]["event_type"] == 7 {
            assert!(ev["event"]["timestamp"].is_u64());
            break;
        }
        assert_eq!(ev["event"]["event_type"], 1, "only FIRST_PACKET_TIMESTAMP and the subscribed 7");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn keepalive_stall_and_delay() {
    let mut cfg = config(short(60_000));
    cfg.keepalive_interval = Duration::from_millis(100);
    let sim = Sim::start(cfg).await.unwrap();
    let mut j = join(&sim, 0, &[], &[]).await;
    let f = sim.faults();
    raw_until(&mut j.sig, |t| t.contains("\"msg_type\":12")).await;
    f.stall_keepalives(true);
    tokio::time::sleep(Duration::from_millis(150)).await;
    // Nothing but keep-alives would come now; none may arrive for a while.
    let quiet = tokio::time::timeout(Duration::from_millis(400), async {
        loop {
            let t = next_raw(&mut j.sig).await.unwrap();
            if t.contains("\"msg_type\":12") {
                return t;
            }
        }
    })
    .await;
    assert!(quiet.is_err(), "no keep-alive while stalled");
    f.stall_keepalives(false);
    raw_until(&mut j.sig, |t| t.contains("\"msg_type\":12")).await;

    f.delay(Duration::from_millis(250));
    let t0 = Instant::now();
    send(&mut j.sig, json!({"msg_type": 19})).await;
    next_of(&mut j.sig, 20).await;
    assert!(t0.elapsed() >= Duration::from_millis(250), "{:?}", t0.elapsed());
    f.delay(Duration::ZERO);
    sim.shutdown().await;
}

#[tokio::test]
async fn handshakes_refused_or_ignored_on_demand() {
    let sim = Sim::start(config(short(60_000))).await.unwrap();
    let m = sim.meetings()[0].clone();
    let f = sim.faults();

    f.ignore_handshakes(true);
    let mut ws = connect(&m.server_urls).await;
    send(&mut ws, sig_handshake(&sim, &m)).await;
    let unanswered = tokio::time::timeout(Duration::from_millis(400), next(&mut ws)).await;
    assert!(unanswered.is_err(), "no answer while ignoring");
    f.ignore_handshakes(false);

    f.refuse_next_handshake(18);
    let (_ws, resp) = open_signaling(&sim, &m).await;
    assert_eq!(resp["status_code"], 18);
    let (_sig, resp) = open_signaling(&sim, &m).await;
    assert_eq!(resp["status_code"], 0, "only the next one");

    f.refuse_next_handshake(9);
    let audio = resp["media_server"]["server_urls"]["audio"].as_str().unwrap().to_owned();
    let (_a, r) = open_media(&sim, &m, &audio, 1, Value::Null).await;
    assert_eq!(r["status_code"], 9);
    let (_a, r) = open_media(&sim, &m, &audio, 1, Value::Null).await;
    assert_eq!(r["status_code"], 0);
    let hs = &sim.summary().meetings[0].observed.handshakes;
    let statuses: Vec<Option<i64>> = hs.iter().map(|h| h.status_code).collect();
    assert_eq!(statuses, vec![None, Some(18), Some(0), Some(9), Some(0)]);
    sim.shutdown().await;
}

#[tokio::test]
async fn end_meeting_on_demand() {
    let (sim, j) = long_meeting().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    sim.faults().meeting(0).end_meeting(8);
    let (sig, media) = drain_all(j).await;
    let stop = sig.iter().rfind(|m| m["msg_type"] == 8).unwrap();
    assert_eq!(stop["reason"], 8);
    let s = sim.wait().await;
    assert_eq!(s.meetings[0].stop_reason, Some(8));
    let (n, crc) = crc_of(&media["audio"], 14);
    assert_eq!((n, crc), (s.meetings[0].media_stats("audio").packets, s.meetings[0].media_stats("audio").crc32));
    sim.shutdown().await;
}
