"""Tag index, tag pages, and the moderators' tag curation."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import httpcache, permissions
from forum.cache import listing_version
from forum.errors import PermissionDeniedError, ValidationError
from forum.models import Tag
from forum.models.base import utcnow
from forum.subscriptions import service as subscriptions
from forum.tags import service
from forum.tags.rules import normalize_tag
from forum.threads.promotion import latest_open_questions
from forum.threads.service import latest_threads, pinned_first, tag_filter, thread_page
from forum.transactions import custom_plans

bp = Blueprint("tags", __name__)


def _tag_or_404(slug: str) -> Tag:
    tag = service.get_tag(slug)
    if tag is None:
        abort(404)
    return tag


@bp.get("/tags")
def index() -> str:
    return render_template("tags/index.html", tags=service.tag_counts())


@bp.get("/tags/<slug>")
def view(slug: str) -> str | Response:
    tag = _tag_or_404(slug)
    # Old (merged) or unnormalised slugs keep working, at one address.
    if tag.canonical_id is not None or slug != tag.slug:
        return redirect(url_for("tags.view", slug=service.canonical(tag).slug), 301)
    # --- HTTP caching (forum.httpcache): anonymous readers get an ETag, Last-Modified from the
    # thread list's version, and 304s; the page itself is rendered each time.
    if httpcache.is_public_request():
        return httpcache.public_page(lambda: _tag_page(tag)[0], listing_version, store=False)
    return _tag_page(tag)[0]


def _tag_page(
    tag: Tag, *, errors: dict[str, str] | None = None, status: int = 200
) -> tuple[str, int]:
    before, after = request.args.get("before"), request.args.get("after")
    pinned, stmt = pinned_first(
        tag_filter(latest_threads(), tag),
        tag=tag,
        now=utcnow(),
        first_page=before is None and after is None,
    )
    with custom_plans():  # a tag has a handful of threads or most of them
        listing = thread_page(
            stmt, before=before, after=after, per_page=current_app.config["THREADS_PER_PAGE"]
        )
    page = render_template(
        "tags/view.html",
        tag=tag,
        listing=listing,
        pinned=pinned,
        errors=errors or {},
        followers=subscriptions.tag_follower_count(tag),
        questions=latest_open_questions(tag),
    )
    return page, status


def _curatable_tag(slug: str) -> Tag:
    # Members get 403 before any lookup, so the answer doesn't say which tags exist.
    if not permissions.can_moderate(current_user):
        abort(403)
    tag = _tag_or_404(slug)
    if tag.canonical_id is not None:
        abort(404)
    if not permissions.can_edit_tag(current_user, tag):
        abort(403)  # outside the tags an admin limited this moderator to
    return tag


@bp.route("/tags/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> str | Response | tuple[str, int]:
    tag = _curatable_tag(slug)
    if request.method == "GET":
        form = {"name": tag.name, "description": tag.description}
        return render_template("tags/edit.html", tag=tag, form=form, errors={})
    form = request.form
    try:
        service.update_tag(tag, name=form.get("name", ""), description=form.get("description", ""))
    except ValidationError as exc:
        return render_template("tags/edit.html", tag=tag, form=form, errors=exc.fields), 422
    flash("Tag saved.")
    return redirect(url_for("tags.view", slug=tag.slug))


@bp.post("/tags/<slug>/merge")
@login_required
def merge(slug: str) -> str | Response | tuple[str, int]:
    tag = _curatable_tag(slug)
    form = request.form
    target = service.get_tag(normalize_tag(form.get("target", "")))
    try:
        if target is None:
            raise ValidationError("No tag by that name.", fields={"target": "No tag by that name."})
        if not permissions.can_edit_tag(current_user, service.canonical(target)):
            raise PermissionDeniedError("You can only merge into a tag you moderate.")
        target = service.merge_tags(tag, target)
    except ValidationError as exc:
        edit_form = {"name": tag.name, "description": tag.description, "target": form.get("target")}
        # Every merge error is about the target; show the reason there, not the service's detail.
        errors = {"target": exc.message}
        page = render_template("tags/edit.html", tag=tag, form=edit_form, errors=errors)
        return page, 422
    flash(f"Merged {slug} into {target.slug}; the old address now leads here.")
    return redirect(url_for("tags.view", slug=target.slug))


@bp.post("/tags/<slug>/follow")
@login_required
def follow(slug: str) -> Response | tuple[str, int]:
    """The tag page's follow form: a level, or "unfollow"."""
    tag = service.canonical(_tag_or_404(slug))
    level = request.form.get("level", "")
    if level == "unfollow":
        subscriptions.unfollow_tag(current_user, tag)
        flash(f"You no longer follow {tag.slug}.")
        return redirect(url_for("tags.view", slug=tag.slug))
    try:
        subscription = subscriptions.follow_tag(current_user, tag, level)
    except ValidationError as exc:
        return _tag_page(tag, errors={"level": exc.message}, status=422)
    if subscription.level == "muted":
        flash(f"{tag.slug} is muted: its threads leave your home page.")
    else:
        flash(f"You follow {tag.slug}.")
    return redirect(url_for("tags.view", slug=tag.slug))
