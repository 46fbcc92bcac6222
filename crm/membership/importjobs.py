"""CSV imports from the web, in the background: the upload is stored in an ``ImportJob`` row, a thread
checks it (the page shows the progress and then the preview), and after confirmation a thread imports it.

No request waits for a large file: a 150,000-row file takes longer to check and write than a request may
last. The job's state is in the database, so any worker can show it; the page refreshes itself with
``<meta http-equiv="refresh">`` while the job runs (no script).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from crm.accounts.models import User
from crm.core.csvimport import ImportRefused, Plan
from crm.db import database, utcnow
from crm.features import registry
from crm.membership.models import ImportJob

log = logging.getLogger(__name__)

SHOWN = 200  # rows with errors (and with notes) kept for the page; the counts are always complete
PREVIEWED = 100
KEEP_DAYS = 7


def start_check(kind: str, text: str, *, mode: str, actor, filename: str = "") -> ImportJob:
    """Store an uploaded file as a new job and start checking it in the background."""
    ImportJob.delete().where(ImportJob.created_at < utcnow() - dt.timedelta(days=KEEP_DAYS)).execute()
    job = ImportJob.create(kind=kind, mode=mode, actor_id=getattr(actor, "id", None), filename=filename[:200],
                           text=text)
    _start(job.id, "check")
    return job


def start_import(job: ImportJob, *, mode: str, only_valid: bool) -> None:
    """Import a checked job's file in the background (it is checked again: the records may have changed)."""
    if job.state != "checked":
        raise ImportRefused(_("This file is not waiting to be imported."))
    report = job.data
    if report.get("file_errors") or (report.get("invalid") and not only_valid):
        raise ImportRefused(_("The file has errors: fix them, or choose to import only the valid rows."))
    updated = (ImportJob
               .update(state="importing", mode=mode, only_valid=only_valid, rows_done=0, updated_at=utcnow())
               .where(ImportJob.id == job.id, ImportJob.state == "checked")
               .execute())
    if not updated:  # a second click, or another tab
        raise ImportRefused(_("This file is already being imported."))
    _start(job.id, "import")


def _start(job_id: int, stage: str) -> None:
    app = current_app._get_current_object()
    # The job's messages (row errors, notes, the outcome) are written in the language of whoever started it.
    language = str(get_locale() or "en")
    threading.Thread(target=_run, args=(app, job_id, stage, language), name=f"import-job-{job_id}",
                     daemon=True).start()


def _progress(job_id: int):
    def report(done: int, total: int) -> None:
        (ImportJob.update(rows_done=done, rows_total=total, updated_at=utcnow())
         .where(ImportJob.id == job_id).execute())
    return report


def summary(plan: Plan) -> dict:
    """Return what the page shows of a checked file: complete counts, the first errors, notes and rows."""
    def name(row):
        return row.raw.get("name") or row.raw.get("title") or ""

    return {
        "rows": len(plan.rows), "valid": len(plan.valid), "invalid": len(plan.invalid),
        "existing": sum(1 for r in plan.valid if r.existing is not None),
        "file_errors": plan.file_errors, "file_warnings": plan.file_warnings,
        "errors": [[r.number, name(r), "; ".join(r.errors)] for r in plan.invalid[:SHOWN]],
        "warnings": [[r.number, name(r), "; ".join(r.warnings)] for r in plan.rows if r.warnings][:SHOWN],
        "noted": sum(1 for r in plan.rows if r.warnings),
        "preview": [[r.number, r.values.get("name") or r.values.get("title") or "",
                     _("Matches an existing record") if r.existing is not None else _("New")]
                    for r in plan.valid[:PREVIEWED]],
    }


def _run(app, job_id: int, stage: str, language: str = "en") -> None:
    with app.app_context(), force_locale(language):
        database.connect(reuse_if_open=True)
        try:
            job = ImportJob.get_by_id(job_id)
            # The features declare their background imports (Feature.web_imports): no registry filled at import.
            check, apply = registry(app).web_import(job.kind)
            plan = check(job.text, progress=_progress(job_id))
            if stage == "check":
                (ImportJob.update(state="checked", rows_done=len(plan.rows), rows_total=len(plan.rows),
                                  report=json.dumps(summary(plan), ensure_ascii=False), updated_at=utcnow())
                 .where(ImportJob.id == job_id).execute())
                return
            actor = User.get_or_none(User.id == job.actor_id) if job.actor_id else None
            result = apply(plan, mode=job.mode, only_valid=job.only_valid, actor=actor)
            report = dict(job.data, result=str(result))
            (ImportJob.update(state="done", text="", rows_done=len(plan.rows), report=json.dumps(report),
                              message=_("Imported: %(result)s.", result=result.describe()), updated_at=utcnow())
             .where(ImportJob.id == job_id).execute())
        except ImportRefused as exc:
            _fail(job_id, _("%(reason)s Nothing was imported.", reason=exc))
        except Exception:
            log.exception("import job %s stopped", job_id)
            _fail(job_id, _("The import stopped on an unexpected error; nothing was written. "
                            "Upload the file again, or run `crm import` with it to see the details."))
        finally:
            if not database.is_closed():
                database.close()


def _fail(job_id: int, message: str) -> None:
    (ImportJob.update(state="failed", message=message, updated_at=utcnow())
     .where(ImportJob.id == job_id).execute())
