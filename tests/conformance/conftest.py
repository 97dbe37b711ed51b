"""Fixtures for the conformance suite: Zoom's official SDK in a throwaway venv, and rtms-sim.

Environment knobs (all optional):
    RTMS_OFFICIAL_PYTHON   CPython 3.11 to build the official SDK's venv with (default: python3.11,
                           else this interpreter if it is 3.11)
    RTMS_OFFICIAL_VENV     where that venv lives (default: tests/conformance/.venv-official)
    RTMS_SIM_BIN           the rtms-sim binary (default: target/release/rtms-sim, built if missing)
    RTMS_CONFORMANCE_KEEP  keep the scratch folders (SDK logs, callback records) after the run
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import HERE, REPO

#: Zoom's official Python SDK, pinned: it bundles Zoom's closed C SDK (librtmsdk.so.0).
OFFICIAL_PACKAGE = "rtms==1.1.0"
OFFICIAL_VERSION = "1.1.0"
OFFICIAL_VENV = Path(os.environ.get("RTMS_OFFICIAL_VENV", HERE / ".venv-official"))


# --------------------------------------------------------------------------------------------
# Zoom's official SDK
# --------------------------------------------------------------------------------------------


def _python311() -> str | None:
    candidates = [os.environ.get("RTMS_OFFICIAL_PYTHON"), shutil.which("python3.11")]
    if sys.version_info[:2] == (3, 11):
        candidates.append(sys.executable)
    for c in candidates:
        if not c:
            continue
        r = subprocess.run(
            [c, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True
        )
        if r.returncode == 0 and r.stdout.strip() == "3.11":
            return c
    return None


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _official_installed(py: Path) -> bool:
    if not py.exists():
        return False
    r = subprocess.run(
        [str(py), "-c", "import importlib.metadata as m, rtms; print(m.version('rtms'))"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return r.returncode == 0 and r.stdout.strip() == OFFICIAL_VERSION


# A session fixture that fails is set up again for every test that uses it; remember the first
# failure instead of retrying a slow install or build each time.
_FAILED: dict[str, str] = {}


def _fail(key: str, message: str):
    _FAILED[key] = message
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def official_python() -> Path:
    """The interpreter of a throwaway venv holding Zoom's official SDK. Never skips: if the
    wheel cannot be installed, every test that needs it fails with the reason."""
    if "official" in _FAILED:
        pytest.fail(_FAILED["official"], pytrace=False)
    py = _venv_python(OFFICIAL_VENV)
    if _official_installed(py):
        return py
    base = _python311()
    if base is None:
        _fail(
            "official",
            "conformance: Zoom's official SDK (PyPI rtms==1.1.0) ships a CPython 3.11 linux-x64 wheel only, "
            "and no python3.11 was found. Install Python 3.11 or set RTMS_OFFICIAL_PYTHON.",
        )
    if OFFICIAL_VENV.exists():
        shutil.rmtree(OFFICIAL_VENV)
    steps = [
        [base, "-m", "venv", str(OFFICIAL_VENV)],
        [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--only-binary", ":all:", OFFICIAL_PACKAGE],
    ]
    for cmd in steps:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            _fail(
                "official",
                f"conformance: could not install Zoom's official SDK ({OFFICIAL_PACKAGE}).\n"
                f"command: {' '.join(cmd)}\nexit {r.returncode}\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}",
            )
    if not _official_installed(py):
        _fail("official", f"conformance: {OFFICIAL_PACKAGE} installed into {OFFICIAL_VENV} but cannot be imported")
    return py


# --------------------------------------------------------------------------------------------
# rtms-sim
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sim_bin() -> Path:
    """The rtms-sim binary; built with cargo (release, like `npm test`) when missing."""
    if "sim" in _FAILED:
        pytest.fail(_FAILED["sim"], pytrace=False)
    env_bin = os.environ.get("RTMS_SIM_BIN")
    if env_bin:
        path = Path(env_bin)
        if not path.exists():
            _fail("sim", f"RTMS_SIM_BIN={env_bin} does not exist")
        return path
    path = REPO / "target" / "release" / ("rtms-sim.exe" if os.name == "nt" else "rtms-sim")
    r = subprocess.run(
        ["cargo", "build", "--release", "-p", "rtms-sim", "--bin", "rtms-sim"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if r.returncode != 0 or not path.exists():
        _fail("sim", f"conformance: could not build rtms-sim (exit {r.returncode}):\n{r.stderr[-6000:]}")
    return path
