"""rtms: Zoom Realtime Media Streams for Python, a drop-in for Zoom's ``rtms`` SDK.

One abi3 wheel for every CPython >= 3.9, a Rust core (rtms-core) underneath, no polling:
callbacks are pushed from a dispatcher thread per session, media arrives as ``bytes``.

    import rtms

    @rtms.on_webhook_event
    def handle(payload):
        if payload.get("event") == "meeting.rtms_started":
            client = rtms.Client()

            @client.on_transcript_data
            def on_transcript(data, size, timestamp, metadata):
                print(metadata.userName, data.decode())

            client.join(payload["payload"])

    rtms.run()
"""

from __future__ import annotations

import os
from typing import Optional

from . import _rtms
from .aio import AsyncClient, Frame
from .client import Client
from .constants import *  # noqa: F401,F403 - the official flat constants and IntEnums
from .constants import __all__ as _constants_all
from .exceptions import (
    ConnectionError,
    HandshakeRefusedError,
    InvalidArgumentError,
    InvalidStateError,
    MissingCredentialsError,
    ProtocolError,
    RTMSError,
    RTMSException,
    TimeoutError,
    WebhookError,
)
from .log import configure_logger, log_debug, log_error, log_info, log_warn
from .loop import EventLoop, EventLoopPool, run, run_async, stop
from .params import AudioParams, ChatParams, DeskshareParams, TranscriptParams, VideoParams
from .webhook import WebhookRequest, WebhookResponse, WebhookServer, on_webhook_event, onWebhookEvent

Session = _rtms.Session
Participant = _rtms.Participant
Metadata = _rtms.Metadata

__version__: str = _rtms.__version__

_CA_CANDIDATES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
    "/usr/local/etc/openssl/cert.pem",
    "/opt/homebrew/etc/openssl@3/cert.pem",
)


def find_ca_certificate(specified_path: Optional[str] = None) -> Optional[str]:
    """A CA bundle path: ``specified_path`` if it exists, else ``ZM_RTMS_CA``, else a system
    bundle; ``None`` if none is found (the system roots are used then)."""
    for candidate in (specified_path, os.environ.get("ZM_RTMS_CA"), *_CA_CANDIDATES):
        if candidate and os.path.isfile(candidate):
            return candidate
    return None


def initialize(ca_path: Optional[str] = None) -> bool:
    """Optional: sets a CA file every later join trusts. Always ``True``."""
    if ca_path:
        Client.initialize(ca_path)
    return True


def uninitialize() -> bool:
    """No-op kept for the official API. Always ``True``."""
    return True


def generate_signature(client: str, secret: str, uuid: str, stream_id: str) -> str:
    """The join signature, ``hex(HMAC-SHA256(secret, "client,uuid,stream_id"))``. Blank
    ``client``/``secret`` fall back to ZM_RTMS_CLIENT/ZM_RTMS_SECRET; still blank raises
    ``MissingCredentialsError`` (an ``EnvironmentError``)."""
    client = client or os.environ.get("ZM_RTMS_CLIENT", "")
    secret = secret or os.environ.get("ZM_RTMS_SECRET", "")
    if not client:
        raise MissingCredentialsError("Client ID cannot be blank (pass client or set ZM_RTMS_CLIENT)")
    if not secret:
        raise MissingCredentialsError("Client Secret cannot be blank (pass secret or set ZM_RTMS_SECRET)")
    return str(_rtms.generate_signature(client, secret, uuid, stream_id))


def is_initialized() -> bool:
    """Always ``True``: there is nothing to initialise."""
    return True


# The core's log output, as configured by ZM_RTMS_LOG_ENABLED / _LEVEL / _FORMAT.
_rtms.configure_logger_from_env()

__all__ = [
    "Client",
    "AsyncClient",
    "Frame",
    "EventLoop",
    "EventLoopPool",
    "Session",
    "Participant",
    "Metadata",
    "AudioParams",
    "VideoParams",
    "DeskshareParams",
    "TranscriptParams",
    "ChatParams",
    "RTMSError",
    "RTMSException",
    "TimeoutError",
    "InvalidStateError",
    "InvalidArgumentError",
    "ConnectionError",
    "ProtocolError",
    "HandshakeRefusedError",
    "MissingCredentialsError",
    "WebhookError",
    "WebhookServer",
    "WebhookRequest",
    "WebhookResponse",
    "initialize",
    "uninitialize",
    "is_initialized",
    "generate_signature",
    "find_ca_certificate",
    "onWebhookEvent",
    "on_webhook_event",
    "run",
    "run_async",
    "stop",
    "log_debug",
    "log_info",
    "log_warn",
    "log_error",
    "configure_logger",
    *_constants_all,
]
