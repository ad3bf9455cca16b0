"""The mail receiver: SMTP or LMTP (aiosmtpd) for ``reply+TOKEN@domain``.

``flask --app wsgi forum mail-in`` runs it, usually behind Postfix or Exim (LMTP). The
asyncio loop only speaks the protocol; every check and the spooling run in threads with an
app context of their own, so a slow database never stalls the other sessions. A message is
answered "250" only once it is on disk (forum.mail.spool), then posted by one processing
thread (one writer at a time, as SQLite likes). Entries a crash left behind are processed
when the receiver starts again, and retried every ``SWEEP_SECONDS`` when posting failed
(the database was away, say); one that fails ``MAX_ATTEMPTS`` times is set aside in
``failed/`` for an operator. Mail bodies are never logged.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from pathlib import Path
from typing import Any, TypeVar

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from flask import Flask

from forum.mail import replies
from forum.mail.replies import Refused
from forum.mail.service import mail_domain
from forum.mail.spool import Spool

log = logging.getLogger(__name__)
SWEEP_SECONDS = 60
MAX_ATTEMPTS = 5
T = TypeVar("T")


def spool_for(app: Flask) -> Spool:
    directory = app.config.get("MAIL_IN_SPOOL") or Path(app.instance_path) / "mail-in"
    return Spool(Path(directory))


class ReplyHandler:
    """aiosmtpd's handler: checks at RCPT and DATA, spools, then hands over to processing."""

    def __init__(self, app: Flask, spool: Spool) -> None:
        self.app = app
        self.spool = spool
        self.checks = ThreadPoolExecutor(max_workers=4, thread_name_prefix="mail-in-check")
        self.processing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail-in-post")
        self._lock = threading.Lock()
        self._queued: dict[str, Future[Any]] = {}
        self._failures: dict[str, int] = {}

    def _in_app(self, func: Callable[..., T], *args: Any) -> T:
        with self.app.app_context():
            return func(*args)

    async def _run(self, func: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.checks, self._in_app, func, *args)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if envelope.rcpt_tos:
            return replies.ONE_RECIPIENT.smtp_reply
        try:
            await self._run(replies.check_recipient, address)
        except Refused as refused:
            log.info("mail-in: recipient refused (%s)", refused.status)
            return refused.smtp_reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        if not isinstance(raw, bytes) or not envelope.rcpt_tos:
            return "554 5.5.1 No valid recipient"
        try:
            key = await self._run(
                replies.accept, envelope.rcpt_tos[0], envelope.mail_from, raw, self.spool
            )
        except Refused as refused:
            log.info("mail-in: message refused (%s)", refused.status)
            return refused.smtp_reply
        except Exception as exc:  # noqa: BLE001 - the sender's server will try again
            log.error("mail-in: checking a message failed: %s", type(exc).__name__)
            return replies.NOT_STORED.smtp_reply
        self.submit(key)
        return replies.ACCEPTED

    # --- processing ---------------------------------------------------------------------

    def submit(self, key: str) -> None:
        """Queue a spooled entry for posting, unless it is queued already."""
        with self._lock:
            if key in self._queued:
                return
            self._queued[key] = self.processing.submit(self._process, key)

    def _process(self, key: str) -> None:
        try:
            with self.app.app_context():
                outcome = replies.process(self.spool, key)
            log.info("mail-in: %s %s", key, outcome.status)
            self._failures.pop(key, None)
        except Exception as exc:  # noqa: BLE001 - kept in the spool and tried again
            failures = self._failures[key] = self._failures.get(key, 0) + 1
            # The kind of error only: a database error's text can quote the reply's words.
            log.error(
                "mail-in: posting %s failed (attempt %d): %s", key, failures, type(exc).__name__
            )
            if failures >= MAX_ATTEMPTS:
                self.spool.give_up(key)
                self._failures.pop(key, None)
                log.error("mail-in: %s set aside in %s", key, self.spool.failed)
        finally:
            with self._lock:
                self._queued.pop(key, None)

    def sweep(self) -> int:
        """Queue every entry still in the spool (at start, and now and then); how many."""
        keys = self.spool.pending()
        for key in keys:
            self.submit(key)
        return len(keys)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every queued entry is processed; False on timeout."""
        with self._lock:
            futures = list(self._queued.values())
        return not wait_futures(futures, timeout=timeout).not_done

    def close(self) -> None:
        self.checks.shutdown(wait=True)
        self.processing.shutdown(wait=True)


class _ClearSizeRefusal:
    """aiosmtpd refuses an oversized message with a terse 552; say what the limit is and
    what to do instead, since the sender reads it in their bounce."""

    data_size_limit: int | None

    async def push(self, status: str | bytes) -> None:
        if isinstance(status, str) and status.startswith("552 Error:"):
            status = replies.too_big(self.data_size_limit or 0).smtp_reply
        await super().push(status)  # type: ignore[misc]


class ReplySMTP(_ClearSizeRefusal, SMTP):
    pass


class ReplyLMTP(_ClearSizeRefusal, LMTP):
    pass


class ReplyController(Controller):
    """aiosmtpd's threaded controller, speaking SMTP or LMTP with our limits."""

    def __init__(
        self,
        handler: ReplyHandler,
        *,
        host: str,
        port: int,
        lmtp: bool,
        max_bytes: int,
        domain: str,
    ) -> None:
        self.lmtp = lmtp
        self.max_bytes = max_bytes
        self.domain = domain  # the greeting's name; also spares a slow reverse DNS lookup
        super().__init__(handler, hostname=host, port=port, ready_timeout=10)

    def factory(self) -> SMTP:
        server_class = ReplyLMTP if self.lmtp else ReplySMTP
        return server_class(
            self.handler,
            data_size_limit=self.max_bytes,
            hostname=self.domain,
            ident="Forum reply receiver",
        )


def start(app: Flask, *, host: str, port: int, lmtp: bool = False) -> ReplyController:
    """Open the spool, queue what a crash left in it, and start listening."""
    spool = spool_for(app)
    spool.open()
    handler = ReplyHandler(app, spool)
    left = spool.recover()
    for key in left:
        handler.submit(key)
    if left:
        log.info("mail-in: %d spooled replies left from before; posting them", len(left))
    with app.app_context():
        domain = mail_domain()
    controller = ReplyController(
        handler,
        host=host,
        port=port,
        lmtp=lmtp,
        max_bytes=int(app.config["MAIL_IN_MAX_BYTES"]),
        domain=domain,
    )
    controller.start()
    return controller


def stop(controller: ReplyController) -> None:
    """Stop listening, then let the queued entries finish."""
    controller.stop()
    handler = controller.handler
    assert isinstance(handler, ReplyHandler)
    handler.close()
