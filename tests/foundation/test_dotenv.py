"""``.env`` in the working directory configures the app (python-dotenv); the environment wins."""

from __future__ import annotations

from badgeapp import create_app
from badgeapp.config import dotenv_settings, load_config


def test_dotenv_values_configure_the_app_and_the_environment_wins(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text(
        "# comments and quotes as python-dotenv reads them\n"
        "RATE_LIMIT=7/minute\n"
        'WRITE_LIMIT="9/minute"\n'
        "HOT_PATH_BYTES=1234\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOT_PATH_BYTES", "4321")
    monkeypatch.delenv("RATE_LIMIT", raising=False)
    monkeypatch.delenv("WRITE_LIMIT", raising=False)
    assert dotenv_settings()["WRITE_LIMIT"] == "9/minute"
    (tmp_path / "instance").mkdir()
    config = load_config(str(tmp_path / "instance"))
    assert config["RATE_LIMIT"] == "7/minute"
    assert config["WRITE_LIMIT"] == "9/minute"
    assert config["HOT_PATH_BYTES"] == 4321  # the real environment wins over .env
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "REDIS_URL": None})
    assert app.config["RATE_LIMIT"] == "7/minute"


def test_no_dotenv_file_is_fine(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert dotenv_settings() == {}
