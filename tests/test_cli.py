"""The `crm` command: migrations, seeds, users, mail — each through the real CLI."""

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from crm.accounts.models import User
from crm.seeding import DEMO_LOGINS


def _crm(app, *args, **kwargs):
    result = app.test_cli_runner().invoke(args=list(args), **kwargs)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_db_status_upgrade_downgrade(app):
    status = _crm(app, "db", "status")
    assert "0 pending" in status.output and "[applied] 001_foundation" in status.output
    last = status.output.strip().splitlines()[-2].split()[-1]
    down = _crm(app, "db", "downgrade")
    assert f"Rolled back {last}" in down.output
    assert f"[pending] {last}" in _crm(app, "db", "status").output
    up = _crm(app, "db", "upgrade")
    assert f"Applied 1 migration(s): {last}" in up.output
    assert "Database is up to date." in _crm(app, "db", "upgrade").output


def test_seed_is_idempotent_and_prints_the_demo_logins(app):
    first = _crm(app, "seed", "--demo")
    assert "Created" in first.output
    for role, email, _name, password in DEMO_LOGINS:
        assert email in first.output and password in first.output
        assert User.get(User.email == email).role == role
    count = User.select().count()
    second = _crm(app, "seed", "--demo")
    assert "Nothing to add" in second.output
    assert User.select().count() == count


def test_users_create(app):
    result = _crm(app, "users", "create", "--email", "New@Example.org", "--role", "staff", "--name", "New",
                  "--password", "long enough password")
    assert result.exit_code == 0 and "Created staff new@example.org" in result.output
    assert User.get(User.email == "new@example.org").check_password("long enough password")
    again = _crm(app, "users", "create", "--email", "new@example.org", "--role", "staff",
                 "--password", "long enough password")
    assert again.exit_code == 1 and "already exists" in again.output
    short = _crm(app, "users", "create", "--email", "s@example.org", "--role", "staff", "--password", "short")
    assert short.exit_code == 2 and "at least 10 characters" in short.output


def test_every_command_has_a_one_line_help(app):
    def walk(group, prefix=""):
        for name, command in group.commands.items():
            yield prefix + name, command
            if hasattr(command, "commands"):
                yield from walk(command, prefix + name + " ")

    commands = dict(walk(app.cli))
    expected = {"db upgrade", "db status", "db downgrade", "seed", "users create", "mail send-queued", "import cities",
                "import contacts", "import lessons", "search rebuild", "search check", "search sync", "search prune",
                "peers", "events send-reminders", "events process-offers", "advice flag-urgent", "config"}
    assert expected <= set(commands), expected - set(commands)
    for name, command in commands.items():
        assert command.get_short_help_str(200).strip(), f"crm {name} has no help text"


def test_the_installed_crm_script_runs(tmp_path):
    env = {"CRM_DEBUG": "1", "CRM_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "PATH": "/usr/bin:/bin"}
    crm = [sys.executable, "-m", "crm.cli"]
    out = subprocess.run(crm + ["db", "upgrade"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Applied" in out.stdout
    out = subprocess.run(crm + ["db", "status"], env=env, capture_output=True, text=True, timeout=60)
    assert "0 pending" in out.stdout


def test_db_upgrade_fails_loudly_without_migration_files(tmp_path):
    """A package installed without its migrations must not report an untouched database as up to date."""
    site = tmp_path / "site"
    root = Path(__file__).resolve().parents[1]
    skip = shutil.ignore_patterns("__pycache__")
    # The layout of an installed wheel (templates and seeds inside crm/), with the migrations left out.
    shutil.copytree(root / "crm", site / "crm", ignore=skip)
    shutil.copytree(root / "templates", site / "crm" / "templates", ignore=skip)
    shutil.copytree(root / "seeds", site / "crm" / "seeds", ignore=skip)
    database = tmp_path / "broken.sqlite3"
    env = {"CRM_DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    crm = [sys.executable, "-m", "crm.cli", "db", "upgrade"]

    missing = subprocess.run(crm, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1, missing.stdout
    assert "The migrations/ folder of the CRM is missing" in missing.stderr
    assert str(site / "crm" / "migrations") in missing.stderr

    (site / "crm" / "migrations").mkdir()
    empty = subprocess.run(crm, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert empty.returncode == 1, empty.stdout
    assert f"No migration files in {site / 'crm' / 'migrations'}" in empty.stderr
    assert "up to date" not in empty.stdout
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall() == []


def test_an_import_into_a_fresh_folder_needs_no_other_step(tmp_path):
    """`crm import cities` on an empty database migrates it first; no secret key is needed to import."""
    (tmp_path / "cities.csv").write_text(
        "name,country,region,population,languages,expertise,incident_summary\n"
        "Marseille,FR,western_europe,870000,fr;en,victim_support,A van drove into the crowd at the market.\n",
        encoding="utf-8")
    env = {"CRM_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "CRM_INDEX_DIR": str(tmp_path / "index"),
           "PATH": "/usr/bin:/bin"}
    crm = [sys.executable, "-m", "crm.cli"]
    out = subprocess.run(crm + ["import", "cities", str(tmp_path / "cities.csv")], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Fresh database: applied" in out.stderr and "1 created" in out.stdout
    peers = subprocess.run(crm + ["peers", "Une camionnette a foncé dans la foule du marché", "--json"], env=env,
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert peers.returncode == 0, peers.stderr
    assert '"city": "Marseille"' in peers.stdout
    # Serving still refuses the development key.
    served = subprocess.run(crm + ["run", "--port", "1"], env=env, cwd=tmp_path, capture_output=True, text=True,
                            timeout=60)
    assert served.returncode != 0 and "CRM_SECRET_KEY is not set" in served.stderr


def _help_rows(output: str) -> dict[str, str]:
    """The ``name: one-line help`` rows of the Commands section of a help text."""
    rows, section = {}, output.split("Commands:\n", 1)[1]
    for line in section.splitlines():
        if line.startswith("  ") and not line.startswith("   "):
            name, _, text = line.strip().partition(" ")
            rows[name] = text.strip()
    return rows


def test_crm_help_lists_every_command_of_the_app_without_building_it(app, monkeypatch):
    """`crm --help` and each `crm COMMAND --help` work without the app, and list exactly what the app offers."""
    import click
    from click.testing import CliRunner
    from flask.cli import FlaskGroup, ScriptInfo

    import crm
    from crm.cli import PLUGIN_HELP, main

    def no_app(*args, **kwargs):
        raise AssertionError("help built the app")

    # What Flask's own group lists with the app built: its commands, the plugins' and the app's.
    flask_group = FlaskGroup(create_app=lambda: app)
    with click.Context(flask_group, obj=ScriptInfo(create_app=lambda: app)) as ctx:
        expected = {name: flask_group.get_command(ctx, name) for name in flask_group.list_commands(ctx)}
    assert set(PLUGIN_HELP) <= set(expected)
    monkeypatch.setattr(crm, "create_app", no_app)
    runner = CliRunner()
    listed = runner.invoke(main, ["--help"], terminal_width=200)
    assert listed.exit_code == 0, listed.output
    rows = _help_rows(listed.output)
    assert sorted(rows) == sorted(expected)
    for name, command in expected.items():
        assert rows[name] == command.get_short_help_str(200), name
    for name in sorted(rows):
        result = runner.invoke(main, [name, "--help"], terminal_width=200)
        assert result.exit_code == 0, (name, result.output)
        assert f"Usage: main {name}" in result.output
        if hasattr(expected[name], "commands"):  # a group: its help lists its commands
            assert sorted(_help_rows(result.output)) == sorted(expected[name].list_commands(None)), name


def test_crm_builds_the_app_for_a_command_only_when_it_runs(app, monkeypatch):
    """A command found without the app still gets one when it runs (here `crm db status` on the test app)."""
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from crm.cli import main

    result = CliRunner().invoke(main, ["db", "status"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert "0 pending" in result.output


def test_each_group_help_in_a_fresh_process_lists_the_app_groups_commands(app):
    """`crm GROUP --help` as the first thing a process does (nothing imported yet) lists all of the group's commands.

    In this process the features' command modules are already imported (the app is built), which could hide a
    subcommand that only their import adds; a fresh interpreter cannot.
    """
    groups = {name: command for name, command in app.cli.commands.items() if hasattr(command, "commands")}
    assert {"db", "mail", "import", "search"} <= set(groups)
    env = {"PATH": "/usr/bin:/bin", "CRM_DATABASE_URL": "sqlite:////nonexistent/never-opened.sqlite3"}
    for name, group in sorted(groups.items()):
        done = subprocess.run([sys.executable, "-m", "crm.cli", name, "--help"], env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, (name, done.stderr)
        assert sorted(_help_rows(done.stdout)) == sorted(group.commands), name
