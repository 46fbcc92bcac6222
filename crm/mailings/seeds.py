"""The mailing lists every network has."""

from crm.mailings.services import ensure_default_lists
from crm.seeding import loader


@loader()
def default_lists() -> int:
    """Create the network news, events and toolkit updates lists if missing."""
    return ensure_default_lists()
