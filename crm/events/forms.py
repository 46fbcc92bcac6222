"""Forms of the events feature: they validate and never save."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
    validators,
    widgets,
)

from crm.core.zones import country_zone, zone_choices
from crm.events.models import KINDS, SESSION_KINDS, VISIBILITIES
from crm.events.timezones import to_utc
from crm.forms import choices, email_field_validators, strip
from crm.peers.language import WrittenLanguageField

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def vocabulary(kind: str) -> list[tuple[str, str]]:
    """Return (key, label) pairs of a vocabulary list in seeds/vocabulary.json (read once per process)."""
    from crm.vocabulary import pairs

    return list(pairs(kind).items())


def city_choices(blank: str | None = None) -> list:
    from crm.membership.models import City

    return choices([("", _("— none —") if blank is None else blank)] + [(str(c.id), f"{c.name} ({c.country})")
                                    for c in City.select().order_by(City.name)])


def _zone_by_city() -> dict[str, str]:
    from crm.membership.models import City

    zones = {}
    for city in City.select(City.id, City.country):
        zone = country_zone(city.country)
        if zone:
            zones[str(city.id)] = zone
    return zones


class EventForm(FlaskForm):
    """Create or change an event; times are typed in the event's own time zone."""

    title = StringField(_l("Title"), filters=[strip], validators=[validators.InputRequired(_l("Give the event a title.")),
                                                               validators.Length(max=200)],
                        description=_l("As participants will see it, e.g. 'Responding to hate: two-day workshop'."))
    kind = SelectField(_l("Kind"), validators=[validators.InputRequired()], description=_l("What sort of event this is."))
    description = TextAreaField(_l("Description"), validators=[validators.Length(max=20000)], render_kw={"rows": 8},
                                description=_l("Markdown: **bold**, *italic*, lists, links. Shown on the event page."))
    language = WrittenLanguageField(_l("Language"),
                           description=_l("The language the title and description are written in. Left on "
                                          "“Detect from the text”, it is read from what you wrote."))
    host_city = SelectField(_l("Host city"), description=_l("The member city hosting the event, if any."))
    venue = StringField(_l("Venue"), filters=[strip], validators=[validators.Length(max=200)],
                        description=_l("Name of the place, e.g. 'Oslo City Hall'. Leave empty for online events."))
    address = StringField(_l("Address"), filters=[strip], validators=[validators.Length(max=300)],
                          description=_l("Street address, as a visitor would need it."))
    online_url = URLField(_l("Online link"), filters=[strip], validators=[validators.Optional(), validators.URL(
        message=_l("Enter a full address starting with https://")), validators.Length(max=500)],
        description=_l("Link to join online (webinars, hybrid events)."))
    timezone = SelectField(_l("Time zone"), default="Europe/Oslo", validators=[validators.InputRequired()],
                           description=_l("The event's local time zone: all times below are in this zone."))
    starts_local = DateTimeLocalField(_l("Starts"), format=DT_FORMATS,
                                      validators=[validators.InputRequired(_l("Enter when the event starts."))],
                                      description=_l("Local date and time of the start."))
    ends_local = DateTimeLocalField(_l("Ends"), format=DT_FORMATS,
                                    validators=[validators.InputRequired(_l("Enter when the event ends."))],
                                    description=_l("Local date and time of the end."))
    capacity = IntegerField(_l("Capacity"), validators=[validators.Optional(), validators.NumberRange(
        min=1, max=100000, message=_l("Enter a number of seats of at least 1."))],
        description=_l("Number of seats. Leave empty for no limit. Raising it offers the new seats to people waiting."))
    waiting_list = BooleanField(_l("Keep a waiting list when full"), default=True,
                                description=_l("People who register when every seat is taken join a waiting list."))
    registration_opens_local = DateTimeLocalField(_l("Registration opens"), format=DT_FORMATS,
                                                  validators=[validators.Optional()],
                                                  description=_l("Leave empty to open as soon as it is published."))
    registration_closes_local = DateTimeLocalField(_l("Registration closes"), format=DT_FORMATS,
                                                   validators=[validators.Optional()],
                                                   description=_l("Leave empty to keep it open until the start."))
    audience_sectors = SelectMultipleField(_l("Audience"), description=_l("Sectors the event is meant for."))
    visibility = SelectField(_l("Visibility"), default="members", validators=[validators.InputRequired()], description=_l("Who can see the event and register."))
    offer_hours = IntegerField(_l("Hours to confirm a freed seat"), default=48, validators=[
        validators.InputRequired(_l("Enter a number of hours.")), validators.NumberRange(min=1, max=720)],
        description=_l("When a seat frees up, the first person waiting has this long to confirm it."))
    reminder_days = IntegerField(_l("Reminder, days before"), default=3, validators=[
        validators.InputRequired(_l("Enter a number of days.")), validators.NumberRange(min=0, max=60)],
        description=_l("Registered people get a reminder with a calendar file this many days before."))
    invitation_reminder_days = IntegerField(_l("Remind unanswered invitations every (days)"), default=7, validators=[
        validators.InputRequired(_l("Enter a number of days (0 for none).")), validators.NumberRange(min=0, max=60)],
        description=_l("Invitees who have not answered are reminded at this interval (0: never)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(KINDS)
        self.visibility.choices = choices(VISIBILITIES)
        self.host_city.choices = city_choices()
        stored = getattr(kwargs.get("obj"), "timezone", None)  # an old alias stays choosable on its own event
        self.timezone.choices = zone_choices(stored)
        self.timezone.render_kw = {"data-searchable": _("zones by city or country")}
        if kwargs.get("obj") is None:  # a new event: the host city's zone is chosen until the user picks one
            self.timezone.render_kw["data-zone-by-city"] = json.dumps(_zone_by_city())
        self.audience_sectors.choices = choices(vocabulary("sectors"))

    def validate_ends_local(self, field):
        if self.starts_local.data and field.data and field.data <= self.starts_local.data:
            raise validators.ValidationError(_("The end must be after the start."))

    def validate_registration_closes_local(self, field):
        if field.data and self.registration_opens_local.data and field.data <= self.registration_opens_local.data:
            raise validators.ValidationError(_("Registration must close after it opens."))

    def values(self) -> dict:
        """Return the service's values: times converted from the event's zone to UTC."""
        from crm.membership.models import City

        zone = self.timezone.data
        return {
            "title": self.title.data, "kind": self.kind.data, "description": self.description.data or "",
            "language": self.language.data or "",
            "host_city": City.get_or_none(City.id == int(self.host_city.data)) if self.host_city.data else None,
            "venue": self.venue.data or "", "address": self.address.data or "",
            "online_url": self.online_url.data or "", "timezone": zone,
            "starts_at": to_utc(self.starts_local.data, zone), "ends_at": to_utc(self.ends_local.data, zone),
            "capacity": self.capacity.data, "waiting_list": bool(self.waiting_list.data),
            "registration_opens_at": to_utc(self.registration_opens_local.data, zone),
            "registration_closes_at": to_utc(self.registration_closes_local.data, zone),
            "audience_sectors": list(self.audience_sectors.data or []), "visibility": self.visibility.data,
            "offer_hours": self.offer_hours.data, "reminder_days": self.reminder_days.data,
            "invitation_reminder_days": self.invitation_reminder_days.data,
        }


class SessionForm(FlaskForm):
    """One agenda item; times are in the event's zone."""

    day = DateField(_l("Day"), validators=[validators.InputRequired(_l("Choose the day."))],
                    description=_l("The day of the session, in the event's time zone."))
    start = TimeField(_l("Starts"), validators=[validators.InputRequired(_l("Enter the start time."))],
                      description=_l("Local start time, e.g. 09:30."))
    end = TimeField(_l("Ends"), validators=[validators.InputRequired(_l("Enter the end time."))],
                    description=_l("Local end time."))
    title = StringField(_l("Title"), filters=[strip], validators=[validators.InputRequired(_l("Give the session a title.")),
                                                               validators.Length(max=200)],
                        description=_l("E.g. 'Opening: what cities learned after 22 July'."))
    kind = SelectField(_l("Kind"), validators=[validators.InputRequired()],
                       description=_l("Site visits appear highlighted on the timetable."))
    place = StringField(_l("Room or place"), filters=[strip], validators=[validators.Length(max=200)],
                        description=_l("Room, or the place of a site visit."))
    description = TextAreaField(_l("Notes"), validators=[validators.Length(max=5000)],
                                description=_l("Optional details, in Markdown."))
    speakers = SelectMultipleField(_l("Speakers"), description=_l("Contacts speaking: find them by name or organisation."))

    def __init__(self, *args, **kwargs):
        from crm.contacts.models import Contact

        super().__init__(*args, **kwargs)
        self.kind.choices = choices(SESSION_KINDS)
        self.speakers.choices = choices([(str(c.id), f"{c.name}" + (f" — {c.organisation}" if c.organisation else ""))
                                         for c in Contact.select(Contact.id, Contact.name, Contact.organisation)
                                         .order_by(Contact.name)])

    def chosen_speakers_first(self) -> None:
        """Put the speakers already chosen at the top, so a long list never hides who speaks."""
        chosen = {str(v) for v in (self.speakers.data or [])}
        self.speakers.choices = sorted(self.speakers.choices, key=lambda choice: choice.value not in chosen)

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise validators.ValidationError(_("The end must be after the start."))


class RegistrationDetailsForm(FlaskForm):
    """What a person registering tells us besides who they are."""

    accessibility_needs = TextAreaField(_l("Accessibility needs"), filters=[strip], validators=[validators.Length(max=2000)],
                                        description=_l("Step-free access, sign language, hearing loop… We will be in touch."))
    dietary_needs = TextAreaField(_l("Dietary needs"), filters=[strip], validators=[validators.Length(max=2000)],
                                  description=_l("Allergies, vegetarian, halal, kosher…"))
    consent_listed = BooleanField(_l("Show my name, position and organisation on the participant list"),
                                  description=_l("The list is shared with the other participants."))
    consent_share_email = BooleanField(_l("Also share my email address with the other participants"),
                                       description=_l("Only if you also agreed to appear on the list."))

    def details(self) -> dict:
        return {"accessibility_needs": self.accessibility_needs.data or "",
                "dietary_needs": self.dietary_needs.data or "",
                "consent_listed": bool(self.consent_listed.data),
                "consent_share_email": bool(self.consent_listed.data and self.consent_share_email.data)}


class PublicRegistrationForm(RegistrationDetailsForm):
    """The public form of a public event."""

    name = StringField(_l("Your name"), filters=[strip], validators=[validators.InputRequired(_l("Enter your name.")),
                                                                  validators.Length(max=200)],
                       description=_l("As it should appear on your name badge."))
    email = EmailField(_l("Email"), filters=[strip], validators=email_field_validators(),
                       description=_l("We send your confirmation and a link to change or cancel it here."))
    organisation = StringField(_l("Organisation"), filters=[strip], validators=[validators.Length(max=200)],
                               description=_l("The city, agency or organisation you work for."))
    sector = SelectField(_l("Sector"), validators=[validators.InputRequired(_l("Choose a sector."))],
                         description=_l("The kind of organisation you work for."))
    city = SelectField(_l("Member city"), description=_l("If you work for or with a member city."))
    website = StringField(_l("Leave this empty"), description=_l("This field is a trap for spam robots."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = choices(vocabulary("sectors"))
        self.city.choices = city_choices(_("— none, or not listed —"))

    def person(self) -> dict:
        from crm.membership.models import City

        return {"name": self.name.data, "email": self.email.data, "organisation": self.organisation.data or "",
                "sector": self.sector.data,
                "city": City.get_or_none(City.id == int(self.city.data)) if self.city.data else None}

    def details(self) -> dict:
        return {**super().details(), "organisation": self.organisation.data or "", "sector": self.sector.data}


class InviteForm(FlaskForm):
    """Choose contacts (found with the filters) and send them personal invitations."""

    contacts = SelectMultipleField(_l("Contacts"), widget=widgets.ListWidget(prefix_label=False),
                                   option_widget=widgets.CheckboxInput(),
                                   validators=[validators.InputRequired(_l("Tick at least one contact."))],
                                   description=_l("Only people who may be invited can be ticked."))
    message = TextAreaField(_l("Personal message"), filters=[strip], validators=[validators.Length(max=3000)],
                            description=_l("Added to each invitation, e.g. why you think they should come."))
    confirmed = HiddenField(default="")


class MoveForm(FlaskForm):
    """Staff move a registration by hand."""

    action = SelectField(_l("Move to"), description=_l("Registered needs a free seat."))
    position = IntegerField(_l("Waiting-list position"), validators=[validators.Optional(), validators.NumberRange(min=1)],
                            description=_l("Where on the waiting list (empty: at the end)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = choices([("register", _("Registered")), ("wait", _("Waiting list")), ("cancel", _("Cancelled"))])


class CancelEventForm(FlaskForm):
    """Cancel an event, with a reason mailed to everyone registered."""

    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[
        validators.InputRequired(_l("Say why, in a sentence: it goes to everyone registered.")),
        validators.Length(max=2000)], description=_l("Mailed to everyone registered or waiting."))


class WalkInForm(FlaskForm):
    """Someone who turned up without registering."""

    name = StringField(_l("Name"), filters=[strip], validators=[validators.InputRequired(_l("Enter the person's name.")),
                                                             validators.Length(max=200)],
                       description=_l("As on their badge."))
    email = EmailField(_l("Email"), filters=[strip], validators=email_field_validators(required=False),
                       description=_l("Links them to their contact record if we know them."))
    organisation = StringField(_l("Organisation"), filters=[strip], validators=[validators.Length(max=200)],
                               description=_l("Where they work."))
    sector = SelectField(_l("Sector"), description=_l("The kind of organisation."))
    over_capacity = BooleanField(_l("Add over capacity"), description=_l("Every seat is taken: add them anyway, "
                                 "recorded as a walk-in over capacity."))
    override = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = choices(vocabulary("sectors"))


class ActionForm(FlaskForm):
    """A button that posts (CSRF-protected)."""

    next = HiddenField()
