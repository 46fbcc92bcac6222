"""The import pages' two steps, shared by the cities and contacts blueprints: upload, then the job page
(progress while the file is checked, the preview and the confirmation, progress while it is imported)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.core.csvimport import MODES, ImportRefused
from crm.membership import importjobs
from crm.membership.forms import ImportForm
from crm.membership.models import ImportJob


def _texts(kind: str) -> dict:
    """The pages' title, heading and link for ``kind``: one sentence each, so each language says it its own way."""
    if kind == "contacts":
        return {"title": _("Import contacts"), "heading": _("Import contacts from CSV"), "see": _("See the contacts")}
    if kind == "cities":
        return {"title": _("Import cities"), "heading": _("Import cities from CSV"), "see": _("See the cities")}
    return {"title": f"Import {kind}", "heading": f"Import {kind} from CSV", "see": f"See the {kind}"}


def upload_page(kind: str, endpoint: str, *, default_mode: str, columns: str):
    """Show the upload form; a readable upload becomes a job checked in the background."""
    form = ImportForm(default_mode=default_mode)
    if form.validate_on_submit():
        text = form.text()
        if text is not None:
            upload = form.upload.data
            job = importjobs.start_check(kind, text, mode=form.mode.data, actor=current_user,
                                         filename=getattr(upload, "filename", "") or "")
            return redirect(url_for(f"{endpoint}_job", job_id=job.id))
    status = 400 if request.method == "POST" else 200
    return render_template("membership/import.html", form=form, kind=kind, columns=columns, texts=_texts(kind),
                           action=url_for(endpoint)), status


def job_page(kind: str, endpoint: str, job_id: int, *, done_endpoint: str):
    """Show a job (refreshing while it runs); a POST confirms the import of a checked file."""
    job = ImportJob.get_or_none(ImportJob.id == job_id, ImportJob.kind == kind)
    if job is None:
        abort(404)
    form = ImportForm(default_mode=job.mode)
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        if form.mode.data not in MODES:
            abort(400)
        try:
            importjobs.start_import(job, mode=form.mode.data, only_valid=form.only_valid.data)
        except ImportRefused as exc:
            flash(str(exc), "error")
            status = 400
        else:
            return redirect(url_for(f"{endpoint}_job", job_id=job.id))
    return render_template("membership/import_job.html", job=job, report=job.data, form=form, kind=kind,
                           texts=_texts(kind),
                           action=url_for(f"{endpoint}_job", job_id=job.id), upload_url=url_for(endpoint),
                           done_url=url_for(done_endpoint)), status
