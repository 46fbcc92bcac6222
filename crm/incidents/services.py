"""Incidents: record, edit and delete a city's incidents; the facet vocabulary that staff extend."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import force_locale
from flask_babel import gettext as _

from crm.audit.services import record
from crm.core.errors import DomainError
from crm.core.operations import clean_values, update_record
from crm.db import database
from crm.incidents.models import FACETS, INCIDENT_VISIBILITIES, FacetTerm, Incident
from crm.membership.models import City
from crm.peers.language import WRITTEN_LANGUAGES, detected_language

INCIDENT_FIELDS = ("occurred_on", "title", "summary", "facets", "scale", "response", "visibility", "language")


class IncidentError(DomainError):
    """A user-facing refusal: the message says what happened and what to do."""


def can_edit(user, city: City) -> bool:
    """Staff and the city's own member users edit a city's incidents."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_secretariat or (user.role == "member" and user.city_id == city.id)


def can_view(user, incident: Incident) -> bool:
    """Incidents are for the network (signed-in users) unless the city made them public."""
    return incident.visibility == "public" or bool(getattr(user, "is_authenticated", False))


def facet_terms() -> dict[str, dict[str, str]]:
    """Return {facet: {key: label}} of the controlled vocabulary, in display order."""
    out: dict[str, dict[str, str]] = {facet: {} for facet in FACETS}
    for term in FacetTerm.select().order_by(FacetTerm.facet, FacetTerm.position, FacetTerm.label):
        out.setdefault(term.facet, {})[term.key] = term.label
    return out


def facet_label(facet: str, key: str) -> str:
    """Return the label of a facet value (the key, readable, when unknown)."""
    term = FacetTerm.get_or_none(FacetTerm.facet == facet, FacetTerm.key == key)
    return term.label if term else key.replace("_", " ")


def clean_facets(facets: dict | None) -> dict[str, list[str]]:
    """Keep the known facets and the values of the controlled vocabulary."""
    known = facet_terms()
    out = {}
    for facet, keys in (facets or {}).items():
        if facet in known:
            values = [k for k in dict.fromkeys(keys or ()) if k in known[facet]]
            if values:
                out[facet] = values
    return out


def extract_facets(text: str) -> dict[str, list[str]]:
    """Return the facets the engine's concept extraction finds in free text (any supported language)."""
    from crm.peers.concepts import extract_concepts

    found = extract_concepts(text or "")
    return clean_facets({facet: sorted(keys) for facet, keys in found.items() if facet in FACETS})


def add_facet_term(facet: str, label: str, *, actor, key: str | None = None) -> FacetTerm:
    """Add a value to a facet's vocabulary (staff)."""
    label = (label or "").strip()
    if facet not in FACETS:
        raise IncidentError(f"Unknown facet {facet!r}: choose one of {', '.join(FACETS)}.")
    if not label:
        raise IncidentError(_("Give the new value a label."))
    key = key or re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:60]
    if not key:
        raise IncidentError(_("The label needs at least one letter or digit."))
    if FacetTerm.get_or_none(FacetTerm.facet == facet, FacetTerm.key == key):
        raise IncidentError(_("“%(label)s” is already in the vocabulary of %(facet)s.", label=label,
                               facet=str(FACETS[facet]).lower()))
    with database.atomic():
        position = (FacetTerm.select().where(FacetTerm.facet == facet).count()) + 1
        term = FacetTerm.create(facet=facet, key=key, label=label[:120], position=position)
        with force_locale("en"):  # the audit log is kept in English
            facet_name = str(FACETS[facet]).lower()
        record(actor, "facet_term.create", term, summary=f"Added {facet_name} “{label}”",
               changes={"facet": facet, "key": key})
    return term


def _clean(values: dict, incident: Incident | None = None) -> dict:
    values = clean_values(values, INCIDENT_FIELDS, IncidentError, required={"title": _("Give the incident a title.")})
    if "language" in values:
        if not values["language"]:  # not chosen: the language of what was typed (as lessons do)
            values["language"] = detected_language(values.get("title", getattr(incident, "title", "")),
                                                   values.get("summary", getattr(incident, "summary", "")))
        elif values["language"] not in WRITTEN_LANGUAGES:
            raise IncidentError(_("Choose the language the incident is written in."))
    if "facets" in values:
        values["facets"] = clean_facets(values["facets"])
    if values.get("visibility", "network") not in INCIDENT_VISIBILITIES:
        raise IncidentError(_("Choose who may see the incident: the network or the public."))
    if isinstance(values.get("occurred_on"), str):
        try:
            values["occurred_on"] = dt.date.fromisoformat(values["occurred_on"]) if values["occurred_on"] else None
        except ValueError as exc:
            raise IncidentError(_("Give the date as YYYY-MM-DD.")) from exc
    for key in ("summary", "scale", "response"):
        if key in values:
            values[key] = (values[key] or "").strip()
    return values


def create_incident(city: City, values: dict, *, actor) -> Incident:
    """Record an incident in a city's history (staff or the city's members)."""
    if actor is not None and not can_edit(actor, city):
        raise PermissionError("You may record incidents only for your own city.")
    values = _clean({"language": "", **values})
    with database.atomic():
        incident = Incident.create(city=city, created_by=getattr(actor, "id", None), **values)
        record(actor, "incident.create", incident, summary=f"Recorded incident “{incident.title}” of {city.name}",
               changes={k: v for k, v in values.items() if k != "summary"})
    return incident


def update_incident(incident: Incident, values: dict, *, actor) -> Incident:
    """Change an incident (staff or the city's members)."""
    if not can_edit(actor, incident.city):
        raise PermissionError("You may edit incidents only of your own city.")
    values = _clean(values, incident)
    update_record(incident, values, actor=actor, action="incident.update", summary="Edited incident “{obj.title}”",
                  audited=lambda changes: {k: v for k, v in changes.items() if k not in ("summary", "response")})
    return incident


def split_plan(values: dict) -> list[dict]:
    """Return the incidents a form's values make when saved one per attack ([] when the summary tells of one).

    Each part keeps the form's title with its own year, the facets chosen on the form that its own text
    names (a chosen value no part names stays with the first) and the form's visibility; the form's date
    goes to the part of its year (else the first), a part of one year gets that year; scale and response
    stay with the first part.
    """
    from crm.peers.concepts import split_incidents

    parts = split_incidents((values.get("summary") or "").strip())
    if len(parts) < 2:
        return []
    chosen = clean_facets(values.get("facets"))
    found = [extract_facets(part) for part in parts]
    date = values.get("occurred_on") if isinstance(values.get("occurred_on"), dt.date) else None
    years = [_single_year(part) for part in parts]
    date_part = next((n for n, year in enumerate(years) if date and year == date.year), 0)
    plans = []
    for n, (part, named) in enumerate(zip(parts, found, strict=True)):
        year, first_year = years[n], re.search(r"\b(?:1[89]\d\d|20\d\d)\b", part)
        facets = {facet: [key for key in keys if key in named.get(facet, [])
                          or (n == 0 and not any(key in other.get(facet, []) for other in found))]
                  for facet, keys in chosen.items()}
        title = (values.get("title") or "").strip()
        plans.append({
            "title": f"{title} ({first_year.group()})" if first_year and first_year.group() not in title
            else f"{title} ({n + 1} of {len(parts)})",
            "summary": part, "facets": {k: v for k, v in facets.items() if v},
            "occurred_on": date if date and n == date_part else dt.date(year, 1, 1) if year else None,
            "scale": values.get("scale", "") if n == 0 else "",
            "response": values.get("response", "") if n == 0 else "",
            "visibility": values.get("visibility", "network"), "language": values.get("language", "")})
    return plans


def save_split(city: City, plans: list[dict], *, actor, incident: Incident | None = None) -> list[Incident]:
    """Save one incident per planned part: the first updates ``incident`` when editing, the others are new."""
    with database.atomic():
        if incident is not None:
            saved = [update_incident(incident, plans[0], actor=actor)]
        else:
            saved = [create_incident(city, plans[0], actor=actor)]
        saved += [create_incident(city, plan, actor=actor) for plan in plans[1:]]
    return saved


def _single_year(text: str) -> int | None:
    years = set(re.findall(r"\b(?:1[89]\d\d|20\d\d)\b", text))
    return int(years.pop()) if len(years) == 1 else None


def delete_incident(incident: Incident, *, actor) -> None:
    """Delete an incident; lessons drawn from it stay, unlinked."""
    if not can_edit(actor, incident.city):
        raise PermissionError("You may delete incidents only of your own city.")
    with database.atomic():
        record(actor, "incident.delete", incident, summary=f"Deleted incident “{incident.title}”")
        incident.delete_instance()


def record_from_text(city: City, summary: str, *, actor=None, title: str | None = None) -> Incident:
    """Store free text (an import's incident_summary) as network-only incidents, one per attack it tells of.

    A summary of several attacks ("In 2016 … In June 2022 …") becomes several incidents, so that each
    keeps the facets of its own attack; the first is returned.
    """
    from crm.peers.concepts import split_incidents

    summary = (summary or "").strip()
    parts = split_incidents(summary) or [summary]
    incidents = [_record_one(city, part, actor=actor, title=title if len(parts) == 1 else None) for part in parts]
    return incidents[0]


def _record_one(city: City, summary: str, *, actor=None, title: str | None = None) -> Incident:
    first = re.split(r"(?<=[.!?])\s", summary, maxsplit=1)[0]
    title = title or (first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…")
    existing = Incident.get_or_none(Incident.city == city, Incident.summary == summary)
    if existing is not None:
        return existing
    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", summary)
    occurred_on = dt.date(int(year.group()), 1, 1) if year and len(set(re.findall(
        r"\b(?:1[89]\d\d|20\d\d)\b", summary))) == 1 else None
    with database.atomic():
        incident = Incident.create(city=city, title=title or f"Incident in {city.name}", summary=summary,
                                   language=detected_language(title, summary), facets=extract_facets(summary), visibility="network", occurred_on=occurred_on,
                                   created_by=getattr(actor, "id", None))
        record(actor, "incident.create", incident, summary=f"Imported incident of {city.name}")
    return incident


def list_incidents(*, city_id=None, facet: str = "", public_only: bool = False):
    """Return incidents, newest first, optionally of one city or with one facet value (``attack:shooting``)."""
    query = Incident.select(Incident, City).join(City).order_by(Incident.occurred_on.desc(nulls="LAST"), Incident.id.desc())
    if city_id:
        query = query.where(Incident.city == city_id)
    if public_only:
        query = query.where(Incident.visibility == "public")
    if facet and ":" in facet:
        _name, _, key = facet.partition(":")
        query = query.where(Incident.facets.contains(f'"{key}"'))
    return query
