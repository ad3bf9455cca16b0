"""forum.text: Markdown features survive, script never does (checked against the XSS corpus)."""

from __future__ import annotations

import unicodedata

import pytest

from forum.text import (
    LINK_REL,
    clean_line,
    excerpt,
    plain_text,
    render_markdown,
    sanitize_html,
)
from tests.xss_corpus import CORPUS, MARKDOWN_COUNT, PUBLIC_COUNT, problems_in, require_corpus

# --- The corpus and its inspector (tests/xss_corpus.py) ----------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "<script>alert(1)</script>",
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href=" VBScript:x">x</a>',
        '<p onclick="x()">x</p>',
        '<p style="x">x</p>',
        '<img src="https://e.org/p.gif">',
        "<svg><a>x</a></svg>",
        "<!-- x -->",
    ],
)
def test_the_inspector_catches_known_bad_html(bad: str) -> None:
    """Keep the corpus check honest: it must flag what it claims to flag."""
    assert problems_in(bad) != []


def test_corpus_is_complete() -> None:
    """Guard the decoding: 2,800 public payloads and 78 Markdown ones, multi-line ones intact."""
    require_corpus()
    assert len(CORPUS) == PUBLIC_COUNT + MARKDOWN_COUNT == 2878
    assert sum(1 for _, payload in CORPUS if "\n" in payload) >= 58


@pytest.mark.parametrize(("payload_id", "payload"), CORPUS, ids=[i for i, _ in CORPUS])
def test_corpus_renders_inert(payload_id: str, payload: str) -> None:
    require_corpus()
    html = render_markdown(payload)
    assert problems_in(html) == [], html
    # Stable under a second pass: nothing in our output re-parses into something new.
    assert sanitize_html(html) == html


@pytest.mark.parametrize("payload", [p for _, p in CORPUS[:: max(1, len(CORPUS) // 200)]])
def test_corpus_as_raw_html_is_inert(payload: str) -> None:
    """sanitize_html on its own (a sample): for callers that hold HTML, not Markdown."""
    require_corpus()
    assert problems_in(sanitize_html(payload)) == []


@pytest.mark.parametrize(
    "payload",
    [
        "[a](java\x00script:alert(1))",
        "[a](\x00javascript:alert(1))",
        "<scr\x00ipt>alert(1)</scr\x00ipt>",
        '<a href="java\x00script:alert(1)">x</a>',
        "<img src=x o\x00nerror=alert(1)>",
    ],
)
def test_real_nul_bytes_are_inert(payload: str) -> None:
    """The corpus only spells NUL as text; these carry the real byte."""
    assert problems_in(render_markdown(payload)) == []
    assert problems_in(sanitize_html(payload)) == []


def test_clean_line_leaves_no_invisible_characters_in_any_payload() -> None:
    require_corpus()
    for _, payload in CORPUS:
        cleaned = clean_line(payload)
        assert "\n" not in cleaned
        assert not [ch for ch in cleaned if unicodedata.category(ch) in ("Cc", "Cf")]


# --- Markdown features ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("3. three\n4. four", '<ol start="3">'),
        ("*em* and **strong**", "<p><em>em</em> and <strong>strong</strong></p>"),
        ("use `x < y`", "<code>x &lt; y</code>"),
        ("```python\nprint(1)\n```", '<pre><code class="language-python">print(1)\n</code></pre>'),
        ("    indented", "<pre><code>indented\n</code></pre>"),
        ("~~gone~~", "<s>gone</s>"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "<td>1</td>"),
        ("---", "<hr>"),
        ("line one  \nline two", "line one<br>"),
        ("# One", "<h3>One</h3>"),
        ("## Two", "<h4>Two</h4>"),
        ("### Three", "<h5>Three</h5>"),
        ("###### Six", "<h6>Six</h6>"),
    ],
)
def test_markdown_features(source: str, expected: str) -> None:
    assert expected in render_markdown(source)


def test_headings_never_outrank_the_page() -> None:
    html = render_markdown("# a\n## b\n### c\n#### d\n##### e\n###### f")
    assert "<h1" not in html and "<h2" not in html


def test_link_gets_rel_and_title() -> None:
    html = render_markdown('[site](https://example.org/a "The title")')
    assert html == (
        f'<p><a href="https://example.org/a" title="The title" rel="{LINK_REL}">site</a></p>\n'
    )


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("see https://example.org/path?q=1 now", "https://example.org/path?q=1"),
        ("see www.example.org now", "http://www.example.org"),
        ("mail someone@example.org", "mailto:someone@example.org"),
    ],
)
def test_bare_urls_are_linked(source: str, href: str) -> None:
    assert f'<a href="{href}" rel="{LINK_REL}">' in render_markdown(source)


def test_reference_links() -> None:
    html = render_markdown("Read [the report][1].\n\n[1]: https://example.org/report")
    assert f'<a href="https://example.org/report" rel="{LINK_REL}">the report</a>' in html


def test_rel_replaces_whatever_the_input_says() -> None:
    html = sanitize_html('<a href="https://x.org" rel="opener" target="_blank">x</a>')
    assert html == f'<a href="https://x.org" rel="{LINK_REL}">x</a>'


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown('<b>bold</b> <script>alert(1)</script>\n\n<div onclick="x()">d</div>')
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;div onclick=" in html
    assert problems_in(html) == []


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](data:image/png;base64,iVBORw0KGgo=)",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "[x](ftp://example.org/file)",
    ],
)
def test_dangerous_or_unknown_schemes_do_not_become_links(source: str) -> None:
    html = render_markdown(source)
    assert "href" not in html
    assert problems_in(html) == []


@pytest.mark.parametrize(
    "html",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="  JAVASCRIPT:alert(1)">x</a>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<a href="data:text/html,hi">x</a>',
    ],
)
def test_sanitize_html_removes_dangerous_hrefs(html: str) -> None:
    assert "href" not in sanitize_html(html)


def test_sanitize_html_drops_what_is_not_allowed() -> None:
    html = sanitize_html(
        '<p style="color:red" class="x">a<!-- hidden --><img src="https://t.example/p.gif">'
        '<h1>big</h1><code class="btn-danger">c</code></p>'
    )
    # bleach keeps a line break where a stripped block element stood.
    assert html == "<p>a\nbig<code>c</code></p>"


def test_images_become_links_not_embeds() -> None:
    html = render_markdown('![a chart](https://example.org/c.png "Q3")')
    assert "<img" not in html
    assert html == (
        f'<p><a href="https://example.org/c.png" title="Q3" rel="{LINK_REL}">'
        "Image: a chart</a></p>\n"
    )


def test_image_inside_a_link_keeps_only_its_alt_text() -> None:
    html = render_markdown("[![logo](https://e.org/l.png)](https://example.org)")
    assert html == f'<p><a href="https://example.org" rel="{LINK_REL}">logo</a></p>\n'


# --- Plain text -----------------------------------------------------------------------------


def test_plain_text_of_markdown() -> None:
    source = "# Title\n\nSome *text* with <b>raw</b> [a link](https://e.org).\n\n- one\n- two"
    assert plain_text(source) == "Title Some text with <b>raw</b> a link. one two"


def test_plain_text_of_html_skips_script_and_decodes_entities() -> None:
    html = "<p>a &amp; b</p><script>alert(1)</script><p>c</p>"
    assert plain_text(html, html=True) == "a & b c"


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("short text", 200, "short text"),
        ("exactly ten", 11, "exactly ten"),
        ("one two three four", 12, "one two…"),
        ("one two, three", 10, "one two…"),
        ("supercalifragilistic", 8, "superca…"),
        ("  spaced   out  ", 200, "spaced out"),
    ],
)
def test_excerpt(text: str, length: int, expected: str) -> None:
    result = excerpt(text, length)
    assert result == expected
    assert len(result) <= length


def test_excerpt_default_length() -> None:
    result = excerpt("word " * 100)
    assert len(result) <= 200
    assert result.endswith("word…")


def test_excerpt_does_not_split_combining_marks() -> None:
    assert excerpt("abcde\u0301fgh", 6) == "abcd…"


# --- One-line fields ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Hello   world \n", "Hello world"),
        ("e\u0301", "\u00e9"),  # NFC
        ("a\u200bb\u200cc\u200dd\u2060e\ufeff", "abcde"),  # zero-width
        ("user\u202egpj.exe", "usergpj.exe"),  # right-to-left override
        ("\u2066a\u2067b\u2068c\u2069\u202a\u202b\u202c\u202d", "abc"),  # isolates, embeddings
        ("\u200ex\u200fy\u061c", "xy"),  # marks
        ("tab\tand\x00nul\x1bescape\x7f", "tab andnulescape"),
        ("line\u2028break\u00a0nbsp", "line break nbsp"),
        ("\u3164", ""),  # Hangul filler: a blank name
        ("Zoë Ünlü مرحبا", "Zoë Ünlü مرحبا"),
    ],
)
def test_clean_line(text: str, expected: str) -> None:
    assert clean_line(text) == expected
