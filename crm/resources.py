"""Where the files shipped with the code are: templates, migrations, seeds and static files.

In an installed wheel they sit inside the ``crm`` package (setup.py maps the top-level folders
there). In a source checkout (the editable install, or pytest's ``pythonpath``) they are the
top-level folders beside ``crm/``. Nothing here depends on the working directory.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE_DIR = Path(str(files("crm")))


class ResourceNotFound(RuntimeError):
    """Raised when a folder that ships with the code is missing (a broken install)."""


def _folder(name: str) -> Path:
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    # A source checkout: the folder beside crm/, recognised by the checkout's setup.cfg, so a
    # broken wheel never picks up some other project's folder from site-packages.
    beside = PACKAGE_DIR.parent / name
    if beside.is_dir() and (PACKAGE_DIR.parent / "setup.cfg").is_file():
        return beside
    raise ResourceNotFound(f"The {name}/ folder of the CRM is missing: looked in {inside} and {beside}. "
                           "Reinstall the package (pip install crm-*.whl).")


def templates_dir() -> Path:
    """Return the folder of the Jinja templates."""
    return _folder("templates")


def migrations_dir() -> Path:
    """Return the folder of the numbered migration files."""
    return _folder("migrations")


def seeds_dir() -> Path:
    """Return the folder of the seed files (vocabulary, toolkit, concepts, demo network)."""
    return _folder("seeds")


def static_dir() -> Path:
    """Return the folder of the static files (CSS)."""
    return _folder("static")
