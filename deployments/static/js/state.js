/* What the page knows: the text, its suggestions, the checks in flight, the open document.
 * Offsets here are UTF-16 units (JavaScript string indices). */

import { el } from "./dom.js";

export const state = {
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
  document: null,          // the open saved document: {id, title, version, savedText, savedTitle}
};
