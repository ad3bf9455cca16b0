"""The shared cache: anonymous page renderings, keyed by versions every app host can bump.

Services call ``bump_thread(thread_id)`` right after a commit that changes what a thread page
(or the home page's list) shows; ``thread_version``/``listing_version`` give the current
version, which goes into the key of a cached page, so a bump on one host makes every host's
copy unreachable at once. A page is kept per address with the version it was rendered
under (replaced by the next version's rendering), and read with the versions in one round
trip; nothing is deleted: old entries just expire.

Backends (Flask-Caching): Redis when ``FORUM_REDIS_URL`` is set, shared by every host;
otherwise ``DiskCache``, files in ``FORUM_CACHE_DIR`` (a folder per database under
``instance/cache``) indexed by SQLite (diskcache), shared by the gunicorn workers of one
host: a bump in one worker is seen by the next request in any other. An in-process
``SimpleCache`` would be wrong under gunicorn: each worker would keep its own versions, and
a bump in one would leave the others serving stale pages (a removed comment staying up).
``CACHE_TYPE = "NullCache"`` turns caching off.

Redis being down never fails a request: reads miss, bumps are logged and skipped, and the
page timeout (``PAGE_CACHE_SECONDS``) bounds how long a page missed by a lost bump can live.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache as memoize
from pathlib import Path
from typing import Any

import diskcache
from flask import Flask, current_app
from flask_caching import Cache
from flask_caching.backends.base import BaseCache

from forum import redis_clients
from forum.kept import Kept

cache = Cache()
log = logging.getLogger(__name__)

# Versions outlive the pages cached under them; a lost version just means one cache miss.
VERSION_SECONDS = 7 * 24 * 3600
_SITE = "v:site"  # bumped when something shown on many pages changes (a tag renamed, merged)
LISTING = "v:listing"  # the home page's list of threads


@dataclass(frozen=True)
class Page:
    """A rendered anonymous page as stored: its HTML gzip-compressed once (browsers take it
    as it is, a seventh of the bytes to read from the cache and send), its ETag value, and
    its Last-Modified."""

    gzipped: bytes
    etag: str
    modified: float | None


@dataclass(frozen=True)
class Version:
    """What a cached page is kept under, when it last changed (epoch seconds), and the page
    stored for it when the caller asked for one (read in the same round trip)."""

    token: str
    modified: float
    page: Page | None = None


def init_cache(app: Flask) -> None:
    """Redis when configured, else files shared by this host's workers (the module docstring)."""
    if app.config.get("REDIS_URL"):
        app.config.setdefault("CACHE_TYPE", "RedisCache")
        app.config.setdefault("CACHE_REDIS_URL", app.config["REDIS_URL"])
        # Short timeouts, and a pause after a failure (forum.redis_clients): never a hang.
        app.config.setdefault("CACHE_OPTIONS", redis_clients.options(app.config["REDIS_URL"]))
    else:
        app.config.setdefault("CACHE_TYPE", "forum.cache.DiskCache")
        if not app.config["CACHE_DIR"]:
            # One folder per database: an app on another database never reads these pages.
            database = hashlib.sha256(app.config["DATABASE_URL"].encode()).hexdigest()[:12]
            app.config["CACHE_DIR"] = str(Path(app.instance_path) / "cache" / database)
        app.config.setdefault("CACHE_NO_NULL_WARNING", True)  # when set to NullCache on purpose
    app.config.setdefault("CACHE_KEY_PREFIX", "forum:")
    app.config.setdefault("CACHE_DEFAULT_TIMEOUT", app.config["PAGE_CACHE_SECONDS"])
    cache.init_app(app)
    app.extensions["forum.release"] = app.config.get("RELEASE") or release_token(
        Path(app.root_path), Path(app.template_folder or "templates"), Path(app.static_folder or "")
    )


def is_shared() -> bool:
    """True when there is a store for versions and pages (Redis, or what the operator set)."""
    return is_shared_config(current_app.config)


def is_shared_config(config: Mapping[str, Any]) -> bool:
    return config["CACHE_TYPE"] not in ("NullCache", "null")


def release() -> str:
    """Code and templates of this release: a deploy never serves pages rendered by the last one."""
    return current_app.extensions["forum.release"]


@memoize
def release_token(*folders: Path) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.suffix in (".pyc",) or "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# --------------------------------------------------------------------------- versions


def thread_key(thread_id: int) -> str:
    """The version key of a thread's page (and its comments' permalinks)."""
    return f"v:t:{thread_id}"


def _initial() -> int:
    # A fresh counter starts at the time in microseconds, so after Redis loses its data a
    # counter never comes back to a number an earlier page (or a browser's ETag) was keyed by.
    return time.time_ns() // 1000


def _bump(*keys: str) -> None:
    if not is_shared():
        return
    now = time.time()
    try:
        for key in keys:
            cache.add(key, _initial(), timeout=VERSION_SECONDS)
            cache.cache.inc(key)  # the backend: the Cache proxy has no inc
            cache.set(f"m:{key}", now, timeout=VERSION_SECONDS)
    except Exception:  # noqa: BLE001 - the change is committed; PAGE_CACHE_SECONDS bounds staleness
        redis_clients.warn_failure(log, "could not bump cache versions %s", keys)


def bump_thread(*thread_ids: int) -> None:
    """Call after committing a change to a thread's page; the home page's list changes too."""
    _bump(*(thread_key(thread_id) for thread_id in thread_ids), LISTING)


def bump_all() -> None:
    """Call after a change shown across pages (a tag renamed or merged)."""
    _bump(_SITE)


def _token(release: str, site: object, own: object) -> str:
    """What a page is kept under: the release, the site's version and the page's own."""
    return f"{release}.{site}.{own}"


# How long the fast path reuses a page it read, while the page's version is unchanged: the
# version is read on every request, so this only bounds how long a page kept in the store
# lives on in a worker past its own expiry (PAGE_CACHE_SECONDS, for "5 minutes ago").
HELD_PAGE_SECONDS = 5.0
Held = Kept[tuple[str, Page]]


def cached_page(
    backend: BaseCache, release: str, key: str, page_key: str, held: Held | None = None
) -> Page | None:
    """The page kept at ``page_key`` if it was rendered under the current version of ``key``,
    in one round trip and without an app context: the WSGI fast path's read
    (``forum.httpcache.CachedPages``). None on a miss or when the store is down. With
    ``held`` (this worker's last pages by address, with their versions), a page held for
    the current version is not read again: the round trip carries two counters, not 20 kB
    of page, which is what the store spends its time on."""
    found = held.get(page_key) if held is not None else None
    try:
        site, own, *stored = backend.get_many(_SITE, key, *([] if found else [page_key]))
        if site is None or own is None:
            return None
        token = _token(release, site, own)
        if found is not None:
            if found[0] == token:
                return found[1]
            stored = [backend.get(page_key)]  # the version moved on: the page kept for it
    except Exception:  # noqa: BLE001 - the app behind answers instead
        redis_clients.warn_failure(log, "cache unavailable; the app answers")
        return None
    page = _stored_for(token, stored)
    if page is not None and held is not None:
        held.put(page_key, (token, page))
    return page


def _version(key: str, *, create: bool, page_key: str | None = None) -> Version | None:
    """None when there is no shared cache, when Redis is down, or, unless ``create``, when the
    key is unknown: callers then render without caching. With ``page_key``, the page stored
    there comes in the same round trip, kept only if it was stored for this very version."""
    if not is_shared():
        return None
    keys = [_SITE, key, f"m:{_SITE}", f"m:{key}"]
    try:
        site, own, site_mod, own_mod, *stored = cache.get_many(
            *keys, *([page_key] if page_key else [])
        )
        if create and (site is None or own is None):
            now = time.time()
            for k in (_SITE, key):
                if cache.add(k, _initial(), timeout=VERSION_SECONDS):
                    cache.set(f"m:{k}", now, timeout=VERSION_SECONDS)
            site, own, site_mod, own_mod = cache.get_many(*keys)
            stored = []
    except Exception:  # noqa: BLE001 - a cache outage means rendering, not an error page
        redis_clients.warn_failure(log, "cache unavailable; rendering without it")
        return None
    if site is None or own is None:
        return None
    # A missing time means the record was lost: "now" is safe (it can only be too late).
    modified = max(float(site_mod or time.time()), float(own_mod or time.time()))
    token = _token(release(), site, own)
    return Version(token=token, modified=modified, page=_stored_for(token, stored))


def thread_version(
    thread_id: int, *, create: bool = False, page_key: str | None = None
) -> Version | None:
    return _version(thread_key(thread_id), create=create, page_key=page_key)


def listing_version(*, create: bool = False, page_key: str | None = None) -> Version | None:
    return _version(LISTING, create=create, page_key=page_key)


# --------------------------------------------------------------------------- pages


def _stored_for(token: str, stored: list[Any]) -> Page | None:
    """The page read with the version, if it was rendered under that version."""
    found = stored[0] if stored else None
    if not isinstance(found, tuple) or len(found) != 4 or found[0] != token:
        return None
    return Page(*found[1:])


def set_page(key: str, token: str, page: Page) -> None:
    """Keep a page for its address, with the version it was rendered under: one entry per
    address, replaced when a newer version is rendered."""
    try:
        # A plain tuple: nothing but builtins goes through the cache's serializer.
        cache.set(key, (token, page.gzipped, page.etag, page.modified))
    except Exception:  # noqa: BLE001
        redis_clients.warn_failure(log, "could not store page %s in the cache", key)


# --------------------------------------------------------------------------- one host


class DiskCache(BaseCache):
    """A Flask-Caching backend over diskcache: pages as files, keys, versions and expiry times
    in a SQLite index, so every worker process of one host shares them without a server.

    diskcache is process-safe (SQLite transactions; ``incr`` is atomic) and evicts the least
    recently stored entries past ``size_limit``. Chosen over Flask-Caching's FileSystemCache,
    whose ``inc`` is a read and a write that two workers can interleave and whose pruning
    lists the whole folder."""

    def __init__(self, directory: str, default_timeout: int = 300, size_mb: int = 256) -> None:
        super().__init__(default_timeout)
        self._cache = diskcache.Cache(directory, size_limit=size_mb * 1024 * 1024)
        # Opened in the master process before gunicorn forks: each worker opens its own
        # SQLite connection on first use instead of sharing this one.
        self._cache.close()

    @classmethod
    def factory(
        cls, app: Flask, config: dict[str, Any], args: list[Any], kwargs: dict[str, Any]
    ) -> DiskCache:
        return cls(
            config["CACHE_DIR"],
            default_timeout=config["CACHE_DEFAULT_TIMEOUT"],
            size_mb=config["CACHE_DISK_MB"],
        )

    def _expire(self, timeout: int | None) -> int | None:
        seconds = self._normalize_timeout(timeout)
        return seconds or None  # 0: for ever

    def get(self, key: str) -> Any:
        return self._cache.get(key)

    def get_many(self, *keys: str) -> list[Any]:
        return [self._cache.get(key) for key in keys]

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        return bool(self._cache.set(key, value, expire=self._expire(timeout)))

    def add(self, key: str, value: Any, timeout: int | None = None) -> bool:
        return bool(self._cache.add(key, value, expire=self._expire(timeout)))

    def inc(self, key: str, delta: int = 1) -> int:
        return int(self._cache.incr(key, delta))

    def delete(self, key: str) -> bool:
        return bool(self._cache.delete(key))

    def has(self, key: str) -> bool:
        return key in self._cache

    def clear(self) -> bool:
        self._cache.clear()
        return True
