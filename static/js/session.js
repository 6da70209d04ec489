// Who is signed in, as GET /api/v1/session says: the user (a different user clears the last
// one's caseload), the clock offset, the limits the record form checks, and the language of
// the profile (a choice made offline on this phone is sent to the server first).

import * as api from "./api.js";
import { sealPlainRows } from "./outbox.js";
import * as store from "./store.js";
import { loadLocal, state } from "./state.js";
import * as lock from "./lock.js";
import { wipeReadable } from "./wipe.js";

let lastCheck = 0;

/** Milliseconds since the session was last asked about. */
export function sinceLastCheck() {
  return Date.now() - lastCheck;
}

/** Ask the server who is signed in and keep what it says; resolves with the answer's kind. */
export async function refresh() {
  lastCheck = Date.now();
  const result = await api.getSession();
  if (result.kind === "ok") {
    const user = result.json.user;
    const known = await store.getSetting("user");
    if (known && known.id !== user.id) {
      // Someone else has signed in on this phone: nothing of the last user's is shown or sent.
      await wipeReadable("other_user");
    }
    await store.deleteSetting("wiped"); // signed in: the signed-out screen's notice is over
    // The caseload key: opened with this sign-in's key, or made anew (lock.js).
    await lock.onSession(user.id, result.json.caseload_key || null);
    // Which sign-in this is: a sign-out made later without signal ends this one only (wipe.js).
    await store.setSetting("sign_in", result.json.sign_in || null);
    if (Number.isFinite(result.json.lock_after_seconds)) {
      await store.setSetting("lock_after_seconds", result.json.lock_after_seconds);
      lock.setLockAfter(result.json.lock_after_seconds);
    }
    const offset = api.clockOffset(result);
    if (offset !== null) await store.setSetting("clock_offset", offset);
    // What the record form checks before saving: the server's contract, kept for offline use.
    if (result.json.limits) await store.setSetting("limits", result.json.limits);
    // The team's late-entry age and correction window: the phone asks and offers by them offline.
    if (user.team) {
      await store.setSetting("team_rules", {
        late_entry_days: user.team.late_entry_days, correction_window_days: user.team.correction_window_days,
      });
    }
    // Who a joint contact can name ("with a colleague"), kept for recording offline.
    if (Array.isArray(result.json.colleagues)) await store.setSetting("colleagues", result.json.colleagues);
    // The key each record is sealed to before it is stored, and this sign-in's seal token (seal.js).
    if (result.json.sealing) await store.setSetting("sealing", result.json.sealing);
    await store.setSetting("user", { id: user.id, name: user.name, language: user.language, team_id: user.team ? user.team.id : null });
    if (result.json.sealing) await sealPlainRows(user.id).catch(() => {}); // tried again at the next check
    await store.deleteSetting("signed_out");
    await loadLocal();
    await reconcileLanguage(user.language);
  } else if (result.kind === "unauthenticated") {
    await store.setSetting("signed_out", true);
  }
  return result.kind;
}

async function reconcileLanguage(profileLanguage) {
  const pending = await store.getSetting("lang_pending");
  if (pending) {
    // Chosen on this phone while offline: tell the server now.
    if (pending !== profileLanguage) {
      try {
        if (!(await api.saveLanguage(pending))) return; // try again at the next session check
      } catch {
        return;
      }
    }
    await store.deleteSetting("lang_pending");
    return;
  }
  if ((profileLanguage === "en" || profileLanguage === "cy") && profileLanguage !== state.language) {
    await store.setSetting("lang", profileLanguage);
    if (!state.formActive) location.reload(); // the service worker serves the shell in that language
  }
}
