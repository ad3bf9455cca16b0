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
    "api": "RATELIMIT_API",
}


def rate_limit(action: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator applying the named limit ``action`` to a view."""
    key = LIMITS[action]
    return limiter.shared_limit(lambda: current_app.config[key], scope=action, **kwargs)


def init_rate_limits(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
