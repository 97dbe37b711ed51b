"""rtms.Client against rtms-sim: every callback with the values the simulator sent, the join
forms, leave, context manager, raising callbacks, executor and coroutine dispatch."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import json
import logging
import threading
import zlib
from collections import defaultdict
from typing import Any, Dict, List, Optional, Tuple

import pytest

import rtms
from rtms.testing import Simulator

from conftest import native_threads

L16 = rtms.AudioParams(content_type=2, codec=rtms.AudioCodec.L16, sample_rate=rtms.AudioSampleRate.SR_16K, channel=1, data_opt=2, duration=20)
JPG = dict(contentType=3, codec=rtms.VideoCodec.JPG, resolution=rtms.VideoResolution.SD, dataOpt=3, fps=5)


class Media:
    """Per-kind packets, bytes and CRC32, as the simulator's summary counts them."""

    def __init__(self) -> None:
        self.stats: Dict[str, List[int]] = defaultdict(lambda: [0, 0, 0])
        self.texts: Dict[str, List[str]] = defaultdict(list)
        self.metadata: List[Any] = []

    def handler(self, kind: str) -> Any:
        def on_data(data: bytes, size: int, timestamp: int, metadata: Any) -> None:
            assert isinstance(data, bytes) and size == len(data) and timestamp > 0
            s = self.stats[kind]
            s[0] += 1
            s[1] += size
            s[2] = zlib.crc32(data, s[2])
            if kind in ("transcript", "chat"):
                self.texts[kind].append(data.decode())
            self.metadata.append(metadata)

        return on_data

    def matches(self, summary: Dict[str, Any], kinds: List[str]) -> None:
        for kind in kinds:
            sent = summary["media"][kind]
            assert sent["packets"] > 0, kind
            assert self.stats[kind] == [sent["packets"], sent["bytes"], sent["crc32"]], kind


def test_every_callback_fires_with_what_the_simulator_sent(sim: Simulator) -> None:
    client = rtms.Client()
    media = Media()
    calls: Dict[str, List[Any]] = defaultdict(list)
    client.set_audio_params(L16)
    client.set_video_params(rtms.VideoParams(**JPG))
    client.setDeskshareParams({"codec": rtms.VideoCodec.PNG, "resolution": 1, "fps": 1})
    client.set_transcript_params(rtms.TranscriptParams())
    # snake_case and camelCase, decorator and call forms.
    client.on_audio_data(media.handler("audio"))
    client.onVideoData(media.handler("video"))
    client.on_deskshare_data()(media.handler("deskshare"))
    client.onTranscriptData(media.handler("transcript"))
    client.onChatData(media.handler("chat"))

    @client.onJoinConfirm
    def join_confirm(reason: int) -> None:
        calls["join"].append(reason)

    assert callable(join_confirm)

    @client.on_session_update
    def session_update(op: int, session: Any) -> None:
        calls["session"].append((op, session.sessionId, session.streamId, session.isActive, session.statTime))

    @client.onUserUpdate
    def user_update(op: int, participant: Any) -> None:
        calls["user"].append((op, participant.id, participant.name))

    @client.on_participant_event
    def participant_event(event: str, timestamp: int, participants: List[Dict[str, Any]]) -> None:
        calls["participants"].append((event, timestamp, participants))

    @client.onActiveSpeakerEvent
    def active_speaker(timestamp: int, user_id: int, user_name: str) -> None:
        calls["speaker"].append((user_id, user_name))

    @client.on_sharing_event
    def sharing(event: str, timestamp: int, user_id: Any, user_name: Any) -> None:
        calls["sharing"].append((event, user_id))

    @client.onParticipantVideo
    def participant_video(user_ids: List[int], is_on: bool) -> None:
        calls["video_state"].append((tuple(user_ids), is_on))

    @client.onMediaConnectionInterrupted
    def interrupted(timestamp: int) -> None:
        calls["interrupted"].append(timestamp)

    @client.on_event_ex
    def event_ex(raw: str) -> None:
        calls["raw"].append(json.loads(raw))

    @client.onLeave
    def leave(reason: int) -> None:
        calls["leave"].append(reason)

    assert client.join(**sim.join_params(), wait=True) is True
    summary = sim.wait(timeout=30)
    assert summary is not None
    assert client.wait(10)
    m = summary["meetings"][0]

    media.matches(m, ["audio", "video", "deskshare", "transcript", "chat"])
    assert media.texts["transcript"] == m["transcripts"]
    assert media.texts["chat"] == m["chats"]
    names = {u["user_id"]: u["user_name"] for u in m["users"]}
    for md in media.metadata:
        assert md.userId == md.user_id and md.userName == md.user_name and md.startTs <= md.endTs
    assert {md.userId for md in media.metadata if md.userId} <= set(names)

    assert calls["join"] == [0]
    assert calls["leave"] == [rtms.StopReason.MEETING_ENDED]
    assert calls["session"] and calls["session"][0][0] == rtms.SESSION_EVENT_ADD
    sent = m["events"]
    assert [e["event_type"] for e in calls["raw"]] == [e["event_type"] for e in sent]
    joins = [e for e in sent if e["event_type"] == rtms.EVENT_PARTICIPANT_JOIN]
    assert [(p["user_id"], p["user_name"]) for p in calls["participants"][0][2]] == [
        (p["user_id"], p["user_name"]) for p in joins[0]["participants"]
    ]
    assert calls["participants"][0][0] == "join" and calls["participants"][0][1] == joins[0]["timestamp"]
    assert any(e == "leave" for e, _, _ in calls["participants"])
    assert (rtms.USER_JOIN, joins[0]["participants"][0]["user_id"], joins[0]["participants"][0]["user_name"]) in calls["user"]
    speakers = [(e["user_id"], e["user_name"]) for e in sent if e["event_type"] == rtms.EVENT_ACTIVE_SPEAKER_CHANGE]
    assert calls["speaker"] == speakers
    assert [e for e, _ in calls["sharing"]] == [
        "start" if e["event_type"] == rtms.EVENT_SHARING_START else "stop" for e in sent if e["event_type"] in (5, 6)
    ]
    video_events = [e for e in sent if e["event_type"] in (8, 9)]
    assert len(calls["video_state"]) == len(video_events) > 0
    assert len(calls["interrupted"]) == sum(1 for e in sent if e["event_type"] == 7)
    # The typed callbacks subscribed their events automatically.
    subscribed = {i["event_type"] for s in m["observed"]["subscriptions"] for i in s if i["subscribe"]}
    assert {2, 3, 4, 5, 6, 7, 8, 9} <= subscribed


def _join_and_confirm(client: rtms.Client, sim: Simulator, *args: Any, **kwargs: Any) -> int:
    confirmed = threading.Event()
    reasons: List[int] = []

    @client.on_join_confirm
    def on_join(reason: int) -> None:
        reasons.append(reason)
        confirmed.set()

    assert client.join(*args, **kwargs) is True
    assert confirmed.wait(10)
    client.leave()
    assert client.wait(10)
    return reasons[0]


def test_join_with_a_payload_dict(minimal: Simulator) -> None:
    m = minimal.meetings[0]
    payload = {"meeting_uuid": m["meeting_uuid"], "rtms_stream_id": m["rtms_stream_id"], "server_urls": m["server_urls"],
               "operator_id": "x", "client": "sim-client-id", "secret": "sim-client-secret"}
    assert _join_and_confirm(rtms.Client(), minimal, payload) == 0
    # A whole webhook body works too.
    with Simulator("minimal", speed=4) as again:
        m = again.meetings[0]
        body = {"event": "meeting.rtms_started", "payload": {**payload, "meeting_uuid": m["meeting_uuid"], "rtms_stream_id": m["rtms_stream_id"], "server_urls": m["server_urls"]}}
        assert _join_and_confirm(rtms.Client(), again, body) == 0


def test_join_positional_official_and_seed_order(minimal: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    m = minimal.meetings[0]
    signature = rtms.generate_signature("sim-client-id", "sim-client-secret", m["meeting_uuid"], m["rtms_stream_id"])
    # Official 1.1.0 order: (meeting_uuid, webinar_uuid, session_id, engagement_id, rtms_stream_id, server_urls, signature)
    assert _join_and_confirm(rtms.Client(), minimal, m["meeting_uuid"], None, None, None, m["rtms_stream_id"], m["server_urls"], signature) == 0
    # Seed-era order: (meeting_uuid, rtms_stream_id, server_urls, signature)
    with Simulator("minimal", speed=4) as again:
        m = again.meetings[0]
        signature = rtms.generate_signature("sim-client-id", "sim-client-secret", m["meeting_uuid"], m["rtms_stream_id"])
        assert _join_and_confirm(rtms.Client(), again, m["meeting_uuid"], m["rtms_stream_id"], m["server_urls"], signature) == 0
    # Credentials from the environment.
    monkeypatch.setenv("ZM_RTMS_CLIENT", "sim-client-id")
    monkeypatch.setenv("ZM_RTMS_SECRET", "sim-client-secret")
    with Simulator("minimal", speed=4) as third:
        m = third.meetings[0]
        assert _join_and_confirm(rtms.Client(), third, meeting_uuid=m["meeting_uuid"], rtms_stream_id=m["rtms_stream_id"], server_urls=m["server_urls"]) == 0


def test_context_manager_leaves(minimal: Simulator) -> None:
    reasons: List[int] = []
    with rtms.Client() as client:
        client.on_leave(reasons.append)
        client.join(**minimal.join_params(), wait=True)
        assert client.is_joined()
    assert client.wait(10)
    assert not client.is_joined()
    assert reasons and reasons[0] != rtms.StopReason.MEETING_ENDED
    summary = minimal.wait(10)
    assert summary is not None and summary["meetings"][0]["observed"]["stream_close_requests"] == 1


def test_a_raising_callback_is_logged_and_the_stream_goes_on(sim: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    client = rtms.Client()
    client.set_audio_params(L16)
    media = Media()
    count = media.handler("audio")

    @client.on_audio_data
    def on_audio(data: bytes, size: int, ts: int, md: Any) -> None:
        count(data, size, ts, md)
        if media.stats["audio"][0] % 50 == 1:
            raise RuntimeError("boom in a callback")

    with caplog.at_level(logging.ERROR, logger="rtms"):
        client.join(**sim.join_params(), wait=True)
        summary = sim.wait(30)
        assert client.wait(10)
    assert summary is not None
    media.matches(summary["meetings"][0], ["audio"])
    errors = [r for r in caplog.records if r.exc_info and "boom in a callback" in str(r.exc_info[1])]
    assert len(errors) == (media.stats["audio"][0] + 49) // 50
    assert "Traceback" in caplog.text and "on_audio" in caplog.text


def test_leave_from_inside_a_callback(sim: Simulator) -> None:
    client = rtms.Client()
    client.set_audio_params(L16)
    packets: List[int] = []
    left: List[bool] = []
    reasons: List[int] = []

    @client.on_audio_data
    def on_audio(data: bytes, size: int, ts: int, md: Any) -> None:
        packets.append(size)
        if len(packets) == 3:
            left.append(client.leave())

    client.on_leave(reasons.append)
    client.join(**sim.join_params(), wait=True)
    assert client.wait(15)
    assert left == [True]
    assert reasons and reasons[0] != rtms.StopReason.MEETING_ENDED
    assert not client.is_joined()
    summary = sim.summary()["meetings"][0]
    assert summary["observed"]["stream_close_requests"] == 1


def test_executor_dispatch_and_coroutine_callbacks(sim: Simulator) -> None:
    pool = concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="user-pool")
    client = rtms.Client(executor=pool)
    client.set_audio_params(L16)
    threads = set()
    lock = threading.Lock()
    counted = [0]

    @client.on_audio_data
    def on_audio(data: bytes, size: int, ts: int, md: Any) -> None:
        with lock:
            threads.add(threading.current_thread().name)
            counted[0] += 1

    transcripts: List[str] = []

    async def main() -> None:
        done = asyncio.Event()

        @client.on_transcript_data
        async def on_transcript(data: bytes, size: int, ts: int, md: Any) -> None:
            transcripts.append(data.decode())
            await asyncio.sleep(0)

        @client.on_leave
        async def on_leave(reason: int) -> None:
            done.set()

        client.join(**sim.join_params())
        await asyncio.wait_for(done.wait(), 30)

    asyncio.run(main())
    pool.shutdown(wait=True)
    summary = sim.wait(10)
    assert summary is not None
    m = summary["meetings"][0]
    assert counted[0] == m["media"]["audio"]["packets"]
    assert threads and all(t.startswith("user-pool") for t in threads)
    assert transcripts == m["transcripts"]


def test_errors_are_rtms_errors_with_codes(minimal: Simulator) -> None:
    client = rtms.Client()
    with pytest.raises(rtms.InvalidArgumentError) as e:
        client.join(rtms_stream_id="s", server_urls="ws://127.0.0.1:1")
    assert e.value.code == rtms.RTMS_SDK_INVALID_ARGS and isinstance(e.value, ValueError)
    with pytest.raises(rtms.InvalidArgumentError, match="OPUS"):
        client.set_audio_params(codec=rtms.AudioCodec.OPUS, sample_rate=rtms.AudioSampleRate.SR_16K)
    with pytest.raises(rtms.InvalidStateError):
        client.subscribe_video(1, True)
    minimal.refuse_next_handshake(3)
    reasons: List[int] = []
    client.on_join_confirm(reasons.append)
    with pytest.raises(rtms.HandshakeRefusedError) as refused:
        client.join(**minimal.join_params(), wait=True)
    assert refused.value.status == 3 and refused.value.code == 301 and isinstance(refused.value, rtms.RTMSError)
    assert client.wait(5) and reasons == [3]
    with pytest.raises(rtms.RTMSError) as bad:
        rtms.Client().join(meeting_uuid="m", rtms_stream_id="s", server_urls="ws://127.0.0.1:1/x", client="a", secret="b", wait=True, timeout=2000)
    assert isinstance(bad.value, ConnectionError)
    with pytest.raises(EnvironmentError):
        rtms.generate_signature("", "", "u", "s")


def test_every_core_error_code_has_a_class() -> None:
    from rtms import _rtms
    from rtms.exceptions import _BY_CODE

    for code, name in _rtms.error_kinds():
        cls = _BY_CODE[code]
        assert cls.code == code and cls.name == name, (code, name)


def _rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_join_leave_many_times_without_growth() -> None:
    """200 join/leave cycles, 8 at a time (each leave waits ~0.1 s for the server's close)."""
    with Simulator("minimal", speed=50, meetings=208) as s:

        def cycle(index: int) -> None:
            c = rtms.Client()
            c.on_audio_data(lambda *a: None)
            c.join(**s.join_params(index), wait=True)
            assert c.leave()
            assert c.wait(5)

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(cycle, range(8)))
            gc.collect()
            before = (native_threads(), _rss_kib())
            list(pool.map(cycle, range(8, 208)))
        gc.collect()
        after = (native_threads(), _rss_kib())
        assert after[0] <= before[0] + 2, (before, after)
        assert after[1] - before[1] < 20 * 1024, (before, after)


def test_async_client_iterates_media(sim: Simulator) -> None:
    async def main() -> Tuple[List[rtms.Frame], List[rtms.Frame], Optional[int]]:
        c = rtms.AsyncClient(media=("audio", "transcript"), **sim.join_params())
        c.client.set_audio_params(L16)
        async with c:
            audio = [f async for f in c.audio()]
            transcripts = [f async for f in c.transcript()]
        return audio, transcripts, c.leave_reason

    audio, transcripts, reason = asyncio.run(main())
    summary = sim.wait(10)
    assert summary is not None
    m = summary["meetings"][0]
    crc = 0
    for f in audio:
        crc = zlib.crc32(f.data, crc)
    assert (len(audio), sum(f.size for f in audio), crc) == (m["media"]["audio"]["packets"], m["media"]["audio"]["bytes"], m["media"]["audio"]["crc32"])
    assert [f.data.decode() for f in transcripts] == m["transcripts"]
    assert reason == rtms.StopReason.MEETING_ENDED


def test_subscribe_video_answers_through_on_video_subscribed(sim: Simulator) -> None:
    client = rtms.Client()
    client.set_video_params(rtms.VideoParams(**{**JPG, "dataOpt": rtms.DataOption.VIDEO_SINGLE_INDIVIDUAL_STREAM}))
    answers: List[Tuple[int, int, str]] = []
    answered = threading.Event()
    client.on_video_data(lambda *a: None)

    @client.onVideoSubscribed
    def on_subscribed(user_id: int, status: int, error: str) -> None:
        answers.append((user_id, status, error))
        answered.set()

    client.join(**sim.join_params(), wait=True)
    uid = 16778240  # Alice in the quick scenario
    client.subscribe_video(uid, True)
    assert answered.wait(5)
    client.leave()
    assert client.wait(10)
    assert answers[0][:2] == (uid, 0)
    assert sim.summary()["meetings"][0]["observed"]["video_subscriptions"][0]["user_id"] == uid


def test_settings_are_validated_by_the_core() -> None:
    client = rtms.Client()
    with pytest.raises(rtms.InvalidArgumentError):
        client.set_proxy("socks5", "socks5://127.0.0.1:1080")
    client.set_proxy("http", "127.0.0.1:3128")
    with pytest.raises(rtms.InvalidArgumentError):
        client.set_video_params(codec=rtms.VideoCodec.JPG, fps=30)
    p = rtms.AudioParams(1, 1, 1, 1, 1, 20, 320)
    assert (p.contentType, p.sampleRate, p.dataOpt, p.frameSize) == (1, 1, 1, 320)
    p.sampleRate = 3
    assert p.sample_rate == 3
    assert rtms.TranscriptParams().to_dict() == {"content_type": 5, "src_language": -1, "enable_lid": True}
    assert rtms.configure_logger({"level": rtms.LogLevel.WARN, "format": "progressive", "enabled": True}) in (True, False)
    assert rtms.generate_signature("id", "secret", "uuid", "stream") == rtms._rtms.generate_signature("id", "secret", "uuid", "stream")
