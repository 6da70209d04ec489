// The service worker: installed, its updates offered (never forced), Background Sync asked
// for; and persistent storage asked for once. Each sets the state and announces it.

import { announce, state } from "./state.js";

const SEND_TAG = "cyswllt-send";
const UPDATE_CHECK_MS = 30 * 60 * 1000;

let registration = null;
let reloadingForUpdate = false;
let reloading = false;

/** Register /sw.js. `onSendNow` runs when the worker's Background Sync asks an open page to send. */
export async function registerServiceWorker({ onSendNow }) {
  if (!("serviceWorker" in navigator)) return;
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloadingForUpdate) reloadOnce();
    else if (hadController) {
      state.update = { activated: true }; // updated from another tab: reload when it suits
      announce();
    }
  });
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "send-now") onSendNow(); // Background Sync fired
  });
  try {
    registration = await navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/", updateViaCache: "none" });
  } catch {
    return; // the app still works online without it
  }
  navigator.serviceWorker.ready.then((ready) => {
    if (!navigator.serviceWorker.controller && ready.active) ready.active.postMessage({ type: "claim" });
  });
  const offer = (worker) => {
    state.update = { worker };
    announce();
  };
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    if (!worker) return;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
    });
  });
  setInterval(() => registration.update().catch(() => {}), UPDATE_CHECK_MS);
}

export function askBackgroundSync() {
  if (registration && registration.sync) registration.sync.register(SEND_TAG).catch(() => {});
}

function reloadOnce() {
  if (!reloading) {
    reloading = true;
    location.reload();
  }
}

/** "Reload to update": the waiting version takes over, then the page reloads. */
export function applyUpdate() {
  if (state.update && state.update.worker) {
    reloadingForUpdate = true;
    state.update.worker.postMessage({ type: "activate-update" });
    setTimeout(reloadOnce, 3000); // in case the new version took over before we listened
  } else {
    reloadOnce();
  }
}

export async function askForPersistentStorage() {
  if (!navigator.storage || !navigator.storage.persist) return;
  try {
    if (await navigator.storage.persisted()) return;
    state.storageRefused = !(await navigator.storage.persist());
  } catch {
    state.storageRefused = true;
  }
  announce();
}
