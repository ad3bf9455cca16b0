"""Reading a fetched source page: does it link to the target, and what is it called, who
wrote it, what does it say. Pure: no Flask or SQLAlchemy.

A page marked up as an h-entry (microformats2, parsed by mf2py) gives its name, author and
summary or content; any other page gives its ``<title>`` and the start of its ``<article>``,
``<main>`` or body. Everything kept is plain text made by forum.text, the one sanitiser:
shown escaped, never as markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import lxml.html
import mf2py
from lxml import etree

from forum.text import clean_line, excerpt, plain_text
from forum.webmention.rules import normalize_url

TITLE_MAX = 200
AUTHOR_MAX = 100
EXCERPT_MAX = 280
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(frozen=True)
class SourceEntry:
    """What a mention shows of its source: plain text, already sanitised and shortened."""

    title: str
    author: str
    excerpt: str


def decode(body: bytes, charset: str | None) -> str:
    """The page as text: the charset the server named, else the page's own ``<meta>``,
    else UTF-8; undecodable bytes become U+FFFD rather than failing."""
    for candidate in (charset, _meta_charset(body), "utf-8"):
        if candidate:
            try:
                return body.decode(candidate, errors="replace")
            except LookupError:
                continue
    return body.decode("utf-8", errors="replace")


def _meta_charset(body: bytes) -> str | None:
    found = _META_CHARSET.search(body[:2048])
    return found.group(1).decode("ascii") if found else None


def read_source(html: str, url: str, target: str) -> SourceEntry | None:
    """The entry ``html`` (fetched from ``url``, after redirects) shows, or None when it has
    no ``<a href>`` to ``target``: the mention is not verified."""
    if not html.strip():
        return None
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    if not links_to(doc, url, target):
        return None
    fallback_title = clean_line(doc.findtext(".//title") or "")
    entry = _h_entry(html, url)
    if entry is not None:
        found = _from_h_entry(entry, fallback_title)
        if found.excerpt or found.title:
            return found
    return SourceEntry(
        title=excerpt(fallback_title, TITLE_MAX),
        author="",
        excerpt=excerpt(_main_text(doc), EXCERPT_MAX),
    )


def links_to(doc: Any, url: str, target: str) -> bool:
    """True when an ``<a href>`` of the page, resolved against its base, is ``target``."""
    base = url
    for href in doc.xpath("//base/@href")[:1]:
        base = urljoin(url, str(href).strip())
    wanted = normalize_url(target)
    for href in doc.xpath("//a/@href"):
        try:
            if normalize_url(urljoin(base, str(href).strip())) == wanted:
                return True
        except ValueError:  # a broken href (a bad port, an unclosed IPv6 bracket)
            continue
    return False


def _main_text(doc: Any) -> str:
    for path in ("//article", "//main", "//body"):
        found = doc.xpath(path)
        if found:
            return plain_text(lxml.html.tostring(found[0], encoding=str), html=True)
    return ""


def _h_entry(html: str, url: str) -> dict[str, Any] | None:
    """The page's first h-entry, looking into nested items (an h-feed's children) too."""
    parsed = mf2py.parse(doc=html, url=url, html_parser="lxml")
    stack: list[dict[str, Any]] = list(reversed(parsed.get("items", [])))
    while stack:
        item = stack.pop()
        if "h-entry" in item.get("type", []):
            return item
        stack.extend(reversed(item.get("children", [])))
    return None


def _first(properties: dict[str, Any], name: str) -> Any:
    values = properties.get(name) or [None]
    return values[0]


def _text_of(value: Any) -> str:
    """A property as one line of text: a string as it is, an embedded item (an h-card) by
    its name, e-* content by its markup's visible text."""
    if isinstance(value, str):
        return clean_line(value)
    if not isinstance(value, dict):
        return ""
    if "html" in value:
        return plain_text(str(value["html"]), html=True)
    name = _first(value.get("properties", {}), "name")
    return clean_line(str(name if name is not None else value.get("value", "")))


def _from_h_entry(entry: dict[str, Any], fallback_title: str) -> SourceEntry:
    properties = entry.get("properties", {})
    name = _text_of(_first(properties, "name"))
    summary = _text_of(_first(properties, "summary")) or _text_of(_first(properties, "content"))
    # A note has no name of its own: the page's title stands in.
    title = name if name and name != summary else fallback_title
    return SourceEntry(
        title=excerpt(title, TITLE_MAX),
        author=excerpt(_text_of(_first(properties, "author")), AUTHOR_MAX),
        excerpt=excerpt(summary, EXCERPT_MAX),
    )
