"""A city's latest activity is the same whether read for a few cities or for every city at once (the dormant
list; on PostgreSQL one join over each person's latest registration, check-in and answer)."""

from __future__ import annotations

from crm.events.models import Invitation, Registration
from crm.journeys.services import last_activity_by_city
from crm.membership.models import City
from tests.journeys.conftest import NOW, ago, city, contact, event


def test_every_city_at_once_equals_city_by_city(app):
    towns = [city(f"Town {n}") for n in range(4)]
    old, recent = event("Old forum", 900), event("Recent workshop", 40)
    people = [contact(f"P{n} Person", towns[n % 3]) for n in range(6)]  # Town 3 has nobody
    Registration.create(event=old, contact=people[0], status="registered", created_at=ago(950),
                        checked_in_at=ago(900))
    Registration.create(event=recent, contact=people[0], status="registered", created_at=ago(60))  # no check-in
    Registration.create(event=recent, contact=people[1], status="registered", created_at=ago(70),
                        checked_in_at=ago(40))
    Invitation.create(event=recent, contact=people[2], sent_at=ago(90), answered_at=ago(85))
    Invitation.create(event=old, contact=people[4], sent_at=ago(920))  # never answered
    Invitation.create(event=old, contact=people[3], sent_at=ago(920), answered_at=ago(910))
    every = last_activity_by_city(None, now=NOW)
    one_by_one = last_activity_by_city([c.id for c in City.select()], now=NOW)
    assert every == one_by_one
    assert every[towns[0].id] == ago(60) and every[towns[1].id] == ago(40) and every[towns[2].id] == ago(85)
    assert towns[3].id not in every
