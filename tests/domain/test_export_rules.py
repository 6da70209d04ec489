"""The Delius mapping and what each export run carries, as plain rules."""

from datetime import datetime, timezone

import pytest

from app.domain import exports as rules
from app.domain.exports import Candidate, ExportStatus, Sent


@pytest.mark.parametrize(("kind", "code"), [
    ("home_visit", "CHVS"), ("phone", "COPT"), ("video_online", "COVC"), ("office", "COAP"),
    ("partner_agency", "C084"), ("public_place", "COOO"), ("lift_practical", "COOO"), ("activity", "COOO"),
])
def test_probation_contacts_go_by_kind_with_the_codes_delius_uses(kind, code):
    mapping = rules.mapping_in_force({})
    assert rules.contact_type_code(mapping, agency="probation", kind=kind) == code
    assert rules.contact_type_code(mapping, agency="partner", kind=kind) == code


def test_every_police_contact_is_police_liaison_by_default():
    mapping = rules.mapping_in_force({})
    assert {rules.contact_type_code(mapping, agency="police", kind=kind) for kind in rules.KINDS} == {"C204"}


def test_a_teams_override_wins_for_that_agency_and_kind_only():
    mapping = rules.mapping_in_force({"police:home_visit": "CHVS", "unknown:key": "X"})
    assert rules.contact_type_code(mapping, agency="police", kind="home_visit") == "CHVS"
    assert rules.contact_type_code(mapping, agency="police", kind="phone") == "C204"
    assert "unknown:key" not in mapping


def test_outcomes_kept_is_attc_and_absences_as_the_team_decides():
    mapping = rules.mapping_in_force({})
    assert rules.outcome_code(mapping, "kept") == "ATTC"
    assert rules.outcome_code(mapping, "not_at_home") == "AAAA"
    assert rules.outcome_code(mapping, "did_not_attend") == "UAAB"
    assert rules.outcome_code(mapping, "refused") == "UAAB"
    decided = rules.mapping_in_force({"absence:not_at_home": "unacceptable", "absence:refused": "acceptable",
                                      "outcome:acceptable": "AAME"})
    assert rules.outcome_code(decided, "not_at_home") == "UAAB"
    assert rules.outcome_code(decided, "refused") == "AAME"


def test_the_end_time_is_the_start_plus_the_duration():
    start = datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc)
    assert rules.end_time(start, 45) == datetime(2026, 3, 29, 1, 15, tzinfo=timezone.utc)
    assert rules.end_time(start, None) is None


def test_a_contact_never_sent_is_new_unless_it_was_voided_first():
    assert rules.export_status("a", False, None) == ExportStatus.NEW
    assert rules.export_status("a", True, None) is None


def test_a_sent_contact_is_corrected_voided_or_unchanged():
    sent = Sent("a", False, 1)
    assert rules.export_status("a", False, sent) == ExportStatus.UNCHANGED
    assert rules.export_status("b", False, sent) == ExportStatus.CORRECTED
    assert rules.export_status("a", True, sent) == ExportStatus.VOIDED
    assert rules.export_status("a", True, Sent("a", True, 2)) == ExportStatus.UNCHANGED


def test_the_latest_run_that_sent_a_contact_is_what_counts():
    latest = rules.latest_sent([("c", "a", False, 1), ("c", "b", False, 3), ("c", "x", False, 2)])
    assert latest["c"] == Sent("b", False, 3)


def test_a_new_and_changed_run_leaves_out_what_was_sent_unchanged_a_range_run_marks_it():
    candidates = [Candidate("new", "n", False), Candidate("same", "s", False), Candidate("fixed", "f2", False),
                  Candidate("gone", "g", True), Candidate("never", "v", True)]
    sent = {"same": Sent("s", False, 1), "fixed": Sent("f1", False, 1), "gone": Sent("g", False, 1)}
    changed = rules.select_for_run(candidates, sent, changed_only=True)
    assert [(c.contact_id, status) for c, status in changed] == [
        ("new", ExportStatus.NEW), ("fixed", ExportStatus.CORRECTED), ("gone", ExportStatus.VOIDED)]
    ranged = rules.select_for_run(candidates, sent, changed_only=False)
    assert ("same", ExportStatus.UNCHANGED) in [(c.contact_id, status) for c, status in ranged]
    assert "never" not in [c.contact_id for c, _ in ranged]
