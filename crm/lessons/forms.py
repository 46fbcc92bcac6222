"""Forms of lessons, their review and the toolkit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField, validators

from crm.forms import choices, strip
from crm.lessons.models import LESSON_VISIBILITIES
from crm.peers.language import WrittenLanguageField


class LessonForm(FlaskForm):
    """Write or edit a lesson."""

    title = StringField(_l("Title"), [validators.InputRequired(message=_l("Give the lesson a title.")),
                                      validators.Length(max=300)], filters=[strip],
                        description=_l("What another city should do, in a few words."))
    language = WrittenLanguageField(_l("Language"),
                           description=_l("The language the lesson is written in. Left on "
                                          "“Detect from the text”, it is read from what you wrote."))
    phase = SelectField(_l("Phase"), description=_l("When in the response this lesson applies."))
    themes = SelectMultipleField(_l("Themes"), description=_l("Choose all that apply."))
    body = TextAreaField(_l("Lesson"), [validators.InputRequired(message=_l("Write the lesson.")),
                                        validators.Length(max=50000)],
                         description=_l("Markdown: **bold**, lists with “-”. What worked, what you would do "
                                        "differently."))
    incident = SelectField(_l("Incident"), description=_l("Optional: the incident of your city it was learned from."))
    visibility = SelectField(_l("Who may read it"), choices=choices(LESSON_VISIBILITIES),
                             description=_l("Public, every network member, or only the cities you name."))
    shared_cities = SelectMultipleField(_l("Named cities"), render_kw={"size": 8},
                                        description=_l("Only when “Named cities only” is chosen: who may read it "
                                                       "(hold Ctrl or ⌘ to choose several)."))

    def validate_shared_cities(self, field):
        if self.visibility.data == "cities" and not field.data:
            raise validators.ValidationError(_l("Name at least one city, or choose another visibility."))


class ReviewForm(FlaskForm):
    """The secretariat's decision on a lesson, with a comment to its author."""

    action = SelectField(_l("Decision"), choices=choices({"publish": _l("Publish"),
                                                          "return": _l("Send back to the author"),
                                                          "archive": _l("Archive")}),
                         description=_l("Sending back needs a comment saying what to change."))
    comment = TextAreaField(_l("Comment to the author"), [validators.Length(max=5000)],
                            description=_l("Mailed to the author."))


class CommentForm(FlaskForm):
    """A comment on a lesson under review."""

    body = TextAreaField(_l("Comment"), [validators.InputRequired(message=_l("Write a comment first.")),
                                         validators.Length(max=5000)], description=_l("Mailed to the other side."))


class ToolkitItemForm(FlaskForm):
    """Create or edit a toolkit item."""

    phase = SelectField(_l("Phase"), description=_l("The checklist this item belongs to."))
    position = IntegerField(_l("Position"), [validators.Optional(), validators.NumberRange(min=0, max=999)],
                            description=_l("Order in the checklist (1 first)."))
    title = StringField(_l("Title"), [validators.InputRequired(message=_l("Give the item a title.")),
                                      validators.Length(max=300)], filters=[strip],
                        description=_l("The action, e.g. “Name a single point of contact for families”."))
    guidance = TextAreaField(_l("Guidance"), [validators.Length(max=20000)], description=_l("Markdown."))
    themes = SelectMultipleField(_l("Themes"), description=_l("Lessons with these themes are linked to the item."))
