"""Loading seeds: reference data for every install, and the demo network with ``--demo``.

A feature lists its seed modules (``Feature.seeds``), whose loaders are marked ``@loader``; every loader
is idempotent (it looks records up by a natural key before creating them), so ``crm seed`` can run any
number of times.
"""

from __future__ import annotations

import json

from crm.resources import seeds_dir

DEMO_LOGINS = [
    ("admin", "admin@example.org", "Amira Haddad", "demo-admin-2026"),
    ("staff", "staff@example.org", "Tomas Lindqvist", "demo-staff-2026"),
    ("member", "member@example.org", "Ingrid Solberg", "demo-member-2026"),
]


def loader(*, demo: bool = False):
    """Mark a seed loader: a function returning the number of records it created (demo data with ``demo``)."""

    def decorator(func):
        func.seed = "demo" if demo else "reference"
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
    """Return the loaders to run, in order: reference data first, then the demo network.

    This module's loaders come first, then the features' in the order the app lists them.
    """
    import sys

    from crm.features import current_registry, marked

    found = [func for module in (sys.modules[__name__], *current_registry().seed_modules())
             for func in marked(module, "seed")]
    return ([f for f in found if f.seed == "reference"]
            + ([f for f in found if f.seed == "demo"] if demo else []))


def run(*, demo: bool = False, progress=None) -> dict[str, int]:
    """Run the reference loaders (and the demo ones); return records created per loader."""
    created = {}
    for func in loaders(demo=demo):
        created[func.__name__] = func()
        if progress:
            progress(func.__name__)
    return created
