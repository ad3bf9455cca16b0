"""Quick exit: on every page, a plain link to a neutral site (FORUM_QUICK_EXIT_URL) that
sends no referrer; forum.js makes it (and Escape twice) replace the page in the history."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_thread, make_user


@pytest.mark.parametrize("path", ["/", "/tags", "/questions", "/login", "/register", "/rules"])
def test_every_page_has_a_quick_exit_that_leaves_no_referrer(client, path: str) -> None:
    html = client.get(path).get_data(as_text=True)
    link = re.search(r'<a class="quick-exit" href="([^"]+)" rel="noreferrer" data-quick', html)
    assert link and link.group(1) == "https://www.bbc.co.uk/weather"
    # Right after "Skip to content", so it is the second stop for a keyboard.
    assert html.index("Skip to content") < html.index("Quick exit") < html.index('class="site-nav"')


def test_the_exit_address_is_a_setting(app, client, login_as) -> None:
    app.config["QUICK_EXIT_URL"] = "https://example.org/recipes"
    thread = make_thread()
    login_as(make_user())
    html = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert 'href="https://example.org/recipes" rel="noreferrer" data-quick-exit' in html
