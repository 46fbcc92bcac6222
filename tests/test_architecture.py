"""Import contract: a feature package imports only the core, the top-level infrastructure modules and the
features it declares it needs; function-local imports count too (they are how cycles used to hide)."""

from __future__ import annotations

import ast
from pathlib import Path

import crm

CRM = Path(crm.__file__).parent

# Top-level modules every feature may use (crm/core/ is the shared core).
INFRASTRUCTURE = {"core", "db", "config", "extensions", "mail", "search", "search_backend", "indexing", "vocabulary", "templating", "i18n",
                  "pagination", "features", "forms", "resources", "seeding", "cli", "errors"}

# The features each feature declares it needs. Edges in KNOWN_CYCLES go both ways and are still to be
# replaced by signals (crm/core/signals.py); no new one may appear.
REQUIRES = {
    "accounts": set(),
    "audit": {"accounts"},
    "main": {"accounts", "audit"},
    "outbox": {"accounts", "audit"},
    "peers": set(),
    "membership": {"accounts", "audit", "peers"},
    "contacts": {"accounts", "audit", "membership", "peers"},
    "events": {"accounts", "audit", "contacts", "membership", "peers"},  # peers.language: a description's language
    "onboarding": {"contacts", "events", "membership"},
    "incidents": {"accounts", "audit", "membership", "peers"},
    "lessons": {"accounts", "audit", "events", "incidents", "membership", "peers"},
    "workspace": {"accounts", "audit", "contacts", "incidents", "lessons", "membership", "peers"},
    "searchui": {"accounts", "membership", "peers"},
    "mailings": {"accounts", "audit", "contacts", "events", "membership"},
    "anniversaries": {"accounts", "audit", "contacts", "incidents", "lessons", "mailings", "membership"},
    "journeys": {"accounts", "audit", "contacts", "events", "incidents", "lessons", "mailings", "membership",
                 "workspace"},
    "savedfilters": {"accounts", "audit"},
}
KNOWN_CYCLES: set[frozenset[str]] = set()  # none left: features that react to another answer its signals


def _features() -> list[str]:
    return sorted(p.name for p in CRM.iterdir()
                  if p.is_dir() and (p / "__init__.py").exists() and p.name not in ("core", "static"))


def _imports(path: Path):
    """Yield (line, crm module named) for every import in the file, at any depth."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            if node.module == "crm":  # from crm import events
                for alias in node.names:
                    yield node.lineno, f"crm.{alias.name}"


def _used_features() -> dict[str, dict[str, list[str]]]:
    features = set(_features())
    found: dict[str, dict[str, list[str]]] = {f: {} for f in features}
    for feature in features:
        for path in sorted((CRM / feature).rglob("*.py")):
            for line, module in _imports(path):
                parts = module.split(".")
                if parts[0] != "crm" or len(parts) < 2 or parts[1] == feature:
                    continue
                where = f"{path.relative_to(CRM.parent)}:{line} imports {module}"
                found[feature].setdefault(parts[1], []).append(where)
    return found


def test_every_feature_declares_what_it_imports():
    features = set(_features())
    assert set(REQUIRES) == features, "declare the needs of every feature package (and only of those)"
    wrong = []
    for feature, used in _used_features().items():
        for target, places in used.items():
            if target in features and target not in REQUIRES[feature]:
                wrong += [f"{p} (not in REQUIRES[{feature!r}])" for p in places]
            elif target not in features and target not in INFRASTRUCTURE:
                wrong += [f"{p} (not core or infrastructure)" for p in places]
    assert not wrong, "\n".join(wrong)


def test_no_new_import_cycles_between_features():
    used = _used_features()
    cycles = {frozenset({a, b}) for a in used for b in used[a] if b in used and a in used.get(b, {})}
    assert cycles <= KNOWN_CYCLES, f"new cycles: {sorted(map(sorted, cycles - KNOWN_CYCLES))}"
    assert cycles == KNOWN_CYCLES, f"cycles gone, drop them from KNOWN_CYCLES: {sorted(map(sorted, KNOWN_CYCLES - cycles))}"


def test_core_imports_no_feature():
    features = set(_features())
    bad = [f"{path.relative_to(CRM.parent)}:{line} imports {module}"
           for path in sorted((CRM / "core").rglob("*.py")) for line, module in _imports(path)
           if module.split(".")[:1] == ["crm"] and len(module.split(".")) > 1 and module.split(".")[1] in features]
    assert not bad, "\n".join(bad)
