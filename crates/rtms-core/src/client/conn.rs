//! Helpers shared by the signaling and media connections: sending a message, reading the
//! next frame, answering keep-alives, and noticing a silent peer.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::time::Instant;

use crate::error::{Error, ErrorKind, Result};
use crate::protocol::{KeepAlive, Message};
use crate::transport::{Ws, WsMessage};

/// Sends one message as a text frame of compact JSON.
pub(crate) async fn send(ws: &mut Ws, msg: &Message) -> Result<()> {
    let text = String::from_utf8(msg.encode()).map_err(|e| Error::protocol(format!("encoder produced invalid UTF-8: {e}")))?;
    ws.send(WsMessage::text(text))
        .await
        .map_err(|e| Error::new(ErrorKind::ConnectionLost, format!("sending msg_type {} failed: {e}", msg.msg_type())))
}

/// What reading a socket produced.
pub(crate) enum Frame {
    /// A JSON payload (text or binary frame).
    Data(bytes::Bytes),
    /// The peer closed the socket with a close frame.
    Closed,
    /// The socket failed (reset, protocol error, oversized frame).
    Lost(String),
    /// Ping/pong or other control traffic: it proves the peer is alive.
    Control,
}

/// Reads the next frame.
pub(crate) async fn next(ws: &mut Ws) -> Frame {
    match ws.next().await {
        Some(Ok(WsMessage::Text(t))) => Frame::Data(bytes::Bytes::from(t)),
        Some(Ok(WsMessage::Binary(b))) => Frame::Data(b),
        Some(Ok(WsMessage::Close(_))) | None => Frame::Closed,
        Some(Ok(_)) => Frame::Control,
        Some(Err(tokio_tungstenite::tungstenite::Error::Capacity(e))) => Frame::Lost(format!("oversized frame rejected ({e})")),
        Some(Err(e)) => Frame::Lost(e.to_string()),
    }
}

/// The answer to a keep-alive request: every field echoed.
pub(crate) fn keepalive_reply(req: KeepAlive) -> Message {
    Message::KeepAliveResp(req)
}

/// Tracks silence on one socket: after `timeout` without traffic it asks for a WebSocket
/// ping; after another `timeout` it declares the peer dead.
pub(crate) struct Liveness {
    timeout: Duration,
    last: Instant,
    pinged: bool,
}

pub(crate) enum Silence {
    SendPing,
    Dead,
}

impl Liveness {
    pub(crate) fn new(timeout: Duration) -> Liveness {
        Liveness { timeout, last: Instant::now(), pinged: false }
    }

    pub(crate) fn seen(&mut self) {
        self.last = Instant::now();
        self.pinged = false;
    }

    pub(crate) fn deadline(&self) -> Instant {
        if self.pinged {
            self.last + self.timeout * 2
        } else {
            self.last + self.timeout
        }
    }

    /// Called when [`Liveness::deadline`] passed.
    pub(crate) fn expired(&mut self) -> Silence {
        if self.pinged {
            Silence::Dead
        } else {
            self.pinged = true;
            Silence::SendPing
        }
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }
}
