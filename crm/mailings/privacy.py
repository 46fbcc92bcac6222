"""What mailings hold about a person beyond links to the contact, for the contacts' privacy erasure.

Deliveries, subscriptions and unsubscribes are exported by the contacts feature as linked records. On erasure
the address kept on each delivery and the bounce reports about it are removed; the deliveries stay, anonymous,
so a mailing's figures do not change.
"""

from __future__ import annotations

from crm.mailings.models import Delivery, MailBounce


def erase_mailing_data(contact, email: str | None) -> None:
    """Blank the address on the person's deliveries and forget the bounces reported for it."""
    Delivery.update(email="").where(Delivery.contact == contact).execute()
    if email:
        MailBounce.delete().where(MailBounce.email == email.lower()).execute()
