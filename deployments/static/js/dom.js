/* The page's elements, looked up once, and the vocabulary the modules share. */

export const CATEGORIES = ["grammar", "spelling", "clarity", "concision", "tone"];
export const ENGINE_LABELS = { auto: "Auto", gemini: "Gemini", t5: "T5", basic: "Basic rules" };

const $ = (id) => document.getElementById(id);
export const el = {
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
  docTitle: $("doc-title"),
  docSave: $("doc-save"),
  docNew: $("doc-new"),
  docState: $("doc-state"),
  docBrowser: $("doc-browser"),
  docCount: $("doc-count"),
  docList: $("doc-list"),
  docEmpty: $("doc-empty"),
  docMore: $("doc-more"),
};

/** Grow a textarea to its content, so it never scrolls on its own. */
export function autosize(ta) {
  ta.style.height = "auto";
  const border = ta.offsetHeight - ta.clientHeight;
  ta.style.height = ta.scrollHeight + border + "px";
}
