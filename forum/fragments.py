"""Rendered once: HTML fragments kept per process, keyed by everything they show.

A thread page repeats the same markup for hundreds of comments that did not change since the
last view. A template hands such pieces to ``{{ fragments(entries, macro) }}``: each is
rendered on the first view and reused while its ``key`` is equal, where ``key`` is the value
the piece is drawn from (a comment as shown, which carries its text, status, author and edit
time, with its shown time and the reader's actions on it). An edit, a removal or a new reply
changes the value, so the next view renders the new version; nothing needs invalidating,
which is why every worker and host can keep its own copy without telling the others. A new
release restarts the processes and with them the cache. A ``key`` of None renders the piece
every time: for what depends on the reader in ways the key does not hold.

Bounded by ``FORUM_FRAGMENT_CACHE_SIZE`` entries per process, least recently used first out.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from threading import Lock
from typing import Any

from flask import Flask, current_app, request
from markupsafe import Markup


class FragmentCache:
    """A least-recently-used map of rendered fragments, safe to share between threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = Lock()
        self.hits = self.misses = 0

    def render_all(
        self, entries: Iterable[tuple[Hashable | None, Sequence[Any]]], render: Callable[..., str]
    ) -> list[Markup]:
        """``render(*args)`` for each ``(key, args)``, reusing what is kept under ``key`` (None:
        never kept). One look under the lock for the whole list and one to keep what was
        drawn: a thread page asks for hundreds at a time, and rendering happens outside it,
        so other threads' pages go on meanwhile."""
        entries = list(entries)
        with self._lock:
            get, touch = self._entries.get, self._entries.move_to_end
            found = [None if key is None else get(key) for key, _ in entries]
            for (key, _), html in zip(entries, found, strict=True):
                if html is not None:
                    touch(key)
        drawn: dict[Hashable, Markup] = {}
        result = []
        for (key, args), html in zip(entries, found, strict=True):
            if html is None:
                html = Markup(render(*args))
                if key is not None:
                    drawn[key] = html
            result.append(html)
        with self._lock:
            self.hits += sum(html is not None for html in found)
            self.misses += len(drawn)
            self._entries.update(drawn)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return result

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


def fragments(
    entries: Iterable[tuple[Hashable | None, Sequence[Any]]],
    render: Callable[..., str],
    part: str = "",
) -> Markup:
    """``{{ fragments(entries, macro) }}``: many blocks of one kind, each ``macro(*args)``
    rendered once per ``key`` of its ``(key, args)`` entry (None: every time). The page's
    script root is part of the key, since links in the block start with it. For a thread
    page's hundreds of comments: a template loop around ``{% call fragment %}`` builds a
    caller macro per item and costs more than the lookups it saves."""
    cache: FragmentCache = current_app.extensions["forum.fragments"]
    root = request.script_root
    keyed = [(None if key is None else (root, part, key), args) for key, args in entries]
    return Markup("".join(cache.render_all(keyed, render)))


def init_fragments(app: Flask) -> None:
    app.extensions["forum.fragments"] = FragmentCache(app.config["FRAGMENT_CACHE_SIZE"])
    app.jinja_env.globals["fragments"] = fragments
