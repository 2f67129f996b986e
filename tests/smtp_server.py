"""A tiny SMTP server for tests: speaks enough of RFC 5321 for smtplib (EHLO, AUTH PLAIN/LOGIN,
MAIL, RCPT, DATA, QUIT) and keeps what it receives. It listens on 127.0.0.1 only."""

from __future__ import annotations

import base64
import queue
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage


class SmtpServer:
    def __init__(self) -> None:
        self.messages: queue.Queue[EmailMessage] = queue.Queue()
        self.logins: list[tuple[str, str]] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(5)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> SmtpServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()

    def url(self, user: str = "mailer", password: str = "s3cret") -> str:  # noqa: S107
        return f"smtp://{user}:{password}@127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(10)
                self._session(conn.makefile("rwb"))

    def _session(self, stream) -> None:
        def say(line: str) -> None:
            stream.write(line.encode() + b"\r\n")
            stream.flush()

        say("220 test ESMTP")
        while True:
            line = stream.readline().decode().rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if not line or verb == "QUIT":
                say("221 bye")
                return
            if verb == "EHLO":
                say("250-test")
                say("250 AUTH PLAIN LOGIN")
            elif verb == "AUTH":
                parts = line.split()
                if parts[1].upper() == "PLAIN":
                    raw = parts[2] if len(parts) > 2 else ""
                    if not raw:
                        say("334 ")
                        raw = stream.readline().decode().strip()
                    _, user, password = base64.b64decode(raw).decode().split("\0")
                else:
                    say("334 VXNlcm5hbWU6")
                    user = base64.b64decode(stream.readline().strip()).decode()
                    say("334 UGFzc3dvcmQ6")
                    password = base64.b64decode(stream.readline().strip()).decode()
                self.logins.append((user, password))
                say("235 ok")
            elif verb in {"MAIL", "RCPT", "RSET", "NOOP", "HELO"}:
                say("250 ok")
            elif verb == "DATA":
                say("354 go on")
                lines = []
                while (chunk := stream.readline()) not in (b".\r\n", b""):
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.messages.put(message_from_bytes(b"".join(lines), policy=policy.default))
                say("250 queued")
            else:
                say("502 not here")
