"""Workspace pages: list, open, the workspace itself, ticks, advice requests; the staff queue; the answer link."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm import indexing, vocabulary
from crm.accounts.access import member_required, public, secretariat_required
from crm.forms import choices
from crm.i18n import DEFAULT, current_language
from crm.incidents.models import FACETS, Incident
from crm.incidents.services import facet_terms
from crm.lessons import services as lessons
from crm.lessons.models import Lesson, ToolkitItem
from crm.membership.models import City
from crm.peers.language import in_language
from crm.peers.wording import reasons_text
from crm.workspace import bp, services
from crm.workspace.forms import AdviceForm, AnswerForm, ForwardForm, WorkspaceForm
from crm.workspace.models import ADVICE_STATUSES, AdviceRequest, Workspace


def _workspace_or_404(workspace_id: int) -> Workspace:
    workspace = Workspace.get_or_none(Workspace.id == workspace_id)
    if workspace is None or not services.can_access(current_user, workspace):
        abort(404)  # other cities must not learn that a workspace exists
    return workspace


def _facet_terms() -> dict[str, dict[str, str]]:
    """The facet vocabulary (staff can extend it) with the seed values' labels in the page's language."""
    terms = facet_terms()
    if current_language() == DEFAULT:
        return terms
    return {facet: {key: vocabulary.facet_labels(facet).get(key, text) for key, text in values.items()}
            for facet, values in terms.items()}


def _form(workspace=None) -> WorkspaceForm:
    form = WorkspaceForm(obj=workspace)
    form.set_choices(lessons.phases(), lessons.themes(), _facet_terms())
    if workspace is not None and request.method == "GET":
        for facet in FACETS:
            getattr(form, facet).data = (workspace.facets or {}).get(facet, [])
    return form


@bp.route("/")
def workspace_list():
    """Your city's incident workspaces (the secretariat sees every city's)."""
    return render_template("workspace/workspace_list.html", workspaces=list(services.workspaces_for(current_user)),
                           phases=lessons.phases())


@bp.route("/new", methods=["GET", "POST"])
@member_required
def workspace_new():
    """Open a workspace for an incident your city is responding to."""
    city = City.get_or_none(City.id == (current_user.city_id or 0))
    if city is None:
        flash(_("Your account is not linked to a member city yet: ask the secretariat."), "warning")
        return redirect(url_for("workspace.workspace_list"))
    form = _form()
    if form.validate_on_submit():
        try:
            workspace = services.open_workspace(city, form.values(), actor=current_user)
        except services.WorkspaceError as exc:
            form.description.errors.append(str(exc))
        else:
            return redirect(url_for("workspace.workspace_detail", workspace_id=workspace.id))
    return render_template("workspace/workspace_form.html", form=form, workspace=None), (400 if form.errors else 200)


@bp.route("/<int:workspace_id>")
def workspace_detail(workspace_id):
    """The workspace: peers with reasons, lessons by phase, the toolkit checklist, advice requests."""
    workspace = _workspace_or_404(workspace_id)
    try:
        peers = services.find_workspace_peers(workspace)
        lessons_by_phase = services.relevant_lessons(workspace, current_user, peers)
    except indexing.SearchUnavailable as exc:  # the rest of the workspace works meanwhile
        flash(_("Peers and lessons are not shown: %(reason)s", reason=str(exc)), "warning")
        peers, lessons_by_phase = [], {}
    return _render_detail(workspace, peers, lessons_by_phase, AdviceForm(prefix="advice"))


def _matched_languages(peers) -> dict[str, str]:
    """doc_id → the language the incidents and lessons the peers were matched on are written in."""
    ids = {"incident": set(), "lesson": set()}
    for peer in peers:
        for doc in peer.matched_docs:
            kind, _, number = doc.doc_id.partition(":")
            if kind in ids and number.isdigit():
                ids[kind].add(int(number))
    found = {}
    for kind, model in (("incident", Incident), ("lesson", Lesson)):
        if ids[kind]:
            found |= {f"{kind}:{row_id}": language for row_id, language in
                      model.select(model.id, model.language).where(model.id.in_(ids[kind])).tuples()}
    return found


def _render_detail(workspace, peers, lessons_by_phase, advice_form, status=200):
    peer_cities = {c.id: c for c in City.select().where(City.id.in_([int(p.city_id) for p in peers] or [0]))}
    advice_form.peer_city.choices = choices([(p.city_id, p.city_name) for p in peers])
    if request.method == "GET" and request.args.get("peer"):
        advice_form.peer_city.data = request.args["peer"]
    return render_template("workspace/workspace_detail.html", workspace=workspace, peers=peers,
                           peer_cities=peer_cities, lessons_by_phase=lessons_by_phase,
                           checklist=services.checklist(workspace, current_user), advice_form=advice_form,
                           requests=list(workspace.advice_requests.order_by(AdviceRequest.id.desc())),
                           phases=lessons.phases(), peer_reasons=reasons_text, toolkit_title=lessons.toolkit_title,
                           toolkit_guidance_html=services.toolkit_guidance_html,
                           doc_languages=_matched_languages(peers), in_language=in_language), status


@bp.route("/<int:workspace_id>/edit", methods=["GET", "POST"])
def workspace_edit(workspace_id):
    """Change the description, phase, facets or needs of a workspace."""
    workspace = _workspace_or_404(workspace_id)
    form = _form(workspace)
    if form.validate_on_submit():
        try:
            services.update_workspace(workspace, form.values(), actor=current_user)
        except services.WorkspaceError as exc:
            form.description.errors.append(str(exc))
        else:
            flash(_("Saved. Peers and lessons are updated."), "success")
            return redirect(url_for("workspace.workspace_detail", workspace_id=workspace.id))
    return render_template("workspace/workspace_form.html", form=form, workspace=workspace), \
        (400 if form.errors else 200)


@bp.route("/<int:workspace_id>/tick/<int:item_id>", methods=["POST"])
def workspace_tick(workspace_id, item_id):
    """Tick (or untick) a toolkit item."""
    workspace = _workspace_or_404(workspace_id)
    item = ToolkitItem.get_or_none(ToolkitItem.id == item_id) or abort(404)
    tick = services.toggle_tick(workspace, item, actor=current_user)
    # The confirmation is shown on the item itself, and the page opens there: the user stays where they acted.
    title = lessons.toolkit_title(item)
    flash(_("Ticked “%(item)s”.", item=title) if tick else _("Unticked “%(item)s”.", item=title),
          f"success:item-{item.id}")
    return redirect(url_for("workspace.workspace_detail", workspace_id=workspace.id) + f"#item-{item.id}")


@bp.route("/<int:workspace_id>/advice", methods=["POST"])
@member_required
def workspace_advice(workspace_id):
    """Ask the secretariat for an introduction to a peer city."""
    workspace = _workspace_or_404(workspace_id)
    form = AdviceForm(prefix="advice")
    peer = City.get_or_none(City.id == request.form.get("advice-peer_city", type=int) or 0)
    form.peer_city.choices = choices([(str(peer.id), peer.name)] if peer else [])
    valid = form.validate_on_submit()
    if peer is not None and valid:
        try:
            services.request_advice(workspace, peer, form.message.data, urgent=form.urgent.data, actor=current_user)
        except services.WorkspaceError as exc:
            form.message.errors.append(str(exc))
        else:
            flash(_("Your request for advice from %(city)s went to the secretariat. You will get a mail at each "
                    "step.", city=peer.name), "success:advice")
            return redirect(url_for("workspace.workspace_detail", workspace_id=workspace.id) + "#advice")
    if peer is None:
        form.peer_city.errors = [_("Choose one of the peer cities shown above.")]
    # The page again, with the message as typed and the reason next to the field (the browser focuses it).
    try:
        peers = services.find_workspace_peers(workspace)
        lessons_by_phase = services.relevant_lessons(workspace, current_user, peers)
    except indexing.SearchUnavailable:
        peers, lessons_by_phase = [], {}
    return _render_detail(workspace, peers, lessons_by_phase, form, status=400)


# --- the secretariat -------------------------------------------------------------------------------

@bp.route("/advice/")
@secretariat_required
def advice_queue():
    """Advice requests: urgent and oldest first."""
    status = request.args.get("status", "open")
    rows = list(services.advice_queue(status))
    overdue = {a.id for a in services.overdue_urgent()}
    return render_template("workspace/advice_queue.html", rows=rows, status=status, statuses=ADVICE_STATUSES,
                           overdue=overdue, form=ForwardForm())


@bp.route("/advice/<int:advice_id>/forward", methods=["POST"])
@secretariat_required
def advice_forward(advice_id):
    """Forward a request to the peer city's focal point."""
    advice = AdviceRequest.get_or_none(AdviceRequest.id == advice_id) or abort(404)
    form = ForwardForm()
    if not form.validate_on_submit():
        flash(_("Check the address: %(problems)s", problems=" ".join(str(e) for e in form.to_email.errors)), "error")
        return redirect(url_for("workspace.advice_queue"))
    try:
        services.forward_advice(advice, actor=current_user, note=form.note.data, to_email=form.to_email.data or None)
    except services.WorkspaceError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Forwarded to %(address)s.", address=advice.forwarded_to), "success")
    return redirect(url_for("workspace.advice_queue"))


@bp.route("/advice/answer/<token>", methods=["GET", "POST"])
@public
def advice_answer(token):
    """The peer focal point accepts or declines a request through the signed link of their mail."""
    try:
        advice = services.advice_for_token(token)
    except services.WorkspaceError as exc:
        return render_template("workspace/advice_answer.html", error=str(exc), advice=None, form=None), 404
    form = AnswerForm()
    answer = request.values.get("answer", "")
    if request.method == "POST" and form.validate_on_submit() and answer in ("accept", "decline"):
        try:
            services.answer_advice(advice, answer == "accept", note=form.note.data)
        except services.WorkspaceError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Thank you: your answer was recorded. You will both get each other's contacts by mail.")
                  if answer == "accept" else _("Thank you: your answer was recorded."), "success")
        return redirect(url_for("workspace.advice_answer", token=token))
    return render_template("workspace/advice_answer.html", advice=advice, form=form, answer=answer, error=None)
