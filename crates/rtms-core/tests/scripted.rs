//! Frame-exact tests against a scripted peer: the cases a real server should never produce
//! (missing status codes, silence, garbage) and the client's reaction to each.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use rtms_core::protocol::MediaType;
use rtms_core::{Client, ErrorKind, Event, JoinParams};
use serde_json::json;

fn params(url: &str) -> JoinParams {
    JoinParams::meeting("m1", "s1", url).credentials("cid", "csecret").timeout(Duration::from_secs(3))
}

fn audio_client() -> Client {
    let c = Client::new();
    c.enable_media(MediaType::AUDIO);
    c
}

#[tokio::test]
async fn handshake_response_without_status_code_is_a_protocol_error() {
    let server = Script::start(|_, mut ws| async move {
        let _ = recv(&mut ws).await;
        send_json(&mut ws, json!({"msg_type":2,"media_server":{"server_urls":{"all":"ws://x"}}})).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    })
    .await;
    let client = audio_client();
    let mut events = client.events();
    let err = client.join(params(&server.url("/sig"))).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Protocol, "{err}");
    assert!(err.to_string().contains("status_code"), "{err}");
    assert_eq!(events.recv().await, Some(Event::JoinConfirm { reason: 6 }));
}

#[tokio::test]
async fn server_that_never_answers_times_out() {
    let server = Script::start(|_, mut ws| async move {
        let _ = recv(&mut ws).await;
        tokio::time::sleep(Duration::from_secs(5)).await;
    })
    .await;
    let client = audio_client();
    let mut events = client.events();
    let err = client.join(params(&server.url("/sig")).timeout(Duration::from_millis(400))).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(events.recv().await, Some(Event::JoinConfirm { reason: 1 }));
}

#[tokio::test]
async fn refused_handshake_reports_the_status() {
    let server = Script::start(|_, mut ws| async move {
        let _ = recv(&mut ws).await;
        send_json(&mut ws, json!({"msg_type":2,"status_code":3,"reason":"bad signature"})).await;
    })
    .await;
    let client = audio_client();
    let err = client.join(params(&server.url("/sig"))).await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::HandshakeRefused, Some(3)));
    assert!(err.to_string().contains("STATUS_INVALID_SIGNATURE") && err.to_string().contains("bad signature"), "{err}");
}

/// Runs a full scripted session: signaling on `/sig`, audio at `/media/audio`; the media
/// socket sends `frames` and then, if `terminate`, signaling ends the stream with reason 6.
async fn session(client: Client, frames: Vec<String>, after: &'static str) -> (Vec<Event>, rtms_core::client::StatsSnapshot) {
    let frames = Arc::new(frames);
    let base = Arc::new(Mutex::new(String::new()));
    let b2 = base.clone();
    let (media_done_tx, media_done_rx) = tokio::sync::watch::channel(false);
    let media_done_rx = Arc::new(media_done_rx);
    let server = Script::start(move |path, mut ws| {
        let frames = frames.clone();
        let base = b2.lock().unwrap().clone();
        let media_done_tx = media_done_tx.clone();
        let mut media_done_rx = (*media_done_rx).clone();
        async move {
            if path.starts_with("/sig") {
                accept_signaling(&mut ws, &base).await;
                let ready = recv(&mut ws).await.unwrap();
                assert_eq!(ready["msg_type"], 7);
                let _ = media_done_rx.wait_for(|d| *d).await;
                if after == "terminate" {
                    send_json(&mut ws, json!({"msg_type":8,"state":4,"reason":6,"timestamp":1})).await;
                }
                while recv(&mut ws).await.is_some() {}
            } else {
                accept_media(&mut ws).await;
                for f in frames.iter() {
                    send_raw(&mut ws, f).await;
                }
                match after {
                    "drop" => {
                        let _ = media_done_tx.send(true);
                        drop(ws); // TCP close without a close frame
                    }
                    _ => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        let _ = media_done_tx.send(true);
                        while recv(&mut ws).await.is_some() {}
                    }
                }
            }
        }
    })
    .await;
    *base.lock().unwrap() = format!("ws://{}", server.addr);
    let mut events = client.events();
    client.join(params(&server.url("/sig"))).await.expect("join");
    let mut out = Vec::new();
    while let Ok(Some(ev)) = tokio::time::timeout(Duration::from_secs(5), events.recv()).await {
        let leave = matches!(ev, Event::Leave { .. });
        out.push(ev);
        if leave {
            break;
        }
    }
    (out, client.stats())
}

fn audio_seqs(events: &[Event]) -> Vec<u8> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Media(m) if m.kind == MediaType::AUDIO => Some(m.content.data[0]),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn bad_frames_are_skipped_and_counted_and_nothing_else_is_lost() {
    let frames = vec![
        audio_frame(1, 1),
        "{this is not json".to_string(),
        audio_frame(1, 2),
        r#"{"msg_type":99,"x":1}"#.to_string(),
        r#"{"msg_type":14,"content":{"user_id":1,"user_name":"A","data":"%%%","timestamp":1}}"#.to_string(),
        r#"{"no_type":true}"#.to_string(),
        audio_frame(1, 3),
    ];
    let (events, stats) = session(audio_client(), frames, "terminate").await;
    assert_eq!(audio_seqs(&events), vec![1, 2, 3]);
    assert_eq!(stats.skipped, 3, "{stats:?}");
    assert_eq!(stats.unknown, 1, "{stats:?}");
    assert!(matches!(events.last(), Some(Event::Leave { reason: 6, error: None })), "{:?}", events.last());
}

#[tokio::test]
async fn media_socket_dropped_mid_stream_ends_with_a_clear_reason_and_keeps_what_arrived() {
    let frames = (1..=5).map(|i| audio_frame(7, i)).collect();
    let (events, _) = session(audio_client(), frames, "drop").await;
    assert_eq!(audio_seqs(&events), vec![1, 2, 3, 4, 5]);
    match events.last() {
        Some(Event::Leave { reason: 16, error: Some(e) }) => {
            assert_eq!(e.kind(), ErrorKind::ConnectionLost);
            assert!(e.to_string().contains("audio"), "{e}");
        }
        other => panic!("unexpected end: {other:?}"),
    }
}

#[tokio::test]
async fn oversized_frame_is_a_typed_error_after_earlier_frames_were_delivered() {
    let big = format!(r#"{{"msg_type":17,"content":{{"user_id":1,"user_name":"A","data":"{}","timestamp":1}}}}"#, "x".repeat(300_000));
    let client = audio_client();
    client.set_max_message_size(64 * 1024);
    let (events, _) = session(client, vec![audio_frame(2, 1), audio_frame(2, 2), big], "stay").await;
    assert_eq!(audio_seqs(&events), vec![1, 2]);
    match events.last() {
        Some(Event::Leave { reason: 16, error: Some(e) }) => assert!(e.to_string().contains("oversized frame"), "{e}"),
        other => panic!("unexpected end: {other:?}"),
    }
}

#[tokio::test]
async fn silent_server_is_detected() {
    let base = Arc::new(Mutex::new(String::new()));
    let b2 = base.clone();
    let server = Script::start(move |path, mut ws| {
        let base = b2.lock().unwrap().clone();
        async move {
            if path.starts_with("/sig") {
                accept_signaling(&mut ws, &base).await;
            } else {
                accept_media(&mut ws).await;
            }
            // Stop reading: WebSocket pings go unanswered, nothing is sent.
            tokio::time::sleep(Duration::from_secs(10)).await;
        }
    })
    .await;
    *base.lock().unwrap() = format!("ws://{}", server.addr);
    let client = audio_client();
    client.set_keepalive_timeout(Duration::from_millis(300));
    let mut events = client.events();
    client.join(params(&server.url("/sig"))).await.expect("join");
    let started = std::time::Instant::now();
    let leave = loop {
        match tokio::time::timeout(Duration::from_secs(5), events.recv()).await {
            Ok(Some(Event::Leave { reason, error })) => break (reason, error),
            Ok(Some(_)) => continue,
            other => panic!("no leave: {other:?}"),
        }
    };
    assert!(matches!(leave.0, 11 | 16), "{leave:?}");
    assert!(leave.1.is_some());
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn failover_across_server_urls() {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("ws://{}/sig", dead.local_addr().unwrap());
    drop(dead);
    let server = Script::start(|_, mut ws| async move {
        let _ = recv(&mut ws).await;
        send_json(&mut ws, json!({"msg_type":2,"status_code":3,"reason":"reached"})).await;
    })
    .await;
    let urls = format!("{dead_url}, {}", server.url("/sig"));
    let err = audio_client().join(params(&urls)).await.unwrap_err();
    // Refused by the second server: the first URL was skipped.
    assert_eq!(err.status(), Some(3), "{err}");
}

#[tokio::test]
async fn joins_through_an_http_connect_proxy() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let server = Script::start(|_, mut ws| async move {
        let _ = recv(&mut ws).await;
        send_json(&mut ws, json!({"msg_type":2,"status_code":3,"reason":"via proxy"})).await;
    })
    .await;
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_addr = proxy.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(String::new()));
    let seen2 = seen.clone();
    tokio::spawn(async move {
        let (tcp, _) = proxy.accept().await.unwrap();
        let mut reader = BufReader::new(tcp);
        let mut first = String::new();
        reader.read_line(&mut first).await.unwrap();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).await.unwrap();
            if line == "\r\n" {
                break;
            }
        }
        *seen2.lock().unwrap() = first.clone();
        let target = first.split_whitespace().nth(1).unwrap().to_owned();
        let mut client = reader.into_inner();
        let mut upstream = tokio::net::TcpStream::connect(target).await.unwrap();
        client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await.unwrap();
        let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
    });
    let client = audio_client();
    client.set_proxy(&format!("http://{proxy_addr}")).unwrap();
    let err = client.join(params(&server.url("/sig"))).await.unwrap_err();
    assert!(err.to_string().contains("via proxy"), "{err}");
    assert_eq!(seen.lock().unwrap().trim(), format!("CONNECT {} HTTP/1.1", server.addr));
    assert!(Client::new().set_proxy("socks5://x").is_err());
}

#[tokio::test]
async fn a_second_join_while_one_is_running_is_refused() {
    let server = Script::start(|_, mut ws| async move {
        let _ = recv(&mut ws).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    })
    .await;
    let client = audio_client();
    let c2 = client.clone();
    let url = server.url("/sig");
    let first = tokio::spawn(async move { c2.join(params(&url).timeout(Duration::from_millis(600))).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let err = client.join(params(&server.url("/sig"))).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidState, "{err}");
    assert!(err.to_string().contains("in progress"), "{err}");
    assert_eq!(first.await.unwrap().unwrap_err().kind(), ErrorKind::Timeout);
}

#[tokio::test]
async fn a_cancelled_join_leaves_the_client_usable() {
    let server = Script::start(|_, mut ws| async move {
        let _ = recv(&mut ws).await;
        tokio::time::sleep(Duration::from_secs(3)).await;
    })
    .await;
    let client = audio_client();
    // Dropping the join future (here by an outer timeout) cancels it.
    let cancelled = tokio::time::timeout(Duration::from_millis(200), client.join(params(&server.url("/sig")))).await;
    assert!(cancelled.is_err());
    let err = client.join(params(&server.url("/sig")).timeout(Duration::from_millis(200))).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "a new join runs: {err}");
}
