"""Configuration: CRM_* variables, documented defaults, the secret-key guard."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crm import ConfigurationError, config, create_app

REAL_KEY = "a-real-key-of-at-least-thirty-two-characters"


def test_settings_are_read_from_crm_variables():
    values = config.from_environment({"CRM_MAIL_PORT": "2525", "CRM_DEBUG": "yes",
                                      "CRM_DATABASE_URL": "postgresql://u@h/db"})
    assert values["MAIL_PORT"] == 2525 and values["DEBUG"] is True
    assert values["DATABASE_URL"] == "postgresql://u@h/db"


def test_defaults_keep_all_data_under_instance():
    values = config.from_environment({})
    assert values["DATABASE_URL"].endswith("instance/crm.sqlite3")
    assert values["INDEX_DIR"].endswith("instance/index")


def test_every_setting_is_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for setting in config.SETTINGS:
        assert f"`{setting.env}`" in readme, setting.env


def test_the_app_refuses_the_development_key_outside_debug_and_tests(monkeypatch, tmp_path):
    monkeypatch.delenv("CRM_SECRET_KEY", raising=False)
    monkeypatch.delenv("CRM_DEBUG", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigurationError, match="CRM_SECRET_KEY is not set"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": REAL_KEY})
    assert app.config["SECRET_KEY"] == REAL_KEY


@pytest.mark.parametrize("key, says", [("", "is not set"), ("x", r"too short \(1 characters"),
                                       ("a" * 31, r"too short \(31 characters")])
def test_an_empty_or_short_key_is_refused_with_how_to_make_one(monkeypatch, tmp_path, key, says):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigurationError, match=says) as refused:
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": key})
    assert "secrets.token_urlsafe(48)" in str(refused.value)


def test_debug_mode_alone_does_not_allow_the_development_key(monkeypatch, tmp_path):
    monkeypatch.delenv("CRM_SECRET_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    database = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigurationError, match="CRM_SECRET_KEY is not set"):
        create_app({"DATABASE_URL": database})
    with pytest.raises(ConfigurationError, match="too short"):
        create_app({"DATABASE_URL": database, "DEBUG": True, "SECRET_KEY": "x"})
    # Only the development server (`crm run`) in development mode may use it.
    assert create_app({"DATABASE_URL": database, "DEV_SERVER": True}).debug
    monkeypatch.delenv("FLASK_DEBUG")
    with pytest.raises(ConfigurationError, match="CRM_SECRET_KEY is not set"):
        create_app({"DATABASE_URL": database, "DEV_SERVER": True})


def test_gunicorn_with_flask_debug_and_no_key_refuses_to_load_the_app(tmp_path):
    """What gunicorn does, ``import wsgi``, fails with FLASK_DEBUG=1 and no key (the finding of issue 8)."""
    root = Path(__file__).resolve().parents[1]
    env = {"PATH": "/usr/bin:/bin", "FLASK_DEBUG": "1", "CRM_DEBUG": "1", "PYTHONPATH": str(root),
           "CRM_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "CRM_INDEX_DIR": str(tmp_path / "index")}
    loaded = subprocess.run([sys.executable, "-c", "import wsgi"], env=env, cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert loaded.returncode != 0 and "CRM_SECRET_KEY is not set" in loaded.stderr
    env["CRM_SECRET_KEY"] = REAL_KEY
    loaded = subprocess.run([sys.executable, "-c", "import wsgi"], env=env, cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr


def test_a_dotenv_file_is_honoured(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRM_SECRETARIAT_EMAIL", raising=False)
    (tmp_path / ".env").write_text("CRM_SECRETARIAT_EMAIL=desk@network.example\nCRM_SECRET_KEY=from-dotenv-" + "k" * 32 + "\n")
    try:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
        assert app.config["SECRETARIAT_EMAIL"] == "desk@network.example"
        assert app.config["SECRET_KEY"] == "from-dotenv-" + "k" * 32
    finally:
        os.environ.pop("CRM_SECRETARIAT_EMAIL", None)
        os.environ.pop("CRM_SECRET_KEY", None)


def test_instance_data_defaults_to_the_working_directory_or_crm_instance_dir(monkeypatch, tmp_path):
    """Installed from a wheel the code sits in site-packages; the database and the index must not."""
    monkeypatch.chdir(tmp_path)
    here = tmp_path.resolve() / "instance"
    values = config.from_environment({})
    assert values["INSTANCE_DIR"] == str(here)
    assert values["DATABASE_URL"] == f"sqlite:///{here / 'crm.sqlite3'}"
    assert values["INDEX_DIR"] == str(here / "index")

    elsewhere = tmp_path.resolve() / "data"
    values = config.from_environment({"CRM_INSTANCE_DIR": str(elsewhere)})
    assert values["DATABASE_URL"] == f"sqlite:///{elsewhere / 'crm.sqlite3'}"
    assert values["INDEX_DIR"] == str(elsewhere / "index")
    values = config.from_environment({"CRM_INSTANCE_DIR": str(elsewhere), "CRM_DATABASE_URL": "postgresql://u@h/db"})
    assert values["DATABASE_URL"] == "postgresql://u@h/db" and values["INDEX_DIR"] == str(elsewhere / "index")

    monkeypatch.setenv("CRM_INSTANCE_DIR", "relative")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert app.instance_path == str(tmp_path.resolve() / "relative") and Path(app.instance_path).is_dir()
    assert not (Path(config.__file__).resolve().parent / "instance").exists()
