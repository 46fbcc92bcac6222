"""The example feature's page: its notes."""

from flask import render_template

from crm.accounts.access import secretariat_required
from tests.example_feature import bp
from tests.example_feature.models import ExampleNote


@bp.route("/notes")
@secretariat_required
def note_list():
    """List the notes."""
    return render_template("example/note_list.html", notes=ExampleNote.select().order_by(ExampleNote.id))
