"""Getting a built message out: SMTP when configured, else .eml files in a directory.

The directory twin lets the embedded default run with no mail server: an operator (or a
test) reads the files. A transport is a context manager so one SMTP connection serves a
whole batch of messages.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tempfile
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self
from urllib.parse import parse_qs, unquote, urlsplit

TIMEOUT_SECONDS = 30
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9@._-]")


class Transport(Protocol):
    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def send(self, message: EmailMessage) -> None: ...


class SMTPTransport:
    """``smtp://[user:pass@]host[:port][?starttls=1]`` or ``smtps://...`` (TLS from the start)."""

    def __init__(self, url: str, *, timeout: float = TIMEOUT_SECONDS) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("FORUM_SMTP_URL must look like smtp://host:port or smtps://host")
        query = parse_qs(parts.query)
        self.implicit_tls = parts.scheme == "smtps"
        self.starttls = query.get("starttls", ["0"])[0].lower() in ("1", "true", "yes")
        self.host = parts.hostname
        default_port = 465 if self.implicit_tls else (587 if self.starttls else 25)
        self.port = parts.port or default_port
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.implicit_tls:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.starttls:
                smtp.starttls(context=context)
        if self.username:
            smtp.login(self.username, self.password or "")
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        self._smtp.send_message(message)

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass  # the messages are already accepted or already failed
            self._smtp = None


class DirectoryTransport:
    """Write each message to ``<directory>/<message id>.eml``; a resend overwrites its file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def __enter__(self) -> Self:
        self.directory.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def path_for(self, message: EmailMessage) -> Path:
        message_id = str(message["Message-ID"] or "").strip("<>")
        name = _UNSAFE_FILENAME.sub("_", message_id) or "message"
        return self.directory / f"{name}.eml"

    def send(self, message: EmailMessage) -> None:
        target = self.path_for(message)
        # Written then renamed, so a reader never sees half a message.
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(message.as_bytes())
            os.chmod(tmp, 0o600)  # addresses and content: not for other local users
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def transport_from_config(config: Any, instance_path: str) -> SMTPTransport | DirectoryTransport:
    """The transport the settings ask for: ``SMTP_URL``, else the mail directory."""
    if config.get("SMTP_URL"):
        return SMTPTransport(config["SMTP_URL"])
    return DirectoryTransport(Path(config.get("MAIL_DIR") or Path(instance_path) / "mail"))
