"""A real server for tests: gunicorn serving ``assess:create_app()`` as production does, on
127.0.0.1, in its own process group (stopped as a whole, by SIGTERM or by SIGKILL), and a small
JSON client for it (one connection per request, bounded by a timeout).

The port is never guessed: the test process binds 127.0.0.1:0 itself, reads the port the kernel
gave, and hands the bound socket to gunicorn (``--bind fd://N``), so no other process can take
the port between the choice and the bind.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: Settings of the test process that must not leak into the server's environment.
_NOT_INHERITED = ("GUNICORN_CMD_ARGS", "WEB_CONCURRENCY", "DATABASE_URL", "SECRET_KEY")


def loopback_socket() -> socket.socket:
    """A TCP socket bound to 127.0.0.1 on a port the kernel chose, inheritable by a child."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.set_inheritable(True)
    return sock


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``timeout`` seconds.

    The deadline is generous on purpose: a slow or busy machine only waits longer, it never
    changes what the test asserts."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.01)


@dataclass
class Gunicorn:
    """``gunicorn --workers N --worker-class sync 'assess:create_app()'``, configured only by
    its environment (ASSESS_INSTANCE_PATH, DATABASE_URL, SECRET_KEY)."""

    env: dict[str, str]
    log: Path
    workers: int = 4
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, timeout: float = 60.0) -> Gunicorn:
        sock = loopback_socket()
        self.port = sock.getsockname()[1]
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"fd://{sock.fileno()}",  # the socket bound above: the port is ours already
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
            "assess:create_app()",
        ]
        env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
        env.update(self.env)
        with sock, open(self.log, "ab") as out:  # the child keeps its copy of the socket
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                pass_fds=(sock.fileno(),),
                start_new_session=True,  # its own process group: stopped as a whole
            )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not start within {timeout:.0f} s:\n{self.tail()}")
            try:
                ready = self.request("GET", "/api/v1/openapi.json", timeout=5)[0] == 200
            except OSError:
                ready = False
            # every worker booted (each loads the app itself, as served: no --preload)
            if ready and len(self.worker_pids()) >= self.workers:
                return self
            time.sleep(0.1)

    def worker_pids(self) -> list[int]:
        """The worker processes: the gunicorn master's children."""
        assert self.process is not None
        pid = self.process.pid
        with contextlib.suppress(OSError):
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(stat.parent.name))
        return found

    def kill(self) -> None:
        """SIGKILL the whole process group: master and workers die mid-request."""
        self._signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(15)

    def stop(self) -> None:
        """SIGTERM the process group (SIGKILL if it lingers); safe to call twice."""
        if self.process is None or self.process.returncode is not None:
            return
        self._signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()

    def _signal(self, sig: signal.Signals) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, sig)

    def tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
    ) -> tuple[int, Any]:
        """One request on its own connection: the status and the JSON body (None if not JSON).
        Raises OSError (refused, reset, timed out) when no response came."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            data = None if body is None else json.dumps(body).encode()
            sent = {"Content-Type": "application/json", **(headers or {})}
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            raw = response.read()
        except http.client.HTTPException as exc:  # e.g. RemoteDisconnected mid-response
            raise ConnectionError(str(exc)) from exc
        finally:
            connection.close()
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, None
