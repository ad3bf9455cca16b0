"""Building mail: plain values in, an ``email.message.EmailMessage`` out.

Pure: no Flask or SQLAlchemy. The bodies are Jinja templates in ``templates/mail/messages/``,
rendered by an environment of our own (autoescaped for ``.html``), so the HTML part holds
only escaped text and our own markup, never user HTML.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from forum.text import clean_line

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "mail" / "messages"
SITE_NAME = "Forum"
# Headers that hold a URL in angle brackets: never folded into RFC 2047 encoded words,
# which mail clients would not turn back into a link (up to 998 octets is allowed).
_UNFOLDED = frozenset({"list-unsubscribe"})


class _MailPolicy(EmailPolicy):
    """SMTP's policy (CRLF, 78-column folding), except for the URL headers above."""

    def fold(self, name: str, value: Any) -> str:
        if name.lower() in _UNFOLDED:
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        if name.lower() in _UNFOLDED:
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


POLICY = _MailPolicy(linesep="\r\n")

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_env.filters["when"] = lambda value: value.strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class ThreadItem:
    """One thread as a mail shows it: text only (an excerpt, never the rendered body)."""

    title: str
    author: str
    created_at: datetime
    url: str
    excerpt: str


@dataclass(frozen=True)
class DigestSection:
    tag: str
    threads: list[ThreadItem] = field(default_factory=list)


@dataclass(frozen=True)
class Footer:
    """Why this mail came and how to stop it; every mail ends with one."""

    reason: str
    unsubscribe_url: str
    unsubscribe_label: str
    settings_url: str


def message_id(secret: str, user_id: int, key: str, domain: str) -> str:
    """A Message-ID fixed by the delivery: a resend carries the same one, so receivers dedupe.

    A keyed hash, so the header reveals neither the account nor the content it is about.
    """
    digest = hmac.new(secret.encode(), f"{user_id}:{key}".encode(), hashlib.sha256).hexdigest()
    return f"<{digest[:40]}@{domain}>"


def render(template: str, **context: Any) -> tuple[str, str]:
    """The (plain text, HTML) bodies of ``template`` ("new_thread", "digest", ...)."""
    context.setdefault("site", SITE_NAME)
    text = _env.get_template(f"{template}.txt").render(**context)
    html = _env.get_template(f"{template}.html").render(**context)
    return text, html


def build_message(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    date: datetime,
    unsubscribe_url: str,
    reply_to: str | None = None,
) -> EmailMessage:
    """Assemble a multipart/alternative message with one-click unsubscribe (RFC 8058).

    ``reply_to``: the signed reply address (forum.mail.inbound) of a mail that can be
    answered by replying to it."""
    msg = EmailMessage(policy=POLICY)
    msg["From"] = sender
    msg["To"] = to
    if reply_to:
        msg["Reply-To"] = reply_to
    # Titles are one-line already; this also keeps a header from ever carrying a newline.
    msg["Subject"] = clean_line(subject)[:200]
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    # Tells autoresponders (vacation replies) not to answer.
    msg["Auto-Submitted"] = "auto-generated"
    msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def subject_for(detailed_text: str, neutral_text: str, detailed: bool) -> str:
    """A subject that names a thread or tag only for a reader who asked for it: subjects show
    on lock screens, in notifications and in shared inboxes, and a tag such as "sex work" or a
    thread's title can tell someone looking over a shoulder more than its reader wants."""
    return f"[{SITE_NAME}] {detailed_text if detailed else neutral_text}"


def new_thread_message(
    *, thread: ThreadItem, tag: str, footer: Footer, detailed: bool = False, **envelope: Any
) -> EmailMessage:
    """``detailed``: the reader asked for the tag and title in the subject (see
    ``subject_for``)."""
    text, html = render(
        "new_thread",
        thread=thread,
        tag=tag,
        footer=footer,
        reply_by_mail=bool(envelope.get("reply_to")),
    )
    subject = subject_for(
        f"New in {tag}: {thread.title}" if tag else f"New: {thread.title}",
        "A new thread in a tag you follow",
        detailed,
    )
    return build_message(
        subject=subject, text=text, html=html, unsubscribe_url=footer.unsubscribe_url, **envelope
    )


def new_comment_message(
    *,
    thread_title: str,
    author: str,
    excerpt: str,
    url: str,
    footer: Footer,
    detailed: bool = False,
    **envelope: Any,
) -> EmailMessage:
    text, html = render(
        "new_comment",
        thread_title=thread_title,
        author=author,
        excerpt=excerpt,
        url=url,
        footer=footer,
        reply_by_mail=bool(envelope.get("reply_to")),
    )
    subject = subject_for(f"Re: {thread_title}", "A new reply in a thread you follow", detailed)
    return build_message(
        subject=subject, text=text, html=html, unsubscribe_url=footer.unsubscribe_url, **envelope
    )


def digest_message(
    *, kind: str, sections: list[DigestSection], footer: Footer, **envelope: Any
) -> EmailMessage:
    count = sum(len(section.threads) for section in sections)
    text, html = render("digest", kind=kind, sections=sections, count=count, footer=footer)
    plural = "thread" if count == 1 else "threads"
    subject = f"[{SITE_NAME}] Your {kind} digest: {count} new {plural}"
    return build_message(
        subject=subject, text=text, html=html, unsubscribe_url=footer.unsubscribe_url, **envelope
    )


def question_promoted_message(
    *,
    question_thread: str,
    thread: ThreadItem,
    notifications_url: str,
    footer: Footer,
    detailed: bool = False,
    **envelope: Any,
) -> EmailMessage:
    text, html = render(
        "question_promoted",
        question_thread=question_thread,
        thread=thread,
        notifications_url=notifications_url,
        footer=footer,
        reply_by_mail=bool(envelope.get("reply_to")),
    )
    subject = subject_for(
        f"Your question now has its own thread: {thread.title}",
        "Your question now has its own thread",
        detailed,
    )
    return build_message(
        subject=subject, text=text, html=html, unsubscribe_url=footer.unsubscribe_url, **envelope
    )


def verification_message(
    *, verify_url: str, hours: int, footer: Footer, **envelope: Any
) -> EmailMessage:
    text, html = render("verify", verify_url=verify_url, hours=hours, footer=footer)
    subject = f"[{SITE_NAME}] Confirm your email address"
    return build_message(
        subject=subject, text=text, html=html, unsubscribe_url=footer.unsubscribe_url, **envelope
    )


def password_reset_message(
    *, reset_url: str, username: str, minutes: int, footer: Footer, **envelope: Any
) -> EmailMessage:
    text, html = render(
        "password_reset", reset_url=reset_url, username=username, minutes=minutes, footer=footer
    )
    subject = f"[{SITE_NAME}] Reset your password"
    return build_message(
        subject=subject, text=text, html=html, unsubscribe_url=footer.unsubscribe_url, **envelope
    )
