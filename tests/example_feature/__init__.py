"""A tiny feature, to show (and test) that one declaration is all a new feature needs.

It is not part of the application: tests add it to the factory's list (``FEATURES``) through the
configuration, as a real feature is added by one line in ``crm/__init__.py``.
"""

from flask import Blueprint

from crm.features import Feature

bp = Blueprint("example", __name__, url_prefix="/example", template_folder="templates")

feature = Feature(
    "example",
    package="tests.example_feature",
    cli=("tests.example_feature.commands:example_group",),
    nav=(("secretariat", "Notes", "example.note_list"),),
)
