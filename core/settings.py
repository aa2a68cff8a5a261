"""Core settings: declared like a plugin's, under the ``cortege.`` prefix."""

from __future__ import annotations

import os
import zoneinfo
from types import SimpleNamespace
from typing import Any

from core.errors import StartupError
from core.loader import validate_plugin_settings
from core.plugin import REQUIRED, Setting, asbool, aslist, aspositiveint, choice


def astimezone(value: Any) -> str:
    try:
        zoneinfo.ZoneInfo(str(value))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError("expected a time zone name such as Europe/Paris") from None
    return str(value)


def asurl(value: Any) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(str(value))
    except ArgumentError:
        raise ValueError("expected a database URL such as sqlite:///var/cortege.sqlite") from None
    return str(value)


def assessionstorage(value: Any) -> str:
    """``database`` or a Redis URL (``redis://``, ``rediss://``, ``unix://``)."""
    text = str(value).strip()
    if text == "database" or text.startswith(("redis://", "rediss://", "unix://")):
        return text
    raise ValueError("expected database, or a Redis URL such as redis://127.0.0.1:6379/0")


CORE_SETTINGS = {
    "plugins": Setting([], aslist, "Plugins to switch on, by name, separated by spaces."),
    "theme": Setting("default", str, "The theme that gives the site its look."),
    "site_name": Setting("Cortège", str, "Name shown until an admin sets one in /admin."),
    "session_secret": Setting(
        REQUIRED, str, "A long random string that signs session cookies; keep it secret."
    ),
    "secure_cookies": Setting(False, asbool, "Send cookies over HTTPS only (production)."),
    "session_storage": Setting(
        "database", assessionstorage,
        "Where logged-in sessions are kept: database, or a Redis URL such as "
        "redis://127.0.0.1:6379/0 (shared by every process, nothing written to the database).",
    ),
    "session_key_prefix": Setting(
        "cortege:session:", str, "Prefix of the session keys in Redis (sites sharing a Redis "
        "database need different ones).",
    ),
    "default_timezone": Setting("Europe/Paris", astimezone, "Time zone for visitors."),
    "locales": Setting(["en", "fr"], aslist, "Languages people can choose."),
    "french_register": Setting(
        "vous", choice("vous", "tu"),
        "How the French pages and mail address people: vous (vouvoiement) or tu "
        "(tutoiement)."),
    "french_register_choice": Setting(
        False, asbool, "Let each member choose between vous and tu in their preferences."),
    "mail_backend": Setting(
        "file", choice("file", "smtp", "memory"),
        "Where mail goes: files under mail_directory, an SMTP server (mail.* settings), "
        "or memory (tests).",
    ),
    "mail_directory": Setting("var/mail", str, "Folder for mail when mail_backend is file."),
    "ratelimit_storage": Setting(
        "memory://", str, "limits storage URI: memory:// or redis://host:6379/0."
    ),
    "content_security_policy": Setting(
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        str,
        "Content-Security-Policy header sent with every page.",
    ),
    "uploads_directory": Setting("var/uploads", str, "Folder where uploaded files are kept."),
    "site_url": Setting(
        "http://localhost:6543", str,
        "The site's public address (https://example.org): links in mail and anything built "
        "outside a request start with it."),
    "queue_url": Setting(
        "", str,
        "Where jobs wait for the workers: sqlite:///path (default: queue.sqlite next to a "
        "SQLite database, else var/queue.sqlite), redis://host:6379/1 (production, shared by "
        "the workers of several machines), or immediate: (tests)."),
    "job_lease": Setting(
        600, aspositiveint,
        "Seconds after which a job claimed by a worker that went silent is run again; "
        "longer than the slowest job."),
    "queue_name": Setting("cortege", str, "Name of the queue, when several sites share Redis."),
    "sqlite_busy_timeout": Setting(
        5, aspositiveint,
        "Seconds a write on SQLite waits for the write lock before its request is retried.",
    ),
    "retry_backoff_ms": Setting(
        200, aspositiveint,
        "Milliseconds to wait before running again a request that failed on a passing "
        "database error; each next attempt waits twice as long (retry.attempts: how many).",
    ),
    "password_hashing_concurrency": Setting(
        2, aspositiveint,
        "Password hashes (logins, new passwords) computed at once per process; more wait.",
    ),
    "development_pages": Setting(
        False, asbool,
        "Serve the pages made for developers: /_styleguide (every component of the design "
        "system) and /_mail (the messages in mail_directory). Never in production.",
    ),
    "max_request_body_size": Setting(
        10 * 1024 * 1024, aspositiveint,
        "Largest request body accepted, in bytes; larger ones are refused unread (413).",
    ),
}

core_declaration = SimpleNamespace(name="cortege", settings=CORE_SETTINGS)


def resolve_environment(settings: dict) -> None:
    """Replace values written ``env:NAME`` with the environment variable NAME."""
    for key, value in list(settings.items()):
        if isinstance(value, str) and value.startswith("env:"):
            variable = value[4:].strip()
            if variable not in os.environ:
                raise StartupError(
                    f"The setting {key} reads the environment variable {variable}, which is "
                    "not set; set it before starting the site."
                )
            settings[key] = os.environ[variable]


def coerce_core_settings(settings: dict) -> dict:
    """Check and convert the core settings in place; return the settings."""
    resolve_environment(settings)
    if not settings.get("sqlalchemy.url"):
        raise StartupError(
            "The setting sqlalchemy.url is missing; add it to the ini, for example "
            "sqlalchemy.url = sqlite:///%(here)s/var/cortege.sqlite."
        )
    try:
        settings["sqlalchemy.url"] = asurl(settings["sqlalchemy.url"])
    except ValueError as exc:
        raise StartupError(
            f'The setting sqlalchemy.url = "{settings["sqlalchemy.url"]}" is not valid: {exc}.'
        ) from None
    validate_plugin_settings([core_declaration], settings)
    settings.setdefault("pyramid.default_locale_name", "en")
    default_locale = settings["pyramid.default_locale_name"]
    if default_locale not in settings["cortege.locales"]:
        raise StartupError(
            f'pyramid.default_locale_name = "{default_locale}" is not one of cortege.locales '
            f"({' '.join(settings['cortege.locales'])}); add it there or change it."
        )
    return settings
