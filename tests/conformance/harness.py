"""Helpers shared by the conformance tests: paths, and a running rtms-sim process."""

from __future__ import annotations

import json
import queue
import re
import subprocess
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

#: The script that drives Zoom's official SDK (run with the official venv's python).
DRIVER = HERE / "official_client.py"


class Sim:
    """One rtms-sim process: its JSON lines on stdout, its log on stderr (kept in a file)."""

    def __init__(self, binary: Path, args: list[str], workdir: Path):
        self.args = [str(binary), *args]
        self.stderr_path = workdir / "sim.stderr.log"
        self._stderr = open(self.stderr_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(
            self.args,
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[dict | str] = queue.Queue()
        self.stdout_log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            line = line.strip()
            if not line:
                continue
            self.stdout_log.append(line)
            try:
                self.lines.put(json.loads(line))
            except json.JSONDecodeError:
                self.lines.put(line)

    def wait_event(self, name: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                item = self.lines.get(timeout=min(left, 0.5))
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            if isinstance(item, dict) and item.get("event") == name:
                return item
        raise AssertionError(
            f"rtms-sim printed no {name!r} line within {timeout}s (exit code {self.proc.poll()}).\n"
            f"command: {' '.join(self.args)}\nstdout:\n" + "\n".join(self.stdout_log[-20:]) + "\n" + self.stderr_tail()
        )

    def stderr_tail(self, n: int = 25) -> str:
        self._stderr.flush()
        try:
            lines = self.stderr_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return "rtms-sim stderr (last lines):\n" + "\n".join(_ANSI.sub("", l) for l in lines[-n:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._stderr.close()
