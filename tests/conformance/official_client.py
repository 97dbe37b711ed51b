"""Drive Zoom's official Python SDK (PyPI `rtms`, which bundles Zoom's closed C SDK) as a peer.

Run with the interpreter of the throwaway venv that holds `rtms==1.1.0`, in a scratch working
directory (the C SDK writes `./logs`). It joins one stream, records every callback as one JSON
line in `--out`, and exits when `on_leave` fires (or at `--timeout`).

Output lines (`"cb"` names the callback):
    {"cb":"join_confirm","t":0.03,"reason":0}
    {"cb":"audio","t":..,"size":3840,"len":3840,"crc32":"d8a13e0f","timestamp":..,"user_id":..,"user_name":"Alice"}
    {"cb":"transcript",...,"start_ts":..,"end_ts":..,"text":"..."}
    {"cb":"participant_event","event":"join","timestamp":..,"participants":[{"user_id":..,"user_name":..}]}
    {"cb":"leave","reason":6}
    {"cb":"totals", "media": {"audio": {"packets":..,"bytes":..,"crc32":..,"users":{"<id>":{...}}}}}

`crc32` on a packet is zlib.crc32 of its bytes; in "totals" it is the running CRC32 over every
packet of that type (or that type and user) concatenated in arrival order.

Exit status: 0 joined and left, 2 timed out, 3 join refused, 4 setup error.

Notes on the official SDK that shape this script (see docs/protocol.md):
- The C SDK must be allocated, joined and polled on one OS thread, so this script polls on its
  main thread instead of the wrapper's implicit background loop (which also avoids the
  wrapper's leave() deadlock).
- In the Python wrapper, on_participant_event / on_active_speaker_event / on_sharing_event /
  on_media_connection_interrupted registered before join() never send their subscriptions, so
  this script calls subscribe_event() right after the join has started; the C SDK sends it in
  the first EVENT_SUBSCRIPTION together with the others.
- subscribe_event() must never be called from inside a callback (it deadlocks).
"""

import argparse
import json
import os
import sys
import time
import zlib

MEDIA_TYPES = ("audio", "video", "deskshare", "transcript")


def _sdk_defaults(rtms, client) -> None:
    """Set nothing: the wrapper asks for its defaults (see docs/protocol.md §7.2)."""


def _l16_mixed_jpg_png(rtms, client) -> None:
    """The documented server defaults for audio, and the still-image codecs."""
    client.set_audio_params(
        rtms.AudioParams(content_type=2, codec=1, sample_rate=1, channel=1, data_opt=1, duration=20, frame_size=320)
    )
    client.set_video_params(rtms.VideoParams(content_type=3, codec=5, resolution=1, data_opt=3, fps=5))
    client.set_deskshare_params(rtms.DeskshareParams(content_type=3, codec=6, resolution=1, fps=1))
    t = rtms.TranscriptParams()
    t.src_language = 9
    t.enable_lid = False
    client.set_transcript_params(t)


MEDIA_PARAM_SETS = {"sdk-defaults": _sdk_defaults, "l16-mixed-jpg-png": _l16_mixed_jpg_png}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server-urls", required=True, help="signaling URL(s), as a webhook gives them")
    ap.add_argument("--meeting-uuid", required=True)
    ap.add_argument("--stream-id", required=True)
    ap.add_argument("--client-id", default="sim-client-id")
    ap.add_argument("--client-secret", default="sim-client-secret")
    ap.add_argument("--out", required=True, help="file to write JSON lines to")
    ap.add_argument("--timeout", type=float, default=60.0, help="give up after this many seconds")
    ap.add_argument("--poll-interval", type=float, default=0.002, help="seconds between poll() calls")
    ap.add_argument("--linger", type=float, default=0.3, help="keep polling this long after on_leave")
    ap.add_argument(
        "--media-params",
        choices=sorted(MEDIA_PARAM_SETS),
        default="sdk-defaults",
        help="sdk-defaults: set no params (OPUS 48 kHz stereo per participant, H.264 HD 30 fps); "
        "l16-mixed-jpg-png: L16 16 kHz mono mixed audio, JPG video, PNG share, English transcript",
    )
    args = ap.parse_args()

    # generate_signature() in the wrapper prefers these over its arguments; never let a stray
    # environment change the signature under test.
    for var in ("ZM_RTMS_CLIENT", "ZM_RTMS_SECRET"):
        os.environ.pop(var, None)

    # The C SDK writes its log to ./logs/ and complains on every line if the folder is missing.
    os.makedirs("logs", exist_ok=True)
    out = open(args.out, "w", buffering=1, encoding="utf-8")
    t0 = time.monotonic()

    def emit(cb: str, **fields) -> None:
        rec = {"cb": cb, "t": round(time.monotonic() - t0, 4)}
        rec.update(fields)
        out.write(json.dumps(rec, sort_keys=True) + "\n")

    try:
        import rtms  # noqa: PLC0415 - imported here so a broken install is reported as a line
    except Exception as e:  # pragma: no cover - reported to the test
        emit("error", stage="import", error=repr(e))
        return 4

    emit("sdk", module=getattr(rtms, "__file__", "?"), python=sys.version.split()[0])

    totals = {m: {"packets": 0, "bytes": 0, "crc32": 0, "users": {}} for m in MEDIA_TYPES}
    state = {"joined": None, "left": None}

    def media_callback(kind: str):
        def cb(data, size, timestamp, metadata):
            payload = bytes(data) if data is not None else b""
            crc = zlib.crc32(payload)
            uid = int(getattr(metadata, "userId", 0))
            name = _safe_str(metadata, "userName")
            tot = totals[kind]
            tot["packets"] += 1
            tot["bytes"] += len(payload)
            tot["crc32"] = zlib.crc32(payload, tot["crc32"])
            u = tot["users"].setdefault(str(uid), {"packets": 0, "bytes": 0, "crc32": 0, "user_name": name})
            u["packets"] += 1
            u["bytes"] += len(payload)
            u["crc32"] = zlib.crc32(payload, u["crc32"])
            rec = {
                "size": int(size),
                "len": len(payload),
                "crc32": f"{crc:08x}",
                "head": payload[:8].hex(),
                "timestamp": int(timestamp),
                "user_id": uid,
                "user_name": name,
            }
            if kind == "transcript":
                rec["text"] = payload.decode("utf-8", "replace")
                rec["start_ts"] = int(getattr(metadata, "startTs", 0))
                rec["end_ts"] = int(getattr(metadata, "endTs", 0))
            emit(kind, **rec)

        return cb

    client = rtms.Client()

    def on_join_confirm(reason):
        state["joined"] = int(reason)
        emit("join_confirm", reason=int(reason))

    def on_session_update(op, session):
        emit(
            "session_update",
            op=int(op),
            session_id=_safe_str(session, "sessionId"),
            status=_safe_int(session, "status"),
        )

    def on_user_update(op, participant):
        emit("user_update", op=int(op), user_id=_safe_int(participant, "id"), user_name=_safe_str(participant, "name"))

    def on_participant_event(event, timestamp, participants):
        emit(
            "participant_event",
            event=event,
            timestamp=int(timestamp or 0),
            participants=[
                {"user_id": p.get("user_id"), "user_name": p.get("user_name")} for p in (participants or [])
            ],
        )

    def on_active_speaker(timestamp, user_id, user_name):
        emit("active_speaker", timestamp=int(timestamp or 0), user_id=user_id, user_name=user_name)

    def on_sharing(event, timestamp, user_id, user_name):
        emit("sharing", event=event, timestamp=int(timestamp or 0), user_id=user_id, user_name=user_name)

    def on_interrupted(timestamp):
        emit("media_interrupted", timestamp=int(timestamp or 0))

    def on_participant_video(users, is_on):
        emit("participant_video", users=[int(u) for u in users], on=bool(is_on))

    def on_video_subscribed(user_id, status, error):
        emit("video_subscribed", user_id=int(user_id), status=int(status), error=str(error))

    def on_event_ex(raw):
        emit("event_ex", json=raw)

    def on_leave(reason):
        state["left"] = int(reason)
        emit("leave", reason=int(reason))

    client.on_join_confirm(on_join_confirm)
    client.on_session_update(on_session_update)
    client.on_user_update(on_user_update)
    client.on_participant_event(on_participant_event)
    client.on_active_speaker_event(on_active_speaker)
    client.on_sharing_event(on_sharing)
    client.on_media_connection_interrupted(on_interrupted)
    client.on_participant_video(on_participant_video)
    client.on_video_subscribed(on_video_subscribed)
    client.on_event_ex(on_event_ex)
    client.on_audio_data(media_callback("audio"))
    client.on_video_data(media_callback("video"))
    client.on_deskshare_data(media_callback("deskshare"))
    client.on_transcript_data(media_callback("transcript"))
    client.on_leave(on_leave)

    MEDIA_PARAM_SETS[args.media_params](rtms, client)
    emit("media_params", name=args.media_params)

    # Own the SDK thread: assign the client to a loop we never start, then alloc + join +
    # poll on this (main) thread ourselves.
    loop = rtms.EventLoop(poll_interval=args.poll_interval, name="conformance")
    loop.add(client)
    client.join(
        meeting_uuid=args.meeting_uuid,
        rtms_stream_id=args.stream_id,
        server_urls=args.server_urls,
        client=args.client_id,
        secret=args.client_secret,
    )
    try:
        client._do_alloc_and_join()
    except Exception as e:
        emit("error", stage="join", error=repr(e))
        return 4
    # Work around the wrapper losing pre-join subscriptions (see module notes).
    client.subscribe_event(list(range(1, 10)))
    emit("subscribed", events=list(range(1, 10)))

    deadline = time.monotonic() + args.timeout
    left_at = None
    code = 2
    while time.monotonic() < deadline:
        client.poll()
        if state["joined"] not in (None, 0):
            code = 3
            break
        if state["left"] is not None:
            if left_at is None:
                left_at = time.monotonic()
            if time.monotonic() - left_at >= args.linger:
                code = 0
                break
        time.sleep(args.poll_interval)
    else:
        emit("timeout", after=args.timeout, joined=state["joined"], left=state["left"])

    emit("totals", media={k: _fmt_totals(v) for k, v in totals.items()})
    out.flush()
    os.fsync(out.fileno())
    out.close()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: the C SDK has been seen to abort ("terminate called without
    # an active exception") at exit, which would turn a clean run into a crash.
    os._exit(code)


def _fmt_totals(t: dict) -> dict:
    return {
        "packets": t["packets"],
        "bytes": t["bytes"],
        "crc32": f"{t['crc32']:08x}",
        "users": {
            uid: {"packets": u["packets"], "bytes": u["bytes"], "crc32": f"{u['crc32']:08x}", "user_name": u["user_name"]}
            for uid, u in t["users"].items()
        },
    }


def _safe_str(obj, attr: str) -> str:
    # The C SDK hands over uninitialised memory in some string fields (Session.meetingId,
    # Session.streamId); reading them can raise UnicodeDecodeError.
    try:
        v = getattr(obj, attr)
        return v if isinstance(v, str) else str(v)
    except Exception as e:
        return f"<unreadable: {type(e).__name__}>"


def _safe_int(obj, attr: str) -> int:
    try:
        return int(getattr(obj, attr))
    except Exception:
        return -1


if __name__ == "__main__":
    sys.exit(main())
