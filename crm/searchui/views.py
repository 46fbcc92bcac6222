"""The search page and ``GET /api/peers``."""

from __future__ import annotations

from flask import jsonify, make_response, render_template, request, url_for
from flask_login import current_user

from crm import indexing
from crm.accounts.access import roles_required
from crm.search_backend import SearchResult
from crm.searchui import bp, services


def _link(hit) -> str | None:
    kind, _, raw = hit.doc_id.partition(":")
    if not raw.isdigit():
        return None
    endpoints = {"city": ("membership.city_detail", "city_id"), "incident": ("incidents.incident_detail", "incident_id"),
                 "lesson": ("lessons.lesson_detail", "lesson_id"), "contact": ("contacts.contact_detail", "contact_id")}
    if kind == "toolkit_item":
        return url_for("lessons.toolkit") + f"#{hit.fields.get('phase', '')}"
    if kind in endpoints:
        endpoint, arg = endpoints[kind]
        try:
            return url_for(endpoint, **{arg: int(raw)})
        except Exception:  # a feature's page not installed yet
            return None
    return None


@bp.route("/search")
def search_page():
    """Search cities, incidents, lessons and the toolkit (and contacts, for staff): only what you may see."""
    q = request.args.get("q", "")[:10000]
    page = request.args.get("page", 1, type=int) or 1
    kind = request.args.get("kind", "")
    region = request.args.get("region", "")
    phase = request.args.get("phase", "")
    year = request.args.get("year", "")
    try:
        result = services.search(current_user, q, kind=kind, region=region, phase=phase, year=year, page=page)
    except indexing.SearchUnavailable as exc:
        return _unavailable(render_template("search/search.html", q=q, result=SearchResult([], 0, 1, 20), pages=1,
                                            link=_link, kind=kind, region=region, phase=phase, year=year,
                                            kind_labels=services.KIND_LABELS, facet_label=services.facet_label,
                                            unavailable=str(exc)))
    pages = max(1, -(-result.total // result.pagelen))
    return render_template("search/search.html", q=q, result=result, pages=pages, link=_link,
                           kind=kind, region=region, phase=phase, year=year, kind_labels=services.KIND_LABELS,
                           facet_label=services.facet_label)


@bp.route("/api/peers")
@roles_required("admin", "staff", "member")
def api_peers():
    """Peer cities for ``q`` (an incident description in any language), best first, as JSON."""
    q = request.args.get("q", "")[:20000]
    limit = request.args.get("limit", 10, type=int) or 10
    try:
        # The JSON carries no snippet: building them was 40% of this answer's time.
        matches = services.peers(current_user, q, limit=limit, snippets=False)
    except indexing.SearchUnavailable as exc:
        return _unavailable(jsonify({"error": str(exc)}))
    return jsonify(services.peers_json(matches))


def _unavailable(body):
    """Answer 503 with Retry-After while the index is rebuilt (never a generic 500)."""
    response = make_response(body, 503)
    response.headers["Retry-After"] = "10"
    return response
