"""The core's own pages: home, language choice, privacy page, errors."""

from __future__ import annotations

from pyramid.exceptions import BadCSRFToken
from pyramid.httpexceptions import HTTPBadRequest, HTTPSeeOther
from pyramid.response import FileResponse
from pyramid.view import (
    exception_view_config,
    forbidden_view_config,
    notfound_view_config,
    view_config,
)

from core.errors import ActionError
from core.extensions import registered
from core.i18n import LANGUAGE_NAMES, LOCALE_COOKIE, _
from core.security import PUBLIC


@view_config(route_name="home", renderer="core/home.jinja2", permission=PUBLIC)
def home(request):
    """Strangers see the landing page; members see their dashboard's widgets."""
    widgets = []
    if request.user is not None:
        for widget in registered(request.registry, "cortege dashboard widgets"):
            if widget.permission and not request.has_permission(widget.permission):
                continue
            widgets.append((widget, widget.view(request)))
    return {"widgets": widgets}


@view_config(route_name="language", request_method="POST", permission=PUBLIC)
def choose_language(request):
    locale = request.POST.get("locale", "")
    if locale not in request.registry.settings["cortege.locales"]:
        raise HTTPBadRequest()
    response = HTTPSeeOther(_back(request))
    response.set_cookie(
        LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
        secure=request.registry.settings["cortege.secure_cookies"],
    )
    if request.user is not None:
        request.user.locale = locale
    return response


def _back(request) -> str:
    """The local page the switcher was used on (never another site), or home."""
    from core.accounts.views import safe_next

    return safe_next(request)


@view_config(route_name="privacy", renderer="core/privacy.jinja2", permission=PUBLIC)
def privacy(request):
    from core.text import render_markdown

    return {"privacy_page": render_markdown(request.site_settings.privacy_page)}


@view_config(route_name="favicon", permission=PUBLIC)
def favicon(request):
    from pyramid.path import AssetResolver

    path = AssetResolver().resolve("core:static/favicon.svg").abspath()
    response = FileResponse(path, request=request, content_type="image/svg+xml")
    response.cache_control.max_age = 86400
    return response


@notfound_view_config(renderer="core/error.jinja2", append_slash=HTTPSeeOther)
def not_found(request):
    request.response.status_int = 404
    return {"status": 404}


@exception_view_config(BadCSRFToken, renderer="core/error.jinja2")
def bad_csrf_token(request):
    """A stale or forged form: nothing was done; say so in the site's own page."""
    request.response.status_int = 400
    return {"status": 400}


@forbidden_view_config(renderer="core/error.jinja2")
def forbidden(request):
    if request.user is None and request.method == "GET":
        return HTTPSeeOther(request.route_url("login", _query={"next": request.path_qs}))
    request.response.status_int = 403
    return {"status": 403}


@exception_view_config(ActionError, renderer="core/refused.jinja2")
def action_refused(context, request):
    """A service refused the action: its sentence, in the reader's language, and its status.
    Views that can say it better (next to a form field) catch the error themselves."""
    request.response.status_int = context.status
    return {"status": context.status, "message": context.message}


def languages(request) -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in request.registry.settings["cortege.locales"]]


def includeme(config):
    config.include("core.sitesettings")
    config.add_route("home", "/")
    config.add_route("language", "/language")
    config.add_route("privacy", "/privacy")
    config.add_route("favicon", "/favicon.ico")
    config.add_request_method(languages, "languages", reify=True)
    config.add_region("core.home", _("Home page, for visitors"))
    config.add_region("core.dashboard", _("Dashboard, below the widgets"))
    config.scan("core.views")
