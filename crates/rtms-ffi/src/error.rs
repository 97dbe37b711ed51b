//! Error codes, the `rtms_error_t` out-parameter and the per-thread last error.
//!
//! The codes are `rtms_core::ErrorKind::code()` (the official `RTMS_SDK_*` values first, then
//! ranges by origin), plus this crate's own 900s.

use std::cell::RefCell;
use std::ffi::{c_char, CString};

use rtms_core::{Error, ErrorKind};

use crate::strings::c_string;

/// A status code: `RTMS_OK` (0) or one of the `RTMS_ERR_*` values.
pub type rtms_code_t = i32;

/// Success.
pub const RTMS_OK: rtms_code_t = 0;
/// Anything without a better code (`RTMS_SDK_FAILURE`).
pub const RTMS_ERR_FAILURE: rtms_code_t = -1;
/// An operation did not finish in time (`RTMS_SDK_TIMEOUT`).
pub const RTMS_ERR_TIMEOUT: rtms_code_t = 1;
/// Not joined, already joined, or a join in progress (`RTMS_SDK_INVALID_STATUS`).
pub const RTMS_ERR_INVALID_STATUS: rtms_code_t = 4;
/// A bad argument: NULL, not UTF-8, invalid ids, URLs or media params (`RTMS_SDK_INVALID_ARGS`).
pub const RTMS_ERR_INVALID_ARGS: rtms_code_t = 5;
/// Could not connect (DNS, TCP, TLS, proxy, WebSocket upgrade).
pub const RTMS_ERR_CONNECT: rtms_code_t = 101;
/// An established connection was lost.
pub const RTMS_ERR_CONNECTION_LOST: rtms_code_t = 102;
/// TLS configuration or certificate problem.
pub const RTMS_ERR_TLS: rtms_code_t = 103;
/// The server broke the protocol.
pub const RTMS_ERR_PROTOCOL: rtms_code_t = 201;
/// A handshake was refused; `rtms_error_t.status` holds Zoom's status code.
pub const RTMS_ERR_HANDSHAKE_REFUSED: rtms_code_t = 301;
/// Missing client id or secret.
pub const RTMS_ERR_MISSING_CREDENTIALS: rtms_code_t = 302;
/// A webhook failed verification (bad signature, stale timestamp).
pub const RTMS_ERR_WEBHOOK_REJECTED: rtms_code_t = 401;
/// A webhook body was not acceptable JSON.
pub const RTMS_ERR_WEBHOOK_BAD_REQUEST: rtms_code_t = 402;
/// An I/O error outside a connection.
pub const RTMS_ERR_IO: rtms_code_t = 501;
/// The call was cancelled (`rtms_client_cancel_join`).
pub const RTMS_ERR_CANCELLED: rtms_code_t = 901;
/// A bug: a panic inside rtms was caught at the boundary.
pub const RTMS_ERR_PANIC: rtms_code_t = 902;

/// An error: a code, Zoom's handshake status (`RTMS_ERR_HANDSHAKE_REFUSED` only, else 0)
/// and a message. Returned through `rtms_error_t **err` out-parameters; free it with
/// `rtms_error_free`.
#[repr(C)]
pub struct rtms_error_t {
    /// An `RTMS_ERR_*` code.
    pub code: rtms_code_t,
    /// Zoom's `status_code` for a refused handshake, else 0.
    pub status: i64,
    /// A UTF-8 message for humans; owned by the error.
    pub message: *mut c_char,
}

/// The Rust side of an error before it crosses the boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FfiError {
    pub code: rtms_code_t,
    pub status: i64,
    pub message: String,
}

impl FfiError {
    pub fn new(code: rtms_code_t, message: impl Into<String>) -> FfiError {
        FfiError { code, status: 0, message: message.into() }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> FfiError {
        FfiError::new(RTMS_ERR_INVALID_ARGS, message)
    }

    pub(crate) fn null(name: &str) -> FfiError {
        FfiError::invalid(format!("`{name}` must not be NULL"))
    }
}

impl From<Error> for FfiError {
    fn from(e: Error) -> FfiError {
        FfiError { code: e.code(), status: e.status().unwrap_or(0), message: e.message().to_owned() }
    }
}

impl From<&Error> for FfiError {
    fn from(e: &Error) -> FfiError {
        FfiError::from(e.clone())
    }
}

/// An owned `rtms_error_t` for `e` (free with `rtms_error_free`).
pub(crate) fn new_error(e: &FfiError) -> *mut rtms_error_t {
    Box::into_raw(Box::new(rtms_error_t { code: e.code, status: e.status, message: c_string(&e.message).into_raw() }))
}

/// Writes the out-parameter: a new error, or NULL on success.
///
/// # Safety
/// `err` is NULL or points to writable storage for one pointer.
pub(crate) unsafe fn write_error(err: *mut *mut rtms_error_t, e: Option<&FfiError>) {
    if err.is_null() {
        return;
    }
    let value = e.map_or(std::ptr::null_mut(), new_error);
    // SAFETY: non-NULL and writable per the caller's contract.
    unsafe { err.write(value) };
}

thread_local! {
    static LAST: RefCell<Option<(rtms_code_t, CString)>> = const { RefCell::new(None) };
}

pub(crate) fn set_last_error(e: &FfiError) {
    let _ = LAST.try_with(|last| *last.borrow_mut() = Some((e.code, c_string(&e.message))));
}

/// Frees an error. NULL is ignored.
///
/// # Safety
/// `err` is NULL or an error returned by this library, not freed before.
#[no_mangle]
pub unsafe extern "C" fn rtms_error_free(err: *mut rtms_error_t) {
    crate::guard((), || {
        if err.is_null() {
            return;
        }
        // SAFETY: it came from `Box::into_raw` in `new_error`.
        let boxed = unsafe { Box::from_raw(err) };
        if !boxed.message.is_null() {
            // SAFETY: it came from `CString::into_raw` in `new_error`.
            drop(unsafe { CString::from_raw(boxed.message) });
        }
    })
}

/// The code of the last failure on this thread (`RTMS_OK` if none). Like `errno`, it is only
/// meaningful right after a call failed; successful calls do not reset it.
#[no_mangle]
pub extern "C" fn rtms_last_error_code() -> rtms_code_t {
    crate::guard(RTMS_ERR_PANIC, || LAST.try_with(|l| l.borrow().as_ref().map_or(RTMS_OK, |(c, _)| *c)).unwrap_or(RTMS_OK))
}

/// The message of the last failure on this thread, or NULL if none. Owned by the library and
/// valid until the next failing call on this thread: copy it, don't free it.
#[no_mangle]
pub extern "C" fn rtms_last_error_message() -> *const c_char {
    crate::guard(std::ptr::null(), || {
        LAST.try_with(|l| l.borrow().as_ref().map_or(std::ptr::null(), |(_, m)| m.as_ptr())).unwrap_or(std::ptr::null())
    })
}

/// Forgets this thread's last error.
#[no_mangle]
pub extern "C" fn rtms_last_error_clear() {
    crate::guard((), || {
        let _ = LAST.try_with(|l| l.borrow_mut().take());
    })
}

/// Every code this library can return, with its stable name.
pub const CODES: &[(rtms_code_t, &str)] = &[
    (RTMS_OK, "OK"),
    (RTMS_ERR_FAILURE, "FAILURE"),
    (RTMS_ERR_TIMEOUT, "TIMEOUT"),
    (RTMS_ERR_INVALID_STATUS, "INVALID_STATUS"),
    (RTMS_ERR_INVALID_ARGS, "INVALID_ARGS"),
    (RTMS_ERR_CONNECT, "CONNECT"),
    (RTMS_ERR_CONNECTION_LOST, "CONNECTION_LOST"),
    (RTMS_ERR_TLS, "TLS"),
    (RTMS_ERR_PROTOCOL, "PROTOCOL"),
    (RTMS_ERR_HANDSHAKE_REFUSED, "HANDSHAKE_REFUSED"),
    (RTMS_ERR_MISSING_CREDENTIALS, "MISSING_CREDENTIALS"),
    (RTMS_ERR_WEBHOOK_REJECTED, "WEBHOOK_REJECTED"),
    (RTMS_ERR_WEBHOOK_BAD_REQUEST, "WEBHOOK_BAD_REQUEST"),
    (RTMS_ERR_IO, "IO"),
    (RTMS_ERR_CANCELLED, "CANCELLED"),
    (RTMS_ERR_PANIC, "PANIC"),
];

/// The stable name of a code (`"TIMEOUT"`), or `"UNKNOWN"`; a static string, do not free.
#[no_mangle]
pub extern "C" fn rtms_code_name(code: rtms_code_t) -> *const c_char {
    const NAMES: &[&str] = &[
        "OK\0",
        "FAILURE\0",
        "TIMEOUT\0",
        "INVALID_STATUS\0",
        "INVALID_ARGS\0",
        "CONNECT\0",
        "CONNECTION_LOST\0",
        "TLS\0",
        "PROTOCOL\0",
        "HANDSHAKE_REFUSED\0",
        "MISSING_CREDENTIALS\0",
        "WEBHOOK_REJECTED\0",
        "WEBHOOK_BAD_REQUEST\0",
        "IO\0",
        "CANCELLED\0",
        "PANIC\0",
    ];
    let i = CODES.iter().position(|(c, _)| *c == code);
    i.map_or("UNKNOWN\0", |i| NAMES[i]).as_ptr().cast()
}

/// The code a core error kind crosses the boundary with.
pub fn code_of(kind: ErrorKind) -> rtms_code_t {
    kind.code()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn every_core_kind_has_a_named_code() {
        for kind in ErrorKind::ALL {
            let name = CODES.iter().find(|(c, _)| *c == code_of(*kind)).map(|(_, n)| *n);
            assert_eq!(name, Some(kind.name()), "{kind:?} has no RTMS_ERR_* constant of the same name");
        }
    }

    #[test]
    fn names_match_the_table() {
        for (code, name) in CODES {
            // SAFETY: a static NUL-terminated string.
            let got = unsafe { CStr::from_ptr(rtms_code_name(*code)) };
            assert_eq!(got.to_string_lossy(), *name);
        }
    }

    #[test]
    fn out_param_and_last_error() {
        let mut err: *mut rtms_error_t = std::ptr::null_mut();
        // SAFETY: `err` is a valid out-parameter.
        let code = unsafe { crate::guard::call(&mut err, || Err(FfiError::new(RTMS_ERR_TIMEOUT, "slow\0ly"))) };
        assert_eq!(code, RTMS_ERR_TIMEOUT);
        // SAFETY: `err` was just written by the library.
        let message = unsafe { CStr::from_ptr((*err).message) }.to_string_lossy().into_owned();
        assert_eq!(message, "slow\u{FFFD}ly");
        assert_eq!(rtms_last_error_code(), RTMS_ERR_TIMEOUT);
        // SAFETY: freeing what the library allocated.
        unsafe { rtms_error_free(err) };
        // SAFETY: `err` is a valid out-parameter.
        // The panic under test: `call` must turn it into RTMS_ERR_PANIC, not unwind into C.
        let code = unsafe { crate::guard::call(&mut err, || std::panic::panic_any("boom")) };
        assert_eq!(code, RTMS_ERR_PANIC);
        // SAFETY: written by the library.
        unsafe { rtms_error_free(err) };
        rtms_last_error_clear();
        assert!(rtms_last_error_message().is_null());
    }
}
