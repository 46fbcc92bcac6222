"""Mailing pages: lists, compose, preview, test, confirm and queue, report; the public unsubscribe link."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from crm import vocabulary
from crm.accounts.access import public, secretariat_required
from crm.contacts.models import Contact
from crm.extensions import csrf
from crm.mailings import bp, segments
from crm.mailings import services as svc
from crm.mailings.bounces import bounces_of, bouncing_emails
from crm.mailings.forms import (
    ConfirmForm,
    MailingForm,
    MailingListForm,
    PreferencesForm,
    SegmentForm,
    SendForm,
    SubscribeForm,
    VersionForm,
)
from crm.mailings.models import Mailing, MailingList, Segment
from crm.templating import localized_strftime


def _mailing(mailing_id: int) -> Mailing:
    return Mailing.get_or_none(Mailing.id == mailing_id) or abort(404)


@bp.route("/")
@secretariat_required
def mailing_list():
    """List the mailings and the mailing lists (secretariat)."""
    svc.ensure_default_lists()
    mailings = Mailing.select().order_by(Mailing.id.desc())
    lists = [(found, svc.audience(found)) for found in MailingList.select().order_by(MailingList.name)]
    return render_template("mailings/mailing_list.html", mailings=mailings, lists=lists,
                           segments=Segment.select().order_by(Segment.name), describe=segments.describe)


@bp.route("/lists/new", methods=["GET", "POST"])
@secretariat_required
def list_new():
    """Add a mailing list (secretariat)."""
    form = MailingListForm()
    if form.validate_on_submit():
        try:
            found = svc.create_list(form.name.data, form.description.data, current_user)
        except svc.MailingError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("List “%(name)s” added.", name=found.name), "success")
            return redirect(url_for("mailings.list_detail", list_id=found.id))
    return render_template("mailings/list_form.html", form=form)


@bp.route("/lists/<int:list_id>", methods=["GET", "POST"])
@secretariat_required
def list_detail(list_id):
    """Show a list's audience and subscribe contacts by address (secretariat)."""
    found = MailingList.get_or_none(MailingList.id == list_id) or abort(404)
    form = SubscribeForm()
    if form.validate_on_submit():
        result = svc.subscribe_emails(found, form.emails.data, current_user)
        flash(ngettext("%(num)d subscribed.", "%(num)d subscribed.", len(result["added"])), "success")
        if result["unsubscribed"]:
            flash(_("Not subscribed, because they unsubscribed: %(emails)s", emails=", ".join(result["unsubscribed"])), "info")
        if result["unknown"]:
            flash(_("No contact has these addresses: %(emails)s", emails=", ".join(result["unknown"])), "warning")
        return redirect(url_for("mailings.list_detail", list_id=found.id))
    return render_template("mailings/list_detail.html", found=found, audience=svc.audience(found), form=form)


def _segment_form(segment: Segment | None):
    form = SegmentForm(obj=segment)
    if segment is not None and request.method == "GET":
        form.mailing_list.data = segment.mailing_list_id
        for key, values in segment.filters.items():
            if key in form and key != "attended_last_year":
                form[key].data = values
        form.attended_last_year.data = bool(segment.filters.get("attended_last_year"))
    elif segment is None and request.method == "GET":
        news = MailingList.get_or_none(MailingList.slug == "network-news")
        form.mailing_list.data = news.id if news else None
    if form.validate_on_submit():
        try:
            segment = segments.save_segment(segment, name=form.name.data, filters=form.filters(),
                                            mailing_list=MailingList.get_by_id(form.mailing_list.data),
                                            actor=current_user)
        except segments.SegmentError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Segment “%(name)s” saved.", name=segment.name), "success")
            return redirect(url_for("mailings.segment_detail", segment_id=segment.id))
    return render_template("mailings/segment_form.html", form=form, segment=segment)


@bp.route("/segments/new", methods=["GET", "POST"])
@secretariat_required
def segment_new():
    """Save a filter of contacts and cities as a segment to send mailings to (secretariat)."""
    svc.ensure_default_lists()
    return _segment_form(None)


@bp.route("/segments/<int:segment_id>/edit", methods=["GET", "POST"])
@secretariat_required
def segment_edit(segment_id):
    """Change a segment's name, list or filters (secretariat)."""
    return _segment_form(Segment.get_or_none(Segment.id == segment_id) or abort(404))


@bp.route("/segments/<int:segment_id>")
@secretariat_required
def segment_detail(segment_id):
    """Show who of a segment would get a mailing now, and why the others would not (secretariat)."""
    segment = Segment.get_or_none(Segment.id == segment_id) or abort(404)
    return render_template("mailings/segment_detail.html", segment=segment, description=segments.describe(
        segment.filters), audience=svc.audience(segment.mailing_list, segment))


def _edit(mailing: Mailing | None):
    form = MailingForm(obj=mailing)
    if mailing is not None and request.method == "GET":
        form.mailing_list.data = (f"segment-{mailing.segment_id}" if mailing.segment_id
                                  else str(mailing.mailing_list_id))
    elif mailing is None and request.method == "GET" and request.args.get("to"):
        form.mailing_list.data = request.args["to"]  # "Compose a mailing to it" from a segment's page
    if form.validate_on_submit():
        chosen, segment = form.audience()
        try:
            mailing = svc.save_mailing(mailing, mailing_list=chosen, segment=segment, subject=form.subject.data,
                                       body=form.body.data, actor=current_user, language=form.language.data)
        except svc.MailingError as exc:
            form.body.errors.append(str(exc))
        else:
            flash(_("Draft saved. Check the preview, send yourself a test, then send it."), "success")
            return redirect(url_for("mailings.mailing_detail", mailing_id=mailing.id))
    return render_template("mailings/mailing_form.html", form=form, mailing=mailing)


@bp.route("/new", methods=["GET", "POST"])
@secretariat_required
def mailing_new():
    """Compose a mailing (secretariat)."""
    svc.ensure_default_lists()
    return _edit(None)


@bp.route("/<int:mailing_id>/edit", methods=["GET", "POST"])
@secretariat_required
def mailing_edit(mailing_id):
    """Edit a draft mailing (secretariat)."""
    mailing = _mailing(mailing_id)
    if not mailing.is_draft:
        flash(_("This mailing has been queued already; it can no longer be changed."), "info")
        return redirect(url_for("mailings.mailing_detail", mailing_id=mailing.id))
    return _edit(mailing)


@bp.route("/<int:mailing_id>")
@secretariat_required
def mailing_detail(mailing_id):
    """Preview a mailing as a chosen recipient, and show its audience or delivery report (secretariat)."""
    mailing = _mailing(mailing_id)
    audience = svc.mailing_audience(mailing)
    as_id = request.args.get("as", type=int)
    candidates = audience.recipients[:500]
    contact = next((c for c in candidates if c.id == as_id), None) if as_id else None
    if contact is None and as_id:
        contact = Contact.get_or_none((Contact.id == as_id) & Contact.erased_at.is_null())
    contact = contact or (candidates[0] if candidates else Contact(name=_("Alex Example"), email="alex@example.org"))
    versions = svc.versions(mailing)
    # `version`, not `lang`: ?lang= switches the interface's language (crm.i18n).
    language = request.args.get("version") if request.args.get("version") in versions else None
    preview = svc.compose(mailing, contact, language) if contact.id else None
    if preview is None:  # nobody on the list yet: show the merge fields filled for an example person
        subject, body = versions[language or mailing.language]
        text, body_html = svc.render_body(body, svc.merge_values(contact))
        preview = {"subject": svc.merge_text(subject, svc.merge_values(contact)), "text": text,
                   "html": body_html, "headers": {}, "language": language or mailing.language}
    return render_template("mailings/mailing_detail.html", mailing=mailing, audience=audience, contact=contact,
                           candidates=candidates, preview=preview, report=svc.report(mailing), form=ConfirmForm(),
                           versions=versions, languages=vocabulary.languages(),
                           split=svc.language_split(mailing, audience.recipients))


@bp.route("/<int:mailing_id>/versions", methods=["GET", "POST"])
@secretariat_required
def mailing_version(mailing_id):
    """Add or edit the mailing's version in one more language (secretariat)."""
    mailing = _mailing(mailing_id)
    if not mailing.is_draft:
        flash(_("This mailing has been queued already; it can no longer be changed."), "info")
        return redirect(url_for("mailings.mailing_detail", mailing_id=mailing.id))
    form = VersionForm()
    existing = svc.versions(mailing)
    asked = request.args.get("language")
    if request.method == "GET" and asked in existing:
        form.language.data = asked
        form.subject.data, form.body.data = existing[asked]
    if form.validate_on_submit():
        try:
            svc.save_version(mailing, form.language.data, subject=form.subject.data, body=form.body.data,
                             actor=current_user)
        except svc.MailingError as exc:
            form.body.errors.append(str(exc))
        else:
            name = vocabulary.languages()[form.language.data]
            flash(_("The %(language)s version is saved. Preview it below.", language=name), "success")
            return redirect(url_for("mailings.mailing_detail", mailing_id=mailing.id, version=form.language.data))
    return render_template("mailings/version_form.html", form=form, mailing=mailing, existing=existing)


@bp.route("/<int:mailing_id>/versions/<language>/delete", methods=["POST"])
@secretariat_required
def mailing_version_delete(mailing_id, language):
    """Remove one language version of a draft (secretariat)."""
    mailing = _mailing(mailing_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        svc.delete_version(mailing, language, current_user)
    except svc.MailingError as exc:
        flash(str(exc), "warning")
    else:
        flash(_("The %(language)s version is removed.", language=vocabulary.languages().get(language, language)), "success")
    return redirect(url_for("mailings.mailing_detail", mailing_id=mailing.id))


@bp.route("/<int:mailing_id>/test", methods=["POST"])
@secretariat_required
def mailing_test(mailing_id):
    """Send the mailing to oneself, as the previewed recipient would get it (secretariat)."""
    mailing = _mailing(mailing_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    audience = svc.mailing_audience(mailing)
    as_id = request.form.get("as", type=int)
    contact = Contact.get_or_none((Contact.id == as_id) & Contact.erased_at.is_null()) if as_id else None
    contact = contact or (audience.recipients[0] if audience.recipients else None)
    language = request.form.get("version") or None
    if contact is None:
        flash(_("The list has no recipient yet to show the mailing as; add subscribers first."), "warning")
    else:
        svc.send_test(mailing, contact, current_user.email, current_user, language=language)
        flash(_("A test, as %(name)s would get it, is queued for %(email)s; check the outbox if it does not arrive.",
                name=contact.name, email=current_user.email), "success")
    return redirect(url_for("mailings.mailing_detail", mailing_id=mailing.id,
                            **({"as": contact.id} if contact else {}), **({"version": language} if language else {})))


@bp.route("/<int:mailing_id>/send", methods=["GET", "POST"])
@secretariat_required
def mailing_send(mailing_id):
    """Confirm the recipients, then queue the mailing for each of them once (secretariat)."""
    mailing = _mailing(mailing_id)
    form = SendForm()
    audience = svc.mailing_audience(mailing)
    if form.validate_on_submit() and form.schedule_at.data:
        try:
            svc.schedule_mailing(mailing, form.schedule_at.data, current_user)
        except svc.MailingError as exc:
            form.schedule_at.errors.append(str(exc))
        else:
            flash(_("Scheduled for %(when)s UTC: `crm mailings send` queues it then.",
                    when=localized_strftime(form.schedule_at.data, "%d %b %Y, %H:%M")), "success")
            return redirect(url_for("mailings.mailing_detail", mailing_id=mailing.id))
    elif form.validate_on_submit():
        queued = svc.queue_mailing(mailing, current_user)
        flash(_("%(count)s mail(s) queued. The report below shows each one as Sent once the mail server has "
                "accepted it.", count=queued), "success")
        return redirect(url_for("mailings.mailing_detail", mailing_id=mailing.id))
    return render_template("mailings/mailing_send.html", mailing=mailing, audience=audience, form=form,
                           report=svc.report(mailing))


@bp.route("/contacts/<int:contact_id>")
@secretariat_required
def contact_mailings(contact_id):
    """List the mailings a contact got and the lists they get (secretariat)."""
    contact = Contact.get_or_none(Contact.id == contact_id) or abort(404)
    return render_template("mailings/contact_mailings.html", contact=contact, mailings=svc.mailings_of(contact),
                           lists=svc.preferences(contact), bounces=bounces_of(contact.email),
                           bouncing=bool(contact.email and bouncing_emails([contact.email])))


# --- the recipient's link: no login -----------------------------------------------------------------

@bp.route("/u/<token>", methods=["GET", "POST"])
@public
@csrf.exempt
def unsubscribe(token):
    """GET: the recipient's preferences page. POST (RFC 8058 one-click): unsubscribe at once, no login."""
    try:
        contact, mailing = svc.read_unsubscribe_token(token)
    except svc.MailingError as exc:
        return render_template("mailings/unsubscribe_invalid.html", message=str(exc)), 404
    if request.method == "POST":
        svc.unsubscribe(contact, mailing.mailing_list if mailing else None, mailing=mailing, how="one-click")
        left = mailing.mailing_list.name if mailing else _("every list")
        return render_template("mailings/unsubscribed.html", left=left, token=token)
    return render_template("mailings/preferences.html", contact=contact, mailing=mailing, token=token,
                           lists=svc.preferences(contact), form=PreferencesForm())


@bp.route("/u/<token>/preferences", methods=["POST"])
@public
def preferences(token):
    """Save the lists a recipient chose, or stop all mail (no login; the signed link is the key)."""
    try:
        contact, mailing = svc.read_unsubscribe_token(token)
    except svc.MailingError as exc:
        return render_template("mailings/unsubscribe_invalid.html", message=str(exc)), 404
    form = PreferencesForm()
    if not form.validate_on_submit():
        flash(_("The page had expired; please choose again."), "warning")
        return redirect(url_for("mailings.unsubscribe", token=token))
    chosen = {int(value) for value in request.form.getlist("lists") if value.isdigit()}
    svc.set_preferences(contact, chosen, stop_all=form.stop_all.data, mailing=mailing)
    flash(_("You will get no mail from the network any more.") if form.stop_all.data
          else _("Your choices are saved."), "success")
    return redirect(url_for("mailings.unsubscribe", token=token))
