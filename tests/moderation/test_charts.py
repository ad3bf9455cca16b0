"""The pure SVG charts: well-formed, named for assistive technology, escaped, and sensible
with no data. No app, no database."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from markupsafe import Markup

from forum.moderation import charts

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)> & \x07bell'
DAYS = [date(2026, 3, 1) + timedelta(days=i) for i in range(30)]
RULE_SERIES = (("Upheld", "fill-upheld"), ("Overturned", "fill-overturned"))


def _parse(svg: Markup) -> ET.Element:
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    return root


def _named(root: ET.Element) -> tuple[str, str]:
    """The chart's title and description, found the way assistive technology finds them."""
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    return by_id[title_id].text, by_id[desc_id].text


def _rects(root: ET.Element, css_class: str) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == css_class]


def _texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def _no_inline_style_or_script(svg: Markup) -> None:
    assert "style=" not in svg and "<script" not in svg and "on" + "load" not in svg


def test_day_bars_draw_one_stacked_bar_per_day_with_value_labels() -> None:
    flags = tuple(i % 4 for i in range(30))
    removed = tuple(1 if i == 29 else 0 for i in range(30))
    svg = charts.day_bars(
        "c1",
        "Flags per day",
        "Flags, 1 to 30 Mar",
        DAYS,
        [charts.Series("Flags", "fill-a", flags), charts.Series("Removed", "fill-b", removed)],
    )
    root = _parse(svg)
    assert _named(root) == ("Flags per day", "Flags, 1 to 30 Mar")
    assert len(_rects(root, "fill-a")) == sum(1 for f in flags if f)
    assert len(_rects(root, "fill-b")) == 1
    # The last day's removal sits on top of its 1 flag, and each bar says what it is.
    last_flag = _rects(root, "fill-a")[-1]
    (removal,) = _rects(root, "fill-b")
    assert float(removal.get("y")) + float(removal.get("height")) == pytest.approx(
        float(last_flag.get("y")), abs=0.2
    )
    assert removal.find(f"{SVG}title").text == "30 Mar: 1 removed"
    texts = _texts(root)
    assert "30 Mar" in texts and "1 Mar" not in texts  # labels count back from today
    assert {"0", "1", "2", "3"} <= set(texts) and "4" not in texts  # ticks to the tallest bar
    assert "Flags" in texts and "Removed" in texts  # the legend
    _no_inline_style_or_script(svg)


def test_hbars_scale_segments_and_carry_notes() -> None:
    bars = [
        charts.Bar("insult.name", (6, 2), "75% (6 of 8 upheld)"),
        charts.Bar("motive.agenda", (1, 1), "1 of 2 upheld (too few to judge)"),
    ]
    svg = charts.hbars("c2", "Rules", "Rules by comments queued", bars, RULE_SERIES)
    root = _parse(svg)
    assert _named(root) == ("Rules", "Rules by comments queued")
    upheld = [float(r.get("width")) for r in _rects(root, "fill-upheld")]
    overturned = [float(r.get("width")) for r in _rects(root, "fill-overturned")]
    assert upheld[0] == pytest.approx(6 * upheld[1], abs=0.5)  # one decimal in the markup
    assert overturned[0] == pytest.approx(2 * overturned[1], abs=0.5)
    texts = _texts(root)
    assert "75% (6 of 8 upheld)" in texts
    assert any(t.startswith("insult.name") for t in texts)
    _no_inline_style_or_script(svg)


def test_labels_are_escaped_and_the_document_stays_well_formed() -> None:
    day = charts.day_bars(
        "x", HOSTILE, HOSTILE, DAYS[:3], [charts.Series(HOSTILE, HOSTILE, (1, 0, 2))]
    )
    rules = charts.hbars(
        '"><b', HOSTILE, HOSTILE, [charts.Bar(HOSTILE, (3, 1), HOSTILE)], RULE_SERIES
    )
    for svg in (day, rules):
        assert "<script>" not in svg and "<img" not in svg and "<b" not in svg
        root = _parse(svg)
        title, desc = _named(root)
        # The text survives as text (minus the control character XML can't hold).
        assert title == desc == HOSTILE.replace("\x07", "")
    assert any(HOSTILE.replace("\x07", "") in t for t in _texts(_parse(rules)))


def test_long_labels_are_shortened_in_the_chart_but_kept_whole_in_its_tooltip() -> None:
    long = "a-rule-with-a-very-long-name-indeed-" + "x" * 20
    root = _parse(charts.hbars("c", "t", "d", [charts.Bar(long, (1, 0))], RULE_SERIES))
    label = next(t for t in root.iter(f"{SVG}text") if t.find(f"{SVG}title") is not None)
    assert label.find(f"{SVG}title").text == long
    assert "".join(label.itertext()).endswith("…")


@pytest.mark.parametrize("days", [DAYS, DAYS[:1], []])
def test_no_data_draws_an_axis_and_says_so(days) -> None:
    svg = charts.day_bars(
        "z",
        "Flags",
        "None",
        days,
        [charts.Series("Flags", "f", (0,) * len(days))],
        empty="No flags",
    )
    root = _parse(svg)
    assert "No flags" in _texts(root)
    assert _rects(root, "f") == []
    empty_rules = _parse(charts.hbars("r", "Rules", "None", [], RULE_SERIES, empty="No rules"))
    assert "No rules" in _texts(empty_rules)


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [(0, [0, 1]), (1, [0, 1]), (3, [0, 1, 2, 3]), (7, [0, 2, 4, 6, 8]), (38, [0, 10, 20, 30, 40])],
)
def test_ticks_are_round_numbers_reaching_the_largest_value(largest, ticks) -> None:
    assert charts.nice_ticks(largest) == ticks


def test_the_chart_module_is_pure() -> None:
    tree = ast.parse(Path(charts.__file__).read_text())
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {
        "__future__",
        "math",
        "re",
        "collections",
        "dataclasses",
        "datetime",
        "markupsafe",
    }
