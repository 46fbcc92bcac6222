"""Forms of lessons, their review and the toolkit."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField, validators

from crm.forms import choices, strip
from crm.lessons.models import LESSON_VISIBILITIES


class LessonForm(FlaskForm):
    """Write or edit a lesson."""

    title = StringField("Title", [validators.InputRequired(message="Give the lesson a title."),
                                  validators.Length(max=300)], filters=[strip],
                        description="What another city should do, in a few words.")
    phase = SelectField("Phase", description="When in the response this lesson applies.")
    themes = SelectMultipleField("Themes", description="Choose all that apply.")
    body = TextAreaField("Lesson", [validators.InputRequired(message="Write the lesson."),
                                    validators.Length(max=50000)],
                         description="Markdown: **bold**, lists with “-”. What worked, what you would do differently.")
    incident = SelectField("Incident", description="Optional: the incident of your city it was learned from.")
    visibility = SelectField("Who may read it", choices=choices(LESSON_VISIBILITIES),
                             description="Public, every network member, or only the cities you name.")
    shared_cities = SelectMultipleField("Named cities", render_kw={"size": 8},
                                        description="Only when “Named cities only” is chosen: who may read it "
                                                    "(hold Ctrl or ⌘ to choose several).")

    def validate_shared_cities(self, field):
        if self.visibility.data == "cities" and not field.data:
            raise validators.ValidationError("Name at least one city, or choose another visibility.")


class ReviewForm(FlaskForm):
    """The secretariat's decision on a lesson, with a comment to its author."""

    action = SelectField("Decision", choices=choices({"publish": "Publish", "return": "Send back to the author",
                                                      "archive": "Archive"}),
                         description="Sending back needs a comment saying what to change.")
    comment = TextAreaField("Comment to the author", [validators.Length(max=5000)],
                            description="Mailed to the author.")


class CommentForm(FlaskForm):
    """A comment on a lesson under review."""

    body = TextAreaField("Comment", [validators.InputRequired(message="Write a comment first."),
                                     validators.Length(max=5000)], description="Mailed to the other side.")


class ToolkitItemForm(FlaskForm):
    """Create or edit a toolkit item."""

    phase = SelectField("Phase", description="The checklist this item belongs to.")
    position = IntegerField("Position", [validators.Optional(), validators.NumberRange(min=0, max=999)],
                            description="Order in the checklist (1 first).")
    title = StringField("Title", [validators.InputRequired(message="Give the item a title."),
                                  validators.Length(max=300)], filters=[strip],
                        description="The action, e.g. “Name a single point of contact for families”.")
    guidance = TextAreaField("Guidance", [validators.Length(max=20000)], description="Markdown.")
    themes = SelectMultipleField("Themes", description="Lessons with these themes are linked to the item.")
