"""The dashboard's upcoming-events panel: seats taken and waiting per event, from one grouped query."""

from __future__ import annotations

from crm.db import database
from crm.events.models import Registration
from crm.events.registration import counts
from crm.events.reports import upcoming_with_seats


def test_seats_taken_and_waiting_per_event_match_each_events_counts(make_event, make_contact, monkeypatch):
    full = make_event(title="Full workshop", capacity=2)
    half = make_event(title="Half-full webinar", capacity=4)
    empty = make_event(title="Empty round table", capacity=None)
    for status, event in (("registered", full), ("offered", full), ("waiting", full), ("waiting", full),
                          ("registered", half), ("cancelled", half), ("expired", half)):
        Registration.create(event=event, contact=make_contact(), status=status)
    statements = []
    original = database.obj.execute_sql

    def counting(sql, *args, **kwargs):
        statements.append(sql)
        return original(sql, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", counting)
    rows = {row["event"].title: row for row in upcoming_with_seats()}
    monkeypatch.undo()
    assert len(statements) == 2  # the events, then one grouped count for all of them
    for event in (full, half, empty):
        row, c = rows[event.title], counts(event)
        assert row["taken"] == c["registered"] + c["offered"] and row["waiting"] == c["waiting"]
    assert (rows["Full workshop"]["taken"], rows["Full workshop"]["waiting"], rows["Full workshop"]["percent"]) == (2, 2, 100)
    assert (rows["Half-full webinar"]["taken"], rows["Half-full webinar"]["percent"]) == (1, 25)
    assert rows["Empty round table"]["taken"] == 0 and rows["Empty round table"]["percent"] is None
