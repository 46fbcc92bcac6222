"""Seed loaders: the demo network's member cities with their contacts, applications in every status,
and the demo member user linked to Oslo."""

from __future__ import annotations

import datetime as dt

from crm.core import signals
from crm.core.names import default_region, fold_name
from crm.db import database, utcnow
from crm.membership.models import Application, ApplicationEvent, City, CityStatusChange
from crm.resources import seeds_dir
from crm.seeding import loader, read_json

DEMO_MEMBER_EMAIL = "member@example.org"
DEMO_MEMBER_CITY = "Oslo"


def _demo_file(name: str):
    path = seeds_dir() / "demo" / name
    return read_json(f"demo/{name}") if path.exists() else []


def load_cities(items: list[dict]) -> int:
    """Create the cities (and their contacts) of ``items`` that are missing; return how many were created."""
    created = 0
    with database.atomic():
        for item in items:
            key = fold_name(item["name"])
            city = City.get_or_none(City.name_key == key, City.country == item["country"])
            if city is None:
                joined = dt.date.fromisoformat(item["joined_on"]) if item.get("joined_on") else None
                city = City.create(name=item["name"], name_key=key, country=item["country"],
                                   region=item.get("region") or default_region(item["country"]),
                                   level=item.get("level") or "city", population=item.get("population"),
                                   website=item.get("website") or "", languages=item.get("languages") or [],
                                   expertise=item.get("expertise") or [], status=item.get("status") or "active",
                                   joined_on=joined, focal_point_available=item.get("focal_point_available", True))
                CityStatusChange.create(city=city, status="active", reason="Joined the network",
                                        changed_on=joined or utcnow().date())
                if city.status != "active":
                    CityStatusChange.create(city=city, old_status="active", status=city.status,
                                            reason="Recorded in the demo data", changed_on=utcnow().date())
                created += 1
            created += sum(signals.answers(signals.city_people_seeded, city, people=item.get("contacts") or []))
    return created


def load_applications(items: list[dict]) -> int:
    """Create the demo applications that are missing (matched by authority and country)."""
    from crm.membership.services import CONSENT_VERSION

    created = 0
    base = utcnow() - dt.timedelta(days=60)
    with database.atomic():
        for n, item in enumerate(items):
            key = fold_name(item["authority_name"])
            if Application.get_or_none(Application.name_key == key, Application.country == item["country"]):
                continue
            submitted = base + dt.timedelta(days=3 * n)
            applicant, leader = item.get("applicant") or {}, item.get("leader") or {}
            focal = item.get("focal_point") or {}
            status = item.get("status") or "submitted"
            application = Application.create(
                reference=f"seed-{n}-{key}"[:20], authority_name=item["authority_name"], name_key=key,
                level=item.get("level") or "city", country=item["country"],
                region=default_region(item["country"]), population=item.get("population"),
                website=item.get("website") or "", languages=item.get("languages") or [],
                applicant_name=applicant.get("name", ""), applicant_position=applicant.get("position", ""),
                applicant_email=(applicant.get("email") or "").lower(), applicant_phone=applicant.get("phone", ""),
                leader_name=leader.get("name", ""), leader_position=leader.get("position", ""),
                focal_name=focal.get("name", ""), focal_position=focal.get("position", ""),
                focal_email=(focal.get("email") or "").lower(), expertise=item.get("expertise") or [],
                expertise_other=item.get("expertise_other") or "",
                incident_experience=item.get("incident_experience") or "", motivation=item.get("motivation") or "",
                consent_at=submitted, consent_version=CONSENT_VERSION, status=status,
                decision_reason=item.get("decision_reason") or "",
                info_request=(item.get("decision_reason") or "Could you tell us who would be the focal point?")
                if status == "info_requested" else "",
                submitted_at=submitted, updated_at=submitted,
                decided_at=submitted + dt.timedelta(days=2) if status in ("approved", "declined") else None)
            application.reference = f"SCN-{submitted.year}-{application.id:04d}"
            if status == "approved":
                application.city = City.get_or_none(City.name_key == key, City.country == item["country"])
            application.save()
            ApplicationEvent.create(application=application, action="submitted", status="submitted",
                                    actor_label=application.applicant_name, created_at=submitted)
            if status != "submitted":
                ApplicationEvent.create(application=application, action=status, status=status,
                                        actor_label="The secretariat" if status != "withdrawn" else application.applicant_name,
                                        note=application.info_request or application.decision_reason,
                                        created_at=submitted + dt.timedelta(days=2))
            created += 1
    return created


@loader(demo=True)
def demo_cities() -> int:
    """Create the demo network's member cities and their contacts."""
    return load_cities(_demo_file("cities.json"))


@loader(demo=True)
def demo_applications() -> int:
    """Create demo membership applications in every status."""
    return load_applications(_demo_file("applications.json"))


@loader(demo=True)
def demo_member_city() -> int:
    """Link the demo member login to Oslo (or the first active city)."""
    from crm.accounts.models import User

    user = User.get_or_none(User.email == DEMO_MEMBER_EMAIL)
    city = (City.get_or_none(City.name_key == fold_name(DEMO_MEMBER_CITY))
            or City.select().where(City.status == "active").order_by(City.id).first())
    if user is None or city is None or user.city_id == city.id:
        return 0
    user.city = city.id
    user.save()
    return 1
