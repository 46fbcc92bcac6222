"""List outbox mails, read one, and retry a failed one."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm import mail, vocabulary
from crm.accounts.access import secretariat_required
from crm.audit.services import record
from crm.outbox import bp
from crm.pagination import paginate


@bp.route("/")
@secretariat_required
def mail_list():
    """List mails in the outbox, failures first when filtered (secretariat)."""
    status = request.args.get("status", "")
    query = mail.OutboxMail.select().order_by(mail.OutboxMail.id.desc())
    if status in mail.STATUSES:
        query = query.where(mail.OutboxMail.status == status)
    if status == "retrying":
        query = query.where(mail.OutboxMail.status == mail.QUEUED, mail.OutboxMail.attempts > 0)
    return render_template("outbox/mail_list.html", page=paginate(query, per_page=50), status=status,
                           counts=mail.counts(), statuses=mail.STATUSES)


@bp.route("/<int:mail_id>")
@secretariat_required
def mail_detail(mail_id):
    """Show one mail with its delivery attempts (secretariat)."""
    row = mail.OutboxMail.get_or_none(mail.OutboxMail.id == mail_id) or abort(404)
    # Signed links (password reset, invitations, registrations) work for their addressee only.
    return render_template("outbox/mail_detail.html", row=row, body=mail.redact_links(row.text_body),
                           languages=vocabulary.languages())


@bp.route("/<int:mail_id>/retry", methods=["POST"])
@secretariat_required
def mail_retry(mail_id):
    """Send a queued or given-up mail again now (secretariat)."""
    row = mail.OutboxMail.get_or_none(mail.OutboxMail.id == mail_id) or abort(404)
    if row.status == mail.SENT:
        flash(_("This mail was already sent."), "info")
    elif row.status == mail.SENDING:
        flash(_("This mail is being sent right now; refresh in a minute to see the result."), "info")
    else:
        mail.requeue(row)
        record(current_user, "mail.retry", row, summary=f"Retried mail to {row.recipient}")
        flash(_("Trying again to send the mail to %(recipient)s; refresh to see the result.", recipient=row.recipient), "info")
    return redirect(url_for("outbox.mail_detail", mail_id=row.id))
