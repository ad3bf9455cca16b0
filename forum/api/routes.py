"""JSON API v1: the same services as the site, authenticated by personal access tokens."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__)
