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
#: of what it adds (incidents, lessons), merged by the caller.
city_history = _signals.signal("city-history")


def answers(signal, sender, **kwargs) -> list:
    """Send ``signal`` and return the receivers' answers, in the order they were connected."""
    return [value for _receiver, value in signal.send(sender, **kwargs)]
