"""Public profiles: a person's threads and comments, never their email."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from forum.account.rules import DELETED_NAME
from forum.auth.service import find_user
from forum.errors import NotFoundError
from forum.extensions import db
from forum.models import Thread
from forum.threads.service import latest_threads, user_comments

bp = Blueprint("users", __name__)


@bp.get("/users/<name>")
def profile(name: str) -> str:
    if name == DELETED_NAME:
        raise NotFoundError("That account was deleted. What it wrote is shown without a name.")
    user = find_user(name)
    if user is None:
        abort(404)
    threads = db.session.scalars(latest_threads().where(Thread.author_id == user.id).limit(50))
    comments = user_comments(user, viewer=current_user)
    return render_template(
        "users/profile.html", user=user, threads=list(threads), comments=comments
    )
