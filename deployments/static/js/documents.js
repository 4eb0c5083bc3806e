/* The writer's saved documents: save (Ctrl+S), a list of them, open one, delete one, start a new one.
 * The service keeps them encrypted and scoped to the API key's user. */

import { api, describeError } from "./api.js";
import { el } from "./dom.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";

const PAGE = 20;
const listing = { documents: [], total: 0, nextOffset: null };

const quoted = (title) => `\u201c${title}\u201d`;
const documentPath = (id) => `/v1/documents/${encodeURIComponent(id)}`;

function currentTitle() {
  return el.docTitle.value.trim() || "Untitled";
}

/** True when the editor holds text that is not saved as it is. */
function isDirty() {
  const d = state.document;
  if (!d) return el.editor.value.trim() !== "";
  return el.editor.value !== d.savedText || currentTitle() !== d.savedTitle;
}

export function updateDocumentState() {
  const d = state.document;
  let text = "New document";
  if (d) text = isDirty() ? "Unsaved changes" : "Saved";
  else if (el.editor.value.trim()) text = "Not saved yet";
  el.docState.textContent = text;
  el.docState.dataset.state = d && !isDirty() ? "saved" : "unsaved";
}

function remember(doc, content) {
  state.document = { id: doc.id, version: doc.version, savedText: content, savedTitle: doc.title };
  el.docTitle.value = doc.title;
}

/** Put `text` in the editor as if typed, so it is checked like any other text. */
function loadText(text) {
  state.suggestions = [];
  el.editor.value = text;
  el.editor.dispatchEvent(new Event("input", { bubbles: true }));
}

async function saveDocument() {
  const title = currentTitle();
  const content = el.editor.value;
  const open = state.document;
  el.docSave.disabled = true;
  try {
    const { data } = open
      ? await api("PUT", documentPath(open.id), { title, content })
      : await api("POST", "/v1/documents", { title, content });
    remember(data, content);
    setStatus(`Saved ${quoted(data.title)}.`);
    await refreshDocuments();
  } catch (err) {
    if (err.status === 404 && open) state.document = null; // deleted elsewhere: the next save makes a new one
    setStatus(describeError(err, "save the document"), "error");
  } finally {
    el.docSave.disabled = false;
    updateDocumentState();
  }
}

export async function refreshDocuments({ more = false } = {}) {
  const offset = more ? listing.documents.length : 0;
  try {
    const { data } = await api("GET", `/v1/documents?limit=${PAGE}&offset=${offset}`);
    listing.documents = more ? listing.documents.concat(data.documents) : data.documents;
    listing.total = data.total;
    listing.nextOffset = data.next_offset;
    renderDocuments();
  } catch (err) {
    setStatus(describeError(err, "list your documents"), "error");
  }
}

function renderDocuments() {
  const frag = document.createDocumentFragment();
  for (const doc of listing.documents) frag.append(documentItem(doc));
  el.docList.replaceChildren(frag);
  el.docCount.textContent = String(listing.total);
  el.docEmpty.hidden = listing.documents.length > 0;
  el.docMore.hidden = listing.nextOffset === null;
}

function documentItem(doc) {
  const li = document.createElement("li");
  li.className = "doc-item" + (state.document && state.document.id === doc.id ? " is-open" : "");
  li.dataset.id = doc.id;
  const openBtn = document.createElement("button");
  openBtn.type = "button";
  openBtn.className = "link-button doc-open";
  openBtn.dataset.action = "open";
  openBtn.textContent = doc.title;
  openBtn.setAttribute("aria-label", `Open ${quoted(doc.title)}`);
  const meta = document.createElement("span");
  meta.className = "doc-meta muted";
  const when = new Date(doc.updated_at);
  meta.textContent = `${doc.chars.toLocaleString()} characters, changed ${when.toLocaleString()}`;
  const del = document.createElement("button");
  del.type = "button";
  del.className = "btn btn-quiet btn-small";
  del.dataset.action = "delete";
  del.textContent = "Delete";
  del.setAttribute("aria-label", `Delete ${quoted(doc.title)}`);
  li.append(openBtn, meta, del);
  return li;
}

async function openDocument(id) {
  if (isDirty() && !window.confirm("The text has unsaved changes. Open another document anyway?")) return;
  try {
    const { data } = await api("GET", documentPath(id));
    remember(data, data.content);
    loadText(data.content);
    renderDocuments();
    setStatus(`Opened ${quoted(data.title)}.`);
    el.editor.focus();
  } catch (err) {
    setStatus(describeError(err, "open the document"), "error");
    if (err.status === 404) refreshDocuments();
  }
}

async function deleteDocument(id) {
  const doc = listing.documents.find((d) => d.id === id);
  const title = doc ? doc.title : "this document";
  if (!window.confirm(`Delete ${quoted(title)}? This cannot be undone.`)) return;
  try {
    await api("DELETE", documentPath(id));
    if (state.document && state.document.id === id) state.document = null; // the text stays, unsaved
    setStatus(`Deleted ${quoted(title)}.`);
    await refreshDocuments();
  } catch (err) {
    setStatus(describeError(err, "delete the document"), "error");
  } finally {
    updateDocumentState();
  }
}

function newDocument() {
  if (isDirty() && !window.confirm("The text has unsaved changes. Start a new document anyway?")) return;
  state.document = null;
  el.docTitle.value = "";
  loadText("");
  renderDocuments();
  updateDocumentState();
  el.docTitle.focus();
}

export function wireDocuments() {
  el.docSave.addEventListener("click", saveDocument);
  el.docNew.addEventListener("click", newDocument);
  el.docMore.addEventListener("click", () => refreshDocuments({ more: true }));
  el.docTitle.addEventListener("input", updateDocumentState);
  el.docList.addEventListener("click", (e) => {
    const btn = e.target.closest("button[data-action]");
    const item = e.target.closest(".doc-item");
    if (!btn || !item) return;
    if (btn.dataset.action === "open") openDocument(item.dataset.id);
    else deleteDocument(item.dataset.id);
  });
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "s") {
      e.preventDefault();
      saveDocument();
    }
  });
  window.addEventListener("beforeunload", (e) => {
    if (state.document && isDirty()) e.preventDefault();
  });
  updateDocumentState();
  refreshDocuments();
}
