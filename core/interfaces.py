"""Contracts between the core, plugins and themes."""

from zope.interface import Attribute, Interface


class IPlugin(Interface):
    """A feature package that a deployer switches on by naming it in ``cortege.plugins``."""

    name = Attribute(
        "Entry point name; also the settings prefix, table prefix, template folder, "
        "static path, translation domain and migration version table."
    )
    title = Attribute("Human name, a translation string.")
    description = Attribute("One sentence saying what the plugin gives people.")
    version = Attribute("The plugin's version string.")
    requires = Attribute("Names of plugins it cannot work without (a tuple).")
    optional = Attribute("Names of plugins it integrates with when they are on (a tuple).")
    settings = Attribute("Mapping of key to core.plugin.Setting (key without the prefix).")
    models = Attribute("Dotted name of the module holding its models, or None.")
    migrations = Attribute("Asset spec of its Alembic versions folder, or None.")
    templates = Attribute("Asset spec of its templates folder, or None.")
    static = Attribute("Asset spec of its static folder, or None.")
    translations = Attribute("Asset spec of its locale folder, or None.")

    def includeme(config):
        """Register everything the plugin adds: the one place where it touches the config."""


class ITheme(Interface):
    """A look for the site: templates that override others, and stylesheets."""

    name = Attribute("Entry point name.")
    title = Attribute("Human name.")
    parent = Attribute("Name of the theme it extends, or None.")
    templates = Attribute("Asset spec of its templates folder, or None.")
    static = Attribute("Asset spec of its static folder, or None.")
    stylesheets = Attribute("Paths inside ``static`` of stylesheets to load after the parent's.")
