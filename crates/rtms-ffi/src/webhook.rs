//! Webhooks and signatures: the join signature, URL validation, `x-zm-signature`
//! verification and the whole answer to a webhook request, all decided by rtms-core.

use std::ffi::c_char;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rtms_core::webhook::{answer, Answer, RtmsEventKind, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use rtms_core::{signature, Product};

use crate::client::{RTMS_PRODUCT_CONTACT_CENTER, RTMS_PRODUCT_MEETING, RTMS_PRODUCT_SESSION, RTMS_PRODUCT_WEBINAR};
use crate::error::{rtms_code_t, rtms_error_t, set_last_error, FfiError};
use crate::guard::call;
use crate::strings::{arg, bytes, opt_arg, to_owned_c};

/// Default accepted clock skew for `x-zm-request-timestamp`, in seconds.
pub const RTMS_WEBHOOK_MAX_SKEW_S: u32 = 300;

/// The event is `*.rtms_started`.
pub const RTMS_WEBHOOK_STARTED: i32 = 1;
/// The event is `*.rtms_stopped`.
pub const RTMS_WEBHOOK_STOPPED: i32 = 2;
/// The event is `*.rtms_interrupted`.
pub const RTMS_WEBHOOK_INTERRUPTED: i32 = 3;

/// How to answer one webhook request (`rtms_webhook_answer`). Strings are owned by the
/// struct: release them with `rtms_webhook_answer_free`.
#[repr(C)]
pub struct rtms_webhook_answer_t {
    /// HTTP status to answer with.
    pub status: u16,
    /// JSON body to answer with (for a delivered event: once it is handled).
    pub body: *mut c_char,
    /// True when the request carries an event for the application (the fields below are set).
    pub deliver: bool,
    /// The event name (`meeting.rtms_started`, ...).
    pub event: *mut c_char,
    /// The normalised payload, as JSON (`payload.object` fields lifted to the top).
    pub payload_json: *mut c_char,
    /// 0, or an `RTMS_WEBHOOK_STARTED/STOPPED/INTERRUPTED` for RTMS stream events.
    pub rtms_kind: i32,
    /// For RTMS stream events: an `RTMS_PRODUCT_*` value, the ids and URLs to join with
    /// (NULL otherwise), and the stop reason (-1 when absent).
    pub product: i32,
    pub instance_id: *mut c_char,
    pub stream_id: *mut c_char,
    pub server_urls: *mut c_char,
    pub stop_reason: i32,
}

fn now_s() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A string result, or NULL with the thread's last error set.
fn string_result(f: impl FnOnce() -> Result<String, FfiError>) -> *mut c_char {
    crate::guard(std::ptr::null_mut(), || match f() {
        Ok(s) => to_owned_c(&s),
        Err(e) => {
            set_last_error(&e);
            std::ptr::null_mut()
        }
    })
}

/// The join signature `hex(HMAC-SHA256(secret, "client_id,instance_id,stream_id"))`. Free
/// with `rtms_string_free`; NULL on a bad argument (see `rtms_last_error_message`).
///
/// # Safety
/// Every argument is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn rtms_generate_signature(
    client_id: *const c_char,
    client_secret: *const c_char,
    instance_id: *const c_char,
    stream_id: *const c_char,
) -> *mut c_char {
    string_result(|| {
        // SAFETY: forwarded from the caller's contract.
        let (id, secret, instance, stream) = unsafe {
            (
                arg(client_id, "client_id")?,
                arg(client_secret, "client_secret")?,
                arg(instance_id, "instance_id")?,
                arg(stream_id, "stream_id")?,
            )
        };
        Ok(signature::generate_signature(id, secret, instance, stream))
    })
}

/// The `encryptedToken` answering `endpoint.url_validation`. Free with `rtms_string_free`.
///
/// # Safety
/// Both arguments are NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn rtms_url_validation_token(webhook_secret: *const c_char, plain_token: *const c_char) -> *mut c_char {
    string_result(|| {
        // SAFETY: forwarded from the caller's contract.
        let (secret, token) = unsafe { (arg(webhook_secret, "webhook_secret")?, arg(plain_token, "plain_token")?) };
        Ok(signature::url_validation_token(secret, token))
    })
}

/// The `x-zm-signature` value for a raw body (`v0=<hex>`), as Zoom computes it. Free with
/// `rtms_string_free`.
///
/// # Safety
/// Strings are NUL-terminated; `body` points to `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn rtms_webhook_signature(
    webhook_secret: *const c_char,
    timestamp: *const c_char,
    body: *const u8,
    len: usize,
) -> *mut c_char {
    string_result(|| {
        // SAFETY: forwarded from the caller's contract.
        let (secret, ts, body) =
            unsafe { (arg(webhook_secret, "webhook_secret")?, arg(timestamp, "timestamp")?, bytes(body, len, "body")?) };
        Ok(signature::webhook_signature(secret, ts, body))
    })
}

/// # Safety
/// `timestamp` and `signature` are NULL or NUL-terminated.
unsafe fn headers(timestamp: *const c_char, signature: *const c_char) -> Result<http::HeaderMap, FfiError> {
    let mut map = http::HeaderMap::new();
    // SAFETY: forwarded from the caller's contract.
    let pairs = unsafe { [(TIMESTAMP_HEADER, opt_arg(timestamp, "timestamp")?), (SIGNATURE_HEADER, opt_arg(signature, "signature")?)] };
    for (name, value) in pairs {
        if let Some(v) = value {
            let v = http::HeaderValue::from_str(v).map_err(|_| FfiError::invalid(format!("{name} is not a valid header value")))?;
            map.insert(name, v);
        }
    }
    Ok(map)
}

/// Verifies `x-zm-signature` (`signature`) and `x-zm-request-timestamp` (`timestamp`) over the
/// raw body: `RTMS_OK`, or `RTMS_ERR_WEBHOOK_REJECTED` saying why. `now_unix_s` 0 means now;
/// `max_skew_s` 0 means `RTMS_WEBHOOK_MAX_SKEW_S`.
///
/// # Safety
/// Strings are NUL-terminated; `body` points to `len` bytes; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_webhook_verify(
    webhook_secret: *const c_char,
    timestamp: *const c_char,
    signature: *const c_char,
    body: *const u8,
    len: usize,
    now_unix_s: u64,
    max_skew_s: u32,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe {
        call(err, || {
            let secret = arg(webhook_secret, "webhook_secret")?;
            let headers = headers(timestamp, signature)?;
            let body = bytes(body, len, "body")?;
            let now = if now_unix_s == 0 { now_s() } else { now_unix_s };
            let skew = Duration::from_secs(u64::from(if max_skew_s == 0 { RTMS_WEBHOOK_MAX_SKEW_S } else { max_skew_s }));
            Ok(rtms_core::webhook::verify_request(secret, &headers, body, now, skew)?)
        })
    }
}

fn product_code(p: Product) -> i32 {
    match p {
        Product::Meeting => RTMS_PRODUCT_MEETING,
        Product::Webinar => RTMS_PRODUCT_WEBINAR,
        Product::Session => RTMS_PRODUCT_SESSION,
        Product::ContactCenter => RTMS_PRODUCT_CONTACT_CENTER,
    }
}

fn fill(out: &mut rtms_webhook_answer_t, a: Answer) {
    match a {
        Answer::Respond { status, body } => {
            out.status = status;
            out.body = to_owned_c(&body);
        }
        Answer::Deliver(event) => {
            out.status = 200;
            out.body = to_owned_c(r#"{"status":"ok"}"#);
            out.deliver = true;
            out.event = to_owned_c(&event.event);
            out.payload_json = to_owned_c(&event.payload.to_string());
            if let (Some((_, kind)), Some(stream)) = (event.rtms_kind(), event.join_params()) {
                out.rtms_kind = match kind {
                    RtmsEventKind::Started => RTMS_WEBHOOK_STARTED,
                    RtmsEventKind::Stopped => RTMS_WEBHOOK_STOPPED,
                    RtmsEventKind::Interrupted => RTMS_WEBHOOK_INTERRUPTED,
                };
                out.product = product_code(stream.product);
                out.instance_id = to_owned_c(&stream.instance_id);
                out.stream_id = to_owned_c(&stream.rtms_stream_id);
                out.server_urls = to_owned_c(&stream.server_urls);
                out.stop_reason = stream.stop_reason.unwrap_or(-1);
            }
        }
    }
}

fn empty_answer() -> rtms_webhook_answer_t {
    rtms_webhook_answer_t {
        status: 0,
        body: std::ptr::null_mut(),
        deliver: false,
        event: std::ptr::null_mut(),
        payload_json: std::ptr::null_mut(),
        rtms_kind: 0,
        product: 0,
        instance_id: std::ptr::null_mut(),
        stream_id: std::ptr::null_mut(),
        server_urls: std::ptr::null_mut(),
        stop_reason: -1,
    }
}

/// Decides how to answer one webhook POST, exactly as the core's receiver does: parse,
/// answer `endpoint.url_validation`, verify the signature when `webhook_secret` is set (NULL:
/// accept unverified events). `timestamp` and `signature` are the `x-zm-request-timestamp` and
/// `x-zm-signature` headers (NULL when absent). The result goes to `*out` (free its strings
/// with `rtms_webhook_answer_free`); the call itself fails only for bad arguments.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `body` points to `len` bytes; `out` is writable;
/// `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_webhook_answer(
    webhook_secret: *const c_char,
    timestamp: *const c_char,
    signature: *const c_char,
    body: *const u8,
    len: usize,
    out: *mut rtms_webhook_answer_t,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe {
        call(err, || {
            let out = out.as_mut().ok_or_else(|| FfiError::null("out"))?;
            let secret = opt_arg(webhook_secret, "webhook_secret")?.filter(|s| !s.is_empty());
            let headers = headers(timestamp, signature)?;
            let body = bytes(body, len, "body")?;
            let mut answer_out = empty_answer();
            fill(&mut answer_out, answer(secret, &headers, body, now_s(), Duration::from_secs(u64::from(RTMS_WEBHOOK_MAX_SKEW_S))));
            *out = answer_out;
            Ok(())
        })
    }
}

/// Frees the strings of an answer and zeroes it. NULL is ignored.
///
/// # Safety
/// `a` is NULL or an answer filled by `rtms_webhook_answer`, not freed before.
#[no_mangle]
pub unsafe extern "C" fn rtms_webhook_answer_free(a: *mut rtms_webhook_answer_t) {
    crate::guard((), || {
        // SAFETY: forwarded from the caller's contract.
        let Some(a) = (unsafe { a.as_mut() }) else { return };
        for s in [a.body, a.event, a.payload_json, a.instance_id, a.stream_id, a.server_urls] {
            // SAFETY: each is NULL or from `to_owned_c`.
            unsafe { crate::strings::rtms_string_free(s) };
        }
        *a = empty_answer();
    })
}
