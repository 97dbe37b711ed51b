//! `catch_unwind` at every entry point: no panic crosses the C boundary.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{set_last_error, FfiError, RTMS_ERR_PANIC};

fn panic_message(payload: &(dyn Any + Send)) -> String {
    let what = payload.downcast_ref::<&str>().copied().or_else(|| payload.downcast_ref::<String>().map(String::as_str));
    format!("internal panic in rtms: {}", what.unwrap_or("(no message)"))
}

/// Runs `f`; if it panics, records `RTMS_ERR_PANIC` as the thread's last error and returns
/// `fallback`.
pub fn guard<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(payload) => {
            set_last_error(&FfiError::new(RTMS_ERR_PANIC, panic_message(payload.as_ref())));
            fallback
        }
    }
}

/// Runs a fallible `f` under [`guard`] and reports its outcome as a code, the optional `err`
/// out-parameter and the thread's last error.
///
/// # Safety
/// `err` is NULL or points to writable storage for one pointer.
pub(crate) unsafe fn call(err: *mut *mut crate::error::rtms_error_t, f: impl FnOnce() -> Result<(), FfiError>) -> i32 {
    let outcome = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => Err(FfiError::new(RTMS_ERR_PANIC, panic_message(payload.as_ref()))),
    };
    match outcome {
        Ok(()) => {
            // SAFETY: forwarded from the caller's contract.
            unsafe { crate::error::write_error(err, None) };
            crate::error::RTMS_OK
        }
        Err(e) => {
            set_last_error(&e);
            // SAFETY: forwarded from the caller's contract.
            unsafe { crate::error::write_error(err, Some(&e)) };
            e.code
        }
    }
}
