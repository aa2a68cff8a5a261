"""Apps with a little more configured than their plugins give: what a test plugin adds (a
tool, a box in a page region), included after them."""

from __future__ import annotations

_APPS: dict = {}


def app_including(settings, engine, *includes):
    """The app of ``settings`` on ``engine`` with ``includes`` (callables taking the
    configurator) included last; built once per settings and includes."""
    from core import make_config
    from core.testing import job_environ

    key = (tuple(sorted((k, str(v)) for k, v in settings.items())), includes)
    if key not in _APPS:
        config = make_config(settings, engine=engine)
        for include in includes:
            config.include(include)
        _APPS[key] = config.make_wsgi_app()
        _APPS[key].registry["cortege.job_environ"] = job_environ
    return _APPS[key]
