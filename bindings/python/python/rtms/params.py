"""Media parameter classes: ``AudioParams``, ``VideoParams``, ``DeskshareParams``,
``TranscriptParams`` (and ``ChatParams``).

Each accepts the official positional order, snake_case keywords or camelCase keywords, and
exposes every field under both names (``sample_rate`` / ``sampleRate``). Defaults are the
official SDK's (OPUS 48 kHz stereo per participant; H.264 HD 30 fps). Validation is the core's
and happens when the params are set on a client (``InvalidArgumentError``).
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, Tuple

__all__ = ["AudioParams", "VideoParams", "DeskshareParams", "TranscriptParams", "ChatParams"]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


class _Params:
    """Shared machinery: fields in official order, camelCase aliases, dict conversion."""

    _fields: ClassVar[Tuple[Tuple[str, Any], ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(self._fields):
            raise TypeError(f"{type(self).__name__} takes at most {len(self._fields)} positional arguments")
        for (name, default), value in zip(self._fields, args + (None,) * (len(self._fields) - len(args))):
            object.__setattr__(self, name, default if value is None else value)
        aliases = {_camel(n): n for n, _ in self._fields}
        for key, value in kwargs.items():
            name = aliases.get(key, key)
            if name not in dict(self._fields):
                raise TypeError(f"{type(self).__name__} has no field {key!r}")
            if value is not None:
                object.__setattr__(self, name, value)

    def __getattr__(self, key: str) -> Any:
        # Only called for missing attributes: camelCase aliases.
        for name, _ in type(self)._fields:
            if _camel(name) == key:
                return object.__getattribute__(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {key!r}")

    def __setattr__(self, key: str, value: Any) -> None:
        for name, _ in self._fields:
            if key in (name, _camel(name)):
                object.__setattr__(self, name, value)
                return
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {key!r}")

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a snake_case dict."""
        return {name: getattr(self, name) for name, _ in self._fields}

    @classmethod
    def _coerce(cls, value: Any = None, **kwargs: Any) -> "_Params":
        """An instance from an instance, a dict (either case) or keywords."""
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            return cls(**value, **kwargs)
        if value is None:
            return cls(**kwargs)
        # Duck typing: an object with the official attribute names (the official classes).
        return cls(**{n: getattr(value, n, getattr(value, _camel(n), d)) for n, d in cls._fields})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Params) and type(other) is type(self) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items())
        return f"{type(self).__name__}({inner})"


class AudioParams(_Params):
    """Audio parameters. Defaults: RAW_AUDIO, OPUS, SR_48K, STEREO, AUDIO_MULTI_STREAMS, 20 ms,
    960 samples. ``frame_size`` is informational (the core derives it from rate and duration)."""

    _fields = (("content_type", 2), ("codec", 4), ("sample_rate", 3), ("channel", 2), ("data_opt", 2), ("duration", 20), ("frame_size", 960))
    content_type: int
    codec: int
    sample_rate: int
    channel: int
    data_opt: int
    duration: int
    frame_size: int


class VideoParams(_Params):
    """Video parameters. Defaults: RAW_VIDEO, H264, HD, VIDEO_SINGLE_ACTIVE_STREAM, 30 fps."""

    _fields = (("content_type", 3), ("codec", 7), ("resolution", 2), ("data_opt", 3), ("fps", 30))
    content_type: int
    codec: int
    resolution: int
    data_opt: int
    fps: int


class DeskshareParams(_Params):
    """Screen-share parameters. Defaults: RAW_VIDEO, H264, HD, 30 fps."""

    _fields = (("content_type", 3), ("codec", 7), ("resolution", 2), ("fps", 30))
    content_type: int
    codec: int
    resolution: int
    fps: int


class TranscriptParams(_Params):
    """Transcript parameters. Defaults: TEXT, language detection (``src_language=-1``), LID on."""

    _fields = (("content_type", 5), ("src_language", -1), ("enable_lid", True))
    content_type: int
    src_language: int
    enable_lid: bool


class ChatParams(_Params):
    """Chat parameters (not in the official SDK). Default: TEXT."""

    _fields = (("content_type", 5),)
    content_type: int
