"""Lessons shared by member cities, their review workflow, and the response toolkit."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from crm.features import Feature

bp = Blueprint("lessons", __name__, url_prefix="/lessons")

feature = Feature(
    "lessons",
    cli_imports=("crm.lessons.commands:import_lessons_command",),
    receivers=("crm.lessons.receivers",),
    nav=(("member", _l("Lessons"), "lessons.lesson_list"),
         ("member", _l("Toolkit"), "lessons.toolkit"),
         ("secretariat", _l("Lessons"), "lessons.lesson_list"),
         ("public", _l("Lessons"), "lessons.lesson_list"),
         ("public", _l("Toolkit"), "lessons.toolkit")),
)
