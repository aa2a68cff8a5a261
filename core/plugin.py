"""The plugin declaration and its settings.

A plugin package exposes one ``Plugin`` object under the ``cortege.plugins`` entry point::

    plugin = Plugin(
        name="agenda",
        package=__name__,
        title=_("Agenda"),
        description=_("Events, RSVPs and calendars."),
        version="1.0",
        requires=("groups",),
        settings={"reminder_hours": Setting(24, asint, "Hours before an event to remind.")},
        includeme="plugins.agenda.routes:includeme",
    )

``models``, ``migrations``, ``templates``, ``static`` and ``translations`` default to the
conventional places inside ``package`` when those exist.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyramid.path import DottedNameResolver
from pyramid.settings import asbool as _asbool
from pyramid.settings import aslist as _aslist
from zope.interface import implementer

from core.interfaces import IPlugin

REQUIRED = object()


@dataclass(frozen=True)
class Setting:
    """One setting of a plugin: its default, how to read it from the ini, and what it means.

    ``default=REQUIRED`` makes the deployer give a value. ``converter`` takes the ini string
    and returns the value, raising ``ValueError`` with a short sentence when it is bad.
    """

    default: Any
    converter: Callable[[Any], Any] = str
    help: str = ""

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


def asbool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in {"true", "false", "yes", "no", "on", "off", "1", "0", "y", "n", "t", "f"}:
        raise ValueError("expected true or false")
    return _asbool(text)


def asint(value: Any) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError("expected a whole number") from None


def aspositiveint(value: Any) -> int:
    number = asint(value)
    if number < 1:
        raise ValueError("expected a whole number of at least 1")
    return number


def asrate(value: Any) -> str:
    """A rate limit in the ``limits`` notation, such as ``10/hour`` or ``5 per minute``."""
    from limits import parse

    text = str(value).strip()
    try:
        parse(text)
    except ValueError:
        raise ValueError("expected a rate such as 10/hour") from None
    return text


def aslist(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return list(value)
    return _aslist(value or "")


def choice(*options: str) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = str(value).strip()
        if text not in options:
            raise ValueError("expected one of " + ", ".join(options))
        return text

    convert.__name__ = "choice"
    return convert


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@implementer(IPlugin)
@dataclass
class Plugin:
    """A plugin declaration; see the module docstring."""

    name: str
    title: Any
    description: Any
    version: str
    includeme: Any
    package: str | None = None
    requires: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    settings: dict[str, Setting] = field(default_factory=dict)
    models: str | None = None
    migrations: str | None = None
    templates: str | None = None
    static: str | None = None
    translations: str | None = None

    def __post_init__(self) -> None:
        self.requires = tuple(self.requires)
        self.optional = tuple(self.optional)
        if isinstance(self.includeme, str):
            self.includeme = DottedNameResolver().maybe_resolve(self.includeme)
        if self.package:
            root = _package_dir(self.package)
            conventional = {
                "migrations": "migrations",
                "templates": "templates",
                "static": "static",
                "translations": "locale",
            }
            for attribute, folder in conventional.items():
                if getattr(self, attribute) is None and root and (root / folder).is_dir():
                    setattr(self, attribute, f"{self.package}:{folder}")
            if self.models is None and root and (root / "models.py").is_file():
                self.models = f"{self.package}.models"

    def import_models(self) -> None:
        if self.models:
            importlib.import_module(self.models)
