/* The status line (a polite live region): what just happened, or what went wrong. */

import { el } from "./dom.js";

let statusTimer = null;
export function setStatus(message, kind = "info", { sticky = kind === "error" } = {}) {
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
