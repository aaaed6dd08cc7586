"""Settings come from the environment through typed helpers that name the variable when a value
is malformed (conflictmap/settings.py)."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from conflictmap import settings as module


@pytest.mark.parametrize(
    ("helper", "value", "args"),
    [
        (module.envint, "twelve", ()),
        (module.envint, "0", ()),  # below the minimum given below
        (module.envfloat, "fast", ()),
        (module.envfloat, "nan", ()),
        (module.envfloat, "1.5", ()),  # above the maximum given below
        (module.envbool, "maybe", ()),
        (module.envchoice, "LOUD", (("INFO", "DEBUG"),)),
        (module.envdatabase, "mysql://db/news", ()),
        (module.envdatabase, "postgres://db:port/news", ()),
        (module.envredis, "127.0.0.1:6379", ()),
    ],
)
def test_a_malformed_value_is_refused_naming_the_variable(monkeypatch, helper, value, args):
    monkeypatch.setenv("CONFLICTMAP_TEST_SETTING", value)
    keywords = {"minimum": 1} if helper is module.envint else {"maximum": 1.0} if helper is module.envfloat else {}
    with pytest.raises(ImproperlyConfigured, match="CONFLICTMAP_TEST_SETTING"):
        helper("CONFLICTMAP_TEST_SETTING", "1", *args, **keywords)


def test_a_database_url_keeps_its_query_options(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://news:s%40cret@db.example:6543/maps?sslmode=require")
    database = module.envdatabase("DATABASE_URL", "")
    assert database["OPTIONS"] == {"sslmode": "require"}
    assert (database["USER"], database["PASSWORD"], database["HOST"], database["PORT"], database["NAME"]) == (
        "news", "s@cret", "db.example", "6543", "maps"
    )  # fmt: skip
    assert database["ENGINE"] == "django.contrib.gis.db.backends.postgis"
    assert database["TEST"] == {"NAME": "test_maps"}


def test_a_database_url_fills_in_what_it_leaves_out(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgis://")
    database = module.envdatabase("DATABASE_URL", "")
    assert (database["USER"], database["HOST"], database["PORT"], database["NAME"]) == (
        "postgres", "127.0.0.1", "5432", "conflictmap"
    )  # fmt: skip


def test_the_app_refuses_to_start_with_a_malformed_setting():
    environment = {**os.environ, "LAYER_CURRENT_TTL": "fast"}
    run = subprocess.run(
        [sys.executable, "manage.py", "check"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert run.returncode != 0
    assert "ImproperlyConfigured: LAYER_CURRENT_TTL must be a number, not 'fast'" in run.stderr


def run_check(**environment) -> subprocess.CompletedProcess:
    # As a deployment would be: none of the test run's own (the browser tests allow async-unsafe calls).
    local = ("SECRET_KEY", "DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {key: value for key, value in os.environ.items() if key not in local}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, **environment}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "p" * 20 + "-Q9z" * 10, "ALLOWED_HOSTS": "maps.example.org"}


def test_production_settings_pass_the_deploy_check_with_https_on():
    run = run_check(**PRODUCTION, HTTPS="true")
    assert run.returncode == 0, run.stderr


def test_without_https_on_the_deploy_check_says_what_is_missing():
    run = run_check(**PRODUCTION)
    assert run.returncode != 0
    assert all(code in run.stderr for code in ("security.W004", "security.W008", "security.W012", "security.W016"))


def test_a_secret_key_comes_from_the_environment_or_the_checkouts_own_file(tmp_path):
    missing, kept = tmp_path / "absent", tmp_path / "secret-key"
    kept.write_text("a-key-of-this-checkout\n")
    assert module.envfile("SECRET_KEY", kept, False) == "a-key-of-this-checkout"
    assert module.envfile("SECRET_KEY", missing, True).startswith("django-insecure")  # DEBUG on only
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set"):
        module.envfile("SECRET_KEY", missing, False)
