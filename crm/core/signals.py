"""How one feature tells the others that something happened (blinker signals, as Indico's ``signals``).

A feature sends; the features concerned answer with receivers they connect in the modules their
``Feature(receivers=...)`` names (imported when the app is built). Receivers run synchronously, in the
sender's transaction, so answering a signal behaves exactly like the direct call it replaces.
"""

from __future__ import annotations

from flask.signals import Namespace

_signals = Namespace()

#: Something worth an audit entry happened: ``send(actor, action=..., obj=..., summary=..., changes=...)``;
#: the audit log answers with the entry it wrote.
audited = _signals.signal("audited")

#: A city page asks for the city's history: ``send(city, user=...)``; each feature answers with a dict
#: of what it adds (``lessons``), merged into the incidents' answer by the caller.
city_history = _signals.signal("city-history")

#: An incident page asks what was drawn from the incident: ``send(incident, user=...)``; answers are
#: lists (the lessons the user may read), joined by the caller.
drawn_from_incident = _signals.signal("drawn-from-incident")

#: An application was approved and its city created: ``send(city, application=..., actor=...)``, inside
#: the approving transaction; the contacts feature records the applicant, leader and focal point.
application_approved = _signals.signal("application-approved")

#: A city page or a membership mail asks for a city's contacts: ``send(city, focal_points=bool)``; the
#: contacts feature answers with them (focal points with an address only, when asked).
city_contacts = _signals.signal("city-contacts")

#: Demo or reference data adds people to a city: ``send(city, people=[{...}])``; the contacts feature
#: answers with the number of contacts it created.
city_people_seeded = _signals.signal("city-people-seeded")

#: The contact list's bulk actions ask which mailing lists a selection may join: ``send(None)``; the
#: mailings feature answers with ``[(id, name)]``.
mailing_list_choices = _signals.signal("mailing-list-choices")

#: Staff put contacts on a mailing list in bulk: ``send(list_id, contact_ids=[...], actor=...)``, inside the
#: caller's transaction; the mailings feature answers with ``{"list": name, "added": [ids], "already": [ids],
#: "unsubscribed": [ids]}`` or None for an unknown list, and never overrides an unsubscribe.
contacts_subscribed = _signals.signal("contacts-subscribed")

#: The contact list's bulk actions ask which events a selection may be invited to: ``send(None)``; the events
#: feature answers with ``[(id, label)]`` of its upcoming draft and published events, the soonest first.
invitable_events = _signals.signal("invitable-events")


def answers(signal, sender, **kwargs) -> list:
    """Send ``signal`` and return the receivers' answers, in the order they were connected."""
    return [value for _receiver, value in signal.send(sender, **kwargs)]
