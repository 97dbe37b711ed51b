//! # rtms-core
//!
//! Zoom Realtime Media Streams (RTMS) in pure Rust: the wire protocol ([`protocol`]),
//! signatures ([`signature`]), media parameters ([`params`]), an event-driven async
//! [`Client`], a webhook receiver ([`webhook`]) and logging setup ([`logging`]).
//!
//! ```no_run
//! # async fn demo() -> rtms_core::Result<()> {
//! use rtms_core::{Client, JoinParams, Event};
//! let client = Client::new();
//! client.on_audio(None)?; // OPUS 48 kHz stereo per participant, as the official SDK
//! let mut events = client.events();
//! client.join(JoinParams::meeting("meeting-uuid", "stream-id", "wss://rtms.zoom.us/...")).await?;
//! while let Some(event) = events.recv().await {
//!     if let Event::Media(m) = event { println!("{} bytes from {}", m.content.data.len(), m.content.user_name); }
//! }
//! # Ok(()) }
//! ```

pub mod client;
pub mod error;
pub mod event;
pub mod logging;
pub mod params;
pub mod protocol;
pub mod signature;
pub mod transport;
pub mod webhook;

pub use client::{Client, Events, JoinInfo, JoinParams, MediaLayout, Product};
pub use error::{Error, ErrorKind, Result};
pub use event::{Event, Media, Participant, SessionInfo};
pub use params::{AudioParams, ChatParams, DeskshareParams, MediaParams, TranscriptParams, VideoParams};
