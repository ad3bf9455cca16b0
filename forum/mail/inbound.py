"""Replies by mail, the pure part: the signed reply address, and the new text of a reply.

No Flask, SQLAlchemy or models: the receiver (forum.mail.receiver) and the posting service
(forum.mail.replies) pass in the secret and the settings.

The token in ``reply+TOKEN@domain`` names the recipient and the comment or thread the mail
was about, when it was issued, and a keyed MAC over those. It holds ids only, never an
address. It is lower case letters and digits: some mail servers fold the case of local
parts, which would break a base64 signature, and the whole address must stay under SMTP's
64-octet local-part limit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses

import html_text
from lxml import html as lxml_html
from mailparser_reply import EmailReplyParser

REPLY_PREFIX = "reply+"
COMMENT = "c"
THREAD = "t"
_SALT = b"forum.mail.reply:"
_MAC_BYTES = 10  # 80 bits: a forger gets one guess per SMTP transaction
_TOKEN = re.compile(r"^([ct])([0-9a-z]+)-([0-9a-z]+)-([0-9a-z]+)-([a-z2-7]{16})$")
# Quoted history in HTML mail: Gmail, Outlook, Thunderbird, Yahoo and Apple Mail mark it so.
_HTML_QUOTES = (
    "//blockquote",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_attr ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' moz-cite-prefix ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' yahoo_quoted ')]",
    "//*[@id='divRplyFwdMsg' or @id='appendonsend' or @id='x_divRplyFwdMsg']",
)
# The text handed to the reply parser is cut here: its regular expressions are not meant
# for megabytes, and a comment holds far less (forum.threads.rules.COMMENT_MAX).
_PARSE_LIMIT = 100_000
# Languages whose "On ... wrote:" lines and signatures the parser recognises.
LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pl", "sv", "da", "cs")


class TokenError(ValueError):
    """A reply address that is not ours, altered, or expired (``expired``)."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


@dataclass(frozen=True)
class ReplyTarget:
    """What a reply address answers: a comment (``kind`` "c") or a thread ("t")."""

    user_id: int
    kind: str
    target_id: int
    issued_at: datetime

    @property
    def comment_id(self) -> int | None:
        return self.target_id if self.kind == COMMENT else None

    @property
    def thread_id(self) -> int | None:
        return self.target_id if self.kind == THREAD else None


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def _mac(secret: str, payload: str) -> str:
    digest = hmac.new(secret.encode(), _SALT + payload.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:_MAC_BYTES]).decode().lower()


def reply_token(
    secret: str,
    *,
    user_id: int,
    now: datetime,
    comment_id: int | None = None,
    thread_id: int | None = None,
) -> str:
    """The signed token for a mail to ``user_id`` about a comment or (else) a thread."""
    if (comment_id is None) == (thread_id is None):
        raise ValueError("a reply token names a comment or a thread")
    kind, target = (COMMENT, comment_id) if comment_id is not None else (THREAD, thread_id)
    assert target is not None
    payload = f"{kind}{_b36(target)}-{_b36(user_id)}-{_b36(int(now.timestamp()))}"
    return f"{payload}-{_mac(secret, payload)}"


def read_reply_token(
    secret: str, token: str, *, now: datetime, max_age: timedelta | None
) -> ReplyTarget:
    """The target a token names; TokenError if it is altered or older than ``max_age``
    (None: any age, for a reply already accepted while the token was good)."""
    found = _TOKEN.match(token.lower())
    if found is None:
        raise TokenError("This reply address is not valid.")
    kind, target, user, issued, mac = found.groups()
    if not hmac.compare_digest(mac, _mac(secret, f"{kind}{target}-{user}-{issued}")):
        raise TokenError("This reply address is not valid.")
    issued_at = datetime.fromtimestamp(int(issued, 36), UTC)
    if max_age is not None and now - issued_at > max_age:
        raise TokenError("This reply address has expired.", expired=True)
    return ReplyTarget(int(user, 36), kind, int(target, 36), issued_at)


def reply_address(token: str, domain: str) -> str:
    return f"{REPLY_PREFIX}{token}@{domain}"


def token_from_address(address: str, domain: str) -> str | None:
    """The token of ``reply+TOKEN@domain``, or None when the address is not a reply address
    of this forum (the domain compares without case, as domains do)."""
    local, at, host = address.strip().strip("<>").rpartition("@")
    if not at or host.lower() != domain.lower() or not local.lower().startswith(REPLY_PREFIX):
        return None
    return local[len(REPLY_PREFIX) :].lower() or None


# --- A received message ---------------------------------------------------------------------


def parse_message(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def sender_address(message: EmailMessage) -> str | None:
    """The one address in From, or None when there is none or more than one (nobody can
    tell which of several people wrote it)."""
    try:
        addresses = [addr for _name, addr in getaddresses(message.get_all("From", [])) if addr]
    except (TypeError, ValueError):  # a malformed header is as good as none
        return None
    return addresses[0] if len(addresses) == 1 else None


def is_automatic(message: EmailMessage, envelope_sender: str | None) -> bool:
    """Out-of-office answers, bounces and list mail: never posted, and never answered, so two
    robots can't keep mailing each other (RFC 3834)."""
    if not envelope_sender or envelope_sender == "<>":
        return True  # a bounce: the null reverse path
    if str(message.get("Auto-Submitted", "no")).strip().lower() != "no":
        return True
    if str(message.get("Precedence", "")).strip().lower() in ("bulk", "junk", "list"):
        return True
    return message.get_content_type() == "multipart/report" or "X-Autoreply" in message


def _part_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def html_to_text(html: str) -> str:
    """Text of an HTML-only mail: its quoted history dropped, then laid out as text by
    html-text (which drops scripts, styles and every tag; what is left is only text, and the
    forum's sanitiser still runs over it)."""
    if not html.strip():
        return ""
    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    for path in _HTML_QUOTES:
        for element in tree.xpath(path):
            element.drop_tree()
    return str(html_text.extract_text(tree, guess_layout=True))


def message_text(message: EmailMessage) -> str:
    """The plain text of a message: its text/plain body, else its HTML body as text."""
    body = message.get_body(preferencelist=("plain", "html"))
    if not isinstance(body, EmailMessage):
        return ""
    text = _part_text(body)
    if body.get_content_type() == "text/html":
        text = html_to_text(text)
    return text


def strip_quoted(text: str) -> str:
    """Only what the sender wrote now: the quoted mail ("On ... wrote:", Outlook's header
    block) and the signature are cut by mail-parser-reply, then a quote left at the end.
    Quoted lines between new ones stay (an interleaved answer), as Markdown quotes."""
    text = text.replace("\r\n", "\n")[:_PARSE_LIMIT]
    if not text.strip():
        return ""
    parsed = EmailReplyParser(languages=list(LANGUAGES)).read(text)
    if not parsed.replies:
        return text.strip()
    first = parsed.replies[0]
    if first.headers:  # the first part is itself the quoted mail: nothing new above it
        return ""
    lines = str(first.body).splitlines()
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    return "\n".join(lines).strip()


def new_text(message: EmailMessage) -> str:
    """The new text of a reply, ready for the same posting service as the site's form."""
    return strip_quoted(message_text(message))
