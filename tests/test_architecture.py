"""The import direction of ../shared/STYLE.md, kept by walking the import graph, so drift fails
CI instead of waiting for a reviewer:

- pure modules (every ``rules.py``, ``permissions.py``, ``text.py`` and the other rule-like
  modules below) import no Flask, no SQLAlchemy, no models and no extensions;
- services never touch the request (``request``, ``session``, ``g``, ``flash``, ``url_for``,
  ``render_template``): routes pass in what they need;
- no module imports another feature's routes (only the factory wires blueprints); a feature's
  routes are its ``routes`` module, or its ``routes`` package and the modules in it;
- services call across features in one direction only (``CALLS``); any module may use another
  feature's pure modules and the shared plumbing beside ``extensions.py``;
- that plumbing (``errors``, ``cache``, ``outbox``, ...) uses no feature but its pure modules:
  only the factory and the command line wire features together.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "forum"
FEATURES = frozenset(
    p.name
    for p in PACKAGE.iterdir()
    if (p / "routes.py").exists() or (p / "routes" / "__init__.py").exists()
)
# Rule-like modules that are pure besides the rules.py of each feature.
PURE_EXTRA = {
    "forum.permissions",
    "forum.text",
    "forum.moderation.normalize",
    "forum.moderation.defaults",
    "forum.moderation.scorer",
    "forum.moderation.patterns",
    "forum.moderation.evaluate",
    "forum.moderation.policy",
    "forum.moderation.highlight",
    "forum.moderation.charts",
    "forum.demo.content",
    "forum.mail.inbound",
    "forum.mail.spool",
    "forum.threads.outline",
    "forum.webmention.parse",
}
IMPURE = ("flask", "flask_", "sqlalchemy", "forum.models", "forum.extensions")
REQUEST_STATE = frozenset({"request", "session", "g", "flash", "url_for", "render_template"})
# Which features' services (any non-route module) a feature's services may call.
CALLS: dict[str, frozenset[str]] = {
    "threads": frozenset({"tags", "moderation", "subscriptions"}),
    "moderation": frozenset({"subscriptions"}),
    "tags": frozenset(),
    "subscriptions": frozenset(),
    # Removing a person's writing takes their words out of search's vocabulary too.
    "account": frozenset({"auth", "mail", "search", "threads"}),
    "house_rules": frozenset({"moderation"}),
    # Replies by mail are posted through the same reply service as the site's form.
    "mail": frozenset({"threads"}),
    "search": frozenset({"auth", "tags"}),
    "auth": frozenset(),
    "feeds": frozenset(),
    # A verified webmention goes to the review queue; moderators decide it there.
    "webmention": frozenset({"moderation"}),
    "users": frozenset(),
    # The API is a route layer over every feature's services.
    "api": FEATURES,
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # what it imports, dotted (a module, or a name in one)
    names: tuple[str, ...]
    line: int


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> Iterator[Import]:
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield Import(module, alias.name, (), node.lineno)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = tuple(a.name for a in node.names)
                yield Import(module, node.module, names, node.lineno)
                if node.module.startswith("forum"):
                    for name in names:  # "from forum.tags import service" names a module
                        yield Import(module, f"{node.module}.{name}", (), node.lineno)


IMPORTS = list(_imports())


def _feature(dotted: str) -> str | None:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "forum" and parts[1] in FEATURES else None


def _is_pure(dotted: str) -> bool:
    return dotted.endswith(".rules") or dotted in PURE_EXTRA


def _is_module(dotted: str) -> bool:
    relative = Path(*dotted.split("."))
    return (PACKAGE.parent / relative).with_suffix(".py").exists()


def _is_routes(dotted: str) -> bool:
    """Whether ``dotted`` is route code: an ``X.routes`` module or package, or a module (or a
    name) inside an ``X.routes`` package."""
    return "routes" in dotted.split(".")[1:]


def _is_routes_module(dotted: str) -> bool:
    """A route module or package that exists, not a name imported from one."""
    path = PACKAGE.parent / Path(*dotted.split("."))
    return _is_routes(dotted) and (_is_module(dotted) or (path / "__init__.py").exists())


def test_the_graph_is_read() -> None:
    """The walk sees the imports it judges (a broken walk would pass every test)."""
    assert {"threads", "moderation", "tags", "subscriptions", "api"} <= FEATURES
    found = {(i.module, i.target) for i in IMPORTS}
    assert ("forum.threads.service", "forum.tags.service") in found
    assert ("forum.moderation.rules", "forum.moderation.scorer") in found
    # A routes package counts as routes, module by module, and only there.
    assert ("forum", "forum.moderation.routes") in found
    assert ("forum.moderation.routes.members", "forum.threads.service") in found
    assert _is_routes_module("forum.moderation.routes")
    assert _is_routes_module("forum.moderation.routes.queue")
    assert _is_routes_module("forum.threads.routes")
    assert not _is_routes_module("forum.moderation.routes.bp")
    assert not _is_routes("forum.moderation.queue")


@pytest.mark.parametrize(
    "module",
    sorted({i.module for i in IMPORTS if _is_pure(i.module)}),
)
def test_pure_modules_import_no_framework(module: str) -> None:
    bad = [
        f"{i.target} (line {i.line})"
        for i in IMPORTS
        if i.module == module and i.target.startswith(IMPURE)
    ]
    assert bad == [], f"{module} must stay pure"


def test_services_never_touch_the_request() -> None:
    bad = [
        f"{i.module}: {sorted(set(i.names) & REQUEST_STATE)} (line {i.line})"
        for i in IMPORTS
        if i.target == "flask"
        and set(i.names) & REQUEST_STATE
        and i.module.endswith((".service", ".promotion", ".fanout", ".worker", ".handlers"))
    ]
    assert bad == []


def test_no_module_imports_another_features_routes() -> None:
    bad = [
        f"{i.module} -> {i.target} (line {i.line})"
        for i in IMPORTS
        if _is_routes_module(i.target)
        and i.module != "forum"
        and _feature(i.module) != _feature(i.target)
    ]
    assert bad == []


def test_features_call_each_other_in_one_direction() -> None:
    bad = []
    for i in IMPORTS:
        source, target = _feature(i.module), _feature(i.target)
        if source is None or target is None or source == target:
            continue
        if _is_routes(i.module) or _is_pure(i.target) or not _is_module(i.target):
            continue
        if target not in CALLS.get(source, frozenset()):
            bad.append(f"{i.module} -> {i.target} (line {i.line})")
    assert bad == [], "a service calls a feature it may not (STYLE.md, import direction)"


def test_the_allowed_calls_have_no_cycle() -> None:
    """Two features calling each other would need one of them split."""
    for source, targets in CALLS.items():
        if source == "api":
            continue
        for target in targets:
            assert source not in CALLS.get(target, frozenset()), (source, target)


def test_the_shared_plumbing_uses_no_feature() -> None:
    plumbing = {_module_name(p) for p in PACKAGE.glob("*.py")} - {"forum", "forum.cli"}
    assert {"forum.errors", "forum.cache", "forum.outbox", "forum.templating"} <= plumbing
    bad = [
        f"{i.module} -> {i.target} (line {i.line})"
        for i in IMPORTS
        if i.module in plumbing
        and _feature(i.target) is not None
        and _is_module(i.target)
        and not _is_pure(i.target)
    ]
    assert bad == []
