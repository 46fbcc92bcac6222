"""Saved filter pages: save the current filters of a list, open a saved filter, delete one's own."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from crm.accounts.access import secretariat_required
from crm.savedfilters import bp, services


@bp.app_template_global()
def saved_filters(page: str) -> list:
    """The saved filters of a list page the signed-in user may use (empty for anyone but the secretariat)."""
    return services.visible_filters(current_user, page)


def _list_url(page: str, query: str) -> str:
    return url_for(page) + (f"?{query}" if query else "")


@bp.route("/", methods=["POST"])
@secretariat_required
def save():
    """Save the filters a list page shows now under a name (kept for the user, or shared with all staff)."""
    page, query = request.form.get("page", ""), request.form.get("query", "")
    if page not in services.PAGES:
        abort(400)
    if not FlaskForm().validate():
        flash(_("The form expired: try again."), "error")
        return redirect(_list_url(page, services.filter_query(query)))
    try:
        saved = services.save_filter(current_user, page, request.form.get("name", ""), query,
                                     shared=request.form.get("shared") == "y")
    except services.SavedFilterError as exc:
        flash(str(exc), "error")
        return redirect(_list_url(page, services.filter_query(query)))
    flash(_("Saved the filter “%(name)s”: it is listed beside the filters.", name=saved.name), "success")
    return redirect(_list_url(saved.page, saved.query))


@bp.route("/<int:filter_id>")
@secretariat_required
def use(filter_id):
    """Open the list a saved filter belongs to, with exactly the query string that was saved."""
    try:
        saved = services.usable_filter(current_user, filter_id)
    except services.SavedFilterError:
        abort(404)
    return redirect(_list_url(saved.page, saved.query))


@bp.route("/<int:filter_id>/delete", methods=["POST"])
@secretariat_required
def delete(filter_id):
    """Delete one of the user's own saved filters."""
    back = request.form.get("page", "")
    back = url_for(back) if back in services.PAGES else url_for("main.home")
    if not FlaskForm().validate():
        flash(_("The form expired: try again."), "error")
        return redirect(back)
    try:
        saved = services.delete_filter(current_user, filter_id)
    except services.SavedFilterError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Deleted the saved filter “%(name)s”.", name=saved.name), "success")
    return redirect(back)
