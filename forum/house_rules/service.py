"""House rules use cases: the current text, its versions and what each changed, and saving a
new version (admins only, logged in the moderation log like every rule edit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum import permissions
from forum.cache import bump_all
from forum.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from forum.extensions import db
from forum.house_rules import rules
from forum.models import HouseRulesVersion, User
from forum.moderation.audit import log_action
from forum.text import clean_line, clean_text
from forum.threads.rules import DiffPiece, word_diff

DEFAULT_PATH = Path(__file__).with_name("default.md")
NOTE_MAX = 200
# Versions listed on the history page; the rules change a few times a year.
HISTORY_SHOWN = 100


@dataclass(frozen=True)
class Version:
    """One version of the rules; number 0 is the text the forum shipped with."""

    number: int
    body: str
    author: User | None
    created_at: datetime | None
    note: str

    @property
    def document(self) -> rules.Document:
        return _parse(self.body)


@cache
def default_text() -> str:
    return DEFAULT_PATH.read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def _parse(body: str) -> rules.Document:
    # Saved text always parses (save_version checked it); the cache keeps each page view from
    # splitting the same 30,000 characters again.
    return rules.parse(body)


def _shipped() -> Version:
    return Version(0, default_text(), None, None, "The rules the forum shipped with.")


def _from_row(row: HouseRulesVersion) -> Version:
    return Version(row.number, row.body, row.author, row.created_at, row.note)


def current() -> Version:
    """The newest saved version, or the shipped text while no admin has saved one."""
    row = db.session.scalar(
        select(HouseRulesVersion)
        .options(selectinload(HouseRulesVersion.author))
        .order_by(HouseRulesVersion.number.desc())
        .limit(1)
    )
    return _from_row(row) if row else _shipped()


def versions() -> list[Version]:
    """Saved versions, newest first, ending with the shipped text."""
    rows = db.session.scalars(
        select(HouseRulesVersion)
        .options(selectinload(HouseRulesVersion.author))
        .order_by(HouseRulesVersion.number.desc())
        .limit(HISTORY_SHOWN)
    )
    return [*(_from_row(row) for row in rows), _shipped()]


def get_version(number: int) -> Version:
    if number == 0:
        return _shipped()
    row = db.session.scalar(select(HouseRulesVersion).where(HouseRulesVersion.number == number))
    if row is None:
        raise NotFoundError("There is no such version of the house rules.")
    return _from_row(row)


def diff(number: int) -> tuple[Version, Version | None, list[DiffPiece]]:
    """Version ``number``, the one before it (None for the shipped text), and the word diff."""
    version = get_version(number)
    if number == 0:
        return version, None, [DiffPiece("same", version.body)]
    previous = get_version(number - 1)
    return version, previous, word_diff(previous.body, version.body)


def save_version(body: str, *, note: str = "", actor: User) -> Version:
    """Save new rules text as the next version. Refused: non-admins, unchanged text, text past
    the limits, and text that drops a section moderation rules or removal notices link to."""
    if not permissions.can_edit_house_rules(actor):
        raise PermissionDeniedError("Only admins can change the house rules.")
    body, note = clean_text(body), clean_line(note)[:NOTE_MAX]
    try:
        document = rules.check_edit(body, rules.linked_anchors())
    except rules.HouseRulesError as exc:
        raise ValidationError(str(exc), fields={"body": str(exc)}) from exc
    latest = current()
    if body == clean_text(latest.body):
        problem = "This is the text already shown: change something, or leave it as it is."
        raise ValidationError(problem, fields={"body": problem})
    number = (db.session.scalar(select(func.max(HouseRulesVersion.number))) or 0) + 1
    row = HouseRulesVersion(number=number, body=body, author_id=actor.id, note=note)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise ConflictError(
            "Another admin saved the rules a moment ago. Reload the page to see their version."
        ) from exc
    log_action(
        "house_rules_edit",
        actor=actor,
        target_type="house_rules",
        target_id=number,
        reason=note,
        details={"version": number, "sections": len(document.sections)},
    )
    db.session.commit()
    # Removal notices and nudges on cached pages name the section they point to.
    bump_all()
    return _from_row(row)
