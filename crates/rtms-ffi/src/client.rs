//! The client handle: create, configure, join (blocking, cancellable), leave, free.

use std::ffi::c_char;
use std::sync::Mutex;
use std::time::Duration;

use rtms_core::{Client, JoinParams, MediaLayout, Product};
use tokio::sync::watch;

use crate::callbacks::{rtms_callbacks_t, Vtable};
use crate::error::{rtms_code_t, rtms_error_t, FfiError, RTMS_ERR_CANCELLED, RTMS_ERR_PANIC};
use crate::event::Dispatcher;
use crate::guard::call;
use crate::strings::{arg, opt_arg};

/// A Zoom meeting stream (`meeting.rtms_started`).
pub const RTMS_PRODUCT_MEETING: i32 = 0;
/// A webinar stream.
pub const RTMS_PRODUCT_WEBINAR: i32 = 1;
/// A Video SDK session stream.
pub const RTMS_PRODUCT_SESSION: i32 = 2;
/// A Contact Center engagement stream.
pub const RTMS_PRODUCT_CONTACT_CENTER: i32 = 3;

/// One connection per media type (what Zoom's SDK does; the default).
pub const RTMS_LAYOUT_SPLIT: i32 = 0;
/// Every media type on one connection.
pub const RTMS_LAYOUT_COMBINED: i32 = 1;

/// What to join: the ids from the `*.rtms_started` webhook. Optional strings may be NULL.
#[repr(C)]
pub struct rtms_join_params_t {
    /// An `RTMS_PRODUCT_*` value.
    pub product: i32,
    /// Meeting uuid, webinar uuid, session id or engagement id, exactly as delivered.
    pub instance_id: *const c_char,
    pub stream_id: *const c_char,
    /// Signaling URL(s), comma-separated.
    pub server_urls: *const c_char,
    /// A precomputed signature, or NULL to compute it from the credentials.
    pub signature: *const c_char,
    /// Client id, or NULL for `ZM_RTMS_CLIENT`.
    pub client_id: *const c_char,
    /// Client secret, or NULL for `ZM_RTMS_SECRET`.
    pub client_secret: *const c_char,
    /// Join timeout in ms; 0 for the default (10 s).
    pub timeout_ms: u32,
}

/// An RTMS client (opaque). Thread-safe: any function may be called from any thread, except
/// `rtms_client_free`, which must be the last call.
pub struct rtms_client_t {
    client: Client,
    dispatcher: Mutex<Option<Dispatcher>>,
    join_cancel: Mutex<Option<watch::Sender<bool>>>,
}

impl rtms_client_t {
    pub(crate) fn core(&self) -> &Client {
        &self.client
    }
}

/// Borrows a client handle.
///
/// # Safety
/// `c` is NULL or a live handle from `rtms_client_new`.
pub(crate) unsafe fn client_ref<'a>(c: *const rtms_client_t) -> Result<&'a rtms_client_t, FfiError> {
    // SAFETY: forwarded from the caller's contract.
    unsafe { c.as_ref() }.ok_or_else(|| FfiError::null("client"))
}

fn product(value: i32) -> Result<Product, FfiError> {
    Ok(match value {
        RTMS_PRODUCT_MEETING => Product::Meeting,
        RTMS_PRODUCT_WEBINAR => Product::Webinar,
        RTMS_PRODUCT_SESSION => Product::Session,
        RTMS_PRODUCT_CONTACT_CENTER => Product::ContactCenter,
        other => return Err(FfiError::invalid(format!("unknown product {other}"))),
    })
}

/// # Safety
/// `p` is NULL or points to a valid struct whose strings are NULL or NUL-terminated.
unsafe fn join_params(p: *const rtms_join_params_t) -> Result<JoinParams, FfiError> {
    // SAFETY: forwarded from the caller's contract.
    let p = unsafe { p.as_ref() }.ok_or_else(|| FfiError::null("params"))?;
    // SAFETY: the strings are NULL or NUL-terminated per the contract.
    unsafe {
        Ok(JoinParams {
            instance_id: arg(p.instance_id, "instance_id")?.to_owned(),
            product: product(p.product)?,
            stream_id: arg(p.stream_id, "stream_id")?.to_owned(),
            server_urls: arg(p.server_urls, "server_urls")?.to_owned(),
            signature: opt_arg(p.signature, "signature")?.map(str::to_owned),
            client_id: opt_arg(p.client_id, "client_id")?.map(str::to_owned),
            client_secret: opt_arg(p.client_secret, "client_secret")?.map(str::to_owned),
            timeout: (p.timeout_ms > 0).then(|| Duration::from_millis(u64::from(p.timeout_ms))),
        })
    }
}

/// Creates a client and its dispatcher thread. Free it with `rtms_client_free`.
///
/// # Safety
/// `out` points to writable storage for one pointer; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_new(out: *mut *mut rtms_client_t, err: *mut *mut rtms_error_t) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe {
        call(err, || {
            if out.is_null() {
                return Err(FfiError::null("out"));
            }
            let client = Client::new();
            let dispatcher = Dispatcher::start(client.events())?;
            let handle = rtms_client_t { client, dispatcher: Mutex::new(Some(dispatcher)), join_cancel: Mutex::new(None) };
            out.write(Box::into_raw(Box::new(handle)));
            Ok(())
        })
    }
}

/// Frees a client: cancels a join in progress, leaves if joined (bounded wait), delivers the
/// queued events (the leave included), stops the dispatcher thread and calls
/// `free_user_data`. NULL is ignored. May be called from inside a callback.
///
/// # Safety
/// `c` is NULL or a live handle; no other call on it may be in progress or follow.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_free(c: *mut rtms_client_t) {
    crate::guard((), || {
        if c.is_null() {
            return;
        }
        // SAFETY: a live handle from `rtms_client_new`, freed once.
        let handle = unsafe { Box::from_raw(c) };
        if let Some(cancel) = handle.join_cancel.lock().unwrap_or_else(|p| p.into_inner()).take() {
            cancel.send_replace(true);
        }
        if handle.client.is_joined() {
            let _ = crate::runtime::block_on(handle.client.leave());
        }
        let dispatcher = handle.dispatcher.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(d) = dispatcher {
            d.stop();
        }
    })
}

/// Sets (or, with NULL, removes) the callbacks; the previous `user_data` is freed. Set them
/// before joining. Refused from inside a callback.
///
/// # Safety
/// `c` is a live client; `callbacks` is NULL or a valid struct whose functions and
/// `user_data` may be used from another thread until replaced or freed.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_set_callbacks(
    c: *const rtms_client_t,
    callbacks: *const rtms_callbacks_t,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe {
        call(err, || {
            let c = client_ref(c)?;
            let vtable = callbacks.as_ref().map(|cb| Vtable(*cb));
            let guard = c.dispatcher.lock().unwrap_or_else(|p| p.into_inner());
            match guard.as_ref() {
                Some(d) => d.set(vtable),
                None => Err(FfiError::new(crate::error::RTMS_ERR_INVALID_STATUS, "client is being freed")),
            }
        })
    }
}

/// # Safety
/// `types` points to `count` values, or `count` is 0.
unsafe fn event_types<'a>(types: *const i32, count: usize) -> Result<&'a [i32], FfiError> {
    if count == 0 {
        return Ok(&[]);
    }
    if types.is_null() {
        return Err(FfiError::null("types"));
    }
    // SAFETY: `count` readable values per the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(types, count) })
}

/// Subscribes to meeting event types (`event_type` values). Before joining they are sent
/// right after the join; once joined at once. Safe inside a callback.
///
/// # Safety
/// `c` is a live client; `types` points to `count` values; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_subscribe_events(
    c: *const rtms_client_t,
    types: *const i32,
    count: usize,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe { call(err, || Ok(client_ref(c)?.client.subscribe_events(event_types(types, count)?)?)) }
}

/// Unsubscribes from meeting event types. Safe inside a callback.
///
/// # Safety
/// As `rtms_client_subscribe_events`.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_unsubscribe_events(
    c: *const rtms_client_t,
    types: *const i32,
    count: usize,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe { call(err, || Ok(client_ref(c)?.client.unsubscribe_events(event_types(types, count)?)?)) }
}

/// Chooses split (`RTMS_LAYOUT_SPLIT`, default) or combined media connections.
///
/// # Safety
/// `c` is a live client; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_set_media_layout(c: *const rtms_client_t, layout: i32, err: *mut *mut rtms_error_t) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe {
        call(err, || {
            let layout = match layout {
                RTMS_LAYOUT_SPLIT => MediaLayout::Split,
                RTMS_LAYOUT_COMBINED => MediaLayout::Combined,
                other => return Err(FfiError::invalid(format!("unknown media layout {other}"))),
            };
            client_ref(c)?.client.set_media_layout(layout);
            Ok(())
        })
    }
}

/// Trusts an extra CA file (PEM) for `wss://`.
///
/// # Safety
/// `c` is a live client; `path` is a NUL-terminated string; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_set_ca_file(c: *const rtms_client_t, path: *const c_char, err: *mut *mut rtms_error_t) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe {
        call(err, || {
            client_ref(c)?.client.set_ca_file(arg(path, "path")?);
            Ok(())
        })
    }
}

/// Routes connections through an HTTP proxy (`http://host:port`).
///
/// # Safety
/// `c` is a live client; `url` is a NUL-terminated string; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_set_proxy(c: *const rtms_client_t, url: *const c_char, err: *mut *mut rtms_error_t) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe { call(err, || Ok(client_ref(c)?.client.set_proxy(arg(url, "url")?)?)) }
}

/// Joins a stream and blocks until joined, refused, timed out or cancelled
/// (`rtms_client_cancel_join` from another thread: `RTMS_ERR_CANCELLED`, and a join that
/// completes anyway is left at once). Events start flowing to the callbacks.
///
/// # Safety
/// `c` is a live client; `params` points to a valid struct; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_join(
    c: *const rtms_client_t,
    params: *const rtms_join_params_t,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe { call(err, || join(client_ref(c)?, join_params(params)?)) }
}

fn join(c: &rtms_client_t, params: JoinParams) -> Result<(), FfiError> {
    let (cancel, mut cancelled) = watch::channel(false);
    *c.join_cancel.lock().unwrap_or_else(|p| p.into_inner()) = Some(cancel);
    let client = c.client.clone();
    let seen = cancelled.clone();
    let handle = crate::runtime::handle()?;
    let task = handle.spawn(async move {
        let result = client.join(params).await;
        if result.is_ok() && *seen.borrow() {
            let _ = client.leave().await;
        }
        result
    });
    let outcome = handle.block_on(async move {
        tokio::select! {
            biased;
            r = task => Some(r),
            _ = cancelled.wait_for(|c| *c) => None,
        }
    });
    c.join_cancel.lock().unwrap_or_else(|p| p.into_inner()).take();
    match outcome {
        Some(Ok(Ok(_))) => Ok(()),
        Some(Ok(Err(e))) => Err(e.into()),
        Some(Err(e)) => Err(FfiError::new(RTMS_ERR_PANIC, format!("join task failed: {e}"))),
        None => Err(FfiError::new(RTMS_ERR_CANCELLED, "join cancelled")),
    }
}

/// Cancels a join in progress on another thread (no effect otherwise). Returns true if a join
/// was in progress.
///
/// # Safety
/// `c` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_cancel_join(c: *const rtms_client_t) -> bool {
    crate::guard(false, || {
        // SAFETY: forwarded from the caller's contract.
        let Ok(c) = (unsafe { client_ref(c) }) else { return false };
        let cancel = c.join_cancel.lock().unwrap_or_else(|p| p.into_inner()).take();
        cancel.map(|tx| tx.send_replace(true)).is_some()
    })
}

/// Leaves the stream and blocks until the leave was delivered (bounded by the close timeout).
/// `RTMS_ERR_INVALID_STATUS` when not joined. Do not call it from a callback; use
/// `rtms_client_request_leave` there.
///
/// # Safety
/// `c` is a live client; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_leave(c: *const rtms_client_t, err: *mut *mut rtms_error_t) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe {
        call(err, || {
            let c = client_ref(c)?;
            Ok(crate::runtime::block_on(c.client.leave())??)
        })
    }
}

/// Asks to leave without waiting (safe inside a callback); `on_leave` follows. Returns true
/// if a stream was joined.
///
/// # Safety
/// `c` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_request_leave(c: *const rtms_client_t) -> bool {
    crate::guard(false, || {
        // SAFETY: forwarded from the caller's contract.
        unsafe { client_ref(c) }.is_ok_and(|c| c.client.request_leave())
    })
}

/// True while a stream is joined.
///
/// # Safety
/// `c` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_is_joined(c: *const rtms_client_t) -> bool {
    crate::guard(false, || {
        // SAFETY: forwarded from the caller's contract.
        unsafe { client_ref(c) }.is_ok_and(|c| c.client.is_joined())
    })
}

/// Subscribes to (or stops) one participant's video; the answer arrives in
/// `on_video_subscribed`. Needs a joined client.
///
/// # Safety
/// `c` is a live client; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_subscribe_video(
    c: *const rtms_client_t,
    user_id: i64,
    subscribe: bool,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe { call(err, || Ok(client_ref(c)?.client.subscribe_video(user_id, subscribe)?)) }
}

/// Asks for the stream state; the answer arrives in `on_state_response`.
///
/// # Safety
/// `c` is a live client; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_request_stream_state(c: *const rtms_client_t, err: *mut *mut rtms_error_t) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe { call(err, || Ok(client_ref(c)?.client.request_stream_state()?)) }
}
