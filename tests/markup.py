"""Helpers for tests that read the site's HTML."""

from __future__ import annotations

import re

# The one script every page loads (templates/base.html): from /static, deferred, no body.
SITE_SCRIPT = re.compile(r'<script src="/static/js/forum\.js\?v=[0-9a-f]+" defer></script>')


def without_site_script(html: str) -> str:
    """The page minus the site's own script tag, so a test can assert that no other
    ``<script`` (an injected one, or inline code the CSP would block) is anywhere in it."""
    assert len(SITE_SCRIPT.findall(html)) <= 1, "the site script is loaded once"
    return SITE_SCRIPT.sub("", html)
