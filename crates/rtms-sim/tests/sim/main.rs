//! rtms-sim against a raw WebSocket client, over real sockets.

mod cli;
mod common;
mod faults;
mod handshake;
mod lifecycle;
mod load;
mod media;
mod tls;
mod webhook;
