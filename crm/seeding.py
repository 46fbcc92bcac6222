"""Loading seeds: reference data for every install, and the demo network with ``--demo``.

Each feature registers loaders with ``@loader``; every loader is idempotent (it looks records up
by a natural key before creating them), so ``crm seed`` can run any number of times.
"""

from __future__ import annotations

import json

from crm.resources import seeds_dir

REFERENCE_LOADERS = []
DEMO_LOADERS = []

# Modules that register loaders with @loader; imported by run(). Add a feature's seeds module here.
SEED_MODULES: list[str] = [
    "crm.membership.seeds",
    "crm.events.seeds",
    "crm.incidents.seeds",
]

DEMO_LOGINS = [
    ("admin", "admin@example.org", "Amira Haddad", "demo-admin-2026"),
    ("staff", "staff@example.org", "Tomas Lindqvist", "demo-staff-2026"),
    ("member", "member@example.org", "Ingrid Solberg", "demo-member-2026"),
]


def loader(*, demo: bool = False):
    """Register a seed loader: a function returning the number of records it created."""

    def decorator(func):
        (DEMO_LOADERS if demo else REFERENCE_LOADERS).append(func)
        return func

    return decorator


def read_json(relative: str):
    """Return the parsed JSON seed file ``seeds/<relative>``."""
    return json.loads((seeds_dir() / relative).read_text(encoding="utf-8"))


@loader(demo=True)
def demo_users() -> int:
    """Create the three demo logins (one per role) if they are missing."""
    from crm.accounts.models import User
    from crm.accounts.services import create_user

    created = 0
    for role, email, name, password in DEMO_LOGINS:
        if User.get_or_none(User.email == email) is None:
            create_user(email, name, role, password)
            created += 1
    return created


def loaders(*, demo: bool = False) -> list:
    """Return the loaders to run, in order: reference data first, then the demo network."""
    import importlib

    for name in SEED_MODULES:
        importlib.import_module(name)
    # Order by SEED_MODULES, not by import order (tests may import a feature's seeds module early).
    order = [__name__, *SEED_MODULES]

    def position(func):
        return order.index(func.__module__) if func.__module__ in order else len(order)

    return sorted(REFERENCE_LOADERS, key=position) + (sorted(DEMO_LOADERS, key=position) if demo else [])


def run(*, demo: bool = False, progress=None) -> dict[str, int]:
    """Run the reference loaders (and the demo ones); return records created per loader."""
    created = {}
    for func in loaders(demo=demo):
        created[func.__name__] = func()
        if progress:
            progress(func.__name__)
    return created
