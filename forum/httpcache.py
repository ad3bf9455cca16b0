"""HTTP caching: validators and 304s for anonymous readers, no-store for personal pages, and
fingerprinted static files that browsers keep for a year.

- Anonymous thread, tag and home pages: a weak ETag (a hash of the body), a Last-Modified
  when the shared cache knows when the page last changed, ``public, max-age=0,
  must-revalidate`` and ``Vary: Cookie``. With Redis, ``public_page`` also keeps the rendered
  page in the shared cache (``forum.cache``), so a hit or a 304 costs no query and no render.
- Signed-in pages (and any page that started a session: its CSRF token is in the HTML) are
  ``private, no-store``: they show the reader's own counts, buttons and tokens.
- ``static_url("css/forum.css")`` adds ``?v=<content hash>``; a request carrying the current
  hash is answered with ``public, max-age=31536000, immutable``.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, current_app, request, session, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date, parse_accept_header
from werkzeug.wrappers import Request, Response

from forum import cache
from forum.kept import Kept
from forum.security import HSTS, SECURITY_HEADERS, add_security_headers

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PUBLIC = "public, max-age=0, must-revalidate"
PRIVATE = "private, no-store"
IMMUTABLE_SECONDS = 31_536_000
# Last-Modified has whole seconds: a page rendered in the second of a change is sent without
# it (its ETag still works), or a second change in that second would pass If-Modified-Since.
# Two seconds leaves room for hosts whose clocks differ a little.
FRESH_CHANGE_SECONDS = 2.0

VersionOf = Callable[..., cache.Version | None]


def register_http_caching(app: Flask) -> None:
    app.extensions["forum.static_hashes"] = {} if app.debug else _hash_folder(app.static_folder)
    app.jinja_env.globals["static_url"] = static_url
    app.after_request(_cache_headers)


# --------------------------------------------------------------------------- pages


def is_public_request() -> bool:
    """An anonymous reader with nothing personal waiting (a flashed message is personal)."""
    return (
        request.method in ("GET", "HEAD")
        and not current_user.is_authenticated
        and not session.get("_flashes")
    )


def public_page(
    render: Callable[[], str | Response], version: VersionOf, *, store: bool = True
) -> Response:
    """Answer an anonymous reader from the shared cache, or render and (when ``store``) keep it.

    ``version(create=..., page_key=...)`` is the page's version (``forum.cache``), read with
    the page kept for this address in one round trip; a kept page counts only if it was
    rendered under that version. The version is read *before* rendering and stored with the
    page, so a change committed while the page renders leaves the stored copy a version
    behind: the next reader renders again. A page with no version yet is rendered and its
    version started, but not stored: a change could have slipped between the render and the
    start.
    """
    key = _page_key(request) if store else None
    found = version(create=False, page_key=key)
    if found is not None and found.page is not None:
        return _respond(found.page)
    result = render()
    if not isinstance(result, str):
        return result  # a redirect, or a status the view chose
    if session.modified:
        # Rendering put something in this reader's session (a CSRF token): it is theirs alone.
        return Response(result, mimetype="text/html")
    modified = None
    if found is not None and time.time() - found.modified >= FRESH_CHANGE_SECONDS:
        modified = found.modified
    body = result.encode()  # once, here: a hit sends the stored bytes as they are
    if found is not None and key is not None:
        page = cache.Page(gzipped=_gzip(body), etag=_hash(body), modified=modified)
        cache.set_page(key, found.token, page)
        return _respond(page, body=body)
    if found is None:
        version(create=True)
    # Not kept: sent as rendered (compressing it for one reader would cost more than it saves).
    return _respond(cache.Page(gzipped=b"", etag=_hash(body), modified=modified), body=body)


def _page_key(to: Request) -> str:
    """Where a page is kept: one entry per address, as the app and the fast path both read."""
    return f"page:{to.full_path}"


def _gzip(body: bytes) -> bytes:
    # No time stamp in the header: the same page compresses to the same bytes on every host.
    return gzip.compress(body, compresslevel=6, mtime=0)


def _hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:24]


# Kept pages as HTML, by ETag (a hash of the HTML), for the readers who don't take gzip
# (scripts, feed readers, some bots): decompressing a 250 kB thread page for each of them
# cost more than reading it from the cache. A few pages: such readers are a small share.
_plain_pages: Kept[bytes] = Kept(16, max_age=3600)


def _plain(page: cache.Page) -> bytes:
    body = _plain_pages.get(page.etag)
    if body is None:
        body = gzip.decompress(page.gzipped)
        _plain_pages.put(page.etag, body)
    return body


def _respond(page: cache.Page, to: Request | None = None, *, body: bytes | None = None) -> Response:
    """The page as sent: a kept page gzip-compressed to a reader who accepts it (every
    browser), else as HTML (``body``, when the caller has it at hand); a page that was not
    kept comes with no compressed copy (``gzipped`` empty) and goes as rendered."""
    to = to or request
    if page.gzipped and to.accept_encodings["gzip"]:
        response = Response(page.gzipped, mimetype="text/html")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(body or _plain(page), mimetype="text/html")
    response.vary.add("Accept-Encoding")
    response.set_etag(page.etag, weak=True)
    if page.modified is not None:
        response.last_modified = page.modified  # type: ignore[assignment]
    response.headers["Cache-Control"] = PUBLIC
    # The same URL is personal for a signed-in reader: shared caches must keep them apart.
    response.vary.add("Cookie")
    return response.make_conditional(to)


# --------------------------------------------------------------------------- the fast path

# The version key a kept page of an endpoint is stored under, from the URL's arguments.
KeyOf = Callable[[dict[str, Any]], str]
# Headers a view adds to its page for the host asked (not kept with the page), given a
# function from an endpoint to its absolute URL.
HeadersOf = Callable[[Callable[[str], str]], list[tuple[str, str]]]


def keep_pages(
    bp: Blueprint, endpoint: str, key_of: KeyOf, headers: HeadersOf = lambda url: []
) -> None:
    """Declare that ``public_page`` keeps the anonymous pages of ``endpoint`` under the
    version ``key_of(url arguments)``, and which ``headers`` the view adds to them, so the
    fast path may answer them before Flask as the view would."""
    bp.record_once(
        lambda state: state.app.extensions.setdefault("forum.kept_pages", {}).__setitem__(
            endpoint, (key_of, headers)
        )
    )


class CachedPages:
    """WSGI middleware: a kept anonymous page is answered from the shared cache before Flask
    sees the request (no request context, session, sign-in lookup, database or template),
    with the headers the app would send. Everything else goes to the app unchanged: any
    method but GET and HEAD, a query string, a session or remember-me cookie (a signed-in
    reader, or a flashed message), an address the app doesn't keep, and every miss; the app
    then renders and keeps the page as before (``public_page``), so both paths agree."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        # This worker's last pages, reused while their version holds (cache.cached_page).
        self.held: cache.Held = Kept(64, max_age=cache.HELD_PAGE_SECONDS)
        self.cookies = tuple(
            f"{app.config.get(name, default)}="
            for name, default in (
                ("SESSION_COOKIE_NAME", "session"),
                ("REMEMBER_COOKIE_NAME", "remember_token"),
            )
        )

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        response = self._kept(environ)
        if response is None:
            return self.wsgi_app(environ, start_response)
        return response(environ, start_response)

    def _kept(self, environ: WSGIEnvironment) -> WSGIApplication | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("QUERY_STRING"):
            return None
        cookie = environ.get("HTTP_COOKIE", "")
        if cookie and any(name in cookie for name in self.cookies):
            return None
        kept: dict[str, tuple[KeyOf, HeadersOf]] = self.app.extensions.get("forum.kept_pages", {})
        backend = self.app.extensions.get("cache", {}).get(cache.cache)
        if not kept or backend is None or not cache.is_shared_config(self.app.config):
            return None
        urls = self.app.url_map.bind_to_environ(environ)
        try:
            endpoint, args = urls.match()
        except HTTPException:  # not found, or a redirect (a missing slash): the app says so
            return None
        if str(endpoint) not in kept:
            return None
        key_of, headers_of = kept[str(endpoint)]
        incoming = Request(environ)
        page = cache.cached_page(
            backend,
            self.app.extensions["forum.release"],
            key_of(args),
            _page_key(incoming),
            self.held,
        )
        if page is None:
            return None
        links = headers_of(lambda to: urls.build(to, force_external=True))
        hsts = incoming.is_secure and self.app.config["SECURE_COOKIES"]
        if page.gzipped and _plain_get(environ):
            return _send_gzipped(page, links, hsts)
        response = _respond(page, incoming)
        for name, value in links:
            response.headers.add(name, value)
        add_security_headers(response.headers, hsts=hsts)
        return response


# What makes a request more than "send the page": a validator to compare, or a range.
_CONDITIONS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_RANGE",
    "HTTP_IF_RANGE",
)


def _plain_get(environ: WSGIEnvironment) -> bool:
    """A GET from a reader who takes gzip, with no condition: almost every request for a
    kept page, and the one answered without building a Response (``_send_gzipped``)."""
    return (
        environ["REQUEST_METHOD"] == "GET"
        and not any(name in environ for name in _CONDITIONS)
        and _takes_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
    )


@lru_cache(maxsize=64)  # browsers send a handful of forms of this header
def _takes_gzip(accept_encoding: str) -> bool:
    return bool(parse_accept_header(accept_encoding)["gzip"])


def _send_gzipped(page: cache.Page, links: list[tuple[str, str]], hsts: bool) -> WSGIApplication:
    """The kept page's compressed bytes with the headers ``_respond`` and the app would
    send (tests/test_fastpath.py compares them), as a bare WSGI answer: building a Response
    and its Headers cost as much as reading the page from the cache."""
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(page.gzipped))),
        ("Content-Encoding", "gzip"),
        ("Vary", "Accept-Encoding, Cookie"),
        ("ETag", f'W/"{page.etag}"'),
        ("Cache-Control", PUBLIC),
        ("Date", http_date()),
        *links,
        *SECURITY_HEADERS,
    ]
    if page.modified is not None:
        headers.append(("Last-Modified", http_date(page.modified)))
    if hsts:
        headers.append(HSTS)

    def send(_environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", headers)
        return [page.gzipped]

    return send


# --------------------------------------------------------------------------- static files


def _hash_folder(folder: str | None) -> dict[str, str]:
    if not folder:
        return {}
    root = Path(folder)
    return {
        path.relative_to(root).as_posix(): _file_hash(path)
        for path in root.rglob("*")
        if path.is_file()
    }


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def fingerprint(filename: str) -> str | None:
    """The content hash of a static file: computed once at startup, or per call in debug mode
    (so an edited stylesheet shows at once)."""
    hashes: dict[str, str] = current_app.extensions["forum.static_hashes"]
    if hashes or not current_app.debug:
        return hashes.get(filename)
    path = Path(current_app.static_folder or "") / filename
    return _file_hash(path) if path.is_file() else None


def static_url(filename: str) -> str:
    """``/static/<filename>?v=<hash>``: a new version of the file gets a new address."""
    return url_for("static", filename=filename, v=fingerprint(filename))


# --------------------------------------------------------------------------- every response


def _cache_headers(response: Response) -> Response:
    if request.endpoint == "static":
        filename = (request.view_args or {}).get("filename", "")
        wanted = request.args.get("v")
        if wanted and wanted == fingerprint(filename) and response.status_code in (200, 304):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = IMMUTABLE_SECONDS
            response.cache_control.immutable = True
            response.expires = int(time.time() + IMMUTABLE_SECONDS)  # type: ignore[assignment]
        return response
    if "Cache-Control" in response.headers or response.mimetype != "text/html":
        return response
    if current_user.is_authenticated or session.modified:
        # Personal counts, buttons and CSRF tokens: never kept by any cache, nor shown by Back.
        response.headers["Cache-Control"] = PRIVATE
    return response
