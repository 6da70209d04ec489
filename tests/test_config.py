import pytest

from app import config, create_app


def test_production_refuses_to_start_without_a_real_secret_key(tmp_path):
    for key in ("", "dev", "changeme", "too-short"):
        with pytest.raises(config.ConfigurationError):
            config.load(str(tmp_path), environ={"CYSWLLT_ENV": "production", "SECRET_KEY": key})


def test_production_accepts_a_long_random_secret_key_and_secure_cookies(tmp_path):
    settings = config.load(str(tmp_path), environ={"CYSWLLT_ENV": "production", "SECRET_KEY": "x" * 48})
    assert settings["SECRET_KEY"] == "x" * 48
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_development_makes_a_secret_key_once_and_keeps_it_in_the_instance_folder(tmp_path):
    first = config.load(str(tmp_path), environ={})["SECRET_KEY"]
    second = config.load(str(tmp_path), environ={})["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_the_database_is_sqlite_in_the_instance_folder_unless_database_url_is_set(tmp_path):
    assert config.load(str(tmp_path), environ={})["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/cyswllt.db"
    postgres = config.load(str(tmp_path), environ={"DATABASE_URL": "postgres://u@db:5432/cyswllt"})
    assert postgres["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db:5432/cyswllt"


def test_settings_given_to_the_factory_win(tmp_path):
    app = create_app({"SECRET_KEY": "given-by-the-test-" * 3, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == "given-by-the-test-" * 3
