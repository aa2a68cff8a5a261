"""Themes: templates that override others, and stylesheets layered over the default look.

A theme is published under the ``cortege.themes`` entry point and picked with
``cortege.theme``. Template lookup goes: the theme, its parents, then plugins and core.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zope.interface import implementer

from core.interfaces import ITheme
from core.rendering import add_static_folder, add_template_folder


@implementer(ITheme)
@dataclass(frozen=True)
class Theme:
    name: str
    title: Any
    parent: str | None = None
    templates: str | None = None
    static: str | None = None
    stylesheets: tuple[str, ...] = ()


def includeme(config):
    chain = config.registry["cortege.theme"].themes
    for theme in reversed(chain):  # parents first, so that the child ends up in front
        if theme.templates:
            add_template_folder(config, theme.templates, prepend=True)
        if theme.static:
            add_static_folder(config, f"theme/{theme.name}", theme.static)
