"""The example feature's dashboard panel."""

from crm.features import panel
from tests.example_feature.models import ExampleNote


@panel
def _notes():
    return {"title": "Example notes", "template": "example/_panel_notes.html",
            "data": {"count": ExampleNote.select().count()}}
