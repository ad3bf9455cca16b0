"""Named rate limits, one per action, values read from config so operators can tune them.

The same name is shared by the site and the API, so posting through either counts once.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from limits import RateLimitItem, parse_many

from forum import ratelimit_storage, redis_clients
from forum.extensions import limiter

log = logging.getLogger(__name__)

# action name -> config key holding its limit string ("6 per minute;120 per day")
LIMITS = {
    "login": "RATELIMIT_LOGIN",
    "register": "RATELIMIT_REGISTER",
    "password_reset": "RATELIMIT_PASSWORD_RESET",
    "post": "RATELIMIT_POST",
    "flag": "RATELIMIT_FLAG",
    "preview": "RATELIMIT_PREVIEW",
    "assess": "RATELIMIT_ASSESS",
    "api": "RATELIMIT_API",
    "search": "RATELIMIT_SEARCH",
    "webmention": "RATELIMIT_WEBMENTION",
    "webmention_source": "RATELIMIT_WEBMENTION_SOURCE",
}


def rate_limit(action: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator applying the named limit ``action`` to a view."""
    key = LIMITS[action]
    return limiter.shared_limit(lambda: current_app.config[key], scope=action, **kwargs)


def take(action: str, key: str) -> bool:
    """Count one ``action`` by ``key`` outside a request (a reply by mail: the account, as
    mail has no client address), against the same configured limit; False when over it.

    Like the other limits: off with ``RATELIMIT_ENABLED`` false, and a storage error lets
    the action through (logged)."""
    if not current_app.config["RATELIMIT_ENABLED"] or not limiter.enabled:
        return True
    try:
        items = parse_many(current_app.config[LIMITS[action]])
        strategy = limiter.limiter
        if not all(strategy.test(item, action, key) for item in items):
            return False
        for item in items:
            strategy.hit(item, action, key)
    except Exception:  # noqa: BLE001 - as RATELIMIT_SWALLOW_ERRORS: let it through
        log.warning("rate-limit storage failed; %s not counted", action, exc_info=True)
    return True


def init_rate_limits(app: Flask) -> None:
    """Counters in Redis when ``REDIS_URL`` is set, so every app host counts the same hits;
    otherwise in a SQLite file in the instance folder, so every worker on this host does
    (forum.ratelimit_storage). ``RATELIMIT_STORAGE_URI`` overrides both.

    If the storage stops answering, Flask-Limiter logs a warning and counts in this process's
    memory (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``) until a health check finds it back; any
    other storage error lets the request through and is logged (``RATELIMIT_SWALLOW_ERRORS``).
    """
    redis_url = app.config["REDIS_URL"]
    local = f"{ratelimit_storage.SCHEME}://{Path(app.instance_path) / 'ratelimits.sqlite'}"
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or local)
    if redis_url:
        # Short timeouts and a pause (forum.redis_clients): an unreachable Redis costs a
        # second, then the fallback.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", redis_clients.options(redis_url))
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)


class LoginThrottle:
    """Failed sign-ins, counted in the rate-limit storage (the SQLite counters file or Redis,
    never the forum's database).

    Three budgets, so that hammering an account slows the attacker without locking its owner out:

    - every sign-in POST from one address: the ``login`` limit on the view (any account);
    - failures on one account from one address (``RATELIMIT_LOGIN_FAILURES``): past it, that
      address may not try that account until the window ends; other addresses may;
    - failures on one account from all addresses (``RATELIMIT_LOGIN_ACCOUNT``): past it the
      account is under attack, and an address that has failed on it even once in the
      per-address window is refused. An address with no failure on it (the owner's, who has
      not been guessing) still gets its attempts, so the owner can still sign in; an attacker
      spread over many addresses gets one guess per address per window instead of five.

    Only failures count, so signing in correctly never spends a budget. The account key is the
    case-folded name as typed, existing or not, so the answer never tells whether it exists.
    With limits off (``RATELIMIT_ENABLED=false``) nothing is counted or refused; if the storage
    fails, the attempt is let through and the error logged, like the other limits.
    """

    PAIR, PAIR_LIMIT = "login-failures", "RATELIMIT_LOGIN_FAILURES"
    ACCOUNT, ACCOUNT_LIMIT = "login-account-failures", "RATELIMIT_LOGIN_ACCOUNT"

    def _items(self, config_key: str) -> list[RateLimitItem]:
        return parse_many(current_app.config[config_key])

    def _active(self) -> bool:
        return bool(current_app.config["RATELIMIT_ENABLED"])

    def reserve(self, account: str, address: str) -> int:
        """Seconds this address must wait before trying ``account`` again, or 0 to go ahead.

        Going ahead takes one of this address's failure slots on the account before the
        password is checked: ``failed`` keeps it, ``succeeded`` gives it back. Checking here
        and counting only after the check would let guesses sent at the same moment, to one
        worker or several, all pass at four failures out of five, and past the limit.
        """
        if not self._active() or not account:
            return 0
        try:
            return self._wait(account, address) or self._take_slot(account, address)
        except Exception:  # noqa: BLE001 - like RATELIMIT_SWALLOW_ERRORS: let the person try
            log.warning("login throttle storage failed; not throttling", exc_info=True)
            return 0

    def _take_slot(self, account: str, address: str) -> int:
        """0 once every failure limit of the pair has a slot taken; else give back what was
        taken (another attempt got there first) and return the wait."""
        strategy = limiter.limiter
        pair = (self.PAIR, account, address)
        taken: list[RateLimitItem] = []
        for item in self._items(self.PAIR_LIMIT):
            taken.append(item)
            if not strategy.hit(item, *pair):  # atomic: the count after this hit is ours
                self._give_back(taken, pair)
                reset = strategy.get_window_stats(item, *pair).reset_time
                return max(1, math.ceil(reset - time.time()))
        return 0

    def _give_back(self, items: list[RateLimitItem], pair: tuple[str, ...]) -> None:
        # A negative hit; if the window ended meanwhile the count starts from 0 (the SQLite
        # storage) or -1 (memory, Redis): one more guess then, at worst.
        for item in items:
            limiter.limiter.hit(item, *pair, cost=-1)

    def _wait(self, account: str, address: str) -> int:
        strategy = limiter.limiter
        pair = (self.PAIR, account, address)
        here = [(i, strategy.get_window_stats(i, *pair)) for i in self._items(self.PAIR_LIMIT)]
        resets = [stats.reset_time for _, stats in here if stats.remaining <= 0]
        failed_here = [stats.reset_time for item, stats in here if stats.remaining < item.amount]
        if not resets and failed_here:
            anywhere = [
                strategy.get_window_stats(item, self.ACCOUNT, account)
                for item in self._items(self.ACCOUNT_LIMIT)
            ]
            attack_ends = [stats.reset_time for stats in anywhere if stats.remaining <= 0]
            if attack_ends:
                # Free again once the attack window or this address's failures run out.
                resets.append(min(max(attack_ends), max(failed_here)))
        return math.ceil(max(resets) - time.time()) if resets else 0

    def failed(self, account: str, address: str) -> None:
        """Count one failed sign-in on ``account`` from ``address``: the slot ``reserve``
        took stays spent, and the account's count from all addresses grows."""
        if not self._active() or not account:
            return
        try:
            strategy = limiter.limiter
            for item in self._items(self.ACCOUNT_LIMIT):
                strategy.hit(item, self.ACCOUNT, account)
        except Exception:  # noqa: BLE001
            log.warning("login throttle storage failed; failure not counted", exc_info=True)

    def succeeded(self, account: str, address: str) -> None:
        """Give back the slot ``reserve`` took: signing in correctly spends no budget."""
        if not self._active() or not account:
            return
        try:
            self._give_back(self._items(self.PAIR_LIMIT), (self.PAIR, account, address))
        except Exception:  # noqa: BLE001
            log.warning("login throttle storage failed; slot not given back", exc_info=True)


login_throttle = LoginThrottle()
