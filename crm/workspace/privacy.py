"""What advice requests hold about a person, for the contacts' data export and erasure.

A peer city's focal point is reached at the address staff forwarded a request to; that address is
personal data of the contact who holds it.
"""

from __future__ import annotations

from crm.workspace.models import AdviceRequest


def export_advice(contact) -> tuple[str, list[dict]]:
    """Return the advice requests forwarded to the person's address."""
    if not contact.email:
        return "advice_requests_forwarded", []
    rows = AdviceRequest.select().where(AdviceRequest.forwarded_to == contact.email).order_by(AdviceRequest.id)
    return "advice_requests_forwarded", [
        {"id": r.id, "status": r.status, "created_at": r.created_at.isoformat(), "forwarded_to": r.forwarded_to}
        for r in rows]


def erase_advice(contact, email: str | None) -> None:
    """Blank the person's address on advice requests (its signed links stop working)."""
    if email:
        AdviceRequest.update(forwarded_to="").where(AdviceRequest.forwarded_to == email).execute()
