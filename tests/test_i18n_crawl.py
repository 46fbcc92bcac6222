"""Every page of the crawl in every language (issue 13): no server error, ``<html lang dir>`` right, and in a
pseudo-locale no text that was not marked for translation.

The pseudo-locale ("eo", added to the interface's languages for this module only) has a catalogue built at
test time from a fresh extraction of the code and templates: every message becomes ``⟦message⟧``. A page
rendered in it shows marked text between ``⟦⟧``; any other visible text with letters is either data (the
database's values, vocabulary labels, country and language names, Babel's month and day names, numbers,
times, emails, URLs) or an offender: a text the templates or the code show without ``_()``.

One app and one demo database serve the whole module; each role's pages are found once by following links
(as tests/test_crawl.py does), then rendered in each language. The pages no link leads to are added
(``linkless_paths``): the personal links of mails, with tokens made by the app's own functions (an
application's status, an event invitation's answer, a registration's management, unsubscribe and
preferences, password reset, account invitation, a peer's answer to an advice request) and a broken link of
each kind, merge previews, a mail of the outbox, print lists and badges, and forms the walk meets too deep.
Then the main forms are sent empty or wrong (``bad_posts``), redirects followed: the field errors of the form
shown again and the flash message after a redirect must be marked too.

GET endpoints not rendered, and why:
  files, not pages: anniversaries.feed, events.event_ics, events.personal_feed, events.public_feed (.ics);
  contacts.contact_export, events.participants_csv, membership.application_export, membership.city_export
  (CSV, English headers for re-import); contacts.contact_privacy_export, search.api_peers (JSON); static.
  contacts.contact_import_job, membership.city_import_job: need an uploaded CSV file (tests/*/test_import*).
  savedfilters.use: a redirect to the list page with the filter's query (the list pages are crawled).
POST-only actions (bulk edits, decisions, check-in, publish, retry, delete, ticks, comments) are not sent:
their answer is a flash message of the page they redirect to, checked by each area's own tests in English.

The offenders, grouped by the template (or Python file) that holds their text, for assigning the gaps:

    CRM_I18N_OFFENDERS=- .venv/bin/python -m pytest -q -s tests/test_i18n_crawl.py -k untranslated

(``CRM_I18N_OFFENDERS=path`` writes the list to a file instead.)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import peewee
import pytest
from babel import Locale, localedata
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import (
    got_request_exception,
    has_request_context,
    render_template_string,
    request,
    session,
    template_rendered,
)

from crm import create_app, i18n, seeding
from crm.db import all_models, database
from tests.helpers import demo_login, linked_paths, login
from tests.test_i18n_catalogues import _extracted_ids

ROOT = Path(__file__).resolve().parent.parent
PSEUDO = "eo"  # a locale Babel knows and the interface does not offer
LANGUAGES = list(i18n.LANGUAGES)  # the interface's, read before the module adds the pseudo-locale
ROLES = ["anonymous", "member", "staff", "admin"]
# the footer's language links switch the session's language: each test chooses it instead
SKIP = re.compile(r"/(logout|static/)|\.(ics|csv|json|pdf)(\?|$)|/export|/api/|[?&]lang=")
PER_ENDPOINT = 3  # pages of one endpoint rendered per role (more records of a kind add time, rarely text)
OPEN, CLOSE = "⟦", "⟧"


# --- the pseudo catalogue --------------------------------------------------------------------------

def pseudo_catalogue(folder: Path) -> Path:
    """Compile ``⟦message⟧`` for every message of the code into ``folder/eo/LC_MESSAGES/messages.mo``."""
    catalog = Catalog(locale=PSEUDO)
    for message in _extracted_ids():
        if isinstance(message, tuple):
            catalog.add(message, tuple(f"{OPEN}{m}{CLOSE}" for m in message[:2]))
        else:
            catalog.add(message, f"{OPEN}{message}{CLOSE}")
    target = folder / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as f:
        write_mo(f, catalog)
    return folder


# --- visible text ------------------------------------------------------------------------------------

class VisibleText(HTMLParser):
    """The text nodes a reader sees, in document order, and the attributes read aloud or shown; with
    ``content=False``, less what the app shows as people wrote it."""

    HIDDEN = {"script", "style"}
    READ = ("aria-label", "title", "placeholder", "alt", "data-confirm")
    # the elements that hold text people wrote, shown as written (app.css gives them their own direction:
    # .prewrap, .workspace-description, .mail-preview, pre.mail, .snippet, .user-text), and a mailing's
    # rendered preview
    CONTENT_CLASSES = {"prewrap", "workspace-description", "snippet", "user-text", "mail"}
    CONTENT_IDS = {"preview-html", "preview-text", "preview-subject"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, content: bool = True):
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self.attributes: list[str] = []
        self.hidden = 0
        self.content = content
        self.open: list[tuple[str, bool]] = []  # (tag, holds people's text)

    def _is_content(self, tag: str, values: dict) -> bool:
        classes = set((values.get("class") or "").split())
        return (bool(classes & self.CONTENT_CLASSES) or values.get("id") in self.CONTENT_IDS
                or (tag == "pre" and "mail-preview" in classes))

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        values = dict(attrs)
        if tag not in self.VOID:
            self.open.append((tag, self._is_content(tag, values)))
        self.attributes += [values[name] for name in self.READ if values.get(name)]
        if tag == "input" and values.get("type") in ("submit", "button", "reset") and values.get("value"):
            self.attributes.append(values["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in self.HIDDEN:
            self.hidden -= 1
        if tag not in self.VOID and self.open:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        if any(name == tag for name, _ in self.open):  # close it (and what it left open)
            while self.open and self.open.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if self.hidden or (not self.content and any(flag for _, flag in self.open)):
            return
        self.nodes.append(data)


def outside_markers(nodes: list[str]) -> list[str]:
    """The pieces of text outside every ``⟦⟧``, following the brackets across nodes (a message's link)."""
    depth, runs = 0, []
    for node in nodes:
        run = []
        for char in node:
            if char == OPEN:
                depth += 1
                runs.append("".join(run))
                run = []
            elif char == CLOSE:
                depth = max(0, depth - 1)
            elif depth == 0:
                run.append(char)
        runs.append("".join(run))
    return [run for run in runs if run.strip()]


# --- data: what a page may show untranslated -----------------------------------------------------------

NOISE = re.compile(
    r"https?://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+|\b\d{4}-\d{2}-\d{2}(T[\d:.]+)?\b"
    r"|\b\d{1,2}:\d{2}(:\d{2})?(\s+([A-Z]{2,5}|[+-]\d{2,4}))?\b|\b[+-]\d{2}(\d{2})?\b|/[\w/.-]*|\d+"
    r"|\b[A-Z]{2,5}\b"  # codes and abbreviations: a country beside a city ("Tirana (AL)"), a zone ("CEST")
)
SEPARATORS = re.compile(r"\s*(?:[·•|,;:()\[\]{}«»\"“”„!?…—–]|\.\.\.|\s[-/]\s|\.(?:\s|$))\s*")
LETTER = re.compile(r"[^\W\d_]")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold().strip(" .'’-")


def _loose(text: str) -> str:
    """The words of a text without its punctuation: "Elin Strand, Strategist" → "elin strand strategist"."""
    return " ".join(word.strip("-'’.") for word in SEPARATORS.sub(" ", text).split()).casefold().strip()


class Data:
    """The values a page may show as they are: the database's strings and reference names."""

    def __init__(self, values, names=()):
        values = {v for v in values if v and LETTER.search(v)}
        # as shown, without its numbers (the page's text is compared without them), and the parts of names
        # and places shown alone ("Halle (Saale)", "Vijećnica, Obala Kulina bana 1"); not the parts of other
        # values ("Webinar: …" would hide an unmarked "Webinar")
        values |= {NOISE.sub(" ", v) for v in values}
        values |= {piece for v in names if v and len(v) < 80 for piece in SEPARATORS.split(NOISE.sub(" ", v))
                   if len(LETTER.findall(piece)) >= 3}
        self.values = {_fold(v) for v in values if v and LETTER.search(v)}
        # values joined on a page ("Elin Strand, Strategist, Violent Extremism Prevention · email") are
        # found word for word, whatever the punctuation between them
        self.loose = {_loose(v) for v in values if v and LETTER.search(v)}
        # long texts (descriptions, lessons) are shown as paragraphs of their Markdown: matched as substrings
        self.corpus = "\x00".join(sorted(v for v in self.values if len(v) > 40))
        # the text nodes of what the pages rendered with |markdown (written by users or seeded): the words
        # of a <strong> or a link in a description
        self.rendered: set[str] = set()

    def covers(self, piece: str) -> bool:
        folded = _fold(piece)
        if not LETTER.search(folded) or folded in self.values:
            return True
        if len(folded) >= 20 and folded in self.corpus:
            return True
        words = _loose(piece).split()
        i = 0
        while i < len(words):  # the longest run of words that is a value, from each word on
            for j in range(len(words), i, -1):
                if " ".join(words[i:j]) in self.loose:
                    i = j
                    break
            else:
                if LETTER.search(words[i]):
                    return False
                i += 1
        return True

    def offenders(self, run: str) -> list[str]:
        """The parts of a text outside the markers that are not data."""
        folded = _fold(run)
        if folded in self.values or folded in self.rendered or (len(folded) >= 20 and folded in self.corpus):
            return []
        text = NOISE.sub(" ", run)
        if not LETTER.search(text) or self.covers(text):
            return []
        return [" ".join(piece.split()) for piece in SEPARATORS.split(text)
                if piece and LETTER.search(piece) and not self.covers(piece)]


# columns of codes ("active", "draft", "workshop"): a page shows their labels, so a code on a page is a
# text to translate, not data
CODE_COLUMNS = re.compile(r"(^|_)(status|kind|role|visibility|phase|action|level|sector|region|state|type|format"
                          r"|category|language|channel|mode|source|outcome|answer|country|slug|doc_id|key|code"
                          r"|token|hash)$")
NAME_COLUMNS = re.compile(r"name|address|venue|location|organisation|place|city")


def database_strings() -> tuple[set[str], set[str]]:
    """The database's text values, and those of them that are names and places."""
    strings, names = set(), set()
    for model in all_models():
        # the audit log is a machine record shown as it is (action codes, field names and stored values)
        record = model.__name__ == "AuditEntry"
        fields = [f for f in model._meta.sorted_fields if isinstance(f, (peewee.CharField, peewee.TextField))
                  and (record or not CODE_COLUMNS.search(f.name))]
        if not fields:
            continue
        for row in model.select(*fields).tuples().iterator():
            for field, value in zip(fields, row, strict=True):
                if record and isinstance(value, (str, dict)) and str(value).startswith("{"):
                    stored = json.dumps(value) if isinstance(value, dict) else value
                    strings.update(re.findall(r'"([^"]+)"', stored))
                    # the stored values as Python shows them ("urgent: False")
                    scalars = re.findall(r"\b(?:true|false|null)\b", stored)
                    strings.update(str(json.loads(word)) for word in scalars)
                if isinstance(value, list):  # JSON lists (languages, tags, facets) are shown item by item
                    strings.update(item for item in value if isinstance(item, str))
                    continue
                if not isinstance(value, str) or value.startswith("{"):  # JSON objects: keys and codes
                    continue
                strings.add(value)
                if NAME_COLUMNS.search(field.name):
                    names.add(value)
                if value.startswith("["):  # JSON lists (languages, tags, facets) are shown item by item
                    strings.update(re.findall(r'"([^"]+)"', value))
    return strings, names


def wtforms_messages() -> set[str]:
    """WTForms' own validation messages ("This field is required."), which Flask-WTF translates from WTForms'
    catalogues: those translated in every language the interface offers (none has an "eo" catalogue)."""
    from babel.support import Translations
    from wtforms.i18n import messages_path

    translated = None
    for language in LANGUAGES:
        if language == "en":
            continue
        catalogue = Translations.load(messages_path(), [language], domain="wtforms")
        ids = {key for key, text in getattr(catalogue, "_catalog", {}).items()
               if isinstance(key, str) and key and text and text != key}
        translated = ids if translated is None else translated & ids
    return translated or set()


def reference_strings() -> set[str]:

    import pycountry

    from crm.core.zones import zone_choices

    strings = set(i18n.LANGUAGES.values())
    strings.add("Strong Cities CRM")  # the product's name, the same in every language
    # each language by its own name, as language choosers show them ("Dansk", "Türkçe", "Čeština")
    strings.update(Locale.parse(code).get_display_name(code) or ""
                   for code in localedata.locale_identifiers() if "_" not in code)

    def walk(value):
        if isinstance(value, str):
            strings.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    strings.update(wtforms_messages())
    for name in ("vocabulary.json", "toolkit.json", "language_names.json"):
        walk(json.loads((ROOT / "seeds" / name).read_text(encoding="utf-8")))
    for country in pycountry.countries:
        strings.update(getattr(country, key, "") for key in ("name", "common_name", "official_name"))
    strings.add("Kosovo")
    for group, zones in zone_choices().items():
        strings.add(group)
        strings.update(label for _zone, label in zones)
        strings.update(part for _zone, label in zones for part in label.split(" — "))
    # Babel's names and the words of its date patterns ("la 5-a de marto 2027") in the pseudo-locale only:
    # an English month name on a pseudo page is a date formatted without the page's language
    locale = Locale.parse(PSEUDO)
    for names in (locale.months, locale.days, locale.quarters):
        for context in names.values():
            for width in context.values():
                strings.update(width.values())
    strings.update(locale.languages.values())
    strings.update(locale.territories.values())
    strings.update(locale.eras["abbreviated"].values())
    for formats in (locale.date_formats, locale.datetime_formats, locale.datetime_skeletons):
        for pattern in formats.values():
            strings.update(re.findall(r"'([^']+)'", str(getattr(pattern, "pattern", pattern))))
    return strings


# --- the site ------------------------------------------------------------------------------------

def more_records() -> None:
    """What the demo network lacks for its pages to be reached: a city's incident workspace, a mailing draft."""
    from crm.accounts.models import User
    from crm.contacts.models import Contact
    from crm.events.invitations import send_invitations, why_not_invitable
    from crm.events.models import DRAFT, PUBLISHED, Event
    from crm.mailings.models import MailingList
    from crm.mailings.services import ensure_default_lists, save_mailing, save_segment
    from crm.membership.models import City
    from crm.workspace.services import forward_advice, open_workspace, request_advice

    member = User.get(User.email == demo_login("member")[0])
    if member.city_id is None:
        member.city = City.select().where(City.status == "active").order_by(City.id).first()
        member.save()
    workspace = open_workspace(City.get_by_id(member.city_id), {
        "title": "Vehicle attack at the market", "phase": "first_week",
        "description": "A van was driven into people at the Saturday market; families ask for one point of contact."},
        actor=member)
    staff = User.get(User.email == demo_login("staff")[0])
    # an advice request forwarded to a peer's focal point, and a personal invitation: their mails' links
    peer = (City.select().where(City.status == "active", City.id != member.city_id).order_by(City.id).first())
    advice = request_advice(workspace, peer, "How did you organise the first days for the families?", urgent=False,
                            actor=member)
    forward_advice(advice, actor=staff, to_email="focal.point@example.org")
    event = Event.select().where(Event.status.in_((PUBLISHED, DRAFT))).order_by(Event.id).first()
    invitable = [c for c in Contact.select().order_by(Contact.id) if why_not_invitable(c) is None]
    sent, _skipped = send_invitations(event, invitable[:30], actor=staff)
    assert sent, "no contact of the demo network could be invited"
    from crm.accounts.services import request_password_reset

    request_password_reset(member.email)  # a mail in the outbox (its link shown redacted)
    ensure_default_lists()
    first_list = MailingList.select().order_by(MailingList.id).first()
    save_segment(None, name="Focal points of the Balkans", mailing_list=first_list,
                 filters={"region": "western_balkans"}, actor=staff)
    save_mailing(None, mailing_list=first_list,
                 subject="Network news", body="Hello {{ name }},\n\nThe network met in Oslo.", actor=staff)


def linkless_paths() -> dict[str, list[str]]:
    """The pages no link leads to, per role: the personal links of mails, with tokens made by the app's own
    functions (and a broken one, whose page says why it does not work), merge previews, a mail of the outbox,
    print lists and badges. Needs a request context (``url_for``)."""
    from flask import url_for

    from crm.accounts import services as accounts
    from crm.accounts.models import User
    from crm.contacts.models import Contact
    from crm.events import links
    from crm.events.models import Event, Invitation, Registration
    from crm.lessons.models import Lesson, ToolkitItem
    from crm.mail import OutboxMail
    from crm.mailings.models import Mailing, Segment
    from crm.mailings.services import unsubscribe_token
    from crm.membership.models import Application, City
    from crm.membership.services import status_token
    from crm.workspace.models import AdviceRequest
    from crm.workspace.services import answer_token

    def first(model, *where):
        query = model.select().order_by(model.id)
        return (query.where(*where) if where else query).first()

    anonymous = []
    application = first(Application)
    if application:
        anonymous.append(url_for("membership.application_status", token=status_token(application)))
    invitation = first(Invitation)
    if invitation:
        anonymous.append(url_for("events.answer_invitation", token=links.make_token(invitation, links.INVITATION_SALT)))
    reg = first(Registration)
    if reg:
        anonymous.append(url_for("events.manage_registration", token=links.make_token(reg, links.REGISTRATION_SALT)))
    contact, mailing = first(Contact), first(Mailing)
    anonymous.append(url_for("mailings.unsubscribe", token=unsubscribe_token(contact, mailing)))
    user = User.get(User.email == demo_login("member")[0])
    anonymous.append(url_for("accounts.reset_password", token=accounts.make_token(user, accounts.RESET_SALT)))
    anonymous.append(url_for("accounts.accept_invitation", token=accounts.make_token(user, accounts.INVITE_SALT)))
    advice = first(AdviceRequest)
    if advice:
        anonymous.append(url_for("workspace.advice_answer", token=answer_token(advice)))
    # a broken link of each kind: the page (or the flash after its redirect) tells why
    anonymous += [url_for(endpoint, token="broken") for endpoint in (
        "membership.application_status", "events.answer_invitation", "events.manage_registration",
        "mailings.unsubscribe", "accounts.reset_password", "workspace.advice_answer")]

    secretariat = []
    cities = list(City.select().order_by(City.id).limit(2))
    secretariat.append(url_for("membership.city_merge", city_id=cities[0].id, other_id=cities[1].id))
    contacts = list(Contact.select().order_by(Contact.id).limit(2))
    secretariat.append(url_for("contacts.contact_merge", contact_id=contacts[0].id, other_id=contacts[1].id))
    mail = first(OutboxMail)
    if mail:
        secretariat.append(url_for("outbox.mail_detail", mail_id=mail.id))
    event = first(Event, Event.id.in_(Registration.select(Registration.event)))
    if event:
        secretariat += [url_for("events.print_list", event_id=event.id),
                        url_for("events.badges", event_id=event.id, paper="letter")]
    # forms the walk meets too deep (past its 400 pages) or from a page of another role
    secretariat += [url_for("incidents.vocabulary"), url_for("lessons.toolkit_new"),
                    url_for("lessons.toolkit_edit", item_id=first(ToolkitItem).id),
                    url_for("lessons.lesson_edit", lesson_id=first(Lesson).id)]
    draft = first(Mailing, Mailing.queued_at.is_null())
    if draft:
        secretariat += [url_for("mailings.mailing_edit", mailing_id=draft.id),
                        url_for("mailings.mailing_send", mailing_id=draft.id),
                        url_for("mailings.mailing_version", mailing_id=draft.id, language="fr")]
    segment = first(Segment)
    if segment:
        secretariat += [url_for("mailings.segment_detail", segment_id=segment.id),
                        url_for("mailings.segment_edit", segment_id=segment.id)]
    anonymous.append(url_for("membership.application_sent"))
    return {"anonymous": anonymous, "member": [], "staff": secretariat, "admin": secretariat}


def bad_posts(linkless: dict[str, list[str]]) -> list[tuple[str, str, dict | None]]:
    """(role, url, form) of the main forms sent empty or wrong: the page shows field errors, or the page a
    redirect leads to shows a flash message; a form of None opens a broken personal link (GET). Needs a
    request context (``url_for``)."""
    from flask import url_for

    from crm.events.models import Event
    from crm.membership.models import City

    city = City.select().order_by(City.id).first()
    event = Event.select().order_by(Event.id).first()
    posts = [
        ("anonymous", url_for("membership.apply"), {}),
        ("anonymous", url_for("membership.apply"), {"email": "not an address", "population": "many"}),
        ("anonymous", url_for("accounts.login"), {"email": "nobody@example.org", "password": "wrong password"}),
        ("anonymous", url_for("accounts.forgot_password"), {}),
        ("anonymous", url_for("accounts.forgot_password"), {"email": "nobody@example.org"}),
        ("anonymous", url_for("events.register_public", event_id=event.id), {}),
        ("member", url_for("lessons.lesson_new"), {}),
        ("member", url_for("workspace.workspace_new"), {}),
        ("member", url_for("incidents.incident_new"), {}),
        ("member", url_for("accounts.timezone"), {"timezone": "Mars/Olympus"}),
        ("staff", url_for("contacts.contact_create"), {}),
        ("staff", url_for("contacts.contact_create"), {"email": "not an address"}),
        ("staff", url_for("membership.city_edit", city_id=city.id), {"name": ""}),
        ("staff", url_for("events.event_new"), {}),
        ("staff", url_for("events.event_new"), {"title": "x", "starts_at": "tomorrow", "capacity": "-3"}),
        ("staff", url_for("events.invite", event_id=event.id), {}),
        ("staff", url_for("events.agenda_edit", event_id=event.id), {}),
        ("staff", url_for("mailings.mailing_new"), {}),
        ("staff", url_for("mailings.list_new"), {}),
        ("staff", url_for("mailings.segment_new"), {}),
        ("staff", url_for("savedfilters.save"), {"page": "contacts.contact_list", "name": "", "query": "q=x"}),
        ("staff", url_for("lessons.toolkit_new"), {}),
        ("admin", url_for("accounts.invite_user"), {}),
        ("admin", url_for("accounts.invite_user"), {"email": "not an address"}),
    ]
    # the personal links' forms sent empty or wrong (the unsubscribe link's one-click POST is not a form): a
    # withdrawal not confirmed, a seat confirmed that was never offered; an advice request declined (its flash)
    wrong = {"/apply/status/": {"withdraw-reason": ""}, "/events/registration/": {"action": "confirm"},
             "/workspace/advice/answer/": {"answer": "decline"}}
    posts += [("anonymous", url, next((form for part, form in wrong.items() if part in url), {}))
              for url in linkless["anonymous"]
              if url.count("/") > 2 and "/mailings/u/" not in url and "broken" not in url]
    posts += [("anonymous", url, {"password": "short", "confirm": "other"}) for url in linkless["anonymous"]
              if "/account/reset/" in url]
    # a broken personal link, opened: its page (404) or the flash message after its redirect says why
    posts += [("anonymous", url, None) for url in linkless["anonymous"] if "broken" in url]
    return posts


class Site:
    """One app on one demo database, each role's pages, and what the pseudo pages showed."""

    def __init__(self, app):
        self.app = app
        self.pages: dict[str, list[str]] = {}
        self.clients: dict[str, object] = {}
        self.offenders: dict[tuple[str, str], list[str]] = {}  # (role, url) -> texts
        self.templates: dict[str, list[str]] = {}  # url -> templates rendered for it
        self.errors: dict[str, str] = {}  # url -> the exception of its last server error
        self.data: Data | None = None
        self.linkless: dict[str, list[str]] = {}  # role -> pages no link leads to (linkless_paths)
        self.posts: list[tuple[str, str, dict | None]] = []  # (role, url, form): bad_posts

    def client(self, role):
        if role not in self.clients:
            client = self.app.test_client()
            if role != "anonymous":
                email, password = demo_login(role)
                assert login(client, email, password).status_code == 302
            self.clients[role] = client
        return self.clients[role]

    def use(self, role, language):
        client = self.client(role)
        with client.session_transaction() as session:
            session[i18n.SESSION_KEY] = language
            session.pop("_flashes", None)  # a message flashed in the last language is not this one's text
        return client

    def paths(self, role) -> list[str]:
        """The pages a role reaches by following links from the home page, a few per endpoint."""
        if role not in self.pages:
            client = self.use(role, "en")
            adapter = self.app.url_map.bind("localhost")
            seen, queue, kept, per_endpoint = set(), ["/"], [], defaultdict(int)
            while queue and len(seen) < 400:
                url = queue.pop(0)
                if url in seen:
                    continue
                seen.add(url)
                try:
                    endpoint = adapter.match(url.split("?")[0])[0]
                except Exception:  # noqa: BLE001 (redirects and 404s: rendered as any page)
                    endpoint = url
                per_endpoint[endpoint] += 1
                if per_endpoint[endpoint] > PER_ENDPOINT:
                    continue
                response = client.get(url)
                kept.append(url)
                if response.mimetype == "text/html" and response.status_code == 200:
                    queue += [p for p in linked_paths(url, response.get_data(as_text=True), SKIP) if p not in seen]
            self.pages[role] = kept + [url for url in self.linkless.get(role, []) if url not in seen]
        return self.pages[role]


@pytest.fixture(scope="module")
def site(database_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("i18n_crawl")
    catalogues = pseudo_catalogue(folder / "pseudo")
    if str(database_template).startswith("postgresql"):
        from tests.conftest import _fresh_database_url

        url = _fresh_database_url(database_template, folder)
    else:
        shutil.copyfile(database_template, folder / "crm.sqlite3")
        url = f"sqlite:///{folder / 'crm.sqlite3'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(i18n.LANGUAGES, PSEUDO, "Pseudo")
        app = create_app({
            "TESTING": True, "SECRET_KEY": "i18n-crawl", "DATABASE_URL": url, "INDEX_DIR": str(folder / "index"),
            "WTF_CSRF_ENABLED": False, "MAIL_SUPPRESS_SEND": True, "RATELIMIT_STORAGE_URI": "memory://",
            "BASE_URL": "http://127.0.0.1:5000",
            "BABEL_TRANSLATION_DIRECTORIES": f"{i18n.TRANSLATIONS_DIR};{catalogues}",
            # an error in one page is a 500 page (and its exception is kept), not the end of the walk
            "PROPAGATE_EXCEPTIONS": False,
        })
        # Set up in an app context, then requests each push their own, as on a server: nothing (the
        # signed-in user flask-login keeps on g, Flask-Babel's locale) carries from one request to the next.
        with app.app_context():
            database.connect(reuse_if_open=True)
            seeding.run(demo=True)
            more_records()
            strings, names = database_strings()
            reference = reference_strings()
            data = Data(strings | reference, names | reference)
            with app.test_request_context("/"):
                linkless = linkless_paths()
                posts = bad_posts(linkless)
            database.close()
        site = Site(app)
        site.data = data
        site.linkless, site.posts = linkless, posts

        def record(sender, template, context, **extra):
            if has_request_context() and template.name:
                site.templates.setdefault(request.full_path.rstrip("?"), []).append(template.name)

        def failed(sender, exception, **extra):
            site.errors[request.full_path.rstrip("?")] = f"{type(exception).__name__}: {exception}"

        markdown = app.jinja_env.filters["markdown"]

        def markdown_seen(text):
            html = markdown(text)
            parser = VisibleText()
            parser.feed(str(html))
            site.data.rendered.update(_fold(node) for node in parser.nodes)
            return html

        app.jinja_env.filters["markdown"] = markdown_seen
        template_rendered.connect(record, app)
        got_request_exception.connect(failed, app)
        yield site
        template_rendered.disconnect(record, app)
        got_request_exception.disconnect(failed, app)
        report = os.environ.get("CRM_I18N_OFFENDERS")
        if report:
            text = offenders_by_template(site)
            if report == "-":
                sys.stdout.write("\n" + text)
            else:
                Path(report).write_text(text, encoding="utf-8")


# --- which file holds an offender ------------------------------------------------------------------

def _sources() -> dict[str, str]:
    files = {}
    for path in sorted((ROOT / "templates").rglob("*.html")) + sorted((ROOT / "crm").rglob("*.py")):
        files[str(path.relative_to(ROOT))] = " ".join(path.read_text(encoding="utf-8").split())
    return files


def _holder(text: str, rendered: list[str], sources: dict[str, str], url: str) -> str:
    """The file an offender's text is written in: a template the page rendered, else a Python file, else
    the page's main template (a text built from pieces, or a date or label formatted in code)."""
    main = rendered[0] if rendered else url
    needle = " ".join(text.split("  ← ")[0].split())
    if len(LETTER.findall(needle)) < 3:
        return f"(built in code or a template: {main})"
    pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", re.IGNORECASE)
    found = [name for name in rendered if pattern.search(sources.get(name, ""))]
    found = found or [name for name, source in sources.items() if name.endswith(".py") and pattern.search(source)]
    return found[0] if found else f"(built in code or a template: {main})"


def offenders_by_template(site: Site) -> str:
    """The offenders grouped by the file that holds their text (a template the page rendered first)."""
    sources = _sources()
    grouped: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for (role, url), texts in site.offenders.items():
        rendered = [f"templates/{name}" for name in site.templates.get(url, [])]
        for text in texts:
            grouped[_holder(text, rendered, sources, url)][text].add(f"{role} {url}")
    lines = [f"{sum(len(t) for t in grouped.values())} untranslated texts in {len(grouped)} files", ""]
    for where in sorted(grouped):
        lines.append(where)
        for text in sorted(grouped[where]):
            pages = sorted(grouped[where][text])
            more = f" (+{len(pages) - 2} more)" if len(pages) > 2 else ""
            lines.append(f"    {text!r}   on {', '.join(pages[:2])}{more}")
    return "\n".join(lines) + "\n"


# --- the tests -----------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_in_every_language(site, role):
    failures, seen, paths = [], 0, site.paths(role)
    for language in LANGUAGES:
        client = site.use(role, language)
        direction = "rtl" if language in i18n.RIGHT_TO_LEFT else "ltr"
        for url in paths:
            response = client.get(url)
            seen += 1
            if response.status_code >= 500:
                failures.append(f"{language} {url}: {response.status_code} {site.errors.get(url, '')}")
            elif response.mimetype == "text/html" and response.status_code < 300:
                head = response.get_data(as_text=True)[:400]
                if f'<html lang="{language}" dir="{direction}"' not in head:
                    failures.append(f"{language} {url}: {re.search(r'<html[^>]*>', head)}")
    assert failures == [], "\n".join(failures)
    assert seen >= len(LANGUAGES) * (5 if role == "anonymous" else 30), seen


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_no_untranslated_message(site, role):
    paths = site.paths(role)
    client = site.use(role, PSEUDO)
    pages = 0
    for url in paths:
        response = client.get(url)
        if response.status_code >= 500:
            site.offenders[(role, url)] = [f"server error {response.status_code}: {site.errors.get(url, '')}"]
            continue
        if response.mimetype != "text/html" or response.status_code >= 300:
            continue
        html = response.get_data(as_text=True)
        assert f'<html lang="{PSEUDO}"' in html[:400], url
        pages += 1
        texts = page_offenders(site, html)
        if texts:
            site.offenders[(role, url)] = texts
    assert pages >= (5 if role == "anonymous" else 30), pages
    mine = {url: texts for (who, url), texts in site.offenders.items() if who == role}
    assert not mine, f"{sum(map(len, mine.values()))} untranslated texts on {len(mine)} pages as {role}:\n" + \
        "\n".join(f"  {url}\n" + "\n".join(f"      {t!r}" for t in texts) for url, texts in sorted(mine.items()))


@pytest.mark.slow
def test_no_untranslated_message_after_a_bad_post(site):
    """The main forms sent empty or wrong, in the pseudo-locale: the field errors of the page shown again and
    the flash message of the page a redirect leads to are marked too."""
    assert len(site.posts) >= 35
    failures = []
    for role, url, form in site.posts:
        client = site.use(role, PSEUDO)
        if form is None:
            response, where = client.get(url, follow_redirects=True), f"GET {url}"
        else:
            response, where = client.post(url, data=form, follow_redirects=True), f"POST {url} {sorted(form)}"
        if response.status_code >= 500:
            failures.append(f"{where}: {response.status_code} {site.errors.get(url, '')}")
            continue
        html = response.get_data(as_text=True)
        if response.mimetype != "text/html" or f'<html lang="{PSEUDO}"' not in html[:400]:
            failures.append(f"{where}: {response.status_code} {response.mimetype} not a page in the pseudo-locale")
            continue
        # the answer to a bad form is a field error or a flash message: without one, this checked nothing
        if (response.status_code != 404 and 'class="field-error"' not in html and 'class="flash ' not in html
                and 'role="alert"' not in html):
            failures.append(f"{where}: {response.status_code}, no field error and no flash message")
        texts = page_offenders(site, html)
        if texts:
            site.offenders[(role, where)] = texts
            failures.append(f"{where}\n" + "\n".join(f"      {t!r}" for t in texts))
    assert not failures, f"{len(failures)} bad posts:\n" + "\n".join(failures)


def test_countries_and_quarters_in_the_pages_language(site):
    """Country names are CLDR's in the page's language (pycountry's English in English), and a report's
    quarters Babel's ("T2 2026" in French; "2026 Q2" in English, as before)."""
    from crm.membership.models import City

    with site.app.app_context():
        codes = sorted({code for (code,) in City.select(City.country).where(City.status == "active").tuples()})
    french = Locale.parse("fr").territories
    code = next(c for c in codes if french.get(c) and french[c] != pycountry_name(c))
    pages = {language: site.use("staff", language).get("/members/").get_data(as_text=True)
             for language in ("en", "fr")}
    assert f"<td>{french[code]}</td>" in pages["fr"] and f"<td>{pycountry_name(code)}</td>" not in pages["fr"]
    assert f"<td>{pycountry_name(code)}</td>" in pages["en"]
    reports = {language: site.use("staff", language).get("/events/reports?period=quarter").get_data(as_text=True)
               for language in ("en", "fr", "es")}
    assert re.search(r"<th scope=\"col\">\d{4} Q[1-4]</th>", reports["en"])
    for language in ("fr", "es"):
        assert re.search(r"<th scope=\"col\">T[1-4] \d{4}</th>", reports[language])
        assert not re.search(r"\d{4} Q[1-4]", reports[language])


def pycountry_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


def page_offenders(site: Site, html: str) -> list[str]:
    """The texts of a pseudo-locale page that are neither marked nor data."""
    parser = VisibleText(content=False)
    parser.feed(html)
    runs = outside_markers(parser.nodes) + [run for value in parser.attributes for run in outside_markers([value])]
    texts = []
    for run in runs:
        shown = " ".join(run.split())
        # a piece, with the text around it when that helps to find it ("Apr CEST  ← 5 Apr 2026 CEST")
        texts += [piece if _fold(piece) == _fold(shown) or len(shown) > 120 else f"{piece}  ← {shown}"
                  for piece in site.data.offenders(run)]
    return list(dict.fromkeys(texts))


def test_the_check_finds_an_unmarked_text_and_lets_data_through(site):
    source = (
        '{% extends "base.html" %}{% block content %}<h1>{{ _("Member cities") }}</h1>'
        '<p>{% trans url="/x" %}These lessons are public. Member cities read many more once signed in: '
        '<a href="{{ url }}">sign in</a>.{% endtrans %}</p>'
        '<p>Unmarked words here</p><p title="Close the panel">{{ city }} · {{ when|date }} · 12 · a@b.org</p>'
        '<blockquote class="prewrap">Typed by <em>a person</em></blockquote>'
        '<input type="submit" value="{{ _("Save") }}"><input type="submit" value="Send now">{% endblock %}')
    with site.app.test_request_context("/"):
        session[i18n.SESSION_KEY] = PSEUDO
        html = render_template_string(source, city="Halle (Saale)", when=dt.date(2027, 3, 5))
    assert f'<html lang="{PSEUDO}"' in html and "⟦Member cities⟧" in html
    assert page_offenders(site, html) == ["Unmarked words here", "Close the panel", "Send now"]
