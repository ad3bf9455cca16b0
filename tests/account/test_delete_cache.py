"""A deleted account's name must not outlive it in the shared page cache (Redis)."""

from __future__ import annotations

from typing import Any

import pytest
from redis import Redis

from forum.account.rules import DELETED_NAME
from tests.account.conftest import Life
from tests.factories import PASSWORD
from tests.test_cache import REDIS_URL, redis, warm  # noqa: F401 - fixtures used below


@pytest.fixture
def config_overrides(redis: Redis) -> dict[str, Any]:  # noqa: F811 - the fixture above
    return {"REDIS_URL": REDIS_URL}


def test_cached_pages_stop_showing_the_name_at_once(app, client, life: Life, warm) -> None:  # noqa: F811
    pages = [f"/threads/{t.id}/{t.slug}" for t in (life.own_thread, life.their_thread)] + ["/"]
    for url in pages:
        assert ">hazel</a>" in warm(url)  # served from Redis, no query

    person = app.test_client()
    person.post("/login", data={"username": "hazel", "password": PASSWORD})
    person.post("/settings/account/delete", data={"password": PASSWORD, "choice": "anonymise"})

    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert ">hazel</a>" not in html and DELETED_NAME in html, url
