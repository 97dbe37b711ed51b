"""Errors raised by rtms: one base class, :class:`RTMSError`, with a stable ``code``.

The codes are rtms-core's (``docs/errors.md``): the official ``RTMS_SDK_*`` values keep their
numbers (``TIMEOUT = 1``, ``INVALID_STATUS = 4``, ``INVALID_ARGS = 5``, ``FAILURE = -1``) and
our own kinds use ranges by origin (1xx transport, 2xx protocol, 3xx handshake/auth,
4xx webhook, 5xx I/O). Subclasses also derive from the matching built-in exception, so
``except TimeoutError`` or ``except ValueError`` keep working.
"""

from __future__ import annotations

import builtins
from typing import Dict, Optional, Type

__all__ = [
    "RTMSError",
    "RTMSException",
    "TimeoutError",
    "InvalidStateError",
    "InvalidArgumentError",
    "ConnectionError",
    "ConnectError",
    "ConnectionLostError",
    "TLSError",
    "ProtocolError",
    "HandshakeRefusedError",
    "MissingCredentialsError",
    "WebhookError",
    "WebhookRejectedError",
    "WebhookBadRequestError",
    "IOError",
]


class RTMSError(Exception):
    """Base class of every rtms error.

    Attributes:
        code: the stable numeric code (``RTMS_SDK_*`` values where the official SDK has one).
        name: the stable code name (``"TIMEOUT"``, ``"HANDSHAKE_REFUSED"``...).
        message: the human-readable message.
        status: Zoom's ``status_code`` for a refused handshake, else ``None``.
    """

    code: int = -1
    name: str = "FAILURE"

    def __init__(self, message: str = "", *, code: Optional[int] = None, name: Optional[str] = None, status: Optional[int] = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if name is not None:
            self.name = name
        self.status = status

    def __str__(self) -> str:
        return self.message


#: The official SDK's name for its native exception.
RTMSException = RTMSError


class TimeoutError(RTMSError, builtins.TimeoutError):
    """An operation (join, leave) did not finish in time."""

    code, name = 1, "TIMEOUT"


class InvalidStateError(RTMSError):
    """Not joined, already joined, or a join already in progress."""

    code, name = 4, "INVALID_STATUS"


class InvalidArgumentError(RTMSError, ValueError):
    """A bad argument: ids, URLs, media params."""

    code, name = 5, "INVALID_ARGS"


class ConnectionError(RTMSError, builtins.ConnectionError):
    """Base class of connection problems."""

    code, name = 101, "CONNECT"


class ConnectError(ConnectionError):
    """Could not connect (DNS, TCP, TLS, proxy, WebSocket upgrade)."""

    code, name = 101, "CONNECT"


class ConnectionLostError(ConnectionError):
    """An established connection was lost."""

    code, name = 102, "CONNECTION_LOST"


class TLSError(ConnectionError):
    """TLS configuration or certificate problem."""

    code, name = 103, "TLS"


class ProtocolError(RTMSError):
    """The server broke the RTMS protocol."""

    code, name = 201, "PROTOCOL"


class HandshakeRefusedError(RTMSError, builtins.PermissionError):
    """A signaling or data handshake was refused; ``status`` holds Zoom's status code."""

    code, name = 301, "HANDSHAKE_REFUSED"


class MissingCredentialsError(RTMSError, OSError):
    """No client id or secret, an ``EnvironmentError`` (pass ``client``/``secret`` or set ZM_RTMS_CLIENT/ZM_RTMS_SECRET)."""

    code, name = 302, "MISSING_CREDENTIALS"


class WebhookError(RTMSError):
    """Base class of webhook problems."""

    code, name = 401, "WEBHOOK_REJECTED"


class WebhookRejectedError(WebhookError):
    """A webhook failed verification (bad signature, stale timestamp)."""

    code, name = 401, "WEBHOOK_REJECTED"


class WebhookBadRequestError(WebhookError):
    """A webhook body was not acceptable JSON."""

    code, name = 402, "WEBHOOK_BAD_REQUEST"


class IOError(RTMSError, OSError):
    """An I/O error outside a connection (binding a port, writing a file)."""

    code, name = 501, "IO"


_BY_CODE: Dict[int, Type[RTMSError]] = {
    -1: RTMSError,
    1: TimeoutError,
    4: InvalidStateError,
    5: InvalidArgumentError,
    101: ConnectError,
    102: ConnectionLostError,
    103: TLSError,
    201: ProtocolError,
    301: HandshakeRefusedError,
    302: MissingCredentialsError,
    401: WebhookRejectedError,
    402: WebhookBadRequestError,
    501: IOError,
}


def _from_core(code: int, name: str, message: str, status: Optional[int]) -> RTMSError:
    """Builds the exception for a core error (called by the native module)."""
    cls = _BY_CODE.get(code, RTMSError)
    return cls(message, code=code, name=name, status=status)
