// Talking to the server's JSON API (see the OpenAPI document at /api/v1/openapi.json).
//
// Every answer is classified, so callers never guess:
//   ok, not_modified     — a JSON answer we can use
//   unauthenticated      — 401: sign in again (the outbox is kept); with `revoked: true` when
//                          the server revoked the account or this phone (then "revoked" is
//                          announced on `connectivity` and wipe.js wipes what is readable)
//   csrf                 — 403 csrf_failed: fetch a fresh token and try again
//   whole_request        — 400/413/415: the request as a whole was refused, nothing stored
//   transient            — no network, a timeout, 5xx, 429, a redirect, or anything that is
//                          not the API's JSON (a captive portal's page with status 200)
// Requests go straight from the page (or the service worker's sender) to the API; the
// service worker never intercepts or replays them.

const TIMEOUT_MS = 30000;

let csrfToken = null;

/** "reached": {detail: {reached: true|false}} after every request: whether the server answered at all. */
export const connectivity = new EventTarget();

function reached(yes) {
  connectivity.dispatchEvent(new CustomEvent("reached", { detail: { reached: yes } }));
}

export function setCsrfToken(token) {
  csrfToken = token;
}

export function hasCsrfToken() {
  return Boolean(csrfToken);
}

function retryAfterSeconds(response) {
  const value = response.headers.get("Retry-After");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const when = Date.parse(value);
  return Number.isFinite(when) ? Math.max(0, (when - Date.now()) / 1000) : null;
}

async function call(path, { method = "GET", body = undefined, headers = {}, timeout = TIMEOUT_MS } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  const sentAt = Date.now();
  try {
    let response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...(method === "GET" || !csrfToken ? {} : { "X-CSRFToken": csrfToken }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store", // personal data never goes into the HTTP cache
        redirect: "error", // the API never redirects; a portal or proxy does
        signal: controller.signal,
      });
    } catch (error) {
      reached(false); // navigator.onLine says little: a phone can be "online" with no signal
      return { kind: "transient", reason: error && error.name === "AbortError" ? "timeout" : "network" };
    }
    reached(true);
    const status = response.status;
    if (status === 304) return { kind: "not_modified", status, headers: response.headers };
    const type = response.headers.get("Content-Type") || "";
    let json = null;
    if (type.includes("application/json")) {
      try {
        json = await response.json();
      } catch {
        json = null;
      }
    }
    const receivedAt = Date.now();
    const error = json && json.error && typeof json.error === "object" ? json.error : null;
    if (status === 200) {
      if (!json || typeof json !== "object" || Array.isArray(json)) return { kind: "transient", reason: "not_json", status };
      return { kind: "ok", status, json, headers: response.headers, sentAt, receivedAt };
    }
    if (status === 401) {
      const revoked = (error && error.code === "revoked") || (json && json.error === "revoked");
      if (revoked) connectivity.dispatchEvent(new CustomEvent("revoked", { detail: { error } }));
      return { kind: "unauthenticated", status, error, ...(revoked ? { revoked: true } : {}) };
    }
    if (status === 403 && error && error.code === "csrf_failed") return { kind: "csrf", status, error };
    if ((status === 400 || status === 413 || status === 415) && error) return { kind: "whole_request", status, error };
    return { kind: "transient", reason: "status", status, error, retryAfter: retryAfterSeconds(response) };
  } finally {
    clearTimeout(timer);
  }
}

/** How far the phone's clock is from the server's, in milliseconds (server − phone). */
export function clockOffset(result) {
  const serverTime = Date.parse(result.json && result.json.server_time);
  if (!Number.isFinite(serverTime)) return null;
  return serverTime - (result.sentAt + result.receivedAt) / 2;
}

let sessionGuard = null;

/** `guard()` resolves false while the session must not be used (a sign-out the server has not heard of: wipe.js). */
export function guardSession(guard) {
  sessionGuard = guard;
}

export async function getSession({ unguarded = false } = {}) {
  if (sessionGuard && !unguarded && !(await sessionGuard())) return { kind: "transient", reason: "sign_out_pending" };
  const result = await call("/api/v1/session");
  if (result.kind === "ok") {
    const { user, csrf_token: token } = result.json;
    if (!user || typeof user.id !== "number" || typeof token !== "string") {
      return { kind: "transient", reason: "not_json" };
    }
    csrfToken = token;
  }
  return result;
}

/** `device`: the phone's report (device.js), sent as the Cyswllt-Device header when there is one. */
export function getCaseload(etag, device = null) {
  const headers = etag ? { "If-None-Match": etag } : {};
  if (device) headers["Cyswllt-Device"] = JSON.stringify(device);
  return call("/api/v1/caseload", { headers });
}

/** The signed-in officer's arranged contacts this week (GET /api/v1/arrangements). */
export function getArrangements() {
  return call("/api/v1/arrangements");
}

/** Arrangements made on this phone, as the outbox holds them (sealed). */
export function postArrangements(arrangements) {
  return call("/api/v1/arrangements/sync", { method: "POST", body: { arrangements } });
}

/**
 * POST a JSON body (a correction, void or discard report). A refusal for good (403, 404, 409
 * with an error object) is kind "refused"; the rest as `call` says.
 */
export async function post(path, body) {
  const result = await call(path, { method: "POST", body });
  if (result.kind === "transient" && result.error && [403, 404, 409].includes(result.status)) return { ...result, kind: "refused" };
  return result;
}

/** `device`: the phone's report (device.js), sent with the contacts when there is one. */
export function postSync(contacts, device = null) {
  return call("/api/v1/contacts/sync", {
    method: "POST",
    body: { sent_at: new Date().toISOString(), contacts, ...(device ? { device } : {}) },
  });
}

/** Keep a language on the signed-in user's profile: a same-site POST, as the server asks
 *  (a GET to /language/… changes only this device). */
export async function saveLanguage(code) {
  const response = await fetch(`/language/${code}?next=/app`, {
    method: "POST",
    headers: { "X-CSRFToken": csrfToken || "" },
    credentials: "same-origin",
    redirect: "manual",
    cache: "no-store",
  });
  return response.type === "opaqueredirect" || response.ok;
}

/** Sign out of the web session (the same one the API uses). */
export async function signOut() {
  try {
    const response = await fetch("/logout", {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken || "" },
      credentials: "same-origin",
      redirect: "manual",
    });
    // Signed out: a redirect to the sign-in page (opaque here), or the sign-in page itself.
    return response.type === "opaqueredirect" || response.ok;
  } catch {
    return false;
  }
}

/** The concerns this user is to acknowledge (the phone's home screen). */
export function getConcerns() {
  return call("/api/v1/concerns");
}

export function postAcknowledgeConcern(contactId) {
  return call(`/api/v1/contacts/${encodeURIComponent(contactId)}/acknowledge-concern`, { method: "POST", body: {} });
}
