"""Lesson pages: list, read, write, submit, review; the toolkit and its editing (staff)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm import vocabulary
from crm.accounts.access import public, secretariat_required
from crm.forms import choices
from crm.i18n import current_language
from crm.incidents.models import Incident
from crm.lessons import bp, services
from crm.lessons.forms import CommentForm, LessonForm, ReviewForm, ToolkitItemForm
from crm.lessons.models import COMMENT_ACTIONS, LESSON_STATUSES, Lesson, LessonComment, ToolkitItem
from crm.membership.models import City
from crm.pagination import paginate


def _lesson_or_404(lesson_id: int) -> Lesson:
    lesson = Lesson.get_or_none(Lesson.id == lesson_id)
    if lesson is None or not services.can_view(current_user, lesson):
        abort(404)  # never confirm that a lesson the user may not read exists
    return lesson


def _labels() -> dict:
    return {"phases": services.phases(), "themes": services.themes(), "statuses": LESSON_STATUSES}


@bp.route("/")
@public
def lesson_list():
    """Published lessons the user may read (visitors: the public ones); staff also filter by status."""
    status = request.args.get("status", "published")
    if status not in LESSON_STATUSES or not current_user.is_authenticated:
        status = "published"
    if not current_user.is_secretariat and status != "published":
        mine = True
    else:
        mine = False
    query = services.visible_lessons(current_user, status=status, phase=request.args.get("phase", ""),
                                     theme=request.args.get("theme", ""),
                                     city_id=request.args.get("city", type=int))
    if mine:
        query = query.where(Lesson.city == (current_user.city_id or 0))
    if status == "published":  # one entry per lesson, in the reader's language where it exists (review queues: all)
        query = services.collapse_query(query, current_language())
    page = paginate(query, per_page=20)
    return render_template("lessons/lesson_list.html", page=page, status=status, **_labels())


@bp.route("/<int:lesson_id>")
@public
def lesson_detail(lesson_id):
    """A lesson, its review comments (for staff and the author's city) and the review form (staff)."""
    lesson = _lesson_or_404(lesson_id)
    insider = current_user.is_secretariat or current_user.city_id == lesson.city_id
    review = ReviewForm(prefix="review") if current_user.is_secretariat else None
    comment = CommentForm(prefix="comment") if insider else None
    written_in = services.lesson_language(lesson)
    return render_template("lessons/lesson_detail.html", lesson=lesson, insider=insider, review=review,
                           written_in=written_in, written_in_name=vocabulary.language_name(written_in),
                           versions=services.other_versions(lesson, current_user),
                           language_endonym=services.language_endonym,
                           can_translate=services.can_write_version(current_user, lesson),
                           reader_language=current_language(), comment_actions=COMMENT_ACTIONS,
                           comment_form=comment, can_edit=services.can_edit(current_user, lesson),
                           comments=list(lesson.comments.order_by(LessonComment.id)) if insider else [],
                           shared=[City.get_by_id(c) for c in services.shared_city_ids(lesson)], **_labels())


def _lesson_form(lesson: Lesson | None, city: City, prefill: dict | None = None) -> LessonForm:
    form = LessonForm(obj=lesson) if prefill is None or request.method != "GET" else LessonForm(data=prefill)
    form.phase.choices = choices(services.phases())
    form.themes.choices = choices(services.themes())
    incidents = Incident.select().where(Incident.city == city).order_by(Incident.occurred_on.desc(nulls="LAST"))
    form.incident.choices = choices([("", _("— none —"))] + [(str(i.id), i.title) for i in incidents])
    others = City.select().where(City.id != city.id, City.status == "active").order_by(City.name)
    form.shared_cities.choices = choices([(str(c.id), c.name) for c in others])
    if request.method == "GET":
        if prefill is not None:
            form.incident.data = str(prefill["incident"] or "")
            form.shared_cities.data = [str(c) for c in prefill["shared_city_ids"]]
        elif lesson is not None:
            form.incident.data = str(lesson.incident_id or "")
            form.shared_cities.data = [str(c) for c in services.shared_city_ids(lesson)]
        elif request.args.get("incident"):
            form.incident.data = request.args["incident"]
    return form


def _values(form: LessonForm) -> dict:
    incident = Incident.get_or_none(Incident.id == int(form.incident.data)) if (form.incident.data or "").isdigit() else None
    return {"title": form.title.data, "phase": form.phase.data, "themes": form.themes.data, "body": form.body.data,
            "visibility": form.visibility.data, "incident": incident, "language": form.language.data or "",
            "shared_city_ids": form.shared_cities.data if form.visibility.data == "cities" else []}


@bp.route("/new", methods=["GET", "POST"])
def lesson_new():
    """Write a lesson of your city (staff write for any city with ?city=)."""
    city_id = request.args.get("city", type=int) if current_user.is_secretariat else current_user.city_id
    if request.args.get("incident", type=int) and current_user.is_secretariat and not city_id:
        incident = Incident.get_or_none(Incident.id == request.args.get("incident", type=int))
        city_id = incident.city_id if incident else None
    city = City.get_or_none(City.id == (city_id or 0))
    if city is None:
        flash(_("Lessons belong to a member city: open this page from a city."), "warning")
        return redirect(url_for("lessons.lesson_list"))
    form = _lesson_form(None, city)
    if form.validate_on_submit():
        try:
            lesson = services.create_lesson(city, _values(form), actor=current_user)
        except services.LessonError as exc:
            form.title.errors.append(str(exc))
        else:
            flash(_("Saved as a draft. Submit it for review when it is ready."), "success")
            return redirect(url_for("lessons.lesson_detail", lesson_id=lesson.id))
    return render_template("lessons/lesson_form.html", form=form, lesson=None, city=city), (400 if form.errors else 200)


@bp.route("/<int:lesson_id>/versions/new", methods=["GET", "POST"])
def lesson_version_new(lesson_id):
    """Write a version of a lesson in another language (staff; the lesson's city), reviewed like any lesson."""
    original = _lesson_or_404(lesson_id)
    if not services.can_write_version(current_user, original):
        abort(403)
    language = request.args.get("language") or current_language()
    form = _lesson_form(None, original.city, prefill=services.version_prefill(original, language))
    if form.validate_on_submit():
        try:
            lesson = services.create_lesson(original.city, _values(form), actor=current_user, translation_of=original)
        except services.LessonError as exc:
            form.language.errors.append(str(exc))
        else:
            flash(_("Saved as a draft. Submit it for review when it is ready."), "success")
            return redirect(url_for("lessons.lesson_detail", lesson_id=lesson.id))
    return render_template("lessons/lesson_form.html", form=form, lesson=None, city=original.city,
                           original=original), (400 if form.errors else 200)


@bp.route("/<int:lesson_id>/edit", methods=["GET", "POST"])
def lesson_edit(lesson_id):
    """Edit a lesson (staff; the author's city while it is a draft)."""
    lesson = _lesson_or_404(lesson_id)
    if not services.can_edit(current_user, lesson):
        abort(403)
    form = _lesson_form(lesson, lesson.city)
    if form.validate_on_submit():
        try:
            services.update_lesson(lesson, _values(form), actor=current_user)
        except services.LessonError as exc:
            form.title.errors.append(str(exc))
        else:
            flash(_("Saved the lesson."), "success")
            return redirect(url_for("lessons.lesson_detail", lesson_id=lesson.id))
    return render_template("lessons/lesson_form.html", form=form, lesson=lesson, city=lesson.city), \
        (400 if form.errors else 200)


@bp.route("/<int:lesson_id>/submit", methods=["POST"])
def lesson_submit(lesson_id):
    """Send a draft to the secretariat for review."""
    lesson = _lesson_or_404(lesson_id)
    try:
        services.submit_lesson(lesson, actor=current_user)
    except PermissionError:
        abort(403)
    except services.LessonError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Sent to the secretariat for review. You will get a mail when they answer."), "success")
    return redirect(url_for("lessons.lesson_detail", lesson_id=lesson.id))


@bp.route("/<int:lesson_id>/review", methods=["POST"])
@secretariat_required
def lesson_review(lesson_id):
    """Publish, send back (with a comment) or archive a lesson."""
    lesson = _lesson_or_404(lesson_id)
    form = ReviewForm(prefix="review")
    if not form.validate_on_submit():
        flash(_("Choose a decision."), "error")
        return redirect(url_for("lessons.lesson_detail", lesson_id=lesson.id))
    action = {"publish": services.publish_lesson, "archive": services.archive_lesson}
    try:
        if form.action.data == "return":
            services.return_lesson(lesson, form.comment.data, actor=current_user)
        else:
            action[form.action.data](lesson, actor=current_user, comment=form.comment.data)
    except services.LessonError as exc:
        flash(str(exc), "error")
    else:
        flash(_("The lesson is now %(status)s; a mail to the author is queued.", status=str(lesson.status_label).lower()),
              "success")
    return redirect(url_for("lessons.lesson_detail", lesson_id=lesson.id))


@bp.route("/<int:lesson_id>/comment", methods=["POST"])
def lesson_comment(lesson_id):
    """Add a review comment (staff to the author's city, or its reply)."""
    lesson = _lesson_or_404(lesson_id)
    form = CommentForm(prefix="comment")
    if form.validate_on_submit():
        try:
            services.add_comment(lesson, form.body.data, actor=current_user)
        except PermissionError:
            abort(403)
        except services.LessonError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Comment sent."), "success")
    else:
        flash(_("Write a comment first."), "error")
    return redirect(url_for("lessons.lesson_detail", lesson_id=lesson.id))


# --- the toolkit ---------------------------------------------------------------------------------

@bp.route("/toolkit/")
@public
def toolkit():
    """The response toolkit: a checklist per phase, with guidance."""
    phases = services.phases()
    items = list(services.toolkit())
    by_phase = {key: [i for i in items if i.phase == key] for key in phases}
    return render_template("lessons/toolkit.html", by_phase=by_phase, toolkit_title=services.toolkit_title,
                           toolkit_guidance=services.toolkit_guidance, **_labels())


def _toolkit_form(item=None) -> ToolkitItemForm:
    form = ToolkitItemForm(obj=item)
    form.phase.choices = choices(services.phases())
    form.themes.choices = choices(services.themes())
    return form


@bp.route("/toolkit/new", methods=["GET", "POST"])
@secretariat_required
def toolkit_new():
    """Add a toolkit item."""
    return _toolkit_page(None, _("Added the item to the toolkit."))


@bp.route("/toolkit/<int:item_id>/edit", methods=["GET", "POST"])
@secretariat_required
def toolkit_edit(item_id):
    """Edit a toolkit item."""
    return _toolkit_page(ToolkitItem.get_or_none(ToolkitItem.id == item_id) or abort(404), _("Saved the toolkit item."))


def _toolkit_page(item: ToolkitItem | None, done: str):
    """The toolkit item form: saved, it goes back to the toolkit with ``done``; refused, it shows why."""
    form = _toolkit_form(item)
    if form.validate_on_submit():
        try:
            services.save_toolkit_item(item, {k: getattr(form, k).data for k in services.TOOLKIT_FIELDS},
                                       actor=current_user)
        except services.LessonError as exc:
            form.title.errors.append(str(exc))
        else:
            flash(done, "success")
            return redirect(url_for("lessons.toolkit"))
    return render_template("lessons/toolkit_form.html", form=form, item=item), (400 if form.errors else 200)
