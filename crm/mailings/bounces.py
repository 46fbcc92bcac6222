"""Bounce reports: read RFC 3464 delivery status notifications from an mbox file or a folder of .eml files.

A permanent failure (``Action: failed`` with a ``5.x.x`` status) is a hard bounce; an address with
``CRM_MAIL_BOUNCE_LIMIT`` hard bounces is *bouncing*: mailings skip it and its contact shows it.
"""

from __future__ import annotations

import hashlib
import mailbox
import re
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path

import peewee
from flask import current_app

from crm.db import database
from crm.mailings.models import MailBounce


def read_messages(path: Path) -> Iterator[tuple[str, Message]]:
    """Yield (name, message) from a folder of .eml files, an mbox file, or a single .eml file."""
    if path.is_dir():
        for item in sorted(path.glob("*.eml")):
            yield item.name, message_from_bytes(item.read_bytes(), policy=policy.compat32)
        return
    head = path.read_bytes()[:5]
    if head.startswith(b"From "):
        box = mailbox.mbox(str(path), create=False)
        try:
            for number, key in enumerate(box.keys()):
                yield f"{path.name}#{number + 1}", box.get_message(key)
        finally:
            box.close()
    else:
        yield path.name, message_from_bytes(path.read_bytes(), policy=policy.compat32)


def _address(value: str) -> str:
    """The address of a ``Final-Recipient``/``Original-Recipient`` value such as ``rfc822; a@b.org``."""
    _kind, _, address = (value or "").partition(";")
    return (address or value or "").strip().strip("<>").lower()


def parse_report(message: Message) -> list[dict]:
    """Return one dict per recipient of a delivery status notification (nothing for any other mail)."""
    found = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        if not isinstance(blocks, list):
            continue
        for block in blocks[1:]:  # the first block is about the reporting server, the rest one per recipient
            address = _address(block.get("Final-Recipient", "") or block.get("Original-Recipient", ""))
            if "@" not in address:
                continue
            action = (block.get("Action", "") or "").strip().lower()
            status = re.sub(r"\s.*", "", (block.get("Status", "") or "").strip())
            found.append({"email": address, "action": action[:20], "status": status[:20],
                          "hard": action == "failed" and status.startswith("5"),
                          "diagnostic": " ".join((block.get("Diagnostic-Code", "") or "").split())[:2000]})
    return found


def _report_id(message: Message) -> str:
    message_id = (message.get("Message-ID", "") or "").strip()
    return message_id[:300] or "sha256:" + hashlib.sha256(message.as_bytes()).hexdigest()


def import_bounces(path: Path) -> dict[str, int]:
    """Record the bounces reported in ``path``; a report read again is not counted twice. Return counts."""
    counts = {"reports": 0, "not_reports": 0, "hard": 0, "soft": 0, "already": 0}
    for _name, message in read_messages(path):
        lines = parse_report(message)
        if not lines:
            counts["not_reports"] += 1
            continue
        counts["reports"] += 1
        report_id = _report_id(message)
        for line in lines:
            try:
                with database.atomic():
                    MailBounce.create(report_id=report_id, **line)
            except peewee.IntegrityError:  # this report was read before
                counts["already"] += 1
            else:
                counts["hard" if line["hard"] else "soft"] += 1
    return counts


def bounce_limit() -> int:
    return max(1, int(current_app.config.get("MAIL_BOUNCE_LIMIT", 3)))


def bouncing_emails(emails=None) -> dict[str, int]:
    """Return ``{address: hard bounces}`` of the addresses at or over the limit (among ``emails`` if given)."""
    query = (MailBounce
             .select(MailBounce.email, peewee.fn.COUNT(MailBounce.id).alias("n"))
             .where(MailBounce.hard == True)  # noqa: E712
             .group_by(MailBounce.email)
             .having(peewee.fn.COUNT(MailBounce.id) >= bounce_limit()))
    if emails is not None:
        query = query.where(MailBounce.email.in_([e.lower() for e in emails if e]))
    return {row.email: row.n for row in query}


def bounces_of(email: str | None) -> list[MailBounce]:
    """Return the bounces recorded for ``email``, newest first."""
    if not email:
        return []
    return list(MailBounce.select().where(MailBounce.email == email.lower()).order_by(MailBounce.id.desc()))
