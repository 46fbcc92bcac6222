"""Events: who may see which event, and the calendar feed."""

from __future__ import annotations

from crm.accounts.services import normalise_email
from crm.contacts.models import Contact
from crm.events.links import FEED_SALT, make_token
from crm.events.models import CANCELLED, COMPLETED, DRAFT, PUBLISHED, Event, Invitation


def contact_for_user(user, *, create: bool = False) -> Contact | None:
    """Return the contact with the user's email (creating it, linked to their city, if asked)."""
    email = normalise_email(getattr(user, "email", ""))
    if not email:
        return None
    contact = Contact.get_or_none(Contact.email == email)
    if contact is None and create:
        contact = Contact.create(name=user.name or email, email=email, city=getattr(user, "city", None))
    return contact


def is_staff(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_secretariat)


def can_see(event: Event, user) -> bool:
    """Return whether ``user`` (maybe anonymous) may see ``event``."""
    if is_staff(user):
        return True
    if event.status == DRAFT:
        return False
    if event.visibility == "public":
        return True
    return bool(user is not None and getattr(user, "is_authenticated", False))


def visible_events(user):
    """Return the events listed for ``user``, soonest first: drafts for staff only, and
    invitation-only events only to staff and the people invited (others reach their page by link,
    where they read that it is by invitation only)."""
    query = Event.select().order_by(Event.starts_at)
    if is_staff(user):
        return query
    query = query.where(Event.status != DRAFT)
    if not (user is not None and getattr(user, "is_authenticated", False)):
        return query.where(Event.visibility == "public")
    contact = contact_for_user(user)
    cond = Event.visibility != "invitation"
    if contact is not None:
        cond = cond | Event.id.in_(Invitation.select(Invitation.event).where(Invitation.contact == contact))
    return query.where(cond)


def feed_events(user):
    """Return the published (or cancelled, so calendars drop them) events for ``user``'s calendar feed."""
    return visible_events(user).where(Event.status.in_([PUBLISHED, CANCELLED, COMPLETED]))


def feed_token(user) -> str:
    return make_token(user, FEED_SALT)
