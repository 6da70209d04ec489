// On the server-rendered pages: install the phone app's service worker (so the app is
// ready offline from the first visit), remember the page's language for the app, and
// route "Sign out" through the app when records on this phone are still waiting to send.

import * as store from "./store.js";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/", updateViaCache: "none" }).catch(() => {});
}

(async () => {
  try {
    if (!(await store.getSetting("lang_pending"))) await store.setSetting("lang", document.documentElement.lang);
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
      await store.clearCaseloads();
      await store.deleteSetting("user");
      await store.deleteSetting("signed_out");
    } catch {
      /* nothing stored on this phone */
    }
    signOutForm.submit();
  });
}
