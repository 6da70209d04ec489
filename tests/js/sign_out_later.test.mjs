// A sign-out made without signal: the phone ends that sign-in once the server is reached,
// and never a sign-in made on the phone since.
import "fake-indexeddb/auto";

import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

globalThis.BroadcastChannel = undefined; // no other tabs here (and nothing to keep Node running)
const store = await import("../../static/js/store.js");
const wipe = await import("../../static/js/wipe.js");

/** A server whose session answer names `signIn`; `sent` lists the paths the phone asked for. */
function serverWithSignIn(signIn) {
  const sent = [];
  globalThis.fetch = async (path) => {
    sent.push(path);
    if (path === "/api/v1/session") {
      const answer = { user: { id: 7 }, csrf_token: "token", sign_in: signIn };
      return new Response(JSON.stringify(answer), { status: 200, headers: { "Content-Type": "application/json" } });
    }
    if (path === "/logout") return new Response("", { status: 200 });
    return new Response("", { status: 404 });
  };
  return sent;
}

beforeEach(async () => {
  await store.deleteSetting("pending_sign_out");
  await store.setSetting("sign_in", "0123456789abcdef");
  await wipe.signOutLater();
});

test("the sign-in the officer signed out of without signal is ended when the server is reached", async () => {
  const sent = serverWithSignIn("0123456789abcdef");

  assert.equal(await wipe.completePendingSignOut(), true);

  assert.deepEqual(sent, ["/api/v1/session", "/logout"]);
  assert.equal(await store.getSetting("pending_sign_out"), null);
});

test("a sign-in made since the sign-out without signal is left alone, and nothing is pending after", async () => {
  const sent = serverWithSignIn("fedcba9876543210");

  assert.equal(await wipe.completePendingSignOut(), true);

  assert.deepEqual(sent, ["/api/v1/session"]);
  assert.equal(await store.getSetting("pending_sign_out"), null);
});

test("a sign-out another tab or the service worker finished a moment before counts as done", async () => {
  // Both asked for the session while it was alive; the other's /logout ended it first, so this
  // one's is refused (its CSRF token belonged to the ended session) and the session is gone.
  const sent = [];
  let sessions = 0;
  globalThis.fetch = async (path) => {
    sent.push(path);
    if (path === "/api/v1/session" && sessions++ === 0) {
      const answer = { user: { id: 7 }, csrf_token: "token", sign_in: "0123456789abcdef" };
      return new Response(JSON.stringify(answer), { status: 200, headers: { "Content-Type": "application/json" } });
    }
    if (path === "/api/v1/session") return new Response("{}", { status: 401, headers: { "Content-Type": "application/json" } });
    return new Response("The CSRF token is invalid.", { status: 400 });
  };

  assert.equal(await wipe.completePendingSignOut(), true);

  assert.deepEqual(sent, ["/api/v1/session", "/logout", "/api/v1/session"]);
  assert.equal(await store.getSetting("pending_sign_out"), null);
});

test("a refused sign-out of a session that is still alive stays pending", async () => {
  const sent = serverWithSignIn("0123456789abcdef");
  const answer = globalThis.fetch;
  globalThis.fetch = async (path, options) => (path === "/logout" ? (sent.push(path), new Response("", { status: 400 })) : answer(path, options));

  assert.equal(await wipe.completePendingSignOut(), false);

  assert.equal((await store.getSetting("pending_sign_out")).sign_in, "0123456789abcdef");
});

test("without signal the sign-out stays pending", async () => {
  globalThis.fetch = async () => {
    throw new TypeError("Failed to fetch");
  };

  assert.equal(await wipe.completePendingSignOut(), false);

  assert.equal((await store.getSetting("pending_sign_out")).sign_in, "0123456789abcdef");
});
