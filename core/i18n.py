"""Languages: which one a person reads, the catalogues, and Babel formatting.

The core's translation domain is ``cortege``; each plugin's domain is its name. Messages in
Python are translation strings (``_ = TranslationStringFactory(domain)``); templates use
``_()`` and ``ngettext()``, which look in the template's plugin domain, then the core's.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from jinja2 import pass_context
from pyramid.i18n import TranslationString, TranslationStringFactory

_ = TranslationStringFactory("cortege")

LOCALE_COOKIE = "cortege_locale"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


def negotiate_locale(request) -> str:
    """The member's setting, then the language cookie, then Accept-Language, then the default."""
    settings = request.registry.settings
    available = settings["cortege.locales"]
    user = request.user
    if user is not None and user.locale in available:
        return user.locale
    chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in available:
        return chosen
    if "Accept-Language" in request.headers:
        # RFC 4647 lookup: "fr-CA" finds "fr"; a header that offers nothing we have is ignored.
        offered = request.accept_language.lookup(language_tags=available, default=lambda: None)
        if offered:
            return offered
    return settings["pyramid.default_locale_name"]


def add_translation_domain(config, domain: str, spec: str) -> None:
    config.add_translation_dirs(spec)
    domains = config.registry.setdefault("cortege.translation_domains", ["cortege"])
    if domain not in domains:
        domains.append(domain)


def _timezone(request) -> zoneinfo.ZoneInfo:
    user = request.user
    name = getattr(user, "timezone", None) or request.registry.settings["cortege.default_timezone"]
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(request.registry.settings["cortege.default_timezone"])


def format_datetime(request, value: dt.datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    return babel_dates.format_datetime(
        value, format=format, tzinfo=request.timezone, locale=request.locale_name
    )


def format_date(request, value, format: str = "long") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # as Babel reads naive times: UTC, not the server's zone
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone(request.timezone).date()
    return babel_dates.format_date(value, format=format, locale=request.locale_name)


def format_number(request, value) -> str:
    return babel_numbers.format_decimal(value, locale=request.locale_name)


def translate(request, message, domain: str = "cortege", mapping=None) -> str:
    """Translate ``message`` in ``domain``, falling back to the core's domain."""
    localizer = request.localizer
    if isinstance(message, TranslationString):
        return localizer.translate(message)
    for candidate in (domain, "cortege") if domain != "cortege" else ("cortege",):
        result = localizer.translate(TranslationString(message, domain=candidate, mapping=mapping))
        if result != message or candidate == "cortege":
            if mapping:
                result = TranslationString(result, mapping=mapping).interpolate()
            return result
    return message


def _template_domain(context) -> str:
    request = context.get("request")
    name = context.name or ""
    domain = name.split("/", 1)[0] if "/" in name else "cortege"
    domains = request.registry.get("cortege.translation_domains", ["cortege"]) if request else []
    return domain if domain in domains else "cortege"


@pass_context
def template_gettext(context, message):
    """``_()`` in templates; Jinja2's i18n extension applies the ``%(name)s`` variables."""
    request = context.get("request")
    if request is None:
        return message
    return translate(request, message, _template_domain(context))


@pass_context
def template_ngettext(context, singular, plural, n):
    request = context.get("request")
    if request is None:
        return singular if n == 1 else plural
    localizer = request.localizer
    domain = _template_domain(context)
    text = localizer.pluralize(singular, plural, n, domain=domain)
    if text in (singular, plural) and domain != "cortege":
        text = localizer.pluralize(singular, plural, n, domain="cortege")
    return text


def includeme(config):
    config.set_locale_negotiator(negotiate_locale)
    add_translation_domain(config, "cortege", "core:locale")
    config.add_request_method(_timezone, "timezone", reify=True)
    config.add_request_method(format_datetime, "format_datetime")
    config.add_request_method(format_date, "format_date")
    config.add_request_method(format_number, "format_number")
    config.add_request_method(translate, "translate")
