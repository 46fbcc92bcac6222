"""Features: one declaration adds a feature whole; the app reads blueprints, models, commands, panels and
navigation from its features; commands that serve no pages import no views."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from crm import FEATURES, create_app
from crm.db import all_models, database
from crm.features import Feature, Registry
from tests.example_feature.models import ExampleNote


@pytest.fixture
def app_config(app_config):
    """This module's apps list the example feature after the application's own (one line)."""
    return {**app_config, "FEATURES": [*FEATURES, "tests.example_feature"]}


@pytest.fixture
def notes_table(app):
    # The example model has no migration (it is not part of the application): its table lives for the test.
    database.create_tables([ExampleNote])
    yield
    database.drop_tables([ExampleNote])


def test_example_feature_end_to_end(app, notes_table, login_as):
    assert ExampleNote in all_models()

    result = app.test_cli_runner().invoke(args=["example", "add-note", "Call the mayor's office"])
    assert result.exit_code == 0, result.output
    assert "Added note #" in result.output
    assert [n.text for n in ExampleNote.select()] == ["Call the mayor's office"]

    staff = login_as("staff")
    page = staff.get("/example/notes")
    assert page.status_code == 200
    assert '<li class="note">Call the mayor&#39;s office</li>' in page.get_data(as_text=True)

    dashboard = staff.get("/").get_data(as_text=True)
    assert '<p class="example-notes">1 example note(s)</p>' in dashboard
    assert "Membership applications" in dashboard  # the application's own panels are still there
    assert dashboard.index("Membership applications") < dashboard.index("Example notes")  # in feature order
    assert 'href="/example/notes"' in dashboard  # the secretariat's navigation

    member_page = login_as("member").get("/example/notes")
    assert member_page.status_code == 403


def test_the_application_without_the_example_feature_has_none_of_it(app_config):
    app = create_app({k: v for k, v in app_config.items() if k != "FEATURES"})
    assert "example" not in app.blueprints
    assert "example" not in app.cli.commands
    with app.app_context():
        assert ExampleNote not in all_models()
    assert [bp.name for bp in app.blueprints.values()] == [
        "main", "accounts", "audit", "outbox", "membership", "contacts", "events", "incidents", "lessons",
        "workspace", "mailings", "anniversaries", "journeys", "savedfilters", "search"]


def test_a_feature_is_declared_once():
    with pytest.raises(ValueError, match="listed twice"):
        Registry(["crm.main", "crm.main"])
    with pytest.raises(ValueError, match="nav area"):
        Feature("x", nav=(("admin", "X", "x.index"),))


@pytest.fixture
def city(app):
    from crm.membership.models import City

    return City.create(name="Oslo", name_key="oslo", country="NO", region="northern_europe")


PROBE = """
import json, sys
sys.argv = ["crm", *sys.argv[1:]]
from crm.cli import main
try:
    main()
except SystemExit:
    pass
views = sorted(m for m in sys.modules if m.startswith("crm.") and m.endswith(".views"))
print(json.dumps(views), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["peers", "--json", "truck attack on a christmas market"]])
def test_commands_that_serve_no_pages_import_no_views(args, app_config, city, tmp_path):
    env = {"CRM_DATABASE_URL": app_config["DATABASE_URL"], "CRM_INDEX_DIR": str(tmp_path / "index"),
           "CRM_INSTANCE_DIR": str(tmp_path / "instance"), "PATH": "/usr/bin:/bin"}
    if args[0] == "peers":  # on a built index
        built = subprocess.run([sys.executable, "-c", PROBE, "search", "rebuild"], env=env, capture_output=True,
                               text=True, timeout=120, cwd=tmp_path)
        assert built.returncode == 0, built.stderr
        assert json.loads(built.stderr.strip().splitlines()[-1]) == []
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []
    if args == ["--help"]:
        assert "peers" in done.stdout and "import" in done.stdout and "events" in done.stdout
    else:
        assert isinstance(json.loads(done.stdout), list)


def test_pages_and_mail_commands_still_get_the_views(app_config, tmp_path):
    env = {"CRM_DATABASE_URL": app_config["DATABASE_URL"], "CRM_INDEX_DIR": str(tmp_path / "index"),
           "CRM_INSTANCE_DIR": str(tmp_path / "instance"), "PATH": "/usr/bin:/bin",
           "CRM_SECRET_KEY": "x" * 40}
    done = subprocess.run([sys.executable, "-c", PROBE, "routes"], env=env, capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "membership.city_list" in done.stdout
    assert "crm.membership.views" in json.loads(done.stderr.strip().splitlines()[-1])


def test_background_imports_are_declared_by_their_features_not_registered_at_import(app):
    from crm.contacts.imports import check_contacts, import_contacts
    from crm.features import registry
    from crm.membership import importjobs
    from crm.membership.imports import check_cities, import_cities

    assert not hasattr(importjobs, "KINDS") and not hasattr(importjobs, "register")
    assert registry(app).web_import("contacts") == (check_contacts, import_contacts)
    assert registry(app).web_import("cities") == (check_cities, import_cities)
    with pytest.raises(KeyError):
        registry(app).web_import("nothing")
