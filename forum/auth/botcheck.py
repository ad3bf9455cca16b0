"""Two cheap signs that a registration form was filled by a program, not a person.

- A honeypot: an input hidden from people (by a CSS class, and from assistive technology by
  ``aria-hidden``; its label says to leave it empty in case it is reached anyway). Form-filling
  bots fill every field they find.
- A signed stamp of when the form was served: a form sent back within
  ``REGISTER_MIN_SECONDS`` was not typed by anyone, and one with no valid stamp did not come
  from our page.

Neither is a wall (a patient bot can wait three seconds and skip odd fields); they take out
the bulk of drive-by sign-ups at no cost to people, and the "register" rate limit does the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

HONEYPOT_FIELD = "website"
STAMP_FIELD = "form_stamp"
_SALT = "forum.register-form"

# The seam for tests: replace with a fake clock instead of sleeping.
clock: Callable[[], float] = time.time

TOO_FAST = (
    "That was quicker than anyone types. Please wait a moment and submit the form again; "
    "what you entered is still here (except the password)."
)
NOT_A_PERSON = (
    "We could not tell this form apart from an automated one. Please check the fields and "
    "submit it again; what you entered is still here (except the password)."
)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def issue_stamp() -> str:
    """The signed time the form is being served, for its hidden ``form_stamp`` field."""
    return str(_serializer().dumps(round(clock(), 3)))


def stamp_time(stamp: str) -> float | None:
    """When a stamp we issued was made; None for a missing, forged or malformed one."""
    try:
        value = _serializer().loads(stamp)
    except BadSignature:
        return None
    return float(value) if isinstance(value, int | float) else None


def problem(form: Mapping[str, str]) -> str | None:
    """Why this registration looks automated, in words a person can act on; None if it doesn't."""
    if form.get(HONEYPOT_FIELD, ""):
        return NOT_A_PERSON
    minimum = float(current_app.config["REGISTER_MIN_SECONDS"])
    if minimum <= 0:
        return None
    started = stamp_time(form.get(STAMP_FIELD, ""))
    if started is None:
        return NOT_A_PERSON
    if clock() - started < minimum:
        return TOO_FAST
    return None


def stamp_for_retry(form: Mapping[str, str]) -> str:
    """The stamp to serve with a refused form: the original if it is genuine (so waiting a
    moment is enough), else a new one."""
    stamp = form.get(STAMP_FIELD, "")
    return stamp if stamp_time(stamp) is not None else issue_stamp()
