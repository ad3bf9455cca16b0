"""Nothing the receiver accepted is lost: `flask forum mail-in` is killed with SIGKILL after
answering "250" for one reply (whose posting is stuck behind a database lock) and in the
middle of another's DATA; started again, it posts the first exactly once and never the second.
"""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import sqlite3
import subprocess
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any, BinaryIO

import psycopg
from sqlalchemy import select

from forum.extensions import db
from forum.mail import inbound
from forum.models import Comment, User
from forum.models.base import utcnow
from tests.factories import make_comment, make_user
from tests.servers import BIN, ROOT, SECRET, free_port, server_env

DOMAIN = "forum.example"


class MailIn:
    """`flask --app wsgi forum mail-in` in a process group of its own."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.port = port
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [
                str(BIN / "flask"),
                "--app",
                "wsgi",
                "forum",
                "mail-in",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                    if sock.recv(100).startswith(b"220"):
                        return
            except OSError:
                pass
            assert self.process.poll() is None, self.output()[-3000:]
            assert time.monotonic() < deadline, "the receiver did not start"
            time.sleep(0.1)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=30)
        output = self.output()
        assert self.process.returncode == 0, output[-3000:]
        return output


def _reply(owner: User, parent: Comment, text: str) -> tuple[str, EmailMessage]:
    token = inbound.reply_token(SECRET, user_id=owner.id, comment_id=parent.id, now=utcnow())
    address = inbound.reply_address(token, DOMAIN)
    message = EmailMessage()
    message["From"] = owner.email
    message["To"] = address
    message["Subject"] = "Re: a thread"
    message.set_content(text)
    return address, message


def _answer(answers: BinaryIO) -> int:
    """The code of one SMTP reply, read to its last line ("250-..." lines go on)."""
    while True:
        line = answers.readline()
        if line[3:4] != b"-":
            return int(line[:3])


def _posted(owner: User) -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(Comment.body_src).where(Comment.author_id == owner.id)))


class PostingStall:
    """Another writer holding the database, so the receiver can read and accept but posting
    waits: SQLite's write lock, or on PostgreSQL a lock on the comments table that lets
    readers through."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite"):
            self.connection: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
            self.connection.isolation_level = None
            self.statements = ["BEGIN IMMEDIATE"]
        else:
            self.connection = psycopg.connect(url.replace("+psycopg", ""), autocommit=True)
            self.statements = ["BEGIN", "LOCK TABLE comments IN EXCLUSIVE MODE"]

    def hold(self) -> None:
        for statement in self.statements:
            self.connection.execute(statement)

    def release(self) -> None:
        self.connection.execute("ROLLBACK")

    def close(self) -> None:
        self.connection.close()


def test_kill_9_after_250_loses_nothing_and_half_a_message_is_never_posted(
    app, migrated, tmp_path: Path
) -> None:
    owner = make_user("nightowl", email="nightowl@example.org")
    owner.email_verified_at = utcnow()
    db.session.commit()
    parent = make_comment(body="Who can cover the night shift?")
    env = server_env(
        migrated,
        None,
        FORUM_MAIL_FROM=f"forum@{DOMAIN}",
        FORUM_MAIL_DIR=str(tmp_path / "sent"),
        FORUM_MAIL_IN_SPOOL=str(tmp_path / "spool"),
        FORUM_RATELIMIT_ENABLED="false",
        PYTHONPATH=str(ROOT),
    )
    spooled = tmp_path / "spool" / "new"
    port = free_port()
    first = MailIn(env, port)
    started = [first]
    started_sockets: list[socket.socket | BinaryIO] = []
    lock = PostingStall(migrated)
    try:
        first.wait_until_up()
        # Another writer holds the database: the receiver can still read and accept, but
        # posting waits for the lock, so the kill lands between "250" and the post.
        lock.hold()
        address, message = _reply(owner, parent, "I can, from ten until six.")
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            assert smtp.send_message(message) == {}  # 250: acknowledged

        half_address, half = _reply(owner, parent, "This one never finishes.")
        partial = socket.create_connection(("127.0.0.1", port), timeout=10)
        answers = partial.makefile("rb")
        started_sockets.extend([answers, partial])
        assert _answer(answers) == 220
        for command, code in (
            (b"EHLO client.example", 250),
            (f"MAIL FROM:<{owner.email}>".encode(), 250),
            (f"RCPT TO:<{half_address}>".encode(), 250),
            (b"DATA", 354),
        ):
            partial.sendall(command + b"\r\n")
            assert _answer(answers) == code, command
        partial.sendall(half.as_bytes()[:60])  # and no final "."

        time.sleep(0.5)
        first.kill()
        assert len(list(spooled.iterdir())) == 1  # the acknowledged one is on disk
        lock.release()
        assert _posted(owner) == []

        second = MailIn(env, port)
        started.append(second)
        second.wait_until_up()
        deadline = time.monotonic() + 60
        while not _posted(owner):
            assert time.monotonic() < deadline, second.output()[-3000:]
            time.sleep(0.2)
        time.sleep(0.5)  # time enough for a second copy to show, if there were one
        assert _posted(owner) == ["I can, from ten until six."]
        assert list(spooled.iterdir()) == []
        output = second.stop()
        assert "I can, from ten" not in output  # mail bodies are not logged
    finally:
        for opened in started_sockets:
            opened.close()
        lock.close()
        for running in started:
            if running.process.poll() is None:
                running.kill()
            running.log.close()
