"""Records sealed on the phone, in a real browser: a note saved offline is readable nowhere
on the phone (every IndexedDB store, Web Storage), reaches the server whole, and a record a
leaver left on the phone is sent by the colleague who signs in next, as the leaver's."""

from __future__ import annotations

from playwright.sync_api import expect

from app.extensions import db
from app.staff.operations import deactivate
from tests import factories
from tests.browser.conftest import (
    cut_network,
    indicator,
    open_app,
    outbox_rows,
    restore_network,
    stored_contacts,
    stored_count,
    wait_for_empty_outbox,
)

NOTE = "Quokka-7731: talked about the allotment on Heol y Wern and his sister's visit"

# Everything the page's origin holds in IndexedDB (every database, every store, every row),
# and in localStorage and sessionStorage, as one JSON text.
EVERYTHING_STORED = """async () => {
  const dump = {local: {...localStorage}, session: {...sessionStorage}, databases: {}};
  for (const {name, version} of await indexedDB.databases()) {
    const database = await new Promise((resolve, reject) => {
      const opening = indexedDB.open(name, version);
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    const stores = {};
    for (const store of database.objectStoreNames) {
      stores[store] = await new Promise((resolve, reject) => {
        const request = database.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    database.close();
    dump.databases[name] = stores;
  }
  return JSON.stringify(dump);
}"""


def record_with_note(page, name: str, note: str) -> None:
    page.locator(".caseload__row", has=page.get_by_role("heading", name=name)).locator(".caseload__record").click()
    page.get_by_label("Home visit", exact=True).check()
    page.get_by_text("Notes, who else was there, sensitive or a concern (optional)").click()
    page.get_by_label("Notes", exact=True).fill(note)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#flash")).to_have_text("Saved on this phone — waiting to send")


def test_a_note_saved_offline_is_readable_nowhere_on_the_phone_and_arrives_whole(server, page, context, officer):
    factories.person(officer.team, "Gareth Davies")
    open_app(page, server, officer.email)
    cut_network(context)
    record_with_note(page, "Gareth Davies", NOTE)

    everything = page.evaluate(EVERYTHING_STORED)
    assert '"outbox"' in everything and "Gareth Davies" in everything  # the dump really holds the outbox
    for secret in (NOTE, "Quokka", "allotment", "Heol y Wern"):
        assert secret not in everything, f"{secret!r} is readable in the browser's storage"
    [row] = outbox_rows(page)
    assert set(row["contact"]) == {"id", "person_id", "type", "occurred_at", "content_sha256", "sealed"}
    assert row["contact"]["sealed"]["key_id"] == page.evaluate(
        "import(new URL('store.js', document.querySelector('script[type=module]').src).href)"
        ".then((store) => store.getSetting('sealing')).then((s) => s.key_id)"
    )

    indicator(page).click()
    expect(page.get_by_text("only the server can open them, so this phone shows who, what kind and when, but never the notes")).to_be_visible()
    item = page.locator(".outbox__item")
    expect(item).to_contain_text("Gareth Davies")
    expect(item).to_contain_text("Home visit")
    expect(item).not_to_contain_text("Quokka")
    assert stored_count() == 0

    restore_network(context)
    expect(indicator(page)).to_have_text("All sent")
    [contact] = stored_contacts()
    assert contact.notes == NOTE and contact.recorded_by_id == officer.id
    assert contact.content_sha256 == row["hash"]
    assert server.statuses() == ["created"]


def test_a_leavers_sealed_record_is_sent_by_the_colleague_who_signs_in_next_as_the_leavers(
    server, page, context, officer, team
):
    factories.person(team, "Gareth Davies")
    open_app(page, server, officer.email)
    cut_network(context)
    record_with_note(page, "Gareth Davies", NOTE)
    # The officer leaves before the phone has a signal again: their sign-ins end on the server.
    admin = factories.user(team, "admin@powys.example", role="admin")
    deactivate(db.session, db.session.merge(officer), by=admin)
    db.session.commit()
    context.clear_cookies()
    restore_network(context)
    expect(page.locator("[data-banner=signed-out]")).to_be_visible()
    assert stored_count() == 0

    colleague = factories.user(team, "colleague@powys.example")
    open_app(page, server, colleague.email)
    expect(indicator(page)).to_have_text("All sent")  # the colleague's own: the leaver's record is not theirs to see
    wait_for_empty_outbox(page)
    stored = stored_contacts()
    # Said whole if it ever fails: a record that left the phone unstored is a lost record.
    assert len(stored) == 1, f"stored {len(stored)}; the server was asked: {server.requests}; it answered {server.sync_results}"
    [contact] = stored
    assert contact.recorded_by_id == officer.id and contact.notes == NOTE
    assert outbox_rows(page) == []
