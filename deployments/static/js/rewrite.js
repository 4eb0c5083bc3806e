/* Rewriting the selection (or the whole text) in a style, then using or discarding it. */

import { api, describeError } from "./api.js";
import { RECHECK_AFTER_APPLY_MS, replaceRange, scheduleCheck } from "./check.js";
import { ENGINE_LABELS, autosize, el } from "./dom.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";

export async function rewrite() {
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

export function useRewrite() {
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

export function discardRewrite() {
  state.rewrite = null;
  el.rewriteResult.hidden = true;
  el.rewriteOutput.value = "";
}
