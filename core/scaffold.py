"""``cortege scaffold plugin NAME [--directory DIR]``: a new plugin as its own distribution,
ready to install, in the folder ``DIR`` (by default ``NAME`` in the current folder).

Besides a page, a form, a table and its migration, translations, personal data and tests, it
shows a box in a page region of the core (the dashboard) and a domain event with a
subscriber that mails the author.

The files come from ``core/scaffold_template/plugin``: each ``.tmpl`` file is a
``string.Template`` (``${name}``, ``${title}``, ``${cls}``, ``${date}``), and ``+name+`` in a
path becomes the plugin's name. What it writes installs with ``pip install -e``, switches on by
naming it in ``cortege.plugins``, migrates, and passes its own tests.
"""

from __future__ import annotations

import datetime as dt
import keyword
import re
import string
from pathlib import Path

from core.errors import StartupError

TEMPLATES = Path(__file__).parent / "scaffold_template"
NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
LONGEST_NAME = 30


def check_plugin_name(name: str) -> str:
    """``name`` when a new plugin may take it; otherwise StartupError with the reason."""
    import importlib.util

    from core.loader import PLUGIN_GROUP, installed

    if not NAME.match(name) or keyword.iskeyword(name) or len(name) > LONGEST_NAME:
        raise StartupError(
            f'"{name}" cannot name a plugin: use lower-case letters, digits and underscores, '
            f"starting with a letter, at most {LONGEST_NAME} characters (it becomes a Python "
            "package, a table prefix and a URL).")
    if name in installed(PLUGIN_GROUP):
        raise StartupError(f'A plugin named "{name}" is already installed; choose another name.')
    if name in ("core", "plugins", "themes", "tests") or importlib.util.find_spec(name):
        raise StartupError(
            f'"{name}" is already the name of an importable Python module; choose another name.')
    return name


def class_prefix(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_") if part)


def title_of(name: str) -> str:
    return name.replace("_", " ").strip().capitalize()


def scaffold_plugin(name: str, directory: Path | None = None) -> Path:
    """Write the distribution of the plugin ``name`` into ``directory`` (an empty or new
    folder; by default ``name`` in the current folder); return its path."""
    check_plugin_name(name)
    target = Path(directory) if directory is not None else Path(name)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise StartupError(f"{target} already exists; give another --directory or remove it.")
    values = {"name": name, "title": title_of(name), "cls": class_prefix(name),
              "date": dt.date.today().isoformat()}
    source = TEMPLATES / "plugin"
    for path in sorted(source.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        relative = str(path.relative_to(source)).replace("+name+", name)
        destination = target / relative.removesuffix(".tmpl")
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        destination.write_text(string.Template(text).substitute(values), encoding="utf-8")
    return target
