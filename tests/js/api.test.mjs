// Every answer of the API is classified; anything that is not the API's JSON is transient.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as api from "../../static/js/api.js";

function answer(status, body, headers = {}) {
  globalThis.fetch = async () => new Response(body === null ? null : typeof body === "string" ? body : JSON.stringify(body),
    { status, headers });
}
const JSON_TYPE = { "Content-Type": "application/json" };

test("a 200 JSON answer is ok, a 304 not modified", async () => {
  answer(200, { people: [] }, JSON_TYPE);
  assert.equal((await api.getCaseload()).kind, "ok");
  answer(304, null);
  assert.equal((await api.getCaseload('"v1"')).kind, "not_modified");
});

test("a captive portal's 200 page is transient, not a receipt", async () => {
  answer(200, "<html><body>Sign in to the café Wi-Fi</body></html>", { "Content-Type": "text/html" });
  assert.deepEqual(await api.getCaseload(), { kind: "transient", reason: "not_json", status: 200 });
});

test("401 asks to sign in, a CSRF 403 for a new token, a refused request is whole_request", async () => {
  answer(401, { error: { code: "unauthenticated", message: "Sign in" } }, JSON_TYPE);
  assert.equal((await api.postSync([])).kind, "unauthenticated");
  answer(403, { error: { code: "csrf_failed", message: "Reload" } }, JSON_TYPE);
  assert.equal((await api.postSync([])).kind, "csrf");
  answer(413, { error: { code: "too_large", message: "Too much" } }, JSON_TYPE);
  assert.equal((await api.postSync([])).kind, "whole_request");
});

test("5xx and 429 are transient and carry Retry-After in seconds", async () => {
  answer(503, { error: { code: "unavailable", message: "Later" } }, { ...JSON_TYPE, "Retry-After": "30" });
  const result = await api.postSync([]);
  assert.equal(result.kind, "transient");
  assert.equal(result.retryAfter, 30);
  answer(429, "slow down", { "Retry-After": "7" });
  assert.equal((await api.postSync([])).retryAfter, 7);
});

test("no network at all is transient, and says the server was not reached", async () => {
  const reached = [];
  api.connectivity.addEventListener("reached", (event) => reached.push(event.detail.reached));
  globalThis.fetch = async () => {
    throw new TypeError("Failed to fetch");
  };
  assert.deepEqual(await api.getCaseload(), { kind: "transient", reason: "network" });
  assert.deepEqual(reached, [false]);
});
