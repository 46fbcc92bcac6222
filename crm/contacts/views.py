"""Contact pages: list, detail with history, create with duplicate warnings, edit, merge, import, export, privacy."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from crm import vocabulary
from crm.accounts.access import secretariat_required
from crm.contacts import (
    bp,
    bulk,
    imports,  # noqa: F401 (registers the contacts import job)
    services,
)
from crm.contacts.forms import BulkContactForm, ContactForm, EraseForm
from crm.contacts.models import CITY_ROLES, Contact
from crm.core.csvexport import csv_response, to_csv
from crm.i18n import LANGUAGES, country_choices, country_name
from crm.membership import importviews
from crm.membership.models import City

FILTERS = ("q", "sector", "city", "country", "tag", "sort")
# services.likely_duplicates says why two records may be the same person (a key), read in the page's language.
DUPLICATE_REASONS = {"same email address": _l("same email address"), "same name in the same city":
                     _l("same name in the same city"), "same name": _l("same name"), "similar name": _l("similar name")}
MERGE_LABELS = {"name": _l("Name"), "email": _l("Email"), "position": _l("Position"),
                "organisation": _l("Organisation"), "sector": _l("Sector"), "city": _l("City"), "phone": _l("Phone"),
                "languages": _l("Languages"), "tags": _l("Tags"), "notes": _l("Notes"),
                "accepts_event_invitations": _l("Accepts event invitations"),
                "accepts_network_news": _l("Accepts network news"), "do_not_contact": _l("Do not contact"),
                "city_role": _l("City role"), "language": _l("Mail language")}


def _filters() -> dict:
    return {k: request.args.get(k, "") for k in FILTERS}


def _query(args, *, with_city: bool = True):
    return services.list_contacts(**{k: v for k, v in args.items() if k != "sort"}, sort=args["sort"] or "name",
                                  with_city=with_city)


def _labels() -> dict:
    return {"sectors": vocabulary.sectors(), "languages": vocabulary.languages(), "countries": country_choices(),
            "country_name": country_name, "city_roles": CITY_ROLES, "duplicate_reasons": DUPLICATE_REASONS,
            "mail_languages": LANGUAGES}


@bp.route("/")
@secretariat_required
def contact_list():
    """Contacts with search by name, email and organisation, filters, sorting and pages."""
    args = _filters()
    try:
        number = int(request.args.get("page", 1))
    except ValueError:
        number = 1
    page = services.page_of_contacts(_query(args, with_city=False), number, per_page=50)
    cities = list(City.select(City.id, City.name).order_by(City.name_key))
    return render_template("contacts/contact_list.html", page=page, args=args, cities=cities, bulk_form=_bulk_form(),
                           **_labels())


@bp.route("/export.csv")
@secretariat_required
def contact_export():
    """The filtered list of contacts as CSV."""
    rows = ([c.name, c.email or "", c.position, c.organisation, c.sector, c.city.name if c.city_id else "",
             c.city.country if c.city_id else "", c.phone, c.languages, c.tags, c.notes,
             "yes" if c.accepts_event_invitations else "no", "yes" if c.accepts_network_news else "no",
             "yes" if c.do_not_contact else "no", c.language] for c in _query(_filters()))
    from crm.contacts.imports import CONTACT_COLUMNS

    return csv_response(to_csv(list(CONTACT_COLUMNS), rows), "contacts.csv")


def _bulk_form() -> BulkContactForm:
    return BulkContactForm(lists=bulk.mailing_list_choices(), actions=bulk.ACTIONS, events=bulk.event_choices())


def _bulk_message(action: str, result: bulk.BulkResult, tag: str, list_name: str) -> str:
    # Each clause is a whole statement of its own (what was done; who was already so; who was skipped).
    done, same = len(result.changed), len(result.unchanged)
    if action == "add_tag":
        clauses = [ngettext("Tagged %(num)d contact “%(tag)s”", "Tagged %(num)d contacts “%(tag)s”", done, tag=tag)]
        if same:
            clauses.append(_("%(count)s already had it", count=same))
    elif action == "remove_tag":
        clauses = [ngettext("Removed the tag “%(tag)s” from %(num)d contact",
                            "Removed the tag “%(tag)s” from %(num)d contacts", done, tag=tag)]
        if same:
            clauses.append(_("%(count)s did not have it", count=same))
    else:
        clauses = [ngettext("Added %(num)d contact to %(list)s", "Added %(num)d contacts to %(list)s", done,
                            list=list_name)]
        if same:
            clauses.append(_("%(count)s were already on it", count=same))
        skipped = len(result.skipped.get("unsubscribed", []))
        if skipped:
            clauses.append(_("%(count)s skipped: they unsubscribed (from this list or from all mail), and only they "
                             "can subscribe again, from their preferences page", count=skipped))
    return "; ".join(clauses) + "."


@bp.route("/bulk", methods=["POST"])
@secretariat_required
def contact_bulk():
    """Tag, untag, add to a mailing list or export the ticked contacts, or all those the filters match."""
    back = url_for("contacts.contact_list", **request.args)
    form = _bulk_form()
    if not form.validate_on_submit():
        flash(" ".join(str(error) for errors in form.errors.values() for error in errors), "error")
        return redirect(back)
    query = bulk.selected_contacts(_filters(), request.form.getlist("ids"), all_matching=form.all_matching.data)
    count = bulk.count_selected(query)
    if not count:
        flash(_("Tick the contacts to act on first (or “Select all matching”)."), "error")
        return redirect(back)
    action = form.action.data
    if action == "export":
        header, rows = bulk.export_selection(query, actor=current_user)
        return csv_response(to_csv(header, rows), "contacts-selection.csv")
    if action == "invite":  # the event's own invitation page previews, confirms and sends
        try:
            selection = bulk.invitation_selection(query)
        except services.ContactError as exc:
            flash(str(exc), "error")
            return redirect(back)
        return redirect(url_for("events.invite", event_id=int(form.event.data), selection=selection))
    list_name = {str(i): name for i, name in bulk.mailing_list_choices()}.get(form.mailing_list.data, "")
    if count > bulk.CONFIRM_ABOVE and form.confirmed.data != "yes":
        form.confirmed.data = "yes"
        ids = [] if form.all_matching.data else [row.id for row in query]
        return render_template("contacts/contact_bulk_confirm.html", form=form, count=count, ids=ids, back=back,
                               action=action, list_name=list_name)
    try:
        if action == "subscribe":
            list_name, result = bulk.subscribe_to_list(query, int(form.mailing_list.data), actor=current_user)
        elif action == "remove_tag":
            result = bulk.remove_tag(query, form.tag.data, actor=current_user)
        else:
            result = bulk.add_tag(query, form.tag.data, actor=current_user)
    except services.ContactError as exc:
        flash(str(exc), "error")
    else:
        flash(_bulk_message(action, result, " ".join((form.tag.data or "").split()), list_name), "success")
    return redirect(back)


def _contact_or_404(contact_id) -> Contact:
    return Contact.get_or_none(Contact.id == contact_id) or abort(404)


@bp.route("/new", methods=["GET", "POST"])
@secretariat_required
def contact_create():
    """Create a contact; likely duplicates are shown first and need a confirmation."""
    form = ContactForm()
    duplicates = []
    if request.method == "GET" and request.args.get("city"):
        form.city.data = request.args["city"]
    if form.validate_on_submit():
        values = form.values()
        duplicates = services.likely_duplicates(values["name"], values["email"], values["city"])
        same_email = [c for c, why in duplicates if why == "same email address"]
        if same_email:
            form.email.errors.append(_("%(name)s already has this address: open that record instead.",
                                       name=same_email[0].name))
        elif duplicates and not form.confirm_duplicate.data:
            form.confirm_duplicate.data = "1"
            flash(_("This person may already be in the CRM: check the records below, then save again to create "
                    "a new record anyway."), "warning")
        else:
            try:
                contact = services.create_contact(values, actor=current_user)
            except services.ContactError as exc:
                form.email.errors.append(str(exc))
            else:
                flash(_("Created %(name)s.", name=contact.name), "success")
                return redirect(url_for("contacts.contact_detail", contact_id=contact.id))
    return render_template("contacts/contact_form.html", form=form, contact=None, duplicates=duplicates,
                           duplicate_reasons=DUPLICATE_REASONS), \
        (400 if form.errors else 200)


@bp.route("/<int:contact_id>")
@secretariat_required
def contact_detail(contact_id):
    """A contact's details and history."""
    contact = _contact_or_404(contact_id)
    duplicates = services.likely_duplicates(contact.name, contact.email, contact.city_id, exclude_id=contact.id)
    return render_template("contacts/contact_detail.html", contact=contact, history=services.contact_history(contact),
                           duplicates=duplicates, erase_form=EraseForm(), **_labels())


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
@secretariat_required
def contact_edit(contact_id):
    """Edit a contact."""
    contact = _contact_or_404(contact_id)
    form = ContactForm(obj=contact)
    if request.method == "GET":
        form.city.data = str(contact.city_id or "")
        form.tags.data = "; ".join(contact.tags)
    if form.validate_on_submit():
        try:
            services.update_contact(contact, form.values(), actor=current_user)
        except services.ContactError as exc:
            form.email.errors.append(str(exc))
        else:
            flash(_("Saved %(name)s.", name=contact.name), "success")
            return redirect(url_for("contacts.contact_detail", contact_id=contact.id))
    return render_template("contacts/contact_form.html", form=form, contact=contact, duplicates=[],
                           duplicate_reasons=DUPLICATE_REASONS), \
        (400 if form.errors else 200)


@bp.route("/<int:contact_id>/merge/<int:other_id>", methods=["GET", "POST"])
@secretariat_required
def contact_merge(contact_id, other_id):
    """Merge two records side by side: pick each field; every link moves to the record kept."""
    kept, other = _contact_or_404(contact_id), _contact_or_404(other_id)
    if kept.id == other.id:
        abort(404)
    if request.method == "POST":
        picks = {name: request.form.get(name, "kept") for name in services.MERGE_FIELDS}
        try:
            services.merge_contacts(kept, other, picks, actor=current_user)
        except services.ContactError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Merged the two records into %(name)s.", name=kept.name), "success")
            return redirect(url_for("contacts.contact_detail", contact_id=kept.id))
    rows = [(name, MERGE_LABELS.get(name, name), _shown(kept, name), _shown(other, name))
            for name in services.MERGE_FIELDS]
    return render_template("contacts/contact_merge.html", kept=kept, other=other, rows=rows, **_labels())


def _shown(contact: Contact, name: str) -> str:
    """Return a field's value as people read it, for the merge screen."""
    value = getattr(contact, name if name != "city" else "city_id")
    if name == "city":
        return contact.city.name if value else "—"
    if name == "sector":
        return vocabulary.sectors().get(value, value)
    if name == "city_role":
        return CITY_ROLES.get(value, value) if value else "—"
    if name == "languages":
        return ", ".join(vocabulary.languages().get(code, code) for code in value) or "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return "; ".join(value) or "—"
    return value or "—"


@bp.route("/<int:contact_id>/export.json")
@secretariat_required
def contact_privacy_export(contact_id):
    """Everything held about one person, as JSON (a data-access request); audited."""
    contact = _contact_or_404(contact_id)
    data = services.export_contact(contact, actor=current_user)
    return Response(json.dumps(data, ensure_ascii=False, indent=2, default=str), mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=contact-{contact.id}.json"})


@bp.route("/<int:contact_id>/erase", methods=["POST"])
@secretariat_required
def contact_erase(contact_id):
    """Anonymise a person's record (aggregate figures such as attendance are kept); audited."""
    contact = _contact_or_404(contact_id)
    form = EraseForm()
    if not form.validate():
        flash(_("Tick the box to confirm the erasure."), "error")
    else:
        services.erase_contact(contact, actor=current_user)
        flash(_("The person's data is erased; the record stays as an anonymous placeholder."), "success")
    return redirect(url_for("contacts.contact_detail", contact_id=contact.id))


@bp.route("/import", methods=["GET", "POST"])
@secretariat_required
def contact_import():
    """Import contacts from CSV: upload; the file is checked in the background."""
    return importviews.upload_page("contacts", "contacts.contact_import", default_mode="skip",
                                   columns="name,email,position,organisation,sector,city,country,phone,languages,"
                                           "tags,notes,accepts_event_invitations,accepts_network_news,do_not_contact")


@bp.route("/import/<int:job_id>", methods=["GET", "POST"])
@secretariat_required
def contact_import_job(job_id):
    """An uploaded contacts file: progress, preview and confirmation, then progress of the import."""
    return importviews.job_page("contacts", "contacts.contact_import", job_id,
                                done_endpoint="contacts.contact_list")
