"""Rendered once: HTML fragments kept per process, keyed by everything they show.

A thread page repeats the same markup for hundreds of comments that did not change since the
last view. A template wraps such a piece in ``{% call fragment(key) %}...{% endcall %}``:
the block is rendered on the first view and reused while ``key`` is equal, where ``key`` is the
value the block is drawn from (a comment as shown, which carries its text, status, author and
edit time). An edit, a removal or a new reply changes the value, so the next view renders the
new version; nothing needs invalidating, which is why every worker and host can keep its own
copy without telling the others. A new release restarts the processes and with them the
cache. A ``key`` of None renders the block every time: for what depends on the viewer.

Bounded by ``FORUM_FRAGMENT_CACHE_SIZE`` entries per process, least recently used first out.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from flask import Flask, current_app, request
from markupsafe import Markup


class FragmentCache:
    """A least-recently-used map of rendered fragments, safe to share between threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = Lock()
        self.hits = self.misses = 0

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> Markup:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found
        html = Markup(render())  # outside the lock: other threads' pages go on meanwhile
        with self._lock:
            self.misses += 1
            self._entries[key] = html
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


def fragment(key: Hashable | None, part: str = "", *, caller: Callable[[], str]) -> Markup:
    """The ``{% call fragment(key, part) %}`` of a template: the block's output, rendered once
    per ``key``. ``part`` tells apart several blocks drawn from the same value. The page's
    script root is part of the key, since links in the block start with it."""
    if key is None:
        return Markup(caller())
    cache: FragmentCache = current_app.extensions["forum.fragments"]
    return cache.get_or_render((request.script_root, part, key), caller)


def init_fragments(app: Flask) -> None:
    app.extensions["forum.fragments"] = FragmentCache(app.config["FRAGMENT_CACHE_SIZE"])
    app.jinja_env.globals["fragment"] = fragment
