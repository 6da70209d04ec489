// Words and counts in the app's language: the catalogue's six Welsh plural forms and English's two.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import * as i18n from "../../static/js/i18n.js";

const WELSH = {
  language: "cy",
  dates: null,
  messages: {
    "Sending…": "Yn anfon…",
    "%(num)d waiting to send": ["%(num)d cyswllt", "%(num)d cyswllt", "%(num)d gyswllt", "%(num)d chyswllt",
      "%(num)d chyswllt", "%(num)d cyswllt"],
    "Yes": "Ie (heb gyd-destun)",
    "answer\u0004Yes": "Ie",
  },
};

function serve(catalogue) {
  globalThis.fetch = async (url) => {
    assert.equal(url, `/i18n/${catalogue.language}.json`);
    return new Response(JSON.stringify(catalogue), { headers: { "Content-Type": "application/json" } });
  };
}

beforeEach(async () => {
  serve(WELSH);
  await i18n.load("cy");
});

test("Welsh counts take the catalogue's form for 0, 1, 2, 3, 6, 7 and 11", () => {
  const said = [0, 1, 2, 3, 6, 7, 11].map((n) => i18n.ngettext("%(num)d waiting to send", "%(num)d waiting to send", n));
  assert.deepEqual(said, ["0 cyswllt", "1 cyswllt", "2 gyswllt", "3 chyswllt", "6 chyswllt", "7 cyswllt", "11 cyswllt"]);
});

test("a message is translated, with its context where it has one, and falls back to English", () => {
  assert.equal(i18n._("Sending…"), "Yn anfon…");
  assert.equal(i18n.pgettext("answer", "Yes"), "Ie");
  assert.equal(i18n._("Not in the catalogue"), "Not in the catalogue");
  assert.equal(i18n.currentLanguage(), "cy");
});

test("English counts are one and other, with named placeholders filled in", async () => {
  serve({ language: "en", dates: null, messages: {} });
  await i18n.load("en");
  assert.equal(i18n.ngettext("%(num)d person", "%(num)d people", 1), "1 person");
  assert.equal(i18n.ngettext("%(num)d person", "%(num)d people", 0), "0 people");
  assert.equal(i18n.ngettext("%(num)d person", "%(num)d people", 2), "2 people");
  assert.equal(i18n._("Hello %(name)s", { name: "Nia" }), "Hello Nia");
});

test("the English catalogue, which leaves out what is said as written, still says every message in English", async () => {
  // What /i18n/en.json holds: no message that is its own msgid (tests/test_phone_app.py checks the server leaves them out).
  serve({ language: "en", dates: null, messages: {} });
  await i18n.load("en");
  assert.equal(i18n._("Saved on this phone — waiting to send"), "Saved on this phone — waiting to send");
  assert.equal(i18n.pgettext("time of a contact", "Now"), "Now");
  assert.equal(i18n.ngettext("%(num)d record is waiting to send.", "%(num)d records are waiting to send.", 1),
    "1 record is waiting to send.");
  assert.equal(i18n.ngettext("%(num)d record is waiting to send.", "%(num)d records are waiting to send.", 3),
    "3 records are waiting to send.");
  assert.equal(i18n.ngettext("%(num)d day ago", "%(num)d days ago", 0, {}), "0 days ago");
});
