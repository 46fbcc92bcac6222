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
