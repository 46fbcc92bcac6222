"""The onboarding checklist of a member's home page: shown until the city has taken every first step."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.contacts.models import Contact
from crm.events.models import REGISTERED, Registration
from crm.features import member_panel
from crm.membership.models import City

# The profile fields a peer city looks at first when it looks for advice.
PROFILE_FIELDS = {"region": _l("region"), "population": _l("population"), "website": _l("website"),
                  "languages": _l("languages")}


def steps(city: City) -> list[dict]:
    """The first steps of ``city``, each with whether it is done and where to do it."""
    missing = [str(label) for name, label in PROFILE_FIELDS.items() if not getattr(city, name)]
    contacts = Contact.select(Contact.id).where(Contact.city == city)
    has_focal_point = contacts.where(Contact.city_role == "focal_point").exists()
    attended = (Registration.select(Registration.id)
                .where(Registration.contact.in_(contacts),
                       (Registration.status == REGISTERED) | Registration.checked_in_at.is_null(False))
                .exists())
    return [
        {"key": "profile", "done": not missing, "endpoint": ("membership.city_edit", {"city_id": city.id}),
         "text": _("Complete your city's profile"),
         "hint": _("Missing: %(fields)s.", fields=", ".join(missing)) if missing else _("Peer cities see who you are.")},
        {"key": "focal_point", "done": has_focal_point, "endpoint": ("membership.city_detail", {"city_id": city.id}),
         "text": _("Name a focal point"),
         "hint": _("The person the network calls when a city asks for your advice.")
                 if not has_focal_point else _("The network knows whom to call.")},
        {"key": "expertise", "done": bool(city.expertise), "endpoint": ("membership.city_edit", {"city_id": city.id}),
         "text": _("Say what your city knows"),
         "hint": _("Your areas of expertise let cities facing an incident find you.")},
        {"key": "event", "done": attended, "endpoint": ("events.event_list", {}),
         "text": _("Join your first event"),
         "hint": _("Workshops are where cities meet the peers they will call on.")},
    ]


@member_panel
def _first_steps(user):
    city = City.get_or_none(City.id == user.city_id) if user.city_id else None
    if city is None:
        return None
    found = steps(city)
    if all(step["done"] for step in found):
        return None  # a city that has taken every step no longer needs the list
    return {"title": _("Your first steps in the network"), "template": "onboarding/_home_steps.html", "order": 0,
            "data": {"steps": found, "done": sum(step["done"] for step in found)}}
