/* Drawing the suggestions: underlines in the backdrop, cards in the list, the popover. */

import { CATEGORIES, ENGINE_LABELS, el } from "./dom.js";
import { state } from "./state.js";

export function render() {
  renderMarks();
  renderCards();
  renderSummary();
  updateActiveFromCaret();
}

export function renderMarks() {
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

export function renderCards(focusHint) {
  const focus = focusHint || focusedCardInfo();
  const frag = document.createDocumentFragment();
  for (const s of state.suggestions) frag.append(buildCard(s));
  el.list.replaceChildren(frag);
  el.count.textContent = String(state.suggestions.length);
  el.empty.hidden = state.suggestions.length > 0;
  el.empty.textContent = state.text.trim() ? "No suggestions. Looks good!" : "Nothing to suggest yet.";
  if (focus) restoreCardFocus(focus);
}

export function restoreCardFocus(focus) {
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

export function describeChange(s) {
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

export function renderSummary() {
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

export function findSuggestion(id) {
  return state.suggestions.find((s) => s.id === id) || null;
}

export function suggestionAtCaret() {
  const { selectionStart: a, selectionEnd: b } = el.editor;
  if (a !== b) return state.suggestions.find((s) => s.start === a && s.end === b) || null;
  return state.suggestions.find((s) => s.start <= a && a <= s.end && s.end > s.start) || null;
}

export function setActive(id) {
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

export function updateActiveFromCaret() {
  const focused = document.activeElement === el.editor;
  const s = focused ? suggestionAtCaret() : null;
  setActive(s ? s.id : null);
  showPopover(s);
}

export function showPopover(s) {
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

export function showInText(start, end) {
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
