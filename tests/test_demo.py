"""The demo, loaded through the services: threads, a month of moderation dated over its
weeks, the resource list pinned, and a queue with work left in it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.demo.load import load_demo
from forum.models import ModerationAction, QueueItem, Thread
from forum.models.base import utcnow


@pytest.fixture
def config_overrides() -> dict[str, object]:
    # As a fresh install: new accounts' first posts wait, fresh accounts' flags don't count.
    return {"NEW_USER_REVIEW_COUNT": 2, "FLAG_MIN_ACCOUNT_DAYS": 3}


def test_the_demo_fills_a_believable_month_of_moderation(client, login_as, db) -> None:
    assert "users" in load_demo()
    assert load_demo() == ""  # once only
    # Moderation happened over the weeks, not all at the moment the demo was loaded.
    times = list(db.session.scalars(select(ModerationAction.created_at)))
    days = {(utcnow() - t).days for t in times}
    assert len(times) >= 12 and len(days) >= 5 and max(days) >= 30
    actions = set(db.session.scalars(select(ModerationAction.action)))
    assert {"remove", "approve", "dismiss", "appeal", "warn", "lock", "pin"} <= actions
    assert db.session.scalar(select(func.count(QueueItem.id)).where(QueueItem.state == "open")) >= 1
    page = client.get("/moderation").get_data(as_text=True)
    months = re.findall(r'<th scope="row">(\w+ \d{4})</th>', page)
    assert len(months) >= 2
    assert "accuse.role" in page
    # The resource list is pinned first on the home page, marked, listed once.
    resources = db.session.scalar(select(Thread).where(Thread.pinned_at.is_not(None)))
    home = client.get("/").get_data(as_text=True)
    listing = home[home.index("<main") : home.index("</main>")]
    assert listing.count(resources.title) == 1
    assert home.index("Pinned</span>") < home.index(resources.title)
    # The spammer's thread is removed: nobody else sees it.
    assert "Visa paperwork" not in home
