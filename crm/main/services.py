"""What the dashboard shows: each feature adds a panel provider here."""

from __future__ import annotations

from flask_babel import gettext as _

from crm.accounts.models import User
from crm.audit.models import AuditEntry
from crm.features import current_registry, panel
from crm.mail import counts as outbox_counts


@panel
def _people():
    users = {role: User.select().where(User.role == role, User.active == True).count()  # noqa: E712
             for role in ("admin", "staff", "member")}
    return {"title": _("Users"), "template": "main/_panel_users.html", "data": users}


@panel
def _outbox():
    return {"title": _("Mail outbox"), "template": "main/_panel_outbox.html", "data": outbox_counts()}


@panel
def _recent_changes():
    entries = list(AuditEntry.select().order_by(AuditEntry.id.desc()).limit(5))
    return {"title": _("Recent changes"), "template": "main/_panel_audit.html", "data": entries}


def member_home_panels(user) -> list[dict]:
    """Return the sections of ``user``'s home page that the features have for them, in the features' order."""
    found = [section for provider in current_registry().member_panel_providers if (section := provider(user))]
    return sorted(found, key=lambda section: section.get("order", 50))


def dashboard_panels() -> list[dict]:
    """Return the dashboard's panels: those of the app's features (``Feature.panels``), in their order."""
    return [provider() for provider in current_registry().panel_providers]
