"""The outbox job that verifies a webmention. Importing this module registers it (the
factory does). Verifying again is harmless: the mention is found by its source and target,
and a source that can't be read changes nothing (the job is not retried)."""

from __future__ import annotations

from typing import Any

from flask import current_app

from forum import outbox
from forum.extensions import db
from forum.webmention import service
from forum.webmention.fetch import FetchLimits


def fetch_limits() -> FetchLimits:
    """The bounds of a source fetch, from the settings (``FORUM_WEBMENTION_*``)."""
    config = current_app.config
    return FetchLimits(
        timeout=float(config["WEBMENTION_TIMEOUT"]),
        max_bytes=int(config["WEBMENTION_MAX_BYTES"]),
        max_redirects=int(config["WEBMENTION_MAX_REDIRECTS"]),
        allow_private=bool(config["WEBMENTION_ALLOW_PRIVATE"]),
    )


@outbox.handler(service.VERIFY)
def verify(payload: dict[str, Any]) -> None:
    # End the outbox's transaction before the fetch, which the sender's server can make
    # last seconds: on SQLite it holds the database's write lock (forum.outbox), and every
    # post on the site would wait. The price is that another worker may verify the same
    # mention meanwhile, which is harmless.
    db.session.commit()
    service.verify(
        payload["source"], payload["target"], payload["thread_id"], limits=fetch_limits()
    )
