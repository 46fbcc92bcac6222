"""Every page of the crawl in every language (issue 13): no server error, ``<html lang dir>`` right, and in a
pseudo-locale no text that was not marked for translation.

The pseudo-locale ("eo", added to the interface's languages for this module only) has a catalogue built at
test time from a fresh extraction of the code and templates: every message becomes ``⟦message⟧``. A page
rendered in it shows marked text between ``⟦⟧``; any other visible text with letters is either data (the
database's values, vocabulary labels, country and language names, Babel's month and day names, numbers,
times, emails, URLs) or an offender: a text the templates or the code show without ``_()``.

One app and one demo database serve the whole module; each role's pages are found once by following links
(as tests/test_crawl.py does), then rendered in each language.

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
                    strings.update(re.findall(r'"([^"]+)"', json.dumps(value) if isinstance(value, dict) else value))
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
    from crm.mailings.models import MailingList
    from crm.mailings.services import ensure_default_lists, save_mailing
    from crm.membership.models import City
    from crm.workspace.services import open_workspace

    member = User.get(User.email == demo_login("member")[0])
    if member.city_id is None:
        member.city = City.select().where(City.status == "active").order_by(City.id).first()
        member.save()
    open_workspace(City.get_by_id(member.city_id), {
        "title": "Vehicle attack at the market", "phase": "first_week",
        "description": "A van was driven into people at the Saturday market; families ask for one point of contact."},
        actor=member)
    ensure_default_lists()
    staff = User.get(User.email == demo_login("staff")[0])
    save_mailing(None, mailing_list=MailingList.select().order_by(MailingList.id).first(),
                 subject="Network news", body="Hello {{ name }},\n\nThe network met in Oslo.", actor=staff)


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
            self.pages[role] = kept
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
            database.close()
        site = Site(app)
        site.data = data

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
