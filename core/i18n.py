"""Languages: which one a person reads, the catalogues, and Babel formatting.

The core's translation domain is ``cortege``; each plugin's domain is its name. Messages in
Python are translation strings (``_ = TranslationStringFactory(domain)``); templates use
``_()`` and ``ngettext()``, which look in the template's plugin domain, then the core's.

French has two registers: ``vous`` (the ``fr`` catalogues) and ``tu`` (the ``fr@tu``
catalogues, a tutoiement variant of each). The site chooses with ``cortege.french_register``;
with ``cortege.french_register_choice``, each member may choose for themselves (their
``french_register``). The locale stays ``fr`` either way (dates, numbers, ``lang``); only the
localizer changes: the ``fr`` catalogues, overlaid with the ``fr@tu`` ones, so that a plugin
that ships no tutoiement reads in ``vous`` rather than in English.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from jinja2 import pass_context
from pyramid.i18n import Localizer, Translations, TranslationString, TranslationStringFactory
from pyramid.i18n import make_localizer as make_pyramid_localizer
from pyramid.interfaces import ITranslationDirectories

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


REGISTERS = ("vous", "tu")
# The catalogue folder of a register other than a language's own (``locale/fr@tu/``).
REGISTER_VARIANTS = {("fr", "tu"): "fr@tu"}


_REQUEST_USER = object()


def french_register(request, user=_REQUEST_USER) -> str:
    """``vous`` or ``tu``: the member's choice when the site lets them choose, else the
    site's. ``user`` (a User, or None for a visitor) defaults to the request's member."""
    settings = request.registry.settings
    if user is _REQUEST_USER:
        user = request.user
    chosen = getattr(user, "french_register", None) if user is not None else None
    if settings["cortege.french_register_choice"] and chosen in REGISTERS:
        return chosen
    return settings["cortege.french_register"]


def make_localizer(registry, locale: str, register: str = "vous") -> Localizer:
    """The localizer of ``locale`` in ``register``, built once per process: the locale's
    catalogues, overlaid with its register's variant catalogues where a domain has them."""
    variant = REGISTER_VARIANTS.get((locale, register))
    cache = registry.setdefault("cortege.localizers", {})
    key = (locale, variant)
    if key not in cache:
        directories = registry.queryUtility(ITranslationDirectories, default=[])
        localizer = make_pyramid_localizer(locale, directories)
        if variant is not None:
            _overlay(localizer.translations, directories, variant)
        cache[key] = localizer
    return cache[key]


def _overlay(translations: Translations, directories, variant: str) -> None:
    for directory in directories:
        messages = os.path.join(directory, variant, "LC_MESSAGES")
        if not os.path.isdir(messages):
            continue
        for name in sorted(os.listdir(messages)):
            if name.endswith(".mo"):
                with open(os.path.join(messages, name), "rb") as handle:
                    translations.add(Translations(handle, name[:-3]), merge=True)


def _localizer(request) -> Localizer:
    return make_localizer(request.registry, request.locale_name, french_register(request))


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


# Dates and times: one set of helpers for every template and plugin. Times never show seconds;
# French reads 24-hour times, English its own; ranges go through ``format_interval``.
DATE_STYLES = ("short", "medium", "long", "full")


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value  # naive means UTC


def format_time(request, value: dt.datetime | None) -> str:
    """The time of ``value`` in the reader's zone, without seconds ("13:00", "1:00 PM")."""
    if value is None:
        return ""
    return babel_dates.format_time(_aware(value), "short", tzinfo=request.timezone,
                                   locale=request.locale_name)


def format_datetime(request, value: dt.datetime | None, format: str = "medium") -> str:
    """Date and time of ``value``; the named styles (short, medium, long, full) give the
    date in that style and the time without seconds. Any other ``format`` is a Babel pattern."""
    if value is None:
        return ""
    value = _aware(value)
    if format not in DATE_STYLES:
        return babel_dates.format_datetime(value, format=format, tzinfo=request.timezone,
                                           locale=request.locale_name)
    locale = request.locale_name
    day = babel_dates.format_date(value.astimezone(request.timezone).date(), format, locale=locale)
    pattern = babel_dates.get_datetime_format(format, locale=locale)
    return pattern.replace("{1}", day).replace("{0}", format_time(request, value))


def format_date(request, value, format: str = "long") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _aware(value).astimezone(request.timezone).date()
    return babel_dates.format_date(value, format=format, locale=request.locale_name)


def format_interval(request, start, end, all_day: bool = False) -> str:
    """A range in one format: "mar. 15 déc. 2026, 13:00 – 15:00" on one day,
    "15 déc. 2026, 13:00 – 16 déc. 2026, 10:00" over several, dates alone when ``all_day``."""
    if start is None:
        return ""
    locale = request.locale_name
    if isinstance(start, dt.datetime):
        start = _aware(start).astimezone(request.timezone)
    if isinstance(end, dt.datetime):
        end = _aware(end).astimezone(request.timezone)
    if end is None or end <= start:
        if all_day or not isinstance(start, dt.datetime):
            return format_date(request, start, "full")
        return format_datetime(request, start, "full")
    if all_day or not isinstance(start, dt.datetime):
        first = start.date() if isinstance(start, dt.datetime) else start
        last = end.date() if isinstance(end, dt.datetime) else end
        if all_day and isinstance(end, dt.datetime) and end.time() == dt.time(0) and last > first:
            last -= dt.timedelta(days=1)  # an all-day event ends at the next midnight
        if last == first:
            return babel_dates.format_date(first, "full", locale=locale)
        return babel_dates.format_interval(first, last, "yMMMEd", locale=locale)
    if start.date() == end.date():
        day = babel_dates.format_skeleton("yMMMEd", start, locale=locale)
        skeleton = "hm" if "h" in babel_dates.get_time_format("short", locale=locale).pattern else "Hm"
        hours = babel_dates.format_interval(start, end, skeleton, tzinfo=request.timezone,
                                            locale=locale)
        return babel_dates.get_datetime_format("medium", locale=locale).replace(
            "{1}", day).replace("{0}", hours)
    return f"{format_datetime(request, start)} – {format_datetime(request, end)}"


def format_relative(request, value: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """How long ago or how soon: "il y a 3 h", "in 2 days"; the date past a month."""
    if value is None:
        return ""
    value = _aware(value)
    now = now or dt.datetime.now(dt.UTC)
    delta = value - now
    if abs(delta) > dt.timedelta(days=30):
        return format_date(request, value, "medium")
    if abs(delta) < dt.timedelta(minutes=1):
        return request.localizer.translate(_("just now"))
    return babel_dates.format_timedelta(delta, add_direction=True, format="short",
                                        threshold=1.0, locale=request.locale_name)


def date_parts(request, value) -> dict:
    """What a date badge shows: month, day and weekday, short, in the reader's language."""
    if isinstance(value, dt.datetime):
        value = _aware(value).astimezone(request.timezone)
        day = value.date()
    else:
        day = value
    locale = request.locale_name
    return {
        "iso": value.isoformat(),
        "month": babel_dates.format_date(day, "LLL", locale=locale).rstrip("."),
        "day": str(day.day),
        "weekday": babel_dates.format_date(day, "EEE", locale=locale).rstrip("."),
        "label": babel_dates.format_date(day, "full", locale=locale),
    }


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
    config.add_request_method(_localizer, "localizer", reify=True)
    add_translation_domain(config, "cortege", "core:locale")
    config.add_request_method(_timezone, "timezone", reify=True)
    config.add_request_method(format_datetime, "format_datetime")
    config.add_request_method(format_date, "format_date")
    config.add_request_method(format_time, "format_time")
    config.add_request_method(format_interval, "format_interval")
    config.add_request_method(format_relative, "format_relative")
    config.add_request_method(date_parts, "date_parts")
    config.add_request_method(format_number, "format_number")
    config.add_request_method(translate, "translate")
