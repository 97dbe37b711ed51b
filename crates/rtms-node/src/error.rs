//! The one place core errors become JS errors: `Error` with `code` = the core's stable kind
//! name (`"TIMEOUT"`, `"INVALID_ARGS"`, ...). `bindings/node/index.js` rewraps them as
//! `RtmsError` (adding `rawCode` and `status`) so that `instanceof` works.

use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Results of functions exported to JS.
pub type JsResult<T> = Result<T>;

/// Throws a JS `Error` for a core error (`code` = the kind name, `message` = the core's text)
/// and returns the napi error that tells napi the exception is already pending.
pub fn to_js(env: &Env, err: &rtms_core::Error) -> Error {
    match env.throw_error(err.message(), Some(err.kind().name())) {
        Ok(()) => Error::from_status(Status::PendingException),
        // Could not throw (the environment is going away): napi throws a generic error.
        Err(_) => Error::new(Status::GenericFailure, format!("{}: {}", err.kind().name(), err.message())),
    }
}

/// A core error described for the JS layer (promises resolve to this instead of rejecting, so
/// the code survives the crossing).
#[napi(object)]
pub struct ErrorInfo {
    /// The stable name (`ErrorKind::name`).
    pub code: String,
    /// The stable number (`ErrorKind::code`).
    pub raw_code: i32,
    pub message: String,
    /// Zoom's status code for a refused handshake.
    pub status: Option<i64>,
}

impl From<&rtms_core::Error> for ErrorInfo {
    fn from(e: &rtms_core::Error) -> Self {
        ErrorInfo { code: e.kind().name().to_owned(), raw_code: e.code(), message: e.message().to_owned(), status: e.status() }
    }
}

/// Every error kind as `{code, rawCode}`, so the JS side can check its mapping covers them all.
#[napi]
pub fn error_kinds() -> Vec<ErrorInfo> {
    rtms_core::ErrorKind::ALL
        .iter()
        .map(|k| ErrorInfo { code: k.name().to_owned(), raw_code: k.code(), message: String::new(), status: None })
        .collect()
}

/// A generic failure for problems outside the core.
pub fn failure(message: impl Into<String>) -> rtms_core::Error {
    rtms_core::Error::new(rtms_core::ErrorKind::Failure, message)
}
