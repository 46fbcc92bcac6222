"""What membership holds about a person, for the contacts' privacy export and erasure: their applications."""

from __future__ import annotations

from crm.membership.models import Application, ApplicationEvent

PERSONAL = {"applicant": ("applicant_name", "applicant_position", "applicant_email", "applicant_phone"),
            "focal": ("focal_name", "focal_position", "focal_email")}


def _applications(email: str | None):
    if not email:
        return Application.select().where(False)
    return (Application.select()
            .where((Application.applicant_email == email) | (Application.focal_email == email))
            .order_by(Application.id))


def export_applications(contact) -> tuple[str, list[dict]]:
    """Return the applications in which the person is the applicant or the proposed focal point."""
    rows = []
    for a in _applications(contact.email):
        rows.append({"reference": a.reference, "authority": a.authority_name, "status": a.status,
                     "submitted_at": a.submitted_at.isoformat(), "consent_at": a.consent_at.isoformat(),
                     "consent_version": a.consent_version,
                     **{field: getattr(a, field) for fields in PERSONAL.values() for field in fields}})
    return "membership_applications", rows


def erase_applications(contact, email: str | None) -> None:
    """Anonymise the person in the applications they submitted or were proposed in; the decisions stay."""
    for a in _applications(email):
        for role, fields in PERSONAL.items():
            if getattr(a, f"{role}_email") == email:
                for field in fields:
                    setattr(a, field, "erased" if field.endswith("_name") else "")
        a.save()
        ApplicationEvent.update(actor_label="erased").where(
            ApplicationEvent.application == a, ApplicationEvent.actor.is_null()).execute()
