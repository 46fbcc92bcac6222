"""Event pages: list, detail, edit, agenda, registration, invitations, offers, check-in, reports, calendar."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from crm.accounts.access import public, secretariat_required
from crm.accounts.models import User
from crm.core.csvexport import csv_response
from crm.db import utcnow
from crm.events import (
    bp,
    calendar,
    checkin,
    invitations,
    links,
    planning,
    registration,
    timezones,
    visibility,
)
from crm.events import reports as reporting
from crm.events.capacity import seats_left
from crm.events.errors import EventError, RegistrationRefused
from crm.events.forms import (
    ActionForm,
    CancelEventForm,
    EventForm,
    InviteForm,
    MoveForm,
    PublicRegistrationForm,
    RegistrationDetailsForm,
    SessionForm,
    WalkInForm,
    vocabulary,
)
from crm.events.models import (
    OFFERED,
    REGISTERED,
    REGISTRATION_STATUSES,
    Event,
    Invitation,
    Registration,
    Session,
)
from crm.forms import choices
from crm.i18n import current_language
from crm.membership.models import City
from crm.peers.language import written_language
from crm.vocabulary import language_name


def _event_or_404(event_id: int) -> Event:
    event = Event.get_or_none(Event.id == event_id)
    if event is None:
        abort(404)
    return event


def _visible_event_or_404(event_id: int) -> Event:
    event = _event_or_404(event_id)
    if not visibility.can_see(event, current_user):
        if not current_user.is_authenticated and event.status != "draft":
            abort(current_app.login_manager.unauthorized())
        abort(404)
    return event


def _written_in(event: Event) -> dict:
    """The language an event's title and description are written in, its name, and the reader's, for the page
    (an event without a description says nothing: its title alone is mostly names of places)."""
    reader = current_language()
    code = written_language(event.language, event.title, event.description) if event.description.strip() else reader
    return {"written_in": code, "written_in_name": language_name(code), "reader_language": reader}


def _form_with_local_times(event: Event) -> EventForm:
    form = EventForm(obj=event)
    if request.method == "GET":
        zone = event.timezone
        form.starts_local.data = timezones.to_local(event.starts_at, zone)
        form.ends_local.data = timezones.to_local(event.ends_at, zone)
        form.registration_opens_local.data = timezones.to_local(event.registration_opens_at, zone)
        form.registration_closes_local.data = timezones.to_local(event.registration_closes_at, zone)
        form.host_city.data = str(event.host_city_id or "")
    return form


# --- list and detail -------------------------------------------------------------------------------

@bp.route("/")
@public
def event_list():
    """List the upcoming and past events the visitor may see."""
    events = list(visibility.visible_events(current_user))
    now = utcnow()
    upcoming = [e for e in events if e.ends_at > now]
    past = sorted((e for e in events if e.ends_at <= now), key=lambda e: e.starts_at, reverse=True)
    feed_url = None
    if current_user.is_authenticated:
        feed_url = links.absolute_url("events.personal_feed", token=visibility.feed_token(current_user))
    return render_template("events/event_list.html", upcoming=upcoming, past=past, feed_url=feed_url,
                           fmt=timezones.format_local)


@bp.route("/<int:event_id>")
@public
def event_detail(event_id):
    """The event page: details, day-by-day agenda, and the visitor's registration."""
    event = _visible_event_or_404(event_id)
    contact = visibility.contact_for_user(current_user) if current_user.is_authenticated else None
    reg = registration.registration_of(event, contact)
    problem = registration.refusal(event, contact)
    counts = registration.counts(event)
    listed = []
    if current_user.is_authenticated:
        listed = [r for r in registration.participants(event, status=REGISTERED) if r.consent_listed]
    return render_template("events/event_detail.html", event=event, reg=reg, problem=problem, counts=counts,
                           days=planning.agenda_days(event), fmt=timezones.format_local, seats_left=seats_left(event),
                           details_form=RegistrationDetailsForm(), action_form=ActionForm(), listed=listed,
                           sectors=dict(vocabulary("sectors")), **_written_in(event))


@bp.route("/<int:event_id>.ics")
@public
def event_ics(event_id):
    """The event as an iCalendar file."""
    event = _visible_event_or_404(event_id)
    return Response(calendar.event_ics(event), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'})


@bp.route("/feed.ics")
@public
def public_feed():
    """A calendar feed of the published public events."""
    return Response(calendar.feed_ics(visibility.feed_events(None)), mimetype="text/calendar")


@bp.route("/feed/<token>.ics")
@public
def personal_feed(token):
    """A person's calendar feed (from a signed link): the published events they may see."""
    try:
        user = User.get_or_none(User.id == links.user_id_for_feed_token(token))
    except EventError:
        abort(404)
    if user is None or not user.is_active:
        abort(404)
    return Response(calendar.feed_ics(visibility.feed_events(user), name=_("My Strong Cities events")),
                    mimetype="text/calendar")


# --- create, edit, publish, cancel -------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@secretariat_required
def event_new():
    """Plan a new event (saved as a draft)."""
    form = EventForm()
    if form.validate_on_submit():
        try:
            event = planning.create_event(actor=current_user, **form.values())
        except EventError as exc:
            form.title.errors.append(str(exc))
        else:
            flash(_("Saved the draft of %(title)s. Add its agenda, then publish it.", title=event.title), "success")
            return redirect(url_for("events.event_detail", event_id=event.id))
    return render_template("events/event_form.html", form=form, event=None), (400 if form.errors else 200)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@secretariat_required
def event_edit(event_id):
    """Change an event (raising the capacity offers the new seats to people waiting)."""
    event = _event_or_404(event_id)
    form = _form_with_local_times(event)
    if form.validate_on_submit():
        try:
            planning.update_event(event, actor=current_user, **form.values())
        except EventError as exc:
            target = form.capacity if exc.field == "capacity" else form.title
            target.errors = list(target.errors) + [str(exc)]
        else:
            flash(_("Saved %(title)s.", title=event.title), "success")
            return redirect(url_for("events.event_detail", event_id=event.id))
    return render_template("events/event_form.html", form=form, event=event), (400 if form.errors else 200)


@bp.route("/<int:event_id>/publish", methods=["POST"])
@secretariat_required
def event_publish(event_id):
    """Publish a draft."""
    event = _event_or_404(event_id)
    try:
        planning.publish_event(event, actor=current_user)
    except EventError as exc:
        flash(str(exc), "error")
    else:
        flash(_("%(title)s is published.", title=event.title), "success")
    return redirect(url_for("events.event_detail", event_id=event.id))


@bp.route("/<int:event_id>/cancel", methods=["GET", "POST"])
@secretariat_required
def event_cancel(event_id):
    """Cancel an event; everyone registered or waiting is mailed."""
    event = _event_or_404(event_id)
    form = CancelEventForm()
    if form.validate_on_submit():
        try:
            mailed = planning.cancel_event(event, actor=current_user, reason=form.reason.data)
        except EventError as exc:
            flash(str(exc), "error")
        else:
            flash(_("%(title)s is cancelled; a mail to each of the %(count)s people is queued (the outbox shows "
                    "their delivery).", title=event.title, count=mailed), "success")
        return redirect(url_for("events.event_detail", event_id=event.id))
    return render_template("events/event_cancel.html", form=form, event=event, counts=registration.counts(event))


@bp.route("/<int:event_id>/complete", methods=["POST"])
@secretariat_required
def event_complete(event_id):
    """Mark an event that has ended as completed."""
    event = _event_or_404(event_id)
    try:
        planning.complete_event(event, actor=current_user)
    except EventError as exc:
        flash(str(exc), "error")
    else:
        flash(_("%(title)s is marked completed.", title=event.title), "success")
    return redirect(url_for("events.event_detail", event_id=event.id))


# --- agenda -----------------------------------------------------------------------------------------

def _session_values(event: Event, form: SessionForm) -> dict:
    zone = event.timezone
    return {"starts_at": timezones.to_utc(dt.datetime.combine(form.day.data, form.start.data), zone),
            "ends_at": timezones.to_utc(dt.datetime.combine(form.day.data, form.end.data), zone),
            "title": form.title.data, "kind": form.kind.data, "place": form.place.data or "",
            "description": form.description.data or ""}


@bp.route("/<int:event_id>/agenda", methods=["GET", "POST"])
@bp.route("/<int:event_id>/agenda/<int:session_id>", methods=["GET", "POST"])
@secretariat_required
def agenda_edit(event_id, session_id=None):
    """Add a session to the agenda, or change one."""
    event = _event_or_404(event_id)
    session = None
    if session_id is not None:
        session = Session.get_or_none(Session.id == session_id, Session.event == event) or abort(404)
    form = SessionForm(obj=session)
    if request.method == "GET":
        if session is not None:
            start, end = event.local(session.starts_at), event.local(session.ends_at)
            form.day.data, form.start.data, form.end.data = start.date(), start.time(), end.time()
            form.speakers.data = [str(link.contact_id) for link in session.speaker_links]
        else:
            form.day.data = event.local(event.starts_at).date()
    if form.validate_on_submit():
        try:
            saved = planning.save_session(event, actor=current_user, session=session,
                                          speaker_ids=form.speakers.data or [], **_session_values(event, form))
        except EventError as exc:
            form.day.errors = list(form.day.errors) + [str(exc)]
        else:
            flash(_("Saved '%(title)s' in the agenda.", title=form.title.data), "success")
            clashes = planning.overlapping(saved)
            if clashes:  # parallel sessions may be meant: warn, never refuse
                times = "; ".join(f"'{o.title}' ({event.local(o.starts_at):%H:%M}–{event.local(o.ends_at):%H:%M})"
                                  for o in clashes)
                flash(_("It overlaps %(sessions)s. Fine for parallel sessions; otherwise change a time.", sessions=times),
                      "warning")
            return redirect(url_for("events.agenda_edit", event_id=event.id))
    form.chosen_speakers_first()
    return render_template("events/agenda_edit.html", form=form, event=event, session=session,
                           days=planning.agenda_days(event), action_form=ActionForm()), (400 if form.errors else 200)


@bp.route("/<int:event_id>/agenda/<int:session_id>/delete", methods=["POST"])
@secretariat_required
def agenda_delete(event_id, session_id):
    """Remove a session from the agenda."""
    event = _event_or_404(event_id)
    session = Session.get_or_none(Session.id == session_id, Session.event == event) or abort(404)
    planning.delete_session(session, actor=current_user)
    flash(_("Removed '%(title)s' from the agenda.", title=session.title), "success")
    return redirect(url_for("events.agenda_edit", event_id=event.id))


# --- registration -----------------------------------------------------------------------------------

def _flash_registration(reg: Registration, created: bool) -> None:
    if not created:
        flash(_("You already have a registration for this event: %(state)s", state=_describe(reg)), "info")
    elif reg.status == REGISTERED:
        flash(_("You are registered. A confirmation with a calendar file is on its way by mail."), "success")
    else:
        flash(_("The event is full, so you are on the waiting list: number %(position)s. "
                "If a seat frees up we will offer it to you by mail.", position=reg.waiting_position), "info")


def _describe(reg: Registration) -> str:
    if reg.status == REGISTERED:
        return _("you are registered.")
    if reg.status == OFFERED:
        return _("a seat is offered to you: confirm it through the link in your mail.")
    return _("you are on the waiting list, number %(position)s.", position=reg.waiting_position)


@bp.route("/<int:event_id>/register", methods=["POST"])
def register(event_id):
    """Register the signed-in user (or put them on the waiting list)."""
    event = _visible_event_or_404(event_id)
    form = RegistrationDetailsForm()
    if not form.validate_on_submit():
        flash(_("Some answers need your attention: %(errors)s", errors=" ".join(str(e) for e in sum(form.errors.values(), []))),
              "error")
        return redirect(url_for("events.event_detail", event_id=event.id))
    try:
        reg, created = registration.register_user(event, current_user, details=form.details())
    except RegistrationRefused as exc:
        flash(str(exc), "error")
    else:
        _flash_registration(reg, created)
    return redirect(url_for("events.event_detail", event_id=event.id))


@bp.route("/<int:event_id>/unregister", methods=["POST"])
def unregister(event_id):
    """Cancel the signed-in user's registration (or leave the waiting list)."""
    event = _visible_event_or_404(event_id)
    form = ActionForm()
    reg = registration.registration_of(event, visibility.contact_for_user(current_user))
    if not form.validate_on_submit() or reg is None:
        flash(_("You have no registration to cancel for this event."), "error")
    else:
        try:
            registration.cancel_registration(reg, actor=current_user)
        except EventError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Your registration is cancelled. Thank you for freeing your seat."), "success")
    return redirect(url_for("events.event_detail", event_id=event.id))


@bp.route("/<int:event_id>/join", methods=["GET", "POST"])
@public
def register_public(event_id):
    """The public registration form of a public event."""
    event = _visible_event_or_404(event_id)
    if event.visibility != "public":
        abort(404)
    form = PublicRegistrationForm()
    problem = registration.refusal(event)
    if problem is None and form.validate_on_submit():
        if form.website.data:  # the honeypot: pretend success to robots
            return render_template("events/registration_done.html", event=event, reg=None, created=True)
        try:
            reg, created = registration.register(event, person=form.person(), source="public", details=form.details())
        except RegistrationRefused as exc:
            problem = exc
        else:
            if not created:
                registration.resend_manage_link(reg)
            return render_template("events/registration_done.html", event=event, reg=reg, created=created,
                                   describe=_describe(reg))
    status = 400 if form.errors else (409 if problem and request.method == "POST" else 200)
    return render_template("events/register_public.html", form=form, event=event, problem=problem,
                           fmt=timezones.format_local), status


@bp.route("/registration/<token>", methods=["GET", "POST"])
@public
def manage_registration(token):
    """See one's registration through the emailed link, confirm an offered seat, or cancel."""
    try:
        reg = links.registration_for_token(token)
    except EventError as exc:
        return render_template("events/message.html", title=_("Link not valid"), message=str(exc)), 404
    form = ActionForm()
    if form.validate_on_submit():
        action = request.form.get("action")
        try:
            if action == "confirm":
                reg = registration.confirm_offer(reg)
                flash(_("Your seat is confirmed. A confirmation with a calendar file is on its way."), "success")
            elif action == "cancel":
                reg = registration.cancel_registration(reg)
                flash(_("Your registration is cancelled. Thank you for letting us know."), "success")
            else:
                abort(400)
        except EventError as exc:
            flash(str(exc), "error")
        return redirect(url_for("events.manage_registration", token=token))
    reg = Registration.get_by_id(reg.id)
    return render_template("events/manage_registration.html", reg=reg, event=reg.event, form=form,
                           fmt=timezones.format_local)


# --- invitations ------------------------------------------------------------------------------------

FILTER_KEYS = ("sector", "region", "country", "city", "tag", "attendance", "q", "selection")


@bp.route("/<int:event_id>/invite", methods=["GET", "POST"])
@secretariat_required
def invite(event_id):
    """Choose contacts with filters and send them personal invitations."""
    event = _event_or_404(event_id)
    filters = {k: (request.values.get(k) or "").strip() for k in FILTER_KEYS}
    selection = invitations.parse_selection(filters["selection"])  # contacts chosen on the contact list
    filters["selection"] = ",".join(map(str, selection))
    found = invitations.filter_contacts(sector=filters["sector"], region=filters["region"], country=filters["country"],
                                     city_id=filters["city"] or None, tag=filters["tag"],
                                     attendance=filters["attendance"], q=filters["q"], ids=selection or None)
    invited = {i.contact_id: i for i in Invitation.select().where(Invitation.event == event)}
    form = InviteForm()
    form.contacts.choices = choices([(str(c.id), c.name) for c in found])
    if request.method == "GET" and selection:  # brought from the contact list: those who can be invited are ticked
        form.contacts.data = [str(c.id) for c in found
                              if c.id not in invited and invitations.why_not_invitable(c) is None]
    if form.validate_on_submit():
        chosen = [c for c in found if str(c.id) in set(form.contacts.data)]
        going = [c for c in chosen if c.id not in invited and invitations.why_not_invitable(c) is None]
        if len(going) > invitations.CONFIRM_ABOVE and form.confirmed.data != "yes":
            # More than a few people: show what will go out, to whom, and ask first.
            form.confirmed.data = "yes"
            back = url_for("events.invite", event_id=event.id, **{k: v for k, v in filters.items() if v})
            return render_template("events/invite_confirm.html", event=event, form=form, chosen=chosen,
                                   going=going, filters=filters, back=back, preview=invitations.preview_invitation(
                                       event, going[0], form.message.data or ""))
        try:
            sent, skipped = invitations.send_invitations(event, chosen, actor=current_user,
                                                         message=form.message.data or "")
        except EventError as exc:
            flash(str(exc), "error")
        else:
            # The mails go out after the commit: say what has happened so far, not what we hope.
            mails = invitations.delivery_status(event) if sent else {}
            delivered = sum(1 for inv in sent if inv.id in mails and mails[inv.id].status == "sent")
            flash(ngettext("%(num)d invitation queued, %(delivered)s delivered so far. "
                           "The list below shows each mail's delivery.",
                           "%(num)d invitations queued, %(delivered)s delivered so far. "
                           "The list below shows each mail's delivery.", len(sent), delivered=delivered), "success")
            for contact, reason in skipped:
                flash(_("Not invited: %(name)s (%(reason)s).", name=contact.name, reason=reason), "warning")
            return redirect(url_for("events.invite", event_id=event.id, **{k: v for k, v in filters.items() if v}))
    past_events = Event.select().where(Event.starts_at < utcnow()).order_by(Event.starts_at.desc())
    delivery = invitations.delivery_status(event)
    return render_template("events/invite.html", event=event, form=form, found=found, invited=invited,
                           delivery=delivery, delivery_counts=invitations.delivery_counts(event, delivery),
                           pipeline=invitations.pipeline(event), sector_labels=dict(vocabulary("sectors")),
                           delivery_labels=invitations.DELIVERY_LABELS,
                           filters=filters, why=invitations.why_not_invitable, sectors=vocabulary("sectors"),
                           regions=vocabulary("regions"), cities=City.select().order_by(City.name),
                           past_events=past_events), (400 if form.errors else 200)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def answer_invitation(token):
    """Accept or decline a personal invitation through its signed link."""
    try:
        inv = links.invitation_for_token(token)
    except EventError as exc:
        return render_template("events/message.html", title=_("Link not valid"), message=str(exc)), 404
    event = inv.event
    form = RegistrationDetailsForm()
    reg = registration.registration_of(event, inv.contact)
    problem = None
    if form.validate_on_submit():
        accept = request.form.get("answer") == "accept"
        try:
            reg, created = invitations.answer_invitation(inv, accept=accept, details=form.details())
        except RegistrationRefused as exc:
            problem = exc
        else:
            if accept:
                return redirect(url_for("events.manage_registration",
                                        token=links.make_token(reg, links.REGISTRATION_SALT)))
            flash(_("Thank you for letting us know. You have declined the invitation."), "info")
            return redirect(url_for("events.answer_invitation", token=token))
    inv = Invitation.get_by_id(inv.id)
    return render_template("events/answer_invitation.html", inv=inv, event=event, form=form, reg=reg,
                           problem=problem or registration.refusal(event, inv.contact, invited=True),
                           fmt=timezones.format_local, days=planning.agenda_days(event), **_written_in(event))


# --- staff: participants, moves, check-in, print, reports --------------------------------------------

@bp.route("/<int:event_id>/participants")
@secretariat_required
def participant_list(event_id):
    """Everyone registered, offered a seat, waiting or cancelled, with the staff's actions."""
    event = _event_or_404(event_id)
    status, q = request.args.get("status", ""), request.args.get("q", "")
    regs = list(registration.participants(event, status=status, q=q, page_columns=True))
    return render_template("events/participants.html", event=event, regs=regs, status=status, q=q,
                           counts=registration.counts(event), statuses=REGISTRATION_STATUSES, move_form=MoveForm(),
                           seats_left=seats_left(event), fmt=timezones.format_local,
                           pipeline=invitations.pipeline(event))


@bp.route("/<int:event_id>/participants/<int:reg_id>/move", methods=["POST"])
@secretariat_required
def move(event_id, reg_id):
    """Move a person by hand: register, put on the waiting list at a position, or cancel."""
    event = _event_or_404(event_id)
    reg = Registration.get_or_none(Registration.id == reg_id, Registration.event == event) or abort(404)
    form = MoveForm()
    if form.validate_on_submit():
        try:
            reg = registration.move_registration(reg, actor=current_user, action=form.action.data,
                                             position=form.position.data)
        except EventError as exc:
            flash(str(exc), "error")
        else:
            if reg.waiting_position:
                flash(_("%(name)s: %(status)s, number %(position)s. A mail telling them is queued.",
                        name=reg.contact.name, status=str(reg.status_label).lower(), position=reg.waiting_position),
                      "success")
            else:
                flash(_("%(name)s: %(status)s. A mail telling them is queued.", name=reg.contact.name,
                        status=str(reg.status_label).lower()), "success")
    else:
        flash(_("Choose where to move this person."), "error")
    return redirect(url_for("events.participant_list", event_id=event.id))


@bp.route("/<int:event_id>/check-in")
@secretariat_required
def check_in(event_id):
    """The check-in desk: find a registrant by name and mark them present (works on a phone)."""
    event = _event_or_404(event_id)
    q = request.args.get("q", "").strip()
    regs = list(registration.participants(event, status=REGISTERED, q=q)) if q else \
        list(registration.participants(event, status=REGISTERED))
    override = request.args.get("override") == "1"
    return render_template("events/check_in.html", event=event, regs=regs, q=q, action_form=ActionForm(),
                           walk_in=WalkInForm(override="1" if override else ""), **_door(event, override))


def _door(event, override: bool) -> dict:
    """What the check-in desk shows besides the list: counts, the check-in window, a full event."""
    free = seats_left(event)
    return {"counts": registration.counts(event), "window_open": checkin.check_in_open(event),
            "window": checkin.window_message(event), "override": override, "full": free is not None and free <= 0}


@bp.route("/<int:event_id>/check-in/<int:reg_id>", methods=["POST"])
@secretariat_required
def check_in_mark(event_id, reg_id):
    """Mark a registrant present, or undo it."""
    event = _event_or_404(event_id)
    reg = Registration.get_or_none(Registration.id == reg_id, Registration.event == event) or abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        present = request.form.get("present") == "1"
        override = request.form.get("override") == "1"
        try:
            checkin.check_in(reg, actor=current_user, present=present, override=override)
        except EventError as exc:
            flash(str(exc), "error")
        else:
            if not present:
                flash(_("%(name)s is no longer checked in.", name=reg.contact.name), "success")
            elif override and not checkin.check_in_open(event):
                flash(_("%(name)s is checked in (override recorded).", name=reg.contact.name), "success")
            else:
                flash(_("%(name)s is checked in.", name=reg.contact.name), "success")
    return redirect(url_for("events.check_in", event_id=event.id, q=request.form.get("q", ""),
                            **({"override": "1"} if request.form.get("override") == "1" else {})))


@bp.route("/<int:event_id>/walk-in", methods=["POST"])
@secretariat_required
def walk_in(event_id):
    """Add someone who came without registering, checked in."""
    event = _event_or_404(event_id)
    form = WalkInForm()
    if form.validate_on_submit():
        try:
            reg = checkin.add_walk_in(event, actor=current_user, name=form.name.data, email=form.email.data or "",
                                       organisation=form.organisation.data or "", sector=form.sector.data,
                                       over_capacity=bool(form.over_capacity.data), override=form.override.data == "1")
        except EventError as exc:
            # Shown next to the form, which keeps everything typed.
            (form.over_capacity if exc.field == "over_capacity" else form.name).errors.append(str(exc))
        else:
            if reg.source == checkin.WALK_IN_OVER_CAPACITY:
                flash(_("Added %(name)s as a walk-in over capacity, checked in.", name=reg.contact.name), "success")
            else:
                flash(_("Added %(name)s as a walk-in, checked in.", name=reg.contact.name), "success")
            return redirect(url_for("events.check_in", event_id=event.id,
                                    **({"override": "1"} if form.override.data == "1" else {})))
    return render_template("events/check_in.html", event=event, regs=list(registration.participants(event, status=REGISTERED)),
                           q="", action_form=ActionForm(), walk_in=form,
                           **_door(event, form.override.data == "1")), 400


@bp.route("/<int:event_id>/print")
@secretariat_required
def print_list(event_id):
    """A printable participant list (sign-in sheet) in A4 or letter."""
    return _printable("events/print_list.html", event_id)


@bp.route("/<int:event_id>/badges")
@secretariat_required
def badges(event_id):
    """Printable name badges (A4 or letter)."""
    return _printable("events/badges.html", event_id)


def _printable(template: str, event_id: int):
    """A printable page of the registered participants, on the paper asked for."""
    event = _event_or_404(event_id)
    paper = "letter" if request.args.get("paper") == "letter" else "a4"
    regs = list(registration.participants(event, status=REGISTERED))
    return render_template(template, event=event, regs=regs, paper=paper, fmt=timezones.format_local)


@bp.route("/<int:event_id>/report")
@secretariat_required
def report(event_id):
    """Registered, waiting, attended and no-show by sector, country and region, with a chart."""
    event = _event_or_404(event_id)
    return render_template("events/report.html", event=event, report=reporting.event_report(event),
                           counts=registration.counts(event), fmt=timezones.format_local)


@bp.route("/<int:event_id>/participants.csv")
@secretariat_required
def participants_csv(event_id):
    """CSV of the participants who agreed to be listed (emails only of those who agreed to share them)."""
    event = _event_or_404(event_id)
    return csv_response(reporting.participants_csv(event), f"event-{event.id}-participants.csv")


@bp.route("/reports")
@secretariat_required
def reports():
    """Attendance per city and per sector over the years, across all events."""
    period = "quarter" if request.args.get("period") == "quarter" else "year"
    return render_template("events/reports.html", by_city=reporting.attendance_over_time("city", period),
                           by_sector=reporting.attendance_over_time("sector", period), period=period)
