"""Pure rules for Webmention (W3C Recommendation): which requests to accept, how addresses
compare, and which network addresses a fetch may reach."""

from __future__ import annotations

import hashlib
import ipaddress
from urllib.parse import urlsplit, urlunsplit

SCHEMES = ("http", "https")
URL_MAX = 2000
DEFAULT_PORTS = {"http": 80, "https": 443}


def url_problem(url: str, name: str) -> str | None:
    """Why ``url`` can't be a Webmention source or target, in a sentence; None when it can."""
    if not url:
        return f"'{name}' is missing: send source and target as form fields."
    if len(url) > URL_MAX:
        return f"'{name}' is longer than {URL_MAX} characters."
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return f"'{name}' contains spaces or control characters."
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that isn't a number
    except ValueError:
        return f"'{name}' is not a valid URL."
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        return f"'{name}' must be an absolute http or https URL."
    if parts.username is not None or parts.password is not None:
        return f"'{name}' must not carry a user name or password."
    return None


def request_problem(source: str, target: str) -> str | None:
    """Why a Webmention request is refused (the receiver answers 400), or None."""
    problem = url_problem(source, "source") or url_problem(target, "target")
    if problem:
        return problem
    if normalize_url(source) == normalize_url(target):
        return "The source and the target are the same URL."
    return None


def normalize_url(url: str) -> str:
    """The form two addresses are compared in: scheme and host in lower case, no default
    port, no fragment, "/" for an empty path. The query is kept: it can name another page."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or port == DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def host_of(url: str) -> str:
    """The host name of ``url`` in lower case ("" when it has none or isn't a URL): the
    "(site)" shown beside a mention, and the key of the per-source rate limit."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def mention_key(source: str, target: str) -> str:
    """One mention per source and target, however either is spelled."""
    pair = f"{normalize_url(source)}\n{normalize_url(target)}"
    return hashlib.sha256(pair.encode()).hexdigest()


def is_public_address(address: str) -> bool:
    """True for an address on the public internet: not private, loopback, link-local,
    shared (carrier NAT), reserved, multicast or unspecified. An IPv4 address written as
    IPv6 (``::ffff:127.0.0.1``) is judged as the IPv4 address it is."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)
