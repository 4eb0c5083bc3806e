/* Which engines are live (/readyz), shown next to the engine picker. */

import { apiKey } from "./api.js";
import { ENGINE_LABELS, el } from "./dom.js";
import { setStatus } from "./status.js";

export async function refreshEngines() {
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
