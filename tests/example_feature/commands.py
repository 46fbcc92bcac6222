"""``crm example add-note TEXT``."""

import click
from flask.cli import AppGroup, with_appcontext


@click.group("example", cls=AppGroup)
def example_group():
    """The example feature's commands."""


@example_group.command("add-note")
@click.argument("text")
@with_appcontext
def add_note(text):
    """Add a note."""
    from crm.db import database
    from tests.example_feature.models import ExampleNote

    database.connect(reuse_if_open=True)
    note = ExampleNote.create(text=text)
    click.echo(f"Added note #{note.id}.")
