"""The language a text written by a user is in (lessons, incidents, event descriptions): detected from the text
when the writer leaves "Detect from the text", offered by its own name, named on the page when it is not the
reader's. Moved here from crm.lessons.services so that every feature tags its texts the same way (beside the
detection itself, crm.peers.text: crm.core may import no feature)."""

from __future__ import annotations

from functools import lru_cache
from unicodedata import normalize

from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _
from markupsafe import Markup
from wtforms import SelectField

from crm.forms import choices
from crm.i18n import DEFAULT, LANGUAGES, current_language, text_direction
from crm.peers.text import LANGUAGES as WRITTEN_LANGUAGES
from crm.peers.text import detect_language

__all__ = ["WRITTEN_LANGUAGES", "WrittenLanguageField", "detected_language", "in_language", "language_choices",
           "language_endonym", "written_language"]


@lru_cache(maxsize=2048)
def _language_of(text: str, default: str = DEFAULT) -> str:
    return detect_language(text, default=default)


def detected_language(title: str, body: str, default: str | None = None) -> str:
    """Return the language (ISO 639-1) a title and text are written in; ``default`` (the writer's page
    language) when they say nothing."""
    text, default = f"{title or ''}\n{body or ''}"[:5000], default or current_language()
    return _language_of(text, default) if text.strip() else default


def written_language(tagged: str, title: str, body: str) -> str:
    """Return the language a record's text is written in: as tagged, else read from its title and text."""
    return tagged or detected_language(title, body, DEFAULT)


def language_choices() -> list[tuple[str, str]]:
    """(code, name in that language) of the languages a text may be written in: the interface's first."""
    others = sorted((code for code in WRITTEN_LANGUAGES if code not in LANGUAGES),
                    key=lambda code: normalize("NFKD", _endonym(code)).casefold())  # Čeština beside Dansk
    return [(code, _endonym(code)) for code in (*LANGUAGES, *others)]


@lru_cache(maxsize=64)
def _endonym(code: str) -> str:
    if code in LANGUAGES:
        return LANGUAGES[code]
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def language_endonym(code: str) -> str:
    """Return a language's name in that language ("Français", "العربية"), for a link to a version in it."""
    return _endonym(code)


def in_language(text: str, code: str):
    """Return ``text`` (escaped) marked with the language it is written in (lang, dir=auto) when that is not the
    page's, for a title quoted inside a sentence of the page; else ``text`` as it is."""
    if not code:
        # language unknown: on a right-to-left page a quoted title is still isolated, so a Latin title and
        # the figures after it keep their order
        return Markup("<bdi>{}</bdi>").format(text) if text_direction() == "rtl" else text
    if code == current_language():
        return text
    return Markup('<span lang="{}" dir="auto">{}</span>').format(code, text)


class WrittenLanguageField(SelectField):
    """A form's choice of the language its text is written in: "Detect from the text" (empty, the default),
    or a language by its own name, listed in the page's language when the form is made."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("default", "")
        super().__init__(label, validators, **kwargs)
        self.choices = choices([("", _("Detect from the text")), *language_choices()])
