"""Membership: applications and their review, member cities and their status lifecycle."""

from __future__ import annotations

import datetime as dt
import uuid

import peewee
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.accounts.models import User
from crm.audit.services import record
from crm.core import signals, tokens
from crm.core.errors import DomainError
from crm.core.names import default_region, fold_name
from crm.core.operations import required_text, update_record
from crm.core.urls import absolute_url
from crm.db import database, on_days, utcnow
from crm.i18n import country_name, supported
from crm.mail import queue_mail
from crm.membership.models import (
    APPLICATION_STATUSES,
    CITY_STATUSES,
    OPEN_APPLICATION_STATUSES,
    Application,
    ApplicationEvent,
    City,
    CityStatusChange,
)

CONSENT_VERSION = "2026-01"
CONSENT_TEXT = ("I agree that the network's secretariat stores and processes the information in this form to "
                "review the application and, if it is approved, to run the membership. The data is not shared "
                "outside the network; we delete it on request.")
STATUS_SALT = "application-status"

# Fields a city's own member users may change; the secretariat may change every field of MEMBER_FIELDS + STAFF_FIELDS.
MEMBER_FIELDS = ("website", "population", "languages", "expertise", "focal_point_available")
STAFF_FIELDS = ("name", "country", "region", "level", "joined_on")

POPULATION_BANDS = {
    "small": (_l("Under 100,000"), 0, 100_000),
    "medium": (_l("100,000 – 500,000"), 100_000, 500_000),
    "large": (_l("500,000 – 1 million"), 500_000, 1_000_000),
    "very_large": (_l("Over 1 million"), 1_000_000, None),
}


class MembershipError(DomainError):
    """A user-facing refusal: the message says what happened and what to do."""


# --- duplicates ------------------------------------------------------------------------------------

def find_existing_city(name: str, country: str, level: str, *, exclude_id=None) -> City | None:
    """Return the member city with this folded name, country and level, if any."""
    query = City.select().where(City.name_key == fold_name(name), City.country == country, City.level == level)
    if exclude_id:
        query = query.where(City.id != exclude_id)
    return query.first()


def focal_points(city: City):
    """Return the city's focal-point contacts who have an email address."""
    return [contact for answer in signals.answers(signals.city_contacts, city, focal_points=True)
            for contact in answer]


def find_duplicate(name: str, country: str, level: str) -> str | None:
    """Return a message naming an existing member or open application for the same authority, or None."""
    key = fold_name(name)
    city = find_existing_city(name, country, level)
    if city is not None:
        names = {"city": city.name, "country": country_name(country)}
        if city.status == "active":
            return _("%(city)s (%(country)s) is already an active member. "
                     "If you want to rejoin or change its details, contact the secretariat.", **names)
        if city.status == "suspended":
            return _("%(city)s (%(country)s) is a member whose membership is suspended. "
                     "If you want to rejoin or change its details, contact the secretariat.", **names)
        if city.status == "withdrawn":
            return _("%(city)s (%(country)s) was a member and has withdrawn. "
                     "If you want to rejoin or change its details, contact the secretariat.", **names)
        return _("%(city)s (%(country)s) is a member (%(status)s). "
                 "If you want to rejoin or change its details, contact the secretariat.", status=city.status, **names)
    application = (Application.select()
                   .where(Application.name_key == key, Application.country == country, Application.level == level,
                          Application.status.in_(OPEN_APPLICATION_STATUSES))
                   .first())
    if application is not None:
        return _("An application for %(authority)s (%(country)s) is already open: %(reference)s, status "
                 "“%(status)s”. The applicant can follow it through the link in their confirmation mail; no new "
                 "application is needed.", authority=application.authority_name, country=country_name(country),
                 reference=application.reference, status=application.status_label)
    return None


# --- the status link -----------------------------------------------------------------------------

def status_token(application: Application) -> str:
    """Return the signed token of the applicant's private status link."""
    return tokens.sign({"aid": application.id, "ref": application.reference}, STATUS_SALT)


def application_for_token(token: str) -> Application:
    """Return the application a status token names; raise MembershipError if it is not valid."""
    data = tokens.unsign_or_refuse(token, STATUS_SALT, MembershipError,
                                   invalid=_("This link is not valid. Check that you copied all of it from the mail."))
    application = Application.get_or_none(Application.id == data.get("aid"))
    if application is None or application.reference != data.get("ref"):
        raise MembershipError(_("This application no longer exists. Contact the secretariat."))
    return application


def status_link(application: Application) -> str:
    """Return the absolute private status link of an application."""
    return absolute_url("membership.application_status", token=status_token(application))


def _secretariat() -> str:
    return current_app.config["SECRETARIAT_EMAIL"]


def _review_link(application: Application) -> str:
    return absolute_url("membership.application_detail", application_id=application.id)


def _event(application, action, *, actor=None, note="", label=""):
    ApplicationEvent.create(application=application, action=action, status=application.status,
                            actor=actor.id if getattr(actor, "id", None) else None,
                            actor_label=label or (getattr(actor, "name", "") if actor else ""), note=note)


# --- applications --------------------------------------------------------------------------------

APPLICATION_FIELDS = ("authority_name", "level", "country", "population", "website", "languages",
                      "applicant_name", "applicant_position", "applicant_email", "applicant_phone",
                      "leader_name", "leader_position", "focal_name", "focal_position", "focal_email",
                      "expertise", "expertise_other", "incident_experience", "motivation")


def applicant_language(application: Application) -> str | None:
    """The language of the mails to an applicant after the first: the first of the authority's working languages
    that the interface speaks (None: the mail's own rule, English)."""
    return next((code for code in application.languages or () if supported(code)), None)


def submit_application(values: dict, *, submitted_at: dt.datetime | None = None, notify: bool = True,
                       language: str | None = None) -> Application:
    """Store a new application, unless the authority is already a member or has an open application.

    ``language`` is the page's, in which the acknowledgement is written (else ``applicant_language``)."""
    values = {k: values.get(k) for k in APPLICATION_FIELDS}
    for key in ("applicant_email", "focal_email"):
        values[key] = (values.get(key) or "").strip().lower()
    values["authority_name"] = (values["authority_name"] or "").strip()
    message = find_duplicate(values["authority_name"], values["country"], values["level"])
    if message:
        raise MembershipError(message)
    now = submitted_at or utcnow()
    try:
        return _store_application(values, now, notify, language)
    except peewee.IntegrityError:
        # Another request for the same authority committed between the check and the insert.
        raise MembershipError(find_duplicate(values["authority_name"], values["country"], values["level"])
                              or _("An application for this authority is already open.")) from None


def _store_application(values: dict, now: dt.datetime, notify: bool, language: str | None) -> Application:
    with database.atomic():
        application = Application.create(
            reference=uuid.uuid4().hex[:20], name_key=fold_name(values["authority_name"]),
            region=default_region(values["country"]), consent_at=now, consent_version=CONSENT_VERSION,
            submitted_at=now, updated_at=now, **{k: ("" if v is None and k != "population" else v)
                                                 for k, v in values.items()})
        application.reference = f"SCN-{now.year}-{application.id:04d}"
        application.save()
        _event(application, "submitted", label=application.applicant_name)
        if notify:
            link = status_link(application)
            queue_mail(application.applicant_email,
                       _l("We received your application (%(reference)s)", reference=application.reference),
                       "application_received", application=application, link=link,
                       language=supported(language) or applicant_language(application))
            queue_mail(_secretariat(),
                       _l("New membership application: %(authority)s", authority=application.authority_name),
                       "application_notify", application=application, link=_review_link(application))
    return application


def _refuse_unless_open(application: Application, action: str) -> None:
    """Refuse ``action`` (ask, decline or approve) on a decided or withdrawn application."""
    # One whole sentence per case, so that each language can say it its own way.
    refusals = {
        ("approved", "ask"): _("%(reference)s is already approved: it cannot be asked for more information again."),
        ("approved", "decline"): _("%(reference)s is already approved: it cannot be declined again."),
        ("approved", "approve"): _("%(reference)s is already approved: it cannot be approved again."),
        ("withdrawn", "ask"): _("%(reference)s was withdrawn by the applicant: it cannot be asked for more "
                                "information."),
        ("withdrawn", "decline"): _("%(reference)s was withdrawn by the applicant: it cannot be declined."),
        ("withdrawn", "approve"): _("%(reference)s was withdrawn by the applicant: it cannot be approved."),
        ("declined", "ask"): _("%(reference)s is already declined: it cannot be asked for more information."),
        ("declined", "decline"): _("%(reference)s is already declined: it cannot be declined."),
        ("declined", "approve"): _("%(reference)s is already declined: it cannot be approved."),
    }
    refusal = refusals.get((application.status, action))
    if refusal:
        raise MembershipError(refusal % {"reference": application.reference})


def request_info(application: Application, question: str, *, actor) -> Application:
    """Ask the applicant for more information; they answer through the status link."""
    _refuse_unless_open(application, "ask")
    question = required_text(question, MembershipError, _("Write the question for the applicant."))
    with database.atomic():
        application.status, application.info_request, application.updated_at = "info_requested", question, utcnow()
        application.save()
        _event(application, "info_requested", actor=actor, note=question)
        record(actor, "application.request_info", application, summary=f"Asked {application.reference} for more information",
               changes={"status": ["submitted", "info_requested"], "question": question})
        queue_mail(application.applicant_email,
                   _l("Your application %(reference)s: a question", reference=application.reference),
                   "application_info_requested", application=application, question=question,
                   link=status_link(application), language=applicant_language(application))
    return application


def answer_info_request(application: Application, answer: str) -> Application:
    """Store the applicant's answer and put the application back in the review queue."""
    if application.status != "info_requested":
        raise MembershipError(_("There is no open question on this application."))
    answer = required_text(answer, MembershipError, _("Write your answer."))
    with database.atomic():
        application.status, application.updated_at = "submitted", utcnow()
        application.save()
        _event(application, "answered", note=answer, label=application.applicant_name)
        record(None, "application.answer", application, summary=f"Applicant answered on {application.reference}")
        queue_mail(_secretariat(), _l("Answer received: %(reference)s %(authority)s",
                                      reference=application.reference, authority=application.authority_name),
                   "application_answered", application=application, answer=answer, link=_review_link(application))
    return application


def withdraw_application(application: Application, reason: str = "") -> Application:
    """Withdraw an open application at the applicant's request."""
    if not application.is_open:
        raise MembershipError({
            "approved": _("This application is approved: it can no longer be withdrawn."),
            "declined": _("This application is declined: it can no longer be withdrawn."),
            "withdrawn": _("This application is withdrawn: it can no longer be withdrawn."),
        }.get(application.status) or _("This application is %(status)s: it can no longer be withdrawn.",
                                       status=application.status_label.lower()))
    with database.atomic():
        old = application.status
        application.status, application.updated_at = "withdrawn", utcnow()
        application.save()
        _event(application, "withdrawn", note=(reason or "").strip(), label=application.applicant_name)
        record(None, "application.withdraw", application, summary=f"Applicant withdrew {application.reference}",
               changes={"status": [old, "withdrawn"]})
        queue_mail(_secretariat(), _l("Application withdrawn: %(reference)s %(authority)s",
                                      reference=application.reference, authority=application.authority_name),
                   "application_withdrawn", application=application, reason=reason, link=_review_link(application))
    return application


def decline_application(application: Application, reason: str, *, actor) -> Application:
    """Decline an application with a reason, mailed to the applicant."""
    _refuse_unless_open(application, "decline")
    reason = required_text(reason, MembershipError,
                           _("Give the reason for the decision: it is mailed to the applicant."))
    with database.atomic():
        old = application.status
        application.status, application.decision_reason = "declined", reason
        application.decided_at = application.updated_at = utcnow()
        application.save()
        _event(application, "declined", actor=actor, note=reason)
        record(actor, "application.decline", application, summary=f"Declined {application.reference}",
               changes={"status": [old, "declined"], "reason": reason})
        queue_mail(application.applicant_email,
                   _l("Your application %(reference)s: decision", reference=application.reference),
                   "application_declined", application=application, reason=reason, link=status_link(application),
                   language=applicant_language(application))
    return application


def approve_application(application: Application, *, actor, note: str = "") -> City:
    """Approve: create the member city and its contacts, invite the focal point, mail the decision."""
    from crm.accounts.services import send_invitation

    _refuse_unless_open(application, "approve")
    existing = find_existing_city(application.authority_name, application.country, application.level)
    if existing is not None:
        raise MembershipError(_("%(city)s is already a member city (%(status)s): decline this application or ask "
                                "the applicant to contact you.", city=existing.name, status=existing.status))
    with database.atomic():
        old = application.status
        today = utcnow().date()
        city = City.create(name=application.authority_name, name_key=application.name_key,
                           country=application.country, region=application.region, level=application.level,
                           population=application.population, website=application.website,
                           languages=application.languages, expertise=application.expertise,
                           status="active", joined_on=today)
        CityStatusChange.create(city=city, status="active", reason=f"Application {application.reference} approved",
                                changed_on=today, actor=actor.id if actor else None)
        signals.application_approved.send(city, application=application, actor=actor)  # contacts records the people
        has_focal = bool(application.focal_name and application.focal_email)
        focal_email = application.focal_point_email
        focal_name = application.focal_name if has_focal else application.applicant_name
        user = User.get_or_none(User.email == focal_email)
        invited = False
        if user is None:
            user = User.create(email=focal_email, name=focal_name, role="member", city=city.id, invited_at=utcnow())
            record(actor, "user.create", user, summary=f"Invited member {focal_email} for {city.name}",
                   changes={"email": focal_email, "role": "member", "city": city.id})
            send_invitation(user, actor=actor,
                            note=_l("Your city, %(city)s, is now a member of the network.", city=city.name))
            invited = True
        elif user.role == "member" and user.city_id is None:
            user.city = city.id
            user.save()
            record(actor, "user.link_city", user, summary=f"Linked {focal_email} to {city.name}",
                   changes={"city": [None, city.id]})
        application.status, application.city = "approved", city
        application.decision_reason = (note or "").strip()
        application.decided_at = application.updated_at = utcnow()
        application.save()
        _event(application, "approved", actor=actor, note=note)
        record(actor, "application.approve", application, summary=f"Approved {application.reference}: {city.name}",
               changes={"status": [old, "approved"], "city": city.id})
        record(actor, "city.create", city, summary=f"Created member city {city.name} from {application.reference}")
        queue_mail(application.applicant_email,
                   _l("Welcome to the network: %(city)s is now a member", city=city.name),
                   "application_approved", application=application, city=city, note=note, invited=invited,
                   focal_email=focal_email, link=status_link(application), language=applicant_language(application))
    return city


def list_applications(*, status: str = "", country: str = "", region: str = "",
                      since: dt.date | None = None, until: dt.date | None = None):
    """Return applications matching the filters, oldest first (the review queue)."""
    query = Application.select().order_by(Application.submitted_at, Application.id)
    if status == "open":
        query = query.where(Application.status.in_(OPEN_APPLICATION_STATUSES))
    elif status in APPLICATION_STATUSES:
        query = query.where(Application.status == status)
    if country:
        query = query.where(Application.country == country.upper())
    if region:
        query = query.where(Application.region == region)
    return on_days(query, Application.submitted_at, since, until)


# --- member cities -------------------------------------------------------------------------------

def can_edit_city(user, city: City) -> bool:
    """Return whether ``user`` may edit ``city``: the secretariat, or that city's own member users."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_secretariat:
        return True
    return user.role == "member" and user.city_id == city.id


def editable_fields(user) -> tuple[str, ...]:
    """Return the city fields ``user`` may change."""
    return MEMBER_FIELDS + STAFF_FIELDS if user.is_secretariat else MEMBER_FIELDS


def update_city(city: City, values: dict, *, actor) -> City:
    """Change a city's details; members may change only their own city, and only its public details."""
    if not can_edit_city(actor, city):
        raise PermissionError("You may edit only your own city.")
    allowed = editable_fields(actor)
    values = {k: v for k, v in values.items() if k in allowed}
    if "name" in values or "country" in values or "level" in values:
        name, country, level = (values.get("name", city.name), values.get("country", city.country),
                                values.get("level", city.level))
        other = find_existing_city(name, country, level, exclude_id=city.id)
        if other is not None:
            raise MembershipError(_("Another member city is called %(city)s in %(country)s.",
                                    city=other.name, country=country_name(country)))
        values["name_key"] = fold_name(name)
    update_record(city, values, actor=actor, action="city.update", summary="Edited {obj.name}")
    return city


def change_city_status(city: City, status: str, *, reason: str, changed_on: dt.date | None = None, actor) -> City:
    """Move a city to active, suspended or withdrawn, with the reason and date of the change."""
    if status not in CITY_STATUSES:
        raise MembershipError(_("Unknown status %(status)s.", status=repr(status)))
    if status == city.status:
        raise MembershipError({"active": _("%(city)s is already active.", city=city.name),
                               "suspended": _("%(city)s is already suspended.", city=city.name),
                               "withdrawn": _("%(city)s is already withdrawn.", city=city.name)}[status])
    reason = required_text(reason, MembershipError,
                           _("Give the reason for the change: it is kept in the membership history."))
    changed_on = changed_on or utcnow().date()
    with database.atomic():
        old = city.status
        CityStatusChange.create(city=city, old_status=old, status=status, reason=reason, changed_on=changed_on,
                                actor=actor.id if getattr(actor, "id", None) else None)
        city.status, city.updated_at = status, utcnow()
        city.save()
        record(actor, "city.status", city, summary=f"{city.name}: {old} → {status}",
               changes={"status": [old, status], "reason": reason, "changed_on": changed_on})
        for contact in focal_points(city):
            subject = {"active": _l("%(city)s: membership active", city=city.name),
                       "suspended": _l("%(city)s: membership suspended", city=city.name),
                       "withdrawn": _l("%(city)s: membership withdrawn", city=city.name)}[status]
            queue_mail(contact.email, subject,
                       "membership_status_changed", city=city, contact=contact, old=old, reason=reason,
                       changed_on=changed_on)
    return city


def list_cities(*, q: str = "", region: str = "", country: str = "", status: str = "", expertise: str = "",
                population: str = "", sort: str = "name"):
    """Return member cities matching the filters, sorted by ``sort``."""
    query = City.select()
    if q:
        query = query.where(City.name_key.contains(fold_name(q)))
    if region:
        query = query.where(City.region == region)
    if country:
        query = query.where(City.country == country.upper())
    if status:
        query = query.where(City.status == status)
    if expertise:
        query = query.where(City.expertise.contains(f'"{expertise}"'))
    if population in POPULATION_BANDS:
        _label, low, high = POPULATION_BANDS[population]
        query = query.where(City.population >= low)
        if high:
            query = query.where(City.population < high)
    orders = {"name": [City.name_key], "country": [City.country, City.name_key],
              "joined": [City.joined_on.desc(nulls="LAST"), City.name_key],
              "population": [City.population.desc(nulls="LAST"), City.name_key],
              "region": [City.region, City.name_key]}
    return query.order_by(*orders.get(sort, orders["name"]), City.id)


def public_directory(*, q: str = "", region: str = "", country: str = ""):
    """Return the active member cities for the public directory."""
    return list_cities(q=q, region=region, country=country, status="active")


def city_for_user(user) -> City | None:
    """Return the member city of a member user, or None."""
    if getattr(user, "city_id", None):
        return City.get_or_none(City.id == user.city_id)
    return None


def link_user_to_city(user: User, city: City, *, actor=None) -> None:
    """Make ``user`` a member user of ``city``."""
    with database.atomic():
        old = user.city_id
        user.city = city.id
        user.save()
        record(actor, "user.link_city", user, summary=f"Linked {user.email} to {city.name}",
               changes={"city": [old, city.id]})


def dashboard_figures() -> dict:
    """Return the figures of the membership dashboard panels."""
    pending = Application.select().where(Application.status.in_(OPEN_APPLICATION_STATUSES))
    oldest = pending.order_by(Application.submitted_at).first()
    by_region = {row.region: row.n for row in (City.select(City.region, peewee.fn.COUNT(City.id).alias("n"))
                                                .where(City.status == "active").group_by(City.region))}
    by_status = {row.status: row.n for row in (City.select(City.status, peewee.fn.COUNT(City.id).alias("n"))
                                                .group_by(City.status))}
    years: dict[int, int] = {}
    for row in City.select(City.joined_on).where(City.joined_on.is_null(False)):
        years[row.joined_on.year] = years.get(row.joined_on.year, 0) + 1
    return {"pending": pending.count(), "oldest": oldest, "info_requested": pending.where(
        Application.status == "info_requested").count(), "by_region": by_region, "by_status": by_status,
        "by_year": dict(sorted(years.items()))}
