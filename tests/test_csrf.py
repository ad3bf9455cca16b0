"""CSRF is on for every form: no token, no effect; every page's forms carry one."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.factories import PASSWORD, make_admin, make_comment, make_moderator, make_thread


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True}


# RFC 8058 one-click unsubscribe is exempt on purpose (mail clients POST it with no
# session); the signed token in its URL is what authorises it. So is the Webmention
# endpoint, which other sites' servers call and which acts in nobody's name (it queues a
# check of the source). Nothing else may be.
CSRF_EXEMPT = {"mail.unsubscribe", "webmention.receive"}


def _site_post_urls(app) -> list[str]:
    """Every POST route outside the API, with placeholder values for its arguments."""
    urls = [
        re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", rule.rule)
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
        and not rule.rule.startswith("/api/")
        and rule.endpoint not in CSRF_EXEMPT
    ]
    assert len(urls) >= 9  # register, login, logout, new thread, reply, edit, delete, tag x2
    return sorted(urls)


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_every_site_post_without_a_token_is_refused_with_a_400_page(app, client, login_as) -> None:
    moderator = make_moderator("keeper")
    login_as(moderator)
    for url in _site_post_urls(app):
        response = client.post(url, data={"body": "x", "title": "x", "tags": "x", "name": "x"})
        assert response.status_code == 400, url
        html = _html(response)
        assert "Your form expired or came from another site" in html, url
        assert '<nav class="site-nav"' in html, url
    # The sign-out attempt above had no token, so it changed nothing.
    assert ">Sign out</button>" in _html(client.get("/"))


def test_a_wrong_token_is_refused_too(client, login_as) -> None:
    comment = make_comment(body="Still here.")
    login_as(comment.author)
    response = client.post(f"/comments/{comment.id}/delete", data={"csrf_token": "forged"})
    assert response.status_code == 400
    page = _html(client.get(f"/comments/{comment.id}", follow_redirects=True))
    assert "Still here." in page


def _forms_and_tokens(html: str) -> tuple[int, list[str]]:
    forms = len(re.findall(r'<form[^>]*method="post"', html))
    tokens = re.findall(r'<input type="hidden" name="csrf_token" value="([^"]+)">', html)
    return forms, tokens


def test_every_form_on_every_page_carries_a_token(client, login_as) -> None:
    thread = make_thread(tags=["funding"])
    comment = make_comment(thread)
    pages = ["/login", "/register", "/password/forgot"]
    for url in pages:
        forms, tokens = _forms_and_tokens(_html(client.get(url)))
        assert forms == len(tokens) >= 1, url

    login_as(make_admin())
    pages = [
        "/",
        "/threads/new",
        f"/threads/{thread.id}/{thread.slug}",
        f"/threads/{thread.id}/reply?to={comment.id}",
        f"/comments/{comment.id}/edit",
        "/tags/funding/edit",
        "/rules/edit",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        forms, tokens = _forms_and_tokens(_html(response))
        assert forms == len(tokens) >= 1, url
    # Sign out, follow, retag, reply, delete, and the moderator's lock, pin and remove; and
    # sign out, edit, merge.
    assert _forms_and_tokens(_html(client.get(pages[2])))[0] == 8
    assert _forms_and_tokens(_html(client.get(pages[-2])))[0] == 3


def test_the_token_from_the_page_is_accepted(client) -> None:
    from tests.factories import make_user

    make_user("hazel")
    _, tokens = _forms_and_tokens(_html(client.get("/login")))
    response = client.post(
        "/login", data={"username": "hazel", "password": PASSWORD, "csrf_token": tokens[0]}
    )
    assert response.status_code == 302
    _, tokens = _forms_and_tokens(_html(client.get("/threads/new")))
    response = client.post(
        "/threads/new",
        data={"title": "With a token", "body": "Body", "tags": "funding", "csrf_token": tokens[-1]},
    )
    assert response.status_code == 302
