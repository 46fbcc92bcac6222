"""What events hold about a person beyond links to the contact, for the contacts' privacy erasure.

Registrations and invitations are exported by the contacts feature as linked records. On erasure the
needs a person told us (accessibility, diet: health and belief data) are cleared; status and attendance
stay, anonymous, so the reports' figures do not change.
"""

from __future__ import annotations

from crm.events.models import Invitation, Registration


def erase_event_data(contact, email: str | None) -> None:
    """Clear the personal details of the person's registrations and invitations."""
    (Registration.update(accessibility_needs="", dietary_needs="", consent_listed=False, consent_share_email=False)
     .where(Registration.contact == contact).execute())
    Invitation.update(message="").where(Invitation.contact == contact).execute()
