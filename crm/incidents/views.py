"""Incident pages: list, detail, record, edit, delete; the facet vocabulary (staff)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.accounts.access import secretariat_required
from crm.core import signals
from crm.i18n import current_language
from crm.incidents import bp, services
from crm.incidents.forms import FacetTermForm, IncidentForm
from crm.incidents.models import FACETS, Incident
from crm.membership.models import City
from crm.pagination import paginate
from crm.peers.language import written_language
from crm.vocabulary import facet_labels, language_name
from crm.vocabulary import phases as phase_labels


def _terms() -> dict[str, dict[str, str]]:
    """The facet vocabulary as the reader reads it: seeded values in the page's language, added ones as typed."""
    return {facet: {key: facet_labels(facet).get(key, label) for key, label in values.items()}
            for facet, values in services.facet_terms().items()}


def _incident_or_404(incident_id: int) -> Incident:
    incident = Incident.get_or_none(Incident.id == incident_id)
    if incident is None or not services.can_view(current_user, incident):
        abort(404)
    return incident


@bp.route("/")
def incident_list():
    """Incidents of the network's cities, newest first."""
    city_id = request.args.get("city", type=int)
    facet = request.args.get("facet", "")
    page = paginate(services.list_incidents(city_id=city_id, facet=facet), per_page=25)
    return render_template("incidents/incident_list.html", page=page, terms=_terms(), facets=FACETS,
                           city=City.get_or_none(City.id == city_id) if city_id else None, facet=facet)


@bp.route("/<int:incident_id>")
def incident_detail(incident_id):
    """One incident, its facets and the lessons drawn from it that the user may read."""
    incident = _incident_or_404(incident_id)
    lessons = [lesson for answer in signals.answers(signals.drawn_from_incident, incident, user=current_user)
               for lesson in answer]
    written_in = written_language(incident.language, incident.title, incident.summary)
    return render_template("incidents/incident_detail.html", incident=incident, terms=_terms(),
                           facets=FACETS, lessons=lessons, can_edit=services.can_edit(current_user, incident.city),
                           phases=phase_labels(), written_in=written_in, written_in_name=language_name(written_in),
                           reader_language=current_language())


@bp.route("/new", methods=["GET", "POST"])
def incident_new():
    """Record an incident of a city (staff, or the city's own members)."""
    # Without ?city= a member records an incident of their own city.
    city_id = request.args.get("city", type=int) or current_user.city_id
    city = City.get_or_none(City.id == city_id) if city_id else None
    if city is None:
        abort(404)
    if not services.can_edit(current_user, city):
        abort(403)
    form = IncidentForm()
    form.set_vocabulary(_terms())
    parts = []
    if form.validate_on_submit():
        values = form.values()
        parts = services.split_plan(values) if request.form.get("split") != "no" else []
        try:
            if parts and request.form.get("split") == "yes":
                return _saved_split(city, services.save_split(city, parts, actor=current_user))
            if not parts:
                incident = services.create_incident(city, values, actor=current_user)
                flash(_("Recorded “%(title)s”.", title=incident.title), "success")
                return redirect(url_for("incidents.incident_detail", incident_id=incident.id))
        except services.IncidentError as exc:
            form.title.errors.append(str(exc))
            parts = []
    # A summary of several attacks: nothing is saved until the user chooses one incident per attack or one.
    return render_template("incidents/incident_form.html", form=form, city=city, incident=None, parts=parts,
                           terms=_terms()), (400 if form.errors else 200)


def _saved_split(city: City, incidents: list[Incident]):
    titles = ", ".join(f"“{incident.title}”" for incident in incidents)
    flash(_("This account tells of %(count)s attacks: saved as %(count)s incidents (%(titles)s).",
            count=len(incidents), titles=titles), "success")
    return redirect(url_for("incidents.incident_list", city=city.id))


@bp.route("/<int:incident_id>/edit", methods=["GET", "POST"])
def incident_edit(incident_id):
    """Edit an incident (staff, or the city's own members)."""
    incident = _incident_or_404(incident_id)
    if not services.can_edit(current_user, incident.city):
        abort(403)
    form = IncidentForm(obj=incident)
    form.set_vocabulary(_terms())
    if request.method == "GET":
        for facet in FACETS:
            getattr(form, facet).data = (incident.facets or {}).get(facet, [])
    parts = []
    if form.validate_on_submit():
        values = form.values()
        # Asked again only when the summary changed: "keep as one" once is an answer.
        if request.form.get("split") != "no" and (values["summary"] or "").strip() != (incident.summary or ""):
            parts = services.split_plan(values)
        try:
            if parts and request.form.get("split") == "yes":
                return _saved_split(incident.city, services.save_split(incident.city, parts, actor=current_user,
                                                                       incident=incident))
            if not parts:
                services.update_incident(incident, values, actor=current_user)
                flash(_("Saved the incident."), "success")
                return redirect(url_for("incidents.incident_detail", incident_id=incident.id))
        except services.IncidentError as exc:
            form.title.errors.append(str(exc))
            parts = []
    return render_template("incidents/incident_form.html", form=form, city=incident.city, incident=incident,
                           parts=parts, terms=_terms()), (400 if form.errors else 200)


@bp.route("/<int:incident_id>/delete", methods=["POST"])
def incident_delete(incident_id):
    """Delete an incident (staff, or the city's own members)."""
    incident = _incident_or_404(incident_id)
    if not services.can_edit(current_user, incident.city):
        abort(403)
    city_id = incident.city_id
    services.delete_incident(incident, actor=current_user)
    flash(_("Deleted the incident. Lessons drawn from it stay, without the link."), "success")
    return redirect(url_for("incidents.incident_list", city=city_id))


@bp.route("/vocabulary", methods=["GET", "POST"])
@secretariat_required
def vocabulary():
    """The controlled vocabulary of the facets; staff add values."""
    form = FacetTermForm()
    if form.validate_on_submit():
        try:
            term = services.add_facet_term(form.facet.data, form.label.data, actor=current_user)
        except services.IncidentError as exc:
            form.label.errors.append(str(exc))
        else:
            flash(_("Added “%(label)s” to %(facet)s.", label=term.label, facet=str(FACETS[term.facet]).lower()),
                  "success")
            return redirect(url_for("incidents.vocabulary"))
    return render_template("incidents/vocabulary.html", form=form, terms=_terms(), facets=FACETS), \
        (400 if form.errors else 200)
