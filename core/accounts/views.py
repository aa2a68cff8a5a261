"""Logging in and out."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.security import remember, forget
from pyramid.view import view_config

from core.accounts.forms import LoginForm
from core.accounts.interfaces import IAccountService
from core.db import utcnow
from core.i18n import _
from core.security import PUBLIC


def safe_next(request, default: str = "/") -> str:
    """A local path to go back to after logging in; never another site."""
    target = request.params.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


@view_config(route_name="login", renderer="accounts/login.jinja2", permission=PUBLIC)
def login(request):
    form = LoginForm(request)
    error = None
    if request.method == "POST" and form.validate():
        verdict = request.ratelimiter.hit("10/minute", "login", request.client_addr or "")
        if not verdict.allowed:
            error = request.localizer.translate(_(
                "Too many attempts. Try again in ${seconds} seconds.",
                mapping={"seconds": verdict.retry_after},
            ))
        else:
            accounts = request.find_service(IAccountService)
            user = accounts.authenticate(form.login.data, form.password.data)
            if user is not None and user.can_log_in:
                user.last_login_at = utcnow()
                headers = remember(request, user.id, user=user)
                return HTTPSeeOther(safe_next(request), headers=headers)
            if user is not None and user.status == "unconfirmed":
                error = _("Confirm your email first: follow the link we sent you.")
            elif user is not None and user.status == "awaiting_approval":
                error = _("An administrator has not approved your account yet.")
            else:
                error = _("That email or username and password do not match.")
            error = request.localizer.translate(error)
    return {"form": form, "error": error, "next": safe_next(request, "")}


@view_config(route_name="logout", request_method="POST", permission=PUBLIC)
def logout(request):
    headers = forget(request)
    return HTTPSeeOther(request.route_url("home"), headers=headers)


def export_account(request, user) -> dict:
    return {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "status": user.status,
        "locale": user.locale,
        "timezone": user.timezone,
        "created_at": user.created_at.isoformat(),
        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
    }


def erase_account(request, user) -> None:
    """Keep the row (and its username, so nobody can take it over) but nothing personal."""
    user.email = f"deleted-{user.id}@invalid"
    user.email_key = user.email
    user.display_name = ""
    user.password_hash = None
    user.locale = None
    user.timezone = None
    user.status = "deleted"
