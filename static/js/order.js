// The order of names on the phone is the server's: each caseload row carries `order_key`,
// the name's place in the reader's alphabet written by app/collation.py as ASCII text whose
// plain string order is that alphabet's order (Welsh: ch, dd, ff, ng, ll, ph, rh and th are
// letters). The phone never works out Welsh order itself, so the two cannot drift apart.
// No imports: tests/js/ runs this module under Node as it is.

function plain(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compare two people (caseload rows) by name, as the server orders them. */
export function byName(a, b) {
  // A row kept from before the server sent keys sorts by its name until the next refresh.
  const x = typeof a.order_key === "string" ? a.order_key : a.display_name;
  const y = typeof b.order_key === "string" ? b.order_key : b.display_name;
  return plain(x, y) || plain(a.display_name, b.display_name);
}

/** The people sorted by name in the server's order (a new array). */
export function sortedByName(people) {
  return [...people].sort(byName);
}
