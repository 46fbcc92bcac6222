"""Bulk work on the contact list: tag, untag, add to a mailing list, export a selection.

A selection is either ids ticked on a page or "all matching", which re-runs the list's filters here, at
the time of the action: a stale page never decides who is changed. Each change is one transaction with
one audit entry naming the count and the ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.audit.services import record
from crm.contacts.imports import CONTACT_COLUMNS
from crm.contacts.models import Contact
from crm.contacts.services import ContactError, list_contacts
from crm.core import signals
from crm.db import database, utcnow

CONFIRM_ABOVE = 20  # more rows than this: a confirmation page first
ACTIONS = {"add_tag": _l("Add a tag"), "remove_tag": _l("Remove a tag"), "subscribe": _l("Add to a mailing list"),
           "invite": _l("Invite to an event"), "export": _l("Export as CSV")}
INVITE_AT_MOST = 500  # as many as an event's invitation page takes at once (crm.events.invitations)


@dataclass
class BulkResult:
    """What a bulk action did: the ids changed, those already as asked, and those skipped with the reason."""

    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    skipped: dict[str, list[int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.changed) + len(self.unchanged) + sum(len(ids) for ids in self.skipped.values())


def plural(count: int, word: str = "contact") -> str:
    """Return "1 contact" or "37 contacts"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def selected_contacts(filters: dict, ids, *, all_matching: bool):
    """Return the query of the contacts chosen: the whole filtered list, or the ticked ids (erased records never)."""
    if all_matching:
        query = list_contacts(**{k: v for k, v in filters.items() if k != "sort"}, sort=filters.get("sort") or "name",
                              with_city=False)
    else:
        wanted = sorted({int(i) for i in ids if str(i).isdigit()})
        query = Contact.select(Contact.id).where(Contact.id.in_(wanted)).order_by(Contact.id)
    return query.where(Contact.erased_at.is_null())


def count_selected(query) -> int:
    """Return how many contacts a selection holds."""
    return query.count()


def _ids(query) -> list[int]:
    return [row.id for row in query.select(Contact.id)]


def _clean_tag(tag: str) -> str:
    tag = " ".join((tag or "").split())
    if not tag:
        raise ContactError(_("Enter the tag to add or remove."))
    if len(tag) > 60:
        raise ContactError(_("Use a tag of at most %(count)s characters.", count=60))
    return tag


def _retag(query, tag: str, *, add: bool, actor) -> BulkResult:
    result = BulkResult()
    ids = _ids(query)
    now = utcnow()
    with database.atomic():
        for _start, chunk in _chunks(ids):
            # Contacts sharing the same tags get the same new tags: one UPDATE for each distinct list of tags.
            by_tags: dict[tuple, list[int]] = {}
            for contact in Contact.select(Contact.id, Contact.tags).where(Contact.id.in_(chunk)):
                tags = tuple(contact.tags or ())
                if any(t.casefold() == tag.casefold() for t in tags) == add:
                    result.unchanged.append(contact.id)
                else:
                    by_tags.setdefault(tags, []).append(contact.id)
            for tags, same in by_tags.items():
                new = [*tags, tag] if add else [t for t in tags if t.casefold() != tag.casefold()]
                Contact.update(tags=new, updated_at=now).where(Contact.id.in_(same)).execute()
                result.changed.extend(same)
        record(actor, "contact.bulk_tag" if add else "contact.bulk_untag", object_type="Contact",
               summary=f"{'Tagged' if add else 'Untagged'} {plural(len(result.changed))} “{tag}”",
               changes={"tag": tag, "count": len(result.changed), "ids": sorted(result.changed),
                        "unchanged": len(result.unchanged)})
    return result


def add_tag(query, tag: str, *, actor) -> BulkResult:
    """Add ``tag`` to every contact of the selection that lacks it (any case counts as having it)."""
    return _retag(query, _clean_tag(tag), add=True, actor=actor)


def remove_tag(query, tag: str, *, actor) -> BulkResult:
    """Remove ``tag`` (in any case) from every contact of the selection that has it."""
    return _retag(query, _clean_tag(tag), add=False, actor=actor)


def subscribe_to_list(query, list_id, *, actor) -> tuple[str, BulkResult]:
    """Put the selection on a mailing list (the mailings feature answers); return the list's name and the result.

    An unsubscribe is never overridden: those contacts are ``skipped["unsubscribed"]``.
    """
    with database.atomic():
        found = [answer for answer in signals.answers(signals.contacts_subscribed, list_id,
                                                      contact_ids=_ids(query), actor=actor) if answer]
    if not found:
        raise ContactError(_("Choose a mailing list: that one no longer exists."))
    done = found[0]
    result = BulkResult(changed=done["added"], unchanged=done["already"])
    if done["unsubscribed"]:
        result.skipped["unsubscribed"] = done["unsubscribed"]
    return done["list"], result


def mailing_list_choices() -> list[tuple[int, str]]:
    """Return ``(id, name)`` of the mailing lists a selection may join."""
    return [choice for answer in signals.answers(signals.mailing_list_choices, None) for choice in answer]


def event_choices() -> list[tuple[int, str]]:
    """Return the upcoming events a selection may be invited to, as ``(id, label)`` (the events feature answers)."""
    return [choice for answer in signals.answers(signals.invitable_events, None) for choice in answer]


def invitation_selection(query) -> str:
    """Return a selection's ids for an event's invitation page ("12,15,40"); refuse more than INVITE_AT_MOST."""
    ids = _ids(query)
    if len(ids) > INVITE_AT_MOST:
        raise ContactError(_("Invite at most %(most)s people at once (%(count)s are chosen): narrow the filters, "
                             "or tick the people on the page.", most=INVITE_AT_MOST, count=len(ids)))
    return ",".join(map(str, ids))


def _chunks(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield start, ids[start:start + size]


def export_selection(query, *, actor) -> tuple[list[str], list[list]]:
    """Return the header and rows of the selection in the contact export's columns; the export is audited."""
    ids = _ids(query)
    rows = []
    for _start, chunk in _chunks(ids):
        found = {c.id: c for c in list_contacts().where(Contact.id.in_(chunk))}
        for contact_id in chunk:
            c = found[contact_id]
            rows.append([c.name, c.email or "", c.position, c.organisation, c.sector,
                         c.city.name if c.city_id else "", c.city.country if c.city_id else "", c.phone,
                         c.languages, c.tags, c.notes, "yes" if c.accepts_event_invitations else "no",
                         "yes" if c.accepts_network_news else "no", "yes" if c.do_not_contact else "no",
                         c.language])
    with database.atomic():
        record(actor, "contact.bulk_export", object_type="Contact", summary=f"Exported {plural(len(ids))} as CSV",
               changes={"count": len(ids), "ids": ids})
    return list(CONTACT_COLUMNS), rows
