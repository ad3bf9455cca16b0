/* The forum's one script. Every action is a plain form that works without it; this file only
   saves round trips: reply and flag forms open in place, a live Markdown preview and the
   moderation nudge appear as you type, follow buttons answer without a reload, relative times
   stay current on cached pages, a long thread's next comments append in place, and the review
   queue has keyboard shortcuts.
   No framework, no outside requests: everything it talks to is this forum. */
"use strict";

(() => {
  const JSON_ACCEPT = { Accept: "application/json" };
  const TYPING_PAUSE_MS = 600;
  const RATE_LIMIT_PAUSE_MS = 30000;

  /* A plain submit we let through after a script path failed (see plainSubmit). */
  const PLAIN = "plainSubmit";

  function make(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  /* ------------------------------------------------------------------ relative times */

  const UNITS = [[31536000, "year"], [2592000, "month"], [86400, "day"], [3600, "hour"], [60, "minute"]];
  const RELATIVE = /^(just now|\d+ (year|month|day|hour|minute)s? ago)$/;

  /* The same words as forum/templating.py's relative_time, so a cached page reads as fresh. */
  function relative(seconds) {
    for (const [size, unit] of UNITS) {
      if (seconds >= size) {
        const n = Math.floor(seconds / size);
        return `${n} ${unit}${n === 1 ? "" : "s"} ago`;
      }
    }
    return "just now";
  }

  function refreshTimes() {
    const now = Date.now();
    for (const time of document.querySelectorAll("time[datetime]")) {
      const at = Date.parse(time.dateTime);
      if (!Number.isNaN(at) && RELATIVE.test(time.textContent)) {
        time.textContent = relative(Math.floor((now - at) / 1000));
      }
    }
  }

  /* ------------------------------------------------------------------ folded sub-threads */

  /* Open every folded reply group around an anchor, so "in reply to #3" and #c12 links land. */
  function reveal(id) {
    let target = null;
    try {
      target = id && document.getElementById(decodeURIComponent(id));
    } catch (error) {
      return; // a malformed address fragment
    }
    for (let group = target && target.closest("details"); group; group = group.parentElement.closest("details")) {
      group.open = true;
    }
  }

  /* ------------------------------------------------------------------ talking to the server */

  class Fallback extends Error {}

  /* POST a form as fetch, asking for JSON; Fallback when the answer is not JSON (a session
     that ended answers with the sign-in page, an old server with a redirect). */
  async function postForm(form, submitter) {
    const body = new FormData(form);
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    return postData(form.getAttribute("action"), body); // form.action may be a field named "action"
  }

  async function postData(url, body, signal) {
    const response = await fetch(url, { method: "POST", body, headers: JSON_ACCEPT, credentials: "same-origin", signal });
    if (!(response.headers.get("Content-Type") || "").includes("application/json")) throw new Fallback();
    return { ok: response.ok, status: response.status, data: await response.json() };
  }

  /* Let the browser submit the form as it would without this script. */
  function plainSubmit(form, submitter) {
    for (const button of form.querySelectorAll("button")) button.disabled = false;
    form.dataset[PLAIN] = "1";
    form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
  }

  /* Field errors in the shape forum/errors.py sends: {error: {message, fields: {name: text}}}. */
  function showErrors(form, error) {
    for (const old of form.querySelectorAll(".js-error")) old.remove();
    for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
    const summary = make("p", { class: "form-error js-error", role: "alert" }, error.message || "Something went wrong; try again.");
    form.prepend(summary);
    for (const [name, message] of Object.entries(error.fields || {})) {
      let field = form.elements.namedItem(name);
      if (!field) continue;
      if (!(field instanceof Element)) field = field[0].closest("fieldset") || field[0];
      const note = make("p", { class: "field-error js-error", id: `${form.id || "form"}-${name}-error` }, message);
      field.after(note);
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", note.id);
    }
  }

  /* ------------------------------------------------------------------ follow without a reload */

  async function follow(form, submitter) {
    const bar = form.closest(".follow-bar");
    const status = bar && bar.querySelector(".js-status");
    for (const button of form.querySelectorAll("button")) button.disabled = true;
    try {
      const { ok, data } = await postForm(form, submitter);
      if (!ok) {
        if (status) status.textContent = (data.error || {}).message || "That didn't work; reload the page and try again.";
        for (const button of form.querySelectorAll("button")) button.disabled = false;
        return;
      }
      const holder = make("div");
      holder.innerHTML = data.html; // our own template: buttons and a CSRF token, no user text
      const fresh = holder.querySelector("form");
      form.replaceWith(fresh);
      if (status) status.textContent = data.message;
      fresh.querySelector("button").focus();
    } catch (error) {
      plainSubmit(form, submitter);
    }
  }

  /* ------------------------------------------------------------------ reply and flag in place */

  /* Give ids in a fetched form a prefix, and the labels and descriptions that point at them. */
  function prefixIds(root, prefix) {
    for (const node of root.querySelectorAll("[id]")) node.id = prefix + node.id;
    for (const label of root.querySelectorAll("label[for]")) label.htmlFor = prefix + label.htmlFor;
    for (const node of root.querySelectorAll("[aria-describedby]")) {
      node.setAttribute("aria-describedby", node.getAttribute("aria-describedby").split(/\s+/).map((id) => prefix + id).join(" "));
    }
  }

  async function openInPlace(link) {
    const comment = link.closest("article.comment");
    const kind = link.dataset.inplace;
    const open = comment.querySelector(":scope > .inplace");
    if (open && open.dataset.kind === kind) {
      const text = open.querySelector("textarea");
      // Reply and Quote share the box: keep what was typed, or load the other one.
      if (open.dataset.href === link.href || (text && text.dataset.typed)) {
        (text || open.querySelector("input, textarea, button")).focus();
        return;
      }
    }
    let page;
    try {
      const response = await fetch(link.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      page = new DOMParser().parseFromString(await response.text(), "text/html");
      if (!response.ok) {
        const problem = page.querySelector(".error-message");
        if (!problem) throw new Fallback();
        showInPlace(comment, kind, link, [make("p", { class: "form-error", role: "alert" }, problem.textContent)]);
        return;
      }
    } catch (error) {
      window.location.assign(link.href);
      return;
    }
    const form = page.querySelector(kind === "flag" ? "form.flag-form" : "form.reply-form");
    if (!form) {
      window.location.assign(link.href);
      return;
    }
    const number = comment.id;
    form.id = `${number}-${kind}`;
    prefixIds(form, `${number}-${kind}-`);
    form.setAttribute("aria-label", `${kind === "flag" ? "Flag" : "Reply to"} #${number.slice(1)}`);
    const cancel = make("button", { type: "button", class: "link-button" }, "Cancel");
    (form.querySelector(".buttons") || form).append(cancel);
    const parts = [form];
    const advice = page.querySelector(".flag-advice");
    if (kind === "flag" && advice) parts.unshift(advice);
    const box = showInPlace(comment, kind, link, parts);
    cancel.addEventListener("click", () => {
      box.remove();
      link.focus();
    });
    const text = form.querySelector("textarea[data-preview]");
    if (text) {
      enhanceBody(text);
      text.addEventListener("input", () => { text.dataset.typed = "1"; }, { once: true });
      text.focus();
      text.setSelectionRange(text.value.length, text.value.length);
    } else {
      const first = form.querySelector("input:not([type=hidden])");
      if (first) first.focus();
      const excerpt = form.querySelector('input[name="excerpt"]');
      const selected = window.getSelection().toString().trim();
      if (excerpt && selected && comment.contains(window.getSelection().anchorNode)) excerpt.value = selected.slice(0, 500);
    }
  }

  function showInPlace(comment, kind, link, parts) {
    const old = comment.querySelector(":scope > .inplace");
    const box = make("div", { class: `inplace inplace-${kind}` });
    box.dataset.kind = kind;
    box.dataset.href = link.href;
    box.append(...parts);
    if (old) old.replaceWith(box);
    else comment.append(box);
    return box;
  }

  async function sendFlag(form, submitter) {
    const box = form.closest(".inplace");
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const { ok, data } = await postForm(form, submitter);
      if (!ok) {
        showErrors(form, data.error || {});
        button.disabled = false;
        return;
      }
      const thanks = make("p", { class: "flash-note", role: "status", tabindex: "-1" }, data.message);
      box.replaceChildren(thanks);
      const link = box.closest("article").querySelector('.comment-actions a[data-inplace="flag"]');
      if (link) link.replaceWith(make("span", { class: "done" }, "Flagged"));
      thanks.focus();
    } catch (error) {
      plainSubmit(form, submitter);
    }
  }

  /* ------------------------------------------------------------------ preview and nudge */

  function enhanceBody(text) {
    if (text.dataset.enhanced) return;
    text.dataset.enhanced = "1";
    const form = text.form;
    const error = document.getElementById(`${text.id}-error`);
    const nudge = make("div", { class: "live-nudge", id: `${text.id}-nudge`, role: "status" });
    const preview = make("section", { class: "preview", "aria-labelledby": `${text.id}-preview-h`, hidden: "" });
    const previewHeading = make("p", { class: "preview-heading", id: `${text.id}-preview-h` }, "Preview");
    const previewBody = make("div", { class: "body" });
    preview.append(previewHeading, previewBody);
    (error && error.previousElementSibling === text ? error : text).after(nudge, preview);
    if (text.dataset.assess) {
      const described = text.getAttribute("aria-describedby");
      text.setAttribute("aria-describedby", described ? `${described} ${nudge.id}` : nudge.id);
    }

    let timer = 0;
    let last = "";
    let pausedUntil = 0;
    let inflight = null;

    async function update() {
      const value = text.value;
      if (!value.trim()) {
        last = "";
        preview.hidden = true;
        nudge.replaceChildren();
        return;
      }
      if (value === last || Date.now() < pausedUntil) return;
      last = value;
      if (inflight) inflight.abort();
      inflight = new AbortController();
      const signal = inflight.signal;
      const data = () => {
        const body = new FormData();
        if (form.elements.csrf_token) body.append("csrf_token", form.elements.csrf_token.value);
        body.append("body", value);
        if (text.dataset.thread) body.append("thread_id", text.dataset.thread);
        // A reply is judged against the comment it answers, as it will be when posted.
        if (form.elements.parent_id) body.append("parent_id", form.elements.parent_id.value);
        return body;
      };
      const asks = [postData(text.dataset.preview, data(), signal)];
      if (text.dataset.assess) asks.push(postData(text.dataset.assess, data(), signal));
      let answers;
      try {
        answers = await Promise.all(asks);
      } catch (error) {
        return; // superseded by newer text, offline, or signed out: the form still posts
      }
      if (answers.some((a) => a.status === 429)) {
        pausedUntil = Date.now() + RATE_LIMIT_PAUSE_MS;
        last = "";
        showPreviewNote("The preview is paused for a moment (too many requests); your text is safe.");
        return;
      }
      const [shown, assessed] = answers;
      if (shown.ok) {
        previewBody.innerHTML = shown.data.html; // sanitised by forum/text.py, as the post will be
        preview.hidden = false;
      } else if (shown.data.error) {
        showPreviewNote(shown.data.error.message);
      }
      if (assessed && assessed.ok) showNudge(assessed.data);
    }

    function showPreviewNote(message) {
      previewBody.replaceChildren(make("p", { class: "hint" }, message));
      preview.hidden = false;
    }

    function showNudge(result) {
      if (!result.nudge) {
        nudge.replaceChildren();
        return;
      }
      const parts = [make("p", {}, "Here we argue with ideas, not with the people who hold them." + (result.matches.length ? " The marked words are why:" : ""))];
      const why = new Map();
      for (const match of result.matches) {
        if (!why.has(match.explanation)) why.set(match.explanation, { words: [], rules: match.rules_url });
        why.get(match.explanation).words.push(match.text);
      }
      if (why.size) {
        const list = make("ul");
        for (const [explanation, { words, rules }] of why) {
          const item = make("li");
          words.forEach((word, n) => item.append(n ? ", " : "", make("mark", {}, word)));
          item.append(`: ${explanation} (`, make("a", { href: rules }, "house rules"), ")");
          list.append(item);
        }
        parts.push(list);
      }
      const after = result.holds
        ? "You can rephrase it, or post it as it is: it will then wait for a moderator before anyone else sees it."
        : "You can rephrase it, or post it as it is: it will be published and a moderator will review it.";
      parts.push(make("p", {}, after));
      if (!form.querySelector('button[name="confirm"]:not(.live-nudge *)')) {
        parts.push(make("button", { type: "submit", name: "confirm", value: "1", class: "secondary" }, "Post anyway"));
      }
      nudge.replaceChildren(make("p", { class: "nudge-heading" }, "Before you post: this reads as aimed at a person"), ...parts);
      if (!form.elements.nudged) form.append(make("input", { type: "hidden", name: "nudged", value: "1" }));
    }

    text.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(update, TYPING_PAUSE_MS);
    });
    if (text.value.trim()) update();
  }

  /* ------------------------------------------------------------------ review queue keys */

  const QUEUE_POSITION = "forum.queuePosition";
  /* Where a letter is text, not a shortcut. */
  const TYPING = "textarea, select, [contenteditable], input:not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button])";

  /* Which item to focus after the page reloads with a decision made (sessionStorage may be off). */
  function remember(position) {
    try {
      if (position === undefined) {
        const saved = sessionStorage.getItem(QUEUE_POSITION);
        sessionStorage.removeItem(QUEUE_POSITION);
        return saved === null ? -1 : Number(saved);
      }
      sessionStorage.setItem(QUEUE_POSITION, String(position));
    } catch (error) {
      // private mode: start from the top instead
    }
    return -1;
  }

  function queueKeys(hint) {
    hint.hidden = false;
    const items = () => Array.from(document.querySelectorAll("article.mod-item"));
    let current = -1;

    function select(index) {
      const list = items();
      if (!list.length) return;
      current = Math.max(0, Math.min(index, list.length - 1));
      list.forEach((item, n) => item.classList.toggle("is-current", n === current));
      list[current].tabIndex = -1;
      list[current].focus();
    }

    function decide(decision) {
      const item = items()[current];
      const form = item && item.querySelector("form.mod-actions");
      if (!form) return;
      const button = form.querySelector(`button[name="decision"][value="${decision}"]`);
      const reason = form.elements.reason;
      if (decision === "remove" && reason && !reason.value.trim()) {
        // A removal needs the reason the author will read: ask for it rather than fail.
        form.dataset.removing = "1";
        let note = form.querySelector(".remove-note");
        if (!note) {
          note = make("p", { class: "hint remove-note", id: `${reason.id}-keys` }, "Type the reason the author will see, then press Enter to remove; Escape to go back.");
          reason.after(note);
          reason.setAttribute("aria-describedby", `${reason.getAttribute("aria-describedby") || ""} ${note.id}`.trim());
        }
        reason.focus();
        return;
      }
      remember(current);
      form.requestSubmit(button);
    }

    document.addEventListener("focusin", (event) => {
      const item = event.target.closest && event.target.closest("article.mod-item");
      if (item) {
        current = items().indexOf(item);
        items().forEach((other) => other.classList.toggle("is-current", other === item));
      }
    });

    document.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      const removing = target.name === "reason" && target.form && target.form.dataset.removing;
      if (removing && event.key === "Enter") {
        event.preventDefault();
        if (target.value.trim()) {
          remember(current);
          target.form.requestSubmit(target.form.querySelector('button[name="decision"][value="remove"]'));
        }
        return;
      }
      if (removing && event.key === "Escape") {
        delete target.form.dataset.removing;
        select(current);
        return;
      }
      if (target.closest(TYPING)) return;
      const key = event.key;
      if (key === "j" || key === "k") {
        event.preventDefault();
        select(current < 0 ? 0 : current + (key === "j" ? 1 : -1));
      } else if (key === "a" || key === "r") {
        event.preventDefault();
        if (current < 0) select(0);
        else decide(key === "a" ? "approve" : "remove");
      }
    });

    const saved = remember();
    if (saved >= 0) select(saved);
  }

  /* A long thread's next comments, appended where the "Show more" link was (the link alone
     opens the next page). */
  async function showMoreComments(link) {
    const url = new URL(link.href);
    url.searchParams.set("part", "comments");
    link.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const next = document.createElement("template");
      next.innerHTML = await response.text();
      const first = next.content.querySelector("article.comment");
      link.closest(".more-comments").replaceWith(next.content);
      refreshTimes();
      if (first) first.querySelector("a.number")?.focus();
    } catch (error) {
      window.location.href = link.href;
    }
  }

  /* Quick exit: leave for the neutral site in place of this page in the history, so the
     back button doesn't lead here. Escape pressed twice in a row does the same. */
  function quickExit() {
    const exit = document.querySelector("a[data-quick-exit]");
    if (exit) window.location.replace(exit.href);
  }
  let lastEscape = 0;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (Date.now() - lastEscape < 600) quickExit();
    lastEscape = Date.now();
  });

  /* ------------------------------------------------------------------ wiring */

  document.addEventListener("click", (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest("a");
    if (!link) return;
    if (link.dataset.quickExit !== undefined) {
      event.preventDefault();
      quickExit();
    } else if (link.dataset.inplace) {
      event.preventDefault();
      openInPlace(link);
    } else if (link.dataset.moreComments !== undefined) {
      event.preventDefault();
      showMoreComments(link);
    } else if (link.hash && link.pathname === window.location.pathname) {
      reveal(link.hash.slice(1));
    }
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset[PLAIN]) return;
    if (form.matches("form.follow-thread")) {
      event.preventDefault();
      follow(form, event.submitter);
    } else if (form.matches(".inplace form.flag-form")) {
      event.preventDefault();
      sendFlag(form, event.submitter);
    }
  });

  window.addEventListener("hashchange", () => reveal(window.location.hash.slice(1)));

  refreshTimes();
  setInterval(refreshTimes, 60000);
  reveal(window.location.hash.slice(1));
  for (const text of document.querySelectorAll("textarea[data-preview]")) enhanceBody(text);
  for (const bar of document.querySelectorAll(".follow-bar")) bar.append(make("span", { class: "js-status", role: "status" }));
  // The queue's bulk box waits until enough items are selected to need it.
  const bulk = document.querySelector("form[data-until-selected]");
  if (bulk) {
    const boxes = () => document.querySelectorAll(`input[form="${bulk.id}"]:checked`).length;
    const update = () => { bulk.hidden = boxes() < Number(bulk.dataset.untilSelected); };
    document.addEventListener("change", (event) => {
      if (event.target.matches(`input[form="${bulk.id}"]`)) update();
    });
    update();
  }
  const hint = document.getElementById("queue-keys");
  if (hint) queueKeys(hint);
})();
