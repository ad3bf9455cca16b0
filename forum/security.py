"""Security defaults applied to every response, and the safe-redirect check."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from flask import Flask, Response, request
from werkzeug.datastructures import Headers

# No inline script or style anywhere: everything comes from /static (issue: strict CSP).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def set_headers(response: Response) -> Response:
        add_security_headers(
            response.headers, hsts=request.is_secure and app.config["SECURE_COOKIES"]
        )
        return response


# The headers every response carries, and the one an HTTPS response adds.
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def add_security_headers(headers: Headers, *, hsts: bool) -> None:
    """The headers every response carries (those a view set itself are kept); also used by
    the cached-page fast path, which answers before Flask (forum.httpcache)."""
    for name, value in (*SECURITY_HEADERS, HSTS) if hsts else SECURITY_HEADERS:
        headers.setdefault(name, value)


def is_safe_redirect(target: str | None, host_url: str) -> bool:
    """True only for a path on this site: no scheme-relative, foreign host or backslash tricks."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    resolved = urlsplit(urljoin(host_url, target))
    return resolved.scheme in ("http", "https") and resolved.netloc == urlsplit(host_url).netloc
