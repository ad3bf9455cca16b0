"""Outbox handlers for mail. Importing this module registers them (the factory does).

Each is idempotent through the delivery rows, and raises to have the outbox retry it with
backoff (forum.outbox).
"""

from __future__ import annotations

from typing import Any

from forum import outbox
from forum.mail import replies, service


@outbox.handler("mail.fanout")
def fan_out(payload: dict[str, Any]) -> None:
    """A new thread or comment, after its in-site notifications: split the mail into batches."""
    service.fan_out(payload["kind"], payload["thread_id"], payload.get("comment_id"))


@outbox.handler("mail.batch")
def send_batch(payload: dict[str, Any]) -> None:
    service.send_batch(
        payload["kind"], payload["thread_id"], payload.get("comment_id"), payload["user_ids"]
    )


@outbox.handler("mail.verify")
def send_verification(payload: dict[str, Any]) -> None:
    service.send_verification(payload["user_id"], payload["nonce"])


@outbox.handler("mail.password_reset")
def send_password_reset(payload: dict[str, Any]) -> None:
    service.send_password_reset(payload["user_id"], payload["nonce"])


@outbox.handler("mail.promoted")
def send_promotion_notice(payload: dict[str, Any]) -> None:
    service.send_promotion_notice(payload["promotion_id"])


@outbox.every(300)
def send_digests() -> None:
    """Daily and weekly digests; the service sends each at most once per day or week."""
    service.send_due_digests()


@outbox.handler("mail.reply_held")
def send_reply_held(payload: dict[str, Any]) -> None:
    """A reply by mail waits for a moderator: tell its author, with the words matched."""
    replies.send_held_notice(payload["user_id"], payload["comment_id"], payload["key"])


@outbox.handler("mail.reply_refused")
def send_reply_refused(payload: dict[str, Any]) -> None:
    replies.send_refusal(
        payload["user_id"], payload.get("thread_id"), payload["reason"], payload["key"]
    )
