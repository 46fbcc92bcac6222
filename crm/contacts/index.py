"""Search documents of contacts: confidential, visible to the secretariat only."""

from __future__ import annotations

from crm.contacts.models import Contact
from crm.indexing import Kind, only_ids
from crm.membership.index import city_values
from crm.membership.models import City
from crm.peers.matching import contact_document


def to_document(contact: Contact, city: City | None = None) -> dict | None:
    """Return the index document of a contact (staff visibility), or None for an erased record."""
    if contact.erased_at is not None:
        return None
    city = city if city is not None else (contact.city if contact.city_id else None)
    values = city_values(city) if city else {"id": "none", "name": "", "status": "active"}
    doc = contact_document({"id": contact.id, "name": contact.name, "position": contact.position,
                            "organisation": contact.organisation, "tags": list(contact.tags or ()),
                            "languages": list(contact.languages or ()), "visibility": "staff"}, values)
    doc["body"] = " ".join(filter(None, [doc["body"], contact.email or "", contact.sector.replace("_", " ")]))
    if city is None:
        doc.pop("city_id", None)
    return doc


def documents(ids=None):
    """Yield (id, document) for the contacts named by ``ids`` (all when None)."""
    from peewee import JOIN

    query = (Contact.select(Contact, City)
             .join(City, JOIN.LEFT_OUTER, on=(Contact.city == City.id))
             .order_by(Contact.id))
    for contact in only_ids(query, ids):
        yield contact.id, to_document(contact, contact.city if contact.city_id else None)


KINDS = (Kind("contact", Contact, documents),)
WATCHED = ((City, lambda city: [f"contact:{row.id}" for row in Contact.select(Contact.id).where(Contact.city == city.id)]),)
