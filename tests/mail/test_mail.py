"""Mail end to end, through a real SMTP server (aiosmtpd) on a loopback port."""

from __future__ import annotations

import email
import itertools
import re
import socket
import time
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from forum import outbox
from forum.extensions import db as _db
from forum.mail import handlers, service
from forum.models import (
    CommentStatus,
    MailDelivery,
    OutboxEvent,
    TagSubscription,
    Thread,
    ThreadSubscription,
    User,
)
from forum.models.base import utcnow
from forum.tags.service import resolve_or_create_tags
from forum.threads.service import create_thread
from tests.factories import make_comment, make_thread, make_user

BASE = "https://forum.example"
_seq = itertools.count(1)


class Inbox:
    """aiosmtpd handler keeping every message it accepts, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        self.messages.append(email.message_from_bytes(raw, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def smtp_server():  # noqa: ANN201
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def inbox(smtp_server) -> Inbox:
    smtp_server[0].messages.clear()
    return smtp_server[0]


@pytest.fixture
def csrf_on() -> None:
    """Ask for this to run a test with CSRF protection on, as in production."""


@pytest.fixture
def config_overrides(smtp_server, request) -> dict[str, Any]:
    overrides = {
        "SMTP_URL": f"smtp://127.0.0.1:{smtp_server[1]}",
        "BASE_URL": BASE,
        "MAIL_FROM": "forum@forum.example",
    }
    if "csrf_on" in request.fixturenames:
        overrides["WTF_CSRF_ENABLED"] = True
    return overrides


# --- helpers --------------------------------------------------------------------------------


def mail_user(*, verified: bool = True, on: bool = True, details: bool = False) -> User:
    n = next(_seq)
    user = make_user(f"reader{n}", email=f"reader{n}@example.org")
    user.email_verified_at = utcnow() if verified else None
    user.email_notifications = on
    user.mail_subject_details = details
    _db.session.commit()
    return user


def follow_tag(user: User, slug: str, level: str) -> None:
    (tag,) = resolve_or_create_tags([slug])
    _db.session.add(TagSubscription(user_id=user.id, tag_id=tag.id, level=level))
    _db.session.commit()


def thread_at(when: datetime, *, tags: list[str], author: User | None = None, **kw: Any) -> Thread:
    """A thread created at ``when`` (the factory always uses the present)."""
    return create_thread(
        author=author or make_user(),
        title=kw.get("title", f"Thread {next(_seq)}"),
        body=kw.get("body", "About **funding** for survivor services."),
        tags=tags,
        now=when,
    )


def run_mail_events() -> None:
    """Run due mail.* outbox events (and those they emit) as the worker would."""
    for _ in range(10):
        due = list(
            _db.session.scalars(
                select(OutboxEvent.id).where(
                    OutboxEvent.kind.startswith("mail."),
                    OutboxEvent.processed_at.is_(None),
                    OutboxEvent.next_attempt_at <= utcnow(),
                )
            )
        )
        if not due:
            return
        for event_id in due:
            outbox.process_event(event_id)


def announce(kind: str, thread_id: int, comment_id: int | None = None) -> None:
    """What the in-site fan-out does once its notifications are written."""
    outbox.emit("mail.fanout", kind=kind, thread_id=thread_id, comment_id=comment_id)
    _db.session.commit()
    run_mail_events()


def text_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return part.get_content()


def unsubscribe_path(message: EmailMessage) -> str:
    match = re.fullmatch(rf"<{re.escape(BASE)}(/unsubscribe/[^>]+)>", message["List-Unsubscribe"])
    assert match, message["List-Unsubscribe"]
    return match.group(1)


# --- immediate mail -------------------------------------------------------------------------


def test_new_thread_mail_has_headers_for_one_click_unsubscribe(app, inbox) -> None:
    reader = mail_user(details=True)
    follow_tag(reader, "funding", "new_threads")
    thread = make_thread(
        title="Grants <b>for</b> shelters", body="Raw <script>alert(1)</script> and **bold**."
    )
    announce("new_thread", thread.id)

    (message,) = inbox.to(reader.email)
    assert message["From"] == "forum@forum.example"
    assert "Grants <b>for</b> shelters" in message["Subject"]
    assert message["Date"]
    assert re.fullmatch(r"<[0-9a-f]{40}@forum\.example>", message["Message-ID"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(message).startswith("/unsubscribe/")
    assert message.get_content_type() == "multipart/alternative"
    text = text_part(message)
    assert f"{BASE}/threads/{thread.id}/" in text
    assert "Raw <script>alert(1)</script> and bold." in text  # the words, as plain text
    html = html_part(message)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;for&lt;/b&gt;" in html
    delivery = _db.session.scalar(select(MailDelivery).where(MailDelivery.user_id == reader.id))
    assert (delivery.key, delivery.status, delivery.attempts) == (f"thread:{thread.id}", "sent", 1)
    assert delivery.message_id == message["Message-ID"]


def test_only_verified_opted_in_followers_other_than_the_author_get_mail(app, inbox) -> None:
    verified, unverified, opted_out, digest_only = (
        mail_user(),
        mail_user(verified=False),
        mail_user(on=False),
        mail_user(),
    )
    for user in (verified, unverified, opted_out):
        follow_tag(user, "funding", "all")
    follow_tag(digest_only, "funding", "daily")
    author = mail_user()
    follow_tag(author, "funding", "all")
    thread = make_thread(author)
    announce("new_thread", thread.id)
    assert [m["To"] for m in inbox.messages] == [verified.email]


def test_comments_reach_thread_followers_and_all_level_but_never_when_held(app, inbox) -> None:
    thread = make_thread()
    follower, tag_all, tag_new, muted = mail_user(), mail_user(), mail_user(), mail_user()
    _db.session.add(ThreadSubscription(user_id=follower.id, thread_id=thread.id))
    _db.session.add(ThreadSubscription(user_id=muted.id, thread_id=thread.id, muted=True))
    _db.session.commit()
    follow_tag(tag_all, "funding", "all")
    follow_tag(tag_new, "funding", "new_threads")
    follow_tag(muted, "funding", "all")

    held = make_comment(thread)
    held.status = CommentStatus.PENDING
    _db.session.commit()
    announce("new_comment", thread.id, held.id)
    assert inbox.messages == []

    comment = make_comment(thread, author=tag_all, body="We found **two** more grants.")
    announce("new_comment", thread.id, comment.id)
    assert sorted(m["To"] for m in inbox.messages) == [follower.email]  # not its own author
    message = inbox.messages[0]
    assert "We found two more grants." in text_part(message)
    assert f"{BASE}/comments/{comment.id}" in text_part(message)


def test_removed_after_fan_out_is_not_mailed(app, inbox) -> None:
    thread = make_thread()
    reader = mail_user()
    follow_tag(reader, "funding", "all")
    comment = make_comment(thread)
    handlers.fan_out(
        {"kind": "new_comment", "thread_id": thread.id, "comment_id": comment.id}
    )  # the batches are queued...
    _db.session.commit()
    comment.status = CommentStatus.REMOVED  # ...then a moderator removes the comment
    _db.session.commit()
    run_mail_events()
    assert inbox.messages == []


def test_a_retried_job_never_mails_twice(app, inbox) -> None:
    reader = mail_user()
    follow_tag(reader, "funding", "new_threads")
    thread = make_thread()
    batch = {"kind": "new_thread", "thread_id": thread.id, "comment_id": None}
    batch["user_ids"] = [reader.id]
    handlers.send_batch(batch)
    handlers.send_batch(batch)  # the outbox retries after a crash before its commit
    announce("new_thread", thread.id)  # and the whole fan-out runs again
    assert len(inbox.to(reader.email)) == 1
    assert _db.session.scalar(select(MailDelivery.attempts)) == 1


def test_many_followers_are_split_into_batches(app, inbox, monkeypatch) -> None:
    monkeypatch.setattr(service, "BATCH_SIZE", 2)
    readers = [mail_user() for _ in range(5)]
    for reader in readers:
        follow_tag(reader, "funding", "new_threads")
    thread = make_thread()
    assert service.fan_out("new_thread", thread.id) == 3
    batches = _db.session.scalars(
        select(OutboxEvent.payload).where(OutboxEvent.kind == "mail.batch").order_by(OutboxEvent.id)
    ).all()
    assert [len(p["user_ids"]) for p in batches] == [2, 2, 1]
    _db.session.commit()
    run_mail_events()
    assert sorted(m["To"] for m in inbox.messages) == sorted(r.email for r in readers)


def test_a_failed_send_is_recorded_and_retried_once_the_server_answers(
    app, inbox, smtp_server
) -> None:
    reader = mail_user()
    follow_tag(reader, "funding", "new_threads")
    thread = make_thread()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{_free_port()}"  # nobody listening
    announce("new_thread", thread.id)
    delivery = _db.session.scalar(select(MailDelivery))
    assert delivery.status == "failed" and "Error" in delivery.last_error
    event = _db.session.scalar(select(OutboxEvent).where(OutboxEvent.kind == "mail.batch"))
    assert event.processed_at is None and event.attempts == 1  # the outbox will retry it

    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{smtp_server[1]}"
    outbox.process_event(event.id)
    assert len(inbox.to(reader.email)) == 1
    _db.session.refresh(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")


# --- unsubscribe ----------------------------------------------------------------------------


def _tag_mail(inbox: Inbox) -> tuple[User, EmailMessage]:
    reader = mail_user()
    follow_tag(reader, "funding", "new_threads")
    announce("new_thread", make_thread().id)
    (message,) = inbox.to(reader.email)
    return reader, message


def _follows(user: User) -> int:
    return len(
        _db.session.scalars(select(TagSubscription).where(TagSubscription.user_id == user.id)).all()
    )


def test_one_click_unsubscribe_works_without_login_or_csrf(app, client, inbox, csrf_on) -> None:
    reader, message = _tag_mail(inbox)
    path = unsubscribe_path(message)
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "you are unsubscribed" in response.get_data(as_text=True)
    assert _follows(reader) == 0
    again = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200
    assert "already unsubscribed" in again.get_data(as_text=True)

    announce("new_thread", make_thread().id)
    assert len(inbox.to(reader.email)) == 1  # nothing more


def test_unsubscribe_page_changes_nothing_on_get(app, client, inbox) -> None:
    reader, message = _tag_mail(inbox)
    response = client.get(unsubscribe_path(message))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "funding" in page and "<button" in page
    assert _follows(reader) == 1


def test_unsubscribe_from_all_mail_turns_mail_off(app, client, inbox) -> None:
    reader = mail_user()
    token = service.unsubscribe_token(reader.id, "all")
    assert client.post(f"/unsubscribe/{token}").status_code == 200
    _db.session.refresh(reader)
    assert reader.email_notifications is False
    assert "already unsubscribed" in client.get(f"/unsubscribe/{token}").get_data(as_text=True)


def test_bad_or_expired_unsubscribe_link_is_a_400_page(app, client, monkeypatch) -> None:
    reader = mail_user()
    token = service.unsubscribe_token(reader.id, "all")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(f"/unsubscribe/{tampered}")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)
    real_time = time.time
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: real_time() - 61 * 86400)
    old = service.unsubscribe_token(reader.id, "all")
    monkeypatch.undo()
    response = client.get(f"/unsubscribe/{old}")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    _db.session.refresh(reader)
    assert reader.email_notifications is True


# --- digests --------------------------------------------------------------------------------


def test_daily_digest_groups_new_threads_by_tag_since_the_last_one(app, inbox) -> None:
    reader = mail_user()
    follow_tag(reader, "housing", "daily")
    follow_tag(reader, "funding", "daily")
    follow_tag(reader, "legal", "weekly")
    now = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
    reader.last_daily_digest_at = now - timedelta(days=1)
    _db.session.commit()
    author = make_user("Maren")
    old = thread_at(now - timedelta(days=2), author=author, title="Old news", tags=["funding"])
    grant = thread_at(
        now - timedelta(hours=3), author=author, title="Grant deadline", tags=["funding"]
    )
    lease = thread_at(
        now - timedelta(hours=2),
        author=author,
        title="Lease help",
        tags=["housing", "funding"],
        body="Tenants *organising* in the east end.",
    )
    thread_at(now - timedelta(hours=1), author=author, title="Weekly only", tags=["legal"])
    thread_at(now - timedelta(hours=1), author=reader, title="My own thread", tags=["funding"])

    assert service.send_due_digests(now, kinds=["daily"]) == 1
    (message,) = inbox.to(reader.email)
    assert message["Subject"] == "[Forum] Your daily digest: 2 new threads"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = text_part(message)
    assert old.title not in text and "Weekly only" not in text and "My own thread" not in text
    # A thread in two followed tags is listed once, under the first tag.
    assert text.index("== funding ==") < text.index(grant.title) < text.index(lease.title)
    assert "by Maren, 2026-11-22 04:00 UTC" in text
    assert "Tenants organising in the east end." in text
    assert f"{BASE}/threads/{lease.id}/" in text
    assert "<h2>funding</h2>" in html_part(message)
    _db.session.refresh(reader)
    assert reader.last_daily_digest_at == now

    # Later the same day: nothing is due. The next day, only what is new since then.
    assert service.send_due_digests(now + timedelta(hours=5), kinds=["daily"]) == 0
    fresh = thread_at(now + timedelta(hours=6), author=author, title="Fresh", tags=["housing"])
    assert service.send_due_digests(now + timedelta(days=1), kinds=["daily"]) == 1
    latest = inbox.to(reader.email)[-1]
    assert fresh.title in text_part(latest) and grant.title not in text_part(latest)
    assert "== housing ==" in text_part(latest)


def test_empty_digests_are_skipped_but_the_window_moves(app, inbox) -> None:
    reader = mail_user()
    follow_tag(reader, "funding", "weekly")
    now = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
    assert service.send_due_digests(now) == 0
    assert inbox.messages == []
    _db.session.refresh(reader)
    assert reader.last_weekly_digest_at == now


def test_digests_skip_unverified_addresses(app, inbox) -> None:
    reader = mail_user(verified=False)
    follow_tag(reader, "funding", "daily")
    now = utcnow()
    thread_at(now - timedelta(hours=1), tags=["funding"])
    assert service.send_due_digests(now) == 0
    assert inbox.messages == []


def test_digest_cli(app, inbox) -> None:
    reader = mail_user()
    follow_tag(reader, "funding", "daily")
    thread_at(utcnow() - timedelta(hours=1), tags=["funding"])
    result = app.test_cli_runner().invoke(args=["forum", "digest", "--daily"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 digest." in result.output
    assert len(inbox.to(reader.email)) == 1
    assert app.test_cli_runner().invoke(args=["forum", "digest"]).exit_code == 2


# --- the address and its verification ------------------------------------------------------


def test_anonymous_settings_go_to_sign_in(client) -> None:
    response = client.get("/settings/email")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.post("/settings/email", data={"email": "a@b.org"}).status_code == 302


@pytest.mark.parametrize("address", ["not-an-address", "a@b", "two@@example.org", "a b@c.org"])
def test_settings_refuse_a_malformed_address(app, login_as, address) -> None:
    user = make_user()
    response = login_as(user).post("/settings/email", data={"email": address})
    assert response.status_code == 422
    assert "look like an email address" in response.get_data(as_text=True)
    _db.session.refresh(user)
    assert user.email is None


def _verification_link(inbox: Inbox, address: str) -> str:
    (message,) = inbox.to(address)
    assert "Confirm" in message["Subject"]
    match = re.search(rf"{re.escape(BASE)}(/settings/email/verify/\S+)", text_part(message))
    assert match
    return match.group(1)


def test_a_new_address_is_verified_through_the_mailed_link(app, login_as, inbox) -> None:
    user = make_user()
    client = login_as(user)
    response = client.post(
        "/settings/email", data={"email": "willow@example.org", "notifications": "1"}
    )
    assert response.status_code == 302
    _db.session.refresh(user)
    assert (user.email, user.email_verified_at, user.email_notifications) == (
        "willow@example.org",
        None,
        True,
    )
    # Nothing but the verification mail goes to the unverified address.
    follow_tag(user, "funding", "new_threads")
    announce("new_thread", make_thread().id)
    link = _verification_link(inbox, "willow@example.org")

    response = client.get(link, follow_redirects=True)
    assert response.status_code == 200
    assert "Your address is confirmed." in response.get_data(as_text=True)
    _db.session.refresh(user)
    assert user.email_verified_at is not None
    assert "already confirmed" in client.get(link, follow_redirects=True).get_data(as_text=True)

    # Changing the address resets verification, and the old link stops working.
    client.post("/settings/email", data={"email": "other@example.org", "notifications": "1"})
    _db.session.refresh(user)
    assert user.email == "other@example.org" and user.email_verified_at is None
    response = client.get(link)
    assert response.status_code == 400
    assert "no longer on the account" in response.get_data(as_text=True)


def test_verification_links_expire_and_resist_tampering(app, client, monkeypatch) -> None:
    user = mail_user(verified=False)
    real_time = time.time
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: real_time() - 49 * 3600)
    old = service.verification_token(user)
    monkeypatch.undo()
    response = client.get(f"/settings/email/verify/{old}")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)

    token = service.verification_token(user)
    other = mail_user(verified=False)
    forged = service.verification_token(other).split(".")[0] + "." + token.split(".", 1)[1]
    for bad in (forged, token + "x", "garbage"):
        response = client.get(f"/settings/email/verify/{bad}")
        assert response.status_code == 400
        assert "not valid" in response.get_data(as_text=True)
    _db.session.refresh(user)
    assert user.email_verified_at is None


def test_clearing_the_address_deletes_it(app, login_as) -> None:
    user = mail_user()
    response = login_as(user).post("/settings/email", data={"email": "  "})
    assert response.status_code == 302
    _db.session.refresh(user)
    assert (user.email, user.email_verified_at, user.email_notifications) == (None, None, False)


def test_resending_the_link_is_throttled(app, login_as, inbox) -> None:
    user = make_user()
    client = login_as(user)
    client.post("/settings/email", data={"email": "slow@example.org"})
    run_mail_events()
    response = client.post("/settings/email", data={"action": "resend"})
    assert response.status_code == 422
    assert "a moment ago" in response.get_data(as_text=True)
    assert len(inbox.to("slow@example.org")) == 1


def test_the_whole_pipeline_from_posting_to_mail(app, inbox) -> None:
    """thread.created -> in-site fan-out -> mail.fanout -> mail.batch -> one mail."""
    reader = mail_user()
    follow_tag(reader, "funding", "all")
    thread = make_thread(title="Night shelter in the old depot")
    outbox.drain()
    make_comment(thread)
    outbox.drain()
    assert [m["Subject"] for m in inbox.to(reader.email)] == [
        "[Forum] A new thread in a tag you follow",
        "[Forum] A new reply in a thread you follow",
    ]


def test_subjects_name_the_thread_and_tag_only_for_readers_who_ask(app, inbox, login_as) -> None:
    """Subjects show on lock screens and in shared inboxes: by default they name neither the
    thread nor its tag; the reader can turn that on in their email settings."""
    reader = mail_user()
    follow_tag(reader, "funding", "all")
    client = login_as(reader)
    page = client.get("/settings/email").get_data(as_text=True)
    assert 'name="subject_details" value="1">' in page  # off by default
    response = client.post(
        "/settings/email",
        data={"email": reader.email, "notifications": "1", "subject_details": "1"},
    )
    assert response.status_code == 302
    thread = make_thread(title="Night shelter in the old depot")
    outbox.drain()
    make_comment(thread)
    outbox.drain()
    assert [m["Subject"] for m in inbox.to(reader.email)] == [
        "[Forum] New in funding: Night shelter in the old depot",
        "[Forum] Re: Night shelter in the old depot",
    ]
    body = text_part(inbox.to(reader.email)[0])
    assert "Night shelter in the old depot" in body  # the body always says which


def test_settings_page_shows_the_address_only_to_its_owner(app, login_as) -> None:
    user = mail_user(verified=False)
    page = login_as(user).get("/settings/email").get_data(as_text=True)
    assert user.email in page and "Not confirmed yet" in page
    assert 'value="resend"' in page


def test_the_asker_of_a_promoted_question_gets_one_mail(app, inbox) -> None:
    from forum.threads.promotion import promote_question
    from tests.factories import make_comment

    asker = mail_user()
    host = make_user(f"host{next(_seq)}")
    thread = create_thread(author=host, title="Raids", body="On raids.", tags=["raids"])
    comment = make_comment(thread, author=asker, body="What care should people get after a raid?")
    new = promote_question(comment, actor=host, intro="A question worth its own thread.")
    run_mail_events()
    run_mail_events()  # a retry never mails twice
    mails = [m for m in inbox.messages if "its own thread" in m["Subject"]]
    assert len(mails) == 1
    assert mails[0]["To"] == asker.email
    body = mails[0].get_body(("plain",)).get_content()
    assert f"{BASE}/threads/{new.id}/{new.slug}" in body and f"{BASE}/notifications" in body
    assert mails[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_promotion_mail_without_a_verified_address(app, inbox) -> None:
    from forum.threads.promotion import promote_question
    from tests.factories import make_comment

    asker = mail_user(verified=False)
    host = make_user(f"host{next(_seq)}")
    thread = create_thread(author=host, title="Raids", body="On raids.", tags=["raids"])
    comment = make_comment(thread, author=asker, body="What care should people get after a raid?")
    promote_question(comment, actor=host)
    run_mail_events()
    assert not [m for m in inbox.messages if "its own thread" in m["Subject"]]
