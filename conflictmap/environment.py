"""The typed helpers conflictmap/settings.py reads the environment with: each parses one kind
of value and fails loudly, with an ImproperlyConfigured naming the variable, on a malformed one.
Used by the settings module alone."""

import os
import urllib.parse
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str) -> str:
    """A text setting; the helpers below parse theirs from this and name the variable on error."""
    return os.getenv(name, default)


def envbool(name: str, default: str) -> bool:
    value = env(name, default).strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")
    return value in ("true", "1", "yes")


def envint(name: str, default: str, minimum: int = 0) -> int:
    value = env(name, default)
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def envfloat(name: str, default: str, minimum: float = 0.0, maximum: float = float("inf")) -> float:
    value = env(name, default)
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None
    if not minimum <= number <= maximum:  # also refuses nan
        raise ImproperlyConfigured(f"{name} must be from {minimum} to {maximum}, not {value!r}")
    return number


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, whatever the case it was given in (info, INFO; AR, ar)."""
    value = env(name, default).strip()
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")


def envdatabase(name: str, default: str) -> dict:
    """A postgres:// URL as a Django DATABASES entry, parsed by dj-database-url: query options
    such as ?sslmode=require, which a managed PostgreSQL needs, go to OPTIONS."""
    url = env(name, default)
    if urllib.parse.urlsplit(url).scheme not in ("postgres", "postgresql", "postgis"):
        raise ImproperlyConfigured(f"{name} must be a postgres:// URL, not {url!r}")
    try:
        database = dj_database_url.parse(url, engine="django.contrib.gis.db.backends.postgis")
    except (ValueError, dj_database_url.ParseError) as error:
        raise ImproperlyConfigured(f"{name} is not a valid postgres:// URL ({error}): {url!r}") from None
    database_name = database["NAME"] or "conflictmap"
    return {
        **database,
        "NAME": database_name,
        "USER": database["USER"] or "postgres",
        "HOST": database["HOST"] or "127.0.0.1",
        "PORT": str(database["PORT"] or 5432),
        "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", "60"),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"NAME": f"test_{database_name}"},
    }


def envfile(name: str, path: Path, development: bool) -> str:
    """A secret from `path` when the variable `name` is not set; a fixed development value when
    neither is there and `development` is true; else ImproperlyConfigured."""
    if path.is_file() and (value := path.read_text().strip()):
        return value
    if development:
        return "django-insecure-conflictmap-development-key-change-me"
    raise ImproperlyConfigured(
        f"{name} is not set. Set it to a long random value (python3 -c 'import secrets; "
        f"print(secrets.token_urlsafe(50))'), or run scripts/setup.sh, which writes one to {path}."
    )


def envredis(name: str, default: str) -> str:
    url = env(name, default)
    if urllib.parse.urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(f"{name} must be a redis:// (or rediss://, unix://) URL, not {url!r}")
    return url
