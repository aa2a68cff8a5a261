"""Building translation catalogues: extract, update, fill English, compile, check.

Used by ``cortege i18n`` and by the test that keeps the catalogues complete and fresh.
"""

from __future__ import annotations

import copy
import io
import os
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

METHOD_MAP = [("**.py", "python"), ("**.jinja2", "jinja2")]
OPTIONS = {"**.jinja2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pluralize": (1, 2)}


@dataclass(frozen=True)
class Domain:
    name: str
    sources: tuple[Path, ...]  # folders to extract from
    locale_dir: Path

    @property
    def pot(self) -> Path:
        return self.locale_dir / f"{self.name}.pot"

    def po(self, locale: str) -> Path:
        return self.locale_dir / locale / "LC_MESSAGES" / f"{self.name}.po"

    def mo(self, locale: str) -> Path:
        return self.locale_dir / locale / "LC_MESSAGES" / f"{self.name}.mo"


def extract(domain: Domain) -> Catalog:
    catalog = Catalog(project="Cortège", domain=domain.name, charset="utf-8")
    for source in domain.sources:
        for filename, lineno, message, comments, context in extract_from_dir(
            str(source), METHOD_MAP, OPTIONS, KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        ):
            if domain.locale_dir.is_relative_to(source) and "locale" in Path(filename).parts:
                continue
            path = os.path.relpath(os.path.join(source, filename), source.parent)
            catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog


def _write(path: Path, catalog: Catalog) -> None:
    # Sorted, without source locations and with a stable header date: a catalogue changes
    # only where a message changes, so branches that add messages merge cleanly.
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=True, no_location=True)
    path.write_bytes(buffer.getvalue())


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def update(domain: Domain, locales) -> None:
    """Extract the template, merge it into each locale, and fill English from the source."""
    template = extract(domain)
    if domain.pot.exists():
        template.creation_date = _read(domain.pot).creation_date
    _write(domain.pot, template)
    for locale in locales:
        path = domain.po(locale)
        # Catalog.update shares the template's message objects: give each locale its own copy.
        fresh = copy.deepcopy(template)
        if path.exists():
            catalog = _read(path, locale)
            catalog.update(fresh, no_fuzzy_matching=True)
            catalog.obsolete.clear()
        else:
            catalog = Catalog(locale=locale, domain=domain.name, project="Cortège")
            catalog.update(fresh, no_fuzzy_matching=True)
        if locale == "en":
            for message in catalog:
                if message.id and not _translated(message):
                    message.string = message.id if isinstance(message.id, str) else tuple(message.id)
                message.flags.discard("fuzzy")
        _write(path, catalog)


def compile_domain(domain: Domain, locales) -> None:
    for locale in locales:
        path = domain.po(locale)
        if not path.exists():
            continue
        catalog = _read(path, locale)
        with domain.mo(locale).open("wb") as handle:
            write_mo(handle, catalog)


def _translated(message) -> bool:
    if isinstance(message.string, (list, tuple)):
        return all(message.string)
    return bool(message.string)


def problems(domain: Domain, locales) -> list[str]:
    """Sentences saying what is missing or stale; empty when the catalogues are complete."""
    found: list[str] = []
    expected = {message.id if isinstance(message.id, str) else message.id[0]
                for message in extract(domain) if message.id}
    for locale in locales:
        path = domain.po(locale)
        if not path.exists():
            found.append(f"{path} is missing; run `cortege i18n update`.")
            continue
        catalog = _read(path, locale)
        have = {}
        for message in catalog:
            if message.id:
                have[message.id if isinstance(message.id, str) else message.id[0]] = message
        for msgid in sorted(expected - have.keys()):
            found.append(f"{path}: {msgid!r} is not in the catalogue; run `cortege i18n update`.")
        for msgid in sorted(have.keys() - expected):
            found.append(
                f"{path}: {msgid!r} is no longer in the source; run `cortege i18n update`."
            )
        for msgid in sorted(expected & have.keys()):
            message = have[msgid]
            if not _translated(message) or message.fuzzy:
                found.append(f"{path}: {msgid!r} has no {locale} translation.")
    return found


def bundled_domains(root: Path) -> list[Domain]:
    """The core's domain (core and themes) and one per bundled plugin."""
    domains = [Domain("cortege", (root / "core", root / "themes"), root / "core" / "locale")]
    plugins_dir = root / "plugins"
    if plugins_dir.is_dir():
        for child in sorted(plugins_dir.iterdir()):
            if (child / "__init__.py").is_file():
                domains.append(Domain(child.name, (child,), child / "locale"))
    return domains
