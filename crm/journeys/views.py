"""Journey pages: a city's and a contact's timeline with their engagement, and the dormant members list."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from crm.accounts.access import member_required, roles_required, secretariat_required
from crm.contacts.models import Contact
from crm.i18n import country_name
from crm.journeys import bp, services
from crm.membership.models import City
from crm.templating import viewer_zone
from crm.vocabulary import regions

DORMANT_MONTHS = (3, 6, 12, 18, 24, 36)
TIMELINE_SHOWN = 150  # newest entries on the page; "show all" gives the rest (a busy city has thousands)
DORMANT_PER_PAGE = 100


def _timeline(entries: list[services.Entry]) -> dict:
    """The template values of the timeline: the entries of the kind asked for, by month, the newest first."""
    kind = request.args.get("kind", "")
    kind = kind if kind in services.KINDS else ""
    shown = [e for e in entries if e.kind == kind] if kind else entries
    everything = request.args.get("all") == "1"
    return {"months": services.by_month(shown if everything else shown[:TIMELINE_SHOWN], viewer_zone()), "kind": kind,
            "kinds": _kinds_present(entries), "total": len(entries), "matching": len(shown),
            "cut": 0 if everything else max(0, len(shown) - TIMELINE_SHOWN)}


def _kinds_present(entries: list[services.Entry]) -> list[tuple[str, str, int]]:
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    return [(kind, label, counts[kind]) for kind, (_icon, label) in services.KINDS.items() if kind in counts]


@bp.route("/cities/<int:city_id>/journey")
@roles_required("admin", "staff", "member")
def city_journey(city_id):
    """A city's journey: everything that happened, month by month, with its engagement summary."""
    city = City.get_or_none(City.id == city_id)
    if city is None or not services.can_view_city_journey(current_user, city):
        abort(404)  # other cities' officials must not learn what a city did, nor that it exists
    entries = services.city_timeline(city, current_user)
    engagement = services.city_engagement(city, current_user, entries)
    return render_template("journeys/city_journey.html", city=city, engagement=engagement,
                           activity_sources=services.ACTIVITY_SOURCES, **_timeline(entries))


@bp.route("/journey")
@member_required
def my_journey():
    """A member city official's way to their own city's journey."""
    if current_user.city_id is None:
        abort(404)
    return redirect(url_for("journeys.city_journey", city_id=current_user.city_id))


@bp.route("/contacts/<int:contact_id>/journey")
@secretariat_required
def contact_journey(contact_id):
    """A person's journey with the network: records, events, advice and mail, month by month."""
    contact = Contact.get_or_none(Contact.id == contact_id) or abort(404)
    entries = services.contact_timeline(contact)
    engagement = services.contact_engagement(contact, entries)
    return render_template("journeys/contact_journey.html", contact=contact, engagement=engagement,
                           **_timeline(entries))


@bp.route("/journeys/dormant")
@secretariat_required
def dormant():
    """Active member cities with no activity in the last N months, longest silence first, to reach out to."""
    months = request.args.get("months", type=int, default=12)
    months = months if months in DORMANT_MONTHS else 12
    region = request.args.get("region", "")
    region = region if region in regions() else ""
    found = services.dormant_cities(months, region=region)
    pages = max(1, -(-len(found) // DORMANT_PER_PAGE))
    page = min(max(request.args.get("page", type=int, default=1), 1), pages)
    shown = services.with_focal_points(found[(page - 1) * DORMANT_PER_PAGE:page * DORMANT_PER_PAGE])
    return render_template("journeys/dormant.html", dormant=shown,
                           found=len(found), page=page, pages=pages, first=(page - 1) * DORMANT_PER_PAGE + 1,
                           months=months, month_choices=DORMANT_MONTHS,
                           region=region, regions=regions(), country_name=country_name, active=services.active_member_count(region),
                           activity_sources=services.ACTIVITY_SOURCES)
