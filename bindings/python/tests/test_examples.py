"""Zoom's own usage, unchanged, in a separate process: the simulator posts signed webhooks to
it and the example joins, prints transcripts and leaves; then the process is stopped."""

from __future__ import annotations

import os
import pathlib
import socket
import subprocess
import sys
import time

from rtms.testing import Simulator

EXAMPLE = pathlib.Path(__file__).resolve().parent / "examples" / "official_readme.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_official_readme_example_runs_unchanged() -> None:
    port = free_port()
    env = {
        **os.environ,
        "ZM_RTMS_PORT": str(port),
        "ZM_RTMS_CLIENT": "sim-client-id",
        "ZM_RTMS_SECRET": "sim-client-secret",
        "ZM_RTMS_WEBHOOK_SECRET": "example-webhook-secret",
        "ZM_RTMS_LOG_LEVEL": "warn",
    }
    proc = subprocess.Popen([sys.executable, str(EXAMPLE)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # wait for the webhook server to listen
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/"
        with Simulator("quick", speed=4, webhook_url=url, webhook_secret="example-webhook-secret", validate_webhook=True) as sim:
            summary = sim.wait(30)
            time.sleep(0.3)  # let the example print its last lines
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert summary is not None, err
    m = summary["meetings"][0]
    lines = out.splitlines()
    transcripts = [line.split(": ", 1)[1] for line in lines if " -- " in line]
    assert transcripts == m["transcripts"], (out, err)
    assert sum(1 for line in lines if line.startswith("audio ")) == m["media"]["audio"]["packets"]
    assert "left 6" in lines
    assert [w["status"] for w in m["webhooks"]][:1] == [200], m["webhooks"]
