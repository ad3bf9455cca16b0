"""Transports: the mail directory the embedded default uses, and SMTP URL parsing."""

from __future__ import annotations

import email
from email import policy
from typing import Any

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.mail import service
from forum.mail.transport import DirectoryTransport, SMTPTransport, transport_from_config
from forum.models import MailDelivery, TagSubscription
from forum.tags.service import resolve_or_create_tags
from tests.factories import make_thread, make_user


@pytest.fixture
def config_overrides(tmp_path) -> dict[str, Any]:
    return {"SMTP_URL": None, "MAIL_DIR": str(tmp_path / "mail")}


def test_without_smtp_each_message_is_a_parseable_eml_file(app, tmp_path) -> None:
    reader = make_user(email="dir@example.org")
    reader.email_verified_at = reader.created_at
    reader.email_notifications = True
    reader.mail_subject_details = True
    (tag,) = resolve_or_create_tags(["funding"])
    db.session.add(TagSubscription(user_id=reader.id, tag_id=tag.id, level="new_threads"))
    db.session.commit()
    thread = make_thread(title="Shelter grants")
    assert service.fan_out("new_thread", thread.id) == 1
    db.session.commit()
    assert service.send_batch("new_thread", thread.id, None, [reader.id]) == 1

    (path,) = (tmp_path / "mail").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == "dir@example.org"
    assert "Shelter grants" in message["Subject"]
    assert path.name == message["Message-ID"].strip("<>") + ".eml"
    assert message["List-Unsubscribe"].startswith("<http://localhost:5000/unsubscribe/")
    assert message.get_body(preferencelist=("plain",)) is not None
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    key = db.session.scalar(select(MailDelivery.key))
    assert key == f"thread:{thread.id}"


def test_transport_follows_the_settings(tmp_path) -> None:
    directory = transport_from_config({"MAIL_DIR": None}, str(tmp_path))
    assert isinstance(directory, DirectoryTransport)
    assert directory.directory == tmp_path / "mail"
    smtp = transport_from_config({"SMTP_URL": "smtp://relay:2525"}, str(tmp_path))
    assert isinstance(smtp, SMTPTransport)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", ("mail.example.org", 25, False, False, None, None)),
        (
            "smtp://me%40example.org:p%2Fw@mail.example.org:587?starttls=1",
            ("mail.example.org", 587, False, True, "me@example.org", "p/w"),
        ),
        ("smtps://u:p@mail.example.org", ("mail.example.org", 465, True, False, "u", "p")),
    ],
)
def test_smtp_urls(url, expected) -> None:
    t = SMTPTransport(url)
    assert (t.host, t.port, t.implicit_tls, t.starttls, t.username, t.password) == expected


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "mail.example.org"])
def test_bad_smtp_urls_are_refused(url) -> None:
    with pytest.raises(ValueError, match="FORUM_SMTP_URL"):
        SMTPTransport(url)
