"""The outbox health panel of the secretariat's dashboard."""

from crm.features import panel
from crm.outbox.services import health


@panel
def _outbox_health():
    return {"title": "Outbox health", "template": "outbox/_panel_health.html", "data": health()}
