import pytest

from app import config, create_app


def test_production_refuses_to_start_without_a_real_secret_key(tmp_path):
    for key in ("", "dev", "changeme", "too-short"):
        with pytest.raises(config.ConfigurationError):
            config.load(str(tmp_path), environ={"CYSWLLT_ENV": "production", "SECRET_KEY": key})


def test_production_accepts_a_long_random_secret_key_and_secure_cookies(tmp_path):
    environ = {"CYSWLLT_ENV": "production", "SECRET_KEY": "x" * 48, "SEALING_KEYS_FILE": "/etc/cyswllt/sealing.pem"}
    settings = config.load(str(tmp_path), environ=environ)
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


PRODUCTION = {"CYSWLLT_ENV": "production", "SECRET_KEY": "x" * 48}


@pytest.mark.parametrize(
    ("environ", "argv"),
    [({}, ["/srv/cyswllt/.venv/bin/gunicorn", "wsgi:app", "--workers", "4"]),
     ({}, ["gunicorn", "-w", "2", "wsgi:app"]),
     ({"WEB_CONCURRENCY": "3"}, ["gunicorn", "wsgi:app"]),
     ({"GUNICORN_CMD_ARGS": "--workers=2"}, ["gunicorn", "wsgi:app"]),
     ({"APP_SERVERS": "2"}, ["gunicorn", "wsgi:app", "--workers", "1"])],
)
def test_production_refuses_per_process_memory_counts_when_more_than_one_process_counts(tmp_path, environ, argv):
    with pytest.raises(config.ConfigurationError, match="RATELIMIT_STORAGE_URI"):
        config.rate_limit_storage(True, {**PRODUCTION, **environ}, argv)


def test_one_process_may_count_in_memory_and_any_number_through_redis(tmp_path):
    assert config.rate_limit_storage(True, PRODUCTION, ["gunicorn", "wsgi:app", "--workers", "1"]) == "memory://"
    shared = {**PRODUCTION, "RATELIMIT_STORAGE_URI": "redis://redis.internal:6379/0", "APP_SERVERS": "3"}
    assert config.rate_limit_storage(True, shared, ["gunicorn", "-w", "4"]) == "redis://redis.internal:6379/0"
    assert config.rate_limit_storage(False, {"WEB_CONCURRENCY": "4"}, ["gunicorn"]) == "memory://"
    with pytest.raises(config.ConfigurationError):
        config.load(str(tmp_path), environ={**PRODUCTION, "WEB_CONCURRENCY": "4"})
