"""A chromium context that notices script running, or trying to, on the pages it opens.

Every sign is recorded as a line in ``Watcher.signs`` saying where it happened:

- ``alert``/``confirm``/``prompt``/``print`` are replaced before any page script runs (an
  init script in every frame) by a marker that reports back to Python (through the
  console if the binding was tampered with); ``dialog`` events are a second net in case a
  payload reaches the real function;
- a ``securitypolicyviolation`` (something inline that CSP had to block) and any console
  message about Content Security Policy;
- any request to a host other than the app under test (aborted: the sandbox is offline);
- any navigation away from the page opened, and any frame at all;
- the rendered DOM: ``<script>``, ``on*`` attributes, ``javascript:``/``vbscript:``/``data:``
  URLs, ``style``, embeds and the other things the corpus README lists, and inside the user
  content containers anything outside forum.text's allow-list.

Before the DOM is read, every element in the content areas gets the events handlers wait for
(mouseover, focus, toggle, drag and so on; never click, which would follow a link), and image
load and error events have fired by then: the page's load event waits for them.

``CspSwitch`` wraps the app under test so that, while it is on, pages come without their
Content-Security-Policy header: a clean run then proves that the HTML itself is inert, not
only that CSP blocked it. (A WSGI wrapper rather than a Playwright route that fetches and
rewrites each response: the pages hold megabytes of payloads, which such a route would copy
through the Playwright driver twice more.)
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from playwright.sync_api import Browser, ConsoleMessage, Dialog, Frame, Locator, Page, Route
from playwright.sync_api import Error as PlaywrightError

from forum.text import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

MARKER = "XSS-MARKER"

INIT_SCRIPT = """
(() => {
  // Report through the binding; should a payload have broken it, through the console.
  const binding = window.__xssReport;
  const log = console.log.bind(console);
  const report = (kind, detail) => {
    try { binding(kind, String(detail)); } catch (e) { log("%s " + kind + " " + detail); }
  };
  const results = {confirm: false, prompt: null};
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const marker = function (...args) {
      const text = (a) => { try { return String(a); } catch (e) { return "?"; } };
      report(name, args.map(text).join(", "));
      return results[name];
    };
    try {
      Object.defineProperty(window, name, {value: marker, writable: false, configurable: false});
    } catch (e) { window[name] = marker; }
  }
  document.addEventListener("securitypolicyviolation", (e) => {
    const what = [e.violatedDirective, e.blockedURI, e.sample].filter(Boolean).join(" ");
    report("csp-violation", what);
  }, true);
})();
""".replace("%s", MARKER)

# Events a payload's handlers wait for; dispatched on every element of the content areas.
# "click" is left out on purpose: on a link it would navigate away.
POKE_JS = """
async (selector) => {
  const names = ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "pointerover",
    "pointerenter", "pointerdown", "focus", "focusin", "blur", "keydown", "keyup", "input",
    "change", "dragstart", "dragenter", "drop", "wheel", "copy", "paste", "toggle",
    "animationstart", "transitionend", "dblclick", "contextmenu", "error", "load"];
  const events = names.map((n) => n.startsWith("mouse") || n === "dblclick" || n === "contextmenu"
    ? new MouseEvent(n, {bubbles: true}) : new Event(n, {bubbles: true}));
  let poked = 0;
  const seen = new Set();
  for (const root of document.querySelectorAll(selector)) {
    for (const el of [root, ...root.querySelectorAll("*")]) {
      if (seen.has(el)) continue;
      seen.add(el);
      for (const event of events) el.dispatchEvent(event);
      poked++;
    }
  }
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 20)));
  return poked;
}
"""

# Runs in the page: everything in the DOM a browser could run or load on a reader's behalf.
DOM_CHECK_JS = """
({allowed, content, skip, textOnly, sameOriginForms}) => {
  const problems = [];
  const show = (el) => el.outerHTML.slice(0, 160);
  const forbidden = new Set(["script", "style", "iframe", "frame", "frameset", "object",
    "embed", "applet", "base", "svg", "math", "img", "image", "video", "audio", "source",
    "track", "picture", "portal", "template", "noscript", "xmp", "plaintext", "listing",
    "marquee", "bgsound", "isindex", "layer", "ilayer", "xml", "fencedframe"]);
  const urlAttrs = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
    "poster", "background", "srcset", "ping", "cite", "codebase", "dynsrc", "lowsrc",
    "srcdoc", "manifest", "icon", "longdesc", "usemap", "profile"]);
  const safeSchemes = new Set(allowed.protocols);
  const badUrl = (value) => {
    const url = value.replace(/[\\x00-\\x20\\x7f-\\xa0\\s]+/g, "").toLowerCase();
    const match = url.match(/^([a-z][a-z0-9+.-]*):/);
    return match !== null && !safeSchemes.has(match[1]);
  };
  // The site's own script: an empty element in <head> loading a file from /static/.
  const ownScript = (el) => {
    if (el.parentElement !== document.head || !el.src || el.textContent.trim()) return false;
    const src = new URL(el.src);
    return src.origin === location.origin && src.pathname.startsWith("/static/");
  };
  // The site's own generated avatar (forum/users/rules.py), outside any user's text: an
  // <svg class="avatar"> with exactly its four attributes and one path of unit squares.
  const ownAvatar = (el) => {
    const names = [...el.attributes].map((a) => a.name.toLowerCase()).sort().join(" ");
    if (names !== "aria-hidden class focusable viewbox") return false;
    if (el.getAttribute("class") !== "avatar" || el.closest(".body, .snippet")) return false;
    if (el.children.length !== 1 || el.children[0].localName !== "path") return false;
    const path = el.children[0];
    const attrs = [...path.attributes].map((a) => a.name).sort().join(" ");
    return attrs === "d fill" && /^#[0-9a-f]{6}$/.test(path.getAttribute("fill"))
      && /^(M[0-4] [0-4]h1v1h-1z)+$/.test(path.getAttribute("d"));
  };
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    const own = (tag === "script" && ownScript(el)) || (tag === "svg" && ownAvatar(el));
    if (forbidden.has(tag) && !own)
      problems.push("forbidden element: " + show(el));
    if (tag === "meta" && el.hasAttribute("http-equiv")) problems.push("meta: " + show(el));
    if (tag === "link") {
      const rel = (el.getAttribute("rel") || "").toLowerCase();
      const href = new URL(el.getAttribute("href") || "", location.href);
      const known = ["stylesheet", "alternate", "canonical", "icon", "webmention"].includes(rel);
      if (!known || href.origin !== location.origin) problems.push("foreign link: " + show(el));
    }
    if (tag === "form") {
      const action = new URL(el.getAttribute("action") || "", location.href);
      if (!sameOriginForms || action.origin !== location.origin) problems.push("form: " + show(el));
    }
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) problems.push("event handler " + name + ": " + show(el));
      if (name === "style") problems.push("style attribute: " + show(el));
      if ((urlAttrs.has(name) || name.endsWith(":href")) && badUrl(attr.value))
        problems.push("script URL in " + name + ": " + show(el));
    }
  }
  for (const root of document.querySelectorAll(content)) {
    for (const el of root.querySelectorAll("*")) {
      if (skip && el.matches(skip)) continue;
      const tag = el.localName;
      if (!allowed.tags.includes(tag)) {
        problems.push("outside the allow-list: " + show(el));
        continue;
      }
      for (const attr of el.attributes) {
        const ok = (allowed.attributes[tag] || []).includes(attr.name);
        if (!ok) problems.push("attribute outside the allow-list " + attr.name + ": " + show(el));
      }
    }
  }
  for (const [selector, children] of Object.entries(textOnly)) {
    for (const root of document.querySelectorAll(selector)) {
      for (const el of root.querySelectorAll("*")) {
        const avatar = el.localName === "svg" ? el : el.parentElement;
        if (!children.includes(el.localName) && !(avatar.localName === "svg" && ownAvatar(avatar)))
          problems.push("markup in escaped text " + selector + ": " + show(el));
      }
    }
  }
  return problems;
}
"""

ALLOW_LIST = {
    "tags": sorted(ALLOWED_TAGS),
    "attributes": {tag: sorted(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    "protocols": sorted(ALLOWED_PROTOCOLS),
}
# Where the site puts sanitised user HTML (forum.text.render_markdown output), and the
# template's own markup inside those containers.
CONTENT = ".body, .flag-context, .replying-to"
CONTENT_SKIP = ".replying-to > .meta, .replying-to > .meta *"
# Where it puts escaped user text, and the only markup the templates put inside it.
TEXT_ONLY: dict[str, list[str]] = {
    ".mod-text": ["mark"],
    ".nudge-text": ["mark"],
    ".snippet": ["mark"],
    ".mod-note": [],
    ".mod-excerpt q": [],
    ".mod-parent": ["p"],
    ".tag-description": [],
    ".tag-index p": [],
    ".thread-item h2": ["a"],
    ".thread-item h2 a": [],
    "h1": ["a", "span"],
    "h1 a, h1 span": [],
    ".comment-title": ["a", "span"],
    ".comment-title a, .comment-title span": [],
    ".mod-rules td": ["a", "span"],
    ".field-error": [],
    "textarea": [],
    "title": [],
}

# What gets the events: user HTML, and any element inside escaped user text (there should
# be none but the template's own; one that got in through broken escaping is poked too).
POKED = ", ".join([CONTENT, *(f"{selector} *" for selector in TEXT_ONLY)])


class CspSwitch:
    """WSGI middleware that drops the Content-Security-Policy header while ``on``."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app
        self.on = False

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not self.on:
            return self.app(environ, start_response)

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            kept = [(k, v) for k, v in headers if k.lower() != "content-security-policy"]
            return start_response(status, kept, exc_info)

        return self.app(environ, start)


class Watcher:
    """One browser context (one person) whose pages are watched for running script."""

    def __init__(self, browser: Browser, base_url: str, csp: CspSwitch) -> None:
        self.base = base_url.rstrip("/")
        self.csp = csp
        self.signs: list[str] = []
        # The signs that are script having run (a marker call or a dialog), for the figures.
        self.ran: list[str] = []
        self.timings: list[tuple[str, float, float]] = []
        self.where = "start"
        self._expected: str | None = None
        self.context = browser.new_context(base_url=self.base)
        self.context.expose_binding("__xssReport", self._report)
        self.context.add_init_script(INIT_SCRIPT)
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("framenavigated", self._navigated)
        self.page.on("popup", lambda popup: self._sign(f"popup {popup.url}"))

    # --- what the browser tells us ----------------------------------------------------------

    def _sign(self, what: str) -> None:
        self.signs.append(f"{self.where}: {what}")

    def _report(self, source: Mapping[str, Any], kind: str, detail: str) -> None:
        self._sign(f"{kind}({detail}) in {source['frame'].url}")
        if kind != "csp-violation":
            self.ran.append(self.signs[-1])

    def _dialog(self, dialog: Dialog) -> None:
        self._sign(f"dialog {dialog.type}({dialog.message})")
        self.ran.append(self.signs[-1])
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if message.text.startswith(MARKER):
            self._sign(f"console: {message.text[:200]}")
            self.ran.append(self.signs[-1])
        elif "Content Security Policy" in message.text:
            self._sign(f"console: {message.text[:200]}")

    def _navigated(self, frame: Frame) -> None:
        if frame != self.page.main_frame:
            self._sign(f"a frame opened {frame.url}")
        elif self._expected is not None and _same_url(frame.url) != self._expected:
            self._sign(f"navigated away to {frame.url}")

    def _route(self, route: Route) -> None:
        url = route.request.url
        if url != self.base and not url.startswith(self.base + "/"):
            self._sign(f"request to {url}")
            route.abort()
        else:
            route.continue_()

    @property
    def strip_csp(self) -> bool:
        return self.csp.on

    # --- opening things ---------------------------------------------------------------------

    def visit(
        self, path: str, *, status: int = 200, label: str | None = None, dom: bool = True
    ) -> Page:
        """Open a page of the app, poke its content, and check its DOM (not for a feed:
        chromium shows XML in a viewer of its own, with a style element)."""
        self.where = f"{label or path} ({'no CSP' if self.strip_csp else 'CSP'})"
        self._expected = _same_url(self.base + path)
        started = time.perf_counter()
        response = self.page.goto(path)
        loaded = time.perf_counter()
        assert response is not None, path
        assert response.status == status, (path, response.status)
        has_csp = "content-security-policy" in response.headers
        assert has_csp is not self.strip_csp, (path, response.headers)
        self.settle(dom=dom)
        self.timings.append((self.where, loaded - started, time.perf_counter() - loaded))
        return self.page

    def submit(self, button: Locator, *, label: str) -> Page:
        """Press a form's button, then check the page it leads to (wherever that is)."""
        self._expected = None
        self.where = f"{label} ({'no CSP' if self.strip_csp else 'CSP'})"
        with self.page.expect_navigation():
            button.click()
        self._expected = _same_url(self.page.url)
        self.settle()
        return self.page

    def load_html(
        self, html: str, *, label: str, content: str | None = None, poke: str | None = "body"
    ) -> Page:
        """Put a document (a mail, feed entries) into a blank page: no CSP, no site around it.

        ``content`` names the containers of sanitised HTML to hold to the allow-list; without
        it only the signs of running script are recorded (a mail is compared with its
        template's own markup in Python instead, since the template carries a style).
        ``poke=None`` skips the events, for documents already known to hold no user markup.
        """
        self.where = label
        self._expected = None
        try:
            self.page.set_content(html)
        except PlaywrightError as exc:
            # The document before this one may have started a navigation (a meta refresh,
            # which the route aborts onto chromium's error page) that landed meanwhile.
            if "Execution context was destroyed" not in str(exc):
                raise
            self.page.wait_for_load_state()
            self.page.set_content(html)
        self._expected = _same_url(self.page.url)
        if content is None:
            self.settle(poke=poke, dom=False)
        else:
            self.settle(poke=poke, content=content, text_only={}, forms=False)
        return self.page

    def settle(
        self,
        *,
        poke: str | None = POKED,
        dom: bool = True,
        content: str = CONTENT,
        text_only: Mapping[str, list[str]] = TEXT_ONLY,
        forms: bool = True,
    ) -> None:
        """Fire the events handlers wait for, then record what the DOM holds."""
        check = {
            "allowed": ALLOW_LIST,
            "content": content,
            "skip": CONTENT_SKIP,
            "textOnly": dict(text_only),
            "sameOriginForms": forms,
        }
        try:
            if poke:
                self.page.evaluate(POKE_JS, poke)
            problems = self.page.evaluate(DOM_CHECK_JS, check) if dom else []
        except PlaywrightError as exc:  # something in the page navigated it away
            self._sign(f"the page went away while being checked: {exc.message[:120]}")
            return
        for problem in problems:
            self._sign(problem)

    def texts(self, selector: str) -> list[str]:
        return self.page.eval_on_selector_all(selector, "els => els.map(e => e.textContent)")

    def values(self, selector: str) -> list[str]:
        return self.page.eval_on_selector_all(selector, "els => els.map(e => e.value)")

    def attributes(self, selector: str, name: str) -> list[str | None]:
        return self.page.eval_on_selector_all(
            selector, "(els, name) => els.map(e => e.getAttribute(name))", name
        )

    def close(self) -> None:
        self.context.close()


def _same_url(url: str) -> str:
    """A URL without its fragment, percent-encoding read back, to compare navigations."""
    return unquote(url.split("#")[0])


def missing(expected: Iterable[str], shown: Iterable[str]) -> list[str]:
    """Expected values that the page did not show exactly (escaped once, never twice)."""
    shown_set = set(shown)
    return [value for value in expected if value not in shown_set]
