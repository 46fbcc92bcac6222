"""What the contacts feature answers when membership tells or asks about a city (``crm.core.signals``)."""

from __future__ import annotations

from crm.core import signals


@signals.application_approved.connect
def record_application_people(city, *, application, actor) -> None:
    """Record the applicant, the leader and the focal point of an approved application as the city's contacts."""
    from crm.contacts.services import upsert_contact

    has_focal = bool(application.focal_name and application.focal_email)
    upsert_contact(name=application.applicant_name, email=application.applicant_email,
                   position=application.applicant_position, phone=application.applicant_phone, city=city,
                   organisation=city.name, sector="city_government",
                   city_role="" if has_focal else "focal_point", actor=actor)
    if application.leader_name:
        upsert_contact(name=application.leader_name, email=None, position=application.leader_position,
                       city=city, organisation=city.name, sector="city_government", city_role="leader",
                       actor=actor)
    if has_focal:
        upsert_contact(name=application.focal_name, email=application.focal_email,
                       position=application.focal_position, city=city, organisation=city.name,
                       sector="city_government", city_role="focal_point", actor=actor)


@signals.city_contacts.connect
def city_contacts(city, *, focal_points: bool = False) -> list:
    """A city's contacts, focal points then leaders then the others; or its focal points with an address."""
    import peewee

    from crm.contacts.models import Contact

    if focal_points:
        return list(Contact.select()
                    .where(Contact.city == city, Contact.city_role == "focal_point", Contact.email.is_null(False))
                    .order_by(Contact.name))
    rank = peewee.Case(Contact.city_role, (("focal_point", 0), ("leader", 1)), 2)
    return list(Contact.select().where(Contact.city == city).order_by(rank, Contact.name_key))


@signals.city_people_seeded.connect
def seed_city_people(city, *, people: list[dict]) -> int:
    """Create the missing contacts of a seeded city; return how many were created."""
    from crm.contacts.models import Contact
    from crm.core.names import fold_name

    created = 0
    for person in people:
        email = (person.get("email") or "").strip().lower() or None
        if email and Contact.get_or_none(Contact.email == email):
            continue
        if not email and Contact.get_or_none(Contact.name == person["name"], Contact.city == city):
            continue
        Contact.create(name=person["name"], name_key=fold_name(person["name"]), email=email,
                       position=person.get("position") or "", organisation=person.get("organisation") or "",
                       sector=person.get("sector") or "other", city=city, phone=person.get("phone") or "",
                       languages=person.get("languages") or [], tags=person.get("tags") or [],
                       city_role=person.get("role") or "")
        created += 1
    return created
