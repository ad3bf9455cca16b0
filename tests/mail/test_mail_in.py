"""Replies by mail, end to end: real mail sent with smtplib to the receiver (aiosmtpd, SMTP
and LMTP) on a loopback port, posted through the site's reply service, and the answers the
forum mails back (to a directory transport)."""

from __future__ import annotations

import email
import itertools
import smtplib
import socket
import textwrap
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from forum import outbox
from forum.extensions import db as _db
from forum.mail import receiver as mail_receiver
from forum.mail import replies, service
from forum.mail.spool import Spool
from forum.models import Comment, CommentStatus, MailDelivery, ThreadSubscription, User
from forum.models.base import utcnow
from forum.moderation.thread_actions import lock_thread
from tests.factories import make_comment, make_moderator, make_thread, make_user

BASE = "https://forum.example"
DOMAIN = "forum.example"
_seq = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def limits_on() -> None:
    """Ask for this to run a test with rate limits on (two posts a minute)."""


@pytest.fixture
def config_overrides(tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, Any]:
    overrides = {
        "SMTP_URL": None,
        "MAIL_DIR": str(tmp_path / "sent"),
        "MAIL_FROM": f"forum@{DOMAIN}",
        "BASE_URL": BASE,
        "MAIL_IN_SPOOL": str(tmp_path / "spool"),
        "MAIL_IN_MAX_BYTES": 256 * 1024,
    }
    if "limits_on" in request.fixturenames:
        overrides.update(RATELIMIT_ENABLED=True, RATELIMIT_POST="2 per minute")
    return overrides


class Receiver:
    def __init__(self, controller: mail_receiver.ReplyController) -> None:
        self.controller = controller
        self.port = controller.port
        self.handler: mail_receiver.ReplyHandler = controller.handler

    def send(self, message: EmailMessage, *, lmtp: bool = False, sender: str | None = None) -> Any:
        """Send as a mail program would; the refusals come back as smtplib exceptions."""
        client = smtplib.LMTP if lmtp else smtplib.SMTP
        with client("127.0.0.1", self.port, timeout=30) as smtp:
            result = smtp.send_message(message, from_addr=sender)
        self.settle()
        return result

    def settle(self) -> None:
        """Wait for the posting thread, then look at the database afresh."""
        assert self.handler.wait_idle(timeout=30)
        _db.session.rollback()


def _start(app: Any, *, lmtp: bool) -> Receiver:
    controller = mail_receiver.start(app, host="127.0.0.1", port=_free_port(), lmtp=lmtp)
    return Receiver(controller)


@pytest.fixture
def receiver(app):  # noqa: ANN201
    running = _start(app, lmtp=False)
    yield running
    mail_receiver.stop(running.controller)


@pytest.fixture
def lmtp_receiver(app):  # noqa: ANN201
    running = _start(app, lmtp=True)
    yield running
    mail_receiver.stop(running.controller)


# --- helpers --------------------------------------------------------------------------------


def mail_user(name: str | None = None) -> User:
    n = next(_seq)
    user = make_user(name or f"mailer{n}", email=f"{name or f'mailer{n}'}@example.org")
    user.email_verified_at = utcnow()
    user.email_notifications = True
    _db.session.commit()
    return user


def reply_address(user: User, *, comment: Comment | None = None, thread: Any = None) -> str:
    address = service.reply_to(
        user.id,
        utcnow(),
        comment_id=comment.id if comment else None,
        thread_id=thread.id if thread is not None and comment is None else None,
    )
    assert address is not None
    return address


def reply_mail(to: str, text: str, *, sender: str, html: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Someone <{sender}>"
    message["To"] = to
    message["Subject"] = "Re: [Forum] A new reply in a thread you follow"
    if html is None:
        message.set_content(text)
    else:
        message.set_content(html, subtype="html")
    return message


def sent_mail(tmp_path: Path) -> list[EmailMessage]:
    folder = tmp_path / "sent"
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[misc]
        for path in sorted(folder.glob("*.eml"))
    ]


def run_outbox() -> None:
    outbox.drain()
    _db.session.rollback()


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def comments_by(user: User) -> list[Comment]:
    return list(_db.session.scalars(select(Comment).where(Comment.author_id == user.id)))


# --- the reply address on outgoing mail ---------------------------------------------------


def test_a_notification_carries_a_reply_address_and_answering_it_posts_only_the_new_text(
    app, receiver, tmp_path
) -> None:
    """The whole path: the comment mail's Reply-To, a reply quoting the whole mail (and
    the thread before it) with a signature; only the new words are posted, under the parent."""
    reader = mail_user("hazel")
    thread = make_thread(title="Winter beds", body="Who pays for the winter beds?")
    _db.session.add(ThreadSubscription(user_id=reader.id, thread_id=thread.id, muted=False))
    _db.session.commit()
    parent = make_comment(thread, body="The council paid for twenty beds last year.")
    assert service.send_batch("new_comment", thread.id, parent.id, [reader.id]) == 1
    (notification,) = sent_mail(tmp_path)
    address = notification["Reply-To"]
    assert address.startswith("reply+") and address.endswith(f"@{DOMAIN}")
    assert "hazel" not in address.lower()  # neither the address nor the name is in it
    assert "Reply to this mail to answer" in text_of(notification)

    quoted = textwrap.indent(text_of(notification), "> ")
    answer = (
        "Twenty is not enough: the night shelter turned people away in January.\n\n"
        f"-- \nHazel\nSent from my phone\n\n"
        f"On Mon, 7 Dec 2026 at 09:00, Forum <forum@{DOMAIN}> wrote:\n{quoted}\n"
        "> > Who pays for the winter beds?\n"
    )
    accepted = receiver.send(reply_mail(address, answer, sender="hazel@example.org"))

    assert accepted == {}
    (posted,) = comments_by(reader)
    assert posted.body_src == (
        "Twenty is not enough: the night shelter turned people away in January."
    )
    assert posted.parent_id == parent.id and posted.status == CommentStatus.PUBLISHED
    assert list((tmp_path / "spool" / "new").iterdir()) == []  # nothing kept once posted


def test_a_reply_to_a_thread_mail_goes_to_the_top_of_the_thread(app, receiver) -> None:
    reader = mail_user()
    thread = make_thread(title="Outreach vans")
    address = reply_address(reader, thread=thread)
    receiver.send(reply_mail(address, "I can drive on Tuesdays.", sender=reader.email))
    (posted,) = comments_by(reader)
    assert posted.thread_id == thread.id and posted.parent_id is None
    assert posted.body_src == "I can drive on Tuesdays."


def test_html_only_mail_is_posted_as_plain_text_without_markup_or_quotes(app, receiver) -> None:
    reader = mail_user()
    parent = make_comment(body="Vans need drivers on weekends.")
    html = (
        "<html><head><style>p {color: red}</style><script>alert('x')</script></head><body>"
        '<div dir="ltr"><p>I can <b>drive</b> on Saturdays.</p>'
        '<p><img src="https://tracker.example/pixel.gif" onerror="alert(1)">'
        '<a href="javascript:alert(1)">my notes</a> &lt;script&gt;</p></div>'
        '<div class="gmail_quote"><div class="gmail_attr">On Mon, Forum wrote:</div>'
        "<blockquote>Vans need drivers on weekends.</blockquote></div></body></html>"
    )
    receiver.send(
        reply_mail(reply_address(reader, comment=parent), "", sender=reader.email, html=html)
    )
    (posted,) = comments_by(reader)
    assert "I can drive on Saturdays." in posted.body_src
    assert "Vans need drivers" not in posted.body_src
    for unsafe in ("alert", "javascript", "<img", "tracker.example", "<b>", "color: red"):
        assert unsafe not in posted.body_src
    assert "<script" not in posted.body_html  # the escaped text stays text
    assert "&lt;script&gt;" in posted.body_html


def test_an_lmtp_session_posts_the_reply(app, lmtp_receiver) -> None:
    reader = mail_user()
    parent = make_comment(body="Anyone for the Thursday shift?")
    accepted = lmtp_receiver.send(
        reply_mail(reply_address(reader, comment=parent), "Count me in.", sender=reader.email),
        lmtp=True,
    )
    assert accepted == {}
    (posted,) = comments_by(reader)
    assert posted.body_src == "Count me in." and posted.parent_id == parent.id


def test_lmtp_refuses_ehlo_as_the_protocol_says(app, lmtp_receiver) -> None:
    with smtplib.SMTP("127.0.0.1", lmtp_receiver.port, timeout=10) as smtp:
        code, _ = smtp.ehlo()
    assert code == 500


# --- refused at the door (SMTP 5xx), nothing posted and nothing mailed ----------------------


def _refusal(excinfo: pytest.ExceptionInfo[Any]) -> tuple[int, str]:
    exc = excinfo.value
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        ((code, text),) = exc.recipients.values()
        return code, text.decode()
    return exc.smtp_code, exc.smtp_error.decode()


def test_a_forwarded_reply_address_is_refused_from_another_address(app, receiver, tmp_path) -> None:
    owner = mail_user()
    other = mail_user()
    parent = make_comment()
    address = reply_address(owner, comment=parent)
    message = reply_mail(address, "Posting as you!", sender=other.email)
    with pytest.raises(smtplib.SMTPDataError) as excinfo:
        receiver.send(message)
    code, text = _refusal(excinfo)
    assert code == 550
    assert "only from the address the forum mail was sent to" in text
    assert owner.email not in text  # the refusal never tells whose address it was
    assert comments_by(owner) == comments_by(other) == []
    assert sent_mail(tmp_path) == []
    assert list((tmp_path / "spool" / "new").iterdir()) == []


def test_an_unverified_address_is_refused(app, receiver) -> None:
    owner = mail_user()
    address = reply_address(owner, comment=make_comment())
    owner.email_verified_at = None
    _db.session.commit()
    with pytest.raises(smtplib.SMTPDataError) as excinfo:
        receiver.send(reply_mail(address, "Hello", sender=owner.email))
    assert _refusal(excinfo)[0] == 550
    assert comments_by(owner) == []


def test_an_expired_reply_address_is_refused_saying_so(app, receiver) -> None:
    owner = mail_user()
    parent = make_comment()
    old = service.reply_to(owner.id, utcnow() - timedelta(days=31), comment_id=parent.id)
    assert old is not None
    with pytest.raises(smtplib.SMTPRecipientsRefused) as excinfo:
        receiver.send(reply_mail(old, "Late answer", sender=owner.email))
    code, text = _refusal(excinfo)
    assert code == 550 and "expired" in text and "30 days" in text
    assert comments_by(owner) == []


@pytest.mark.parametrize(
    "mangle",
    [
        lambda a: a.replace("reply+", "reply+x"),  # altered token
        lambda a: a.replace(f"@{DOMAIN}", "@elsewhere.example"),  # not our domain
        lambda a: f"postmaster@{DOMAIN}",  # not a reply address
    ],
)
def test_an_altered_or_foreign_address_is_refused(app, receiver, mangle) -> None:
    owner = mail_user()
    address = mangle(reply_address(owner, comment=make_comment()))
    with pytest.raises(smtplib.SMTPRecipientsRefused) as excinfo:
        receiver.send(reply_mail(address, "Hello", sender=owner.email))
    assert _refusal(excinfo)[0] == 550
    assert comments_by(owner) == []


def test_a_suspended_account_is_refused(app, receiver) -> None:
    owner = mail_user()
    address = reply_address(owner, comment=make_comment())
    owner.suspended_until = utcnow() + timedelta(days=3)
    _db.session.commit()
    with pytest.raises(smtplib.SMTPDataError) as excinfo:
        receiver.send(reply_mail(address, "Hello", sender=owner.email))
    assert _refusal(excinfo) == (550, "5.7.1 This account can't post right now.")
    assert comments_by(owner) == []


def test_automatic_replies_are_not_posted_nor_answered(app, receiver, tmp_path) -> None:
    owner = mail_user()
    message = reply_mail(
        reply_address(owner, comment=make_comment()), "I am away.", sender=owner.email
    )
    message["Auto-Submitted"] = "auto-replied"
    with pytest.raises(smtplib.SMTPDataError) as excinfo:
        receiver.send(message)
    assert _refusal(excinfo)[0] == 550
    assert comments_by(owner) == [] and sent_mail(tmp_path) == []


def test_a_10_mb_message_is_refused_with_the_size_limit(app, receiver, tmp_path) -> None:
    owner = mail_user()
    message = reply_mail(
        reply_address(owner, comment=make_comment()), "Photos attached.", sender=owner.email
    )
    message.add_attachment(b"\0" * (10 * 1024 * 1024), maintype="image", subtype="jpeg")
    with pytest.raises(smtplib.SMTPSenderRefused) as excinfo:
        receiver.send(message)  # smtplib announces SIZE=, so it is refused at MAIL FROM
    code, text = _refusal(excinfo)
    assert code == 552 and "too big" in text and "256 KB" in text
    assert comments_by(owner) == []
    assert list((tmp_path / "spool" / "new").iterdir()) == []


def test_a_big_message_without_a_size_announcement_is_refused_too(app, receiver) -> None:
    owner = mail_user()
    address = reply_address(owner, comment=make_comment())
    message = reply_mail(address, "A line of words.\n" * 25_000, sender=owner.email)
    raw = message.as_bytes(policy=policy.SMTP)
    with smtplib.SMTP("127.0.0.1", receiver.port, timeout=30) as smtp:
        smtp.helo("client.example")  # plain SMTP: no SIZE extension, the limit hits in DATA
        with pytest.raises(smtplib.SMTPDataError) as excinfo:
            smtp.sendmail(owner.email, [address], raw)
    code, text = _refusal(excinfo)
    assert code == 552 and "too big" in text
    receiver.settle()
    assert comments_by(owner) == []


def test_one_reply_address_per_message(app, receiver) -> None:
    owner = mail_user()
    first = reply_address(owner, comment=make_comment())
    second = reply_address(owner, comment=make_comment())
    message = reply_mail(first, "Both at once", sender=owner.email)
    del message["To"]
    message["To"] = f"{first}, {second}"
    refused = receiver.send(message)
    assert list(refused) == [second] and refused[second][0] == 452
    assert len(comments_by(owner)) == 1


def test_replies_by_mail_share_the_accounts_post_rate_limit(app, receiver, limits_on) -> None:
    owner = mail_user()
    parent = make_comment()
    for n in range(2):
        receiver.send(
            reply_mail(reply_address(owner, comment=parent), f"Point {n}", sender=owner.email)
        )
    with pytest.raises(smtplib.SMTPDataError) as excinfo:
        receiver.send(reply_mail(reply_address(owner, comment=parent), "3", sender=owner.email))
    code, text = _refusal(excinfo)
    assert code == 451 and "try again later" in text  # a 4xx: the sending server retries
    assert len(comments_by(owner)) == 2


# --- accepted, then held or refused: the sender is told by mail ------------------------------

ACCUSATION = "Are some of you pimps yourselves? What is your real agenda here?"


def test_a_reply_the_rules_match_is_held_and_the_sender_told_the_words(
    app, receiver, tmp_path
) -> None:
    owner = mail_user()
    parent = make_comment(body="Decriminalisation protects workers.")
    run_outbox()  # the mail about the parent went out before (to nobody here)
    receiver.send(reply_mail(reply_address(owner, comment=parent), ACCUSATION, sender=owner.email))
    (held,) = comments_by(owner)
    assert held.status == CommentStatus.PENDING  # kept, and waiting: no "post anyway" by mail
    assert held.body_src == ACCUSATION
    assert sent_mail(tmp_path) == []  # told once the worker runs, as all mail goes
    run_outbox()
    (notice,) = sent_mail(tmp_path)
    assert notice["To"] == owner.email
    assert notice["Subject"] == "[Forum] Your reply is waiting for a moderator"
    body = text_of(notice)
    assert "waits for a moderator" in body
    assert '"pimps' in body.lower() or "pimps" in body
    assert f"{BASE}/comments/{held.id}" in body
    run_outbox()
    assert len(sent_mail(tmp_path)) == 1  # told once


def test_a_new_accounts_reply_by_mail_waits_like_one_from_the_site(app, receiver, tmp_path) -> None:
    parent = make_comment(author=make_moderator())
    run_outbox()
    app.config["NEW_USER_REVIEW_COUNT"] = 2
    owner = mail_user()
    receiver.send(
        reply_mail(reply_address(owner, comment=parent), "Thanks, useful.", sender=owner.email)
    )
    (held,) = comments_by(owner)
    assert held.status == CommentStatus.PENDING
    run_outbox()
    (notice,) = sent_mail(tmp_path)
    assert "A new account's first posts are read by a moderator" in text_of(notice)


def test_a_reply_to_a_locked_thread_is_answered_with_the_reason(app, receiver, tmp_path) -> None:
    owner = mail_user()
    thread = make_thread()
    run_outbox()
    address = reply_address(owner, thread=thread)
    lock_thread(thread, actor=make_moderator(), reason="the vote is over")
    receiver.send(reply_mail(address, "One more thing", sender=owner.email))
    assert comments_by(owner) == []
    run_outbox()
    (notice,) = sent_mail(tmp_path)
    assert notice["Subject"] == "[Forum] Your reply was not posted"
    assert "the vote is over" in text_of(notice)
    assert "Nothing was published" in text_of(notice)


def test_a_reply_with_nothing_but_the_quote_is_answered(app, receiver, tmp_path) -> None:
    owner = mail_user()
    parent = make_comment()
    run_outbox()
    text = "On Mon, 7 Dec 2026, Forum wrote:\n> The council paid for twenty beds.\n"
    receiver.send(reply_mail(reply_address(owner, comment=parent), text, sender=owner.email))
    assert comments_by(owner) == []
    run_outbox()
    (notice,) = sent_mail(tmp_path)
    assert "no new text" in text_of(notice)


# --- the spool: nothing accepted is lost, nothing posted twice ---------------------------------


def test_a_spooled_reply_is_posted_once_even_when_processed_again(app, tmp_path) -> None:
    owner = mail_user()
    parent = make_comment()
    spool = Spool(tmp_path / "spool")
    spool.open()
    address = reply_address(owner, comment=parent)
    raw = reply_mail(address, "Said once.", sender=owner.email).as_bytes()
    key = spool.put(address, raw)
    saved = (spool.new / key).read_bytes()

    assert replies.process(spool, key).status == "posted"
    # A crash after the commit but before the spool entry was removed: it comes back.
    (spool.new / key).write_bytes(saved)
    assert replies.process(spool, key).status == "duplicate"
    assert [c.body_src for c in comments_by(owner)] == ["Said once."]
    assert spool.pending() == []
    receipt = _db.session.scalar(select(MailDelivery).where(MailDelivery.user_id == owner.id))
    assert receipt is not None and receipt.key == f"mail-in:{key}"


def test_entries_left_in_the_spool_are_posted_when_the_receiver_starts(app, tmp_path) -> None:
    owner = mail_user()
    spool = Spool(tmp_path / "spool")
    spool.open()
    address = reply_address(owner, comment=make_comment())
    spool.put(address, reply_mail(address, "From before.", sender=owner.email).as_bytes())
    (spool.tmp / "half-written").write_bytes(b"never acknowledged")

    running = _start(app, lmtp=False)
    try:
        running.settle()
    finally:
        mail_receiver.stop(running.controller)
    assert [c.body_src for c in comments_by(owner)] == ["From before."]
    assert spool.pending() == [] and list(spool.tmp.iterdir()) == []


def test_the_promoted_question_mail_can_be_answered_in_the_new_thread(
    app, receiver, tmp_path
) -> None:
    from forum.threads.promotion import promote_question

    asker = mail_user()
    host = make_user()
    thread = make_thread(host, title="Raids")
    question = make_comment(thread, author=asker, body="What care should people get after a raid?")
    new = promote_question(question, actor=host, intro="A question worth its own thread.")
    run_outbox()
    (promoted,) = [m for m in sent_mail(tmp_path) if "its own thread" in m["Subject"]]
    assert promoted["Reply-To"].startswith("reply+")
    receiver.send(reply_mail(promoted["Reply-To"], "Thank you for this.", sender=asker.email))
    answers = [c for c in comments_by(asker) if c.thread_id == new.id]
    assert [(c.body_src, c.parent_id) for c in answers] == [("Thank you for this.", None)]


def test_digests_carry_no_reply_address(app, tmp_path) -> None:
    from forum.models import TagSubscription
    from forum.tags.service import resolve_or_create_tags

    reader = mail_user()
    (tag,) = resolve_or_create_tags(["funding"])
    _db.session.add(TagSubscription(user_id=reader.id, tag_id=tag.id, level="daily"))
    _db.session.commit()
    make_thread(tags=["funding"])
    assert service.send_due_digests(utcnow() + timedelta(hours=1), kinds=["daily"]) == 1
    (digest,) = [m for m in sent_mail(tmp_path) if "digest" in m["Subject"]]
    assert digest["Reply-To"] is None
    assert "Reply to this mail" not in text_of(digest)


def test_with_replies_by_mail_off_no_mail_invites_a_reply(app, tmp_path) -> None:
    app.config["MAIL_REPLIES"] = False
    reader = mail_user()
    thread = make_thread()
    _db.session.add(ThreadSubscription(user_id=reader.id, thread_id=thread.id, muted=False))
    _db.session.commit()
    comment = make_comment(thread)
    assert service.send_batch("new_comment", thread.id, comment.id, [reader.id]) == 1
    (mail,) = sent_mail(tmp_path)
    assert mail["Reply-To"] is None and "Reply to this mail" not in text_of(mail)
