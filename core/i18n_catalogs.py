"""Building translation catalogues: extract, update, fill English, compile, check.

Used by ``cortege i18n`` and by the test that keeps the catalogues complete and fresh.

A language may have variant catalogues beside its own: French has ``fr@tu``, the tutoiement
of the ``fr`` catalogue (which says "vous"; see ``core.i18n``). A variant holds every message
of its language, kept in step by ``update`` once it exists (``update`` creates it when it is
named in ``locales``); ``problems`` then reports each message translated in one and not in
the other, quoting the other register's text for the translator. A domain without a variant
(a third party's plugin that ships ``fr`` only) is read in ``vous``.
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

VARIANTS = {"fr": ("fr@tu",)}
VARIANT_NAMES = {"fr@tu": "tutoiement"}

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


def base_locale(locale: str) -> str | None:
    """``fr`` for ``fr@tu``; None for a language's own catalogue."""
    return next((base for base, variants in VARIANTS.items() if locale in variants), None)


def with_variants(domain: Domain, locales) -> list[str]:
    """``locales`` and, after each, its variants that the domain has."""
    found = []
    for locale in locales:
        if locale not in found:
            found.append(locale)
        for variant in VARIANTS.get(locale, ()):
            if variant not in found and variant not in locales and domain.po(variant).exists():
                found.append(variant)
    return found


def update(domain: Domain, locales) -> None:
    """Extract the template, merge it into each locale (and the variants the domain has), and
    fill English from the source."""
    template = extract(domain)
    if domain.pot.exists():
        template.creation_date = _read(domain.pot).creation_date
    _write(domain.pot, template)
    for locale in with_variants(domain, locales):
        path = domain.po(locale)
        base = base_locale(locale)
        # Catalog.update shares the template's message objects: give each locale its own copy.
        fresh = copy.deepcopy(template)
        if path.exists():
            catalog = _read(path, locale)
            catalog.update(fresh, no_fuzzy_matching=True)
            catalog.obsolete.clear()
        elif base is not None and domain.po(base).exists():
            # A new variant starts from its language's header (plural forms), untranslated.
            catalog = _read(domain.po(base), locale)
            for message in catalog:
                if message.id:
                    message.string = ("",) * len(message.string) \
                        if isinstance(message.string, (list, tuple)) else ""
            catalog.locale = locale
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
    for locale in with_variants(domain, locales):
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
    for locale in with_variants(domain, locales):
        path = domain.po(locale)
        if not path.exists():
            found.append(f"{path} is missing; run `cortege i18n update`.")
            continue
        have = _messages(path, locale)
        base = base_locale(locale)
        if base is not None and domain.po(base).exists():
            found += _register_problems(domain.po(base), _messages(domain.po(base), base),
                                        path, have, locale)
        for msgid in sorted(expected - have.keys()):
            found.append(f"{path}: {msgid!r} is not in the catalogue; run `cortege i18n update`.")
        for msgid in sorted(have.keys() - expected):
            found.append(
                f"{path}: {msgid!r} is no longer in the source; run `cortege i18n update`."
            )
        for msgid in sorted(expected & have.keys()):
            message = have[msgid]
            if base is not None and domain.po(base).exists():
                continue  # said above, with the other register's words
            if not _translated(message) or message.fuzzy:
                found.append(f"{path}: {msgid!r} has no {locale} translation.")
    return found


def _messages(path: Path, locale: str) -> dict:
    return {message.id if isinstance(message.id, str) else message.id[0]: message
            for message in _read(path, locale) if message.id}


def _text(message) -> str:
    return message.string if isinstance(message.string, str) else " | ".join(message.string)


def _register_problems(base_path: Path, base: dict, path: Path, have: dict,
                       locale: str) -> list[str]:
    """Messages translated in a language and not in its variant, or the other way round."""
    name = VARIANT_NAMES.get(locale, locale)
    found = []
    for msgid in sorted(base.keys() & have.keys()):
        mine, theirs = have[msgid], base[msgid]
        if _translated(theirs) and not (_translated(mine) and not mine.fuzzy):
            found.append(f"{path}: {msgid!r} has no {locale} translation ({name}); "
                         f"the other register says {_text(theirs)!r}.")
        elif _translated(mine) and not (_translated(theirs) and not theirs.fuzzy):
            found.append(f"{base_path}: {msgid!r} is translated in {locale} ({name}) and not "
                         f"here; {locale} says {_text(mine)!r}.")
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
