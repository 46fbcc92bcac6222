"""Lessons: write, submit, review (comments back to the author), publish, archive; who may read what.

Who reads a lesson: published ``public`` ones everyone; published ``network`` ones signed-in members
and staff; published ``cities`` ones the named cities' members (and the author's city) and staff;
anything not published only the author's city and staff.
"""

from __future__ import annotations

from functools import lru_cache

import peewee
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.audit.services import record
from crm.core.errors import DomainError
from crm.core.operations import clean_values, diff, required_text, update_record
from crm.core.urls import absolute_url
from crm.db import database, utcnow
from crm.i18n import DEFAULT, current_language
from crm.lessons.models import (
    LESSON_STATUSES,
    LESSON_VISIBILITIES,
    Lesson,
    LessonCity,
    LessonComment,
    ToolkitItem,
)
from crm.mail import queue_mail
from crm.membership.models import City
from crm.peers.language import (  # shared with incidents and events
    WRITTEN_LANGUAGES,
    detected_language,
    language_choices,
    language_endonym,
    written_language,
)
from crm.seeding import read_json

PHASE_KEYS = ("first_24_hours", "first_week", "first_months", "long_term", "preparing")
LESSON_FIELDS = ("title", "body", "phase", "themes", "visibility", "incident", "event", "language")
TOOLKIT_FIELDS = ("phase", "position", "title", "guidance", "themes")


class LessonError(DomainError):
    """A user-facing refusal: the message says what happened and what to do."""


def phases() -> dict[str, str]:
    """Phase key → label, in the order of the response."""
    from crm.vocabulary import phases as vocabulary_phases

    return vocabulary_phases()


def themes() -> dict[str, str]:
    """Theme key → label."""
    from crm.vocabulary import themes as vocabulary_themes

    return vocabulary_themes()


# --- who sees what ------------------------------------------------------------------------------

def lesson_language(lesson: Lesson) -> str:
    """Return the language a lesson is written in (ISO 639-1): as tagged, else read from its title and text."""
    return written_language(lesson.language, lesson.title, lesson.body)


def _viewer_city_id(user):
    return getattr(user, "city_id", None) if getattr(user, "is_authenticated", False) else None


def can_view(user, lesson: Lesson) -> bool:
    """Return whether ``user`` may read ``lesson``."""
    if getattr(user, "is_authenticated", False) and user.is_secretariat:
        return True
    city_id = _viewer_city_id(user)
    if lesson.status != "published":
        return city_id is not None and city_id == lesson.city_id
    if lesson.visibility == "public":
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if lesson.visibility == "network":
        return True
    if city_id is None:
        return False
    return city_id == lesson.city_id or (LessonCity.select()
                                         .where(LessonCity.lesson == lesson.id, LessonCity.city == city_id)
                                         .exists())


def can_edit(user, lesson: Lesson) -> bool:
    """Staff edit any lesson; the author's city edits its drafts (and what was sent back to it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_secretariat:
        return True
    return _viewer_city_id(user) == lesson.city_id and lesson.status == "draft"


def visible_lessons(user, *, status: str | None = "published", phase: str = "", theme: str = "",
                    city_id=None, incident_id=None):
    """Return the lessons ``user`` may read (published ones by default), newest first."""
    query = Lesson.select(Lesson, City).join(City).order_by(Lesson.published_at.desc(nulls="LAST"), Lesson.id.desc())
    is_staff = getattr(user, "is_authenticated", False) and user.is_secretariat
    viewer = _viewer_city_id(user)
    if status:
        query = query.where(Lesson.status == status)
    if not is_staff:
        published = Lesson.status == "published"
        if not getattr(user, "is_authenticated", False):
            allowed = published & (Lesson.visibility == "public")
        else:
            allowed = published & Lesson.visibility.in_(("public", "network"))
            if viewer is not None:
                shared = LessonCity.select(LessonCity.lesson).where(LessonCity.city == viewer)
                allowed = (allowed | (published & (Lesson.visibility == "cities") & Lesson.id.in_(shared))
                           | (Lesson.city == viewer))
        query = query.where(allowed)
    if phase:
        query = query.where(Lesson.phase == phase)
    if theme:
        query = query.where(Lesson.themes.contains(f'"{theme}"'))
    if city_id:
        query = query.where(Lesson.city == city_id)
    if incident_id:
        query = query.where(Lesson.incident == incident_id)
    return query


# --- writing ------------------------------------------------------------------------------------

def _clean(values: dict, city: City) -> tuple[dict, list[int] | None]:
    shared = values.get("shared_city_ids")
    values = clean_values(values, LESSON_FIELDS, LessonError, required={"title": _("Give the lesson a title.")})
    _check_phase_and_themes(values, _("Choose the phase of the response the lesson is about."))
    if "visibility" in values and values["visibility"] not in LESSON_VISIBILITIES:
        raise LessonError(_("Choose who may read the lesson."))
    if "language" in values:
        if not values["language"]:  # not chosen: the language of what was typed
            values["language"] = detected_language(values.get("title", ""), values.get("body", ""))
        elif values["language"] not in WRITTEN_LANGUAGES:
            raise LessonError(_("Choose the language the lesson is written in."))
    incident = values.get("incident")
    if incident is not None and getattr(incident, "city_id", city.id) != city.id:
        raise LessonError(_("A lesson can be linked only to an incident of its own city."))
    if shared is not None:
        shared = sorted({int(c) for c in shared if str(c).isdigit() and int(c) != city.id})
        if values.get("visibility") == "cities" and not shared:
            raise LessonError(_("Name at least one city that may read the lesson, or choose another visibility."))
    return values, shared


def _check_phase_and_themes(values: dict, phase_message: str) -> None:
    """Refuse a phase that is none of the response's phases; keep only the vocabulary's themes, once each."""
    if "phase" in values and values["phase"] not in PHASE_KEYS:
        raise LessonError(phase_message)
    if "themes" in values:
        known = themes()
        values["themes"] = [t for t in dict.fromkeys(values["themes"] or ()) if t in known]


def _set_shared(lesson: Lesson, shared: list[int] | None) -> None:
    if shared is None:
        return
    LessonCity.delete().where(LessonCity.lesson == lesson.id).execute()
    for city_id in shared:
        LessonCity.create(lesson=lesson, city=city_id)


def shared_city_ids(lesson: Lesson) -> list[int]:
    """Return the ids of the cities a "named cities" lesson is shared with."""
    return [link.city_id for link in LessonCity.select().where(LessonCity.lesson == lesson.id)]


def create_lesson(city: City, values: dict, *, actor, status: str = "draft",
                  translation_of: Lesson | None = None) -> Lesson:
    """Write a new lesson of ``city`` (a draft unless an import or seed publishes it); with ``translation_of``,
    a version of that lesson in another language (reviewed like any lesson)."""
    if actor is not None and not (actor.is_secretariat or actor.city_id == city.id):
        raise PermissionError("You may write lessons only for your own city.")
    values, shared = _clean({"language": "", **values}, city)
    if status not in LESSON_STATUSES:
        raise LessonError(_("Unknown status %(status)s.", status=repr(status)))
    original = None
    if translation_of is not None:
        original = Lesson.get_by_id(translation_of.family_id)  # a version of a version translates the original
        if original.city_id != city.id:
            raise LessonError(_("A version in another language belongs to the city of the original lesson."))
        _check_family_language(original.id, values["language"])
    now = utcnow()
    with database.atomic():
        lesson = Lesson.create(city=city, author=getattr(actor, "id", None), status=status,
                               published_at=now if status == "published" else None, translation_of=original,
                               **values)
        _set_shared(lesson, shared)
        record(actor, "lesson.create", lesson, summary=f"Wrote lesson “{lesson.title}” ({city.name})",
               changes={"status": status, "phase": lesson.phase, "visibility": lesson.visibility,
                        "language": lesson.language}
               | ({"translation_of": original.id} if original else {}))
    return lesson


# --- versions in other languages ---------------------------------------------------------------

def family(lesson: Lesson) -> list[Lesson]:
    """Return every version of a lesson's family, the original first, then in the order they were written."""
    root = lesson.family_id
    return list(Lesson.select()
                .where((Lesson.id == root) | (Lesson.translation_of == root))
                .order_by(Lesson.translation_of.is_null(False), Lesson.id))


def _check_family_language(family_id: int, language: str, *, exclude_id: int | None = None) -> None:
    """Refuse a second version of a lesson in a language it already has."""
    query = (Lesson.select(Lesson.id)
             .where((Lesson.id == family_id) | (Lesson.translation_of == family_id), Lesson.language == language))
    if exclude_id is not None:
        query = query.where(Lesson.id != exclude_id)
    if query.exists():
        raise LessonError(_("This lesson already has a version in %(language)s: edit that one instead.",
                            language=language_endonym(language)))


def can_write_version(user, lesson: Lesson) -> bool:
    """Staff, and members of the lesson's city who may read it, write its versions in other languages."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_secretariat or (_viewer_city_id(user) == lesson.city_id and can_view(user, lesson))


def other_versions(lesson: Lesson, user) -> list[Lesson]:
    """Return the versions of a lesson in other languages that ``user`` may read (the original first)."""
    return [v for v in family(lesson) if v.id != lesson.id and v.language != lesson.language and can_view(user, v)]


def version_prefill(original: Lesson, language: str) -> dict:
    """Return the values a version's form starts from: the original's, in ``language`` when it lacks one."""
    taken = {v.language for v in family(original)}
    if language in taken:
        language = next((code for code, _name in language_choices() if code not in taken), "")
    return {"title": original.title, "body": original.body, "phase": original.phase,
            "themes": list(original.themes or ()), "visibility": original.visibility, "language": language,
            "incident": original.incident_id, "shared_city_ids": shared_city_ids(original)}


def prefer_version(versions: list[Lesson], language: str) -> Lesson:
    """Of the versions of one lesson (in the order given), return the reader's language, else the original,
    else the first."""
    return (next((v for v in versions if v.language == language), None)
            or next((v for v in versions if v.translation_of_id is None), None)
            or versions[0])


def one_per_family(lessons, language: str, *, among=None) -> list[Lesson]:
    """Keep one version of each lesson of a ranked list, at the place of its family's first: the reader's
    language, else the original, among ``among`` (the versions the reader may see; default ``lessons``), else the
    version found. Collapse after ranking: the order of ``lessons`` is kept."""
    lessons = list(lessons)
    by_family: dict[int, list[Lesson]] = {}
    for version in (lessons if among is None else [*among, *lessons]):
        versions = by_family.setdefault(version.family_id, [])
        if all(v.id != version.id for v in versions):
            versions.append(version)
    kept, seen = [], set()
    for lesson in lessons:
        if lesson.family_id in seen:
            continue
        seen.add(lesson.family_id)
        choice = prefer_version(by_family[lesson.family_id], language)
        kept.append(choice if choice.language == language or choice.translation_of_id is None else lesson)
    return kept


def in_readers_language(lessons, user, language: str) -> list[Lesson]:
    """Keep one version of each lesson of a ranked list (``one_per_family``), choosing among the published
    versions ``user`` may read, whether the ranking found them or not."""
    lessons = list(lessons)
    families = {lesson.family_id for lesson in lessons}
    siblings = []
    if families:
        siblings = [version for version in (Lesson.select(Lesson, City).join(City)
                                            .where((Lesson.id.in_(families)) | (Lesson.translation_of.in_(families)),
                                                   Lesson.status == "published")
                                            .order_by(Lesson.id))
                    if can_view(user, version)]
    return one_per_family(lessons, language, among=siblings)


def collapse_query(query, language: str):
    """Narrow a query of lessons to one version of each lesson (``prefer_version`` among the rows it gives)."""
    rows = list(query.select(Lesson.id, Lesson.translation_of, Lesson.language).tuples())
    by_family: dict[int, list[Lesson]] = {}
    for lesson_id, translation_of, lesson_language_ in rows:
        row = Lesson(id=lesson_id, translation_of=translation_of, language=lesson_language_)
        by_family.setdefault(row.family_id, []).append(row)
    hidden = [v.id for versions in by_family.values() if len(versions) > 1
              for v in versions if v.id != prefer_version(versions, language).id]
    return query.where(Lesson.id.not_in(hidden)) if hidden else query


def update_lesson(lesson: Lesson, values: dict, *, actor) -> Lesson:
    """Change a lesson (staff; or the author's city while it is a draft)."""
    if not can_edit(actor, lesson):
        raise PermissionError("You may edit only your own city's drafts.")
    values, shared = _clean(values, lesson.city)
    if values.get("language") and values["language"] != lesson.language:
        _check_family_language(lesson.family_id, values["language"], exclude_id=lesson.id)
    changes = diff(lesson, values)
    if shared is not None and shared != shared_city_ids(lesson):
        changes["shared_with"] = [shared_city_ids(lesson), shared]
    if not changes:
        return lesson
    with database.atomic():
        update_record(lesson, values, actor=actor, action="lesson.update", summary="Edited lesson “{obj.title}”",
                      changes=changes, audited=lambda changes: {k: v for k, v in changes.items() if k != "body"}
                      | ({"body": "changed"} if "body" in changes else {}))
        _set_shared(lesson, shared)
    return lesson


def _link(lesson: Lesson) -> str:
    return absolute_url("lessons.lesson_detail", lesson_id=lesson.id)


def _author_addresses(lesson: Lesson) -> list[str]:
    from crm.accounts.models import User

    if lesson.author_id and lesson.author and not lesson.author.is_secretariat:
        return [lesson.author.email]
    return [u.email for u in User.select().where(User.city == lesson.city_id, User.role == "member",
                                                   User.active == True)]  # noqa: E712


# Why a move is refused, for each review action.
_REFUSALS = {"submitted": _l("This lesson is %(status)s: it cannot be submitted now."),
             "returned": _l("This lesson is %(status)s: it cannot be returned now."),
             "published": _l("This lesson is %(status)s: it cannot be published now."),
             "archived": _l("This lesson is %(status)s: it cannot be archived now.")}


def _lesson_subject(action: str, title: str):
    """The subject of the mail telling the author of a review decision (rendered in their language)."""
    if action == "returned":
        return _l("Your lesson “%(title)s” was returned", title=title)
    if action == "published":
        return _l("Your lesson “%(title)s” was published", title=title)
    return _l("Your lesson “%(title)s” was archived", title=title)


def _move(lesson: Lesson, status: str, *, actor, comment: str, action: str, allowed_from: tuple[str, ...]) -> Lesson:
    if lesson.status not in allowed_from:
        raise LessonError(str(_REFUSALS[action]) % {"status": str(lesson.status_label).lower()})
    old = lesson.status
    with database.atomic():
        lesson.status = status
        lesson.updated_at = utcnow()
        if status == "submitted":
            lesson.submitted_at = utcnow()
        if status == "published":
            lesson.published_at = utcnow()
        lesson.save()
        if comment or action in ("returned", "published", "archived"):
            LessonComment.create(lesson=lesson, author=getattr(actor, "id", None), body=comment or "", action=action)
        record(actor, f"lesson.{action}", lesson, summary=f"Lesson “{lesson.title}” {action}",
               changes={"status": [old, status], **({"comment": comment} if comment else {})})
        if action == "submitted":
            queue_mail(current_app.config["SECRETARIAT_EMAIL"], _l("Lesson to review: %(title)s", title=lesson.title),
                       "lesson_submitted", lesson=lesson, link=_link(lesson))
        else:
            for address in _author_addresses(lesson):
                queue_mail(address, _lesson_subject(action, lesson.title), "lesson_reviewed",
                           lesson=lesson, action=action, comment=comment, link=_link(lesson))
    return lesson


def submit_lesson(lesson: Lesson, *, actor) -> Lesson:
    """Send a draft to the secretariat for review."""
    if not (actor.is_secretariat or actor.city_id == lesson.city_id):
        raise PermissionError("You may submit only your own city's lessons.")
    if not (lesson.body or "").strip():
        raise LessonError(_("Write the lesson before submitting it."))
    return _move(lesson, "submitted", actor=actor, comment="", action="submitted", allowed_from=("draft",))


def return_lesson(lesson: Lesson, comment: str, *, actor) -> Lesson:
    """Send a submitted lesson back to its author with the reviewer's comments (staff)."""
    if not (comment or "").strip():
        raise LessonError(_("Say what the author should change: the comment goes to them."))
    return _move(lesson, "draft", actor=actor, comment=comment.strip(), action="returned",
                 allowed_from=("submitted",))


def publish_lesson(lesson: Lesson, *, actor, comment: str = "") -> Lesson:
    """Publish a submitted lesson (staff)."""
    return _move(lesson, "published", actor=actor, comment=(comment or "").strip(), action="published",
                 allowed_from=("submitted", "draft", "archived"))


def archive_lesson(lesson: Lesson, *, actor, comment: str = "") -> Lesson:
    """Take a published lesson out of circulation (staff)."""
    return _move(lesson, "archived", actor=actor, comment=(comment or "").strip(), action="archived",
                 allowed_from=("published",))


def add_comment(lesson: Lesson, body: str, *, actor) -> LessonComment:
    """Add a review comment (staff → author, or the author's reply → staff), mailed to the other side."""
    body = required_text(body, LessonError, _("Write a comment first."))
    if not (actor.is_secretariat or actor.city_id == lesson.city_id):
        raise PermissionError("Only the secretariat and the author's city discuss a lesson under review.")
    with database.atomic():
        comment = LessonComment.create(lesson=lesson, author=actor.id, body=body, action="comment")
        record(actor, "lesson.comment", lesson, summary=f"Commented on “{lesson.title}”")
        if actor.is_secretariat:
            for address in _author_addresses(lesson):
                queue_mail(address, _l("A comment on your lesson “%(title)s”", title=lesson.title), "lesson_reviewed",
                           lesson=lesson, action="commented on", comment=body, link=_link(lesson))
        else:
            queue_mail(current_app.config["SECRETARIAT_EMAIL"], _l("Reply on lesson: %(title)s", title=lesson.title),
                       "lesson_submitted", lesson=lesson, link=_link(lesson), reply=body)
    return comment


# --- the toolkit --------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _seed_toolkit() -> dict[tuple[str, str], dict]:
    """(phase, English title) → the item of seeds/toolkit.json, with its texts in the other languages."""
    return {(item["phase"], item["title"]): item for item in read_json("toolkit.json")}


def _seed_text(item: ToolkitItem, language: str | None, field: str) -> str | None:
    """The seed's translation of a toolkit item's field, while the item still says what the seed says."""
    language = language or current_language()
    if language == DEFAULT:
        return None
    seed = _seed_toolkit().get((item.phase, item.title))
    if seed is None or (field == "guidance" and (item.guidance or "") != seed.get("guidance", "")):
        return None  # an item staff added or rewrote speaks only its own words
    return (seed.get("labels" if field == "title" else "guidance_labels") or {}).get(language)


def toolkit_title(item: ToolkitItem, language: str | None = None) -> str:
    """Return a toolkit item's title in the page's language (the seed's translation, else its own)."""
    return _seed_text(item, language, "title") or item.title


def toolkit_guidance(item: ToolkitItem, language: str | None = None) -> str:
    """Return a toolkit item's guidance (Markdown) in the page's language (the seed's translation, else its own)."""
    return _seed_text(item, language, "guidance") or item.guidance


def toolkit(phase: str | None = None):
    """Return the toolkit items (of one phase), in checklist order."""
    query = ToolkitItem.select()
    if phase:
        query = query.where(ToolkitItem.phase == phase)
    order = peewee.Case(ToolkitItem.phase, [(p, i) for i, p in enumerate(PHASE_KEYS)], len(PHASE_KEYS))
    return query.order_by(order, ToolkitItem.position, ToolkitItem.id)


def _clean_item(values: dict) -> dict:
    values = clean_values(values, TOOLKIT_FIELDS, LessonError, required={"title": _("Give the item a title.")})
    _check_phase_and_themes(values, _("Choose the phase of the item."))
    return values


def save_toolkit_item(item: ToolkitItem | None, values: dict, *, actor) -> ToolkitItem:
    """Create or change a toolkit item (staff)."""
    if actor is not None and not actor.is_secretariat:
        raise PermissionError("Only the secretariat edits the toolkit.")
    values = _clean_item(values)
    with database.atomic():
        if item is None:
            if values.get("position") in (None, ""):
                values["position"] = ToolkitItem.select().where(ToolkitItem.phase == values["phase"]).count() + 1
            item = ToolkitItem.create(**values)
            record(actor, "toolkit.create", item, summary=f"Added toolkit item “{item.title}”")
        else:
            changes = diff(item, values)
            if not changes:
                return item
            for key, value in values.items():
                setattr(item, key, value)
            item.updated_at = utcnow()
            item.save()
            record(actor, "toolkit.update", item, summary=f"Edited toolkit item “{item.title}”",
                   changes={k: v for k, v in changes.items() if k != "guidance"})
    return item


def lessons_for_themes(user, item_themes, *, limit: int = 3, exclude_city_id=None) -> list[Lesson]:
    """Return published lessons ``user`` may read that share a theme with a toolkit item."""
    found = []
    for lesson in visible_lessons(user).limit(400):
        if set(lesson.themes or ()) & set(item_themes or ()):
            found.append(lesson)
            if len(found) >= limit:
                break
    return found
