"""The search page and the peer-adviser search, with what each user may see filtered inside the index.

What a user may not see is never returned, counted in facets or shown in snippets: the visibility
filter is part of the Whoosh query (``crm.search`` filters), never applied to results afterwards.
"""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l

from crm import indexing
from crm.peers.expansion import expand_query
from crm.peers.matching import find_peers
from crm.peers.wording import reasons_text
from crm.search_backend import IndexStateCache

MEMBER_KINDS = ("city", "incident", "lesson", "toolkit_item")
STAFF_KINDS = MEMBER_KINDS + ("contact",)
KIND_LABELS = {"city": _l("Cities"), "incident": _l("Incidents"), "lesson": _l("Lessons"), "toolkit_item": _l("Toolkit"),
               "contact": _l("Contacts")}
FACETS = ("kind", "region", "phase", "year")
PUBLISHED_VISIBILITIES = ("public", "network", "cities")
# The last peer rankings (the same question asked again of an unchanged index gets the same answer; the
# ranking was four fifths of /api/peers' time).
RANKINGS = IndexStateCache(128)


def facet_label(facet: str, value: str) -> str:
    """Return the label people read for a facet value (region and phase keys become their names)."""
    from crm import vocabulary

    if facet == "kind":
        return KIND_LABELS.get(value, value)
    if facet in ("region", "phase"):
        return vocabulary.label(facet + "s", value)
    return value


def user_filters(user) -> dict:
    """Return the index filters of what ``user`` may see (staff: everything; members: per visibility)."""
    if getattr(user, "is_authenticated", False) and user.is_secretariat:
        return {"kinds": list(STAFF_KINDS)}
    if not getattr(user, "is_authenticated", False):
        return {"kinds": list(MEMBER_KINDS), "visibility": ["public"]}
    city_id = getattr(user, "city_id", None)
    return {"kinds": list(MEMBER_KINDS), "visibility": ["public", "network"],
            "viewer_city_id": str(city_id) if city_id else None}


def search(user, text: str, *, kind: str = "", region: str = "", phase: str = "", year: str = "",
           page: int = 1, pagelen: int = 20):
    """Search what ``user`` may see; returns crm.search.SearchResult (never raises on odd text)."""
    filters = user_filters(user)
    if kind:
        filters["kinds"] = [k for k in filters["kinds"] if k == kind]  # none left: nothing is found
    for name, value in (("region", region), ("phase", phase), ("year", year)):
        if value:
            filters[name] = value
    # The same concepts and language handling as the peer search, and city exonyms ("Nizza" -> Nice).
    text = expand_query(str(text or ""))
    return indexing.query_index(lambda ix: ix.search(text, filters, page=page, pagelen=pagelen,
                                                     facets=FACETS))


def peers(user, description: str, *, limit: int = 10, facets: dict | None = None, asking_city_id=None,
          needs=None, snippets: bool = True):
    """Rank peer cities for an incident description, as ``user`` may see the network (``snippets=False``: no
    highlighted passages, for callers that do not show them)."""
    is_staff = getattr(user, "is_authenticated", False) and user.is_secretariat
    viewer = None if is_staff else getattr(user, "city_id", None)
    if asking_city_id is None and viewer:
        asking_city_id = viewer
    visibility = PUBLISHED_VISIBILITIES if is_staff else ("public", "network")
    try:
        limit = max(1, min(int(limit), 50))
    except (TypeError, ValueError):
        limit = 10
    text = str(description or "")
    asking = str(asking_city_id) if asking_city_id else None
    viewer = str(viewer) if viewer else None
    question = (text, json.dumps(facets, sort_keys=True, default=list), json.dumps(needs, sort_keys=True, default=list),
                asking, limit, visibility, viewer, snippets)
    return indexing.query_index(lambda ix: RANKINGS.get(ix, question, lambda: find_peers(
        ix, text, facets=facets, needs=needs, asking_city_id=asking, limit=limit, visibility=visibility,
        viewer_city_id=viewer, snippets=snippets)))


def peers_json(matches, countries: dict | None = None) -> list[dict]:
    """Return the stable JSON shape of peer matches: city, country, score, reasons."""
    from crm.membership.models import City

    ids = [int(m.city_id) for m in matches if str(m.city_id).isdigit()]
    known = {c.id: c for c in City.select().where(City.id.in_(ids))} if ids else {}
    out = []
    for m in matches:
        city = known.get(int(m.city_id)) if str(m.city_id).isdigit() else None
        out.append({"city": city.name if city else m.city_name, "country": city.country if city else "",
                    "score": round(float(m.score), 4), "reasons": reasons_text(m)})
    return out
