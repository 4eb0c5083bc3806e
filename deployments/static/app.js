/* Writing assistant: the browser front-end.
 *
 * Plain JS, no build step. The editor is a <textarea> (native caret, undo, IME and
 * screen-reader support) over a backdrop <div> that mirrors its text and draws the
 * suggestion underlines as <mark> elements. The textarea grows with its content, so
 * both always wrap the same way and neither ever scrolls on its own.
 *
 * Offsets from the API are Python str indices (Unicode code points); JavaScript
 * strings are UTF-16. Everything in `state` is in UTF-16 units, converted once when
 * a response arrives (see codePointIndex).
 */
"use strict";

(() => {
  const DEBOUNCE_MS = 600;
  const RECHECK_AFTER_APPLY_MS = 150;
  const READY_POLL_MS = 60000;
  const CATEGORIES = ["grammar", "spelling", "clarity", "concision", "tone"];
  const ENGINE_LABELS = { auto: "Auto", gemini: "Gemini", t5: "T5", basic: "Basic rules" };
  const KEY_STORAGE = "writing-assistant.api-key";

  const $ = (id) => document.getElementById(id);
  const el = {
    editor: $("editor"),
    backdrop: $("editor-backdrop"),
    wrap: $("editor-wrap"),
    popover: $("popover"),
    engine: $("engine"),
    engineStatus: $("engine-status"),
    engineBadge: $("engine-badge"),
    cachedBadge: $("cached-badge"),
    apiKey: $("api-key"),
    check: $("check-btn"),
    status: $("status"),
    issueSummary: $("issue-summary"),
    list: $("suggestion-list"),
    count: $("suggestion-count"),
    empty: $("suggestions-empty"),
    analysisEmpty: $("analysis-empty"),
    analysisBody: $("analysis-body"),
    counts: $("analysis-counts"),
    readability: $("analysis-readability"),
    issues: $("analysis-issues"),
    long: $("analysis-long"),
    passive: $("analysis-passive"),
    repeated: $("analysis-repeated"),
    rewriteStyle: $("rewrite-style"),
    rewriteBtn: $("rewrite-btn"),
    rewriteResult: $("rewrite-result"),
    rewriteOutput: $("rewrite-output"),
    rewriteMeta: $("rewrite-meta"),
    rewriteUse: $("rewrite-use"),
    rewriteDiscard: $("rewrite-discard"),
  };

  const state = {
    text: el.editor.value,   // the editor's text as of the last input event
    suggestions: [],         // {id, start, end, span, original, replacement, category, message, engine, rule, key}
    ignored: new Set(),      // keys of dismissed suggestions
    activeId: null,
    nextId: 1,
    seq: 0,                  // bumps on every check; stale answers are dropped
    abort: null,
    timer: null,
    analysis: null,          // {text, data}
    rewrite: null,           // {start, end, original, result}
    busy: false,
  };

  /* ---------- text helpers ---------- */

  /** A function mapping a code-point index into `text` to a UTF-16 index. */
  function codePointIndex(text) {
    const units = [0];
    let u = 0;
    for (const ch of text) {
      u += ch.length;
      units.push(u);
    }
    return (cp) => units[Math.max(0, Math.min(cp, units.length - 1))];
  }

  const WORD = /[\p{L}\p{N}_'’-]/u;
  const isWordChar = (ch) => ch !== undefined && ch !== "" && WORD.test(ch);

  /** The single changed region between two strings: [start, oldEnd) became [start, newEnd). */
  function diffRegion(oldText, newText) {
    let start = 0;
    const max = Math.min(oldText.length, newText.length);
    while (start < max && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
    let oldEnd = oldText.length;
    let newEnd = newText.length;
    while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
      oldEnd--;
      newEnd--;
    }
    return { start, oldEnd, newEnd };
  }

  /** Carry spans [start, end) from oldText over to newText; spans the edit touched are dropped (null). */
  function mapSpan(span, oldText, newText, region) {
    const { start, oldEnd, newEnd } = region;
    const delta = newEnd - oldEnd;
    if (span.end < start) return { start: span.start, end: span.end };
    if (span.start > oldEnd) return { start: span.start + delta, end: span.end + delta };
    if (span.end === start && span.start < start) {
      // An edit right after the span: typing "s" after a word changes the word, a space does not.
      if (isWordChar(oldText[start]) || isWordChar(newText[start])) return null;
      return { start: span.start, end: span.end };
    }
    if (span.start === oldEnd && span.end > span.start) {
      // An edit right before the span.
      if (isWordChar(oldText[oldEnd - 1]) || isWordChar(newText[newEnd - 1])) return null;
      return { start: span.start + delta, end: span.end + delta };
    }
    return null;
  }

  function carrySuggestions(list, oldText, newText) {
    if (oldText === newText) return list;
    const region = diffRegion(oldText, newText);
    const out = [];
    for (const s of list) {
      const m = mapSpan(s, oldText, newText, region);
      if (m && newText.slice(m.start, m.end) === s.span) out.push({ ...s, start: m.start, end: m.end });
    }
    return out;
  }

  /* ---------- API ---------- */

  class ApiError extends Error {
    constructor(status, code, message, requestId, retryAfter) {
      super(message);
      this.status = status;
      this.code = code;
      this.requestId = requestId;
      this.retryAfter = retryAfter;
    }
  }

  function apiKey() {
    return el.apiKey.value.trim();
  }

  async function api(method, path, body, signal) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const key = apiKey();
    if (key) headers["X-API-Key"] = key;
    let res;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new ApiError(0, "network_error", "Could not reach the service. Check your connection and try again.");
    }
    let data = null;
    try {
      data = await res.json();
    } catch (_) {
      data = null;
    }
    if (!res.ok) {
      const e = (data && data.error) || {};
      const retry = Number(res.headers.get("Retry-After")) || null;
      throw new ApiError(res.status, e.code || "http_" + res.status, e.message || res.statusText || "Request failed", e.request_id || null, retry);
    }
    if (data === null) throw new ApiError(res.status, "bad_response", "The service sent an answer this page cannot read.");
    return { data, status: res.status };
  }

  function describeError(err, what) {
    if (err.status === 401 || err.status === 403) {
      const base = err.status === 401
        ? "The service needs an API key, or did not accept the one given."
        : "This API key is not allowed to do that.";
      return base + " Open \u201cAPI key\u201d at the top of the page to enter one.";
    }
    let msg = `Could not ${what}: ${err.message}`;
    if (err.status === 429) msg = `Too many requests; could not ${what} right now.`;
    if (err.retryAfter && (err.status === 429 || err.status === 503)) msg += ` Try again in ${err.retryAfter} s.`;
    if (err.requestId) msg += ` (Request ${err.requestId}.)`;
    return msg;
  }

  /* ---------- status region ---------- */

  let statusTimer = null;
  function setStatus(message, kind = "info", { sticky = kind === "error" } = {}) {
    clearTimeout(statusTimer);
    el.status.textContent = message;
    el.status.dataset.kind = message ? kind : "";
    if (message && !sticky) {
      statusTimer = setTimeout(() => {
        el.status.textContent = "";
        el.status.dataset.kind = "";
      }, 6000);
    }
  }

  function setBusy(busy) {
    state.busy = busy;
    markPending(busy || state.timer !== null);
    el.wrap.classList.toggle("is-busy", busy);
    el.check.setAttribute("aria-busy", busy ? "true" : "false");
  }

  /* ---------- checking ---------- */

  function scheduleCheck(delay = DEBOUNCE_MS) {
    clearTimeout(state.timer);
    markPending(true);
    state.timer = setTimeout(() => check(), delay);
  }

  /** aria-busy on the list: true while a check is scheduled or in flight (tests wait on it too). */
  function markPending(pending) {
    el.list.setAttribute("aria-busy", pending ? "true" : "false");
  }

  async function check({ announce = false } = {}) {
    clearTimeout(state.timer);
    state.timer = null;
    const text = el.editor.value;
    if (state.abort) state.abort.abort();
    if (!text.trim()) {
      state.abort = null;
      state.seq++;
      state.suggestions = [];
      state.analysis = null;
      setBusy(false);
      render();
      renderAnalysis();
      el.engineBadge.hidden = true;
      el.cachedBadge.hidden = true;
      if (announce) setStatus("There is no text to check yet.");
      return;
    }
    const seq = ++state.seq;
    const ctl = new AbortController();
    state.abort = ctl;
    setBusy(true);
    const engine = el.engine.value;
    const [sug, ana] = await Promise.allSettled([
      api("POST", "/v1/suggestions", { text, engine }, ctl.signal),
      api("POST", "/v1/analysis", { text }, ctl.signal),
    ]);
    if (seq !== state.seq) return; // a newer check superseded this one
    state.abort = null;
    setBusy(false);

    const errors = [];
    if (sug.status === "fulfilled") {
      acceptSuggestions(text, sug.value.data);
      if (announce) {
        const n = state.suggestions.length;
        setStatus(n ? `Found ${n} suggestion${n === 1 ? "" : "s"}.` : "No suggestions. Looks good!");
      }
    } else if (sug.reason.name !== "AbortError") {
      errors.push(describeError(sug.reason, "check the text"));
    }
    if (ana.status === "fulfilled") {
      state.analysis = { text, data: ana.value.data };
      renderAnalysis();
    } else if (ana.reason.name !== "AbortError" && sug.status === "fulfilled") {
      errors.push(describeError(ana.reason, "analyse the text"));
    }
    if (errors.length) setStatus(errors.join(" "), "error");
    else if (el.status.dataset.kind === "error") setStatus("");
  }

  function acceptSuggestions(text, data) {
    const toUnits = codePointIndex(text);
    let list = [];
    for (const raw of data.suggestions || []) {
      const start = toUnits(raw.offset);
      const end = toUnits(raw.offset + raw.length);
      if (end < start) continue;
      const s = {
        id: "s" + state.nextId++,
        start,
        end,
        span: text.slice(start, end),
        original: raw.original != null ? raw.original : text.slice(start, end),
        replacement: raw.replacement,
        category: CATEGORIES.includes(raw.category) ? raw.category : "clarity",
        message: raw.message || "",
        engine: raw.engine || data.engine || "",
        rule: raw.rule || "",
      };
      s.key = [s.rule, s.category, s.span, s.replacement].join("\u0000");
      if (!state.ignored.has(s.key)) list.push(s);
    }
    // The user may have typed while the request was in flight: carry the spans over.
    list = carrySuggestions(list, text, el.editor.value);
    list.sort((a, b) => a.start - b.start || a.end - b.end);
    state.suggestions = list;
    state.text = el.editor.value;

    el.engineBadge.textContent = "Engine: " + (ENGINE_LABELS[data.engine] || data.engine || "unknown");
    el.engineBadge.hidden = false;
    el.cachedBadge.hidden = !data.cached;
    render();
  }

  /* ---------- rendering: marks, cards, popover ---------- */

  function render() {
    renderMarks();
    renderCards();
    renderSummary();
    updateActiveFromCaret();
  }

  function renderMarks() {
    const text = state.text;
    const frag = document.createDocumentFragment();
    let pos = 0;
    for (const s of state.suggestions) {
      if (s.start < pos || s.end === s.start) continue; // overlapping or empty: card only
      if (s.start > pos) frag.append(text.slice(pos, s.start));
      const mark = document.createElement("mark");
      mark.className = "mark cat-" + s.category + (s.id === state.activeId ? " is-active" : "");
      mark.dataset.suggestion = s.id;
      mark.dataset.category = s.category;
      mark.textContent = text.slice(s.start, s.end);
      frag.append(mark);
      pos = s.end;
    }
    frag.append(text.slice(pos));
    // A trailing newline needs something after it to take up its line.
    frag.append(text.endsWith("\n") || text === "" ? "\u200b" : "");
    el.backdrop.replaceChildren(frag);
  }

  function focusedCardInfo() {
    const a = document.activeElement;
    if (!a || !el.list.contains(a)) return null;
    const card = a.closest(".suggestion-card");
    if (!card) return null;
    const cards = [...el.list.querySelectorAll(".suggestion-card")];
    return { id: card.dataset.id, action: a.dataset.action, index: cards.indexOf(card), start: Number(card.dataset.start) };
  }

  function renderCards(focusHint) {
    const focus = focusHint || focusedCardInfo();
    const frag = document.createDocumentFragment();
    for (const s of state.suggestions) frag.append(buildCard(s));
    el.list.replaceChildren(frag);
    el.count.textContent = String(state.suggestions.length);
    el.empty.hidden = state.suggestions.length > 0;
    el.empty.textContent = state.text.trim() ? "No suggestions. Looks good!" : "Nothing to suggest yet.";
    if (focus) restoreCardFocus(focus);
  }

  function restoreCardFocus(focus) {
    const cards = [...el.list.querySelectorAll(".suggestion-card")];
    if (!cards.length) {
      el.editor.focus();
      return;
    }
    let card = cards.find((c) => c.dataset.id === focus.id);
    if (!card && focus.start !== undefined) card = cards.find((c) => Number(c.dataset.start) >= focus.start);
    if (!card) card = cards[Math.min(Math.max(focus.index, 0), cards.length - 1)];
    const btn = card.querySelector(`button[data-action="${focus.action}"]`) || card.querySelector("button");
    if (btn) btn.focus();
  }

  function buildCard(s) {
    const li = document.createElement("li");
    li.className = "suggestion-card cat-" + s.category + (s.id === state.activeId ? " is-active" : "");
    li.dataset.id = s.id;
    li.dataset.category = s.category;
    li.dataset.start = String(s.start);
    li.dataset.original = s.span;
    if (s.replacement != null) li.dataset.replacement = s.replacement;
    const headingId = "card-" + s.id;
    li.setAttribute("aria-labelledby", headingId);

    const head = document.createElement("div");
    head.className = "card-head";
    const cat = document.createElement("span");
    cat.className = "chip cat-" + s.category;
    cat.textContent = s.category;
    const eng = document.createElement("span");
    eng.className = "card-engine";
    eng.textContent = s.engine ? "via " + (ENGINE_LABELS[s.engine] || s.engine) : "";
    head.append(cat, eng);

    const change = document.createElement("p");
    change.className = "card-change";
    change.id = headingId;
    // Struck through when there is a fix; a hint without one just quotes its span.
    const del = document.createElement(s.replacement != null ? "del" : "q");
    del.className = "card-span";
    del.textContent = s.span || "\u2205";
    change.append(del);
    if (s.replacement != null) {
      const arrow = document.createElement("span");
      arrow.className = "arrow";
      arrow.setAttribute("aria-hidden", "true");
      arrow.textContent = " \u2192 ";
      const spoken = document.createElement("span");
      spoken.className = "visually-hidden";
      spoken.textContent = s.replacement === "" ? ": remove it" : ": change to ";
      const ins = document.createElement("ins");
      ins.textContent = s.replacement === "" ? "(remove)" : s.replacement;
      if (s.replacement === "") change.append(spoken, arrow);
      else change.append(spoken, arrow, ins);
      if (s.replacement === "") {
        ins.setAttribute("aria-hidden", "true");
        change.append(ins);
      }
    }

    const msg = document.createElement("p");
    msg.className = "card-message";
    msg.textContent = s.message;

    const actions = document.createElement("div");
    actions.className = "card-actions";
    if (s.replacement != null) {
      actions.append(button("Apply", "apply", "btn btn-primary btn-small", `Apply: ${describeChange(s)}`));
    } else {
      actions.append(button("Show", "show", "btn btn-small", `Show \u201c${s.span}\u201d in the text`));
    }
    actions.append(button("Ignore", "ignore", "btn btn-quiet btn-small", `Ignore: ${describeChange(s)}`));

    li.append(head, change, msg, actions);
    return li;
  }

  function describeChange(s) {
    if (s.replacement == null) return `${s.category} hint on \u201c${s.span}\u201d`;
    if (s.replacement === "") return `remove \u201c${s.span}\u201d`;
    return `\u201c${s.span}\u201d to \u201c${s.replacement}\u201d`;
  }

  function button(label, action, cls, ariaLabel) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.dataset.action = action;
    b.textContent = label;
    if (ariaLabel) b.setAttribute("aria-label", ariaLabel);
    return b;
  }

  function renderSummary() {
    const n = state.suggestions.length;
    if (!state.text.trim()) {
      el.issueSummary.textContent = "No text yet.";
      return;
    }
    if (!n) {
      el.issueSummary.textContent = "No suggestions.";
      return;
    }
    const by = {};
    for (const s of state.suggestions) by[s.category] = (by[s.category] || 0) + 1;
    const parts = CATEGORIES.filter((c) => by[c]).map((c) => `${by[c]} ${c}`);
    el.issueSummary.textContent = `${n} suggestion${n === 1 ? "" : "s"}: ${parts.join(", ")}.`;
  }

  function findSuggestion(id) {
    return state.suggestions.find((s) => s.id === id) || null;
  }

  function suggestionAtCaret() {
    const { selectionStart: a, selectionEnd: b } = el.editor;
    if (a !== b) return state.suggestions.find((s) => s.start === a && s.end === b) || null;
    return state.suggestions.find((s) => s.start <= a && a <= s.end && s.end > s.start) || null;
  }

  function setActive(id) {
    if (state.activeId === id) return;
    state.activeId = id;
    for (const m of el.backdrop.querySelectorAll("mark.is-active")) m.classList.remove("is-active");
    for (const c of el.list.querySelectorAll(".suggestion-card.is-active")) c.classList.remove("is-active");
    if (!id) return;
    const mark = el.backdrop.querySelector(`mark[data-suggestion="${id}"]`);
    if (mark) mark.classList.add("is-active");
    const card = el.list.querySelector(`.suggestion-card[data-id="${id}"]`);
    if (card) {
      card.classList.add("is-active");
      scrollIntoViewWithin(card, el.list);
    }
  }

  /** Scroll a card into view inside the (possibly scrolling) list, without moving the page. */
  function scrollIntoViewWithin(child, container) {
    const c = container.getBoundingClientRect();
    const r = child.getBoundingClientRect();
    if (container.scrollHeight <= container.clientHeight) return;
    if (r.top < c.top) container.scrollTop -= c.top - r.top + 8;
    else if (r.bottom > c.bottom) container.scrollTop += r.bottom - c.bottom + 8;
  }

  function updateActiveFromCaret() {
    const focused = document.activeElement === el.editor;
    const s = focused ? suggestionAtCaret() : null;
    setActive(s ? s.id : null);
    showPopover(s);
  }

  function showPopover(s) {
    if (!s) {
      el.popover.hidden = true;
      el.popover.replaceChildren();
      return;
    }
    const mark = el.backdrop.querySelector(`mark[data-suggestion="${s.id}"]`);
    if (!mark) {
      el.popover.hidden = true;
      return;
    }
    el.popover.replaceChildren();
    el.popover.dataset.id = s.id;
    el.popover.className = "popover cat-" + s.category;
    const msg = document.createElement("p");
    msg.className = "popover-message";
    const chip = document.createElement("span");
    chip.className = "chip cat-" + s.category;
    chip.textContent = s.category;
    msg.append(chip, " ", s.message);
    const actions = document.createElement("div");
    actions.className = "popover-actions";
    if (s.replacement != null) {
      const b = button(s.replacement === "" ? "Remove" : s.replacement, "apply", "btn btn-primary btn-small", `Apply: ${describeChange(s)}`);
      b.tabIndex = -1; // mouse shortcut; keyboard users have Alt+Enter and the cards
      actions.append(b);
    }
    const ig = button("Ignore", "ignore", "btn btn-quiet btn-small", `Ignore: ${describeChange(s)}`);
    ig.tabIndex = -1;
    actions.append(ig);
    el.popover.append(msg, actions);
    el.popover.hidden = false;

    const wrap = el.wrap.getBoundingClientRect();
    const rects = mark.getClientRects();
    const r = rects.length ? rects[rects.length - 1] : mark.getBoundingClientRect();
    const pw = el.popover.offsetWidth;
    const left = Math.max(4, Math.min(r.left - wrap.left, wrap.width - pw - 4));
    el.popover.style.left = left + "px";
    el.popover.style.top = r.bottom - wrap.top + 6 + "px";
  }

  /* ---------- actions ---------- */

  /** Replace [start, end) in the editor, keeping the browser's undo history when it can. */
  function replaceRange(start, end, replacement) {
    const editor = el.editor;
    editor.focus({ preventScroll: true });
    editor.setSelectionRange(start, end);
    let ok = false;
    try {
      ok = replacement === ""
        ? (start === end ? true : document.execCommand("delete", false))
        : document.execCommand("insertText", false, replacement);
    } catch (_) {
      ok = false;
    }
    if (!ok || editor.value.slice(start, start + replacement.length) !== replacement) {
      // execCommand is unavailable (or did nothing): fall back, without undo.
      const before = editor.value;
      if (before.slice(start, end) !== replacement || !ok) {
        editor.setRangeText(replacement, start, end, "end");
        editor.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
    editor.setSelectionRange(start + replacement.length, start + replacement.length);
  }

  function applySuggestion(id, { keepFocusInList = false } = {}) {
    const s = findSuggestion(id);
    if (!s || s.replacement == null) return;
    if (el.editor.value.slice(s.start, s.end) !== s.span) {
      setStatus("The text changed since this suggestion was made; checking again.");
      check();
      return;
    }
    const index = state.suggestions.indexOf(s);
    replaceRange(s.start, s.end, s.replacement);
    // The input handler has carried the other suggestions over and dropped this one.
    state.suggestions = state.suggestions.filter((x) => x.id !== id);
    render();
    if (keepFocusInList) restoreCardFocus({ id: null, action: "apply", index, start: s.start });
    setStatus(`Applied: ${describeChange(s)}.`);
    scheduleCheck(RECHECK_AFTER_APPLY_MS);
  }

  function ignoreSuggestion(id, { keepFocusInList = false } = {}) {
    const s = findSuggestion(id);
    if (!s) return;
    const index = state.suggestions.indexOf(s);
    state.ignored.add(s.key);
    state.suggestions = state.suggestions.filter((x) => x.key !== s.key);
    if (state.activeId === id) state.activeId = null;
    renderMarks();
    renderCards(keepFocusInList ? { id: null, action: "apply", index, start: s.start } : null);
    renderSummary();
    updateActiveFromCaret();
    setStatus(`Ignored: ${describeChange(s)}.`);
  }

  function showInText(start, end) {
    el.editor.focus({ preventScroll: true });
    el.editor.setSelectionRange(start, end);
    scrollEditorRangeIntoView(start);
    updateActiveFromCaret();
  }

  function scrollEditorRangeIntoView(start) {
    const s = state.suggestions.find((x) => x.start === start);
    const mark = s && el.backdrop.querySelector(`mark[data-suggestion="${s.id}"]`);
    if (mark) mark.scrollIntoView({ block: "nearest" });
    else el.editor.scrollIntoView({ block: "nearest" });
  }

  /* ---------- analysis ---------- */

  const READABILITY_LABELS = {
    flesch_reading_ease: "Flesch reading ease",
    flesch_kincaid_grade: "Flesch\u2013Kincaid grade",
    gunning_fog: "Gunning fog index",
    smog_index: "SMOG index",
    coleman_liau_index: "Coleman\u2013Liau index",
    automated_readability_index: "Automated readability index",
    dale_chall_readability_score: "Dale\u2013Chall score",
    text_standard: "Overall level",
  };
  const COUNT_LABELS = {
    words: "Words",
    characters: "Characters",
    sentences: "Sentences",
    paragraphs: "Paragraphs",
    reading_time_s: "Reading time",
    speaking_time_s: "Speaking time",
  };

  function formatDuration(seconds) {
    const s = Math.round(Number(seconds) || 0);
    if (s < 60) return `${s} s`;
    const m = Math.floor(s / 60);
    const r = s % 60;
    return r ? `${m} min ${r} s` : `${m} min`;
  }

  function formatNumber(v) {
    if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString() : v.toFixed(1);
    return String(v);
  }

  function easeLabel(score) {
    if (typeof score !== "number") return "";
    if (score >= 90) return "very easy";
    if (score >= 70) return "easy";
    if (score >= 60) return "plain English";
    if (score >= 50) return "fairly difficult";
    if (score >= 30) return "difficult";
    return "very difficult";
  }

  function humanize(key) {
    return key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
  }

  function statItem(dl, label, value, extra) {
    const div = document.createElement("div");
    div.className = "stat";
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = value;
    if (extra) {
      const small = document.createElement("span");
      small.className = "stat-extra";
      small.textContent = extra;
      dd.append(" ", small);
    }
    div.append(dt, dd);
    dl.append(div);
    return div;
  }

  function emptyItem(list, text) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = text;
    list.append(li);
  }

  function renderAnalysis() {
    const a = state.analysis;
    el.analysisBody.hidden = !a;
    el.analysisEmpty.hidden = !!a;
    if (!a) return;
    const d = a.data;
    const toUnits = codePointIndex(a.text);

    el.counts.replaceChildren();
    const counts = d.counts || {};
    for (const [k, label] of Object.entries(COUNT_LABELS)) {
      if (!(k in counts)) continue;
      const v = k.endsWith("_s") ? formatDuration(counts[k]) : formatNumber(counts[k]);
      statItem(el.counts, label, v);
    }

    el.readability.replaceChildren();
    const r = d.readability || {};
    const keys = Object.keys(READABILITY_LABELS).filter((k) => k in r)
      .concat(Object.keys(r).filter((k) => !(k in READABILITY_LABELS)));
    for (const k of keys) {
      const v = r[k];
      if (v === null || v === undefined || typeof v === "object") continue;
      statItem(el.readability, READABILITY_LABELS[k] || humanize(k), formatNumber(v),
        k === "flesch_reading_ease" ? "(" + easeLabel(v) + ")" : "");
    }

    el.issues.replaceChildren();
    const issues = d.issues || {};
    for (const c of CATEGORIES) {
      const item = statItem(el.issues, c, formatNumber(issues[c] || 0));
      item.classList.add("stat-issue", "cat-" + c);
    }

    el.long.replaceChildren();
    for (const ls of d.long_sentences || []) {
      const start = toUnits(ls.offset);
      const end = toUnits(ls.offset + ls.length);
      const excerpt = a.text.slice(start, end);
      el.long.append(rangeItem(`${ls.words} words: `, excerpt, start, end, a.text));
    }
    if (!el.long.children.length) emptyItem(el.long, "None. Every sentence is a comfortable length.");

    el.passive.replaceChildren();
    for (const p of d.passive_voice || []) {
      const start = toUnits(p.offset);
      const end = toUnits(p.offset + p.length);
      el.passive.append(rangeItem("", p.text || a.text.slice(start, end), start, end, a.text));
    }
    if (!el.passive.children.length) emptyItem(el.passive, "None found.");

    el.repeated.replaceChildren();
    for (const w of d.repeated_words || []) {
      const li = document.createElement("li");
      li.className = "chip chip-neutral";
      li.textContent = `${w.word} \u00d7${w.count}`;
      el.repeated.append(li);
    }
    if (!el.repeated.children.length) emptyItem(el.repeated, "None.");
  }

  function rangeItem(prefix, excerpt, start, end, analysedText) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.className = "link-button";
    const short = excerpt.length > 90 ? excerpt.slice(0, 87).trimEnd() + "\u2026" : excerpt;
    b.textContent = short;
    b.setAttribute("aria-label", `${prefix}${short}. Select it in the editor.`);
    b.addEventListener("click", () => {
      if (el.editor.value !== analysedText) {
        setStatus("The text changed since the analysis; checking again.");
        check();
        return;
      }
      showInText(start, end);
    });
    if (prefix) {
      const span = document.createElement("span");
      span.className = "muted";
      span.textContent = prefix;
      li.append(span);
    }
    li.append(b);
    return li;
  }

  /* ---------- rewrite ---------- */

  async function rewrite() {
    const value = el.editor.value;
    let { selectionStart: start, selectionEnd: end } = el.editor;
    if (start === end) {
      start = 0;
      end = value.length;
    }
    const original = value.slice(start, end);
    if (!original.trim()) {
      setStatus("There is no text to rewrite. Type some, or select part of it.");
      return;
    }
    const style = el.rewriteStyle.value;
    el.rewriteBtn.disabled = true;
    el.rewriteBtn.textContent = "Rewriting\u2026";
    try {
      const { data } = await api("POST", "/v1/rewrite", { text: original, style, engine: el.engine.value });
      state.rewrite = { start, end, original, result: data.text };
      el.rewriteOutput.value = data.text;
      el.rewriteMeta.textContent = `(${style}, by ${ENGINE_LABELS[data.engine] || data.engine}${data.cached ? ", cached" : ""}${start === 0 && end === value.length ? "" : ", selection only"})`;
      el.rewriteResult.hidden = false;
      autosize(el.rewriteOutput);
      setStatus("Rewrite ready. Review it below the Rewrite button.");
    } catch (err) {
      setStatus(describeError(err, "rewrite the text"), "error");
    } finally {
      el.rewriteBtn.disabled = false;
      el.rewriteBtn.textContent = "Rewrite";
    }
  }

  function useRewrite() {
    const r = state.rewrite;
    if (!r) return;
    if (el.editor.value.slice(r.start, r.end) !== r.original) {
      setStatus("The text changed since the rewrite was made. Rewrite it again.", "error");
      return;
    }
    replaceRange(r.start, r.end, r.result);
    discardRewrite();
    el.editor.focus();
    setStatus("Rewrite applied. Undo with Ctrl+Z.");
    scheduleCheck(RECHECK_AFTER_APPLY_MS);
  }

  function discardRewrite() {
    state.rewrite = null;
    el.rewriteResult.hidden = true;
    el.rewriteOutput.value = "";
  }

  /* ---------- engines (/readyz) ---------- */

  async function refreshEngines() {
    let body = null;
    try {
      const key = apiKey();
      const res = await fetch("/readyz", { headers: key ? { "X-API-Key": key } : {}, cache: "no-store" });
      body = await res.json().catch(() => null); // a 503 still carries the body
    } catch (_) {
      body = null;
    }
    const engines = body && body.engines;
    if (!engines) {
      el.engineStatus.textContent = "Engine status unknown.";
      for (const opt of el.engine.options) {
        opt.disabled = false;
        opt.textContent = optionLabel(opt.value, null);
      }
      return;
    }
    const live = [];
    const down = [];
    for (const opt of el.engine.options) {
      if (opt.value === "auto") continue;
      const info = engines[opt.value];
      const isLive = !!(info && info.live);
      opt.disabled = !isLive;
      opt.textContent = optionLabel(opt.value, isLive);
      (isLive ? live : down).push(ENGINE_LABELS[opt.value]);
    }
    if (el.engine.selectedOptions[0] && el.engine.selectedOptions[0].disabled) {
      el.engine.value = "auto";
      setStatus("The chosen engine is unavailable; switched to Auto.");
    }
    let text = live.length ? `Live: ${live.join(", ")}.` : "No engine is live.";
    if (down.length) text += ` Unavailable: ${down.join(", ")}.`;
    el.engineStatus.textContent = text;
    el.engineStatus.dataset.state = body.status === "ready" ? "ready" : "degraded";
  }

  function optionLabel(value, live) {
    const base = value === "auto" ? "Auto (best available)" : ENGINE_LABELS[value];
    return live === false ? `${base} (unavailable)` : base;
  }

  /* ---------- editor plumbing ---------- */

  function autosize(ta) {
    ta.style.height = "auto";
    const border = ta.offsetHeight - ta.clientHeight;
    ta.style.height = ta.scrollHeight + border + "px";
  }

  function onInput() {
    const value = el.editor.value;
    state.suggestions = carrySuggestions(state.suggestions, state.text, value);
    state.text = value;
    autosize(el.editor);
    render();
    if (value.trim()) scheduleCheck();
    else check();
  }

  function moveToSuggestion(dir) {
    if (!state.suggestions.length) return false;
    const caret = dir > 0 ? el.editor.selectionEnd : el.editor.selectionStart;
    let target;
    if (dir > 0) target = state.suggestions.find((s) => s.start >= caret) || state.suggestions[0];
    else target = [...state.suggestions].reverse().find((s) => s.end <= caret) || state.suggestions[state.suggestions.length - 1];
    showInText(target.start, target.end);
    return true;
  }

  function focusCardFor(s) {
    const target = s || state.suggestions[0];
    if (!target) return false;
    const card = el.list.querySelector(`.suggestion-card[data-id="${target.id}"]`);
    const btn = card && card.querySelector("button");
    if (!btn) return false;
    btn.focus();
    card.scrollIntoView({ block: "nearest" });
    return true;
  }

  el.editor.addEventListener("input", onInput);
  el.editor.addEventListener("scroll", () => {
    el.backdrop.scrollTop = el.editor.scrollTop;
  });
  for (const type of ["click", "keyup", "select", "focus"]) {
    el.editor.addEventListener(type, () => requestAnimationFrame(updateActiveFromCaret));
  }
  el.editor.addEventListener("blur", () => {
    setTimeout(() => {
      if (document.activeElement !== el.editor && !el.popover.contains(document.activeElement)) {
        showPopover(null);
        setActive(null);
      }
    }, 150);
  });

  el.editor.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      check({ announce: true });
    } else if (e.key === "Enter" && e.altKey) {
      const s = suggestionAtCaret();
      if (s && s.replacement != null) {
        e.preventDefault();
        applySuggestion(s.id);
      }
    } else if (e.altKey && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      if (moveToSuggestion(e.key === "ArrowDown" ? 1 : -1)) e.preventDefault();
    } else if (e.key === "F8") {
      e.preventDefault();
      focusCardFor(suggestionAtCaret());
    } else if (e.key === "Escape" && !el.popover.hidden) {
      e.preventDefault();
      showPopover(null);
    }
  });

  el.list.addEventListener("click", (e) => {
    const btn = e.target.closest("button[data-action]");
    const card = e.target.closest(".suggestion-card");
    if (!card) return;
    const id = card.dataset.id;
    const viaKeyboard = e.detail === 0; // Enter/Space on a button fires a click with detail 0
    if (btn) {
      if (btn.dataset.action === "apply") applySuggestion(id, { keepFocusInList: viaKeyboard });
      else if (btn.dataset.action === "ignore") ignoreSuggestion(id, { keepFocusInList: viaKeyboard });
      else if (btn.dataset.action === "show") {
        const s = findSuggestion(id);
        if (s) showInText(s.start, s.end);
      }
      return;
    }
    // A click elsewhere on a card shows its span in the text.
    const s = findSuggestion(id);
    if (s && !window.getSelection().toString()) showInText(s.start, s.end);
  });
  el.list.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    const card = e.target.closest(".suggestion-card");
    const s = card && findSuggestion(card.dataset.id);
    e.preventDefault();
    if (s) showInText(s.start, s.end);
    else el.editor.focus();
  });
  el.list.addEventListener("mouseover", (e) => {
    const card = e.target.closest(".suggestion-card");
    for (const m of el.backdrop.querySelectorAll("mark.is-hover")) m.classList.remove("is-hover");
    if (card) {
      const m = el.backdrop.querySelector(`mark[data-suggestion="${card.dataset.id}"]`);
      if (m) m.classList.add("is-hover");
    }
  });
  el.list.addEventListener("mouseleave", () => {
    for (const m of el.backdrop.querySelectorAll("mark.is-hover")) m.classList.remove("is-hover");
  });

  // The popover's buttons must not take focus from the editor on mousedown.
  el.popover.addEventListener("mousedown", (e) => e.preventDefault());
  el.popover.addEventListener("click", (e) => {
    const btn = e.target.closest("button[data-action]");
    const id = el.popover.dataset.id;
    if (!btn || !id) return;
    if (btn.dataset.action === "apply") applySuggestion(id);
    else ignoreSuggestion(id);
    el.editor.focus();
  });

  el.check.addEventListener("click", () => check({ announce: true }));
  el.engine.addEventListener("change", () => {
    if (el.editor.value.trim()) check({ announce: true });
  });
  el.rewriteBtn.addEventListener("click", rewrite);
  el.rewriteUse.addEventListener("click", useRewrite);
  el.rewriteDiscard.addEventListener("click", () => {
    discardRewrite();
    el.rewriteBtn.focus();
  });

  // API key: kept in localStorage, sent as X-API-Key when filled.
  try {
    el.apiKey.value = localStorage.getItem(KEY_STORAGE) || "";
  } catch (_) { /* storage unavailable */ }
  if (el.apiKey.value) el.apiKey.closest("details").open = false;
  el.apiKey.addEventListener("change", () => {
    try {
      const v = el.apiKey.value.trim();
      if (v) localStorage.setItem(KEY_STORAGE, v);
      else localStorage.removeItem(KEY_STORAGE);
    } catch (_) { /* storage unavailable */ }
    setStatus(el.apiKey.value.trim() ? "API key saved in this browser." : "API key removed.");
    refreshEngines();
    if (el.editor.value.trim()) check();
  });

  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      autosize(el.editor);
      updateActiveFromCaret();
    }, 100);
  });

  autosize(el.editor);
  render();
  renderAnalysis();
  refreshEngines();
  setInterval(refreshEngines, READY_POLL_MS);
  if (el.editor.value.trim()) check();
})();
