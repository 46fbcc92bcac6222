"""The outbox health panel of the secretariat's dashboard."""

from flask_babel import gettext as _

from crm.features import panel
from crm.outbox.services import health


@panel
def _outbox_health():
    return {"title": _("Outbox health"), "template": "outbox/_panel_health.html", "data": health()}
