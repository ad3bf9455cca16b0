"""A deleted account's name must not outlive it in the page cache (Redis, or the disk)."""

from __future__ import annotations

from forum.account.rules import DELETED_NAME
from tests.account.conftest import Life
from tests.factories import PASSWORD

# Fixtures: each test on both page caches (Redis and the default install's disk).
from tests.test_cache import config_overrides, warm  # noqa: F401


def test_cached_pages_stop_showing_the_name_at_once(app, client, life: Life, warm) -> None:  # noqa: F811
    pages = [f"/threads/{t.id}/{t.slug}" for t in (life.own_thread, life.their_thread)] + ["/"]
    for url in pages:
        assert ">hazel</a>" in warm(url)  # served from the cache, no query

    person = app.test_client()
    person.post("/login", data={"username": "hazel", "password": PASSWORD})
    person.post("/settings/account/delete", data={"password": PASSWORD, "choice": "anonymise"})

    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert ">hazel</a>" not in html and DELETED_NAME in html, url
