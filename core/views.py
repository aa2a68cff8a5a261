"""The core's own pages: home, language choice, privacy page, errors."""

from __future__ import annotations

import logging
import uuid

from pyramid.exceptions import BadCSRFToken
from pyramid.httpexceptions import HTTPBadRequest, HTTPClientError, HTTPSeeOther
from pyramid.renderers import render
from pyramid.response import FileResponse, Response
from pyramid.view import (
    exception_view_config,
    forbidden_view_config,
    notfound_view_config,
    view_config,
)
from sqlalchemy.exc import SQLAlchemyError

from core.errors import ActionError
from core.extensions import DASHBOARD_WIDGETS, registered
from core.i18n import LANGUAGE_NAMES, LOCALE_COOKIE, _
from core.security import PUBLIC, add_security_headers

log = logging.getLogger(__name__)


@view_config(route_name="home", renderer="core/home.jinja2", permission=PUBLIC)
def home(request):
    """Strangers see the landing page; members see their dashboard's widgets."""
    widgets = []
    if request.user is not None:
        for widget in registered(request.registry, DASHBOARD_WIDGETS):
            if widget.permission and not request.has_permission(widget.permission):
                continue
            widgets.append((widget, widget.view(request)))
        return {"widgets": widgets, "members": None}
    from sqlalchemy import func, select

    from core.accounts.models import User

    members = request.dbsession.scalar(
        select(func.count()).select_from(User).where(User.status == "active"))
    return {"widgets": widgets, "members": members}


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
@exception_view_config(BadCSRFToken, renderer="core/error.jinja2")
def bad_csrf_token(request):
    """A stale or forged form: nothing was done; say so in the site's own page."""
    request.response.status_int = 400
    return {"status": 400, "reason": "csrf"}


@exception_view_config(HTTPClientError, renderer="core/error.jinja2")
def client_error(exc, request):
    """Any other 4xx (bad input, a body too large...) in the site's own page."""
    request.response.status_int = exc.status_int
    for header in ("Allow", "Retry-After"):
        if header in exc.headers:
            request.response.headers[header] = exc.headers[header]
    return {"status": exc.status_int}


@exception_view_config(Exception)
def server_error(exc, request):
    """An unexpected error: a page that says so with a reference, and the traceback in the log
    under the same reference. Nothing here reads the database, which may be what failed."""
    from pyramid_retry import is_error_retryable

    reference = uuid.uuid4().hex[:12]
    if not is_error_retryable(request, exc):  # a retried attempt is not an error yet
        log.error("Unexpected error, reference %s, answering %s %s", reference,
                  request.method, request.path, exc_info=request.exc_info or True)
    response = Response(status=500, content_type="text/html", charset="utf-8")
    response.cache_control.no_store = True
    try:
        _settle_locale_without_database(request)
        site_name = request.registry.settings["cortege.site_name"]
        response.text = render("core/server_error.jinja2",
                               {"reference": reference, "site_name": site_name}, request=request)
    except Exception:  # the page itself failed: plain words, still with the reference
        log.exception("The error page failed too, reference %s", reference)
        response.text = (f"<!doctype html><title>Error</title><h1>Something went wrong</h1>"
                         f"<p>Reference: {reference}</p>")
    return add_security_headers(request, response)


def _settle_locale_without_database(request) -> None:
    """Choose the page's language from the member if already read, then the cookie, the
    browser and the default, never asking the database."""
    if "locale_name" in request.__dict__:
        return
    from core.i18n import negotiate_locale

    member = request.__dict__.get("user")
    locale = None
    if member is not None:
        try:
            locale = member.locale if member.locale in request.registry.settings[
                "cortege.locales"] else None
        except SQLAlchemyError:  # the member's row cannot be read any more
            locale = None
    request.__dict__["user"] = None  # the member is not looked up now
    request.__dict__["locale_name"] = locale or negotiate_locale(request)
    request.__dict__["user"] = member


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
    config.add_region("core.home.figures", _("Home page, for visitors: the site's figures"))
    config.add_region("core.dashboard", _("Dashboard, below the widgets"))
    config.add_region("core.header", _("Site header, between the main menu and the account menu"))
    config.scan("core.views")
