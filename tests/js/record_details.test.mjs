import { test } from "node:test";
import assert from "node:assert/strict";

import { DURATION_PICKS, durationText } from "../../static/js/record-details.js";

test("the duration quick picks are 15, 30, 45 and 60 minutes", () => {
  assert.deepEqual(DURATION_PICKS, [15, 30, 45, 60]);
});

test("a picked duration wins over a number left under Other", () => {
  assert.equal(durationText("45", "999"), "45");
});

test("Other takes the number typed, trimmed; nothing picked or typed is no duration", () => {
  assert.equal(durationText("other", " 20 "), "20");
  assert.equal(durationText(null, "75"), "75");
  assert.equal(durationText(null, ""), "");
  assert.equal(durationText("other", "lots"), "lots"); // the form refuses it, as the server would
});
