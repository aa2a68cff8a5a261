"""Cortège: the core of the application and its WSGI factory."""

from __future__ import annotations

from core.configurator import PluginConfigurator
from core.loader import enabled_names, load_plugins, load_theme, validate_plugin_settings
from core.settings import coerce_core_settings


def make_config(settings: dict, engine=None) -> PluginConfigurator:
    """Settle the settings, build the core, then add the plugins and the theme."""
    settings = coerce_core_settings(dict(settings))
    plugins = load_plugins(enabled_names(settings))
    validate_plugin_settings(plugins, settings)
    theme = load_theme(settings["cortege.theme"])

    config = PluginConfigurator(settings=settings)
    config.registry["cortege.plugins"] = plugins
    if engine is not None:  # tests share one engine between apps
        config.registry["cortege.engine"] = engine
    config.registry["cortege.theme"] = theme
    config.registry["cortege.plugin_packages"] = {
        (plugin.package or plugin.includeme.__module__): plugin.name for plugin in plugins
    }
    config.include("core.extensions")  # the directives everything else uses
    config.include("core.db")  # request.dbsession, pyramid_tm, pyramid_retry
    config.include("core.input")  # bad paths, queries and bodies refused before any view
    config.include("core.security")  # policy, sessions, CSRF, security headers
    config.include("core.i18n")  # locale negotiation, catalogues, Babel formatting
    config.include("core.rendering")  # Jinja2, static files, cache busting, menus
    config.include("core.regions")  # named places on pages where plugins add boxes
    config.include("core.jobs")  # durable jobs after commit, run by Huey's workers
    config.include("core.events")  # domain events: the outbox and its subscribers
    config.include("core.content")  # the content contract: kinds of content, who sees them
    config.include("core.mentions")  # @username in members' text, as domain events
    config.include("core.mail")
    config.include("core.ratelimit")
    config.include("core.accounts")
    config.include("core.seeding")
    config.include("core.views")
    config.include("core.devpages")  # the style guide and the mail viewer, in development
    config.include("core.admin")
    config.commit()  # plugins may now override what the core registered

    for plugin in plugins:
        config.include_plugin(plugin)
        config.include(_plugin_assets(plugin))
    config.commit()

    from core.jobs import register_huey_tasks

    register_huey_tasks(config)  # once every plugin has added its tasks

    config.include("core.themes")  # last, so that the theme overrides templates
    return config


def _plugin_assets(plugin):
    def include(config):
        from core.i18n import add_translation_domain
        from core.rendering import add_static_folder, add_template_folder

        if plugin.templates:
            add_template_folder(config, plugin.templates)
        if plugin.static:
            add_static_folder(config, plugin.name, plugin.static)
        if plugin.translations:
            add_translation_domain(config, plugin.name, plugin.translations)

    # Pyramid includes a callable once per "module:name": one name per plugin, or only the
    # first plugin would get its templates, static files and translations.
    include.__name__ = include.__qualname__ = f"include_{plugin.name}_assets"
    return include


def main(global_config, **settings):
    """The WSGI application, as named by ``use = egg:cortege`` in the ini.

    It refuses to start on a database that lacks migrations of the core or of an enabled
    plugin, and names the command that brings it up to date.
    """
    from core.migrate import check_migrated

    config = make_config(settings)
    registry = config.registry
    check_migrated(registry["cortege.engine"], registry["cortege.plugins"],
                   global_config.get("__file__"))
    return config.make_wsgi_app()
