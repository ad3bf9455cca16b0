"""The default install's page cache: without Redis, one host's gunicorn workers share pages
and versions on disk, and a change made through any worker shows at once in every one."""

from __future__ import annotations

from pathlib import Path

import diskcache

from tests.factories import PASSWORD, make_comment, make_thread, make_user
from tests.servers import Browser, server_env, start_gunicorn

READS = 12  # anonymous reads after each step: with two workers, both serve some of them


def _stored_pages(folder: Path) -> list[str]:
    store = diskcache.Cache(str(folder))
    try:
        return [key for key in store.iterkeys() if key.startswith("page:")]
    finally:
        store.close()


def test_two_workers_share_pages_on_disk_and_see_a_change_at_once(app, migrated, tmp_path) -> None:
    make_user("plainspoken")
    thread = make_thread(title="Beds in winter")
    make_comment(thread, body="The council funds forty beds.")
    folder = tmp_path / "cache"
    server = start_gunicorn(server_env(migrated, None, FORUM_CACHE_DIR=str(folder)), workers=2)
    try:
        server.wait_until_up()
        url = f"{server.base}/threads/{thread.id}/{thread.slug}"
        reader = Browser()
        for _ in range(READS):
            status, headers, page = reader.request(url)
            assert status == 200 and "The council funds forty beds." in page
        assert len(_stored_pages(folder)) == 1  # one copy, whichever worker rendered it
        etag = headers["ETag"]

        member = Browser()
        token = member.sign_in(server.base, "plainspoken", PASSWORD)
        status, _, _ = member.request(
            f"{server.base}/threads/{thread.id}/comments",
            {"csrf_token": token, "body": "Forty beds for a city of this size is too few."},
        )
        assert status == 302

        for _ in range(READS):
            status, headers, page = reader.request(url)
            assert status == 200 and "Forty beds for a city of this size is too few." in page
            assert headers["ETag"] != etag
        home_status, _, home = reader.request(f"{server.base}/")
        assert home_status == 200 and "2 replies" in home
    finally:
        log = server.stop()
    assert "Traceback" not in log
