"""The audit log page for admins."""

import datetime as dt

from flask import render_template, request

from crm.accounts.access import admin_required
from crm.audit import bp, services
from crm.pagination import paginate


def _date_arg(name):
    try:
        return dt.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/")
@admin_required
def log():
    """List audit entries, newest first, filtered by actor, object, action and dates (admins)."""
    filters = {k: request.args.get(k, "").strip() for k in ("actor_email", "object_type", "action", "object_id")}
    since, until = _date_arg("since"), _date_arg("until")
    page = paginate(services.search(**filters, since=since, until=until), per_page=50)
    types, actions = services.facets()
    return render_template("audit/log.html", page=page, filters=filters, since=since, until=until,
                           types=types, actions=actions)
