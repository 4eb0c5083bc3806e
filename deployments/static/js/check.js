/* Checking the text (suggestions and analysis together), and applying or ignoring a suggestion. */

import { renderAnalysis } from "./analysis.js";
import { api, describeError } from "./api.js";
import { CATEGORIES, ENGINE_LABELS, el } from "./dom.js";
import { describeChange, findSuggestion, render, renderCards, renderMarks, renderSummary, restoreCardFocus, updateActiveFromCaret } from "./render.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";
import { carrySuggestions, codePointIndex } from "./text.js";

const DEBOUNCE_MS = 600;
export const RECHECK_AFTER_APPLY_MS = 150;

function setBusy(busy) {
  state.busy = busy;
  markPending(busy || state.timer !== null);
  el.wrap.classList.toggle("is-busy", busy);
  el.check.setAttribute("aria-busy", busy ? "true" : "false");
}

export function scheduleCheck(delay = DEBOUNCE_MS) {
  clearTimeout(state.timer);
  markPending(true);
  state.timer = setTimeout(() => check(), delay);
}

/** aria-busy on the list: true while a check is scheduled or in flight (tests wait on it too). */
function markPending(pending) {
  el.list.setAttribute("aria-busy", pending ? "true" : "false");
}

export async function check({ announce = false } = {}) {
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

/** Replace [start, end) in the editor, keeping the browser's undo history when it can. */
export function replaceRange(start, end, replacement) {
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

export function applySuggestion(id, { keepFocusInList = false } = {}) {
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

export function ignoreSuggestion(id, { keepFocusInList = false } = {}) {
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
