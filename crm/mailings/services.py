"""Mailings: lists and consent, composing with merge fields, queueing exactly once per recipient, unsubscribing."""

from __future__ import annotations

import functools
import html
import math
import re
import time
from dataclasses import dataclass, field

import peewee
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup

from crm import mail, vocabulary
from crm.audit.services import record
from crm.contacts.models import Contact
from crm.core.errors import DomainError
from crm.core.names import fold_name
from crm.core.tokens import sign, unsign
from crm.core.urls import absolute_url
from crm.db import database, utcnow
from crm.mailings.bounces import bouncing_emails
from crm.mailings.models import (
    NETWORK_NEWS,
    Delivery,
    MailBounce,
    Mailing,
    MailingList,
    MailingVersion,
    Segment,
    Subscription,
    Unsubscribe,
)
from crm.mailings.segments import matching_contacts, save_segment
from crm.templating import render_markdown

TEMPLATE = "mailing"  # templates/mail/mailing.txt|html; also marks the outbox rows of mailings
TOKEN_SALT = "mailing-unsubscribe"
BATCH = 200  # recipients queued per transaction: a batch is queued whole or not at all

DEFAULT_LISTS = (
    (NETWORK_NEWS, "Network news", "The network's newsletter: news, calls for workshops, solidarity messages."),
    ("events", "Events", "Invitations and news about the network's events."),
    ("toolkit-updates", "Toolkit updates", "New and revised toolkit resources."),
)


class MailingError(DomainError):
    """A user-facing refusal: the message says what happened and what to do."""


# --- lists and consent -------------------------------------------------------------------------------

def ensure_default_lists() -> int:
    """Create the lists every network has (network news, events, toolkit updates) if missing; return how many."""
    created = 0
    for slug, name, description in DEFAULT_LISTS:
        if MailingList.get_or_none(MailingList.slug == slug) is None:
            MailingList.create(slug=slug, name=name, description=description)
            created += 1
    return created


def create_list(name: str, description: str = "", actor=None) -> MailingList:
    """Add a mailing list; refuse a name already taken."""
    name = " ".join(name.split())
    slug = re.sub(r"[^a-z0-9]+", "-", fold_name(name)).strip("-")[:60] or "list"
    taken = (MailingList
             .select()
             .where((peewee.fn.LOWER(MailingList.name) == name.lower()) | (MailingList.slug == slug))
             .exists())
    if taken:
        raise MailingError(_("A list called “%(name)s” already exists: choose another name.", name=name))
    with database.atomic():
        found = MailingList.create(slug=slug, name=name, description=description.strip())
        record(actor, "mailing_list.create", found, summary=f"Created mailing list {name}")
    return found


def _unsubscribed_ids(mailing_list: MailingList, contact_ids=None) -> set[int]:
    """Contacts with an active unsubscribe from this list or from every list."""
    query = (Unsubscribe
             .select(Unsubscribe.contact)
             .where(Unsubscribe.withdrawn_at.is_null(),
                    (Unsubscribe.mailing_list == mailing_list) | Unsubscribe.mailing_list.is_null()))
    if contact_ids is not None:
        query = query.where(Unsubscribe.contact.in_(list(contact_ids)))
    return {row.contact_id for row in query}


def _on_list_ids(mailing_list: MailingList) -> set[int]:
    if mailing_list.slug == NETWORK_NEWS:
        query = Contact.select(Contact.id).where(Contact.accepts_network_news == True)  # noqa: E712
        return {row.id for row in query}
    return {row.contact_id for row in Subscription.select(Subscription.contact).where(
        Subscription.mailing_list == mailing_list)}


def is_subscribed(contact: Contact, mailing_list: MailingList) -> bool:
    """Return whether ``contact`` gets this list: on it, and not unsubscribed from it or from everything."""
    if mailing_list.slug == NETWORK_NEWS:
        on = contact.accepts_network_news
    else:
        on = Subscription.select().where(Subscription.contact == contact,
                                         Subscription.mailing_list == mailing_list).exists()
    return bool(on) and not _unsubscribed_ids(mailing_list, [contact.id])


def subscribe(contact: Contact, mailing_list: MailingList, *, by_contact: bool = False) -> bool:
    """Put ``contact`` on a list; return whether they now get it.

    Staff and imports never override an unsubscribe; only the contact themselves (``by_contact``, from the
    preferences page) withdraws it.
    """
    with database.atomic():
        unsubscribed = _unsubscribed_ids(mailing_list, [contact.id])
        if unsubscribed and not by_contact:
            return False
        if unsubscribed:
            (Unsubscribe
             .update(withdrawn_at=utcnow())
             .where(Unsubscribe.contact == contact, Unsubscribe.withdrawn_at.is_null(),
                    (Unsubscribe.mailing_list == mailing_list) | Unsubscribe.mailing_list.is_null())
             .execute())
        if mailing_list.slug == NETWORK_NEWS:
            Contact.update(accepts_network_news=True).where(Contact.id == contact.id).execute()
            contact.accepts_network_news = True
        else:
            Subscription.insert(contact=contact, mailing_list=mailing_list).on_conflict_ignore().execute()
    return True


def subscribe_emails(mailing_list: MailingList, text: str, actor=None) -> dict[str, list[str]]:
    """Subscribe the contacts whose addresses are listed (one a line); report added, unsubscribed and unknown."""
    report = {"added": [], "unsubscribed": [], "unknown": []}
    for address in dict.fromkeys(a.strip().lower() for a in re.split(r"[\s,;]+", text or "") if a.strip()):
        contact = Contact.get_or_none((Contact.email == address) & Contact.erased_at.is_null())
        if contact is None:
            report["unknown"].append(address)
        elif subscribe(contact, mailing_list):
            report["added"].append(address)
        else:
            report["unsubscribed"].append(address)
    if report["added"]:
        record(actor, "mailing_list.subscribe", mailing_list,
               summary=f"Subscribed {len(report['added'])} contact(s) to {mailing_list.name}")
    return report


def unsubscribe(contact: Contact, mailing_list: MailingList | None, *, mailing: Mailing | None = None,
                how: str = "link") -> Unsubscribe:
    """Record that ``contact`` left a list (every list when None), from which mailing; it outlasts imports."""
    with database.atomic():
        found = (Unsubscribe
                 .select()
                 .where(Unsubscribe.contact == contact, Unsubscribe.withdrawn_at.is_null(),
                        (Unsubscribe.mailing_list.is_null() if mailing_list is None
                         else Unsubscribe.mailing_list == mailing_list))
                 .first())
        if found is None:
            found = Unsubscribe.create(contact=contact, mailing_list=mailing_list, mailing=mailing, how=how)
        if mailing_list is None or mailing_list.slug == NETWORK_NEWS:
            Contact.update(accepts_network_news=False).where(Contact.id == contact.id).execute()
            contact.accepts_network_news = False
        if mailing_list is not None and mailing_list.slug != NETWORK_NEWS:
            Subscription.delete().where(Subscription.contact == contact,
                                        Subscription.mailing_list == mailing_list).execute()
    return found


SKIP_REASONS = {"unsubscribed": _l("unsubscribed"), "do_not_contact": _l("do not contact"),
                "no_consent": _l("no consent"), "bouncing": _l("bouncing"), "no_email": _l("no email")}
SKIP_EXPLAINED = {"unsubscribed": _l("unsubscribed (from this list or from all mail)"),
                  "do_not_contact": _l("marked do not contact"),
                  "no_consent": _l("not subscribed to the list the segment is sent under"),
                  "bouncing": _l("the address is bouncing"), "no_email": _l("no email address")}


@dataclass
class Audience:
    """Who of a list or segment will get a mailing, and why the others will not."""

    recipients: list[Contact] = field(default_factory=list)
    skipped: dict[str, list[Contact]] = field(default_factory=lambda: {key: [] for key in SKIP_REASONS})

    @property
    def total(self) -> int:
        return len(self.recipients) + self.skipped_count

    def reasons(self) -> list[tuple[str, str, list[Contact]]]:
        """Return ``(key, explanation, contacts)`` for each reason someone is left out, in a fixed order."""
        return [(key, SKIP_EXPLAINED[key], found) for key, found in self.skipped.items() if found]

    @property
    def skipped_count(self) -> int:
        return sum(len(found) for found in self.skipped.values())

    def summary(self) -> str:
        """Say it in words: "3 will get it; 2 will not: 1 unsubscribed, 1 no email"."""
        getting = ngettext("%(num)d will get it", "%(num)d will get it", len(self.recipients))
        if not self.skipped_count:
            return _("%(getting)s.", getting=getting)
        reasons = ", ".join(_("%(count)s %(reason)s", count=len(found), reason=SKIP_REASONS[key])
                            for key, found in self.skipped.items() if found)
        return _("%(getting)s; %(count)s will not: %(reasons)s.", getting=getting, count=self.skipped_count,
                 reasons=reasons)


def audience(mailing_list: MailingList, segment: Segment | None = None) -> Audience:
    """Sort the list's contacts (and those who left it) into recipients and skipped, with the reason.

    With a ``segment``, every contact the segment's filter selects is sorted instead: those not getting the
    list are skipped for "no consent".
    """
    if segment is not None:
        return _segment_audience(mailing_list, segment)
    on_list = _on_list_ids(mailing_list)
    left = _unsubscribed_ids(mailing_list)
    left_this = {row.contact_id for row in Unsubscribe.select(Unsubscribe.contact).where(
        Unsubscribe.withdrawn_at.is_null(), Unsubscribe.mailing_list == mailing_list)}
    ids = on_list | left_this
    found = Audience()
    if not ids:
        return found
    contacts = (Contact
                .select()
                .where(Contact.id.in_(list(ids)), Contact.erased_at.is_null())
                .order_by(Contact.name_key, Contact.id))
    bouncing = bouncing_emails()
    for contact in contacts:
        if contact.id in left:
            found.skipped["unsubscribed"].append(contact)
        elif contact.do_not_contact:
            found.skipped["do_not_contact"].append(contact)
        elif not (contact.email or "").strip():
            found.skipped["no_email"].append(contact)
        elif contact.email.strip().lower() in bouncing:
            found.skipped["bouncing"].append(contact)
        else:
            found.recipients.append(contact)
    return found


def _segment_audience(mailing_list: MailingList, segment: Segment) -> Audience:
    members = matching_contacts(segment.filters)
    on_list = _on_list_ids(mailing_list)
    left = _unsubscribed_ids(mailing_list)
    bouncing = bouncing_emails()
    found = Audience()
    for contact in members:
        if contact.id in left:
            found.skipped["unsubscribed"].append(contact)
        elif contact.do_not_contact:
            found.skipped["do_not_contact"].append(contact)
        elif contact.id not in on_list:
            found.skipped["no_consent"].append(contact)
        elif not (contact.email or "").strip():
            found.skipped["no_email"].append(contact)
        elif contact.email.strip().lower() in bouncing:
            found.skipped["bouncing"].append(contact)
        else:
            found.recipients.append(contact)
    return found


def mailing_audience(mailing: Mailing) -> Audience:
    """Who will get ``mailing`` (its segment of the list, or the whole list), and why the others will not."""
    return audience(mailing.mailing_list, mailing.segment if mailing.segment_id else None)


# --- composing ---------------------------------------------------------------------------------------

MERGE_FIELDS = {
    "first_name": _l("the first word of the contact's name"),
    "name": _l("the contact's full name"),
    "position": _l("their position"),
    "organisation": _l("their organisation"),
    "city": _l("their city"),
    "country": _l("their city's country code"),
    "email": _l("their email address"),
}
FIELD = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def merge_field_error(text: str) -> str | None:
    """Return what is wrong with the merge fields of ``text`` (an unknown name, stray braces), or None."""
    unknown = list(dict.fromkeys(m.group(1) for m in FIELD.finditer(text or "") if m.group(1) not in MERGE_FIELDS))
    known = ", ".join(f"{{{{ {name} }}}}" for name in MERGE_FIELDS)
    if unknown:
        names = ", ".join(f"{{{{ {name} }}}}" for name in unknown)
        return _("Unknown merge field %(names)s. Use one of: %(known)s.", names=names, known=known)
    rest = FIELD.sub("", text or "")
    if "{{" in rest or "}}" in rest or "{%" in rest:
        return _("A merge field is written like %(example)s, with two braces on each side. Use one of: %(known)s.",
                 example="{{ first_name }}", known=known)
    return None


def merge_values(contact: Contact) -> dict[str, str]:
    """Return the merge field values of ``contact``."""
    city = contact.city
    return {
        "first_name": (contact.name or "").split()[0] if (contact.name or "").split() else "",
        "name": contact.name or "",
        "position": contact.position or "",
        "organisation": contact.organisation or "",
        "city": city.name if city else "",
        "country": city.country if city else "",
        "email": contact.email or "",
    }


def merge_text(text: str, values: dict[str, str]) -> str:
    """Fill the merge fields of plain text."""
    return FIELD.sub(lambda m: values.get(m.group(1), ""), text or "")


@functools.lru_cache(maxsize=16)
def _render_marked(body: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Render the body once for all recipients, each merge field left as a placeholder of letters only."""
    names = list(dict.fromkeys(m.group(1) for m in FIELD.finditer(body)))
    marks = {name: f"zqmergefield{index}zq" for index, name in enumerate(names)}
    marked = FIELD.sub(lambda m: marks[m.group(1)], body)
    return str(render_markdown(marked)), tuple(marks.items())


def render_body(body: str, values: dict[str, str]) -> tuple[str, Markup]:
    """Return the body as plain text and as sanitised HTML, merge fields filled (values escaped in the HTML)."""
    # Placeholders pass through Markdown and the sanitiser untouched; the values go in afterwards, escaped.
    rendered, marks = _render_marked(body or "")
    for name, mark in marks:
        rendered = rendered.replace(mark, html.escape(values.get(name, "")))
    return merge_text(body, values), Markup(rendered)


def save_mailing(mailing: Mailing | None, *, mailing_list: MailingList | None = None, subject: str, body: str,
                 actor=None, segment: Segment | None = None, language: str | None = None) -> Mailing:
    """Create or update a draft to a list or to a segment (sent under its list); refuse unknown merge fields
    and changes to a mailing already queued. ``language`` is that of this subject and body (the default version;
    unchanged when None, English for a new mailing)."""
    language = _check_language(language) if language else None
    if mailing is not None and language and language != mailing.language and any(
            v.language == language for v in mailing.versions):
        raise MailingError(_("There is already a %(language)s version; edit that one, or choose another language.",
                             language=vocabulary.languages().get(language, language)))
    if segment is not None:
        mailing_list = segment.mailing_list
    if mailing_list is None:
        raise MailingError(_("Choose a list or a segment to send the mailing to."))
    for text in (subject, body):
        problem = merge_field_error(text)
        if problem:
            raise MailingError(problem)
    with database.atomic():
        if mailing is None:
            mailing = Mailing.create(mailing_list=mailing_list, segment=segment, subject=subject.strip(), body=body,
                                     language=language or "en",
                                     created_by=actor if getattr(actor, "id", None) else None)
            record(actor, "mailing.create", mailing, summary=f"Drafted mailing “{mailing.subject}”")
        else:
            if not mailing.is_draft:
                raise MailingError(_("This mailing has been queued already; it can no longer be changed."))
            mailing.mailing_list, mailing.segment = mailing_list, segment
            mailing.subject, mailing.body = subject.strip(), body
            mailing.language = language or mailing.language
            mailing.updated_at = utcnow()
            mailing.save()
            record(actor, "mailing.update", mailing, summary=f"Edited mailing “{mailing.subject}”")
    return mailing


# --- versions by language ------------------------------------------------------------------------------

def _check_language(language: str) -> str:
    code = (language or "").strip().lower()
    if code not in vocabulary.languages():
        raise MailingError(_("“%(language)s” is not a language we know: use a two-letter code such as en, fr or es.",
                             language=language))
    return code


def versions(mailing: Mailing) -> dict[str, tuple[str, str]]:
    """Return ``{language: (subject, body)}``, the default language first, then the others by code."""
    found = {mailing.language: (mailing.subject, mailing.body)}
    for version in sorted(mailing.versions, key=lambda v: v.language):
        found.setdefault(version.language, (version.subject, version.body))
    return found


def save_version(mailing: Mailing, language: str, *, subject: str, body: str, actor=None) -> MailingVersion | Mailing:
    """Add or change the version of a draft in ``language`` (the default language changes the mailing itself)."""
    language = _check_language(language)
    if not mailing.is_draft:
        raise MailingError(_("This mailing has been queued already; it can no longer be changed."))
    for text in (subject, body):
        problem = merge_field_error(text)
        if problem:
            raise MailingError(problem)
    if not subject.strip():
        raise MailingError(_("Write a subject."))
    if language == mailing.language:
        return save_mailing(mailing, mailing_list=mailing.mailing_list, segment=mailing.segment, subject=subject,
                            body=body, actor=actor)
    name = vocabulary.languages()[language]
    with database.atomic():
        found = MailingVersion.get_or_none(MailingVersion.mailing == mailing, MailingVersion.language == language)
        if found is None:
            found = MailingVersion.create(mailing=mailing, language=language, subject=subject.strip(), body=body)
        else:
            found.subject, found.body, found.updated_at = subject.strip(), body, utcnow()
            found.save()
        record(actor, "mailing.version", mailing, summary=f"Saved the {name} version of “{mailing.subject}”")
    return found


def delete_version(mailing: Mailing, language: str, actor=None) -> None:
    """Remove the version of a draft in ``language`` (not the default one)."""
    if not mailing.is_draft:
        raise MailingError(_("This mailing has been queued already; it can no longer be changed."))
    if language == mailing.language:
        raise MailingError(_("The default version cannot be removed; change its language or text instead."))
    with database.atomic():
        gone = (MailingVersion
                .delete()
                .where(MailingVersion.mailing == mailing, MailingVersion.language == language)
                .execute())
        if gone:
            record(actor, "mailing.version_delete", mailing,
                   summary=f"Removed the {vocabulary.languages().get(language, language)} version of “{mailing.subject}”")


def recipient_language(contact: Contact, available, default: str) -> str:
    """The version ``contact`` gets: the language they chose for mail, their own languages in order, then their
    city's first language, then ``default``."""
    city = contact.city if contact.city_id else None
    for code in [contact.language, *(contact.languages or []), *((city.languages or [])[:1] if city else [])]:
        if code in available:
            return code
    return default


def language_split(mailing: Mailing, recipients) -> list[tuple[str, str, int]]:
    """Return ``(code, name, how many)`` of the recipients by the version they will get, default language first."""
    available = versions(mailing)
    counts = dict.fromkeys(available, 0)
    for contact in recipients:
        counts[recipient_language(contact, available, mailing.language)] += 1
    names = vocabulary.languages()
    return [(code, names.get(code, code), n) for code, n in counts.items()]


def create_draft(subject: str, body: str, *, recipients=None, mailing_list: MailingList | None = None,
                 segment: Segment | None = None, name: str | None = None, actor=None) -> Mailing:
    """Create a draft mailing for staff to review and send: to a segment, a list, or chosen contacts.

    ``recipients`` (contacts) become a segment of exactly those people, sent under ``mailing_list`` (default
    Network news), so consent and do-not-contact still decide who of them gets it.
    """
    if recipients is not None:
        recipients = [c for c in recipients if getattr(c, "id", None)]
        if not recipients:  # an empty filter would select everyone
            raise MailingError(_("Choose at least one recipient."))
        ensure_default_lists()
        under = mailing_list or MailingList.get(MailingList.slug == NETWORK_NEWS)
        label = name or f"Recipients of “{subject.strip()[:60]}”"
        base, number = label[:110], 1
        while Segment.select().where(peewee.fn.LOWER(Segment.name) == label.lower()).exists():
            number += 1
            label = f"{base} ({number})"
        segment = save_segment(None, name=label, mailing_list=under,
                               filters={"contacts": [str(c.id) for c in recipients]}, actor=actor)
    return save_mailing(None, mailing_list=mailing_list, segment=segment, subject=subject, body=body, actor=actor)


def unsubscribe_token(contact: Contact, mailing: Mailing | None) -> str:
    """Return the signed token of the unsubscribe and preferences link of ``contact`` (from ``mailing``)."""
    return sign({"c": contact.id, "m": mailing.id if mailing else None}, TOKEN_SALT)


def read_unsubscribe_token(token: str) -> tuple[Contact, Mailing | None]:
    """Return the contact and mailing of a token; MailingError if it is altered or names nobody."""
    try:
        payload = unsign(token, TOKEN_SALT)
    except Exception as exc:  # noqa: BLE001 - InvalidToken, or a payload of the wrong shape
        raise MailingError(_("This link is not valid. Copy the whole link from the mail, or contact us.")) from exc
    contact = Contact.get_or_none((Contact.id == payload.get("c")) & Contact.erased_at.is_null())
    if contact is None:
        raise MailingError(_("This link is not valid any more: we no longer hold this address."))
    mailing = Mailing.get_or_none(Mailing.id == payload.get("m")) if payload.get("m") else None
    return contact, mailing


def _mailto_address() -> str:
    configured = current_app.config.get("MAILINGS_UNSUBSCRIBE_ADDRESS") or ""
    if configured:
        return configured
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    sender = sender[1] if isinstance(sender, (tuple, list)) else sender
    return re.sub(r".*<([^>]+)>.*", r"\1", sender).strip()


def compose(mailing: Mailing, contact: Contact, language: str | None = None) -> dict:
    """Return what ``contact`` gets: subject, text, HTML, the unsubscribe link and the mail headers.

    The version is ``language`` if given and written, else the contact's (``recipient_language``).
    """
    available = versions(mailing)
    if language not in available:
        language = recipient_language(contact, available, mailing.language)
    subject, body = available[language]
    values = merge_values(contact)
    text, body_html = render_body(body, values)
    token = unsubscribe_token(contact, mailing)
    link = absolute_url("mailings.unsubscribe", token=token)
    headers = {
        "List-Unsubscribe": f"<{link}>, <mailto:{_mailto_address()}?subject=unsubscribe%20{token}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{mailing.mailing_list.name} <{mailing.mailing_list.slug}.lists.{_list_domain()}>",
    }
    return {"subject": merge_text(subject, values), "text": text, "html": body_html, "language": language,
            "unsubscribe_url": link, "headers": headers, "list_name": mailing.mailing_list.name}


def _list_domain() -> str:
    return _mailto_address().rpartition("@")[2] or "localhost"


def _queue(recipient: str, composed: dict, *, deliver_now: bool) -> mail.OutboxMail:
    # The footer speaks the version's language when the interface has it, else the recipient's own.
    return mail.queue_mail(recipient, composed["subject"], TEMPLATE, headers=composed["headers"],
                           language=composed["language"],
                           deliver_now=deliver_now, body_text=composed["text"], body_html=composed["html"],
                           unsubscribe_url=composed["unsubscribe_url"], list_name=composed["list_name"])


def send_test(mailing: Mailing, contact: Contact, to_address: str, actor=None,
              language: str | None = None) -> mail.OutboxMail:
    """Queue the mailing as ``contact`` would get it (in ``language`` if given), to ``to_address``, marked as a test."""
    composed = compose(mailing, contact, language)
    composed["subject"] = _("[Test] %(subject)s", subject=composed["subject"])  # for the staff reader
    with database.atomic():
        row = _queue(to_address, composed, deliver_now=True)
        record(actor, "mailing.test", mailing, summary=f"Test of “{mailing.subject}” to {to_address}")
    return row


# --- sending -------------------------------------------------------------------------------------------

def queue_mailing(mailing: Mailing, actor=None, *, limit: int | None = None) -> int:
    """Queue the mailing for every recipient who has no delivery yet; return how many were queued now.

    Each recipient gets one ``Delivery`` (unique per mailing and contact), created in the same transaction as
    its outbox mail, so a send that stopped half-way and is started again queues only the rest.
    """
    found = mailing_audience(mailing)
    if mailing.queued_at is None:
        Mailing.update(queued_at=utcnow()).where(Mailing.id == mailing.id, Mailing.queued_at.is_null()).execute()
        mailing.queued_at = Mailing.get_by_id(mailing.id).queued_at
        record(actor, "mailing.send", mailing, summary=f"Queued mailing “{mailing.subject}”")
    done = {row.contact_id for row in Delivery.select(Delivery.contact).where(Delivery.mailing == mailing)}
    todo = [contact for contact in found.recipients if contact.id not in done]
    if limit is not None:
        todo = todo[:limit]
    deliver_now = not current_app.config.get("MAIL_RATE")
    available = versions(mailing)
    queued = 0
    for start in range(0, len(todo), BATCH):
        with database.atomic():
            for contact in todo[start:start + BATCH]:
                language = recipient_language(contact, available, mailing.language)
                inserted = (Delivery
                            .insert(mailing=mailing, contact=contact, email=contact.email.strip(), language=language)
                            .on_conflict_ignore()
                            .execute())
                delivery = Delivery.get_or_none(Delivery.mailing == mailing, Delivery.contact == contact)
                if not inserted or delivery is None or delivery.outbox_mail_id is not None:
                    continue  # another sender queued this one
                row = _queue(delivery.email, compose(mailing, contact, language), deliver_now=deliver_now)
                Delivery.update(outbox_mail_id=row.id).where(Delivery.id == delivery.id).execute()
                queued += 1
    return queued


def schedule_mailing(mailing: Mailing, at, actor=None) -> Mailing:
    """Have the mailing queued at ``at`` (UTC, in the future) by `crm mailings send`; None cancels the schedule."""
    if not mailing.is_draft:
        raise MailingError(_("This mailing has been queued already."))
    if at is not None and at <= utcnow():
        raise MailingError(_("Choose a time in the future (UTC), or send it now."))
    with database.atomic():
        Mailing.update(scheduled_at=at).where(Mailing.id == mailing.id).execute()
        mailing.scheduled_at = at
        record(actor, "mailing.schedule", mailing,
               summary=f"Scheduled “{mailing.subject}” for {at:%Y-%m-%d %H:%M} UTC" if at
               else f"Cancelled the schedule of “{mailing.subject}”")
    return mailing


def queue_due_mailings(now=None) -> list[tuple[Mailing, int]]:
    """Queue the scheduled mailings whose time has come; return each with how many mails it queued."""
    now = now or utcnow()
    due = (Mailing
           .select()
           .where(Mailing.scheduled_at.is_null(False), Mailing.scheduled_at <= now, Mailing.queued_at.is_null())
           .order_by(Mailing.scheduled_at))
    return [(mailing, queue_mailing(mailing)) for mailing in due]


def send_queued_mailings(*, rate: int | None = None, sleep=time.sleep, clock=time.monotonic) -> tuple[int, int]:
    """Deliver the queued mailing mails, at most ``rate`` a minute (``CRM_MAIL_RATE``; 0: at once); return (sent, failed)."""
    rate = current_app.config.get("MAIL_RATE", 0) if rate is None else rate
    ids = [row.id for row in (mail.OutboxMail
                              .select(mail.OutboxMail.id)
                              .where(mail.OutboxMail.template == TEMPLATE, mail.OutboxMail.status == mail.QUEUED,
                                     mail.OutboxMail.next_attempt_at <= utcnow())
                              .order_by(mail.OutboxMail.id))]
    if not rate:
        sent = mail.deliver(ids)
        return sent, len(ids) - sent
    chunk = max(1, math.ceil(rate / 60))  # a second's worth of mail at a time
    interval = chunk * 60.0 / rate
    sent = 0
    next_at = clock()
    for start in range(0, len(ids), chunk):
        wait = next_at - clock()
        if wait > 0:
            sleep(wait)
        next_at = max(next_at, clock()) + interval
        sent += mail.deliver(ids[start:start + chunk])
    return sent, len(ids) - sent


STATUS_LABELS = {"queued": _l("Queued"), "sent": _l("Sent"), "failed": _l("Failed"), "bounced": _l("Bounced"),
                 "unsubscribed": _l("Unsubscribed")}


def report(mailing: Mailing) -> dict:
    """Return the per-recipient status of a mailing and the counts by status."""
    deliveries = list(Delivery
                      .select(Delivery, Contact)
                      .join(Contact)
                      .where(Delivery.mailing == mailing)
                      .order_by(Contact.name_key, Contact.id))
    outbox = {row.id: row for row in mail.OutboxMail.select().where(
        mail.OutboxMail.id.in_([d.outbox_mail_id for d in deliveries if d.outbox_mail_id]))} if deliveries else {}
    left = {row.contact_id for row in Unsubscribe.select(Unsubscribe.contact).where(Unsubscribe.mailing == mailing)}
    bounced = {row.email: row for row in MailBounce.select().where(
        MailBounce.hard == True, MailBounce.email.in_([d.email.lower() for d in deliveries]),  # noqa: E712
        MailBounce.created_at >= mailing.queued_at)} if deliveries and mailing.queued_at else {}
    rows = []
    for delivery in deliveries:
        row = outbox.get(delivery.outbox_mail_id)
        status, reason = "queued", ""
        if row is not None and row.status == mail.SENT:
            status = "sent"
        elif row is not None and row.status == mail.FAILED:
            status, reason = "failed", row.last_error
        elif row is not None and row.attempts and row.last_error:
            reason = _("Will retry: %(error)s", error=row.last_error)
        if status == "sent" and delivery.email.lower() in bounced:
            status, reason = "bounced", bounced[delivery.email.lower()].diagnostic or bounced[delivery.email.lower()].status
        if delivery.contact_id in left:
            status = "unsubscribed"
        rows.append({"delivery": delivery, "contact": delivery.contact, "status": status,
                     "label": STATUS_LABELS[status], "reason": reason, "mail": row})
    counts = {key: sum(1 for r in rows if r["status"] == key) for key in STATUS_LABELS}
    names = vocabulary.languages()
    by_language = {}
    for r in rows:
        code = r["delivery"].language or mailing.language
        by_language.setdefault(code, {"name": names.get(code, code), **dict.fromkeys(STATUS_LABELS, 0)})
        by_language[code][r["status"]] += 1
    return {"rows": rows, "counts": counts, "failures": [r for r in rows if r["status"] == "failed"],
            "by_language": dict(sorted(by_language.items()))}


def mailings_of(contact: Contact) -> list[dict]:
    """Return the mailings ``contact`` was sent, newest first, with the status of each."""
    deliveries = list(Delivery
                      .select(Delivery, Mailing)
                      .join(Mailing)
                      .where(Delivery.contact == contact)
                      .order_by(Delivery.created_at.desc()))
    outbox = {row.id: row for row in mail.OutboxMail.select().where(
        mail.OutboxMail.id.in_([d.outbox_mail_id for d in deliveries if d.outbox_mail_id]))} if deliveries else {}
    found = []
    for delivery in deliveries:
        row = outbox.get(delivery.outbox_mail_id)
        status = {mail.SENT: _("Sent"), mail.FAILED: _("Failed")}.get(row.status if row else "", _("Queued"))
        found.append({"mailing": delivery.mailing, "at": delivery.created_at, "status": status,
                      "language": delivery.language})
    return found


def preferences(contact: Contact) -> list[tuple[MailingList, bool]]:
    """Return every list with whether ``contact`` gets it."""
    return [(found, is_subscribed(contact, found)) for found in MailingList.select().order_by(MailingList.name)]


def set_preferences(contact: Contact, chosen_ids: set[int], *, stop_all: bool, mailing: Mailing | None) -> None:
    """Apply the preferences page: the lists ticked, or nothing at all with ``stop_all``."""
    with database.atomic():
        if stop_all:
            unsubscribe(contact, None, mailing=mailing, how="preferences")
            return
        lists = list(MailingList.select().order_by(MailingList.name))
        for found in lists:
            if found.id in chosen_ids and not is_subscribed(contact, found):
                subscribe(contact, found, by_contact=True)
        # Ticking one list withdraws a "stop all": the lists left unticked are left one by one.
        for found in lists:
            if found.id not in chosen_ids and is_subscribed(contact, found):
                unsubscribe(contact, found, mailing=mailing, how="preferences")
