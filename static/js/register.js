// On the server-rendered pages: install the phone app's service worker (so the app is
// ready offline from the first visit), remember the page's language for the app, and
// route "Sign out" through the app when records on this phone are still waiting to send.
// Signing out here wipes what is readable on the phone as the app does (wipe.js), and a
// sign-out the app made without signal is completed before the page is used.

import * as store from "./store.js";
import { completePendingSignOut, wipeReadable } from "./wipe.js";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/", updateViaCache: "none" }).catch(() => {});
}

(async () => {
  try {
    if (!(await store.getSetting("lang_pending"))) await store.setSetting("lang", document.documentElement.lang);
    await store.setSetting("last_active_at", Date.now()); // someone is using the pages: the app's lock counts from now (lock.js)
    if (await store.getSetting("pending_sign_out")) {
      // The app signed out without signal and this page was reached before it could tell the
      // server. A signed-in page (it has a sign-out form) was the old sign-in's: leave it. The
      // sign-in page stays as it is, so an officer already typing there loses nothing.
      if ((await completePendingSignOut()) && document.querySelector("form[data-sign-out]")) location.replace("/login");
    }
  } catch {
    /* no IndexedDB (private mode in some browsers): the pages work without it */
  }
})();

const signOutForm = document.querySelector("form[data-sign-out]");
if (signOutForm) {
  signOutForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const user = await store.getSetting("user");
      if (user && (await store.outboxRows(user.id)).length) {
        location.assign("/app#/sign-out"); // offers to send them first
        return;
      }
      await wipeReadable("signed_out");
    } catch {
      /* nothing stored on this phone */
    }
    signOutForm.submit();
  });
}
