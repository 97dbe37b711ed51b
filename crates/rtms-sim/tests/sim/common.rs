//! A raw RTMS client for the tests: plain tokio-tungstenite, JSON by hand.

#![allow(dead_code)]

use std::collections::HashMap;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rtms_core::signature::generate_signature;
use rtms_sim::{MeetingInfo, Scenario, Sim, SimConfig};
use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::handshake::client::generate_key;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

pub type Ws = WebSocketStream<Box<dyn Io>>;

pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A short scenario: two people, `ms` long, everything on.
pub fn short(ms: u64) -> Scenario {
    let toml = format!(
        r#"
[meeting]
uuid = "short-uuid=="
stream_id = "short-stream"
duration_ms = {ms}
stop_reason = 6
[[participants]]
id = 16778240
name = "Alice"
[[participants]]
id = 16779264
name = "Bob"
[[speaking]]
user = "Alice"
from_ms = 0
to_ms = {half}
[[speaking]]
user = "Bob"
from_ms = {half}
to_ms = {ms}
[[transcripts]]
user = "Alice"
at_ms = {half}
text = "first line"
[[transcripts]]
user = "Bob"
at_ms = {late}
text = "second line"
[[chats]]
user = "Bob"
at_ms = 10
text = "hello chat"
[[shares]]
user = "Bob"
from_ms = 0
to_ms = {ms}
[[video]]
user = "Alice"
from_ms = 0
to_ms = {ms}
[[video]]
user = "Bob"
from_ms = 0
to_ms = {ms}
"#,
        half = ms / 2,
        late = ms * 9 / 10,
    );
    Scenario::from_toml(&toml).unwrap()
}

/// A config with fast settle/drain for tests.
pub fn config(scenario: Scenario) -> SimConfig {
    let mut cfg = SimConfig::new(scenario);
    cfg.settle = Duration::from_millis(200);
    cfg.drain = Duration::from_millis(100);
    cfg
}

/// Opens a WebSocket the way Zoom's SDK does: `Host` without the port, the `websocket`
/// subprotocol offered, a Zoom user agent.
pub async fn connect(url: &str) -> Ws {
    try_connect(url).await.unwrap_or_else(|e| panic!("connect {url}: {e}"))
}

pub async fn try_connect(url: &str) -> Result<Ws, String> {
    let rest = url.strip_prefix("ws://").ok_or("not ws://")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let tcp = TcpStream::connect(authority).await.map_err(|e| e.to_string())?;
    handshake(Box::new(tcp), authority, if path.is_empty() { "/" } else { path }).await
}

pub async fn handshake(io: Box<dyn Io>, authority: &str, path: &str) -> Result<Ws, String> {
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    let req = http::Request::builder()
        .uri(format!("ws://{authority}{path}"))
        .header("Host", host)
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .header("Sec-WebSocket-Version", "13")
        .header("Sec-WebSocket-Key", generate_key())
        .header("Sec-WebSocket-Protocol", "websocket")
        .header("User-Agent", "Mozilla/5.0 Zoom.App")
        .body(())
        .unwrap();
    let (ws, _) = tokio_tungstenite::client_async(req, io).await.map_err(|e| e.to_string())?;
    Ok(ws)
}

/// JsonCpp "styled" JSON in a binary frame, like the SDK sends.
pub fn styled(v: &Value) -> Message {
    let mut text = serde_json::to_string_pretty(v).unwrap().replace("  ", "\t").replace("\": ", "\" : ");
    text.push('\n');
    Message::binary(text.into_bytes())
}

pub async fn send(ws: &mut Ws, v: Value) {
    ws.send(styled(&v)).await.unwrap();
}

/// The next frame as JSON text (`None` when the socket closes). Panics after TIMEOUT.
pub async fn next_raw(ws: &mut Ws) -> Option<String> {
    loop {
        let msg = tokio::time::timeout(TIMEOUT, ws.next()).await.expect("timed out waiting for a frame");
        match msg {
            Some(Ok(Message::Text(t))) => return Some(t.to_string()),
            Some(Ok(Message::Binary(b))) => return Some(String::from_utf8(b.to_vec()).unwrap()),
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
            Some(Ok(_)) => {}
        }
    }
}

/// The next JSON message, answering keep-alives on the way.
pub async fn next(ws: &mut Ws) -> Option<Value> {
    loop {
        let text = next_raw(ws).await?;
        let Ok(v) = serde_json::from_str::<Value>(&text) else { continue };
        if v["msg_type"] == 12 {
            let answer = json!({"msg_type": 13, "sequence": v["sequence"], "timestamp": v["timestamp"]});
            let _ = ws.send(styled(&answer)).await;
            continue;
        }
        return Some(v);
    }
}

/// The next message of this type (others skipped).
pub async fn next_of(ws: &mut Ws, msg_type: i64) -> Value {
    loop {
        let v = next(ws).await.unwrap_or_else(|| panic!("closed while waiting for msg_type {msg_type}"));
        if v["msg_type"] == msg_type {
            return v;
        }
    }
}

pub fn signature(sim: &Sim, m: &MeetingInfo) -> String {
    let cfg = sim.config();
    generate_signature(&cfg.client_id, &cfg.client_secret, &m.meeting_uuid, &m.rtms_stream_id)
}

pub fn sig_handshake(sim: &Sim, m: &MeetingInfo) -> Value {
    json!({"msg_type": 1, "protocol_version": 1, "meeting_uuid": m.meeting_uuid, "rtms_stream_id": m.rtms_stream_id,
           "sequence": 8288006, "signature": signature(sim, m), "rtms_client_agent": "rtms-sim-tests"})
}

pub fn data_handshake(sim: &Sim, m: &MeetingInfo, media_type: u32, params: Value) -> Value {
    let mut v = json!({"msg_type": 3, "protocol_version": 1, "meeting_uuid": m.meeting_uuid, "rtms_stream_id": m.rtms_stream_id,
                       "sequence": 8288016, "signature": signature(sim, m), "media_type": media_type});
    if !params.is_null() {
        v["media_params"] = params;
    }
    v
}

/// Signaling handshake on meeting `m`; returns the socket and the response.
pub async fn open_signaling(sim: &Sim, m: &MeetingInfo) -> (Ws, Value) {
    let mut ws = connect(&m.server_urls).await;
    send(&mut ws, sig_handshake(sim, m)).await;
    let resp = next_of(&mut ws, 2).await;
    (ws, resp)
}

/// One media socket with its data handshake answer.
pub async fn open_media(sim: &Sim, m: &MeetingInfo, url: &str, media_type: u32, params: Value) -> (Ws, Value) {
    let mut ws = connect(url).await;
    send(&mut ws, data_handshake(sim, m, media_type, params)).await;
    let resp = next_of(&mut ws, 4).await;
    (ws, resp)
}

/// A joined client: signaling plus media sockets keyed by name.
pub struct Joined {
    pub sig: Ws,
    pub urls: Value,
    pub media: HashMap<String, Ws>,
}

/// Signaling, then each `(key, media_type, params)` socket, then ready and a subscription.
pub async fn join(sim: &Sim, index: usize, sockets: &[(&str, u32, Value)], subscribe: &[i64]) -> Joined {
    let m = sim.meetings()[index].clone();
    let (mut sig, resp) = open_signaling(sim, &m).await;
    assert_eq!(resp["status_code"], 0, "{resp}");
    let urls = resp["media_server"]["server_urls"].clone();
    let mut media = HashMap::new();
    for (key, media_type, params) in sockets {
        let url = urls[*key].as_str().unwrap().to_owned();
        let (ws, resp) = open_media(sim, &m, &url, *media_type, params.clone()).await;
        assert_eq!(resp["status_code"], 0, "{key}: {resp}");
        media.insert((*key).to_owned(), ws);
    }
    send(&mut sig, json!({"msg_type": 7, "rtms_stream_id": m.rtms_stream_id})).await;
    if !subscribe.is_empty() {
        let events: Vec<Value> = subscribe.iter().map(|t| json!({"event_type": t, "subscribe": true})).collect();
        send(&mut sig, json!({"msg_type": 5, "events": events})).await;
    }
    Joined { sig, urls, media }
}

/// Reads a socket until it closes, answering keep-alives; returns every JSON message.
pub async fn drain(mut ws: Ws) -> Vec<Value> {
    let mut out = Vec::new();
    while let Some(v) = next(&mut ws).await {
        out.push(v);
    }
    out
}

/// Reads every socket of a joined client to the end, concurrently.
pub async fn drain_all(j: Joined) -> (Vec<Value>, HashMap<String, Vec<Value>>) {
    let media: Vec<(String, tokio::task::JoinHandle<Vec<Value>>)> =
        j.media.into_iter().map(|(k, ws)| (k, tokio::spawn(drain(ws)))).collect();
    let sig = drain(j.sig).await;
    let mut out = HashMap::new();
    for (k, h) in media {
        out.insert(k, h.await.unwrap());
    }
    (sig, out)
}

/// Decoded `content.data` of a media message.
pub fn payload(v: &Value) -> Vec<u8> {
    use base64::Engine as _;
    let data = v["content"]["data"].as_str().unwrap();
    match v["msg_type"].as_i64().unwrap() {
        14..=16 => base64::engine::general_purpose::STANDARD.decode(data).unwrap(),
        _ => data.as_bytes().to_vec(),
    }
}

/// CRC32 of the concatenated payloads of messages of one type.
pub fn crc_of(msgs: &[Value], msg_type: i64) -> (u64, u32) {
    let mut h = crc32fast::Hasher::new();
    let mut n = 0;
    for m in msgs.iter().filter(|m| m["msg_type"] == msg_type) {
        h.update(&payload(m));
        n += 1;
    }
    (n, h.finalize())
}
