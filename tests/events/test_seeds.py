"""The demo events: loaded with agendas and registrations, idempotent."""

from crm.events.models import Event, Registration, Session
from crm.events.seeds import load_events
from crm.seeding import read_json


def test_demo_events_load_once_with_agendas_and_registrations(app, make_contact, make_city):
    items = read_json("demo/events.json")
    assert len(items) >= 8 - 1
    assert load_events(items) == len(items)  # no contacts yet: events and agendas only
    assert Registration.select().count() == 0
    oslo = make_city("Oslo", "NO")
    for n in range(120):
        make_contact(name=f"Demo {n}", city=oslo if n % 3 == 0 else None, sector="city_government")
    created = load_events(items)
    assert created > 100
    assert load_events(items) == 0  # idempotent
    oslo_workshop = Event.get(Event.title.contains("two-day workshop"))
    assert oslo_workshop.host_city_id == oslo.id and oslo_workshop.status == "completed"
    kinds = {s.kind for s in Session.select().where(Session.event == oslo_workshop)}
    assert "site_visit" in kinds
    regs = Registration.select().where(Registration.event == oslo_workshop)
    assert regs.where(Registration.status == "registered").count() <= oslo_workshop.capacity
    assert regs.where(Registration.checked_in_at.is_null(False)).count() > 0
    waiting = [r.waiting_position for r in regs.where(Registration.status == "waiting").order_by(Registration.waiting_position)]
    assert waiting == list(range(1, len(waiting) + 1))
    assert {e.status for e in Event.select()} >= {"completed", "published", "draft"}
