"""Finding, checking and ordering the plugins a deployer enabled."""

from __future__ import annotations

import difflib
import graphlib
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from zope.interface.exceptions import Invalid
from zope.interface.verify import verifyObject

from core.errors import StartupError
from core.interfaces import IPlugin, ITheme
from core.plugin import aslist

PLUGIN_GROUP = "cortege.plugins"
THEME_GROUP = "cortege.themes"


def installed(group: str) -> dict[str, EntryPoint]:
    """Entry points of ``group`` by name, in name order."""
    found = {ep.name: ep for ep in entry_points(group=group)}
    return dict(sorted(found.items()))


def load_entry_point(entry_point: EntryPoint, kind: str, interface) -> Any:
    try:
        obj = entry_point.load()
    except Exception as exc:  # an import error in a third party's package
        raise StartupError(
            f'The {kind} "{entry_point.name}" could not be imported ({exc.__class__.__name__}: '
            f"{exc}); reinstall its package or remove it from the ini."
        ) from exc
    try:
        verifyObject(interface, obj)
    except Invalid as exc:
        raise StartupError(
            f'The {kind} "{entry_point.name}" ({entry_point.value}) does not provide '
            f"{interface.__name__}: {' '.join(str(exc).split())}; its author must fix its "
            "declaration."
        ) from None
    if getattr(obj, "name", None) != entry_point.name:
        raise StartupError(
            f'The {kind} published as "{entry_point.name}" calls itself "{obj.name}"; '
            "its author must use the same name in both places."
        )
    return obj


def _unknown(kind: str, name: str, available: dict[str, EntryPoint], key: str) -> StartupError:
    names = ", ".join(available) or "none"
    hint = difflib.get_close_matches(name, list(available), n=1)
    maybe = f' (did you mean "{hint[0]}"?)' if hint else ""
    return StartupError(
        f'Unknown {kind} "{name}" in {key}{maybe}: the installed {kind}s are {names}; '
        f"install the package that provides it or correct {key}."
    )


def enabled_names(settings: dict) -> list[str]:
    names = aslist(settings.get("cortege.plugins", ""))
    seen: list[str] = []
    for name in names:
        if name in seen:
            raise StartupError(
                f'The plugin "{name}" is named twice in cortege.plugins; name it once.'
            )
        seen.append(name)
    return seen


def load_plugins(names: list[str]) -> list:
    """Load, verify and order the named plugins; raise StartupError on any mistake."""
    available = installed(PLUGIN_GROUP)
    plugins = {}
    for name in names:
        if name not in available:
            raise _unknown("plugin", name, available, "cortege.plugins")
        plugins[name] = load_entry_point(available[name], "plugin", IPlugin)

    for plugin in plugins.values():
        for required in plugin.requires:
            if required not in plugins:
                where = (
                    "it is installed, so add it"
                    if required in available
                    else "install it and add it"
                )
                raise StartupError(
                    f'The plugin "{plugin.name}" requires the plugin "{required}", which is '
                    f"not enabled: {where} to cortege.plugins, or remove \"{plugin.name}\"."
                )

    sorter = graphlib.TopologicalSorter()
    for name in names:  # ini order breaks ties, so the order is stable
        plugin = plugins[name]
        after = [dep for dep in (*plugin.requires, *plugin.optional) if dep in plugins]
        sorter.add(name, *after)
    try:
        order = _stable_static_order(sorter, names)
    except graphlib.CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        raise StartupError(
            f"The plugins depend on each other in a cycle ({cycle}); one of them must drop "
            "its requirement, or disable one of them in cortege.plugins."
        ) from None
    return [plugins[name] for name in order]


def _stable_static_order(sorter: graphlib.TopologicalSorter, names: list[str]) -> list[str]:
    position = {name: index for index, name in enumerate(names)}
    sorter.prepare()
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=position.__getitem__)
        order.extend(ready)
        sorter.done(*ready)
    return order


def validate_plugin_settings(plugins: list, settings: dict) -> None:
    """Convert each enabled plugin's settings in place; reject missing, bad or unknown keys."""
    for plugin in plugins:
        prefix = plugin.name + "."
        declared = plugin.settings
        for key, setting in declared.items():
            full = prefix + key
            if full not in settings or settings[full] in (None, ""):
                if setting.required:
                    help_text = f" ({setting.help})" if setting.help else ""
                    raise StartupError(
                        f'The plugin "{plugin.name}" needs the setting {full}{help_text}; '
                        "add it to the ini."
                    )
                settings[full] = setting.default
                continue
            raw = settings[full]
            try:
                settings[full] = setting.converter(raw)
            except (ValueError, TypeError) as exc:
                raise StartupError(
                    f'The setting {full} = "{raw}" of the plugin "{plugin.name}" is not valid: '
                    f"{exc}; correct it in the ini."
                ) from None
        for full in sorted(settings):
            if full.startswith(prefix) and full[len(prefix):] not in declared:
                hint = difflib.get_close_matches(full[len(prefix):], list(declared), n=1)
                maybe = f' (did you mean "{prefix}{hint[0]}"?)' if hint else ""
                known = ", ".join(prefix + key for key in declared) or "none"
                raise StartupError(
                    f'The plugin "{plugin.name}" has no setting {full}{maybe}; its settings '
                    f"are {known}; correct or remove the line in the ini."
                )


@dataclass(frozen=True)
class ThemeChain:
    """The selected theme followed by its parents."""

    themes: tuple

    @property
    def name(self) -> str:
        return self.themes[0].name


def load_theme(name: str) -> ThemeChain:
    available = installed(THEME_GROUP)
    chain = []
    current = name or "default"
    while current:
        if current not in available:
            if not chain:
                raise _unknown("theme", current, available, "cortege.theme")
            raise StartupError(
                f'The theme "{chain[-1].name}" needs its parent theme "{current}", which is not '
                f"installed: install the package that provides it, or choose another theme in "
                f"cortege.theme (installed: {', '.join(available)})."
            )
        if any(theme.name == current for theme in chain):
            raise StartupError(
                f'The theme "{current}" is its own ancestor; its author must fix its parent.'
            )
        theme = load_entry_point(available[current], "theme", ITheme)
        chain.append(theme)
        current = theme.parent
    return ThemeChain(tuple(chain))
