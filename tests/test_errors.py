"""Error pages: the site's layout, the right status, a message a person can act on."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.errors import NotFoundError, PermissionDeniedError, ValidationError
from forum.models import Comment
from tests.factories import make_thread, make_user


def _html(response) -> str:
    return response.get_data(as_text=True)


def _is_site_page(html: str) -> bool:
    return '<nav class="site-nav"' in html and '<footer class="site-footer">' in html


@pytest.mark.parametrize(
    "url", ["/threads/9999", "/tags/nothing-here", "/users/nobody", "/comments/9999", "/nope"]
)
def test_not_found_is_a_404_page_in_the_site_layout(client, url) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    html = _html(response)
    assert _is_site_page(html)
    assert "<title>Error 404 · Forum</title>" in html
    assert 'href="/">Back to the latest discussions</a>' in html


def test_not_found_answers_json_to_a_client_that_asks_for_it(client) -> None:
    response = client.get("/threads/9999", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("get", "/logout", {"POST", "OPTIONS"}),
        ("post", "/", {"GET", "HEAD", "OPTIONS"}),
        ("put", "/login", {"GET", "HEAD", "OPTIONS", "POST"}),
        ("delete", "/comments/1", {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_wrong_method_is_a_405_page_with_an_allow_header(client, method, url, allowed) -> None:
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == allowed
    html = _html(response)
    assert _is_site_page(html)
    assert "doesn&#39;t accept this kind of request" in html


def test_a_body_over_the_size_limit_is_a_413_page_and_nothing_is_posted(
    app, client, login_as, db
) -> None:
    thread = make_thread()
    login_as(make_user())
    too_big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(f"/threads/{thread.id}/comments", data={"body": too_big})
    assert response.status_code == 413
    html = _html(response)
    assert _is_site_page(html)
    assert "too large" in html
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_a_body_just_under_the_limit_is_judged_on_its_content_instead(
    app, client, login_as
) -> None:
    thread = make_thread()
    login_as(make_user())
    body = "x" * (app.config["MAX_CONTENT_LENGTH"] - 100)
    response = client.post(f"/threads/{thread.id}/comments", data={"body": body})
    assert response.status_code == 422  # over the comment limit, so the form explains why
    assert "Keep it to 20,000 characters" in _html(response)


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (ValidationError("Please fix the marked fields.", fields={"title": "x"}), 422),
        (PermissionDeniedError("Your account can't post right now."), 403),
        (NotFoundError("There is no such thread."), 404),
    ],
)
@pytest.mark.fresh_app
def test_domain_errors_become_pages_with_their_message(app, client, exc, status) -> None:
    @app.get("/_raise")
    def _raise() -> str:
        raise exc

    response = client.get("/_raise")
    assert response.status_code == status
    html = _html(response)
    assert _is_site_page(html)
    assert f"<h1>{status}</h1>" in html
    assert exc.message.replace("'", "&#39;") in html


@pytest.mark.fresh_app
def test_an_unexpected_error_is_a_500_page_that_reveals_nothing(app, client, caplog) -> None:
    @app.get("/_boom")
    def _boom() -> str:
        raise RuntimeError("secret connection string postgres://u:p@db")

    response = client.get("/_boom")
    assert response.status_code == 500
    html = _html(response)
    assert _is_site_page(html)
    assert "Something went wrong on our side" in html
    assert "postgres://" not in html
    assert "Unhandled error on GET /_boom" in caplog.text
