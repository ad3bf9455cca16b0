"""Replies by mail: who may send one, and posting it through the site's reply service.

A message is judged in two steps. Before the receiver answers "250" (``check_recipient``,
``accept``): the reply address must be one of ours, signed and unexpired; the one From
address must be the verified address of the account it names; the account must be able to
post; the account's "post" rate limit must have room. Anything else is refused there with a
5xx (4xx for the rate limit, so the sending server tries again later) whose text says why;
the sending server turns it into a bounce for the sender. Nothing is mailed to an address we
can't trust, so a forged or forwarded message can't make the forum mail anyone.

After "250", from the spool (``process``): the new text is posted through
``forum.threads.service.reply``, like a reply from the site (sanitising, rules, new-account
review). Mail has no "post anyway" prompt, so a reply the rules would nudge about waits for a
moderator instead (``interactive=False``). A held or refused reply is answered by a mail to
the account's verified address (queued in the outbox): the only people mailed are ones who
proved the address is theirs.

A ``MailDelivery`` row keyed ``mail-in:<spool key>`` is the receipt of a handled message. It
is committed in the same transaction as the comment, so a crash at any point posts a reply
once: before the commit the spool entry is processed again, after it the receipt says done.
Like every delivery row, it holds no address and no text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app
from sqlalchemy import select

from forum import outbox
from forum.errors import ForumError, NotFoundError, ValidationError
from forum.extensions import db
from forum.mail import inbound, messages, service
from forum.mail.spool import Spool
from forum.models import (
    Comment,
    CommentStatus,
    DeliveryStatus,
    MailDelivery,
    QueueItem,
    QueueSource,
    QueueState,
    Thread,
    User,
)
from forum.models.base import utcnow
from forum.ratelimit import take
from forum.threads import service as threads

log = logging.getLogger(__name__)

RECEIPT = "mail-in:"
EMPTY = (
    "We found no new text in your reply once the quoted mail and the signature were taken "
    "off. Write your answer above the quoted mail."
)


class Refused(Exception):  # noqa: N818 - an SMTP answer, not a failure of ours
    """A message refused before it is accepted: the SMTP reply that says why (ASCII)."""

    def __init__(self, code: int, status: str, text: str) -> None:
        super().__init__(text)
        self.code, self.status, self.text = code, status, text

    @property
    def smtp_reply(self) -> str:
        return f"{self.code} {self.status} {self.text}"


NOT_OURS = Refused(
    550, "5.1.1", "No such mailbox here. Answer a forum mail with your mail program's Reply."
)
BAD_TOKEN = Refused(
    550,
    "5.1.1",
    "This reply address is not valid: it was altered, or is not from this forum. "
    "Reply on the website instead.",
)
GONE = Refused(550, "5.1.1", "This reply address is no longer valid.")
AUTOMATIC = Refused(
    550, "5.7.1", "Automatic mail (out-of-office answers, delivery reports) is not posted."
)
NOT_THE_OWNER = Refused(
    550,
    "5.7.1",
    "Replies are accepted only from the address the forum mail was sent to, so a "
    "forwarded mail can't post under someone else's name. Reply from that address, "
    "or on the website.",
)
CANT_POST = Refused(550, "5.7.1", "This account can't post right now.")
TOO_MANY = Refused(
    451,
    "4.7.1",
    "Too many replies from this account just now. Your mail server will try again later.",
)
ONE_RECIPIENT = Refused(452, "4.5.3", "One reply address per message, please.")
NOT_STORED = Refused(451, "4.3.0", "The reply could not be stored just now. Try again later.")
ACCEPTED = "250 2.0.0 Reply accepted: it will be posted, or you will get a mail saying why not."


def too_big(limit: int) -> Refused:
    return Refused(
        552,
        "5.3.4",
        f"Message too big for a reply by mail (the limit is {limit // 1024} KB). "
        "Send your text alone, without attachments.",
    )


def expired(days: int) -> Refused:
    return Refused(
        550,
        "5.1.1",
        f"This reply address has expired: replies by mail work for {days} days after the "
        "forum mail was sent. Reply on the website instead.",
    )


@dataclass(frozen=True)
class Outcome:
    """What became of a spooled message (for the log and the tests; no content)."""

    status: str  # "posted", "held", "refused", "duplicate" or "dropped"
    comment_id: int | None = None


def _secret() -> str:
    return str(current_app.config["SECRET_KEY"])


def check_recipient(address: str, *, now: datetime | None = None) -> inbound.ReplyTarget:
    """The target of a reply address, or Refused (not ours, altered, expired)."""
    token = inbound.token_from_address(address, service.mail_domain())
    if token is None:
        raise NOT_OURS
    days = int(current_app.config["REPLY_TOKEN_DAYS"])
    try:
        return inbound.read_reply_token(
            _secret(), token, now=now or utcnow(), max_age=timedelta(days=days)
        )
    except inbound.TokenError as exc:
        raise expired(days) if exc.expired else BAD_TOKEN from exc


def check_sender(
    target: inbound.ReplyTarget, message: EmailMessage, envelope_sender: str | None
) -> User:
    """The account a message may post as, or Refused: automatic mail, an account gone or
    unable to post, or a From address other than the account's verified one."""
    if inbound.is_automatic(message, envelope_sender):
        raise AUTOMATIC
    user = db.session.get(User, target.user_id)
    if user is None or user.deleted_at is not None:
        raise GONE
    sender = inbound.sender_address(message)
    if (
        sender is None
        or user.email is None
        or user.email_verified_at is None
        or sender.casefold() != user.email.casefold()
    ):
        raise NOT_THE_OWNER
    if user.is_suspended:
        raise CANT_POST
    return user


def accept(recipient: str, envelope_sender: str | None, raw: bytes, spool: Spool) -> str:
    """Check a received message and store it durably; its spool key, or Refused.

    Runs before the receiver answers: once this returns, the message is on disk."""
    target = check_recipient(recipient)
    user = check_sender(target, inbound.parse_message(raw), envelope_sender)
    # Per account: mail has no client address. The same limit as posting from the site.
    if not take("post", f"user:{user.id}"):
        raise TOO_MANY
    db.session.rollback()  # no read transaction held while the disk works
    try:
        return spool.put(recipient, raw)
    except OSError as exc:
        log.error("mail-in: could not spool a message: %s", exc)
        raise NOT_STORED from exc


def _target(target: inbound.ReplyTarget) -> tuple[Thread | None, Comment | None]:
    if target.comment_id is not None:
        parent = db.session.get(Comment, target.comment_id)
        return (parent.thread if parent is not None else None), parent
    return db.session.get(Thread, target.thread_id), None


def _receipt(user_id: int, key: str, now: datetime) -> None:
    db.session.add(
        MailDelivery(
            user_id=user_id,
            key=f"{RECEIPT}{key}",
            status=DeliveryStatus.SENT,
            attempts=1,
            created_at=now,
            sent_at=now,
        )
    )


def _reason(exc: ForumError) -> str:
    reason = exc.message
    if isinstance(exc, ValidationError) and exc.fields:
        reason = "; ".join(dict.fromkeys(exc.fields.values())) or reason
    return reason.replace(" Your text is kept below.", "")


def process(spool: Spool, key: str, *, now: datetime | None = None) -> Outcome:
    """Post one spooled message as a reply, or record why not, then drop it from the spool.

    Safe to run again for the same key (after a crash): its receipt makes it a no-op."""
    now = now or utcnow()
    recipient, raw = spool.read(key)
    if db.session.scalar(select(MailDelivery.id).where(MailDelivery.key == f"{RECEIPT}{key}")):
        spool.done(key)
        return Outcome("duplicate")
    token = inbound.token_from_address(recipient, service.mail_domain()) or ""
    try:
        # Its age was checked when the message was accepted; that stays the answer.
        target = inbound.read_reply_token(_secret(), token, now=now, max_age=None)
    except inbound.TokenError:
        log.warning("mail-in: spooled message %s has no valid reply address; dropped", key)
        spool.done(key)
        return Outcome("dropped")
    user = db.session.get(User, target.user_id)
    if user is None or user.deleted_at is not None:
        spool.done(key)
        return Outcome("dropped")
    user_id = user.id
    text = inbound.new_text(inbound.parse_message(raw))
    thread, parent = _target(target)
    _receipt(user_id, key, now)
    try:
        if thread is None:
            raise NotFoundError("The thread you answered is no longer there.")
        if not text:
            raise ValidationError(EMPTY)
        comment = threads.reply(
            thread=thread, author=user, body=text, parent=parent, now=now, interactive=False
        )
    except ForumError as exc:
        db.session.rollback()
        _receipt(user_id, key, now)
        outbox.emit(
            "mail.reply_refused",
            user_id=user_id,
            thread_id=target.thread_id or (thread.id if thread else None),
            reason=_reason(exc),
            key=key,
        )
        db.session.commit()
        spool.done(key)
        return Outcome("refused")
    outcome = Outcome("posted", comment.id)
    if comment.status == CommentStatus.PENDING:
        outbox.emit("mail.reply_held", user_id=user_id, comment_id=comment.id, key=key)
        db.session.commit()
        outcome = Outcome("held", comment.id)
    spool.done(key)
    return outcome


# --- Answers to the sender ------------------------------------------------------------------


def _answer(user_id: int, key: str, template: str, subject: str, **context: Any) -> bool | None:
    user = db.session.get(User, user_id)
    if user is None or user.email is None or user.email_verified_at is None:
        return None  # the address changed meanwhile: nobody to tell that we trust
    address = user.email
    footer = service.footer(
        user_id, service.ALL_MAIL, "You get this because you answered a forum mail by mail."
    )
    context = {**context, "footer": footer}

    def build(envelope: dict[str, Any]) -> EmailMessage:
        text, html = messages.render(template, **context)
        return messages.build_message(
            subject=f"[{messages.SITE_NAME}] {subject}",
            text=text,
            html=html,
            unsubscribe_url=footer.unsubscribe_url,
            **envelope,
        )

    return service.deliver_once(user_id, address, f"{RECEIPT}{key}:answer", build)


def send_held_notice(user_id: int, comment_id: int, key: str) -> bool | None:
    """Tell the author their reply waits for a moderator: the words the rules matched and
    why, or that a new account's first posts are read first."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status != CommentStatus.PENDING:
        return None  # already decided: the site's notification says how
    item = db.session.scalar(
        select(QueueItem).where(
            QueueItem.comment_id == comment.id, QueueItem.state == QueueState.OPEN
        )
    )
    matches: list[tuple[str, str]] = []
    for match in (item.matches if item else None) or []:
        words = comment.body_src[match["start"] : match["end"]]
        pair = (words, str(match["explanation"]))
        if words and pair not in matches:
            matches.append(pair)
    links = service.links()
    return _answer(
        user_id,
        key,
        "reply_held",
        "Your reply is waiting for a moderator",
        thread_title=comment.thread.title,
        url=links.comment(comment),
        matches=matches,
        new_user=item is not None and item.source == QueueSource.NEW_USER,
    )


def send_refusal(user_id: int, thread_id: int | None, reason: str, key: str) -> bool | None:
    """Tell the author their reply was not posted, and why."""
    thread = db.session.get(Thread, thread_id) if thread_id is not None else None
    links = service.links()
    return _answer(
        user_id,
        key,
        "reply_refused",
        "Your reply was not posted",
        thread_title=thread.title if thread is not None and thread.is_listed else "",
        url=links.thread(thread) if thread is not None else links.base,
        reason=reason,
    )
