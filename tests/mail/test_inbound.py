"""The pure part of replies by mail: reply tokens, and the new text of a received reply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from forum.mail import inbound
from forum.mail.spool import Spool
from forum.moderation.policy import place_comment

SECRET = "a-secret"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MONTH = timedelta(days=30)


def test_a_token_names_the_recipient_and_the_comment_and_nothing_else() -> None:
    token = inbound.reply_token(SECRET, user_id=42, comment_id=9001, now=NOW)
    target = inbound.read_reply_token(SECRET, token, now=NOW, max_age=MONTH)
    assert (target.user_id, target.comment_id, target.thread_id) == (42, 9001, None)
    assert target.issued_at == NOW
    address = inbound.reply_address(token, "forum.example")
    assert len(address.partition("@")[0]) <= 64  # SMTP's local-part limit
    assert address == address.lower()  # survives servers that fold the case


def test_a_thread_token_names_the_thread() -> None:
    token = inbound.reply_token(SECRET, user_id=1, thread_id=7, now=NOW)
    target = inbound.read_reply_token(SECRET, token, now=NOW, max_age=MONTH)
    assert (target.thread_id, target.comment_id) == (7, None)


def test_a_token_names_one_target() -> None:
    with pytest.raises(ValueError):
        inbound.reply_token(SECRET, user_id=1, now=NOW)
    with pytest.raises(ValueError):
        inbound.reply_token(SECRET, user_id=1, comment_id=2, thread_id=3, now=NOW)


def test_a_token_reads_whatever_case_a_server_gave_it() -> None:
    token = inbound.reply_token(SECRET, user_id=42, comment_id=9001, now=NOW)
    assert inbound.read_reply_token(SECRET, token.upper(), now=NOW, max_age=MONTH).user_id == 42


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace(t.split("-")[1], "zz", 1),  # another user
        lambda t: "c1" + t[t.index("-") :],  # another comment
        lambda t: t[:-1] + ("a" if t[-1] != "a" else "b"),  # the MAC
        lambda t: t + "x",
        lambda t: "",
    ],
)
def test_an_altered_token_is_refused(change) -> None:
    token = inbound.reply_token(SECRET, user_id=42, comment_id=9001, now=NOW)
    with pytest.raises(inbound.TokenError) as excinfo:
        inbound.read_reply_token(SECRET, change(token), now=NOW, max_age=MONTH)
    assert not excinfo.value.expired


def test_another_secret_makes_another_token() -> None:
    token = inbound.reply_token(SECRET, user_id=42, comment_id=9001, now=NOW)
    with pytest.raises(inbound.TokenError):
        inbound.read_reply_token("another", token, now=NOW, max_age=MONTH)


def test_a_token_expires_after_max_age_unless_already_accepted() -> None:
    token = inbound.reply_token(SECRET, user_id=42, comment_id=9001, now=NOW)
    later = NOW + MONTH + timedelta(seconds=1)
    with pytest.raises(inbound.TokenError) as excinfo:
        inbound.read_reply_token(SECRET, token, now=later, max_age=MONTH)
    assert excinfo.value.expired
    assert inbound.read_reply_token(SECRET, token, now=later, max_age=None).user_id == 42


@pytest.mark.parametrize(
    ("address", "token"),
    [
        ("reply+abc@forum.example", "abc"),
        ("<Reply+ABC@Forum.Example>", "abc"),
        ("reply+abc@other.example", None),
        ("replies@forum.example", None),
        ("reply+@forum.example", None),
        ("not an address", None),
    ],
)
def test_only_reply_addresses_at_our_domain_hold_a_token(address, token) -> None:
    assert inbound.token_from_address(address, "forum.example") == token


def _message(text: str, *, sender: str = "a@example.org", html: bool = False) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message.set_content(text, subtype="html" if html else "plain")
    return message


@pytest.mark.parametrize(
    ("header", "many"),
    [("Someone <a@example.org>", False), ("a@example.org, b@example.org", True), ("", True)],
)
def test_the_sender_is_the_one_from_address(header, many) -> None:
    message = EmailMessage()
    if header:
        message["From"] = header
    assert inbound.sender_address(message) == (None if many else "a@example.org")


@pytest.mark.parametrize(
    ("headers", "envelope", "automatic"),
    [
        ({}, "a@example.org", False),
        ({"Auto-Submitted": "no"}, "a@example.org", False),
        ({"Auto-Submitted": "auto-replied"}, "a@example.org", True),
        ({"Precedence": "bulk"}, "a@example.org", True),
        ({"X-Autoreply": "yes"}, "a@example.org", True),
        ({}, "<>", True),  # a bounce
        ({}, None, True),
    ],
)
def test_automatic_mail_is_recognised(headers, envelope, automatic) -> None:
    message = _message("Away until Monday.")
    for name, value in headers.items():
        message[name] = value
    assert inbound.is_automatic(message, envelope) is automatic


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("Yes.\n\nOn Mon, 7 Dec 2026 at 09:00, Forum <f@x.org> wrote:\n> Who?\n", "Yes."),
        ("Ja.\n\nAm 07.12.2026 um 09:00 schrieb Forum <f@x.org>:\n> Wer?\n", "Ja."),
        (
            "Agreed.\n\n________________________________\nFrom: Forum <f@x.org>\n"
            "Sent: Monday, 7 December 2026 09:00\nTo: me@x.org\nSubject: Re: beds\n\nOld.\n",
            "Agreed.",
        ),
        ("Thanks.\n\n-- \nSam\nShelter coordinator\n", "Thanks."),
        ("Bottom line first.\n\n> quoted at the end\n> more\n", "Bottom line first."),
        ("> a point\nMy answer to it.\n\n> the rest", "> a point\nMy answer to it."),
        ("On Mon, 7 Dec 2026, Forum wrote:\n> only the quote\n", ""),
        ("   \n\n", ""),
    ],
)
def test_only_the_new_text_is_kept(text, new) -> None:
    assert inbound.strip_quoted(text) == new


def test_html_mail_becomes_text_without_its_quote_or_active_content() -> None:
    html = (
        "<html><head><script>steal()</script><style>b{}</style></head><body>"
        "<p>Line one &amp; <i>two</i></p><p>Paragraph</p>"
        '<blockquote type="cite">the old mail</blockquote>'
        '<div id="divRplyFwdMsg">From: Forum</div></body></html>'
    )
    text = inbound.new_text(_message(html, html=True))
    assert "Line one & two" in text and "Paragraph" in text
    assert "steal" not in text and "old mail" not in text and "From: Forum" not in text


def test_a_plain_part_is_preferred_to_the_html_one() -> None:
    message = _message("Plain words.")
    message.add_alternative("<p>HTML words.</p>", subtype="html")
    assert inbound.new_text(message) == "Plain words."


def test_a_message_with_no_text_has_no_new_text() -> None:
    message = EmailMessage()
    message["From"] = "a@example.org"
    message.set_content(b"\x89PNG", maintype="image", subtype="png")
    assert inbound.new_text(message) == ""
    assert inbound.html_to_text("") == ""


def test_a_lying_charset_is_read_with_replacements() -> None:
    raw = (
        b"From: a@example.org\r\nContent-Type: text/plain; charset=no-such-charset\r\n\r\n"
        b"Caf\xe9 at noon.\r\n"
    )
    assert inbound.new_text(inbound.parse_message(raw)).startswith("Caf")


def test_mail_cannot_be_asked_to_rephrase_so_any_match_is_held() -> None:
    for action in ("nudge", "flag", "hold"):
        placement = place_comment(action, confirmed=False, new_user=False, interactive=False)
        assert (placement.status, placement.queue, placement.nudge) == (
            "pending_review",
            "rules",
            False,
        )
    clean = place_comment("allow", confirmed=False, new_user=False, interactive=False)
    assert clean.status == "published"


def test_the_spool_keeps_entries_in_order_and_private(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    spool.open()
    first = spool.put("reply+a@x", b"first")
    second = spool.put("reply+b@x", b"second")
    assert spool.pending() == [first, second]
    assert spool.read(first) == ("reply+a@x", b"first")
    assert oct((spool.new / first).stat().st_mode & 0o777) == "0o600"
    assert oct(spool.directory.stat().st_mode & 0o777) == "0o700"
    spool.done(first)
    spool.give_up(second)
    assert spool.pending() == [] and (spool.failed / second).exists()
