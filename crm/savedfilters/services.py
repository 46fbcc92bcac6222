"""Saved filters: save, list, find and delete; only the secretariat (staff and admins) has them."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import peewee
from flask_babel import lazy_gettext as _l

from crm.audit.services import record
from crm.core.errors import DomainError
from crm.db import database
from crm.savedfilters.models import SavedFilter

# The list pages whose filters can be saved: endpoint → what the page lists (for messages).
PAGES = {"contacts.contact_list": _l("contacts"), "membership.city_list": _l("cities")}
NOT_KEPT = ("page",)  # which page of the results is not part of a filter


class SavedFilterError(DomainError):
    """A refusal to save, use or delete a saved filter, in words the user can act on."""


def _is_secretariat(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_secretariat", False))


def filter_query(query_string: str) -> str:
    """Return the query string of a list's filters: as given, less the page number."""
    pairs = parse_qsl(query_string or "", keep_blank_values=True)
    if not any(key in NOT_KEPT for key, _value in pairs):
        return (query_string or "").lstrip("?")
    return urlencode([(key, value) for key, value in pairs if key not in NOT_KEPT])


def visible_filters(user, page: str) -> list[SavedFilter]:
    """Return the saved filters of ``page`` that ``user`` may use: their own, then those shared by others."""
    if not _is_secretariat(user) or page not in PAGES:
        return []
    return list(SavedFilter.select()
                .where(SavedFilter.page == page,
                       (SavedFilter.owner == user.id) | (SavedFilter.shared == True))  # noqa: E712
                .order_by((SavedFilter.owner != user.id), SavedFilter.name, SavedFilter.id))


def save_filter(user, page: str, name: str, query_string: str, *, shared: bool = False) -> SavedFilter:
    """Save the filters of ``page`` under ``name`` for ``user`` (the same name again replaces them)."""
    if not _is_secretariat(user):
        raise SavedFilterError(_l("Only the secretariat can save filters."))
    if page not in PAGES:
        raise SavedFilterError(_l("The filters of this page cannot be saved."))
    name = " ".join((name or "").split())[:100]
    if not name:
        raise SavedFilterError(_l("Give the filter a name to find it again."))
    query = filter_query(query_string)
    with database.atomic():
        try:
            with database.atomic():
                saved = SavedFilter.create(owner=user.id, page=page, name=name, query=query, shared=shared)
        except peewee.IntegrityError:
            saved = SavedFilter.get(SavedFilter.owner == user.id, SavedFilter.page == page, SavedFilter.name == name)
            saved.query, saved.shared = query, shared
            saved.save()
        record(user, "saved_filter.save", saved, summary=f"Saved the filter {name} ({page})",
               changes={"query": query, "shared": shared})
    return saved


def usable_filter(user, filter_id: int) -> SavedFilter:
    """Return the saved filter ``filter_id`` if ``user`` may use it (their own or shared)."""
    saved = SavedFilter.get_or_none(SavedFilter.id == filter_id)
    if saved is None or not _is_secretariat(user) or not (saved.owner_id == user.id or saved.shared):
        raise SavedFilterError(_l("This saved filter does not exist or is not shared with you."))
    return saved


def delete_filter(user, filter_id: int) -> SavedFilter:
    """Delete a saved filter; only its owner may."""
    saved = usable_filter(user, filter_id)
    if saved.owner_id != user.id:
        raise SavedFilterError(_l("Only the person who saved this filter can delete it."))
    with database.atomic():
        saved.delete_instance()
        record(user, "saved_filter.delete", saved, summary=f"Deleted the saved filter {saved.name} ({saved.page})")
    return saved
