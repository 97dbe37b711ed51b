//! C strings in and out.

use std::borrow::Cow;
use std::ffi::{c_char, CStr, CString};

use crate::error::{FfiError, RTMS_ERR_INVALID_ARGS};

/// A required UTF-8 argument.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn arg<'a>(p: *const c_char, name: &str) -> Result<&'a str, FfiError> {
    // SAFETY: forwarded from the caller's contract.
    unsafe { opt_arg(p, name) }?.ok_or_else(|| FfiError::new(RTMS_ERR_INVALID_ARGS, format!("`{name}` must not be NULL")))
}

/// An optional UTF-8 argument (NULL is `None`).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn opt_arg<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>, FfiError> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str().map(Some).map_err(|_| FfiError::new(RTMS_ERR_INVALID_ARGS, format!("`{name}` is not valid UTF-8")))
}

/// Bytes from a pointer and a length (NULL is allowed when `len` is 0).
///
/// # Safety
/// `p` points to `len` readable bytes valid for `'a`, or `len` is 0.
pub(crate) unsafe fn bytes<'a>(p: *const u8, len: usize, name: &str) -> Result<&'a [u8], FfiError> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(FfiError::new(RTMS_ERR_INVALID_ARGS, format!("`{name}` is NULL but its length is {len}")));
    }
    // SAFETY: `len` readable bytes per the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// A C string for text that may contain NUL bytes (they become U+FFFD).
pub(crate) fn c_string(s: &str) -> CString {
    let clean: Cow<'_, str> = if s.contains('\0') { Cow::Owned(s.replace('\0', "\u{FFFD}")) } else { Cow::Borrowed(s) };
    CString::new(clean.into_owned()).unwrap_or_default()
}

/// A string handed to the caller, freed with `rtms_string_free`.
pub(crate) fn to_owned_c(s: &str) -> *mut c_char {
    c_string(s).into_raw()
}

/// Frees a string returned by this library. NULL is ignored.
///
/// # Safety
/// `s` is NULL or a string returned by an rtms function, not freed before.
#[no_mangle]
pub unsafe extern "C" fn rtms_string_free(s: *mut c_char) {
    crate::guard((), || {
        if !s.is_null() {
            // SAFETY: it came from `CString::into_raw` in this library.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}
