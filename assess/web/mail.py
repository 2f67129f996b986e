"""Sending mail (password reset links) through the server named by ASSESS_SMTP_URL:
``smtp://user:password@host:port`` (plain, port 25 by default) or ``smtps://...`` (TLS from
the first byte, port 465 by default). Absolute links use ASSESS_BASE_URL when it is set, so
a forged Host header never ends up in a mail."""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import threading
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app

log = logging.getLogger(__name__)


class MailSettingsError(ValueError):
    """ASSESS_SMTP_URL is not an smtp:// or smtps:// URL with a host."""


def smtp_url() -> str:
    return (
        current_app.config.get("ASSESS_SMTP_URL") or os.environ.get("ASSESS_SMTP_URL") or ""
    ).strip()


def _settings(url: str) -> tuple[bool, str, int, str | None, str | None]:
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise MailSettingsError("ASSESS_SMTP_URL must look like smtp://user:pass@host:port")
    tls = parts.scheme == "smtps"
    port = parts.port or (465 if tls else 25)
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return tls, parts.hostname, port, user, password


def send(url: str, sender: str, to: str, subject: str, text: str, timeout: float = 20) -> None:
    """Send one plain-text mail (raises on failure)."""
    tls, host, port, user, password = _settings(url)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(text)
    client: smtplib.SMTP
    if tls:
        client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if user:
            client.login(user, password or "")
        client.send_message(message)


def send_later(url: str, sender: str, to: str, subject: str, text: str) -> threading.Thread:
    """Send in the background: the page answers at once and alike whether or not a mail
    goes out (its timing says nothing about which addresses have accounts)."""

    def run() -> None:
        try:
            send(url, sender, to, subject, text)
        except (OSError, smtplib.SMTPException, MailSettingsError):
            log.warning("could not send mail to %s", to, exc_info=True)

    thread = threading.Thread(target=run, name="assess-mail", daemon=True)
    thread.start()
    return thread
