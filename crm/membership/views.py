"""Membership pages: apply, follow an application, the public directory, review, member cities."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_wtf import FlaskForm
from limits import parse

from crm import vocabulary
from crm.accounts.access import public, roles_required, secretariat_required
from crm.core import signals
from crm.core.csvexport import csv_response, to_csv
from crm.extensions import limiter
from crm.i18n import country_choices, country_name, current_language
from crm.membership import bp, bulk, citymap, duplicates, importviews, services
from crm.membership import imports as _city_imports  # noqa: F401 (registers the cities import job)
from crm.membership.forms import (
    AnswerForm,
    ApplicationForm,
    BulkCityForm,
    CityForm,
    CityStatusForm,
    DecisionForm,
    WithdrawForm,
)
from crm.membership.models import APPLICATION_STATUSES, CITY_STATUSES, Application, City
from crm.pagination import paginate


def _application_limit() -> str:
    return current_app.config.get("APPLICATION_RATE_LIMIT", "10 per hour")


def _date_arg(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _labels() -> dict:
    return {"regions": vocabulary.regions(), "levels": vocabulary.levels(), "themes": vocabulary.themes(),
            "languages": vocabulary.languages(), "sectors": vocabulary.sectors(), "country_name": country_name,
            "countries": country_choices(), "city_statuses": CITY_STATUSES,
            "application_statuses": APPLICATION_STATUSES}


# --- public --------------------------------------------------------------------------------------

def _application_quota_left() -> bool:
    """Whether this client may have one more application accepted (only accepted ones count)."""
    if not limiter.enabled:
        return True
    item = parse(_application_limit())
    return limiter.limiter.test(item, "accepted-applications", get_remote_address())


def _count_accepted_application() -> None:
    if limiter.enabled:
        limiter.limiter.hit(parse(_application_limit()), "accepted-applications", get_remote_address())


@bp.route("/apply", methods=["GET", "POST"])
@public
def apply():
    """The public membership application form; a refusal re-shows it with everything typed."""
    form = ApplicationForm()
    status = 200
    if form.validate_on_submit():
        if form.nickname.data:  # the honeypot: a robot filled a hidden field; pretend all went well
            current_app.logger.info("Application honeypot triggered from %s", request.remote_addr)
            session.pop("application_sent", None)
            return redirect(url_for("membership.application_sent"))
        if not _application_quota_left():
            flash(_("Too many applications were sent from your network in the last hour. Your answers are kept "
                    "below: try again later, or write to the secretariat."), "error")
            status = 429
        else:
            try:
                application = services.submit_application(form.values(), language=current_language())
            except services.MembershipError as exc:
                form.authority_name.errors.append(str(exc))
            else:
                _count_accepted_application()
                session["application_sent"] = application.id
                return redirect(url_for("membership.application_sent"))
    return render_template("membership/apply.html", form=form, secretariat=current_app.config["SECRETARIAT_EMAIL"],
                           **_labels()), (status if status != 200 else (400 if form.errors else 200))


@bp.route("/apply/sent")
@public
def application_sent():
    """The thank-you page after an application (post/redirect/get: refreshing it sends nothing again)."""
    application = Application.get_or_none(Application.id == session.get("application_sent") or 0)
    if application is None:
        return render_template("membership/application_sent.html", application=None, link=None, similar=[])
    similar = [d for d in duplicates.possible_duplicates(application.authority_name, application.country,
                                                         exclude_application_id=application.id)
               if d.kind == "city" and d.status == "active"]
    return render_template("membership/application_sent.html", application=application, similar=similar,
                           link=services.status_link(application))


@bp.route("/apply/status/<token>", methods=["GET", "POST"])
@public
@limiter.limit(_application_limit, methods=["POST"])
def application_status(token):
    """The applicant's private page: where the application stands; answer a question or withdraw."""
    try:
        application = services.application_for_token(token)
    except services.MembershipError as exc:
        flash(str(exc), "error")
        return redirect(url_for("main.home"))
    answer_form, withdraw_form = AnswerForm(prefix="answer"), WithdrawForm(prefix="withdraw")
    try:
        if request.method == "POST" and "answer-answer" in request.form and answer_form.validate():
            services.answer_info_request(application, answer_form.answer.data)
            flash(_("Thank you: your answer is with the secretariat."), "success")
            return redirect(url_for("membership.application_status", token=token))
        if request.method == "POST" and "withdraw-confirm" in request.form and withdraw_form.validate():
            services.withdraw_application(application, withdraw_form.reason.data)
            flash(_("Your application is withdrawn. You can apply again at any time."), "info")
            return redirect(url_for("membership.application_status", token=token))
        if request.method == "POST" and "withdraw-reason" in request.form and not withdraw_form.confirm.data:
            withdraw_form.validate()
    except services.MembershipError as exc:
        flash(str(exc), "error")
        return redirect(url_for("membership.application_status", token=token))
    events = list(application.events.order_by(application.events.model.id))
    return render_template("membership/application_status.html", application=application, events=events,
                           answer_form=answer_form, withdraw_form=withdraw_form, **_labels())


@bp.route("/members/")
@public
def directory():
    """The public directory of member cities, with search and filters, and the map of those that match."""
    q, region, country = (request.args.get(k, "") for k in ("q", "region", "country"))
    query = services.public_directory(q=q, region=region, country=country)
    return render_template("membership/directory.html", page=paginate(query, per_page=50), q=q, region=region,
                           country=country, citymap=citymap.city_map(query), map_endpoint="membership.public_profile",
                           **_labels())


@bp.route("/members/<int:city_id>")
@public
def public_profile(city_id):
    """A member city's public profile: what it is, what it knows, the languages it works in."""
    city = City.get_or_none(City.id == city_id, City.status == "active") or abort(404)
    return render_template("membership/public_profile.html", city=city, **_labels())


# --- review queue --------------------------------------------------------------------------------

@bp.route("/applications/")
@secretariat_required
def application_list():
    """The review queue: applications by status, country, region and date, oldest first."""
    args = {k: request.args.get(k, "") for k in ("status", "country", "region", "since", "until")}
    if "status" not in request.args:
        args["status"] = "open"
    query = services.list_applications(status=args["status"], country=args["country"], region=args["region"],
                                       since=_date_arg("since"), until=_date_arg("until"))
    page = paginate(query, per_page=50)
    return render_template("membership/application_list.html", page=page, args=args, **_labels())


@bp.route("/applications/export.csv")
@secretariat_required
def application_export():
    """The filtered list of applications as CSV."""
    args = {k: request.args.get(k, "") for k in ("status", "country", "region")}
    query = services.list_applications(**args, since=_date_arg("since"), until=_date_arg("until"))
    text = to_csv(["reference", "submitted_at", "authority_name", "level", "country", "region", "status",
                   "applicant_name", "applicant_email", "decided_at"],
                  ([a.reference, a.submitted_at.isoformat(timespec="minutes"), a.authority_name, a.level, a.country,
                    a.region, a.status, a.applicant_name, a.applicant_email,
                    a.decided_at.isoformat(timespec="minutes") if a.decided_at else ""] for a in query))
    return csv_response(text, "applications.csv")


def _application_or_404(application_id) -> Application:
    return Application.get_or_none(Application.id == application_id) or abort(404)


@bp.route("/applications/<int:application_id>")
@secretariat_required
def application_detail(application_id):
    """Everything an application holds, its history, and the decision actions."""
    application = _application_or_404(application_id)
    events = list(application.events.order_by(application.events.model.id))
    similar = duplicates.possible_duplicates(application.authority_name, application.country,
                                             exclude_application_id=application.id,
                                             exclude_city_id=application.city_id)
    return render_template("membership/application_detail.html", application=application, events=events,
                           form=DecisionForm(), similar=similar, this_city=application.city, **_labels())


@bp.route("/applications/<int:application_id>/<action>", methods=["POST"])
@secretariat_required
def application_decide(application_id, action):
    """Approve, decline (with a reason) or ask the applicant for more information."""
    if action not in ("approve", "decline", "ask"):
        abort(404)
    application = _application_or_404(application_id)
    form = DecisionForm()
    if not form.validate():
        flash(" ".join(map(str, form.note.errors)), "error")
        return redirect(url_for("membership.application_detail", application_id=application.id))
    note = form.note.data or ""
    try:
        if action == "approve":
            city = services.approve_application(application, actor=current_user, note=note)
            flash(_("Approved: %(city)s is a member. The focal point's invitation and the applicant's answer "
                    "are queued (the outbox shows their delivery).", city=city.name), "success")
            return redirect(url_for("membership.city_detail", city_id=city.id))
        if action == "decline":
            services.decline_application(application, note, actor=current_user)
            flash(_("Declined %(reference)s; the mail telling the applicant why is queued.",
                    reference=application.reference), "success")
        else:
            services.request_info(application, note, actor=current_user)
            flash(_("Question saved; the mail to %(email)s is queued.", email=application.applicant_email), "success")
    except services.MembershipError as exc:
        flash(str(exc), "error")
    return redirect(url_for("membership.application_detail", application_id=application.id))


# --- member cities -------------------------------------------------------------------------------

CITY_FILTERS = ("q", "region", "country", "status", "expertise", "population", "sort")


def _city_filters() -> dict:
    return {k: request.args.get(k, "") for k in CITY_FILTERS}


@bp.route("/cities/")
@roles_required("admin", "staff", "member")
def city_list():
    """Member cities with filters and sorting (members see active cities)."""
    args = _city_filters()
    if not current_user.is_secretariat:
        args["status"] = "active"
    query = services.list_cities(**{k: v for k, v in args.items() if k != "sort"}, sort=args["sort"] or "name")
    page = paginate(query, per_page=50)
    return render_template("membership/city_list.html", page=page, args=args, bands=services.POPULATION_BANDS,
                           bulk_form=BulkCityForm(actions=bulk.ACTIONS) if current_user.is_secretariat else None,
                           **_labels())


@bp.route("/cities/bulk", methods=["POST"])
@secretariat_required
def city_bulk():
    """Change the status of the ticked cities, or of all those the filters match, or export them."""
    back = url_for("membership.city_list", **request.args)
    form = BulkCityForm(actions=bulk.ACTIONS)
    if not form.validate_on_submit():
        flash(" ".join(str(error) for errors in form.errors.values() for error in errors), "error")
        return redirect(back)
    query = bulk.selected_cities(_city_filters(), request.form.getlist("ids"), all_matching=form.all_matching.data)
    count = query.count()
    if not count:
        flash(_("Tick the cities to act on first (or “Select all matching”)."), "error")
        return redirect(back)
    if form.action.data == "export":
        header, rows = bulk.export_selection(query, actor=current_user)
        return csv_response(to_csv(header, rows), "cities-selection.csv")
    if count > bulk.CONFIRM_ABOVE and form.confirmed.data != "yes":
        form.confirmed.data = "yes"
        ids = [] if form.all_matching.data else [city.id for city in query]
        return render_template("membership/city_bulk_confirm.html", form=form, count=count, ids=ids, back=back,
                               status_label=CITY_STATUSES[form.status.data])
    try:
        result = bulk.change_status(query, form.status.data, reason=form.reason.data, actor=current_user)
    except services.MembershipError as exc:
        flash(str(exc), "error")
    else:
        same, status = len(result.unchanged), CITY_STATUSES[form.status.data].lower()
        if same:
            flash(ngettext("Moved %(num)d city to %(status)s; %(same)s already had that status.",
                           "Moved %(num)d cities to %(status)s; %(same)s already had that status.",
                           len(result.changed), status=status, same=same), "success")
        else:
            flash(ngettext("Moved %(num)d city to %(status)s.", "Moved %(num)d cities to %(status)s.",
                           len(result.changed), status=status), "success")
    return redirect(back)


@bp.route("/cities/export.csv")
@secretariat_required
def city_export():
    """The filtered list of cities as CSV."""
    args = _city_filters()
    query = services.list_cities(**{k: v for k, v in args.items() if k != "sort"}, sort=args["sort"] or "name")
    text = to_csv(bulk.EXPORT_COLUMNS, (bulk.export_row(c) for c in query))
    return csv_response(text, "cities.csv")


def _city_or_404(city_id) -> City:
    return City.get_or_none(City.id == city_id) or abort(404)


@bp.route("/cities/<int:city_id>")
@roles_required("admin", "staff", "member")
def city_detail(city_id):
    """A city's profile: overview, focal points and contacts, expertise, languages, membership history."""
    city = _city_or_404(city_id)
    if not current_user.is_secretariat and city.status != "active" and current_user.city_id != city.id:
        abort(404)
    contacts = [contact for answer in signals.answers(signals.city_contacts, city) for contact in answer]
    own = current_user.is_secretariat or current_user.city_id == city.id
    if not own:  # other members see the city's focal points only
        contacts = [c for c in contacts if c.city_role == "focal_point"]
    return render_template("membership/city_detail.html", city=city, contacts=contacts, own=own,
                           can_edit=services.can_edit_city(current_user, city),
                           history=list(city.status_changes.order_by(city.status_changes.model.changed_on.desc(),
                                                                     city.status_changes.model.id.desc())),
                           applications=list(city.applications), status_form=CityStatusForm(),
                           similar=(duplicates.possible_duplicates(city.name, city.country, exclude_city_id=city.id)
                                    if current_user.is_secretariat else []),
                           merges=duplicates.merges_into(city) if current_user.is_secretariat else [], **_labels())


# what a merge moves, by the model that holds it (the English labels are the models' names)
MERGE_LINK_LABELS = {
    "AdviceRequest": _l("AdviceRequest"), "Application": _l("Application"),
    "CityStatusChange": _l("CityStatusChange"), "Contact": _l("Contact"), "Event": _l("Event"),
    "Incident": _l("Incident"), "Lesson": _l("Lesson"), "LessonCity": _l("LessonCity"), "User": _l("User"),
    "Workspace": _l("Workspace"),
}


@bp.route("/cities/<int:city_id>/merge/<int:other_id>", methods=["GET", "POST"])
@secretariat_required
def city_merge(city_id, other_id):
    """Merge another city into this one: every contact, user, incident, lesson, event, workspace and advice moves."""
    kept, other = _city_or_404(city_id), _city_or_404(other_id)
    if request.method == "POST":
        form = FlaskForm()
        if form.validate():
            try:
                duplicates.merge_cities(kept, other, actor=current_user)
            except duplicates.MergeError as exc:
                flash(str(exc), "error")
            else:
                flash(_("Merged %(city)s (#%(id)s) into %(other)s: every link now points to %(other)s.",
                        city=other.name, id=other_id, other=kept.name), "success")
                return redirect(url_for("membership.city_detail", city_id=kept.id))
        else:
            flash(_("The form expired: try again."), "error")
    links = [(MERGE_LINK_LABELS.get(field.model.__name__, field.model.__name__),
              field.model.select().where(field == other.id).count())
             for field in City._meta.backrefs]
    return render_template("membership/city_merge.html", kept=kept, other=other, form=FlaskForm(),
                           links=[(name, n) for name, n in links if n], **_labels())


@bp.route("/cities/<int:city_id>/edit", methods=["GET", "POST"])
@roles_required("admin", "staff", "member")
def city_edit(city_id):
    """Edit a city: the secretariat any city, a member user only their own city."""
    city = _city_or_404(city_id)
    if not services.can_edit_city(current_user, city):
        abort(403)
    form = CityForm(obj=city, staff=current_user.is_secretariat)
    if form.validate_on_submit():
        try:
            services.update_city(city, form.values(), actor=current_user)
        except services.MembershipError as exc:
            (form.name.errors if hasattr(form, "name") else form.website.errors).append(str(exc))
        else:
            flash(_("Saved %(city)s.", city=city.name), "success")
            return redirect(url_for("membership.city_detail", city_id=city.id))
    return render_template("membership/city_edit.html", form=form, city=city), (400 if form.errors else 200)


@bp.route("/cities/<int:city_id>/status", methods=["POST"])
@secretariat_required
def city_status(city_id):
    """Change a city's membership status, with a reason and date."""
    city = _city_or_404(city_id)
    form = CityStatusForm()
    if not form.validate():
        flash("; ".join(str(e) for errors in form.errors.values() for e in errors), "error")
    else:
        try:
            services.change_city_status(city, form.status.data, reason=form.reason.data,
                                        changed_on=form.changed_on.data, actor=current_user)
        except services.MembershipError as exc:
            flash(str(exc), "error")
        else:
            flash({"active": _("%(city)s is now active.", city=city.name),
                   "suspended": _("%(city)s is now suspended.", city=city.name),
                   "withdrawn": _("%(city)s is now withdrawn.", city=city.name)}[city.status], "success")
    return redirect(url_for("membership.city_detail", city_id=city.id))


@bp.route("/cities/import", methods=["GET", "POST"])
@secretariat_required
def city_import():
    """Import cities from CSV: upload; the file is checked in the background."""
    return importviews.upload_page("cities", "membership.city_import", default_mode="update",
                                   columns="name,country,region,population,languages,expertise")


@bp.route("/cities/import/<int:job_id>", methods=["GET", "POST"])
@secretariat_required
def city_import_job(job_id):
    """An uploaded cities file: progress, preview and confirmation, then progress of the import."""
    return importviews.job_page("cities", "membership.city_import", job_id, done_endpoint="membership.city_list")
