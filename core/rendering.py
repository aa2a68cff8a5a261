"""Templates and static files: Jinja2 search path, cache-busted assets, menus."""

from __future__ import annotations

import hashlib
import os

from jinja2 import select_autoescape
from markupsafe import Markup
from pyramid.events import NewResponse
from pyramid.path import AssetResolver
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.static import QueryStringCacheBuster

from core.extensions import NAV_ITEMS, registered
from core.i18n import _

TOKEN_PARAM = "v"


class ContentHashCacheBuster(QueryStringCacheBuster):
    """Adds ``?v=<hash of the file>`` to static URLs: a changed file gets a new URL."""

    def __init__(self, spec: str):
        super().__init__(param=TOKEN_PARAM)
        self.root = AssetResolver().resolve(spec).abspath()
        self.cache: dict[str, tuple[float, str]] = {}

    def tokenize(self, request, subpath, kw):
        path = os.path.join(self.root, subpath)
        try:
            mtime = os.path.getmtime(path)
        except OSError:
            return "0"
        cached = self.cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        with open(path, "rb") as handle:
            token = hashlib.sha256(handle.read()).hexdigest()[:12]
        self.cache[path] = (mtime, token)
        return token


def add_template_folder(config, spec: str, prepend: bool = False) -> None:
    config.add_jinja2_search_path(spec, prepend=prepend)


def add_static_folder(config, name: str, spec: str) -> None:
    """Serve ``spec`` under ``/static/<name>/`` with long caching and content-hash URLs."""
    if not spec.endswith("/"):
        spec += "/"
    # Assets are the same for everyone: served even on a members-only site.
    config.add_static_view(f"static/{name}", spec, cache_max_age=STATIC_MAX_AGE,
                           permission=NO_PERMISSION_REQUIRED)
    config.add_cache_buster(spec, ContentHashCacheBuster(spec))


STATIC_MAX_AGE = 365 * 24 * 3600
UNVERSIONED_MAX_AGE = 3600


def _shorter_cache_for_unversioned(event) -> None:
    """A file asked for without its content token (an image a stylesheet points to, say) may
    change under the same URL: browsers keep it an hour, not a year."""
    request, response = event.request, event.response
    if (request.path.startswith("/static/") and TOKEN_PARAM not in request.GET
            and response.cache_control.max_age == STATIC_MAX_AGE):
        response.cache_control.max_age = UNVERSIONED_MAX_AGE
        response.expires = None


def nav_items(request, menu: str) -> list:
    """The items of ``menu`` that the current person may follow."""
    items = []
    for item in registered(request.registry, NAV_ITEMS):
        if item.menu != menu:
            continue
        if item.permission and not request.has_permission(item.permission):
            continue
        items.append(item)
    return items


def theme_stylesheets(request) -> list[str]:
    urls = []
    for theme in reversed(request.registry["cortege.theme"].themes):
        for path in theme.stylesheets:
            urls.append(request.static_url(f"{theme.static.rstrip('/')}/{path}"))
    return urls


def csrf_input(request) -> Markup:
    from pyramid.csrf import get_csrf_token

    token = get_csrf_token(request)
    return Markup('<input type="hidden" name="csrf_token" value="%s">') % token


ICONS = "core:static/icons"
_icon_cache: dict[str, Markup] = {}


def icon_names() -> list[str]:
    folder = AssetResolver().resolve(ICONS).abspath()
    return sorted(name[:-4] for name in os.listdir(folder) if name.endswith(".svg"))


def icon(name: str, label: str | None = None, class_: str = "") -> Markup:
    """An icon of the shipped set (Lucide, core/static/icons), inline so that it takes the
    text's colour. Decorative unless ``label`` names it for screen readers."""
    svg = _icon_cache.get(name)
    if svg is None:
        if name not in icon_names():
            raise ValueError(f"no icon named {name!r}")
        path = os.path.join(AssetResolver().resolve(ICONS).abspath(), f"{name}.svg")
        with open(path, encoding="utf-8") as handle:
            body = handle.read()
        start = body.index(">", body.index("<svg")) + 1
        inner = "".join(line.strip() for line in body[start:body.rindex("</svg>")].splitlines())
        svg = _icon_cache[name] = Markup(inner)
    classes = "icon icon--" + name + (" " + class_ if class_ else "")
    if label:
        head = Markup('<svg class="%s" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
                      'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
                      'role="img" aria-label="%s">') % (classes, label)
    else:
        head = Markup('<svg class="%s" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
                      'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
                      'aria-hidden="true" focusable="false">') % (classes,)
    return head + svg + Markup("</svg>")


def _finish_environment(config) -> None:
    """Give the Jinja2 environment our gettext and globals, once it exists."""
    from core.i18n import template_gettext, template_ngettext

    env = config.get_jinja2_environment()
    env.install_gettext_callables(template_gettext, template_ngettext, newstyle=True)
    # Plain-text mail templates (``*.txt.jinja2``) are not HTML: no escaping there.
    env.autoescape = select_autoescape(
        enabled_extensions=(), disabled_extensions=("txt.jinja2",), default_for_string=True,
        default=True,
    )
    from core.regions import region_global
    from core.text import plain_text

    env.globals.update(nav_items=nav_items, theme_stylesheets=theme_stylesheets,
                       csrf_input=csrf_input, member_name=member_name, region=region_global,
                       icon=icon, plain_text=plain_text)


def member_name(request, user) -> str:
    """The name to show for ``user``; a deleted account shows as a former member."""
    if user is None or user.status == "deleted":
        return request.localizer.translate(_("former member"))
    return user.display_name


def includeme(config):
    settings = config.get_settings()
    settings.setdefault("jinja2.extensions", "jinja2.ext.i18n")
    settings.setdefault("jinja2.autoescape", "true")
    settings.setdefault("jinja2.trim_blocks", "true")
    settings.setdefault("jinja2.lstrip_blocks", "true")
    settings.setdefault("jinja2.undefined", "strict")
    config.include("pyramid_jinja2")
    add_template_folder(config, "core:templates")
    add_static_folder(config, "core", "core:static")
    config.add_subscriber(_shorter_cache_for_unversioned, NewResponse)
    config.action(None, lambda: _finish_environment(config), order=999)
