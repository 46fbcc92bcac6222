"""The incident workspace: open it, find peers and lessons, tick the toolkit, ask peers for advice.

Everything here is confidential to the workspace's city and the secretariat: workspaces are not
indexed, and every read goes through ``can_access``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json

import peewee
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm import indexing
from crm.accounts.models import User
from crm.audit.services import record
from crm.core import tokens
from crm.core.errors import DomainError
from crm.core.operations import clean_values, required_text, update_record
from crm.core.urls import absolute_url
from crm.db import database, utcnow
from crm.i18n import current_language
from crm.lessons import services as lessons
from crm.lessons.models import Lesson, ToolkitItem
from crm.mail import queue_mail
from crm.membership.models import City
from crm.peers.matching import FACET_WEIGHTS, find_peers
from crm.search_backend import IndexStateCache
from crm.workspace.models import OPEN_ADVICE_STATUSES, AdviceRequest, ToolkitTick, Workspace

ANSWER_SALT = "advice-answer"
ANSWER_MAX_AGE = 30 * 24 * 3600
WORKSPACE_FIELDS = ("title", "description", "facets", "phase", "needs", "need_themes")


class WorkspaceError(DomainError):
    """A user-facing refusal: the message says what happened and what to do."""


def can_access(user, workspace: Workspace) -> bool:
    """Only the workspace's city's members and the secretariat see a workspace and all it holds."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_secretariat or (user.role == "member" and user.city_id == workspace.city_id)


def workspaces_for(user):
    """Return the workspaces ``user`` may see, newest first."""
    query = Workspace.select(Workspace, City).join(City).order_by(Workspace.created_at.desc(), Workspace.id.desc())
    if user.is_secretariat:
        return query
    return query.where(Workspace.city == (user.city_id or 0))


def _clean(values: dict) -> dict:
    from crm.incidents.services import clean_facets
    from crm.peers.text import detect_language

    values = clean_values(values, WORKSPACE_FIELDS, WorkspaceError,
                          required={"description": _("Describe what happened, in your own words and language.")})
    if "description" in values:
        values["language"] = detect_language(values["description"])
    if "title" in values:
        values["title"] = (values["title"] or "").strip() or (values.get("description") or "Incident")[:80]
    if "phase" in values and values["phase"] not in lessons.PHASE_KEYS:
        raise WorkspaceError(_("Choose the phase your city is in."))
    if "facets" in values:
        values["facets"] = clean_facets(values["facets"])
    if "need_themes" in values:
        known = lessons.themes()
        values["need_themes"] = [t for t in values["need_themes"] or () if t in known]
    return values


def open_workspace(city: City, values: dict, *, actor) -> Workspace:
    """Open a workspace for an incident the city is responding to (its member users)."""
    if not (actor.role == "member" and actor.city_id == city.id):
        raise PermissionError("Only the city's own members open its incident workspace.")
    values = _clean(values)
    with database.atomic():
        workspace = Workspace.create(city=city, created_by=actor.id, **values)
        record(actor, "workspace.open", workspace, summary=f"Opened an incident workspace for {city.name}",
               changes={"phase": workspace.phase, "language": workspace.language})
    return workspace


def update_workspace(workspace: Workspace, values: dict, *, actor) -> Workspace:
    """Change the description, facets, phase or needs of a workspace."""
    if not can_access(actor, workspace):
        raise PermissionError("This workspace belongs to another city.")
    values = _clean(values)
    update_record(workspace, values, actor=actor, action="workspace.update", summary="Updated the incident workspace",
                  audited=lambda changes: {k: v for k, v in changes.items() if k not in ("description", "needs")})
    return workspace


# --- what the workspace shows --------------------------------------------------------------------

def _query_text(workspace: Workspace) -> str:
    return "\n".join(filter(None, [workspace.title, workspace.description, workspace.needs]))


# The last rankings, by what decides them: the index's state (its generation and the last change applied to
# it), the text, the facets and the asking city. A workspace page is opened again and again while the
# description stays the same; any change to the index gives a new key, so a cached ranking is never stale.
_RANKINGS = IndexStateCache(128)


def find_workspace_peers(workspace: Workspace, *, limit: int = 8):
    """Rank peer cities for the workspace's incident, as the workspace's city sees the network."""
    facets = dict(workspace.facets or {})
    if workspace.need_themes:
        facets["theme"] = list(workspace.need_themes)
    text = _query_text(workspace)

    def rank(ix):
        return _RANKINGS.get(ix, ("peers", text, json.dumps(facets, sort_keys=True), workspace.city_id, limit),
                             lambda: find_peers(ix, text, facets=facets, asking_city_id=str(workspace.city_id),
                                                limit=limit, visibility=("public", "network"),
                                                viewer_city_id=str(workspace.city_id)))

    return indexing.query_index(rank)


def relevant_lessons(workspace: Workspace, user, peers=None, *, limit: int = 30) -> dict[str, list[Lesson]]:
    """Return lessons relevant to the incident, grouped by phase with the current phase first."""
    text, facets, themes = _query_text(workspace), dict(workspace.facets or {}), list(workspace.need_themes or ())

    def rank(ix):
        # Like the peers: the same text, facets and index give the same lessons (the concepts of the text are
        # not read again either).
        return _RANKINGS.get(ix, ("lessons", text, json.dumps(facets, sort_keys=True), tuple(themes),
                                  workspace.city_id, limit),
                             lambda: _rank_lessons(ix, text, facets, themes, workspace.city_id, limit))

    order = indexing.query_index(rank)
    for match in peers or ():
        for doc in match.matched_docs:
            if doc.kind == "lesson" and doc.doc_id not in order:
                order.append(doc.doc_id)
    ids = [int(d.split(":", 1)[1]) for d in order if d.split(":", 1)[1].isdigit()]
    rows = {lesson.id: lesson for lesson in (Lesson.select(Lesson.id, Lesson.title, Lesson.phase, Lesson.status,
                                                           Lesson.visibility, Lesson.language, Lesson.translation_of,
                                                           Lesson.city, City.id, City.name)
                                             .join(City)
                                             .where(Lesson.id.in_(ids or [0])))}
    viewer = _city_member(workspace)  # staff see what the city sees
    visible = [rows[i] for i in ids if i in rows and rows[i].status == "published" and lessons.can_view(viewer, rows[i])]
    # One version of a lesson written in several languages (the reader's first), picked after ranking.
    visible = lessons.in_readers_language(visible, viewer, current_language())
    phases = [workspace.phase] + [p for p in lessons.PHASE_KEYS if p != workspace.phase]
    grouped = {phase: [lesson for lesson in visible if lesson.phase == phase] for phase in phases}
    return {phase: items for phase, items in grouped.items() if items}


def _rank_lessons(ix, text: str, facets: dict, themes: list, city_id, limit: int) -> list[str]:
    """Return the doc ids of the lessons that share the incident's concepts, facets and needs, best first."""
    from crm.peers.concepts import extract_concepts

    found = extract_concepts(text)
    clauses = []
    wanted = {f: set(k) for f, k in found.items()}
    for facet, keys in facets.items():
        wanted.setdefault(facet, set()).update(keys)
    for theme in themes:
        wanted.setdefault("theme", set()).add(theme)
    for facet, keys in wanted.items():
        for key in keys:
            if facet in FACET_WEIGHTS:
                clauses.append(("facets", f"{facet}:{key}", FACET_WEIGHTS[facet], True))
                clauses.append(("mentions", f"{facet}:{key}", FACET_WEIGHTS[facet] * 0.5, True))
    filters = {"kinds": ["lesson"], "visibility": ["public", "network"], "viewer_city_id": str(city_id)}
    return [h.doc_id for h in ix.score_terms(clauses, filters, limit=limit)] if clauses else []


class _CityViewer:
    """Stands for a member of the workspace's city when staff look at the workspace."""

    is_authenticated = True
    is_secretariat = False
    role = "member"

    def __init__(self, city_id):
        self.city_id = city_id


def _city_member(workspace: Workspace) -> _CityViewer:
    return _CityViewer(workspace.city_id)


def checklist(workspace: Workspace, user) -> list[dict]:
    """Return the toolkit items of the workspace's phase, each with its tick and linked lessons."""
    ticks = {t.item_id: t for t in ToolkitTick.select(ToolkitTick, User)
             .join(User, on=(ToolkitTick.ticked_by == User.id), join_type=peewee.JOIN.LEFT_OUTER)
             .where(ToolkitTick.workspace == workspace.id)}
    items = []
    viewer = _city_member(workspace)
    # Only what linking and the page read of a lesson: whole rows (the body, every column of the city) were a
    # quarter of the page's time.
    query = (lessons.visible_lessons(viewer)
             .select(Lesson.id, Lesson.title, Lesson.phase, Lesson.themes, Lesson.language, Lesson.translation_of,
                     Lesson.city, City.id, City.name)
             .limit(400))
    candidates = [_LessonKey(lesson) for lesson in query]
    pool, language = [c.lesson for c in candidates], current_language()
    for item in lessons.toolkit(workspace.phase):
        # Ranked first, then one version of each lesson (the reader's language first), then the best two.
        ranked = lessons_for_item(item, candidates, limit=len(candidates))
        items.append({"item": item, "tick": ticks.get(item.id),
                      "lessons": lessons.one_per_family(ranked, language, among=pool)[:2]})
    return items


@functools.lru_cache(maxsize=256)
def _guidance_html(markdown_text: str):
    from crm.templating import render_markdown

    return render_markdown(markdown_text)


def toolkit_guidance_html(item, language: str | None = None):
    """Return a toolkit item's guidance in the page's language, as sanitised HTML (rendered once per text: the
    same few items are shown on every workspace page)."""
    return _guidance_html(lessons.toolkit_guidance(item, language) or "")


# How a lesson is linked to a checklist item: by meaning first (the concepts and words of their titles,
# then shared themes), by phase second. A shared theme alone ("family liaison") links a lesson on
# returnees from conflict zones as well as one on a point of contact for families; the titles tell them apart.
LINK_WEIGHTS = {"concept": 2.0, "word": 1.5, "theme": 1.0, "phase": 1.0}
_LINK_FACETS = ("theme", "topic", "aftermath")


@functools.lru_cache(maxsize=4096)
def _title_meaning(title: str) -> tuple[frozenset, frozenset]:
    """Return (concepts, content-word stems) of a title, English and its own language alike."""
    from crm.peers import text as T
    from crm.peers.concepts import extract_concepts

    found = extract_concepts(title)
    concepts = frozenset(c for c in found.keys() if c.split(":", 1)[0] in _LINK_FACETS)
    words = set(T.content_words(title, "en"))
    if found.language != "en":
        words |= set(T.content_words(title, found.language))
    return concepts, frozenset(words)


class _LessonKey:
    """A candidate lesson with what linking reads of it."""

    def __init__(self, lesson):
        self.lesson = lesson
        self.concepts, self.words = _title_meaning(lesson.title or "")
        self.themes = set(lesson.themes or ())


def link_score(item, candidate: _LessonKey) -> float:
    """Return how well a lesson answers a checklist item (0: not linked)."""
    concepts, words = _title_meaning(item.title or "")
    shared_themes = len(set(item.themes or ()) & candidate.themes)
    shared_concepts = len(concepts & (candidate.concepts | {f"theme:{t}" for t in candidate.themes}))
    shared_words = len(words & candidate.words)
    meaning = (LINK_WEIGHTS["concept"] * shared_concepts + LINK_WEIGHTS["word"] * shared_words
               + LINK_WEIGHTS["theme"] * shared_themes)
    if not meaning:
        return 0.0
    return meaning + LINK_WEIGHTS["phase"] * (candidate.lesson.phase == item.phase)


def lessons_for_item(item, candidates: list[_LessonKey], *, limit: int = 2) -> list[Lesson]:
    """Return the lessons that best answer a checklist item, by meaning and phase (best first)."""
    scored = [(link_score(item, c), position, c.lesson) for position, c in enumerate(candidates)]
    scored = [row for row in scored if row[0] > 0]
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [lesson for _, _, lesson in scored[:limit]]


def toggle_tick(workspace: Workspace, item: ToolkitItem, *, actor) -> ToolkitTick | None:
    """Tick a toolkit item (recording who and when), or untick it."""
    if not can_access(actor, workspace):
        raise PermissionError("This workspace belongs to another city.")
    with database.atomic():
        tick = ToolkitTick.get_or_none(ToolkitTick.workspace == workspace.id, ToolkitTick.item == item.id)
        if tick is None:
            tick = ToolkitTick.create(workspace=workspace, item=item, ticked_by=actor.id)
            record(actor, "workspace.tick", workspace, summary=f"Ticked “{item.title}”", changes={"item": item.id})
            return tick
        tick.delete_instance()
        record(actor, "workspace.untick", workspace, summary=f"Unticked “{item.title}”", changes={"item": item.id})
        return None


# --- advice requests -----------------------------------------------------------------------------

def answer_token(advice: AdviceRequest) -> str:
    """Return the signed token of the focal point's accept/decline link."""
    return tokens.sign({"rid": advice.id, "to": advice.forwarded_to}, ANSWER_SALT, timed=True)


def advice_for_token(token: str) -> AdviceRequest:
    """Return the advice request a signed link names; raise WorkspaceError if the link is not valid."""
    data = tokens.unsign_or_refuse(
        token, ANSWER_SALT, WorkspaceError, max_age=ANSWER_MAX_AGE,
        expired=_("This link has expired. Write to the secretariat to answer the request."),
        invalid=_("This link is not valid. Check that you copied all of it from the mail."))
    advice = AdviceRequest.get_or_none(AdviceRequest.id == data.get("rid"))
    if advice is None or advice.forwarded_to != data.get("to"):
        raise WorkspaceError(_("This request no longer exists or was sent to someone else. Contact the secretariat."))
    return advice


def _city_member_emails(city_id) -> list[str]:
    return [u.email for u in User.select().where(User.city == city_id, User.role == "member",
                                                   User.active == True)]  # noqa: E712


def focal_point_address(city: City) -> tuple[str, str] | None:
    """Return (name, email) of the city's focal point, or of one of its member users; None if neither."""
    from crm.contacts.models import Contact

    contact = (Contact.select()
               .where(Contact.city == city.id, Contact.city_role == "focal_point", Contact.email.is_null(False),
                      Contact.erased_at.is_null())
               .order_by(Contact.id).first())
    if contact is not None:
        return contact.name, contact.email
    user = (User.select().where(User.city == city.id, User.role == "member", User.active == True)  # noqa: E712
            .order_by(User.id).first())
    return (user.name, user.email) if user else None


def request_advice(workspace: Workspace, peer_city: City, message: str, *, urgent: bool, actor) -> AdviceRequest:
    """Ask the secretariat for an introduction to a peer city (mailed to the secretariat at once)."""
    if not can_access(actor, workspace) or actor.is_secretariat:
        raise PermissionError("Only the workspace's city asks for advice.")
    message = required_text(message, WorkspaceError,
                            _("Write a short message for the peer city: what you would like to ask them."))
    if peer_city.id == workspace.city_id or peer_city.status != "active":
        raise WorkspaceError(_("Choose another active member city."))
    if (AdviceRequest.select().where(AdviceRequest.workspace == workspace.id, AdviceRequest.peer_city == peer_city.id,
                                     AdviceRequest.status.in_(OPEN_ADVICE_STATUSES)).exists()):
        raise WorkspaceError(_("You already asked %(city)s: the request is still open.", city=peer_city.name))
    with database.atomic():
        advice = AdviceRequest.create(workspace=workspace, peer_city=peer_city, message=message, urgent=bool(urgent),
                                      requested_by=actor.id)
        record(actor, "advice.request", advice, summary=f"{workspace.city.name} asked for advice from {peer_city.name}",
               changes={"urgent": bool(urgent), "peer_city": peer_city.id})
        subject = (_l("URGENT: Advice request from %(asking)s to %(peer)s", asking=workspace.city.name,
                      peer=peer_city.name) if urgent
                   else _l("Advice request from %(asking)s to %(peer)s", asking=workspace.city.name, peer=peer_city.name))
        queue_mail(current_app.config["SECRETARIAT_EMAIL"], subject, "advice_requested", advice=advice, workspace=workspace,
                   link=absolute_url("workspace.advice_queue"))
    return advice


def forward_advice(advice: AdviceRequest, *, actor, note: str = "", to_email: str | None = None) -> AdviceRequest:
    """Forward a request to the peer city's focal point (staff), with signed accept/decline links."""
    if advice.status != "requested":
        raise WorkspaceError(_("This request is %(status)s: it cannot be forwarded now.",
                               status=str(advice.status_label).lower()))
    if to_email:
        name, address = advice.peer_city.name, to_email.strip().lower()
    else:
        found = focal_point_address(advice.peer_city)
        if found is None:
            raise WorkspaceError(_("%(city)s has no focal point with an email address and no member user: add one "
                                   "on the city's page, or give an address.", city=advice.peer_city.name))
        name, address = found
    with database.atomic():
        advice.status, advice.forwarded_at, advice.forwarded_by = "forwarded", utcnow(), actor.id
        advice.forwarded_to, advice.staff_note = address, (note or "").strip()
        advice.save()
        record(actor, "advice.forward", advice, summary=f"Forwarded advice request #{advice.id} to {address}",
               changes={"status": ["requested", "forwarded"], "to": address})
        token = answer_token(advice)
        queue_mail(address, _l("%(asking)s asks %(peer)s for advice", asking=advice.workspace.city.name,
                               peer=advice.peer_city.name),
                   "advice_forwarded", advice=advice, name=name, note=advice.staff_note,
                   accept=absolute_url("workspace.advice_answer", token=token, answer="accept"),
                   decline=absolute_url("workspace.advice_answer", token=token, answer="decline"))
        for email in _city_member_emails(advice.workspace.city_id):
            queue_mail(email, _l("Your request to %(peer)s was forwarded", peer=advice.peer_city.name), "advice_status",
                       advice=advice, link=absolute_url("workspace.workspace_detail", workspace_id=advice.workspace_id))
    return advice


def _person(email: str, name: str = "") -> dict:
    from crm.contacts.models import Contact

    contact = Contact.get_or_none(Contact.email == email, Contact.erased_at.is_null())
    if contact is not None:
        return {"name": contact.name, "email": email, "position": contact.position, "phone": contact.phone}
    user = User.get_or_none(User.email == email)
    return {"name": name or (user.name if user else email), "email": email, "position": "", "phone": ""}


def _contacts_of(city: City, email: str | None, name: str = "") -> list[dict]:
    """The person who answered (or asked) first, then the city's focal points."""
    from crm.contacts.models import Contact

    out = [_person(email, name)] if email else []
    for c in (Contact.select().where(Contact.city == city.id, Contact.city_role == "focal_point",
                                     Contact.email.is_null(False), Contact.erased_at.is_null())):
        if not any(o["email"] == c.email for o in out):
            out.append({"name": c.name, "email": c.email, "position": c.position, "phone": c.phone})
    return out


def answer_advice(advice: AdviceRequest, accept: bool, *, note: str = "") -> AdviceRequest:
    """Record the peer focal point's answer; on acceptance both sides get each other's contacts."""
    if advice.status != "forwarded":
        raise WorkspaceError(_("This request is already %(status)s.", status=str(advice.status_label).lower()))
    status = "accepted" if accept else "declined"
    requester = advice.requested_by
    asking = advice.workspace.city
    with database.atomic():
        advice.status, advice.answered_at, advice.answer_note = status, utcnow(), (note or "").strip()
        advice.save()
        record(None, f"advice.{status}", advice, summary=f"{advice.forwarded_to} {status} advice request #{advice.id}",
               changes={"status": ["forwarded", status]})
        link = absolute_url("workspace.workspace_detail", workspace_id=advice.workspace_id)
        if accept:
            peer_side = _contacts_of(advice.peer_city, advice.forwarded_to)
            asking_side = _contacts_of(asking, requester.email if requester else None,
                                       requester.name if requester else "")
            for email in dict.fromkeys([*( [requester.email] if requester else []), *_city_member_emails(asking.id)]):
                queue_mail(email, _l("%(peer)s accepted your request for advice", peer=advice.peer_city.name),
                           "advice_accepted",
                           advice=advice, other_city=advice.peer_city, contacts=peer_side, note=advice.answer_note,
                           link=link)
            queue_mail(advice.forwarded_to, _l("Contacts of %(city)s", city=asking.name), "advice_accepted", advice=advice,
                       other_city=asking, contacts=asking_side, note="", link=None)
        else:
            for email in _city_member_emails(asking.id):
                queue_mail(email, _l("Your request to %(peer)s was declined", peer=advice.peer_city.name), "advice_status",
                           advice=advice, link=link)
        subject = (_l("Advice request #%(number)s accepted", number=advice.id) if accept
                   else _l("Advice request #%(number)s declined", number=advice.id))
        queue_mail(current_app.config["SECRETARIAT_EMAIL"], subject, "advice_status",
                   advice=advice, link=absolute_url("workspace.advice_queue"))
    return advice


def advice_queue(status: str = "open"):
    """Return advice requests for the secretariat, urgent and oldest first."""
    query = AdviceRequest.select(AdviceRequest, Workspace, City).join(Workspace).join(City)
    if status == "open":
        query = query.where(AdviceRequest.status.in_(OPEN_ADVICE_STATUSES))
    elif status:
        query = query.where(AdviceRequest.status == status)
    return query.order_by(AdviceRequest.urgent.desc(), AdviceRequest.created_at, AdviceRequest.id)


def overdue_urgent(now: dt.datetime | None = None):
    """Return urgent requests not answered within ``CRM_ADVICE_URGENT_HOURS``."""
    now = now or utcnow()
    limit = now - dt.timedelta(hours=current_app.config.get("ADVICE_URGENT_HOURS", 24))
    return (AdviceRequest.select()
            .where(AdviceRequest.urgent == True, AdviceRequest.status.in_(OPEN_ADVICE_STATUSES),  # noqa: E712
                   AdviceRequest.created_at <= limit)
            .order_by(AdviceRequest.created_at))


def flag_overdue(now: dt.datetime | None = None) -> int:
    """Flag overdue urgent requests to the secretariat by mail (once each); return how many were flagged."""
    flagged = 0
    with database.atomic():
        for advice in overdue_urgent(now).where(AdviceRequest.flagged_at.is_null()):
            advice.flagged_at = utcnow()
            advice.save()
            record(None, "advice.flag", advice, summary=f"Urgent advice request #{advice.id} unanswered")
            queue_mail(current_app.config["SECRETARIAT_EMAIL"],
                       _l("Urgent advice request #%(number)s is still unanswered", number=advice.id), "advice_overdue",
                       advice=advice,
                       hours=current_app.config.get("ADVICE_URGENT_HOURS", 24), link=absolute_url("workspace.advice_queue"))
            flagged += 1
    return flagged
