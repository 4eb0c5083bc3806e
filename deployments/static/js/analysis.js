/* The analysis panel: counts, readability, issues by category, long sentences, passive voice. */

import { CATEGORIES, el } from "./dom.js";
import { showInText } from "./render.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";
import { codePointIndex } from "./text.js";

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

export function renderAnalysis() {
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
      el.check.click();
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
