// The canonical content of a contact and its SHA-256, exactly as the server computes
// them (app/contacts/canonical.py): keys sorted, no whitespace, UTF-8, times in UTC with
// milliseconds as Date.toISOString() writes them. A record leaves the outbox only when
// the server's receipt carries this hash.

// colleague_ids (a joint contact's colleagues) is written only when there are some, sorted
// as numbers: a contact recorded without colleagues hashes as it did before they existed.
export function colleagueIds(contact) {
  return [...new Set((contact.colleague_ids || []).map(Number))].sort((a, b) => a - b);
}

export function canonicalContent(contact) {
  const colleagues = colleagueIds(contact);
  // Keys inserted in sorted order, so JSON.stringify writes them sorted.
  return {
    ...(colleagues.length ? { colleague_ids: colleagues } : {}),
    concern: Boolean(contact.concern),
    duration_minutes: contact.duration_minutes ?? null,
    id: String(contact.id).toLowerCase(),
    notes: contact.notes ? contact.notes : null,
    occurred_at: new Date(contact.occurred_at).toISOString(),
    others_present: contact.others_present ? contact.others_present : null,
    outcome: contact.outcome,
    pathways: [...(contact.pathways || [])].map(String).sort(),
    person_id: Number(contact.person_id),
    sensitive: Boolean(contact.sensitive),
    type: contact.type,
  };
}

export function contentHash(contact) {
  return canonicalHash(canonicalContent(contact));
}

/** The SHA-256 (hex) of a canonical object: its keys must already be in sorted order. */
export async function canonicalHash(content) {
  const bytes = new TextEncoder().encode(JSON.stringify(content));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
