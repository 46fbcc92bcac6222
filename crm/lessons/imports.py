"""Import lessons from CSV (header ``city,title,phase,themes,body``): published, network visibility."""

from __future__ import annotations

from crm.db import database
from crm.lessons import services
from crm.lessons.models import Lesson
from crm.membership.csvimport import ImportRefused, Plan, Result, Row, read_rows, split_list
from crm.membership.models import City
from crm.membership.names import fold_name
from crm.vocabulary import match_key

LESSON_COLUMNS = ("city", "title", "phase", "themes", "body")

__all__ = ["ImportRefused", "check_lessons", "import_lessons"]


def _find_city(name: str) -> City | None:
    key = fold_name(name)
    matches = list(City.select().where(City.name_key == key).limit(2))
    return matches[0] if len(matches) == 1 else None


def _check(number: int, raw: dict, seen: set) -> Row:
    row = Row(number, raw)
    city = _find_city(raw.get("city", ""))
    if not raw.get("city"):
        row.errors.append("city is empty")
    elif city is None:
        row.errors.append(f"no single member city is called “{raw['city']}”")
    title = raw.get("title", "")
    if not title:
        row.errors.append("title is empty")
    elif len(title) > 300:
        row.errors.append("title is longer than 300 characters")
    phase = match_key(services.phases(), raw.get("phase", "")) if raw.get("phase") else None
    if phase is None:
        row.errors.append(f"phase “{raw.get('phase', '')}” is not one of: {', '.join(services.phases())}")
    themes = []
    for item in split_list(raw.get("themes", "")):
        key = match_key(services.themes(), item)
        if key is None:
            row.errors.append(f"unknown theme “{item}”")
        elif key not in themes:
            themes.append(key)
    if not raw.get("body"):
        row.errors.append("body is empty")
    key = (fold_name(title), getattr(city, "id", None))
    if title and key in seen:
        row.errors.append("this lesson appears twice in the file")
    seen.add(key)
    row.values = {"city": city, "title": title, "phase": phase, "themes": themes, "body": raw.get("body", "")}
    if row.ok:
        row.existing = Lesson.get_or_none(Lesson.city == city, Lesson.title == title)
    return row


def check_lessons(text: str) -> Plan:
    """Read and check a lessons CSV without writing anything."""
    rows, errors = read_rows(text, required=LESSON_COLUMNS, known=set(LESSON_COLUMNS))
    seen: set = set()
    return Plan([_check(n, raw, seen) for n, raw in rows], errors)


def import_lessons(plan: Plan, *, only_valid: bool = False, actor=None) -> Result:
    """Write a checked plan: new lessons are published with network visibility; existing titles are skipped."""
    if plan.file_errors or (plan.invalid and not only_valid):
        raise ImportRefused("The file has errors: fix them, or choose to import only the valid rows.")
    result = Result(rejected=len(plan.invalid))
    with database.atomic():
        for row in plan.valid:
            if row.existing is not None:
                result.skipped += 1
                continue
            values = dict(row.values)
            city = values.pop("city")
            services.create_lesson(city, {**values, "visibility": "network"}, actor=actor, status="published")
            result.created += 1
    return result
