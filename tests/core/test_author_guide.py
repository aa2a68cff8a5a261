"""The plugin author guide names only what exists: every dotted name it mentions (in the text
or in an import of its examples) imports, or is the name of a page region or a domain event
that the site with every installed plugin declares."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "plugin-author-guide.md"
ROOTS = r"(?:core|plugins|phonebank|covoiturage|cortege_samples)"
DOTTED = re.compile(rf"(?<![\w./-]){ROOTS}(?:\.[A-Za-z_]\w*)+")
IMPORT = re.compile(rf"^\s*from ({ROOTS}(?:\.\w+)*) import \(?([\w, ]+)", re.MULTILINE)


def mentioned() -> set[str]:
    text = GUIDE.read_text(encoding="utf-8")
    names = set()
    for code in re.findall(r"`([^`\n]+)`", text):
        names.update(DOTTED.findall(code))
    for module, imported in IMPORT.findall(text):
        names.add(module)
        names.update(f"{module}.{name.strip()}" for name in imported.split(",") if name.strip())
    # Dotted names in prose that are files, not modules (``phonebank.po``), are not names.
    return {name for name in names if not name.endswith((".py", ".po", ".pot", ".mo", ".cfg",
                                                         ".toml", ".ini", ".md", ".jinja2"))}


def resolve(name: str):
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            target = getattr(target, attribute)
        return target
    raise ModuleNotFoundError(name)


def test_the_guide_mentions_names():
    assert len(mentioned()) > 40


@pytest.fixture
def cortege_plugins(cortege_plugins):
    return [*cortege_plugins, "phonebank", "covoiturage"]


@pytest.mark.parametrize("name", sorted(mentioned()))
def test_every_name_the_guide_mentions_exists(name, app):
    from core.events import EVENTS
    from core.extensions import registered_map
    from core.regions import REGIONS

    try:
        found = resolve(name)
    except (ModuleNotFoundError, AttributeError):
        declared = {*registered_map(app.registry, REGIONS), *registered_map(app.registry, EVENTS)}
        assert name in declared, f"{name} is neither a Python name nor a region or event"
    else:
        assert found is not None
