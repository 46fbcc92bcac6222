"""One way an edit is saved and audited (crm.core.operations), and features answering each other through
crm.core.signals instead of importing each other (issue 9 part 3)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from crm.audit.models import AuditEntry
from crm.core import signals
from crm.core.operations import audit, clean_values, required_text, update_record
from crm.incidents.models import Incident
from crm.membership.models import City


def _city(name="Tampere"):
    return City.create(name=name, name_key=name.lower(), country="FI", region="Europe", level="city",
                       status="active")


def test_update_record_saves_stamps_and_audits_in_one_go(app, make_user):
    actor = make_user("staff")
    city = _city()
    incident = Incident.create(city=city, title="Old title", summary="private words", visibility="network")
    before = incident.updated_at
    changes = update_record(incident, {"title": "New title", "summary": "other words"}, actor=actor,
                            action="incident.update", summary="Edited incident “{obj.title}”",
                            audited=lambda c: {k: v for k, v in c.items() if k != "summary"})
    assert changes == {"title": ["Old title", "New title"], "summary": ["private words", "other words"]}
    stored = Incident.get_by_id(incident.id)
    assert (stored.title, stored.summary) == ("New title", "other words")
    assert stored.updated_at > before - dt.timedelta(seconds=1)
    entry = AuditEntry.get(AuditEntry.action == "incident.update")
    assert entry.summary == "Edited incident “New title”" and entry.actor_id == actor.id
    assert json.loads(entry.changes_json) == {"title": ["Old title", "New title"]}  # the summary's words are not kept


def test_update_record_with_nothing_changed_writes_nothing(app, make_user):
    city = _city()
    stamped = city.updated_at
    assert update_record(city, {"name": "Tampere"}, actor=make_user("staff"), action="city.update",
                         summary="Edited {obj.name}") == {}
    assert City.get_by_id(city.id).updated_at == stamped
    assert AuditEntry.select().where(AuditEntry.action == "city.update").count() == 0


def test_audit_refuses_when_no_audit_log_answers(app, make_user):
    with signals.audited.muted(), pytest.raises(RuntimeError, match="No audit log"):
        audit(make_user("staff"), "user.update")
    assert AuditEntry.select().where(AuditEntry.action == "user.update").count() == 0


def test_the_contacts_feature_answers_for_a_city_and_the_lessons_feature_for_its_history(app):
    from crm.contacts.models import Contact

    city = _city()
    Contact.create(name="Aino", name_key="aino", email="aino@example.org", city=city, city_role="focal_point")
    Contact.create(name="Bo", name_key="bo", email="bo@example.org", city=city)
    assert [[c.name for c in answer] for answer in signals.answers(signals.city_contacts, city)] == [["Aino", "Bo"]]
    assert [[c.name for c in answer] for answer in
            signals.answers(signals.city_contacts, city, focal_points=True)] == [["Aino"]]
    with app.test_request_context():
        from flask_login import current_user

        assert signals.answers(signals.city_history, city, user=current_user) == [{"lessons": []}]


class Refused(Exception):
    pass


def test_clean_values_keeps_the_fields_and_refuses_an_empty_required_text():
    values = clean_values({"title": "  A title ", "body": "  kept as given ", "owner": 7}, ("title", "body"),
                          Refused, required={"title": "Give it a title."})
    assert values == {"title": "A title", "body": "  kept as given "}
    assert clean_values({"body": "no title given"}, ("title", "body"), Refused,
                        required={"title": "Give it a title."}) == {"body": "no title given"}
    with pytest.raises(Refused, match="Give it a title."):
        clean_values({"title": "   "}, ("title",), Refused, required={"title": "Give it a title."})
    assert required_text("  why \n", Refused, "Say why.") == "why"
    with pytest.raises(Refused, match="Say why."):
        required_text(None, Refused, "Say why.")
