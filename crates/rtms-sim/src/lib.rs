//! # rtms-sim
//!
//! A simulated Zoom Realtime Media Streams server for tests and demos: signaling and media
//! WebSockets (plain or TLS) that speak RTMS v1 exactly as Zoom's own SDK expects, scripted
//! meetings ([`Scenario`]) with really encoded synthetic media (L16, G.711, Opus, JPG, PNG,
//! H.264), Zoom-style webhooks, faults on demand ([`Faults`]), many meetings at once, and a
//! [`Summary`] of everything sent (with CRC32s) and everything the client did.
//!
//! ```no_run
//! # async fn demo() -> Result<(), rtms_sim::SimError> {
//! use rtms_sim::{Scenario, Sim, SimConfig};
//! let mut cfg = SimConfig::new(Scenario::builtin("quick")?);
//! cfg.speed = 4.0;
//! let sim = Sim::start(cfg).await?;
//! let meeting = &sim.meetings()[0];
//! println!("join {} / {} at {}", meeting.meeting_uuid, meeting.rtms_stream_id, meeting.server_urls);
//! let summary = sim.wait().await; // after a client joined and the scenario ran
//! println!("{} audio packets", summary.meetings[0].media_stats("audio").packets);
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

pub mod cli;
mod config;
mod error;
mod faults;
mod media_conn;
mod meeting;
mod negotiate;
mod runner;
pub mod scenario;
mod server;
mod signaling;
mod sim;
mod streams;
mod summary;
pub mod synth;
mod tls;
mod util;
pub mod webhook;

pub use config::{SimConfig, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};
pub use error::SimError;
pub use faults::Faults;
pub use meeting::MeetingInfo;
pub use scenario::{Product, Scenario};
pub use sim::Sim;
pub use summary::{HandshakeRecord, MediaStats, MeetingSummary, Observed, Summary, UserMediaStats, WebhookRecord};
pub use webhook::{validate_url, Webhook};
