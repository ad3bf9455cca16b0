"""Helpers for the API tests: tokens and the headers that carry them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from forum.auth.service import create_token
from forum.extensions import db
from forum.models import User
from forum.models.base import utcnow
from tests.factories import make_user


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def suspend(user: User) -> User:
    user.suspended_until = utcnow() + timedelta(days=3)
    db.session.commit()
    return user


def revoke_all(user: User) -> None:
    for token in user.tokens:
        token.revoked_at = utcnow()
    db.session.commit()


@pytest.fixture
def auth_for(app: object) -> Callable[[User], dict[str, str]]:
    """Authorization headers carrying a fresh token for ``user``."""

    def headers(user: User) -> dict[str, str]:
        return bearer(create_token(user, "tests"))

    return headers


@pytest.fixture
def member(app: object) -> User:
    return make_user()


@pytest.fixture
def member_auth(member: User, auth_for: Callable[[User], dict[str, str]]) -> dict[str, str]:
    return auth_for(member)
