use rtms_sim::Sim;
use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn signaling_handshake_returns_every_url() {
    let sim = Sim::start(config(short(1000))).await.unwrap();
    let m = sim.meetings()[0].clone();
    assert!(sim.signaling_url().starts_with("ws://127.0.0.1:") && sim.signaling_url().ends_with("/signaling"));
    let (_ws, resp) = open_signaling(&sim, &m).await;
    assert_eq!(resp["status_code"], 0);
    assert_eq!(resp["reason"], "");
    assert_eq!(resp["sequence"], 8288006, "sequence echoed");
    let urls = &resp["media_server"]["server_urls"];
    for key in ["audio", "video", "deskshare", "transcript", "chat", "all"] {
        let url = urls[key].as_str().unwrap_or_else(|| panic!("missing {key}: {resp}"));
        assert!(url.starts_with("ws://127.0.0.1:") && url.contains(&format!("/media/{key}")), "{url}");
    }
    let hs = &sim.summary().meetings[0].observed.handshakes[0];
    assert_eq!(hs.headers["host"], "127.0.0.1", "Host without port accepted");
    assert_eq!(hs.headers["user-agent"], "Mozilla/5.0 Zoom.App");
    assert_eq!(hs.request["signature"], "<redacted>");
    assert_eq!(hs.status_code, Some(0));
    sim.shutdown().await;
}

#[tokio::test]
async fn generic_url_routes_by_stream_id_and_alias_keys_work() {
    let sim = Sim::start(config(short(1000))).await.unwrap();
    let m = sim.meetings()[0].clone();
    let mut ws = connect(&sim.signaling_url()).await;
    let mut req = sig_handshake(&sim, &m);
    let uuid = req.as_object_mut().unwrap().remove("meeting_uuid").unwrap();
    req["session_id"] = uuid;
    send(&mut ws, req).await;
    assert_eq!(next_of(&mut ws, 2).await["status_code"], 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn bad_handshakes_are_refused_with_the_right_status() {
    let sim = Sim::start(config(short(1000))).await.unwrap();
    let m = sim.meetings()[0].clone();

    let mut ws = connect(&sim.signaling_url()).await;
    let mut req = sig_handshake(&sim, &m);
    req["signature"] = json!("00".repeat(32));
    send(&mut ws, req).await;
    let resp = next_of(&mut ws, 2).await;
    assert_eq!(resp["status_code"], 3, "{resp}");
    assert!(resp["reason"].is_string());
    assert!(resp.get("media_server").is_none());
    assert!(next(&mut ws).await.is_none(), "closed after a refusal");

    let mut ws = connect(&sim.signaling_url()).await;
    let mut req = sig_handshake(&sim, &m);
    req["rtms_stream_id"] = json!("nope");
    send(&mut ws, req).await;
    assert_eq!(next_of(&mut ws, 2).await["status_code"], 2);

    let mut ws = connect(&sim.signaling_url()).await;
    send(&mut ws, json!({"msg_type": 1, "meeting_uuid": 5, "rtms_stream_id": []})).await;
    assert_eq!(next_of(&mut ws, 2).await["status_code"], 4);

    let (mut ws, _) = open_signaling(&sim, &m).await;
    send(&mut ws, sig_handshake(&sim, &m)).await;
    assert_eq!(next_of(&mut ws, 2).await["status_code"], 8, "duplicate handshake");

    // Unknown paths are not upgraded at all.
    let port = sim.local_addr().port();
    assert!(try_connect(&format!("ws://127.0.0.1:{port}/nowhere")).await.is_err());
    sim.shutdown().await;
}

#[tokio::test]
async fn data_handshake_echoes_complete_params() {
    let sim = Sim::start(config(short(1000))).await.unwrap();
    let m = sim.meetings()[0].clone();
    let (_sig, resp) = open_signaling(&sim, &m).await;
    let urls = resp["media_server"]["server_urls"].clone();
    let url = |k: &str| urls[k].as_str().unwrap().to_owned();

    // The official SDK's defaults.
    let sdk_audio = json!({"audio": {"channel": 2, "codec": 4, "content_type": 2, "data_opt": 2, "sample_rate": 3, "send_rate": 20}});
    let (_a, r) = open_media(&sim, &m, &url("audio"), 1, sdk_audio.clone()).await;
    assert_eq!(r["status_code"], 0);
    assert_eq!(r["payload_encrypted"], false);
    assert_eq!(r["reason"], "");
    assert_eq!(r["sequence"], 8288016);
    assert_eq!(r["media_params"], sdk_audio);

    // Missing fields filled with defaults.
    let (_v, r) = open_media(&sim, &m, &url("video"), 2, json!({"video": {"codec": 5, "fps": 5}})).await;
    assert_eq!(r["media_params"]["video"], json!({"content_type": 3, "codec": 5, "resolution": 2, "data_opt": 3, "fps": 5}));

    // Transcript without params (the SDK sends null or nothing).
    let (_t, r) = open_media(&sim, &m, &url("transcript"), 8, Value::Null).await;
    assert_eq!(r["media_params"]["transcript"], json!({"content_type": 5, "src_language": -1, "enable_lid": true}));

    // Deskshare never carries data_opt.
    let (_d, r) = open_media(&sim, &m, &url("deskshare"), 4, Value::Null).await;
    assert_eq!(r["media_params"]["deskshare"], json!({"content_type": 3, "codec": 7, "resolution": 2, "fps": 30}));
    sim.shutdown().await;
}

#[tokio::test]
async fn invalid_media_requests_are_refused() {
    let sim = Sim::start(config(short(1000))).await.unwrap();
    let m = sim.meetings()[0].clone();

    // Before any signaling handshake: no session.
    let (_w, r) = open_media(&sim, &m, &sim.meetings()[0].server_urls.replace("/signaling", "/media/audio"), 1, Value::Null).await;
    assert_eq!(r["status_code"], 40, "{r}");

    let (_sig, resp) = open_signaling(&sim, &m).await;
    let urls = resp["media_server"]["server_urls"].clone();
    let url = |k: &str| urls[k].as_str().unwrap().to_owned();
    let cases = [
        (2, json!({"video": {"codec": 5, "fps": 30}}), 30),
        (2, json!({"video": {"codec": 6, "fps": 6}}), 30),
        (1, json!({"audio": {"codec": 3}}), 22),
        (1, json!({"audio": {"codec": 4, "sample_rate": 1}}), 20),
        (4, json!({"deskshare": {"content_type": 1}}), 32),
        (0, Value::Null, 7),
    ];
    for (media_type, params, status) in cases {
        let (mut ws, r) = open_media(&sim, &m, &url("all"), media_type, params.clone()).await;
        assert_eq!(r["status_code"], status, "{params}: {r}");
        assert!(r["reason"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(next(&mut ws).await.is_none(), "refused socket is closed");
    }
    let mut bad = connect(&url("audio")).await;
    let mut req = data_handshake(&sim, &m, 1, Value::Null);
    req["signature"] = json!("bad");
    send(&mut bad, req).await;
    assert_eq!(next_of(&mut bad, 4).await["status_code"], 3);

    // One socket per type; nothing next to `all`.
    let (_a, r) = open_media(&sim, &m, &url("audio"), 1, Value::Null).await;
    assert_eq!(r["status_code"], 0);
    let (_a2, r) = open_media(&sim, &m, &url("audio"), 1, Value::Null).await;
    assert_eq!(r["status_code"], 16);
    let (_c, r) = open_media(&sim, &m, &url("all"), 9, Value::Null).await;
    assert_eq!(r["status_code"], 16, "audio bit already taken");
    let (_all, r) = open_media(&sim, &m, &url("all"), 32, Value::Null).await;
    assert_eq!(r["status_code"], 15);
    sim.shutdown().await;
}
