"""Configuration: CRM_* variables, documented defaults, the secret-key guard."""

import os
from pathlib import Path

import pytest

from crm import ConfigurationError, config, create_app


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
    readme = (Path(config.ROOT) / "README.md").read_text()
    for setting in config.SETTINGS:
        assert f"`{setting.env}`" in readme, setting.env


def test_the_app_refuses_the_development_key_outside_debug_and_tests(monkeypatch, tmp_path):
    monkeypatch.delenv("CRM_SECRET_KEY", raising=False)
    monkeypatch.delenv("CRM_DEBUG", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigurationError, match="CRM_SECRET_KEY is not set"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "a-real-key"})
    assert app.config["SECRET_KEY"] == "a-real-key"


def test_a_dotenv_file_is_honoured(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRM_SECRETARIAT_EMAIL", raising=False)
    (tmp_path / ".env").write_text("CRM_SECRETARIAT_EMAIL=desk@network.example\nCRM_SECRET_KEY=from-dotenv\n")
    try:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
        assert app.config["SECRETARIAT_EMAIL"] == "desk@network.example"
        assert app.config["SECRET_KEY"] == "from-dotenv"
    finally:
        os.environ.pop("CRM_SECRETARIAT_EMAIL", None)
        os.environ.pop("CRM_SECRET_KEY", None)
