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

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import cache

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
    key = f"page:{request.full_path}" if store else None
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
    page = cache.Page(body=body, etag=_hash(body), modified=modified)
    if found is not None and key is not None:
        cache.set_page(key, found.token, page)
    elif found is None:
        version(create=True)
    return _respond(page)


def _hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:24]


def _respond(page: cache.Page) -> Response:
    response = Response(page.body, mimetype="text/html")
    response.set_etag(page.etag, weak=True)
    if page.modified is not None:
        response.last_modified = page.modified  # type: ignore[assignment]
    response.headers["Cache-Control"] = PUBLIC
    # The same URL is personal for a signed-in reader: shared caches must keep them apart.
    response.vary.add("Cookie")
    return response.make_conditional(request)


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
