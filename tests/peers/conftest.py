"""Fixtures for peer search: a Whoosh index of the demo network, built once per test module."""

import json
from pathlib import Path

import pytest

from crm import search
from crm.peers.matching import documents_from_seeds

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "demo"


@pytest.fixture(scope="module")
def demo_seeds():
    cities = json.loads((SEEDS / "cities.json").read_text(encoding="utf-8"))
    lessons = json.loads((SEEDS / "lessons.json").read_text(encoding="utf-8"))
    return cities, lessons


@pytest.fixture(scope="module")
def demo_index(tmp_path_factory, demo_seeds):
    cities, lessons = demo_seeds
    index = search.Index(str(tmp_path_factory.mktemp("peers") / "index"))
    index.rebuild(documents_from_seeds(cities, lessons, with_contacts=True))
    yield index
    index.close()
