"""Lessons shared by member cities, their review workflow, and the response toolkit."""

from flask import Blueprint

from crm.features import Feature

bp = Blueprint("lessons", __name__, url_prefix="/lessons")

feature = Feature(
    "lessons",
    cli_imports=("crm.lessons.commands:import_lessons_command",),
    receivers=("crm.lessons.receivers",),
    nav=(("member", "Lessons", "lessons.lesson_list"),
         ("member", "Toolkit", "lessons.toolkit"),
         ("secretariat", "Lessons", "lessons.lesson_list"),
         ("public", "Lessons", "lessons.lesson_list"),
         ("public", "Toolkit", "lessons.toolkit")),
)
