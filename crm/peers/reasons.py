"""The reasons of a peer match as messages: English text for whoever reads a string, and the message with its
values for a page in another language.

A ``Reason`` is a ``str`` (its English sentence, what the ranking's tests, the CLI and the evaluation read) that
also keeps its message id and values. The values are data (a record's title, a city, a year) or words of the
network (a facet value, a language, a list of them) that are said again in the reader's language. No Flask
here: ``Reason.say(speaker)`` takes the translation functions from the caller (``crm.peers.wording``).
"""

from __future__ import annotations

from typing import Protocol


class Speaker(Protocol):
    """What saying a reason in a language needs."""

    def gettext(self, msgid: str) -> str:
        """Return the translation of a message id (its placeholders kept)."""

    def label(self, concept: str) -> str | None:
        """Return the label of a concept ("attack:shooting"), or None when there is none in the language."""

    def language(self, code: str) -> str | None:
        """Return the name of a language (ISO 639-1 code), or None."""

    def separator(self, separator: str) -> str:
        """Return a list separator (", " or "; ") as the language writes it."""


class Reason(str):
    """A sentence of the peer search: its English text, with the message id and values to say it again."""

    msgid: str
    values: dict

    def __new__(cls, msgid: str, **values) -> Reason:
        text = msgid % {key: _english(value) for key, value in values.items()} if values else msgid
        self = super().__new__(cls, text)
        self.msgid, self.values = msgid, values
        return self

    def __reduce__(self):  # pickled and copied as what it is, not as a plain string
        return _rebuild, (self.msgid, self.values)

    def say(self, speaker: Speaker) -> str:
        """Return the sentence in the speaker's language (its English text where a word has no translation)."""
        template = speaker.gettext(self.msgid)
        if not self.values:
            return template
        return template % {key: _say(value, speaker) for key, value in self.values.items()}


def _rebuild(msgid: str, values: dict) -> Reason:
    return Reason(msgid, **values)


def _l(msgid: str, **values) -> Reason:
    """Mark a message of the peer search, like Flask-Babel's ``lazy_gettext``: said in a language when shown."""
    return Reason(msgid, **values)


AND = _l("%(first)s and %(second)s")


def in_sentence(label: str) -> str:
    """A label inside a sentence: "Anti-Muslim" -> "anti-Muslim", but "LGBTQ+ venue" stays."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


def capitalised(text: str) -> str:
    """The text with its first letter in capitals."""
    return text[:1].upper() + text[1:]


class Term:
    """A word of the network's vocabulary in a sentence: a concept's label, lower-cased inside a sentence."""

    def __init__(self, concept: str, english: str, *, lowered: bool = False):
        self.concept, self.label, self.lowered = concept, english, lowered

    def english(self) -> str:
        return in_sentence(self.label) if self.lowered else self.label

    def say(self, speaker: Speaker) -> str:
        text = speaker.label(self.concept) or self.label
        return in_sentence(text) if self.lowered else text


class Language:
    """The name of a language (ISO 639-1 code)."""

    def __init__(self, code: str, english: str):
        self.code, self.label = code, english

    def english(self) -> str:
        return self.label

    def say(self, speaker: Speaker) -> str:
        return speaker.language(self.code) or self.label


class Joined:
    """Values said one after the other: ", " or "; " between them, or "and"."""

    def __init__(self, items, separator: str):
        self.items, self.separator = list(items), separator

    def english(self) -> str:
        return self.separator.join(_english(item) for item in self.items)

    def say(self, speaker: Speaker) -> str:
        said = [_say(item, speaker) for item in self.items]
        if self.separator == " and ":
            template = speaker.gettext(AND.msgid)
            text = said[0] if said else ""
            for item in said[1:]:
                text = template % {"first": text, "second": item}
            return text
        return speaker.separator(self.separator).join(said)


class Capitalised:
    """A value said with its first letter in capitals (a sentence's start)."""

    def __init__(self, value):
        self.value = value

    def english(self) -> str:
        return capitalised(_english(self.value))

    def say(self, speaker: Speaker) -> str:
        return capitalised(_say(self.value, speaker))


def _english(value) -> str:
    if isinstance(value, Reason):
        return str.__str__(value)
    english = getattr(value, "english", None)
    return english() if callable(english) else str(value)


def _say(value, speaker: Speaker) -> str:
    say = getattr(value, "say", None)
    return say(speaker) if callable(say) else str(value)
