"""The configurator the site is built with: it knows which plugin is speaking.

Pyramid's ``Configurator`` does the work; this one adds what a plugin's author needs to hear
when two plugins disagree:

- a directive added by a plugin (``config.add_directive`` in its ``includeme``) may be called
  only by that plugin and by those that list it in ``requires`` or ``optional``; any other
  call, or a call to a directive that no enabled plugin provides, stops start-up with one
  sentence naming the plugin, the directive and the fix;
- a conflict between registrations names the plugins on both sides and what clashed, where
  and how to settle it (``commit`` raises ``StartupError`` instead of Pyramid's report of
  "Line 0 of file None").
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationConflictError

from core.errors import StartupError

CORE = "core"
DIRECTIVE_OWNERS = "cortege.directive_owners"
PLUGIN_PACKAGES = "cortege.plugin_packages"
INCLUDING = "cortege.including"


class DirectiveError(StartupError, AttributeError):
    """A plugin called a directive it did not declare it depends on.

    It is an ``AttributeError`` too, so ``getattr(config, name, None)`` still answers None.
    """


def plugin_of(config) -> str:
    """The plugin whose ``includeme`` is running (outside of one: from the config's package)."""
    including = config.registry.get(INCLUDING)
    if including:
        return including
    packages = config.registry.get(PLUGIN_PACKAGES, {})
    package = getattr(config.package, "__name__", "") or ""
    best = CORE
    best_length = -1
    for prefix, name in packages.items():
        if (package == prefix or package.startswith(prefix + ".")) and len(prefix) > best_length:
            best, best_length = name, len(prefix)
    return best


def _declared(registry, name: str) -> tuple[str, ...]:
    for plugin in registry.get("cortege.plugins", ()):
        if plugin.name == name:
            return (*plugin.requires, *plugin.optional)
    return ()


class PluginConfigurator(Configurator):
    """A ``Configurator`` that checks each plugin uses only the directives it may."""

    def add_directive(self, name, directive, action_wrap=True):
        super().add_directive(name, directive, action_wrap)
        self.registry.setdefault(DIRECTIVE_OWNERS, {})[name] = plugin_of(self)

    def __getattr__(self, name):
        if name in getattr(self.registry, "_directives", {}):
            self._check_directive(name)
            return super().__getattr__(name)
        try:
            return super().__getattr__(name)
        except AttributeError:
            caller = plugin_of(self) if not name.startswith("_") else CORE
            if caller == CORE:
                raise
            raise DirectiveError(
                f'The plugin "{caller}" calls config.{name}, which no plugin it lists in '
                f"requires or optional provides ({_listing(self.registry, caller)}): add the "
                "plugin that provides it to requires, or to optional and call it only when "
                "plugin_enabled(config.registry, NAME) says that plugin is on."
            ) from None

    def _check_directive(self, name: str) -> None:
        owner = self.registry.get(DIRECTIVE_OWNERS, {}).get(name, CORE)
        caller = plugin_of(self)
        if CORE in (owner, caller) or owner == caller or owner in _declared(self.registry, caller):
            return
        raise DirectiveError(
            f'The plugin "{caller}" calls config.{name}, a directive of the plugin "{owner}", '
            f"which it does not list in requires or optional ({_listing(self.registry, caller)})"
            f': add "{owner}" to its requires, so that it is enabled and set up first.'
        )

    def include_plugin(self, plugin) -> None:
        """Run ``plugin``'s ``includeme``: what it registers, and what it includes, is its."""
        self.registry[INCLUDING] = plugin.name
        try:
            self.include(plugin.includeme)
        finally:
            self.registry[INCLUDING] = None

    def commit(self):
        try:
            super().commit()
        except ConfigurationConflictError as exc:
            raise StartupError(conflict_sentence(self.registry, exc)) from None


def _listing(registry, name: str) -> str:
    for plugin in registry.get("cortege.plugins", ()):
        if plugin.name == name:
            requires = ", ".join(plugin.requires) or "nothing"
            optional = ", ".join(plugin.optional) or "nothing"
            return f"it requires {requires} and has optional {optional}"
    return "it declares no plugins"


class RegistrationInfo:
    """Where a registration was made: the plugin, and the line of its ``includeme``."""

    def __init__(self, plugin: str, file: str | None, line: int):
        self.plugin = plugin
        self.file = file
        self.line = line

    def __str__(self) -> str:
        return f'plugin "{self.plugin}" at {self.file} line {self.line}'

    def __bool__(self) -> bool:
        return True


def registration_info(config) -> RegistrationInfo:
    """The plugin of ``config`` and the first line outside the directives that called us."""
    directives = getattr(config.registry, "_directives", {})
    codes = {getattr(c, "__code__", None) for c, _wrap in directives.values()}
    here = {__file__, str(Path(__file__).with_name("extensions.py"))}
    frame = sys._getframe(1)
    while frame is not None and (frame.f_code in codes or frame.f_code.co_filename in here):
        frame = frame.f_back
    if frame is None:
        return RegistrationInfo(plugin_of(config), None, 0)
    return RegistrationInfo(plugin_of(config), frame.f_code.co_filename, frame.f_lineno)


def _plugin_of_file(registry, path: str | None) -> str | None:
    if not path:
        return None
    best, best_length = None, -1
    for package, name in registry.get(PLUGIN_PACKAGES, {}).items():
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            continue
        if spec is None:
            continue
        folders = list(spec.submodule_search_locations or [])
        if spec.origin and not folders:
            folders = [spec.origin]
        for folder in folders:
            if (path == folder or path.startswith(folder.rstrip("/") + "/")) and len(folder) > best_length:
                best, best_length = name, len(folder)
    return best


def _who(registry, info) -> str:
    plugin = getattr(info, "plugin", None) or _plugin_of_file(registry, getattr(info, "file", None))
    where = f"{getattr(info, 'file', None)} line {getattr(info, 'line', 0)}"
    return f'"{plugin or CORE}" ({where})'


def _what(discriminator) -> str:
    if isinstance(discriminator, tuple) and discriminator[:1] == ("cortege",):
        _cortege, category, key = discriminator
        return f"{category.removeprefix('cortege ')} {key!r}"
    return repr(discriminator)


def conflict_sentence(registry, error: ConfigurationConflictError) -> str:
    """One sentence for Pyramid's conflict report: which plugins, what, where, what to do."""
    conflicts = list(error._conflicts.items())
    discriminator, infos = conflicts[0]
    who = [_who(registry, info) for info in infos]
    more = f" (and {len(conflicts) - 1} other clashes)" if len(conflicts) > 1 else ""
    return (
        f"Two registrations clash on {_what(discriminator)}{more}: {' and '.join(who)}; "
        "disable one of these plugins in cortege.plugins, or have one of them choose another "
        "name."
    )
