"""Logging: ``configure_logger`` (the core's output, ``ZM_RTMS_LOG_*``) and the official
``log_debug/info/warn/error`` helpers, which write to the ``rtms.<component>`` Python logger.

Callback errors are logged on the ``rtms`` Python logger with their traceback.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, Optional, Union

from . import _rtms

__all__ = ["configure_logger", "log_debug", "log_info", "log_warn", "log_error"]

_NAMES = ["error", "warn", "info", "debug", "trace"]


def _level_name(level: Union[str, int, None]) -> str:
    if level is None:
        return "info"
    if isinstance(level, int):  # LogLevel or a plain number
        if not 0 <= int(level) < len(_NAMES):
            raise ValueError(f"log level must be 0-4, got {level}")
        return _NAMES[int(level)]
    return str(level).lower()


def configure_logger(options: Optional[Dict[str, Any]] = None, **kwargs: Any) -> bool:
    """Configures the core's log output on stderr: ``{'level': 'debug'|LogLevel.DEBUG,
    'format': 'progressive'|'json', 'enabled': True}`` (a dict, or keywords)."""
    opts = {**(options or {}), **kwargs}
    fmt = opts.get("format", "progressive")
    fmt = getattr(fmt, "value", fmt)
    return bool(_rtms.configure_logger(bool(opts.get("enabled", True)), _level_name(opts.get("level")), str(fmt)))


def _emit(level: int, component: str, message: str, details: Optional[Dict[str, Any]]) -> None:
    logger = logging.getLogger(f"rtms.{component}")
    if details:
        logger.log(level, "%s %s", message, json.dumps(details, default=str))
    else:
        logger.log(level, "%s", message)


def log_debug(component: str, message: str, details: Optional[Dict[str, Any]] = None) -> None:
    """Logs at DEBUG on ``rtms.<component>``."""
    _emit(logging.DEBUG, component, message, details)


def log_info(component: str, message: str, details: Optional[Dict[str, Any]] = None) -> None:
    """Logs at INFO on ``rtms.<component>``."""
    _emit(logging.INFO, component, message, details)


def log_warn(component: str, message: str, details: Optional[Dict[str, Any]] = None) -> None:
    """Logs at WARNING on ``rtms.<component>``."""
    _emit(logging.WARNING, component, message, details)


def log_error(component: str, message: str, details: Optional[Dict[str, Any]] = None) -> None:
    """Logs at ERROR on ``rtms.<component>``."""
    _emit(logging.ERROR, component, message, details)
