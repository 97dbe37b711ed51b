"""``rtms.testing.Simulator``: a simulated Zoom RTMS server (rtms-sim) for your own tests.

    from rtms.testing import Simulator

    with Simulator("quick", speed=4) as sim:
        client = rtms.Client()
        client.on_audio_data(lambda data, size, ts, meta: ...)
        client.join(**sim.join_params(), wait=True)
        summary = sim.wait(timeout=30)           # what the simulator sent, with CRC32s
        assert summary["meetings"][0]["media"]["audio"]["packets"] > 0

Scenarios: ``quick`` (3 people, 5 s, everything), ``minimal`` (1 person, ~3 s), ``demo`` (2 min),
or any TOML scenario (``scenario_toml=``). It listens on 127.0.0.1 on a free port and expects
signatures made with ``client_id``/``client_secret`` (defaults ``sim-client-id`` /
``sim-client-secret``, which :meth:`Simulator.join_params` passes).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from . import _rtms

__all__ = ["Simulator", "DEFAULT_CLIENT_ID", "DEFAULT_CLIENT_SECRET"]

DEFAULT_CLIENT_ID = "sim-client-id"
DEFAULT_CLIENT_SECRET = "sim-client-secret"

_ID_KEY = {"meeting": "meeting_uuid", "webinar": "webinar_uuid", "session": "session_id", "zcc": "engagement_id"}


class Simulator:
    """A simulated RTMS server. It starts in the constructor unless ``start=False``; use it as
    a context manager to shut it down."""

    def __init__(
        self,
        scenario: str = "quick",
        *,
        scenario_toml: Optional[str] = None,
        speed: float = 1.0,
        meetings: int = 1,
        tls: bool = False,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        webhook_url: Optional[str] = None,
        webhook_secret: Optional[str] = None,
        validate_webhook: bool = False,
        keepalive_interval: Optional[float] = None,
        start: bool = True,
    ) -> None:
        if not getattr(_rtms, "HAS_SIMULATOR", False):
            raise RuntimeError("this build of rtms has no simulator (built without the `sim` feature)")
        self.client_id = client_id
        self.client_secret = client_secret
        self._options: Dict[str, Any] = dict(
            scenario=scenario,
            scenario_toml=scenario_toml,
            speed=float(speed),
            meetings=int(meetings),
            tls=tls,
            client_id=client_id,
            client_secret=client_secret,
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            validate_webhook=validate_webhook,
            keepalive_interval=keepalive_interval,
        )
        self._sim: Optional[Any] = None
        if start:
            self.start()

    def start(self) -> "Simulator":
        """Starts listening (and, with ``webhook_url``, posts ``*.rtms_started``)."""
        if self._sim is None:
            self._sim = _rtms.Simulator(**self._options)
        return self

    def _running(self) -> Any:
        if self._sim is None:
            raise RuntimeError("the simulator is not running; call start()")
        return self._sim

    @property
    def signaling_url(self) -> str:
        """The generic signaling URL (``ws://127.0.0.1:PORT/signaling``)."""
        return str(self._running().signaling_url)

    @property
    def ca_pem(self) -> Optional[str]:
        """The CA certificate (PEM) to trust when ``tls=True``."""
        return self._running().ca_pem  # type: ignore[no-any-return]

    @property
    def meetings(self) -> List[Dict[str, Any]]:
        """Every meeting, as a webhook announces it (``meeting_uuid``, ``rtms_stream_id``,
        ``server_urls``, ``product``, ``session_id``, ``index``)."""
        return self._running().meetings()  # type: ignore[no-any-return]

    def join_params(self, index: int = 0) -> Dict[str, Any]:
        """Keyword arguments for ``Client.join`` for meeting ``index``, with the credentials."""
        m = self.meetings[index]
        return {
            _ID_KEY.get(m["product"], "meeting_uuid"): m["meeting_uuid"],
            "rtms_stream_id": m["rtms_stream_id"],
            "server_urls": m["server_urls"],
            "client": self.client_id,
            "secret": self.client_secret,
        }

    def wait(self, timeout: Optional[float] = None) -> Optional[Dict[str, Any]]:
        """Waits until every meeting ended; returns the summary (``{"meetings": [...]}``, each
        with ``media[kind] = {packets, bytes, crc32}``, ``transcripts``, ``chats``, ``events``,
        ``observed``...), or ``None`` after ``timeout`` seconds."""
        return self._running().wait(timeout)  # type: ignore[no-any-return]

    def summary(self) -> Dict[str, Any]:
        """The summary as of now."""
        return self._running().summary()  # type: ignore[no-any-return]

    def end_meeting(self, stop_reason: int = 6, index: Optional[int] = None) -> None:
        """Ends meeting ``index`` (all when ``None``) with ``stop_reason``."""
        self._running().end_meeting(stop_reason, index)

    def refuse_next_handshake(self, status: int) -> None:
        """Refuses the next handshake with a Zoom status code."""
        self._running().refuse_next_handshake(status)

    def shutdown(self) -> None:
        """Closes every socket and stops."""
        sim, self._sim = self._sim, None
        if sim is not None:
            sim.shutdown()

    def __enter__(self) -> "Simulator":
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.shutdown()
