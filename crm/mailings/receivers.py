"""What the mailings feature answers when the contact list asks about lists (``crm.core.signals``)."""

from __future__ import annotations

from crm.audit.services import record
from crm.contacts.models import Contact
from crm.core import signals
from crm.db import database
from crm.mailings.models import MailingList
from crm.mailings.services import _on_list_ids, _unsubscribed_ids, subscribe


@signals.mailing_list_choices.connect
def mailing_list_choices(_sender) -> list[tuple[int, str]]:
    """The mailing lists, by name, as ``(id, name)``."""
    return list(MailingList.select(MailingList.id, MailingList.name).order_by(MailingList.name).tuples())


@signals.contacts_subscribed.connect
def subscribe_contacts(list_id, *, contact_ids, actor) -> dict | None:
    """Put contacts on a list through ``subscribe`` (an unsubscribe is never overridden); audit it once."""
    mailing_list = MailingList.get_or_none(MailingList.id == list_id)
    if mailing_list is None:
        return None
    done = {"list": mailing_list.name, "added": [], "already": [], "unsubscribed": []}
    ids = sorted(set(contact_ids))
    with database.atomic():
        on_list = _on_list_ids(mailing_list)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            unsubscribed = _unsubscribed_ids(mailing_list, chunk)  # what is_subscribed reads, for 500 at once
            for contact in Contact.select(Contact.id).where(Contact.id.in_(chunk)).order_by(Contact.id):
                if contact.id in unsubscribed:
                    done["unsubscribed"].append(contact.id)
                elif contact.id in on_list:
                    done["already"].append(contact.id)
                elif subscribe(contact, mailing_list):  # the one rule: it refuses anyone who unsubscribed
                    done["added"].append(contact.id)
                else:
                    done["unsubscribed"].append(contact.id)
        record(actor, "mailing_list.bulk_subscribe", mailing_list,
               summary=f"Added {len(done['added'])} contact(s) to {mailing_list.name}",
               changes={"count": len(done["added"]), "ids": done["added"], "already": len(done["already"]),
                        "skipped_unsubscribed": done["unsubscribed"]})
    return done
