use std::process::Stdio;
use std::time::Duration;

use rtms_core::signature::generate_signature;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::common::*;

#[tokio::test]
async fn cli_prints_listening_and_summary_lines() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rtms-sim"))
        .args(["--scenario", "minimal", "--speed", "4", "--settle", "0.1", "--drain", "0.05", "--quiet"])
        .env("ZM_RTMS_CLIENT", "cli-client")
        .env("ZM_RTMS_SECRET", "cli-secret")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert_eq!(first["event"], "listening");
    assert!(first["signaling_url"].as_str().unwrap().starts_with("ws://127.0.0.1:"));
    let m = &first["meetings"][0];
    assert_eq!(m["signature_client_id"], "cli-client");
    let (uuid, stream) = (m["meeting_uuid"].as_str().unwrap(), m["rtms_stream_id"].as_str().unwrap());

    let mut sig = connect(m["server_urls"].as_str().unwrap()).await;
    let signature = generate_signature("cli-client", "cli-secret", uuid, stream);
    send(&mut sig, json!({"msg_type": 1, "protocol_version": 1, "meeting_uuid": uuid, "rtms_stream_id": stream, "sequence": 1, "signature": signature})).await;
    let resp = next_of(&mut sig, 2).await;
    assert_eq!(resp["status_code"], 0);
    let url = resp["media_server"]["server_urls"]["transcript"].as_str().unwrap().to_owned();
    let mut media = connect(&url).await;
    send(&mut media, json!({"msg_type": 3, "meeting_uuid": uuid, "rtms_stream_id": stream, "signature": signature, "media_type": 8})).await;
    assert_eq!(next_of(&mut media, 4).await["status_code"], 0);
    send(&mut sig, json!({"msg_type": 7, "rtms_stream_id": stream})).await;
    let got = drain(media).await;
    drain(sig).await;

    let last: Value = serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert_eq!(last["event"], "summary");
    let s = &last["meetings"][0];
    assert_eq!(s["stop_reason"], 6);
    assert_eq!(s["transcripts"], json!(["Hello from the minimal scenario."]));
    assert_eq!(got.iter().filter(|m| m["msg_type"] == 17).count(), 1);
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait()).await.unwrap().unwrap();
    assert!(status.success());
}

#[tokio::test]
async fn cli_rejects_bad_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_rtms-sim")).args(["--scenario", "nope"]).output().await.unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no built-in scenario"));
    let out = Command::new(env!("CARGO_BIN_EXE_rtms-sim")).args(["--host", "0.0.0.0"]).output().await.unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
}
