"""Contacts: create, edit, find likely duplicates, merge, export and erase people's records."""

from __future__ import annotations

import difflib
import json

import peewee
from flask_babel import gettext as _

from crm.audit.models import AuditEntry
from crm.audit.services import erase_personal_values, record
from crm.contacts.models import Contact, ContactMerge
from crm.core.errors import DomainError
from crm.core.names import fold_name
from crm.core.operations import diff, update_record
from crm.db import database, utcnow
from crm.features import current_registry
from crm.membership.models import City

CONTACT_FIELDS = ("name", "email", "position", "organisation", "sector", "city", "phone", "languages", "tags",
                  "notes", "accepts_event_invitations", "accepts_network_news", "do_not_contact", "city_role",
                  "language")
MERGE_FIELDS = ("name", "email", "position", "organisation", "sector", "city", "phone", "languages", "tags",
                "notes", "accepts_event_invitations", "accepts_network_news", "do_not_contact", "city_role",
                "language")

# What other features hold about a person beyond links to the contact row comes from their declared hooks
# (crm.features.Feature.export_hooks: function(contact) -> (name, jsonable data); erase_hooks:
# function(contact, email) anonymises it, ``email`` being the address the contact had before the erasure).


class ContactError(DomainError):
    """A user-facing refusal: the message says what happened and what to do."""


def normalise_email(email: str | None) -> str | None:
    """Return the trimmed lower-case address, or None when empty."""
    email = (email or "").strip().lower()
    return email or None


def _clean(values: dict) -> dict:
    values = {k: v for k, v in values.items() if k in CONTACT_FIELDS}
    if "email" in values:
        values["email"] = normalise_email(values["email"])
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        values["name_key"] = fold_name(values["name"])
    for key in ("position", "organisation", "phone", "notes"):
        if key in values and values[key] is None:
            values[key] = ""
    return values


def find_by_email(email: str | None) -> Contact | None:
    """Return the contact with this address, whatever its case."""
    email = normalise_email(email)
    return Contact.get_or_none(Contact.email == email) if email else None


def likely_duplicates(name: str, email: str | None = None, city=None, *, exclude_id=None) -> list[tuple[Contact, str]]:
    """Return ``(contact, why)`` for records that are probably the same person."""
    found: dict[int, tuple[Contact, str]] = {}
    email = normalise_email(email)
    key = fold_name(name)
    city_id = getattr(city, "id", city)
    if email:
        for c in Contact.select().where(Contact.email == email):
            found[c.id] = (c, "same email address")
    if key:
        same = Contact.select().where(Contact.name_key == key)
        for c in same:
            if c.id not in found:
                why = "same name in the same city" if city_id and c.city_id == city_id else "same name"
                found[c.id] = (c, why)
        # Close names: records sharing the start of a word of the name, then a similarity ratio.
        stems = [t[:4] for t in key.split() if len(t) >= 3]
        if stems:
            condition = Contact.name_key.contains(stems[0])
            for stem in stems[1:]:
                condition = condition | Contact.name_key.contains(stem)
            candidates = (Contact.select(Contact.id, Contact.name, Contact.name_key, Contact.email, Contact.city)
                          .where(condition, Contact.erased_at.is_null())
                          .limit(300))
            for c in candidates:
                if c.id in found:
                    continue
                if difflib.SequenceMatcher(None, key, c.name_key).ratio() >= 0.85:
                    found[c.id] = (c, "similar name")
    found.pop(exclude_id, None)
    return list(found.values())


def create_contact(values: dict, *, actor) -> Contact:
    """Create a contact; refuse a second record with the same email address."""
    values = _clean(values)
    if not values.get("name"):
        raise ContactError(_("Enter the person's name."))
    if values.get("email") and find_by_email(values["email"]):
        raise ContactError(_("A contact with the address %(email)s already exists.", email=values["email"]))
    with database.atomic():
        try:
            contact = Contact.create(**values)
        except peewee.IntegrityError as exc:
            raise ContactError(_("A contact with the address %(email)s already exists.",
                                   email=values.get("email"))) from exc
        record(actor, "contact.create", contact, summary=f"Created contact {contact.name}",
               changes={k: v for k, v in values.items() if k not in ("notes",)})
    return contact


def update_contact(contact: Contact, values: dict, *, actor) -> Contact:
    """Change a contact's fields; the email address stays unique."""
    values = _clean(values)
    if values.get("email") and values["email"] != contact.email:
        other = find_by_email(values["email"])
        if other and other.id != contact.id:
            raise ContactError(_("%(name)s already uses the address %(email)s: merge the two records instead.",
                                 name=other.name, email=values["email"]))
    changes = diff(contact, {k: v for k, v in values.items() if k != "city"})
    new_city = getattr(values.get("city"), "id", values.get("city")) if "city" in values else contact.city_id
    if new_city != contact.city_id:
        changes["city"] = [contact.city_id, new_city]
    update_record(contact, values, actor=actor, action="contact.update", summary="Edited {obj.name}",
                  changes=changes)
    return contact


def upsert_contact(*, name: str, email: str | None, actor=None, **values) -> Contact:
    """Return the contact with this email, filling its empty fields; or create one."""
    existing = find_by_email(email)
    if existing is None:
        return create_contact(dict(values, name=name, email=email), actor=actor)
    fill = {k: v for k, v in _clean(dict(values, name=name)).items()
            if v not in (None, "", []) and getattr(existing, k if k != "city" else "city_id") in (None, "", [])}
    if values.get("city_role") and not existing.city_role:
        fill["city_role"] = values["city_role"]
    return update_contact(existing, fill, actor=actor) if fill else existing


def list_contacts(*, q: str = "", sector: str = "", city: str = "", country: str = "", tag: str = "",
                  sort: str = "name", with_city: bool = True):
    """Return contacts matching the search and filters (city joined in the same query: no N+1).

    With ``with_city=False`` only contact columns are selected and the city is joined only when a filter or
    the sort needs it: a cheaper query to count and to find a page's ids (``page_of_contacts``).
    """
    needs_city = with_city or country or sort == "city"
    if city:
        try:
            int(city)
        except ValueError:
            needs_city = True
    query = Contact.select(Contact, City) if with_city else Contact.select(Contact.id)
    if needs_city:
        query = query.join(City, peewee.JOIN.LEFT_OUTER, on=(Contact.city == City.id))
    if q:
        needle = q.strip()
        if "@" in needle and not needle.startswith("@"):
            # An address typed from its start: a range on the email index instead of a scan.
            prefix = needle.lower()
            query = query.where(Contact.email >= prefix, Contact.email < prefix + "\uffff")
        else:
            query = query.where(Contact.name_key.contains(fold_name(needle)) | Contact.email.contains(needle.lower())
                                | Contact.organisation.contains(needle))
    if sector:
        query = query.where(Contact.sector == sector)
    if city:
        try:
            query = query.where(Contact.city == int(city))
        except ValueError:
            query = query.where(City.name_key == fold_name(city))
    if country:
        query = query.where(City.country == country.upper())
    if tag:
        query = query.where(Contact.tags.contains(json.dumps(tag.strip(), ensure_ascii=False)))
    orders = {"name": [Contact.name_key], "-name": [Contact.name_key.desc()],
              "organisation": [Contact.organisation, Contact.name_key],
              "city": [City.name_key, Contact.name_key], "updated": [Contact.updated_at.desc()],
              "created": [Contact.id.desc()]}
    return query.order_by(*orders.get(sort, orders["name"]), Contact.id)


def page_of_contacts(query, number: int, per_page: int = 50):
    """Return one page of a contacts query (best from ``list_contacts(with_city=False)``): the page's ids first
    (an index-only walk, cheap even deep in the list), then only those rows with their cities."""
    import math

    from crm.pagination import Page

    total = query.count()
    number = min(max(1, number), max(1, math.ceil(total / per_page)))
    ids = [row.id for row in query.select(Contact.id).paginate(number, per_page)]
    position = {id_: i for i, id_ in enumerate(ids)}
    rows = sorted(Contact.select(Contact, City)
                  .join(City, peewee.JOIN.LEFT_OUTER, on=(Contact.city == City.id))
                  .where(Contact.id.in_(ids)), key=lambda c: position[c.id]) if ids else []
    return Page(rows, number, per_page, total)


def contact_history(contact: Contact) -> list[AuditEntry]:
    """Return the audit entries about this contact and the records merged into it, newest first."""
    ids = [str(contact.id)] + [str(m.merged_contact_id) for m in contact.merges]
    return list(AuditEntry.select()
                .where(AuditEntry.object_type == "Contact", AuditEntry.object_id.in_(ids))
                .order_by(AuditEntry.id.desc()))


def _linked_rows(contact: Contact):
    """Yield ``(field, query)`` for every row of another model that points at ``contact``."""
    for field in Contact._meta.backrefs:
        if field.model is ContactMerge:
            continue
        yield field, field.model.select().where(field == contact.id)


def _snapshot(contact: Contact) -> dict:
    data = {k: getattr(contact, k if k != "city" else "city_id") for k in CONTACT_FIELDS}
    data.update(id=contact.id, created_at=contact.created_at.isoformat(), updated_at=contact.updated_at.isoformat())
    return data


def merge_contacts(kept: Contact, other: Contact, choices: dict[str, str], *, actor) -> Contact:
    """Merge ``other`` into ``kept``: each field from the side chosen, every link moved, ``other`` deleted."""
    if kept.id == other.id:
        raise ContactError(_("Choose two different contacts to merge."))
    values, changes = {}, {}
    for name in MERGE_FIELDS:
        side = choices.get(name, "kept")
        if name == "notes" and side == "both":
            value = "\n\n".join(n for n in (kept.notes, other.notes) if n)
        elif name in ("tags", "languages") and side == "both":
            value = list(dict.fromkeys(list(getattr(kept, name)) + list(getattr(other, name))))
        elif side == "other":
            value = other.city_id if name == "city" else getattr(other, name)
        else:
            continue
        values[name] = value
    with database.atomic():
        snapshot = _snapshot(other)
        moved = {}
        for field, query in _linked_rows(other):
            count = 0
            for row in query:
                try:
                    with database.atomic():
                        field.model.update({field: kept.id}).where(field.model._meta.primary_key ==
                                                                   row._pk).execute()
                        count += 1
                except peewee.IntegrityError:  # the kept record already has the same link (e.g. a registration)
                    pass
            moved[f"{field.model._meta.table_name}.{field.name}"] = count
        ContactMerge.update(kept=kept.id).where(ContactMerge.kept == other.id).execute()
        ContactMerge.create(kept=kept, merged_contact_id=other.id, merged_name=other.name,
                            data_json=json.dumps(snapshot, default=str, ensure_ascii=False),
                            actor=actor.id if getattr(actor, "id", None) else None)
        other.delete_instance()
        for key, value in values.items():
            old = kept.city_id if key == "city" else getattr(kept, key)
            if old != value:
                changes[key] = [old, value]
            setattr(kept, key, value)
        kept.name_key = fold_name(kept.name)
        kept.updated_at = utcnow()
        kept.save()
        record(actor, "contact.merge", kept, summary=f"Merged contact #{snapshot['id']} into {kept.name}",
               changes={"merged_id": snapshot["id"], "fields": changes, "links_moved": moved})
    return kept


def export_contact(contact: Contact, *, actor) -> dict:
    """Return everything held about a person (for a data-access request); the export is audited."""
    data = {"contact": _snapshot(contact)}
    data["contact"]["city_name"] = contact.city.name if contact.city_id else None
    data["linked_records"] = {}
    for field, query in _linked_rows(contact):
        rows = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.__data__.items()}
                for row in query]
        data["linked_records"][f"{field.model._meta.table_name}.{field.name}"] = rows
    data["merged_records"] = [json.loads(m.data_json) for m in contact.merges]
    for hook in current_registry().export_hooks:
        name, value = hook(contact)
        data[name] = value
    data["history"] = [{"at": e.created_at.isoformat(), "action": e.action, "by": e.actor_email,
                        "summary": e.summary, "changes": e.changes} for e in contact_history(contact)]
    data["exported_at"] = utcnow().isoformat()
    with database.atomic():
        record(actor, "contact.export", contact, summary=f"Exported the data held about contact #{contact.id}")
    return data


def erase_contact(contact: Contact, *, actor) -> Contact:
    """Anonymise a person's fields; links (e.g. event attendance) stay, so aggregate figures are kept."""
    with database.atomic():
        email = contact.email
        merged = [json.loads(m.data_json) for m in contact.merges]
        personal = [contact.name, email, contact.phone] + [value for data in merged for value in (
            data.get("name"), data.get("email"), data.get("phone"))]
        contact.name = f"Erased contact #{contact.id}"
        contact.name_key = fold_name(contact.name)
        contact.email = None
        contact.position = contact.phone = contact.notes = ""
        contact.languages, contact.tags = [], []
        contact.do_not_contact = True
        contact.accepts_event_invitations = contact.accepts_network_news = False
        contact.city_role = contact.language = ""
        contact.erased_at = contact.updated_at = utcnow()
        contact.save()
        for merge in contact.merges:
            merge.merged_name, merge.data_json = "erased", "{}"
            merge.save()
        for hook in current_registry().erase_hooks:
            hook(contact, email)
        # Until its merge, a merged record's id named this person; SQLite may have given it to another since.
        erase_personal_values(personal, object_type="Contact", object_ids={
            contact.id: None, **{m.merged_contact_id: m.created_at for m in contact.merges}})
        record(actor, "contact.erase", contact, summary=f"Erased the personal data of contact #{contact.id}")
    return contact
