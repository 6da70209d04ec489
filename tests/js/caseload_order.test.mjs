// The home screen lists who still needs contacts first. A contact saved on the phone and not yet
// sent counts as offered there already, as the server counts it once it arrives: sending it
// never re-sorts the list under the officer's thumb.
import "fake-indexeddb/auto";

import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.BroadcastChannel = undefined;
const { ordered } = await import("../../static/js/caseload.js");

const person = (id, name, offered, required = 3) => ({
  id, display_name: name, order_key: name.toLowerCase(), offered_this_week: offered, required_this_week: required,
});
const names = (people) => people.map((p) => p.display_name);

test("who still needs most comes first, then by name", () => {
  const people = [person(1, "Rhys Evans", 1), person(2, "Bethan Morgan", 0), person(3, "Aled Jones", 1)];
  assert.deepEqual(names(ordered(people)), ["Bethan Morgan", "Aled Jones", "Rhys Evans"]);
});

test("contacts waiting on the phone count as offered, so the order is the one the server will give", () => {
  const before = [person(1, "Rhys Evans", 1), person(2, "Bethan Morgan", 0)];
  const waiting = new Map([[2, 2]]); // two visits to Bethan saved offline
  const whileWaiting = names(ordered(before, waiting));
  assert.deepEqual(whileWaiting, ["Rhys Evans", "Bethan Morgan"]);
  const afterSending = [person(1, "Rhys Evans", 1), person(2, "Bethan Morgan", 2)]; // the server's new counts
  assert.deepEqual(names(ordered(afterSending, new Map())), whileWaiting);
});

test("nobody needs fewer than none: more waiting than required still sorts with those who need nothing", () => {
  const people = [person(1, "Rhys Evans", 3), person(2, "Bethan Morgan", 0, 1)];
  assert.deepEqual(names(ordered(people, new Map([[2, 4]]))), ["Bethan Morgan", "Rhys Evans"]);
});
