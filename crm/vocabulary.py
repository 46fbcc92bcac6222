"""The network's shared vocabulary (regions, levels, sectors, themes, phases, languages) from ``seeds/vocabulary.json``.

Read once per process; every feature takes its keys and labels from here."""

from __future__ import annotations

from functools import lru_cache

from crm.seeding import read_json


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    return read_json("vocabulary.json")


def _pairs(name: str, key: str = "key") -> dict[str, str]:
    return {item[key]: item["label"] for item in _vocabulary()[name]}


def pairs(name: str) -> dict[str, str]:
    """Key → label of the vocabulary list ``name`` (regions, levels, sectors, themes, phases, …)."""
    return _pairs(name, key="code" if name == "languages" else "key")


def phases() -> dict[str, str]:
    """Response phase key → label, in the order of the response."""
    return _pairs("phases")


def regions() -> dict[str, str]:
    """Region key → label."""
    return _pairs("regions")


def levels() -> dict[str, str]:
    """Level of government key → label."""
    return _pairs("levels")


def sectors() -> dict[str, str]:
    """Contact sector key → label."""
    return _pairs("sectors")


def themes() -> dict[str, str]:
    """Theme (expertise) key → label."""
    return _pairs("themes")


def languages() -> dict[str, str]:
    """ISO 639-1 code → English label."""
    return _pairs("languages", key="code")


def label(kind: str, key: str) -> str:
    """Return the label of ``key`` in vocabulary ``kind`` (the key itself when unknown)."""
    return pairs(kind).get(key, key)


def match_key(mapping: dict[str, str], text: str) -> str | None:
    """Return the key of ``mapping`` that ``text`` names, by key or by label, ignoring case."""
    from crm.membership.names import fold_name

    wanted = fold_name(text)
    for key, value in mapping.items():
        if wanted in (fold_name(key), fold_name(value)):
            return key
    return None
