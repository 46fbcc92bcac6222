"""Features: each package declares what it adds in one ``Feature``; the app factory lists them once.

A feature package's ``__init__.py`` holds ``feature = Feature(...)``. Everything it names is an import
string (``"module"`` or ``"module:attribute"``), resolved only when the app needs it, so reading the
declarations imports no views: commands that serve no pages build the app without blueprints and start
fast. ``Registry`` reads the declarations of the features an app lists and answers for all of them
(``app.extensions["crm_features"]``): blueprints, models, commands, index kinds, seeds, dashboard panels,
privacy hooks, navigation links and extra import columns.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from flask import current_app, has_app_context

NAV_AREAS = ("public", "member", "secretariat")


CONVENTION = "<the package's module of that name, if it has one>"


def _exists(module: str) -> bool:
    """Whether ``module`` can be imported (found without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@dataclass(frozen=True)
class Feature:
    """What one feature adds to the application (every reference is an import string, resolved lazily).

    - ``blueprint``: ``"crm.x.views:bp"`` (importing it imports the views that fill it)
    - ``models``: modules whose ``BaseModel`` subclasses make up the feature's tables
    - ``cli``: click commands or groups added to ``crm`` (``"crm.x.commands:group"``)
    - ``cli_imports``: click commands added to the shared ``crm import`` group
    - ``index``: modules declaring ``KINDS`` (``crm.indexing.Kind``) and optionally ``WATCHED`` ((model, doc_ids))
    - ``seeds``: modules whose functions marked ``@crm.seeding.loader`` load reference or demo data
    - ``panels``: modules whose functions marked ``@crm.features.panel`` return dashboard panels, and
      ``@crm.features.member_panel`` sections of a member's home page
    - ``export_hooks`` / ``erase_hooks``: what the feature holds about a contact, for privacy requests
      (``export(contact) -> (name, data)``; ``erase(contact, email_before_erasure)``)
    - ``nav``: ``(area, label, endpoint)`` links, area one of public, member, secretariat
    - ``import_columns``: ``{(import, column): "module:function(record, value)"}`` extra CSV columns
    - ``web_imports``: ``{kind: "module"}`` CSV imports the web page runs in the background, through the
      module's ``check_<kind>(text, progress=…)`` and ``import_<kind>(plan, mode=, only_valid=, actor=)``
    - ``receivers``: modules connecting the feature's answers to ``crm.core.signals`` (imported with the app)

    By convention ``blueprint``, ``models``, ``index``, ``seeds`` and ``panels`` default to the package's
    ``views:bp``, ``models``, ``index``, ``seeds`` and ``panels`` modules where they exist (``package``
    defaults to ``crm.<name>``); pass a value (``None`` or ``()`` for none) to say otherwise.
    """

    name: str
    blueprint: str | None = CONVENTION  # type: ignore[assignment]
    models: tuple[str, ...] = CONVENTION  # type: ignore[assignment]
    cli: tuple[str, ...] = ()
    cli_imports: tuple[str, ...] = ()
    index: tuple[str, ...] = CONVENTION  # type: ignore[assignment]
    seeds: tuple[str, ...] = CONVENTION  # type: ignore[assignment]
    panels: tuple[str, ...] = CONVENTION  # type: ignore[assignment]
    export_hooks: tuple[str, ...] = ()
    erase_hooks: tuple[str, ...] = ()
    nav: tuple[tuple[str, str, str], ...] = ()
    import_columns: dict[tuple[str, str], str] = field(default_factory=dict)
    web_imports: dict[str, str] = field(default_factory=dict)
    receivers: tuple[str, ...] = ()
    package: str = ""

    def __post_init__(self):
        package = self.package or f"crm.{self.name}"
        object.__setattr__(self, "package", package)
        if self.blueprint is CONVENTION:
            object.__setattr__(self, "blueprint", f"{package}.views:bp" if _exists(f"{package}.views") else None)
        for attribute in ("models", "index", "seeds", "panels"):
            if getattr(self, attribute) is CONVENTION:
                module = f"{package}.{attribute}"
                object.__setattr__(self, attribute, (module,) if _exists(module) else ())
        for area, _label, _endpoint in self.nav:
            if area not in NAV_AREAS:
                raise ValueError(f"Feature {self.name}: nav area {area!r} is not one of {', '.join(NAV_AREAS)}")


def resolve(ref: str):
    """Return the object an import string names: ``"package.module"`` or ``"package.module:attribute"``."""
    module_name, _, attribute = ref.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


def panel(provider: Callable[[], dict]) -> Callable[[], dict]:
    """Mark a function returning a dashboard panel (``dict`` with title, template and data).

    Only marks it: the dashboard shows the panels of the modules listed in a feature's ``panels``.
    """
    provider.dashboard_panel = True
    return provider


def member_panel(provider: Callable) -> Callable:
    """Mark a function ``(user) -> dict | None`` returning a section of a member's home page (title, template
    and data), or None when it has nothing to show that user. Listed in the feature's ``panels`` modules too.
    """
    provider.member_panel = True
    return provider


def marked(module, attribute: str) -> list:
    """Return the functions of ``module`` defined there and marked with ``attribute``, in source order."""
    return [value for value in vars(module).values()
            if callable(value) and getattr(value, attribute, None) is not None
            and getattr(value, "__module__", None) == module.__name__]


def declarations(features: Iterable[Feature | str]) -> tuple[Feature, ...]:
    """Return the ``Feature`` of each feature listed by package name (or given as is), importing only its package."""
    return tuple(resolve(f"{f}:feature") if isinstance(f, str) else f for f in features)


class Registry:
    """The features of one application, in the order the factory lists them."""

    def __init__(self, features: Iterable[Feature | str]):
        self.features: tuple[Feature, ...] = declarations(features)
        for ref in (ref for f in self.features for ref in f.receivers):
            resolve(ref)  # connects the feature's signal receivers
        names = [f.name for f in self.features]
        if len(set(names)) != len(names):
            raise ValueError(f"Features listed twice: {sorted({n for n in names if names.count(n) > 1})}")

    def _resolved(self, attribute: str) -> list:
        return [resolve(ref) for feature in self.features for ref in getattr(feature, attribute)]

    def blueprints(self) -> list:
        """The blueprints, in the order their URLs are matched (imports the views)."""
        return [resolve(f.blueprint) for f in self.features if f.blueprint]

    def model_modules(self) -> list[str]:
        return [name for f in self.features for name in f.models]

    def commands(self) -> list:
        return self._resolved("cli")

    def import_commands(self) -> list:
        return self._resolved("cli_imports")

    def index_modules(self) -> list:
        return self._resolved("index")

    def seed_modules(self) -> list:
        return self._resolved("seeds")

    @cached_property
    def panel_providers(self) -> tuple:
        return tuple(p for module in self._resolved("panels") for p in marked(module, "dashboard_panel"))

    @cached_property
    def member_panel_providers(self) -> tuple:
        return tuple(p for module in self._resolved("panels") for p in marked(module, "member_panel"))

    @cached_property
    def export_hooks(self) -> tuple:
        return tuple(self._resolved("export_hooks"))

    @cached_property
    def erase_hooks(self) -> tuple:
        return tuple(self._resolved("erase_hooks"))

    def nav(self, area: str) -> tuple[tuple[str, str], ...]:
        """The ``(label, endpoint)`` links of ``area``, once each."""
        return self._nav[area]

    @cached_property
    def _nav(self) -> dict[str, tuple[tuple[str, str], ...]]:
        return {area: tuple(dict.fromkeys((label, endpoint) for f in self.features
                                          for a, label, endpoint in f.nav if a == area))
                for area in NAV_AREAS}

    def web_import(self, kind: str) -> tuple[Callable, Callable]:
        """The ``(check, import)`` functions of the background CSV import ``kind`` (KeyError if none)."""
        module = next((f.web_imports[kind] for f in self.features if kind in f.web_imports), None)
        if module is None:
            raise KeyError(f"No feature declares the background import {kind!r}")
        return resolve(f"{module}:check_{kind}"), resolve(f"{module}:import_{kind}")

    def import_columns(self, import_name: str) -> dict[str, Callable]:
        """Extra columns of the ``import_name`` CSV import, each with the function that stores its value."""
        return dict(self._import_columns.get(import_name, {}))

    @cached_property
    def _import_columns(self) -> dict[str, dict[str, Callable]]:
        found: dict[str, dict[str, Callable]] = {}
        for f in self.features:
            for (name, column), ref in f.import_columns.items():
                found.setdefault(name, {})[column] = resolve(ref)
        return found


def registry(app=None) -> Registry:
    """Return the feature registry of ``app`` (default: the current app)."""
    app = app or current_app
    return app.extensions["crm_features"]


def current_registry() -> Registry:
    """The current app's registry, or the default features' one outside an app context (e.g. scripts)."""
    if has_app_context() and "crm_features" in current_app.extensions:
        return current_app.extensions["crm_features"]
    return default_registry()


@functools.cache
def default_registry() -> Registry:
    """A registry of the factory's default features (built once)."""
    from crm import FEATURES

    return Registry(FEATURES)
