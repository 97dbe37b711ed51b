"""The typing surface: `rtms/constants.pyi` is generated from the runtime enums (which come
from rtms-core) and must match it, and an example using the whole API passes `mypy --strict`.

Regenerate the stub with: python tests/test_stubs.py --write
"""

from __future__ import annotations

import enum
import pathlib
import shutil
import subprocess
import sys

import pytest

import rtms.constants as constants

STUB = pathlib.Path(__file__).resolve().parent.parent / "python" / "rtms" / "constants.pyi"
EXAMPLE = pathlib.Path(__file__).resolve().parent / "typing_example.py"


def render() -> str:
    out = [
        '"""Generated from the runtime by tests/test_stubs.py --write; do not edit."""',
        "",
        "from enum import Enum, IntEnum",
        "from typing import List",
        "",
    ]
    aliases = []
    for name in constants.__all__:
        value = getattr(constants, name)
        if isinstance(value, type) and issubclass(value, enum.Enum):
            if value.__name__ != name:
                aliases.append(f"{name} = {value.__name__}")
                continue
            base = "IntEnum" if issubclass(value, enum.IntEnum) else "str, Enum"
            out.append(f"class {name}({base}):")
            for member in value:
                out.append(f"    {member.name} = {member.value!r}")
            out.append("")
        elif isinstance(value, int):
            out.append(f"{name}: int")
    out.append("")
    out.extend(aliases)
    out.append("")
    out.append("__all__: List[str] = [")
    out.extend(f"    {name!r}," for name in constants.__all__)
    out.append("]")
    return "\n".join(out) + "\n"


def test_constants_stub_matches_the_runtime() -> None:
    assert STUB.read_text() == render(), "constants.pyi is stale: run python tests/test_stubs.py --write"


def test_official_values() -> None:
    assert (constants.MEDIA_TYPE_AUDIO, constants.MEDIA_TYPE_CHAT, constants.MEDIA_TYPE_ALL) == (1, 16, 32)
    assert constants.AudioCodec.OPUS == 4 and constants.VideoCodec.H264 == 7 and constants.AudioSampleRate.SR_48K == 3
    assert constants.VideoContentType.RAW_VIDEO == 3 and constants.AudioContentType.RAW_AUDIO == 2
    assert constants.StopReason.STREAMING_NOT_SUPPORTED == 26 and len(constants.StopReason) == 27
    assert constants.TranscriptLanguage.NONE == -1 and constants.TranscriptLanguage.VIETNAMESE == 36
    assert constants.MessageType.VIDEO_SUBSCRIPTION_RESP == 29 and constants.StreamState.RESUMED == 6
    assert (constants.EVENT_CONSUMER_ANSWERED, constants.EVENT_USER_UNHOLD, constants.EVENT_PARTICIPANT_VIDEO_OFF) == (8, 13, 9)
    assert (constants.RTMS_SDK_FAILURE, constants.RTMS_SDK_INVALID_ARGS, constants.SESSION_EVENT_RESUME) == (-1, 5, 4)
    assert constants.AudioDataOption is constants.DataOption is constants.VideoDataOption


@pytest.mark.skipif(shutil.which("mypy") is None and not (pathlib.Path(sys.executable).parent / "mypy").exists(), reason="mypy not installed")
def test_an_example_using_the_whole_api_passes_mypy_strict() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(EXAMPLE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


if __name__ == "__main__":
    if "--write" in sys.argv:
        STUB.write_text(render())
        print(f"wrote {STUB}")
