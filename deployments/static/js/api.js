/* Calls to the service: JSON in and out, the API key, errors in one shape. */

import { el } from "./dom.js";

export const KEY_STORAGE = "writing-assistant.api-key";

class ApiError extends Error {
  constructor(status, code, message, requestId, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }
}

export function apiKey() {
  return el.apiKey.value.trim();
}

export async function api(method, path, body, signal) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const key = apiKey();
  if (key) headers["X-API-Key"] = key;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, "network_error", "Could not reach the service. Check your connection and try again.");
  }
  if (res.status === 204) return { data: null, status: 204 }; // a deletion answers with no body
  let data = null;
  try {
    data = await res.json();
  } catch (_) {
    data = null;
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    const retry = Number(res.headers.get("Retry-After")) || null;
    throw new ApiError(res.status, e.code || "http_" + res.status, e.message || res.statusText || "Request failed", e.request_id || null, retry);
  }
  if (data === null) throw new ApiError(res.status, "bad_response", "The service sent an answer this page cannot read.");
  return { data, status: res.status };
}

export function describeError(err, what) {
  if (err.status === 401 || err.status === 403) {
    const base = err.status === 401
      ? "The service needs an API key, or did not accept the one given."
      : "This API key is not allowed to do that.";
    return base + " Open \u201cAPI key\u201d at the top of the page to enter one.";
  }
  let msg = `Could not ${what}: ${err.message}`;
  if (err.status === 429) msg = `Too many requests; could not ${what} right now.`;
  if (err.retryAfter && (err.status === 429 || err.status === 503)) msg += ` Try again in ${err.retryAfter} s.`;
  if (err.requestId) msg += ` (Request ${err.requestId}.)`;
  return msg;
}
