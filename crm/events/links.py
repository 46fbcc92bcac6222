"""Events: signed tokens and the public links mailed to people, and the mail context."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _

from crm.core import tokens
from crm.core.urls import absolute_url
from crm.events.errors import EventError
from crm.events.models import Event, Invitation, Registration
from crm.events.timezones import format_local

INVITATION_SALT = "event-invitation"
REGISTRATION_SALT = "event-registration"
FEED_SALT = "event-feed"


def make_token(obj, salt: str) -> str:
    """Return a signed token naming ``obj`` (an invitation, registration or user)."""
    return tokens.sign({"id": obj.id}, salt)


def _load_token(token: str, salt: str) -> int:
    data = tokens.unsign_or_refuse(token, salt, EventError, invalid=_("This link is not valid. Check that you copied "
                                                                          "all of it, or write to the secretariat for a new one."))
    return int(data["id"])


def invitation_for_token(token: str) -> Invitation:
    inv = Invitation.get_or_none(Invitation.id == _load_token(token, INVITATION_SALT))
    if inv is None:
        raise EventError(_("This invitation no longer exists. Write to the secretariat if you think it should."))
    return inv


def registration_for_token(token: str) -> Registration:
    reg = Registration.get_or_none(Registration.id == _load_token(token, REGISTRATION_SALT))
    if reg is None:
        raise EventError(_("This registration no longer exists. Write to the secretariat if you think it should."))
    return reg


def user_id_for_feed_token(token: str) -> int:
    return _load_token(token, FEED_SALT)


def manage_link(reg: Registration) -> str:
    return absolute_url("events.manage_registration", token=make_token(reg, REGISTRATION_SALT))


def event_link(event: Event) -> str:
    return absolute_url("events.event_detail", event_id=event.id)


def mail_time(event: Event, value) -> LazyString:
    """A time of ``event`` for a mail, formatted when the mail is rendered: in its recipient's language."""
    return LazyString(format_local, event, value, viewer=False)


def mail_context(event: Event, reg: Registration | None = None) -> dict:
    ctx = {"event": event, "when": mail_time(event, event.starts_at), "until": mail_time(event, event.ends_at),
           "event_url": event_link(event)}
    if reg is not None:
        ctx.update(reg=reg, contact=reg.contact, manage_url=manage_link(reg))
    return ctx
