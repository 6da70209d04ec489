// Keep what the reader had typed when they switch language.
//
// The language switch is a plain link: without JavaScript it still works, the page
// simply comes back empty (and, signed in, only this device changes language). With this module, following the switch first saves the
// page's changed form fields in sessionStorage under the page's address; when the same
// page loads again (now in the other language) they are put back and the saved copy is
// deleted at once. Passwords, hidden fields (the CSRF token among them) and files are
// never saved, and a saved copy left behind (the reader went elsewhere) expires quickly.
//
// Screens drawn by script (the phone app's #/record) appear after this module runs, so
// the copy waits, for a few seconds, for a form with those fields to appear.

const PREFIX = "cyswllt:language-switch:";
const LIFETIME_MS = 2 * 60 * 1000;
const WAIT_FOR_FORM_MS = 10 * 1000;
const NEVER_KEPT = new Set(["password", "hidden", "file", "submit", "button", "reset", "image"]);

function pageKey(location) {
  return PREFIX + location.pathname + location.search + location.hash;
}

function kept(field) {
  if (!field.name || field.disabled || field.name === "csrf_token") return false;
  if (field instanceof HTMLInputElement) return !NEVER_KEPT.has(field.type);
  return field instanceof HTMLTextAreaElement || field instanceof HTMLSelectElement;
}

function changed(field) {
  if (field instanceof HTMLSelectElement) {
    return [...field.options].some((option) => option.selected !== option.defaultSelected);
  }
  if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
  return field.value !== field.defaultValue;
}

function snapshot(doc) {
  const fields = [];
  [...doc.forms].forEach((form, formIndex) => {
    for (const field of form.elements) {
      if (!kept(field) || !changed(field)) continue;
      const entry = { form: formIndex, name: field.name, type: field.type };
      if (field instanceof HTMLSelectElement) {
        entry.selected = [...field.selectedOptions].map((option) => option.value);
      } else if (field.type === "checkbox" || field.type === "radio") {
        entry.value = field.value;
        entry.checked = field.checked;
      } else {
        entry.value = field.value;
      }
      fields.push(entry);
    }
  });
  return fields;
}

/** Put the saved values back; true if any field was found for them. */
function restore(doc, fields) {
  let found = false;
  for (const entry of fields) {
    const form = doc.forms[entry.form];
    if (!form) continue;
    for (const field of form.elements) {
      if (field.name !== entry.name || !kept(field)) continue;
      if (field instanceof HTMLSelectElement) {
        for (const option of field.options) option.selected = entry.selected.includes(option.value);
      } else if (field.type === "checkbox" || field.type === "radio") {
        if (field.value !== entry.value) continue;
        field.checked = entry.checked;
      } else {
        field.value = entry.value;
      }
      found = true;
      const folded = field.closest("details:not([open])");
      if (folded) folded.open = true; // show what came back
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }
  return found;
}

function restoreWhenReady(doc, fields) {
  if (restore(doc, fields)) return;
  const observer = new MutationObserver(() => {
    if (restore(doc, fields)) observer.disconnect();
  });
  observer.observe(doc.body || doc.documentElement, { childList: true, subtree: true });
  setTimeout(() => observer.disconnect(), WAIT_FOR_FORM_MS);
}

function forgetOld(storage, now) {
  for (let index = storage.length - 1; index >= 0; index -= 1) {
    const key = storage.key(index);
    if (!key || !key.startsWith(PREFIX)) continue;
    try {
      if (now - JSON.parse(storage.getItem(key)).saved > LIFETIME_MS) storage.removeItem(key);
    } catch {
      storage.removeItem(key);
    }
  }
}

function start() {
  let storage;
  try {
    storage = window.sessionStorage;
  } catch {
    return; // storage switched off: the switch still works, the fields come back empty
  }
  const key = pageKey(window.location);
  const saved = storage.getItem(key);
  storage.removeItem(key);
  forgetOld(storage, Date.now());
  if (saved) {
    try {
      const { fields, saved: when } = JSON.parse(saved);
      if (Date.now() - when <= LIFETIME_MS) restoreWhenReady(document, fields);
    } catch {
      // a damaged copy is simply dropped
    }
  }
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest("a.language-switch");
    if (!link) return;
    const fields = snapshot(document);
    // The address now: a script-drawn screen may have changed its #hash since loading.
    if (fields.length) storage.setItem(pageKey(window.location), JSON.stringify({ saved: Date.now(), fields }));
    // Signed in: the same choice goes on the profile, by a same-site POST (app/i18n.py).
    const profile = document.querySelector("form[data-language-profile]");
    if (profile && !event.defaultPrevented && event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey) {
      event.preventDefault();
      profile.submit();
    }
  });
}

start();
