"""A member's home: their city's lessons still to finish or waiting for review."""

from __future__ import annotations

from flask_babel import gettext as _

from crm.features import member_panel


@member_panel
def _my_lessons(user):
    from crm.lessons.models import Lesson

    if not user.city_id:
        return None
    pending = list(Lesson.select().where(Lesson.city == user.city_id, Lesson.status.in_(["draft", "submitted"]))
                   .order_by(Lesson.updated_at.desc()).limit(5))
    shared = Lesson.select().where(Lesson.city == user.city_id, Lesson.status == "published").count()
    return {"title": _("Your city's lessons"), "template": "lessons/_home_lessons.html", "order": 3,
            "data": {"pending": pending, "shared": shared}}
