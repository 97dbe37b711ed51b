"""Webhooks: the simulator posts signed `meeting.rtms_started` to rtms's receiver, which
validates the URL, verifies the signature over the raw body and hands the payload to both
callback forms; a bad signature never reaches the callback."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Tuple

import pytest

import rtms
from rtms import _rtms
from rtms.testing import Simulator

SECRET = "webhook-secret-token"


def post(url: str, body: Dict[str, Any], secret: Optional[str] = SECRET, signature: Optional[str] = None) -> Tuple[int, bytes, Dict[str, str]]:
    raw = json.dumps(body).encode()
    ts = str(int(time.time()))
    headers = {"Content-Type": "application/json", "x-zm-request-timestamp": ts}
    if secret is not None:
        headers["x-zm-signature"] = signature or _rtms.webhook_signature(secret, ts, raw)
    req = urllib.request.Request(url, data=raw, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def test_payload_form_validates_the_url_and_joins_from_the_webhook() -> None:
    received: List[Dict[str, Any]] = []
    joined = threading.Event()
    clients: List[rtms.Client] = []
    server = rtms.WebhookServer(port=0, path="/zoom", secret=SECRET)

    def on_webhook(payload: Dict[str, Any]) -> None:
        received.append(payload)
        if payload["event"] == "meeting.rtms_started":
            client = rtms.Client()
            client.on_join_confirm(lambda reason: joined.set())
            client.join(payload["payload"], client="sim-client-id", secret="sim-client-secret")
            clients.append(client)

    assert server.start(on_webhook)
    assert server.url is not None and server.url.endswith("/zoom")
    try:
        with Simulator("minimal", speed=8, webhook_url=server.url, webhook_secret=SECRET, validate_webhook=True) as sim:
            assert joined.wait(10)
            summary = sim.wait(20)
        assert summary is not None
        m = summary["meetings"][0]
        statuses = {w["event"]: w["status"] for w in m["webhooks"]}
        assert statuses.get("meeting.rtms_started") == 200, m["webhooks"]
        assert received[0]["event"] == "meeting.rtms_started"
        assert received[0]["payload"]["rtms_stream_id"] == m["rtms_stream_id"]
        assert m["started"] and clients and clients[0].wait(10)
        # A bad signature is refused before the callback.
        count = len(received)
        status, body, _ = post(server.url, {"event": "meeting.rtms_started", "payload": {}}, signature="v0=" + "0" * 64)
        assert status == 401 and b"error" in body
        assert len(received) == count
        # URL validation is answered by the receiver itself.
        status, body, _ = post(server.url, {"event": "endpoint.url_validation", "payload": {"plainToken": "abc"}})
        assert status == 200
        answer = json.loads(body)
        assert answer["plainToken"] == "abc" and len(answer["encryptedToken"]) == 64
        # Wrong path and non-JSON.
        assert post(server.url.replace("/zoom", "/other"), {"event": "x"})[0] == 404
    finally:
        server.stop()


def test_raw_form_owns_the_response_and_a_raising_callback_gets_500(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZM_RTMS_PORT", "0")
    monkeypatch.setenv("ZM_RTMS_PATH", "/hook")
    monkeypatch.delenv("ZM_RTMS_WEBHOOK_SECRET", raising=False)
    seen: List[Tuple[str, str, str]] = []

    @rtms.on_webhook_event
    def handler(payload: Dict[str, Any], request: Any, response: Any) -> None:
        seen.append((payload["event"], request.headers["X-Custom"], request.path))
        if payload["event"] == "explode":
            raise ValueError("handler failed")
        if payload["event"] == "custom":
            response.set_status(202)
            response.set_header("X-Reply", "yes")
            response.send({"accepted": True})

    assert callable(handler)
    server = rtms.webhook._server
    assert server is not None and server.url is not None and server.url.endswith("/hook")
    # A second registration is ignored.
    rtms.on_webhook_event(lambda payload: None)
    assert rtms.webhook._server is server and server.callback is handler

    def send(event: str) -> Tuple[int, bytes, Dict[str, str]]:
        raw = json.dumps({"event": event, "payload": {}}).encode()
        req = urllib.request.Request(server.url, data=raw, headers={"X-Custom": "c1"}, method="POST")  # type: ignore[arg-type]
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.read(), {k.lower(): v for k, v in resp.headers.items()}
        except urllib.error.HTTPError as e:
            return e.code, e.read(), {}

    status, body, headers = send("custom")
    assert (status, json.loads(body), headers.get("x-reply"), headers.get("content-type")) == (202, {"accepted": True}, "yes", "application/json")
    status, body, _ = send("plain")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    status, body, _ = send("explode")
    assert status == 500 and b"handler failed" in body
    assert seen == [("custom", "c1", "/hook"), ("plain", "c1", "/hook"), ("explode", "c1", "/hook")]


def test_client_level_webhook_decorator(monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's original README: `@client.on_webhook_event()`, stopped by `leave()`."""
    monkeypatch.setenv("ZM_RTMS_PORT", "0")
    client = rtms.Client()
    got: List[str] = []

    @client.on_webhook_event()
    def on_event(payload: Dict[str, Any]) -> None:
        got.append(payload["event"])

    server = client._webhook_server
    assert server is not None and server.url is not None
    url = server.url
    assert post(url, {"event": "meeting.started", "payload": {}}, secret=None)[0] == 200
    assert got == ["meeting.started"]
    client.leave()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(urllib.request.Request(url, data=b"{}", method="POST"), timeout=2)


def test_blocking_join_and_leave_inside_a_webhook_callback(minimal: Simulator) -> None:
    """Webhook callbacks run on the runtime's blocking pool; blocking calls work there."""
    results: List[bool] = []
    server = rtms.WebhookServer(port=0)

    def on_webhook(payload: Dict[str, Any]) -> None:
        client = rtms.Client()
        client.join(**minimal.join_params(), wait=True)
        results.append(client.is_joined())
        results.append(client.leave())
        results.append(client.wait(5))

    server.start(on_webhook)
    try:
        assert server.url is not None
        assert post(server.url, {"event": "meeting.rtms_started", "payload": {}}, secret=None)[0] == 200
    finally:
        server.stop()
    assert results == [True, True, True]
