"""The reasons of a peer match in the page's language (Flask side of ``crm.peers.reasons``).

A ranking is cached whatever the reader's language (``crm.workspace.services``): its reasons stay English
``Reason`` strings, and are said in the page's language only when shown.
"""

from __future__ import annotations

from flask_babel import force_locale, gettext

from crm import vocabulary
from crm.i18n import DEFAULT, current_language
from crm.peers.reasons import Reason

# How a language writes the separators of a list; the others use the English ones.
SEPARATORS = {"ar": {", ": "، ", "; ": "؛ "}}


class PageSpeaker:
    """Says reasons with the interface's catalogues and the vocabulary's labels in one language."""

    def __init__(self, language: str):
        self.code = language

    def gettext(self, msgid: str) -> str:
        return gettext(msgid)

    def label(self, concept: str) -> str | None:
        return vocabulary.concept_label(concept, self.code)

    def language(self, code: str) -> str | None:
        return vocabulary.languages(self.code).get(code)

    def separator(self, separator: str) -> str:
        return SEPARATORS.get(self.code, {}).get(separator, separator)


def reason_text(reason: str, language: str | None = None) -> str:
    """Return a reason in ``language`` (the page's by default); English is the reason's own text."""
    language = language or current_language()
    if language == DEFAULT or not isinstance(reason, Reason):
        return str(reason)
    if language == current_language():
        return reason.say(PageSpeaker(language))
    with force_locale(language):
        return reason.say(PageSpeaker(language))


def reasons_text(match, language: str | None = None) -> list[str]:
    """Return the reasons of a peer match in ``language`` (the page's by default)."""
    language = language or current_language()
    return [reason_text(reason, language) for reason in match.reasons]
