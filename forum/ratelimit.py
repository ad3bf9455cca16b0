"""Named rate limits, one per action, values read from config so operators can tune them.

The same name is shared by the site and the API, so posting through either counts once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from forum.extensions import limiter

# action name -> config key holding its limit string ("6 per minute;120 per day")
LIMITS = {
    "login": "RATELIMIT_LOGIN",
    "register": "RATELIMIT_REGISTER",
    "post": "RATELIMIT_POST",
    "flag": "RATELIMIT_FLAG",
    "preview": "RATELIMIT_PREVIEW",
    "assess": "RATELIMIT_ASSESS",
    "api": "RATELIMIT_API",
}


def rate_limit(action: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator applying the named limit ``action`` to a view."""
    key = LIMITS[action]
    return limiter.shared_limit(lambda: current_app.config[key], scope=action, **kwargs)


def init_rate_limits(app: Flask) -> None:
    """Counters in Redis when ``REDIS_URL`` is set, so every app host counts the same hits.

    If Redis stops answering, Flask-Limiter logs a warning and counts in this process's memory
    (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``) until a health check finds Redis back; any other
    storage error lets the request through and is logged (``RATELIMIT_SWALLOW_ERRORS``).
    """
    redis_url = app.config["REDIS_URL"]
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    if redis_url:
        # Short timeouts: an unreachable Redis costs a request a second, then the fallback.
        app.config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1}
        )
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
