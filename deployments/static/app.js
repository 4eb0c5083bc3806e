/* Writing assistant: the browser front-end, as ES modules (no build step). This one wires
 * the page together; the parts are in js/.
 *
 * The editor is a <textarea> (native caret, undo, IME and screen-reader support) over a
 * backdrop <div> that mirrors its text and draws the suggestion underlines as <mark>
 * elements. The textarea grows with its content, so both always wrap the same way and
 * neither ever scrolls on its own.
 *
 * Offsets from the API are Python str indices (Unicode code points); JavaScript strings
 * are UTF-16. Everything in `state` is in UTF-16 units, converted once when a response
 * arrives (js/text.js codePointIndex).
 */

import { KEY_STORAGE } from "./js/api.js";
import { renderAnalysis } from "./js/analysis.js";
import { applySuggestion, check, ignoreSuggestion, scheduleCheck } from "./js/check.js";
import { refreshDocuments, updateDocumentState, wireDocuments } from "./js/documents.js";
import { autosize, el } from "./js/dom.js";
import { refreshEngines } from "./js/engines.js";
import { findSuggestion, render, setActive, showInText, showPopover, suggestionAtCaret, updateActiveFromCaret } from "./js/render.js";
import { discardRewrite, rewrite, useRewrite } from "./js/rewrite.js";
import { state } from "./js/state.js";
import { setStatus } from "./js/status.js";
import { carrySuggestions } from "./js/text.js";

const READY_POLL_MS = 60000;

function onInput() {
  const value = el.editor.value;
  state.suggestions = carrySuggestions(state.suggestions, state.text, value);
  state.text = value;
  autosize(el.editor);
  render();
  updateDocumentState();
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
  refreshDocuments(); // another key may be another writer
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
wireDocuments();
if (el.editor.value.trim()) check();
