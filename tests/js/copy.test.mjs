// The Niche page's copy buttons: shown only where the clipboard can be written, copy the block's text.
import assert from "node:assert/strict";
import { test } from "node:test";

import { copyFrom, mount } from "../../static/js/copy.js";

function page(text) {
  const listeners = {};
  const button = {
    dataset: { copy: "niche-1", copied: "Wedi'i gopïo" },
    textContent: "Copïo ar gyfer Niche",
    hidden: true,
    addEventListener: (name, handler) => { listeners[name] = handler; },
  };
  const source = { textContent: text };
  const doc = {
    getElementById: (id) => (id === "niche-1" ? source : null),
    querySelectorAll: () => [button],
  };
  return { doc, button, listeners };
}

test("copying writes the block's text and says so on the button", async () => {
  const { doc, button } = page("Cyfeirnod Cyswllt: 1234\r\nEnw: Rhys Evans");
  const written = [];
  assert.equal(await copyFrom(button, doc, { writeText: async (text) => { written.push(text); } }), true);
  assert.deepEqual(written, ["Cyfeirnod Cyswllt: 1234\r\nEnw: Rhys Evans"]);
  assert.equal(button.textContent, "Wedi'i gopïo");
});

test("a refused clipboard leaves the button as it was", async () => {
  const { doc, button } = page("text");
  const refused = { writeText: async () => { throw new Error("NotAllowedError"); } };
  assert.equal(await copyFrom(button, doc, refused), false);
  assert.equal(button.textContent, "Copïo ar gyfer Niche");
});

test("without a clipboard the buttons stay hidden; with one they show and copy on click", async () => {
  const bare = page("text");
  mount(bare.doc, undefined);
  assert.equal(bare.button.hidden, true);
  const able = page("the block");
  const written = [];
  mount(able.doc, { writeText: async (text) => { written.push(text); } });
  assert.equal(able.button.hidden, false);
  await able.listeners.click();
  assert.deepEqual(written, ["the block"]);
});
