"""Lessons shared by member cities, their review workflow, and the response toolkit."""

from flask import Blueprint

from crm.templating import register_nav

bp = Blueprint("lessons", __name__, url_prefix="/lessons")

register_nav("member", "Lessons", "lessons.lesson_list")
register_nav("member", "Toolkit", "lessons.toolkit")
register_nav("secretariat", "Lessons", "lessons.lesson_list")
register_nav("public", "Lessons", "lessons.lesson_list")
register_nav("public", "Toolkit", "lessons.toolkit")

from crm.lessons import commands, views  # noqa: E402,F401
