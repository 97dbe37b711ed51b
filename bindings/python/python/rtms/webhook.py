"""Zoom webhooks: ``rtms.on_webhook_event``, ``WebhookServer``, ``WebhookResponse``.

The HTTP server is rtms-core's webhook receiver (in Rust, on the shared runtime). With
``ZM_RTMS_WEBHOOK_SECRET`` set it answers ``endpoint.url_validation`` itself and verifies
``x-zm-signature`` over the *raw* body (a bad or stale signature gets ``401`` and never reaches
the callback); without it events are accepted unverified. Listening address: ``ZM_RTMS_HOST``
(default ``127.0.0.1``), ``ZM_RTMS_PORT`` (8080), ``ZM_RTMS_PATH`` (``/``).

Callbacks take ``(payload)`` or ``(payload, request, response)``. They run before the answer
is sent; the default answer is ``200 {"status":"ok"}`` and a callback that raises gets ``500``.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Tuple, TypeVar, Union, overload

from . import _rtms

__all__ = ["WebhookServer", "WebhookRequest", "WebhookResponse", "on_webhook_event", "onWebhookEvent"]

_log = logging.getLogger("rtms")
_F = TypeVar("_F", bound=Callable[..., Any])


class Headers(Mapping[str, str]):
    """Request headers, case-insensitive (``request.headers['X-Zm-Signature']``)."""

    def __init__(self, items: Mapping[str, str]) -> None:
        self._items = {k.lower(): v for k, v in items.items()}

    def __getitem__(self, key: str) -> str:
        return self._items[key.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._items

    def get(self, key: str, default: Any = None) -> Any:
        return self._items.get(key.lower(), default)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


class WebhookRequest:
    """The HTTP request of a webhook: ``headers``, ``path``, ``command`` (``POST``), ``query``,
    ``client_address`` and the raw ``body`` (the official handler had consumed it)."""

    def __init__(self, body: bytes, info: Dict[str, Any]) -> None:
        self.body = body
        self.command: str = info.get("method", "POST")
        self.path: str = info.get("path", "/")
        self.query: Optional[str] = info.get("query")
        self.headers = Headers(info.get("headers", {}))
        host, port = info.get("remote_addr", ("", 0))
        self.client_address: Tuple[str, int] = (str(host), int(port))

    def __repr__(self) -> str:
        return f"<WebhookRequest {self.command} {self.path}>"


class WebhookResponse:
    """The answer of a ``(payload, request, response)`` callback. Only the first
    :meth:`send` counts; nothing sent means ``200 {"status":"ok"}``."""

    def __init__(self, responder: Any) -> None:
        self._responder = responder
        self._status = 200
        self._headers: Dict[str, str] = {}

    def set_status(self, code: int) -> None:
        """Sets the status code."""
        self._status = int(code)

    def set_header(self, name: str, value: str) -> None:
        """Sets a response header."""
        self._headers[name] = str(value)

    def send(self, data: Union[Dict[str, Any], List[Any], str, bytes, None] = None) -> None:
        """Sends ``data``: a dict/list as JSON, ``str`` as UTF-8, ``bytes`` as is. The content
        type is ``application/json`` unless set."""
        if self._responder.sent:
            return
        if isinstance(data, (dict, list)):
            body = json.dumps(data).encode()
        elif isinstance(data, str):
            body = data.encode()
        elif data is None:
            body = b""
        else:
            body = bytes(data)
        self._responder.set_status(self._status)
        if not any(k.lower() == "content-type" for k in self._headers):
            self._headers["Content-Type"] = "application/json"
        for k, v in self._headers.items():
            self._responder.set_header(k, v)
        self._responder.send(body)

    @property
    def sent(self) -> bool:
        """True once an answer went out."""
        return bool(self._responder.sent)


def _arity(callback: Callable[..., Any]) -> int:
    try:
        return len(inspect.signature(callback).parameters)
    except (TypeError, ValueError):
        return 1


def _make_handler(callback: Callable[..., Any]) -> Callable[[bytes, Dict[str, Any], Any], None]:
    raw_form = _arity(callback) >= 3
    is_coroutine = inspect.iscoroutinefunction(callback)
    try:
        loop: Optional[asyncio.AbstractEventLoop] = asyncio.get_running_loop()
    except RuntimeError:
        loop = None

    def handler(body: bytes, info: Dict[str, Any], responder: Any) -> None:
        payload = json.loads(body)
        args: Tuple[Any, ...] = (payload, WebhookRequest(body, info), WebhookResponse(responder)) if raw_form else (payload,)
        result = callback(*args)
        if is_coroutine:
            if loop is not None and loop.is_running():
                asyncio.run_coroutine_threadsafe(result, loop).result()
            else:
                asyncio.run(result)

    return handler


class WebhookServer:
    """One webhook HTTP server. ``port``/``path``/``host``/``secret`` default to
    ``ZM_RTMS_PORT``/``ZM_RTMS_PATH``/``ZM_RTMS_HOST``/``ZM_RTMS_WEBHOOK_SECRET``."""

    def __init__(self, port: Optional[int] = None, path: Optional[str] = None, host: Optional[str] = None, secret: Optional[str] = None) -> None:
        self.port = port
        self.path = path
        self.host = host
        self.secret = secret
        self.callback: Optional[Callable[..., Any]] = None
        self._receiver: Optional[Any] = None

    def start(self, callback: Callable[..., Any]) -> bool:
        """Starts serving ``callback``; ``False`` if already running (the first callback stays)."""
        if self._receiver is not None:
            _log.warning("webhook server already running; callback %r ignored", callback)
            return False
        self._receiver = _rtms.WebhookReceiver(_make_handler(callback), host=self.host, port=self.port, path=self.path, secret=self.secret)
        self.callback = callback
        self.port = self._receiver.port
        _log.info("listening for webhooks at %s", self._receiver.url)
        return True

    @property
    def url(self) -> Optional[str]:
        """``http://host:port/path`` while running."""
        return self._receiver.url if self._receiver is not None else None

    @property
    def running(self) -> bool:
        return self._receiver is not None

    def stop(self) -> None:
        """Stops serving and releases the port."""
        receiver, self._receiver = self._receiver, None
        if receiver is not None:
            receiver.stop()


_server: Optional[WebhookServer] = None


@overload
def on_webhook_event(
    callback: _F, port: Optional[int] = None, path: Optional[str] = None, *, host: Optional[str] = None, secret: Optional[str] = None
) -> _F: ...


@overload
def on_webhook_event(
    callback: None = None, port: Optional[int] = None, path: Optional[str] = None, *, host: Optional[str] = None, secret: Optional[str] = None
) -> Callable[[_F], _F]: ...


def on_webhook_event(
    callback: Optional[_F] = None,
    port: Optional[int] = None,
    path: Optional[str] = None,
    *,
    host: Optional[str] = None,
    secret: Optional[str] = None,
) -> Union[_F, Callable[[_F], _F]]:
    """Starts the process's webhook server for ``callback``. Forms: ``@rtms.on_webhook_event``,
    ``@rtms.on_webhook_event()``, ``@rtms.on_webhook_event(port=8080, path="/zoom")``,
    ``rtms.on_webhook_event(fn, port=...)``. A second registration is ignored (logged)."""

    def start(func: _F) -> _F:
        global _server
        if _server is None or not _server.running:
            _server = WebhookServer(port=port, path=path, host=host, secret=secret)
        _server.start(func)
        return func

    if callback is not None and callable(callback):
        return start(callback)
    return start


onWebhookEvent = on_webhook_event


def _stop_server() -> None:
    """Stops the module-level webhook server (tests)."""
    global _server
    if _server is not None:
        _server.stop()
        _server = None
