//! The native addon under the `rtms` npm package (`bindings/node`).
//!
//! Thin by design: every protocol rule, validation and state machine is in `rtms-core`; this
//! crate converts types and carries events across. The public JavaScript API (the official
//! `@zoom/rtms` surface: `Client`, the singleton, `onWebhookEvent`, constants...) is written in
//! JavaScript on top of it (`bindings/node/index.js`).
//!
//! | file | what |
//! |---|---|
//! | `client.rs` | `Client`: params, subscriptions, join/leave, the event pump |
//! | `event.rs` | core events as the JS objects the dispatcher receives |
//! | `params.rs` | the official camelCase params objects → core params |
//! | `webhook.rs` | `webhookAnswer` (the core's accept/verify decision), signatures |
//! | `error.rs` | core errors → JS `Error`s with `code` |
//! | `logging.rs` | `configureLogger` |
//! | `sim.rs` | `Simulator` (rtms-sim), behind the `sim` feature |

// napi-derive registers #[napi] items only outside `cfg(test)`, so rustc's test build sees them unused.
#![cfg_attr(test, allow(dead_code))]

mod client;
mod error;
mod event;
mod logging;
mod params;
#[cfg(feature = "sim")]
mod sim;
mod webhook;

use napi_derive::napi;
use rtms_core::protocol as p;

/// Hands napi a small runtime with named threads (instead of one worker per CPU).
#[napi_derive::module_init]
fn init() {
    if let Ok(rt) = tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("rtms-io").enable_all().build() {
        napi::bindgen_prelude::create_custom_tokio_runtime(rt);
    }
}

/// The addon's version (the workspace version).
#[napi]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// True when the addon was built with the simulator.
#[napi]
pub fn has_simulator() -> bool {
    cfg!(feature = "sim")
}

/// The join signature: `hex(HMAC-SHA256(secret, "client,uuid,streamId"))`.
#[napi]
pub fn generate_signature(client: String, secret: String, uuid: String, stream_id: String) -> String {
    rtms_core::signature::generate_signature(&client, &secret, &uuid, &stream_id)
}

/// The core's enums by name (`{"EventType": {"PARTICIPANT_JOIN": 3, ...}, ...}`) as JSON, for
/// the JS layer's constant dictionaries.
#[napi]
pub fn enums() -> String {
    let tables = p::tables().into_iter().map(|t| {
        let values = t.values.into_iter().map(|(name, value)| (name.to_owned(), serde_json::Value::from(value))).collect();
        (t.name.to_owned(), serde_json::Value::Object(values))
    });
    serde_json::Value::Object(tables.collect()).to_string()
}
