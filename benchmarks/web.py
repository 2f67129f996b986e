"""HTTP measurements: gunicorn servers, a signed-in client, wrk runs, page weight, memory.

Only loopback: every server binds 127.0.0.1 and every request goes there. Each wrk run is
bounded in time (``-d``) and stops by itself; every server is stopped in ``Servers.close``.
"""

from __future__ import annotations

import contextlib
import gzip
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

WORKERS = 2
WORKER_CLASS = "sync"
THREADS = 2
CONNECTIONS = 8
#: The same User-Agent for the sign-in and for wrk: Flask-Login's "strong" session protection
#: ties the session to the address and the User-Agent it was created with.
USER_AGENT = "assess-benchmark/1"
ROOT = Path(__file__).resolve().parent.parent


def loopback_socket() -> socket.socket:
    """A TCP socket bound to 127.0.0.1 on a port the kernel chose, inheritable by a child:
    handed to gunicorn as ``--bind fd://N``, so no other process can take the port between
    the choice and the bind."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.set_inheritable(True)
    return sock


# --------------------------------------------------------------------------- servers


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        """The worker processes: the gunicorn master's children."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        with contextlib.suppress(OSError):
            return [int(p) for p in children.read_text().split()]
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(stat.parent.name))
        return found

    def tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def peak_memory_mb(pid: int) -> float | None:
    """VmHWM (the peak resident set size) of a process, in MB (10^6 bytes)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    return None


@dataclass
class Servers:
    folder: str
    started: list[Server] = field(default_factory=list)

    def start(self, name: str, app: str, env: dict[str, str], probe: str) -> Server:
        sock = loopback_socket()
        port = sock.getsockname()[1]
        log = Path(self.folder) / f"{name}.log"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--worker-class",
            WORKER_CLASS,
            "--bind",
            f"fd://{sock.fileno()}",
            "--log-level",
            "warning",
            app,
        ]
        with sock, open(log, "wb") as out:  # the child keeps its copy of the socket
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                pass_fds=(sock.fileno(),),
                start_new_session=True,  # its own process group: stopped as a whole
            )
        server = Server(name, port, process, log)
        self.started.append(server)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} server exited:\n{server.tail()}")
            try:
                with urllib.request.urlopen(server.base + probe, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        else:
            raise RuntimeError(
                f"{name} server did not answer {probe} within 60 s:\n{server.tail()}"
            )
        # Both workers booted (each loads the app on its own: no --preload, as served).
        while len(server.workers()) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.1)
        return server

    def close(self) -> None:
        for server in self.started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGTERM)
        for server in self.started:
            try:
                server.process.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(server.process.pid, signal.SIGKILL)
                server.process.wait(5)
        self.started.clear()


# --------------------------------------------------------------------------- a browser-like client


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Client:
    """A signed-in user: cookies kept, redirects not followed, gzip accepted (not decoded)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(
        self,
        path: str,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(  # noqa: S310  (always http://127.0.0.1)
            self.base + path,
            data=body,
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            method="POST" if data is not None else "GET",
        )
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx, 5xx
            return exc.code, dict(exc.headers.items()), exc.read()

    def text(self, path: str) -> str:
        status, headers, body = self.request(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status} {headers.get('Location', '')}")
        return _decoded(headers, body).decode("utf-8")

    def login(self, email: str, password: str) -> None:
        form = FormReader.read(self.text("/login")).form_with("csrf_token")
        token = form.fields.get("csrf_token") if form else None
        if not token:
            raise RuntimeError("no CSRF token on /login")
        status, _, _ = self.request(
            "/login", {"email": email, "password": password, "csrf_token": token}
        )
        if status != 302:
            raise RuntimeError(f"sign-in failed: {status}")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def _decoded(headers: dict[str, str], body: bytes) -> bytes:
    if headers.get("Content-Encoding") == "gzip":
        return gzip.decompress(body)
    return body


@dataclass
class Form:
    """One POST form of a page: what a browser would send, as the page stands."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class FormReader(HTMLParser):
    """The POST forms of a page (a page may have several: sign-out is a form too)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None

    @classmethod
    def read(cls, html: str) -> FormReader:
        reader = cls()
        reader.feed(html)
        return reader

    def form_with(self, prefix: str) -> Form | None:
        """The form with the most fields whose names start with ``prefix``."""
        scored = [(sum(k.startswith(prefix) for k in f.fields), f) for f in self.forms]
        scored = [(n, f) for n, f in scored if n]
        return max(scored, key=lambda pair: pair[0])[1] if scored else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = Form(a.get("action", ""))
            self.forms.append(self._form)
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    form.fields[name] = a.get("value", "on")
            elif kind in ("submit", "button"):
                form.buttons.append((name, a.get("value", "")))
            else:
                form.fields[name] = a.get("value", "")
        elif tag == "button" and name:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            form.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._form is not None and self._textarea:
            # A browser drops the one newline right after <textarea>.
            value = self._form.fields[self._textarea]
            self._form.fields[self._textarea] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        if tag == "form":
            self._form = None


# --------------------------------------------------------------------------- wrk

LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"p50\\": %d, \\"p95\\": %d, " ..
    "\\"p99\\": %d, \\"max\\": %d, \\"status_errors\\": %d, \\"socket_errors\\": %d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Endpoint:
    """One thing to load: a URL, and for a POST its body; with ``alternate``, each wrk
    thread sends ``body`` and ``alternate`` in turn (so every save changes something)."""

    name: str
    url: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    alternate: str | None = None

    def lua(self) -> str:
        lines = [f"wrk.method = {_lua_string(self.method)}"]
        for key, value in {"User-Agent": USER_AGENT, **self.headers}.items():
            lines.append(f"wrk.headers[{_lua_string(key)}] = {_lua_string(value)}")
        if self.body is not None:
            lines.append(f"wrk.body = {_lua_string(self.body)}")
        if self.body is not None and self.alternate is not None:
            lines += [
                f"local bodies = {{{_lua_string(self.body)}, {_lua_string(self.alternate)}}}",
                "local turn = 0",
                "request = function()",
                "  turn = turn + 1",
                "  return wrk.format(nil, nil, nil, bodies[turn % 2 + 1])",
                "end",
            ]
        return "\n".join(lines) + "\n" + LUA_DONE


def send(endpoint: Endpoint) -> tuple[int, str]:
    """One request as wrk will send it: the status and the Location header."""
    req = urllib.request.Request(  # noqa: S310  (always http://127.0.0.1)
        endpoint.url,
        data=endpoint.body.encode() if endpoint.body is not None else None,
        headers={"User-Agent": USER_AGENT, **endpoint.headers},
        method=endpoint.method,
    )
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        with opener.open(req, timeout=30) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", "")


def _lua_string(text: str) -> str:
    """A Lua string literal: safe bytes as they are, every other byte as a \\ddd escape."""
    safe = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:/=;,&%+*"
    return '"' + "".join(chr(b) if b in safe else f"\\{b:03d}" for b in text.encode()) + '"'


@dataclass
class Run:
    name: str
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    status_errors: int
    socket_errors: int
    wrk_rps: float | None  # wrk's own "Requests/sec" line, as a cross-check
    cpu_ms: float | None  # the server workers' CPU time per request

    @property
    def errors(self) -> int:
        return self.status_errors + self.socket_errors


def wrk_available() -> str | None:
    return shutil.which("wrk")


def wrk(endpoint: Endpoint, seconds: int, folder: str, server: Server | None = None) -> Run:
    """One wrk run; with ``server``, also its workers' CPU time per request (robust to other
    load on the machine, unlike throughput)."""
    script = Path(tempfile.mkstemp(suffix=".lua", dir=folder)[1])
    script.write_text(endpoint.lua())
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(script),
        endpoint.url,
    ]
    workers = server.workers() if server else []
    cpu_before = cpu_seconds(workers)
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    cpu = cpu_seconds(workers) - cpu_before
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed for {endpoint.name}: {done.stderr or done.stdout}")
    match = re.search(r"^WRKJSON (\{.*\})$", done.stdout, re.M)
    if not match:
        raise RuntimeError(f"wrk printed no summary for {endpoint.name}:\n{done.stdout}")
    data = json.loads(match.group(1))
    own = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    return Run(
        name=endpoint.name,
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50"] / 1000,
        p95_ms=data["p95"] / 1000,
        p99_ms=data["p99"] / 1000,
        requests=data["requests"],
        status_errors=data["status_errors"],
        socket_errors=data["socket_errors"],
        wrk_rps=float(own.group(1)) if own else None,
        cpu_ms=cpu * 1000 / data["requests"] if workers and data["requests"] else None,
    )


# --------------------------------------------------------------------------- page weight


class AssetReader(HTMLParser):
    """The ``<script src>`` and ``<link href>`` a page references."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script" and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "link" and a.get("href"):
            self.assets.append(a["href"])


@dataclass
class Asset:
    path: str
    bytes: int
    cache_control: str
    long_lived: bool
    revalidated: int | None  # body bytes of a conditional re-request (0 on 304)


def long_lived(cache_control: str) -> bool:
    cc = cache_control.lower()
    if "no-store" in cc or "no-cache" in cc:
        return False
    if "immutable" in cc:
        return True
    match = re.search(r"max-age=(\d+)", cc)
    return bool(match and int(match.group(1)) >= 7 * 24 * 3600)


def page_weight(client: Client, path: str) -> tuple[int, list[Asset]]:
    """The page's HTML bytes and its same-origin assets, each as transferred with
    ``Accept-Encoding: gzip`` (the compressed body when the server compresses)."""
    accept = {"Accept-Encoding": "gzip"}
    status, headers, body = client.request(path, headers=accept)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    reader = AssetReader()
    reader.feed(_decoded(headers, body).decode("utf-8"))
    assets = []
    for src in dict.fromkeys(reader.assets):
        parts = urllib.parse.urlsplit(src)
        if parts.netloc and parts.netloc != urllib.parse.urlsplit(client.base).netloc:
            continue  # another origin: none expected (the app uses no CDN)
        asset_path = parts.path + (f"?{parts.query}" if parts.query else "")
        a_status, a_headers, a_body = client.request(asset_path, headers=accept)
        if a_status != 200:
            raise RuntimeError(f"GET {asset_path} answered {a_status}")
        cache_control = a_headers.get("Cache-Control", "")
        revalidated = None
        validators = {}
        if a_headers.get("ETag"):
            validators["If-None-Match"] = a_headers["ETag"]
        if a_headers.get("Last-Modified"):
            validators["If-Modified-Since"] = a_headers["Last-Modified"]
        if validators:
            r_status, _, r_body = client.request(asset_path, headers={**accept, **validators})
            revalidated = 0 if r_status == 304 else len(r_body)
        assets.append(
            Asset(asset_path, len(a_body), cache_control, long_lived(cache_control), revalidated)
        )
    return len(body), assets
