//! A scripted RTMS peer for frame-exact tests: every accepted WebSocket is handed, with its
//! request path, to a test-provided async function.

#![allow(dead_code, clippy::result_large_err)]

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rtms_core::protocol::Message;
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::WebSocketStream;

pub type Ws = WebSocketStream<TcpStream>;

pub struct Script {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Script {
    /// Serves every connection with `handler(path, ws)`.
    pub async fn start<F, Fut>(handler: F) -> Script
    where
        F: Fn(String, Ws) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let handler = Arc::new(handler);
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let handler = handler.clone();
                tokio::spawn(async move {
                    let mut path = String::new();
                    let cb = |req: &Request, resp: Response| {
                        path = req.uri().to_string();
                        Ok(resp)
                    };
                    if let Ok(ws) = tokio_tungstenite::accept_hdr_async(tcp, cb).await {
                        handler(path, ws).await;
                    }
                });
            }
        });
        Script { addr, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("ws://{}{}", self.addr, path)
    }
}

impl Drop for Script {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads the next JSON message (skipping control frames).
pub async fn recv(ws: &mut Ws) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_secs(5), ws.next()).await.ok()?? {
            Ok(WsMessage::Text(t)) => return serde_json::from_str(&t).ok(),
            Ok(WsMessage::Binary(b)) => return serde_json::from_slice(&b).ok(),
            Ok(WsMessage::Close(_)) | Err(_) => return None,
            Ok(_) => continue,
        }
    }
}

pub async fn send_json(ws: &mut Ws, v: Value) {
    let _ = ws.send(WsMessage::text(v.to_string())).await;
}

pub async fn send_raw(ws: &mut Ws, text: &str) {
    let _ = ws.send(WsMessage::text(text.to_owned())).await;
}

pub async fn send_msg(ws: &mut Ws, m: &Message) {
    let _ = ws.send(WsMessage::binary(m.encode())).await;
}

/// Answers a signaling handshake with per-type media URLs on `base` (`ws://host:port`).
pub async fn accept_signaling(ws: &mut Ws, base: &str) -> Value {
    let hello = recv(ws).await.expect("handshake request");
    assert_eq!(hello["msg_type"], 1);
    let urls: serde_json::Map<String, Value> = ["audio", "video", "deskshare", "transcript", "chat", "all"]
        .iter()
        .map(|k| (k.to_string(), Value::from(format!("{base}/media/{k}"))))
        .collect();
    send_json(
        ws,
        serde_json::json!({"msg_type":2,"status_code":0,"reason":"","sequence":hello["sequence"],"media_server":{"server_urls":urls}}),
    )
    .await;
    hello
}

/// Answers a data handshake successfully.
pub async fn accept_media(ws: &mut Ws) -> Value {
    let req = recv(ws).await.expect("data handshake request");
    assert_eq!(req["msg_type"], 3);
    send_json(
        ws,
        serde_json::json!({"msg_type":4,"status_code":0,"reason":"","payload_encrypted":false,"media_params":req["media_params"]}),
    )
    .await;
    req
}

pub fn audio_frame(user_id: i64, seq: u8) -> String {
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD.encode([seq; 8]);
    format!(r#"{{"msg_type":14,"content":{{"user_id":{user_id},"user_name":"U{user_id}","data":"{data}","timestamp":{seq}}}}}"#)
}
