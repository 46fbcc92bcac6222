"""Lessons that member cities share, their review, and the response toolkit."""

from __future__ import annotations

import peewee
from flask_babel import lazy_gettext as _l

from crm.accounts.models import User
from crm.core.fields import JSONListField
from crm.db import BaseModel, utcnow
from crm.events.models import Event
from crm.incidents.models import Incident
from crm.membership.models import City

LESSON_STATUSES = {"draft": _l("Draft"), "submitted": _l("Submitted for review"), "published": _l("Published"),
                   "archived": _l("Archived")}
LESSON_VISIBILITIES = {"public": _l("Public"), "network": _l("Network members"), "cities": _l("Named cities only")}
# How the review history names each step (LessonComment.action), inside a line of the history.
COMMENT_ACTIONS = {"comment": _l("comment"), "returned": _l("returned"), "published": _l("published"),
                   "archived": _l("archived")}


class Lesson(BaseModel):
    """What a city learned responding to an attack, written for other cities."""

    city = peewee.ForeignKeyField(City, backref="lessons", on_delete="CASCADE")
    incident = peewee.ForeignKeyField(Incident, null=True, backref="lessons", on_delete="SET NULL")
    event = peewee.ForeignKeyField(Event, null=True, backref="lessons", on_delete="SET NULL")
    title = peewee.CharField(max_length=300)
    body = peewee.TextField(default="")  # Markdown, rendered through the sanitising |markdown filter
    phase = peewee.CharField(max_length=30, index=True)
    themes = JSONListField(default=list)
    status = peewee.CharField(max_length=20, default="draft", index=True)
    visibility = peewee.CharField(max_length=20, default="network", index=True)
    author = peewee.ForeignKeyField(User, null=True, backref="lessons_written", on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    submitted_at = peewee.DateTimeField(null=True)
    published_at = peewee.DateTimeField(null=True)
    language = peewee.CharField(max_length=8, default="")  # ISO 639-1 code of the language it is written in
    # The lesson this one translates: one original, any number of versions in other languages.
    translation_of = peewee.ForeignKeyField("self", null=True, backref="translations", on_delete="SET NULL")

    def __str__(self) -> str:
        return self.title

    @property
    def family_id(self) -> int:
        """The id of the original lesson of this one's family (its own id for an original)."""
        return self.translation_of_id or self.id

    @property
    def status_label(self) -> str:
        return LESSON_STATUSES.get(self.status, self.status)

    @property
    def visibility_label(self) -> str:
        return LESSON_VISIBILITIES.get(self.visibility, self.visibility)


class LessonCity(BaseModel):
    """A city allowed to read a lesson whose visibility is "named cities only"."""

    lesson = peewee.ForeignKeyField(Lesson, backref="city_links", on_delete="CASCADE")
    city = peewee.ForeignKeyField(City, backref="shared_lesson_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("lesson", "city"), True),)


class LessonComment(BaseModel):
    """A review comment from the secretariat to a lesson's author (or the author's reply)."""

    lesson = peewee.ForeignKeyField(Lesson, backref="comments", on_delete="CASCADE")
    author = peewee.ForeignKeyField(User, null=True, backref="lesson_comments", on_delete="SET NULL")
    body = peewee.TextField()
    action = peewee.CharField(max_length=20, default="comment")  # comment, returned, published, archived
    created_at = peewee.DateTimeField(default=utcnow)


class ToolkitItem(BaseModel):
    """One item of the response toolkit's checklist for a phase, with guidance (Markdown)."""

    phase = peewee.CharField(max_length=30, index=True)
    position = peewee.IntegerField(default=0)
    title = peewee.CharField(max_length=300)
    guidance = peewee.TextField(default="")
    themes = JSONListField(default=list)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    def __str__(self) -> str:
        return self.title
