use std::time::{Duration, Instant};

use futures_util::SinkExt;
use rtms_sim::Sim;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::common::*;

#[tokio::test]
async fn keepalives_carry_integer_sequences_and_misses_end_the_stream() {
    let mut cfg = config(short(30_000));
    cfg.keepalive_interval = Duration::from_millis(150);
    cfg.keepalive_misses = 2;
    let sim = Sim::start(cfg).await.unwrap();
    let m = sim.meetings()[0].clone();
    let (mut sig, _) = open_signaling(&sim, &m).await;
    // Answer two keep-alives by hand, checking their shape.
    let mut last = 0;
    for _ in 0..2 {
        let ka: Value = loop {
            let v: Value = serde_json::from_str(&next_raw(&mut sig).await.unwrap()).unwrap();
            if v["msg_type"] == 12 {
                break v;
            }
        };
        let seq = ka["sequence"].as_i64().expect("integer sequence");
        assert!(seq > last);
        last = seq;
        assert!(ka["timestamp"].as_u64().unwrap() > 1_600_000_000_000);
        send(&mut sig, json!({"msg_type": 13, "sequence": seq, "timestamp": ka["timestamp"]})).await;
    }
    // A client keep-alive is echoed.
    send(&mut sig, json!({"msg_type": 12, "sequence": 77, "timestamp": 1_700_000_000_112u64})).await;
    let echo = loop {
        let v: Value = serde_json::from_str(&next_raw(&mut sig).await.unwrap()).unwrap();
        if v["msg_type"] == 13 {
            break v;
        }
    };
    assert_eq!((echo["sequence"].as_i64(), echo["timestamp"].as_u64()), (Some(77), Some(1_700_000_000_112)));
    // Now stop answering: the stream ends with KEEP_ALIVE_TIMEOUT.
    let stop = loop {
        let v: Value = serde_json::from_str(&next_raw(&mut sig).await.expect("stop before close")).unwrap();
        if v["msg_type"] == 8 {
            break v;
        }
    };
    assert_eq!((stop["state"].as_i64(), stop["reason"].as_i64()), (Some(4), Some(24)));
    let s = sim.wait().await;
    let o = &s.meetings[0].observed;
    assert_eq!(o.keepalives_answered, 2);
    assert!(o.keepalives_sent >= 4);
    assert_eq!(o.client_keepalives, 1);
    assert_eq!(s.meetings[0].stop_reason, Some(24));
    sim.shutdown().await;
}

#[tokio::test]
async fn stream_close_request_ends_with_reason_20() {
    let sim = Sim::start(config(short(30_000))).await.unwrap();
    let mut j = join(&sim, 0, &[("transcript", 8, Value::Null)], &[1]).await;
    send(&mut j.sig, json!({"msg_type": 10, "rtms_session_id": "x"})).await;
    let st = next_of(&mut j.sig, 11).await;
    assert!(st["state"].is_i64() && st["rtms_session_id"].is_string());
    send(&mut j.sig, json!({"msg_type": 19, "rtms_stream_id": "short-stream"})).await;
    assert_eq!(next_of(&mut j.sig, 20).await["state"], 1);
    send(&mut j.sig, json!({"msg_type": 21, "rtms_stream_id": "short-stream"})).await;
    let resp = next_of(&mut j.sig, 22).await;
    assert_eq!(resp["status_code"], 0);
    let stop = next_of(&mut j.sig, 8).await;
    assert_eq!((stop["state"].as_i64(), stop["reason"].as_i64()), (Some(4), Some(20)));
    let s = sim.wait().await;
    let o = &s.meetings[0].observed;
    assert_eq!((o.stream_close_requests, o.session_state_requests, o.stream_state_requests), (1, 1, 1));
    sim.shutdown().await;
}

#[tokio::test]
async fn odd_client_messages_are_counted_and_ignored() {
    let mut cfg = config(short(600));
    cfg.speed = 2.0;
    cfg.filter_events = false;
    let sim = Sim::start(cfg).await.unwrap();
    let mut j = join(&sim, 0, &[("audio", 1, Value::Null)], &[]).await;
    j.sig.send(Message::text("{not json")).await.unwrap();
    j.sig.send(Message::text("[1,2,3]")).await.unwrap();
    send(&mut j.sig, json!({"msg_type": 99})).await;
    send(&mut j.sig, json!({"msg_type": "6"})).await;
    let audio = j.media.get_mut("audio").unwrap();
    send(audio, json!({"msg_type": 42})).await;
    let (sig, _) = drain_all(j).await;
    let types: std::collections::BTreeSet<i64> =
        sig.iter().filter(|m| m["msg_type"] == 6).map(|m| m["event"]["event_type"].as_i64().unwrap()).collect();
    assert!(types.contains(&3) && types.contains(&5) && types.contains(&8), "unfiltered events: {types:?}");
    let s = sim.wait().await;
    let o = &s.meetings[0].observed;
    assert_eq!(o.malformed_frames, 3);
    let mut unknown = o.unknown_msg_types.clone();
    unknown.sort_unstable();
    assert_eq!(unknown, vec![42, 99]);
    assert_eq!(s.meetings[0].stop_reason, Some(6), "the stream went on");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_rejoining_client_catches_up() {
    let mut cfg = config(short(3000));
    cfg.speed = 2.0;
    let sim = Sim::start(cfg).await.unwrap();
    let m = sim.meetings()[0].clone();
    let audio = json!({"audio": {"codec": 1, "data_opt": 1}});
    let mut j = join(&sim, 0, &[("audio", 1, audio.clone())], &[2, 3, 8]).await;
    next_of(&mut j.sig, 6).await;
    let first_old = next_of(j.media.get_mut("audio").unwrap(), 14).await;
    assert_eq!(sim.faults().drop_signaling(), 1);
    while next(&mut j.sig).await.is_some() {}
    // The client re-joins: the new session closes the old media socket and takes its place.
    let (mut sig, resp) = open_signaling(&sim, &m).await;
    assert_eq!(resp["status_code"], 0);
    let mut old_audio = drain(j.media.remove("audio").unwrap()).await;
    old_audio.insert(0, first_old);
    let url = resp["media_server"]["server_urls"]["audio"].as_str().unwrap().to_owned();
    let (new_audio, r) = open_media(&sim, &m, &url, 1, audio).await;
    assert_eq!(r["status_code"], 0, "not a duplicate: {r}");
    let late = tokio::spawn(drain(new_audio));
    send(&mut sig, json!({"msg_type": 7})).await;
    send(&mut sig, json!({"msg_type": 5, "events": [{"event_type": 3, "subscribe": true}]})).await;
    let again = next_of(&mut sig, 9).await;
    assert_eq!(again["state"], 2);
    let ev = next_of(&mut sig, 6).await;
    assert_eq!(ev["event"]["event_type"], 1);
    let ev = next_of(&mut sig, 6).await;
    assert_eq!(ev["event"]["event_type"], 3, "present participants, filtered by the new subscription");
    let stop = next_of(&mut sig, 8).await;
    assert_eq!(stop["reason"], 6);
    let late = late.await.unwrap();
    let first = late.iter().find(|m| m["msg_type"] == 14).expect("media on the new socket");
    let old_last = old_audio.iter().rfind(|m| m["msg_type"] == 14).unwrap();
    assert!(first["content"]["timestamp"].as_u64() > old_last["content"]["timestamp"].as_u64(), "picks up where the meeting is");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_lost_signaling_socket_ends_the_stream_after_the_grace() {
    let mut cfg = config(short(30_000));
    cfg.reconnect_grace = Duration::from_millis(300);
    let sim = Sim::start(cfg).await.unwrap();
    let j = join(&sim, 0, &[], &[]).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    drop(j);
    let started = Instant::now();
    let s = sim.wait().await;
    assert_eq!(s.meetings[0].stop_reason, Some(19));
    assert!(started.elapsed() >= Duration::from_millis(250));
    sim.shutdown().await;
}

#[tokio::test]
async fn shutdown_stops_everything() {
    let sim = Sim::start(config(short(30_000))).await.unwrap();
    let j = join(&sim, 0, &[("audio", 1, Value::Null)], &[]).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let addr = sim.local_addr();
    sim.shutdown().await;
    let (sig, media) = drain_all(j).await;
    assert!(sig.iter().all(|m| m["msg_type"] != 8), "shutdown is not a stream stop");
    assert!(!media["audio"].is_empty());
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "listener closed");
}
