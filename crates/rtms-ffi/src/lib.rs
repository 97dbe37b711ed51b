//! # rtms-ffi
//!
//! A small, stable C ABI over [`rtms_core`] (client, webhooks, signatures, logging) and
//! [`rtms_sim`] (the simulator, for tests). The header `lib/include/rtms.h` is generated from
//! this crate by cbindgen (`build.rs`) and committed.
//!
//! The crate is thin: it converts types and forwards callbacks. Every `extern "C"` function
//! runs under `catch_unwind` ([`guard`]); a panic becomes `RTMS_ERR_PANIC`. Callbacks run on one
//! dispatcher thread per client that this crate owns, never on a tokio worker.
//!
//! Modules mirror the core's concepts: [`client`], [`event`] (the dispatcher), [`params`],
//! [`error`], [`webhook`], [`logging`], plus [`sim`] and the shared [`runtime`].
#![allow(non_camel_case_types)]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod callbacks;
pub mod client;
pub mod error;
pub mod event;
mod guard;
pub mod logging;
pub mod params;
pub mod runtime;
pub mod sim;
mod strings;
pub mod webhook;

use std::ffi::c_char;

pub use guard::guard;

/// The version of the C ABI. It changes whenever a function signature or a struct layout in
/// `rtms.h` changes incompatibly; bindings compare it with the value they were built against.
pub const RTMS_ABI_VERSION: u32 = 1;

/// The library version (`"0.1.0"`), a static string: do not free it.
#[no_mangle]
pub extern "C" fn rtms_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The ABI version of this library ([`RTMS_ABI_VERSION`] when built).
#[no_mangle]
pub extern "C" fn rtms_abi_version() -> u32 {
    RTMS_ABI_VERSION
}
