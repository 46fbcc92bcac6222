"""Import lessons from CSV (header ``city,title,phase,themes,body``): published, network visibility."""

from __future__ import annotations

from flask_babel import gettext as _

from crm.core.csvimport import ImportRefused, Plan, Result, Row, check_cells, read_rows, split_list
from crm.core.names import fold_name
from crm.db import database
from crm.indexing import touch
from crm.lessons import services
from crm.lessons.models import Lesson
from crm.membership.models import City
from crm.vocabulary import match_key, resolve_theme

LESSON_COLUMNS = ("city", "title", "phase", "themes", "body")
REQUIRED_COLUMNS = ("city", "title", "phase", "body")

# Common ways of naming a phase of the response (folded) → phase key.
PHASE_WORDS = {
    "immediate": "first_24_hours", "immediate response": "first_24_hours", "acute": "first_24_hours",
    "acute phase": "first_24_hours", "first day": "first_24_hours", "first 24h": "first_24_hours",
    "first 24 h": "first_24_hours", "first hours": "first_24_hours", "emergency": "first_24_hours",
    "short term": "first_week", "first days": "first_week", "first weeks": "first_week", "week one": "first_week",
    "medium term": "first_months", "recovery": "first_months", "first month": "first_months",
    "aftermath": "first_months", "months": "first_months",
    "long term": "long_term", "longer term": "long_term", "years": "long_term", "remembrance": "long_term",
    "commemoration": "long_term", "anniversary": "long_term",
    "preparedness": "preparing", "preparation": "preparing", "before": "preparing", "prevention": "preparing",
    "planning": "preparing", "prepare": "preparing",
}

__all__ = ["ImportRefused", "check_lessons", "import_lessons"]


def _find_city(name: str) -> City | None:
    key = fold_name(name)
    matches = list(City.select().where(City.name_key == key).limit(2))
    return matches[0] if len(matches) == 1 else None


def _check(number: int, raw: dict, seen: set) -> Row:
    row = Row(number, raw)
    check_cells(raw, row.errors)
    city = _find_city(raw.get("city", ""))
    if not raw.get("city"):
        row.errors.append(_("city is empty"))
    elif city is None:
        row.errors.append(_("no single member city is called “%(city)s”", city=raw["city"]))
    title = raw.get("title", "")
    if not title:
        row.errors.append(_("title is empty"))
    elif len(title) > 300:
        row.errors.append(_("title is longer than 300 characters"))
    phase = None
    if raw.get("phase"):
        phase = match_key(services.phases(), raw["phase"]) or PHASE_WORDS.get(fold_name(raw["phase"]))
    if phase is None:
        row.errors.append(_("phase “%(phase)s” is not one of: %(phases)s", phase=raw.get("phase", ""),
                            phases=", ".join(services.phases())))
    themes = []
    for item in split_list(raw.get("themes", "")):
        key = resolve_theme(item)  # a theme key, or the free text itself (kept as a tag)
        if key and key not in themes:
            themes.append(key)
    if not raw.get("body"):
        row.errors.append(_("body is empty"))
    key = (fold_name(title), getattr(city, "id", None))
    if title and key in seen:
        row.errors.append(_("this lesson appears twice in the file"))
    seen.add(key)
    row.values = {"city": city, "title": title, "phase": phase, "themes": themes, "body": raw.get("body", "")}
    if row.ok:
        row.existing = Lesson.get_or_none(Lesson.city == city, Lesson.title == title)
    return row


def check_lessons(text: str) -> Plan:
    """Read and check a lessons CSV without writing anything."""
    warnings: list[str] = []
    rows, errors = read_rows(text, required=REQUIRED_COLUMNS, known=set(LESSON_COLUMNS), warnings=warnings)
    seen: set = set()
    return Plan([_check(n, raw, seen) for n, raw in rows], errors, warnings)


def import_lessons(plan: Plan, *, only_valid: bool = False, actor=None) -> Result:
    """Write a checked plan: new lessons are published with network visibility; existing titles are skipped."""
    result = Result.for_plan(plan, only_valid=only_valid)
    with database.atomic():
        for row in plan.valid:
            if row.existing is not None:
                result.skipped += 1
                continue
            values = dict(row.values)
            city = values.pop("city")
            lesson = services.create_lesson(city, {**values, "visibility": "network"}, actor=actor,
                                            status="published")
            if lesson.themes != values["themes"]:
                # create_lesson keeps only the vocabulary's themes; a file's free-text themes stay as tags
                lesson.themes = values["themes"]
                lesson.save(only=[Lesson.themes])
                touch(lesson)
            result.created += 1
    return result
