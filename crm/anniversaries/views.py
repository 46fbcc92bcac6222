"""Anniversary pages: the calendar (secretariat), the solidarity draft, the feed link and the iCal feed."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from crm.accounts.access import public, secretariat_required
from crm.anniversaries import bp, feeds, services
from crm.anniversaries.forms import DraftForm, FeedForm
from crm.i18n import DEFAULT, supported
from crm.vocabulary import regions


@bp.route("/")
@secretariat_required
def calendar():
    """Anniversaries of member cities' attacks in the next 12 months, with focal points and lessons."""
    region = request.args.get("region", "")
    region = region if region in regions() else ""
    milestones_only = request.args.get("milestones") == "1"
    found = services.upcoming(current_user, region=region, milestones_only=milestones_only)
    city_ids = {a.incident.city_id for a in found}
    cities = services.peer_choices()
    incidents = services.visible_incidents(current_user)
    suggested = {a.incident.id: services.suggested_peers(a.incident, cities, incidents) for a in found}
    my_feed = feeds.feed_of(current_user)
    return render_template(
        "anniversaries/calendar.html", anniversaries=found, region=region, regions=regions(),
        milestones_only=milestones_only, focal_points=services.focal_points(city_ids),
        lessons=services.commemoration_lessons(current_user, city_ids), cities=cities, suggested=suggested,
        feed=my_feed, feed_url=feeds.feed_url(my_feed) if my_feed else None,
        feed_expires_on=feeds.expires_on(my_feed) if my_feed else None, form=FeedForm())


@bp.route("/draft", methods=["POST"])
@secretariat_required
def draft():
    """Draft a solidarity mailing to the chosen peers' focal points and leaders, and open it for editing."""
    form = DraftForm()
    form.peers.choices = [(c.id, c.name) for c in services.peer_choices()]
    if not form.validate_on_submit():
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        flash(_("No draft made: %(problems)s", problems=problems), "error")
        return redirect(url_for("anniversaries.calendar"))
    try:
        anniversary = services.find_anniversary(current_user, form.incident.data, form.years.data)
        mailing, recipients = services.draft_solidarity_mailing(anniversary, form.peers.data, actor=current_user)
    except services.AnniversaryError as exc:
        flash(str(exc), "error")
        return redirect(url_for("anniversaries.calendar"))
    flash(_("Draft saved for %(count)s recipient(s), on its own list “%(list)s”. Nothing is sent: edit it, send "
            "yourself a test, then send it.", count=len(recipients), list=mailing.mailing_list.name), "success")
    return redirect(url_for("mailings.mailing_edit", mailing_id=mailing.id))


@bp.route("/feed-link", methods=["POST"])
@secretariat_required
def feed_link():
    """Make or renew (``action=rotate``) or revoke (``action=revoke``) one's calendar feed link."""
    form = FeedForm()
    if not form.validate_on_submit():
        abort(400)
    if request.form.get("action") == "revoke":
        revoked = feeds.revoke(current_user)
        flash(_("Your calendar link is revoked: calendars using it get nothing more.") if revoked
              else _("You had no calendar link."), "success")
    else:
        had = feeds.feed_of(current_user) is not None
        feeds.rotate(current_user)
        flash(_("New calendar link made: the old one no longer works. Subscribe to the new one.") if had
              else _("Calendar link made: add it to your calendar as a subscription."), "success")
    return redirect(url_for("anniversaries.calendar") + "#feed")


@bp.route("/feed/<token>.ics")
@public
def feed(token):
    """The anniversaries a staff member may see, as an iCal feed (the signed link stands in for signing in)."""
    # Public only in that the link signs in: the token names its user, whose rights decide what it holds.
    try:
        user = feeds.user_for_token(token)
    except feeds.FeedExpired as exc:
        return Response(str(exc), status=410, mimetype="text/plain")
    except feeds.FeedRefused:
        abort(404)
    # Calendar applications send no choice of ours: the feed speaks its owner's chosen language, else English.
    with force_locale(supported(getattr(user, "language", "")) or DEFAULT):
        ics = feeds.feed_ics(user)
    return Response(ics, mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="anniversaries.ics"',
                             "Cache-Control": "private, no-store"})
