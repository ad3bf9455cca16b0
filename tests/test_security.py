"""Security defaults a browser sees: headers on every page, cookie flags, same-site redirects."""

from __future__ import annotations

import pytest

from forum.security import is_safe_redirect
from tests.factories import PASSWORD, make_thread, make_user
from tests.markup import without_site_script

HOST = "http://localhost/"


@pytest.fixture
def pages(app) -> list[str]:
    thread = make_thread(tags=["funding"])
    return [
        "/",
        f"/threads/{thread.id}/{thread.slug}",
        "/tags",
        "/tags/funding",
        "/login",
        "/register",
        f"/users/{thread.author.username}",
        "/threads/9999",
    ]


def test_every_page_carries_the_security_headers(client, pages) -> None:
    for url in pages:
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        directives = {d.split()[0]: d for d in csp.split("; ")}
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, url
        assert directives["frame-ancestors"] == "frame-ancestors 'none'", url
        assert directives["script-src"] == "script-src 'self'", url
        assert directives["object-src"] == "object-src 'none'", url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["Referrer-Policy"] == "same-origin", url
        assert headers["X-Frame-Options"] == "DENY", url


def test_redirects_and_error_pages_carry_them_too(client) -> None:
    for response in (client.get("/threads/new"), client.get("/logout"), client.get("/nowhere")):
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_or_style_for_the_csp_to_block(client, login_as, pages) -> None:
    login_as(make_user())
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert "<script" not in without_site_script(html), url
        assert "<style" not in html and " style=" not in html, url


def test_no_hsts_over_plain_http(client) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers


def _cookie_header(response, name: str) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}="))


def test_session_cookie_is_httponly_and_samesite_lax(client) -> None:
    make_user("hazel")
    response = client.post("/login", data={"username": "hazel", "password": PASSWORD})
    header = _cookie_header(response, "session")
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


@pytest.mark.parametrize("config_overrides", [{"SECURE_COOKIES": True}])
def test_secure_cookies_setting_marks_cookies_secure_and_turns_on_hsts(client) -> None:
    make_user("hazel")
    response = client.post(
        "/login",
        data={"username": "hazel", "password": PASSWORD, "remember": "1"},
        base_url="https://localhost",
    )
    assert "; Secure" in _cookie_header(response, "session")  # the only cookie
    assert "remember_token" not in str(response.headers)
    headers = client.get("/", base_url="https://localhost").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example"])
def test_login_with_a_foreign_next_goes_home(client, target) -> None:
    make_user("hazel")
    response = client.post(
        "/login", query_string={"next": target}, data={"username": "hazel", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "//evil.example",
        "///evil.example",
        "https://evil.example",
        "http://localhost.evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "\x00/",
    ],
)
def test_is_safe_redirect_refuses_anything_off_site(target) -> None:
    assert not is_safe_redirect(target, HOST)


@pytest.mark.parametrize("target", ["/", "/threads/1/a-thread#c3", "/tags?page=2", "/users/x"])
def test_is_safe_redirect_accepts_paths_on_this_site(target) -> None:
    assert is_safe_redirect(target, HOST)
