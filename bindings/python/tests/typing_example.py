"""Uses the whole public API with annotations; `mypy --strict` must accept it (test_stubs.py).
Not collected as a test."""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any, Dict, List, Optional

import rtms
from rtms.testing import Simulator


def build(executor: Optional[concurrent.futures.Executor] = None) -> rtms.Client:
    client = rtms.Client(executor=executor)
    client.set_audio_params(rtms.AudioParams(codec=rtms.AudioCodec.L16, sample_rate=rtms.AudioSampleRate.SR_16K, channel=rtms.AudioChannel.MONO))
    client.set_video_params(rtms.VideoParams(codec=rtms.VideoCodec.JPG, resolution=rtms.VideoResolution.SD, fps=5))
    client.set_deskshare_params(rtms.DeskshareParams(codec=rtms.VideoCodec.PNG, fps=1))
    client.set_transcript_params(rtms.TranscriptParams(src_language=rtms.TranscriptLanguage.ENGLISH, enable_lid=False))
    client.set_proxy("http", "http://127.0.0.1:3128")
    client.subscribe_event([rtms.EVENT_ACTIVE_SPEAKER_CHANGE, rtms.EventType.SHARING_START])
    client.unsubscribe_event([rtms.EVENT_SHARING_STOP])

    @client.on_audio_data
    def on_audio(data: bytes, size: int, timestamp: int, metadata: rtms.Metadata) -> None:
        print(metadata.userName, metadata.userId, metadata.startTs, metadata.endTs, size, timestamp, len(data))

    @client.onTranscriptData
    async def on_transcript(data: bytes, size: int, timestamp: int, metadata: rtms.Metadata) -> None:
        print(data.decode())

    @client.on_session_update
    def on_session(op: int, session: rtms.Session) -> None:
        print(op == rtms.SESSION_EVENT_ADD, session.sessionId, session.isActive)

    @client.on_user_update
    def on_user(op: int, participant: rtms.Participant) -> None:
        print(op == rtms.USER_JOIN, participant.id, participant.name)

    @client.on_participant_event
    def on_participants(event: str, timestamp: int, participants: List[Dict[str, Any]]) -> None:
        print(event, timestamp, participants)

    client.on_active_speaker_event(lambda ts, uid, name: None)
    client.on_sharing_event(lambda event, ts, uid, name: None)
    client.on_media_connection_interrupted(lambda ts: None)
    client.on_participant_video(lambda users, on: None)
    client.on_video_subscribed(lambda uid, status, error: None)
    client.on_event_ex(lambda raw: None)
    client.on_join_confirm(lambda reason: None)
    client.onLeave(lambda reason: None)
    return client


def run_against(sim: Simulator) -> None:
    with build() as client:
        ok: bool = client.join(**sim.join_params(), wait=True)
        print(ok, client.uuid(), client.stream_id(), client.is_joined())
        summary: Optional[Dict[str, Any]] = sim.wait(timeout=30.0)
        print(summary)
    payload: Dict[str, Any] = sim.meetings[0]
    build().join(payload)
    try:
        build().join(meeting_uuid="m", rtms_stream_id="s", server_urls="wss://x", timeout=1000, wait=True)
    except rtms.HandshakeRefusedError as e:
        print(e.code, e.status)
    except rtms.RTMSError as e:
        print(e.code, e.message)


@rtms.on_webhook_event
def webhook(payload: Dict[str, Any]) -> None:
    print(payload["event"])


@rtms.on_webhook_event(port=8081, path="/zoom")
def raw(payload: Dict[str, Any], request: rtms.WebhookRequest, response: rtms.WebhookResponse) -> None:
    print(request.headers.get("x-zm-signature"), request.path)
    response.set_status(200)
    response.send({"ok": True})


async def main() -> None:
    pool = rtms.EventLoopPool(threads=4, strategy="least_loaded")
    loop: rtms.EventLoop = pool.add(build())
    print(loop.client_count, pool.client_count, pool.loops)
    await asyncio.gather(rtms.run_async(stop_on_empty=True), pool.run_async(stop_on_empty=True))


def everything_else() -> None:
    signature: str = rtms.generate_signature("client", "secret", "uuid", "stream")
    rtms.configure_logger({"level": rtms.LogLevel.DEBUG, "format": rtms.LogFormat.JSON, "enabled": True})
    rtms.log_info("app", "hello", {"signature": len(signature)})
    print(rtms.initialize(rtms.find_ca_certificate()), rtms.uninitialize(), rtms.StopReason(6).name, rtms.MEDIA_TYPE_AUDIO)
    rtms.run(stop_on_empty=True, executor=concurrent.futures.ThreadPoolExecutor(2))
    rtms.stop()
    asyncio.run(main())


async def asyncio_api(sim: Simulator) -> None:
    async with rtms.AsyncClient(sim.meetings[0], media=("audio",), client="id", secret="secret") as c:
        async for frame in c.audio():
            print(frame.metadata.userName, frame.size, frame.timestamp, len(frame.data))
    reason: Optional[int] = await c.closed()
    print(reason)
