"""The translation catalogues (issue 13): complete, compilable, up to date with the code, and the committed
.mo files exactly what compiling their .po gives (so a fresh clone and the wheel never serve stale text)."""

from __future__ import annotations

import io
import json
import re
from configparser import ConfigParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from crm.i18n import LANGUAGES, TRANSLATIONS_DIR

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [code for code in LANGUAGES if code != "en"]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _read(path: Path, locale=None):
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _ids(catalog) -> set:
    return {message.id for message in catalog if message.id}


def _mapping() -> list[tuple[str, str]]:
    parser = ConfigParser()
    parser.read(ROOT / "babel.cfg")
    return [tuple(section.split(": ", 1)[::-1]) for section in parser.sections()]


def _extracted_ids() -> set:
    """The messages the code and templates hold now, extracted as `make translations-extract` does."""
    method_map = _mapping()
    parser = ConfigParser()
    parser.read(ROOT / "babel.cfg")
    options = {pattern: dict(parser[f"{method}: {pattern}"]) for pattern, method in method_map}
    ids = set()
    for folder in ("crm", "templates"):
        # every folder, _macros/ too (Babel skips folders starting with "_" unless told otherwise)
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / folder, method_map, options, keywords=KEYWORDS,
                directory_filter=lambda path: not Path(path).name.startswith((".", "__pycache__"))):
            ids.add(message)
    return ids


@pytest.fixture(scope="module")
def template():
    return _read(TRANSLATIONS_DIR / "messages.pot")


def test_the_pot_holds_exactly_the_messages_of_the_code(template):
    extracted = _extracted_ids()
    assert extracted, "extraction found nothing: babel.cfg or the folders moved"
    missing, stale = extracted - _ids(template), _ids(template) - extracted
    assert not missing and not stale, (f"run `make translations-update`: new {sorted(missing)}, "
                                       f"gone {sorted(stale)}")


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_covers_every_message_with_no_fuzzy_or_empty_entry(template, code):
    catalog = _read(TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po", locale=code)
    assert _ids(catalog) == _ids(template)
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, f"{code}: fuzzy {message.id!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (catalog.num_plurals if message.pluralizable else 1), message.id
        assert all(s.strip() for s in strings), f"{code}: untranslated {message.id!r}"
        # the same %(name)s placeholders, and no Python format error when rendered
        assert not list(message.check(catalog)), f"{code}: {message.id!r}: {list(message.check(catalog))}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_committed_mo_is_a_fresh_compile_of_its_po(code):
    folder = TRANSLATIONS_DIR / code / "LC_MESSAGES"
    compiled = io.BytesIO()
    write_mo(compiled, _read(folder / "messages.po", locale=code), use_fuzzy=False)
    assert (folder / "messages.mo").read_bytes() == compiled.getvalue(), (
        f"{folder}/messages.mo is out of date: run `make translations-compile` and commit it")


def _fold(text: str) -> str:
    """Lower case, Arabic words without their definite article: "نقطة الاتصال" -> "نقطة اتصال"."""
    return " ".join(re.sub(r"^ال", "", word) for word in text.lower().split())


def test_glossary_terms_are_the_ones_the_catalogues_use():
    glossary = json.loads((ROOT / "seeds" / "glossary.json").read_text(encoding="utf-8"))
    catalogs = {code: _read(TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po", locale=code)
                for code in TRANSLATED}
    checked = 0
    for term in glossary["terms"]:
        assert set(LANGUAGES) <= set(term), f"{term['en']}: a language is missing"
        for msgid in term.get("used_in", ()):
            assert term["en"].lower() in msgid.lower(), (term["en"], msgid)
            for code, catalog in catalogs.items():
                assert _fold(term[code]) in _fold(catalog[msgid].string), (code, term[code], catalog[msgid].string)
                checked += 1
    assert checked >= 12
