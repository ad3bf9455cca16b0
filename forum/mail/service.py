"""Mail use cases: the address and its verification, immediate mail, digests, unsubscribing.

Mail goes only to a verified address whose owner turned mail on; the one exception is the
verification mail itself. Each message has a ``MailDelivery`` row keyed per person
("thread:7", "comment:42", "digest:daily:2026-11-22"), claimed by a conditional UPDATE that
is committed *before* the message leaves. A retried job, or a second worker, finds the row
taken and sends nothing: at most one mail per key. The price is that a worker dying between
the claim and the send leaves that one message unsent ("sending"), which is the right side
to err on for people who must not be flooded.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import smtplib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum import outbox
from forum.auth import rules as account_rules
from forum.errors import ForumError, ValidationError
from forum.extensions import db
from forum.mail import inbound, messages, rules
from forum.mail.transport import Transport, transport_from_config
from forum.models import (
    Comment,
    CommentStatus,
    DeliveryStatus,
    MailDelivery,
    Promotion,
    Tag,
    TagLevel,
    TagSubscription,
    Thread,
    ThreadSubscription,
    User,
    UserIgnore,
    thread_tags,
)
from forum.models.base import utcnow
from forum.text import excerpt, plain_text

# Recipients per "mail.batch" event: each batch is its own outbox job and transactions.
BATCH_SIZE = 500
# A delivery that failed this often is left alone (its row keeps the last error).
MAX_DELIVERY_ATTEMPTS = 5
EXCERPT_LENGTH = 300
DIGEST_EXCERPT_LENGTH = 160
# A second verification mail within this long is refused: the link field is not a mail cannon.
VERIFY_RESEND_WAIT = timedelta(minutes=2)
ALL_MAIL = "all"


class BadLinkError(ForumError):
    """A mailed link that is expired, altered or no longer matches the account."""

    status = 400
    code = "bad_link"


class DeliveryError(Exception):
    """Some messages of a job failed; raising makes the outbox retry it with backoff."""


# --- Links and tokens -----------------------------------------------------------------------


class Links:
    """Absolute URLs for mail. The worker has no request, so they are built from BASE_URL;
    the paths mirror forum.mail.routes and forum.threads.routes (tests follow them)."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def thread(self, thread: Thread) -> str:
        return f"{self.base}/threads/{thread.id}/{thread.slug}"

    def comment(self, comment: Comment) -> str:
        return f"{self.base}/comments/{comment.id}"

    def notifications(self) -> str:
        return f"{self.base}/notifications"

    def settings(self) -> str:
        return f"{self.base}/settings/email"

    def verify(self, token: str) -> str:
        return f"{self.base}/settings/email/verify/{token}"

    def unsubscribe(self, token: str) -> str:
        return f"{self.base}/unsubscribe/{token}"

    def password_reset(self, token: str) -> str:
        return f"{self.base}/password/reset/{token}"


def _links() -> Links:
    return Links(current_app.config["BASE_URL"])


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    # A salt per purpose: an unsubscribe token can never pass as a verification token.
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"forum.mail.{purpose}")


def _read_token(purpose: str, token: str, max_age: timedelta) -> dict[str, Any]:
    try:
        data = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as exc:
        raise BadLinkError("This link has expired. Ask for a new one from your settings.") from exc
    except BadSignature as exc:
        raise BadLinkError("This link is not valid. Check that it was copied whole.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise BadLinkError("This link is not valid. Check that it was copied whole.")
    return data


def _address_tag(email: str) -> str:
    """Binds a verification link to one address without putting the address in the URL
    (where proxies and access logs would keep it)."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()[:24]


def verification_token(user: User) -> str:
    assert user.email is not None
    return _serializer("verify").dumps({"u": user.id, "a": _address_tag(user.email)})


def unsubscribe_token(user_id: int, scope: str) -> str:
    """Scope is "all", "tag:<id>" or "thread:<id>": what one click on the link stops."""
    return _serializer("unsubscribe").dumps({"u": user_id, "s": scope})


# --- The address ----------------------------------------------------------------------------


def update_email_settings(
    user: User, *, email: str, notifications: bool, subject_details: bool = False
) -> str:
    """Set, change or clear the address, the mail opt-in and whether subjects may name the
    thread and tag; returns what happened.

    "cleared": the address is deleted (not kept unverified: no more data than needed).
    "changed": a new address, unverified until its owner follows the mailed link.
    "saved": same address, maybe a new opt-in.
    """
    email = email.strip()
    if problem := account_rules.check_email(email):
        raise ValidationError("Please fix the marked fields.", fields={"email": problem})
    if not email:
        user.email = None
        user.email_verified_at = None
        user.email_notifications = False
        db.session.commit()
        return "cleared"
    outcome = "saved"
    if email != user.email:
        user.email = email
        user.email_verified_at = None
        _queue_verification(user)
        outcome = "changed"
    user.email_notifications = notifications
    user.mail_subject_details = subject_details
    db.session.commit()
    return outcome


def request_verification(user: User, *, now: datetime | None = None) -> None:
    """Mail a new verification link to the user's unverified address."""
    if user.email is None or user.email_verified_at is not None:
        raise ValidationError("There is no unconfirmed address to send a link to.")
    recent = db.session.scalar(
        select(MailDelivery.id).where(
            MailDelivery.user_id == user.id,
            MailDelivery.key.startswith("verify:"),
            MailDelivery.created_at > (now or utcnow()) - VERIFY_RESEND_WAIT,
        )
    )
    if recent is not None:
        raise ValidationError("A link was sent a moment ago. Check your inbox, then try again.")
    _queue_verification(user)
    db.session.commit()


def _queue_verification(user: User) -> None:
    # The address is not copied into the outbox row: the handler reads the current one.
    db.session.flush()
    outbox.emit("mail.verify", user_id=user.id, nonce=secrets.token_hex(8))


def send_verification(
    user_id: int, nonce: str, *, transport: Transport | None = None, now: datetime | None = None
) -> bool:
    """Mail the link to the user's current address if it is still unverified."""
    user = db.session.get(User, user_id)
    if user is None or user.email is None or user.email_verified_at is not None:
        return False
    now = now or utcnow()
    hours = current_app.config["MAIL_VERIFY_HOURS"]
    links = _links()
    verify_url = links.verify(verification_token(user))
    footer = _footer(
        user.id, ALL_MAIL, "You get this because this address was entered on our site."
    )

    def build(envelope: dict[str, Any]) -> EmailMessage:
        return messages.verification_message(
            verify_url=verify_url, hours=hours, footer=footer, **envelope
        )

    with transport or _transport() as out:
        return _deliver(user.id, user.email, f"verify:{nonce}", build, out, now) is True


def confirm_email(token: str, *, now: datetime | None = None) -> tuple[User, bool]:
    """Mark the address the token was mailed to verified; (user, changed now)."""
    data = _read_token("verify", token, timedelta(hours=current_app.config["MAIL_VERIFY_HOURS"]))
    user = db.session.get(User, data["u"])
    if user is None or user.email is None or data.get("a") != _address_tag(user.email):
        raise BadLinkError("This link is for an address that is no longer on the account.")
    if user.email_verified_at is not None:
        return user, False
    user.email_verified_at = now or utcnow()
    db.session.commit()
    return user, True


# --- Password reset -------------------------------------------------------------------------

# At most one reset mail per account this often, however often the form is sent for it.
RESET_RESEND_WAIT = timedelta(minutes=2)
_RESET_KEY = "reset:"
_RESET_USED = (
    "This link was used already, or the password was changed since it was sent. "
    "Ask for a new one if you still need it."
)


def _password_tag(password_hash: str) -> str:
    """Binds a reset link to the password it replaces: once that changes (the link was used,
    or the owner changed it), the link matches nothing, so each link works once."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, password_hash.encode(), hashlib.sha256).hexdigest()[:24]


def _can_reset(user: User | None) -> bool:
    """Only through an address its owner confirmed: an unverified one may be anyone's."""
    return (
        user is not None
        and user.deleted_at is None
        and user.email is not None
        and user.email_verified_at is not None
    )


def password_reset_token(user: User) -> str:
    return _serializer("reset").dumps({"u": user.id, "p": _password_tag(user.password_hash)})


def read_password_reset(token: str) -> User:
    """The account a reset link is for, if the link is still good; BadLinkError otherwise."""
    minutes = current_app.config["MAIL_RESET_MINUTES"]
    try:
        data = _serializer("reset").loads(token, max_age=minutes * 60)
    except SignatureExpired as exc:
        raise BadLinkError(
            f"This link has expired: reset links work for {minutes} minutes. Ask for a new one."
        ) from exc
    except BadSignature as exc:
        raise BadLinkError("This link is not valid. Check that it was copied whole.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise BadLinkError("This link is not valid. Check that it was copied whole.")
    user = db.session.get(User, data["u"])
    if not _can_reset(user) or not hmac.compare_digest(
        str(data.get("p", "")),
        _password_tag(user.password_hash),  # type: ignore[union-attr]
    ):
        raise BadLinkError(_RESET_USED)
    return user  # type: ignore[return-value]


def _reset_mailed_since(user_id: int, since: datetime, *, but: str = "") -> bool:
    found = db.session.scalar(
        select(MailDelivery.id).where(
            MailDelivery.user_id == user_id,
            MailDelivery.key.startswith(_RESET_KEY),
            MailDelivery.key != but,
            MailDelivery.created_at > since,
        )
    )
    return found is not None


def request_password_reset(email: str, *, now: datetime | None = None) -> int:
    """Queue a reset link to every account whose confirmed address is ``email``; how many.

    The caller answers the same whatever this returns, so the form can't be used to learn
    whether an address has an account. Accounts mailed a link within RESET_RESEND_WAIT are
    skipped here, and again when the mail goes out (requests can outrun the worker).
    """
    address = email.strip()
    if not address or account_rules.check_email(address) or len(address) > 254:
        return 0
    since = (now or utcnow()) - RESET_RESEND_WAIT
    users = db.session.scalars(
        select(User).where(
            func.lower(User.email) == address.lower(),
            User.email_verified_at.is_not(None),
            User.deleted_at.is_(None),
        )
    ).all()
    queued = 0
    for user in users:
        if not _reset_mailed_since(user.id, since):
            # The address is not copied into the outbox row: the handler reads the current one.
            outbox.emit("mail.password_reset", user_id=user.id, nonce=secrets.token_hex(8))
            queued += 1
    db.session.commit()
    return queued


def send_password_reset(
    user_id: int, nonce: str, *, transport: Transport | None = None, now: datetime | None = None
) -> bool:
    """Mail a reset link to the account's confirmed address, unless one went in the last
    RESET_RESEND_WAIT; the link is made now, so it expires counting from the mail."""
    user = db.session.get(User, user_id)
    if not _can_reset(user):
        return False
    assert user is not None and user.email is not None
    now = now or utcnow()
    key = f"{_RESET_KEY}{nonce}"
    if _reset_mailed_since(user.id, now - RESET_RESEND_WAIT, but=key):
        return False
    reset_url = _links().password_reset(password_reset_token(user))
    minutes = current_app.config["MAIL_RESET_MINUTES"]
    footer = _footer(
        user.id,
        ALL_MAIL,
        "You get this because a password reset was asked for with this address on our site.",
    )

    def build(envelope: dict[str, Any]) -> EmailMessage:
        return messages.password_reset_message(
            reset_url=reset_url,
            username=user.username,
            minutes=minutes,
            footer=footer,
            **envelope,
        )

    with transport or _transport() as out:
        return _deliver(user.id, user.email, key, build, out, now) is True


# --- Unsubscribing --------------------------------------------------------------------------


@dataclass(frozen=True)
class Unsubscription:
    """What an unsubscribe link stops, for the confirmation page."""

    user_id: int
    scope: str
    description: str
    active: bool  # False: already off, one click would change nothing


def read_unsubscribe(token: str) -> Unsubscription:
    data = _read_token(
        "unsubscribe", token, timedelta(days=current_app.config["MAIL_UNSUBSCRIBE_DAYS"])
    )
    user_id, scope = data["u"], str(data.get("s", ""))
    what, _, raw_id = scope.partition(":")
    if scope == ALL_MAIL:
        user = db.session.get(User, user_id)
        active = user is not None and user.email_notifications
        return Unsubscription(user_id, scope, "all mail from this forum", active)
    if what == "tag" and raw_id.isdigit():
        tag = db.session.get(Tag, int(raw_id))
        follow = db.session.get(TagSubscription, (user_id, int(raw_id)))
        active = follow is not None and follow.level != TagLevel.MUTED
        name = tag.name if tag else "a tag"
        return Unsubscription(user_id, scope, f"following the tag “{name}” and its mail", active)
    if what == "thread" and raw_id.isdigit():
        thread = db.session.get(Thread, int(raw_id))
        follow = db.session.get(ThreadSubscription, (user_id, int(raw_id)))
        active = follow is not None and not follow.muted
        title = thread.title if thread else "a thread"
        return Unsubscription(
            user_id, scope, f"following the thread “{title}” and its mail", active
        )
    raise BadLinkError("This link is not valid. Check that it was copied whole.")


def unsubscribe(token: str) -> bool:
    """Do what the link says; True if something changed, False if it was already off.

    Stopping one tag's or thread's mail ends that follow: a follow is what sends the
    mail, and an ended follow shows on the site, where it can be undone.
    """
    target = read_unsubscribe(token)
    if not target.active:
        return False
    what, _, raw_id = target.scope.partition(":")
    if target.scope == ALL_MAIL:
        db.session.execute(
            update(User).where(User.id == target.user_id).values(email_notifications=False)
        )
    elif what == "tag":
        db.session.execute(
            delete(TagSubscription).where(
                TagSubscription.user_id == target.user_id,
                TagSubscription.tag_id == int(raw_id),
                TagSubscription.level != TagLevel.MUTED,
            )
        )
    else:
        db.session.execute(
            delete(ThreadSubscription).where(
                ThreadSubscription.user_id == target.user_id,
                ThreadSubscription.thread_id == int(raw_id),
                ThreadSubscription.muted.is_(False),
            )
        )
    db.session.commit()
    return True


# --- Sending --------------------------------------------------------------------------------


def _transport() -> Transport:
    return transport_from_config(current_app.config, current_app.instance_path)


def _footer(user_id: int, scope: str, reason: str) -> messages.Footer:
    links = _links()
    label = "Stop all mail from this forum" if scope == ALL_MAIL else "Stop this mail"
    return messages.Footer(
        reason=reason,
        unsubscribe_url=links.unsubscribe(unsubscribe_token(user_id, scope)),
        unsubscribe_label=label,
        settings_url=links.settings(),
    )


def mail_domain() -> str:
    """``MAIL_DOMAIN``, else the domain of ``MAIL_FROM``: Message-IDs and reply addresses."""
    if domain := current_app.config.get("MAIL_DOMAIN"):
        return str(domain)
    sender: str = current_app.config["MAIL_FROM"]
    return sender.rpartition("@")[2].strip("> ") or "localhost"


def reply_to(
    user_id: int, now: datetime, *, comment_id: int | None = None, thread_id: int | None = None
) -> str | None:
    """The signed ``reply+TOKEN@domain`` address of a mail to ``user_id`` about a comment or
    a thread, or None when replies by mail are off (``MAIL_REPLIES``)."""
    if not current_app.config["MAIL_REPLIES"]:
        return None
    token = inbound.reply_token(
        current_app.config["SECRET_KEY"],
        user_id=user_id,
        now=now,
        comment_id=comment_id,
        thread_id=thread_id,
    )
    return inbound.reply_address(token, mail_domain())


def _claim(user_id: int, key: str, now: datetime) -> bool:
    """Take the delivery for sending; False if it is sent, being sent, or out of attempts."""
    try:
        with db.session.begin_nested():
            db.session.add(MailDelivery(user_id=user_id, key=key, created_at=now))
    except IntegrityError:
        pass  # a retry, or another worker: the conditional UPDATE below decides
    claimed = db.session.execute(
        update(MailDelivery)
        .where(
            MailDelivery.user_id == user_id,
            MailDelivery.key == key,
            MailDelivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.FAILED]),
            MailDelivery.attempts < MAX_DELIVERY_ATTEMPTS,
        )
        .values(status=DeliveryStatus.SENDING, attempts=MailDelivery.attempts + 1)
    ).rowcount
    # Committed before sending, so no other run can claim it while the message is in flight.
    db.session.commit()
    return claimed == 1


def _finish(user_id: int, key: str, **values: Any) -> None:
    db.session.execute(
        update(MailDelivery)
        .where(MailDelivery.user_id == user_id, MailDelivery.key == key)
        .values(**values)
    )
    db.session.commit()


# What the server said about one message; anything else (a dropped connection) ends the job.
_MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)


def _deliver(
    user_id: int,
    address: str,
    key: str,
    build: Callable[[dict[str, Any]], EmailMessage],
    transport: Transport,
    now: datetime,
) -> bool | None:
    """Send one message once: True sent, False failed (recorded), None nothing to do."""
    if not _claim(user_id, key, now):
        return None
    message_id = messages.message_id(current_app.config["SECRET_KEY"], user_id, key, mail_domain())
    envelope = {
        "sender": current_app.config["MAIL_FROM"],
        "to": address,
        "message_id": message_id,
        "date": now,
    }
    try:
        transport.send(build(envelope))
    except Exception as exc:
        _finish(
            user_id,
            key,
            status=DeliveryStatus.FAILED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        if isinstance(exc, _MESSAGE_REFUSED):
            return False
        raise
    _finish(
        user_id, key, status=DeliveryStatus.SENT, sent_at=now, message_id=message_id, last_error=""
    )
    return True


def _is_live(thread: Thread | None, comment: Comment | None, kind: str) -> bool:
    """Re-checked when mail goes out: held, removed or deleted content is never mailed."""
    if thread is None or not thread.is_listed:
        return False
    if kind == rules.NEW_COMMENT:
        return (
            comment is not None
            and comment.thread_id == thread.id
            and (comment.status == CommentStatus.PUBLISHED)
        )
    return thread.status == CommentStatus.PUBLISHED


def _load(
    kind: str, thread_id: int, comment_id: int | None
) -> tuple[Thread | None, Comment | None]:
    if kind not in rules.KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    thread = db.session.get(Thread, thread_id, options=[selectinload(Thread.tags)])
    comment = db.session.get(Comment, comment_id) if comment_id is not None else None
    return thread, comment


def _mailable() -> Any:
    """Users who can receive mail other than a verification link."""
    return (
        User.email.is_not(None),
        User.email_verified_at.is_not(None),
        User.email_notifications.is_(True),
    )


def fan_out(kind: str, thread_id: int, comment_id: int | None = None) -> int:
    """Split the mail for a new thread or comment into "mail.batch" jobs; returns how many.

    Only ids are gathered here (one query); the messages are built in the batches, each in
    its own job, so a tag with many followers is never one huge transaction. The set is a
    superset; the batches apply the exact rule (mutes, authorship) and re-check the status.
    """
    thread, comment = _load(kind, thread_id, comment_id)
    if not _is_live(thread, comment, kind):
        return 0
    assert thread is not None
    author_id = comment.author_id if comment is not None else thread.author_id
    tag_ids = [tag.id for tag in thread.tags]
    levels = (TagLevel.NEW_THREADS, TagLevel.ALL) if kind == rules.NEW_THREAD else (TagLevel.ALL,)
    by_tag = exists().where(
        TagSubscription.user_id == User.id,
        TagSubscription.tag_id.in_(tag_ids),
        TagSubscription.level.in_(levels),
    )
    wanted = by_tag
    if kind == rules.NEW_COMMENT:
        wanted = by_tag | exists().where(
            ThreadSubscription.user_id == User.id,
            ThreadSubscription.thread_id == thread.id,
            ThreadSubscription.muted.is_(False),
        )
    # Nobody is mailed what someone they ignore wrote.
    ignoring = exists().where(UserIgnore.user_id == User.id, UserIgnore.ignored_id == author_id)
    user_ids = list(
        db.session.scalars(
            select(User.id)
            .where(*_mailable(), User.id != author_id, wanted, ~ignoring)
            .order_by(User.id)
        )
    )
    batches = 0
    for start in range(0, len(user_ids), BATCH_SIZE):
        outbox.emit(
            "mail.batch",
            kind=kind,
            thread_id=thread.id,
            comment_id=comment_id,
            user_ids=user_ids[start : start + BATCH_SIZE],
        )
        batches += 1
    return batches


def send_batch(
    kind: str,
    thread_id: int,
    comment_id: int | None,
    user_ids: Sequence[int],
    *,
    transport: Transport | None = None,
    now: datetime | None = None,
) -> int:
    """Mail one batch of recipients about a thread or comment; returns how many were sent.

    Raises DeliveryError when any message failed, so the outbox retries the batch; the
    deliveries already sent are skipped then.
    """
    thread, comment = _load(kind, thread_id, comment_id)
    if not _is_live(thread, comment, kind):
        return 0
    assert thread is not None
    now = now or utcnow()
    author = comment.author if comment is not None else thread.author
    tags = {tag.id: tag for tag in thread.tags}
    # Plain (id, address, subject details) rows: the commits in _deliver would expire User
    # objects.
    users = db.session.execute(
        select(User.id, User.email, User.mail_subject_details)
        .where(User.id.in_(list(user_ids)), *_mailable())
        .order_by(User.id)
    ).all()
    levels: dict[int, dict[int, str]] = {}
    for user_id, tag_id, level in db.session.execute(
        select(TagSubscription.user_id, TagSubscription.tag_id, TagSubscription.level).where(
            TagSubscription.user_id.in_([user_id for user_id, *_ in users]),
            TagSubscription.tag_id.in_(list(tags)),
        )
    ):
        levels.setdefault(user_id, {})[tag_id] = level
    follows: dict[int, bool] = {
        user_id: not muted
        for user_id, muted in db.session.execute(
            select(ThreadSubscription.user_id, ThreadSubscription.muted).where(
                ThreadSubscription.thread_id == thread.id,
                ThreadSubscription.user_id.in_([user_id for user_id, *_ in users]),
            )
        )
    }
    links = _links()
    if comment is not None:
        key = f"comment:{comment.id}"
        body_excerpt = excerpt(plain_text(comment.body_src), EXCERPT_LENGTH)
        url = links.comment(comment)
    else:
        key = f"thread:{thread.id}"
        body_excerpt = excerpt(plain_text(thread.body_src), EXCERPT_LENGTH)
        url = links.thread(thread)
    item = messages.ThreadItem(
        title=thread.title,
        author=author.username,
        created_at=(comment or thread).created_at,
        url=url,
        excerpt=body_excerpt,
    )
    # Plain values from here on: the commits in _deliver expire the ORM objects.
    thread_title, thread_id_, author_id = thread.title, thread.id, author.id
    tag_names = {tag_id: tag.name for tag_id, tag in tags.items()}
    sent = failed = 0
    with transport or _transport() as out:
        for user_id, address, detailed in users:
            reason = rules.immediate_reason(
                kind,
                recipient_id=user_id,
                author_id=author_id,
                thread_id=thread_id_,
                tag_levels=levels.get(user_id, {}),
                thread_follow=follows.get(user_id),
            )
            if reason is None:
                continue
            answer_to = reply_to(
                user_id,
                now,
                comment_id=comment_id,
                thread_id=thread_id_ if comment_id is None else None,
            )
            build = _immediate_builder(
                kind,
                user_id,
                reason,
                item,
                thread_title,
                tag_names,
                detailed=detailed,
                answer_to=answer_to,
            )
            result = _deliver(user_id, address, key, build, out, now)
            sent += result is True
            failed += result is False
    if failed:
        raise DeliveryError(f"{failed} of {sent + failed} messages refused; retried later")
    return sent


def _immediate_builder(
    kind: str,
    user_id: int,
    reason: rules.Reason,
    item: messages.ThreadItem,
    thread_title: str,
    tag_names: dict[int, str],
    *,
    detailed: bool,
    answer_to: str | None = None,
) -> Callable[[dict[str, Any]], EmailMessage]:
    if reason.what == "tag":
        tag_name = tag_names[reason.id]
        why = f"You get this because you follow the tag “{tag_name}”."
    else:
        tag_name = ""
        why = "You get this because you follow this thread."
    footer = _footer(user_id, reason.scope, why)

    def build(envelope: dict[str, Any]) -> EmailMessage:
        envelope = {**envelope, "reply_to": answer_to}
        if kind == rules.NEW_THREAD:
            return messages.new_thread_message(
                thread=item, tag=tag_name, footer=footer, detailed=detailed, **envelope
            )
        return messages.new_comment_message(
            thread_title=thread_title,
            author=item.author,
            excerpt=item.excerpt,
            url=item.url,
            footer=footer,
            detailed=detailed,
            **envelope,
        )

    return build


# --- Digests --------------------------------------------------------------------------------


def _last_digest_column(kind: str) -> Any:
    return User.last_daily_digest_at if kind == rules.DAILY else User.last_weekly_digest_at


def due_digest_users(
    kind: str, now: datetime, *, after_id: int = 0, limit: int = BATCH_SIZE
) -> list[int]:
    """Ids of people whose ``kind`` digest for the period holding ``now`` is not done yet."""
    last = _last_digest_column(kind)
    follows = exists().where(TagSubscription.user_id == User.id, TagSubscription.level == kind)
    return list(
        db.session.scalars(
            select(User.id)
            .where(
                *_mailable(),
                follows,
                User.id > after_id,
                last.is_(None) | (last < rules.period_start(kind, now)),
            )
            .order_by(User.id)
            .limit(limit)
        )
    )


def digest_sections(
    user: User, kind: str, since: datetime, now: datetime
) -> list[messages.DigestSection]:
    """Threads published in (since, now] in the tags the user follows at ``kind``, by tag.

    A thread in two followed tags is listed once, under the first by name; threads by the
    user and threads in a tag they muted are left out.
    """
    rows = db.session.execute(
        select(TagSubscription.tag_id, TagSubscription.level).where(
            TagSubscription.user_id == user.id,
            TagSubscription.level.in_([kind, TagLevel.MUTED]),
        )
    ).all()
    followed = {tag_id for tag_id, level in rows if level == kind}
    muted = {tag_id for tag_id, level in rows if level == TagLevel.MUTED}
    if not followed:
        return []
    in_followed = select(thread_tags.c.thread_id).where(thread_tags.c.tag_id.in_(followed))
    threads = db.session.scalars(
        select(Thread)
        .options(selectinload(Thread.tags))
        .where(
            Thread.id.in_(in_followed),
            Thread.status == CommentStatus.PUBLISHED,
            Thread.published_at > since,
            Thread.published_at <= now,
            Thread.author_id != user.id,
        )
        .order_by(Thread.published_at, Thread.id)
    )
    links = _links()
    sections: dict[str, messages.DigestSection] = {}
    for thread in threads:
        if any(tag.id in muted for tag in thread.tags):
            continue
        tag = min((t for t in thread.tags if t.id in followed), key=lambda t: t.name.casefold())
        section = sections.setdefault(tag.name, messages.DigestSection(tag=tag.name))
        section.threads.append(
            messages.ThreadItem(
                title=thread.title,
                author=thread.author.username,
                created_at=thread.created_at,
                url=links.thread(thread),
                excerpt=excerpt(plain_text(thread.body_src), DIGEST_EXCERPT_LENGTH),
            )
        )
    return [sections[name] for name in sorted(sections, key=str.casefold)]


def send_digest(user: User, kind: str, *, transport: Transport, now: datetime) -> bool:
    """Send one person's digest for this period if it has anything; True when sent.

    The "last digest" time moves to ``now`` whether or not there was anything to send, so
    the next digest starts where this one looked; it stays put when sending failed.
    """
    last = user.last_daily_digest_at if kind == rules.DAILY else user.last_weekly_digest_at
    since = rules.digest_since(kind, last, now)
    user_id, address = user.id, user.email
    assert address is not None
    sections = digest_sections(user, kind, since, now)
    result: bool | None = None
    if sections:
        footer = _footer(user_id, ALL_MAIL, f"You get this {kind} digest for the tags you follow.")

        def build(envelope: dict[str, Any]) -> EmailMessage:
            return messages.digest_message(kind=kind, sections=sections, footer=footer, **envelope)

        result = _deliver(user_id, address, rules.digest_key(kind, now), build, transport, now)
    if result is not False:
        db.session.execute(
            update(User).where(User.id == user_id).values({_last_digest_column(kind): now})
        )
        db.session.commit()
    return result is True


def send_due_digests(
    now: datetime | None = None,
    *,
    kinds: Iterable[str] = rules.DIGESTS,
    transport: Transport | None = None,
) -> int:
    """Send every digest that is due; returns how many were sent. Safe to call often.

    The worker calls this periodically. A digest is due once per UTC day (daily) or ISO
    week (weekly); its delivery key makes a second call in the same period send nothing.
    """
    now = now or utcnow()
    sent = 0
    with transport or _transport() as out:
        for kind in kinds:
            if kind not in rules.DIGESTS:
                raise ValueError(f"unknown digest {kind!r}")
            after_id = 0
            while user_ids := due_digest_users(kind, now, after_id=after_id):
                for user_id in user_ids:
                    user = db.session.get(User, user_id)
                    if user is not None:
                        sent += send_digest(user, kind, transport=out, now=now)
                after_id = user_ids[-1]
    return sent


def send_promotion_notice(
    promotion_id: int, now: datetime | None = None, *, transport: Transport | None = None
) -> bool | None:
    """Mail the asker that their question got its own thread, if they take mail at all."""
    promotion = db.session.get(Promotion, promotion_id)
    if promotion is None or promotion.thread_id is None or promotion.undone_at is not None:
        return None  # undone before the mail went out: nothing to announce
    asker = db.session.scalar(
        select(User)
        .join(Comment, Comment.author_id == User.id)
        .where(Comment.id == promotion.comment_id, *_mailable())
    )
    thread = db.session.get(Thread, promotion.thread_id)
    source = db.session.get(Thread, promotion.source_thread_id)
    if asker is None or thread is None or source is None:
        return None
    links = _links()
    item = messages.ThreadItem(
        title=thread.title,
        author=thread.author.username,
        created_at=thread.created_at,
        url=links.thread(thread),
        excerpt="",
    )
    footer = _footer(
        asker.id, ALL_MAIL, "You get this because you turned on mail in your settings."
    )
    question_thread, notifications_url = source.title, links.notifications()
    address, user_id, detailed = asker.email or "", asker.id, asker.mail_subject_details
    now = now or utcnow()
    answer_to = reply_to(user_id, now, thread_id=thread.id)

    def build(envelope: dict[str, Any]) -> EmailMessage:
        return messages.question_promoted_message(
            question_thread=question_thread,
            thread=item,
            notifications_url=notifications_url,
            footer=footer,
            detailed=detailed,
            reply_to=answer_to,
            **envelope,
        )

    key = f"promoted:{promotion_id}"
    with transport or _transport() as out:
        return _deliver(user_id, address, key, build, out, now)


def deliver_once(
    user_id: int,
    address: str,
    key: str,
    build: Callable[[dict[str, Any]], EmailMessage],
    *,
    now: datetime | None = None,
    transport: Transport | None = None,
) -> bool | None:
    """Send one message to ``address`` at most once per ``key`` (see ``_deliver``); for
    mail that answers something the person did, such as a reply by mail."""
    with transport or _transport() as out:
        return _deliver(user_id, address, key, build, out, now or utcnow())


def links() -> Links:
    return _links()


def footer(user_id: int, scope: str, reason: str) -> messages.Footer:
    return _footer(user_id, scope, reason)
