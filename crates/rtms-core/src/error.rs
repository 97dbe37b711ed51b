//! One error type for the whole SDK, with stable numeric codes a binding can map.

use std::fmt;

/// What went wrong, with a stable number ([`ErrorKind::code`]) that bindings expose.
///
/// The official SDK's `RTMS_SDK_*` values keep their numbers (`TIMEOUT = 1`,
/// `INVALID_ARGS = 5`, ...); our own kinds use ranges by origin: 100s transport,
/// 200s protocol, 300s handshake/auth, 400s webhook.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Anything without a better kind (`RTMS_SDK_FAILURE`).
    Failure,
    /// An operation did not finish in time (`RTMS_SDK_TIMEOUT`).
    Timeout,
    /// The client is not joined, or already joined (`RTMS_SDK_INVALID_STATUS`).
    InvalidState,
    /// A bad argument: ids, URLs, params (`RTMS_SDK_INVALID_ARGS`).
    InvalidArgument,
    /// Could not connect (DNS, TCP, TLS, proxy, WebSocket upgrade).
    Connect,
    /// An established connection was lost.
    ConnectionLost,
    /// TLS configuration or certificate problem.
    Tls,
    /// The peer broke the protocol (e.g. a handshake response without `status_code`).
    Protocol,
    /// A signaling or data handshake was refused; [`Error::status`] holds Zoom's status code.
    HandshakeRefused,
    /// Missing client id or secret.
    MissingCredentials,
    /// A webhook failed verification (bad signature, stale timestamp).
    WebhookRejected,
    /// A webhook body was not acceptable JSON.
    WebhookBadRequest,
    /// An I/O error outside a connection (binding a port, writing a file).
    Io,
}

impl ErrorKind {
    /// The stable numeric code.
    pub fn code(self) -> i32 {
        match self {
            ErrorKind::Failure => -1,
            ErrorKind::Timeout => 1,
            ErrorKind::InvalidState => 4,
            ErrorKind::InvalidArgument => 5,
            ErrorKind::Connect => 101,
            ErrorKind::ConnectionLost => 102,
            ErrorKind::Tls => 103,
            ErrorKind::Protocol => 201,
            ErrorKind::HandshakeRefused => 301,
            ErrorKind::MissingCredentials => 302,
            ErrorKind::WebhookRejected => 401,
            ErrorKind::WebhookBadRequest => 402,
            ErrorKind::Io => 501,
        }
    }

    /// The stable name (`"TIMEOUT"`, `"HANDSHAKE_REFUSED"`, ...), used as `code` in JS errors.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Failure => "FAILURE",
            ErrorKind::Timeout => "TIMEOUT",
            ErrorKind::InvalidState => "INVALID_STATUS",
            ErrorKind::InvalidArgument => "INVALID_ARGS",
            ErrorKind::Connect => "CONNECT",
            ErrorKind::ConnectionLost => "CONNECTION_LOST",
            ErrorKind::Tls => "TLS",
            ErrorKind::Protocol => "PROTOCOL",
            ErrorKind::HandshakeRefused => "HANDSHAKE_REFUSED",
            ErrorKind::MissingCredentials => "MISSING_CREDENTIALS",
            ErrorKind::WebhookRejected => "WEBHOOK_REJECTED",
            ErrorKind::WebhookBadRequest => "WEBHOOK_BAD_REQUEST",
            ErrorKind::Io => "IO",
        }
    }

    /// Every kind, for bindings' coverage tests.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::Failure,
        ErrorKind::Timeout,
        ErrorKind::InvalidState,
        ErrorKind::InvalidArgument,
        ErrorKind::Connect,
        ErrorKind::ConnectionLost,
        ErrorKind::Tls,
        ErrorKind::Protocol,
        ErrorKind::HandshakeRefused,
        ErrorKind::MissingCredentials,
        ErrorKind::WebhookRejected,
        ErrorKind::WebhookBadRequest,
        ErrorKind::Io,
    ];
}

/// An rtms error: a kind, a message for humans, and for refused handshakes Zoom's status code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    status: Option<i64>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into(), status: None }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    pub fn protocol(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Protocol, message)
    }

    /// A refused handshake with Zoom's `status_code` and `reason`.
    pub fn refused(what: &str, status: i64, reason: &str) -> Error {
        let name = crate::protocol::StatusCode::from_i32(status as i32).map(|s| s.name()).unwrap_or("unknown status");
        let mut message = format!("{what} refused with status {status} ({name})");
        if !reason.is_empty() {
            message.push_str(": ");
            message.push_str(reason);
        }
        Error { kind: ErrorKind::HandshakeRefused, message, status: Some(status) }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable numeric code of the kind.
    pub fn code(&self) -> i32 {
        self.kind.code()
    }

    /// Zoom's `status_code` for [`ErrorKind::HandshakeRefused`].
    pub fn status(&self) -> Option<i64> {
        self.status
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// The number the official SDK passes to `onJoinConfirm` for this failure: the server's
    /// status code for a refusal, `1` for a timeout, `6` for a malformed response, else `-1`.
    pub fn join_code(&self) -> i64 {
        match self.kind {
            ErrorKind::HandshakeRefused => self.status.unwrap_or(-1),
            ErrorKind::Timeout => 1,
            ErrorKind::Protocol => 6,
            ErrorKind::InvalidArgument | ErrorKind::MissingCredentials => 5,
            _ => -1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::new(ErrorKind::Io, e.to_string())
    }
}

impl From<crate::protocol::DecodeError> for Error {
    fn from(e: crate::protocol::DecodeError) -> Error {
        Error::protocol(e.to_string())
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_official_ones_kept() {
        let mut codes: Vec<i32> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ErrorKind::ALL.len());
        assert_eq!(ErrorKind::Timeout.code(), 1);
        assert_eq!(ErrorKind::InvalidArgument.code(), 5);
    }

    #[test]
    fn refused_names_the_status() {
        let e = Error::refused("signaling handshake", 3, "bad signature");
        assert_eq!(e.status(), Some(3));
        assert_eq!(e.join_code(), 3);
        assert!(e.to_string().contains("STATUS_INVALID_SIGNATURE"), "{e}");
    }
}
