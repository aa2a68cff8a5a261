"""Pages of one's own account: logging in and out, registering, links sent by email, settings."""

from __future__ import annotations

import datetime as dt
import json

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.security import forget, remember
from pyramid.view import view_config

from core.accounts import forms
from core.accounts.interfaces import AccountError, IAccountService, InvalidToken, RegistrationClosed
from core.accounts.sessions import describe_device
from core.db import utcnow
from core.extensions import REGISTRATION_EXTENSIONS, registered
from core.i18n import _, french_register
from core.mail import language
from core.security import ACCOUNT, PUBLIC

# The time of the last login is kept to this precision, so that a login writes nothing most
# of the time (each write on SQLite waits for the one write lock).
LAST_LOGIN_PRECISION = dt.timedelta(hours=1)


def safe_next(request, default: str = "/") -> str:
    """A local path to go back to after logging in; never another site."""
    target = request.params.get("next", "")
    # Browsers drop whitespace and control characters: "/\t/evil.example" leads elsewhere.
    if any(char.isspace() or not char.isprintable() for char in target):
        return default
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _too_many(request, rule: str, *keys: str) -> str | None:
    """A sentence saying when to try again, or None when the attempt may go on."""
    verdict = request.ratelimiter.hit(rule, *keys)
    if verdict.allowed:
        return None
    return request.localizer.translate(_(
        "Too many attempts. Try again in ${seconds} seconds.",
        mapping={"seconds": verdict.retry_after},
    ))


def _accounts(request) -> IAccountService:
    return request.find_service(IAccountService)


def _flash(request, message) -> None:
    request.session.flash(request.localizer.translate(message))


@view_config(route_name="login", renderer="accounts/login.jinja2", permission=PUBLIC)
def login(request):
    form = forms.LoginForm(request)
    error = None
    if request.method == "POST" and form.validate():
        error = _too_many(request, "10/minute", "login", request.client_addr or "")
        if error is None:
            user = _accounts(request).authenticate(form.login.data, form.password.data)
            if user is not None and user.can_log_in:
                now = utcnow()
                if user.last_login_at is None or now - user.last_login_at >= \
                        LAST_LOGIN_PRECISION:
                    user.last_login_at = now
                headers = remember(request, user.id, user=user)
                return HTTPSeeOther(safe_next(request), headers=headers)
            if user is not None and user.status == "unconfirmed":
                error = _("Confirm your email first: follow the link we sent you.")
            elif user is not None and user.status == "awaiting_approval":
                error = _("An administrator has not approved your account yet.")
            elif user is not None and user.status == "suspended":
                error = _("This account is suspended. Write to the site's administrators to know more.")
            else:
                error = _("That email or username and password do not match.")
            error = request.localizer.translate(error)
    return {"form": form, "error": error, "next": safe_next(request, "")}


@view_config(route_name="logout", request_method="POST", permission=PUBLIC)
def logout(request):
    headers = forget(request)
    return HTTPSeeOther(request.route_url("home"), headers=headers)


# Registration --------------------------------------------------------------------------------

def _extension_fields(request) -> list[tuple[object, dict]]:
    return [(ext, ext.fields(request)) for ext in
            registered(request.registry, REGISTRATION_EXTENSIONS)]


def register_form(request):
    """The registration form, with the fields plugins add."""
    extensions = _extension_fields(request)
    attrs = {f"{ext.name}_{name}": field for ext, fields in extensions for name, field in fields.items()}
    form_class = type("RegistrationForm", (forms.RegisterForm,), attrs) if attrs else forms.RegisterForm
    form = form_class(request)
    if request.method == "GET":
        form.invitation.data = request.GET.get("invitation", "")
    form.extensions = [(ext, [form[f"{ext.name}_{name}"] for name in fields]) for ext, fields in extensions]
    return form


def _error_field(form, name: str) -> str:
    """The form field a refusal belongs to (a plugin's fields carry its prefix)."""
    if name in form:
        return name
    for ext, fields in form.extensions:
        if f"{ext.name}_{name}" in form:
            return f"{ext.name}_{name}"
    return "email"


@view_config(route_name="register", renderer="accounts/register.jinja2", permission=PUBLIC)
def register(request):
    mode = request.site_settings.registration
    invitation = request.params.get("invitation", "")
    accounts = _accounts(request)
    if mode == "closed" or (mode == "invitation" and accounts.find_token("invite", invitation) is None):
        request.response.status_int = 403 if mode == "closed" else 200
        return {"form": None, "mode": mode, "error": None}
    form = register_form(request)
    error = None
    if request.method == "POST" and form.validate():
        error = _too_many(request, "10/hour", "register", request.client_addr or "")
        if error is None:
            savepoint = request.dbsession.begin_nested()
            try:
                user = accounts.register(
                    form.email.data, form.username.data, form.display_name.data,
                    form.password.data, locale=request.locale_name, invitation=form.invitation.data,
                )
                if user is not None:
                    for ext, fields in form.extensions:
                        prefix = f"{ext.name}_"
                        ext.save(request, user, {f.name.removeprefix(prefix): f.data for f in fields})
                savepoint.commit()
            except AccountError as exc:
                savepoint.rollback()
                form.add_error(_error_field(form, exc.field), exc.message)
            except (InvalidToken, RegistrationClosed):
                savepoint.rollback()
                error = request.localizer.translate(_("This invitation link has expired or was already used."))
            else:
                if user is not None and user.status == "active":  # an invited address
                    headers = remember(request, user.id, user=user)
                    _flash(request, _("Welcome! Your account is ready."))
                    return HTTPSeeOther(request.route_url("home"), headers=headers)
                return HTTPSeeOther(request.route_url("register_sent"))
    return {"form": form, "mode": mode, "error": error}


@view_config(route_name="register_sent", renderer="accounts/message.jinja2", permission=PUBLIC)
def register_sent(request):
    return {
        "title": _("Check your email"),
        "message": _("We sent a message to the address you gave. Follow its link within three "
                     "days to confirm your address and finish registering."),
    }


def _token_page(request, purpose: str):
    """GET shows a button (mail scanners follow links; only a person presses buttons)."""
    token = request.matchdict["token"]
    if _accounts(request).find_token(purpose, token) is None:
        request.response.status_int = 404
        return None
    return token


@view_config(route_name="confirm_email", renderer="accounts/confirm.jinja2", permission=PUBLIC)
def confirm_email(request):
    token = _token_page(request, "confirm")
    if token and request.method == "POST":
        user = _accounts(request).confirm_email(token)
        if user.status == "awaiting_approval":
            _flash(request, _("Your address is confirmed. An administrator will now look at your "
                              "registration; you will get an email once it is approved."))
            return HTTPSeeOther(request.route_url("home"))
        headers = remember(request, user.id, user=user)  # a fresh session: flash after it
        _flash(request, _("Your address is confirmed. Welcome!"))
        return HTTPSeeOther(request.route_url("home"), headers=headers)
    return {"token": token, "title": _("Confirm your email address"),
            "button": _("Confirm my address")}


# Forgotten password --------------------------------------------------------------------------

@view_config(route_name="password_forgot", renderer="accounts/forgot.jinja2", permission=PUBLIC)
def password_forgot(request):
    form = forms.ForgotPasswordForm(request)
    error = None
    if request.method == "POST" and form.validate():
        email = form.email.data.strip().casefold()
        error = (_too_many(request, "5/hour", "reset", request.client_addr or "")
                 or _too_many(request, "3/hour", "reset-address", email))
        if error is None:
            _accounts(request).request_password_reset(email)
            return HTTPSeeOther(request.route_url("password_sent"))
    return {"form": form, "error": error}


@view_config(route_name="password_sent", renderer="accounts/message.jinja2", permission=PUBLIC)
def password_sent(request):
    return {
        "title": _("Check your email"),
        "message": _("If an account uses this address, we sent it a link to choose a new "
                     "password. The link works once, for two hours."),
    }


@view_config(route_name="password_reset", renderer="accounts/reset.jinja2", permission=PUBLIC)
def password_reset(request):
    token = _token_page(request, "reset")
    form = forms.ResetPasswordForm(request)
    if token and request.method == "POST" and form.validate():
        try:
            _accounts(request).reset_password(token, form.password.data)
        except AccountError as exc:
            form.add_error("password", exc.message)
        else:
            forget(request)
            _flash(request, _("Your password is changed. Log in with it."))
            return HTTPSeeOther(request.route_url("login"))
    return {"token": token, "form": form}


@view_config(route_name="confirm_email_change", renderer="accounts/confirm.jinja2", permission=PUBLIC)
def confirm_email_change(request):
    token = _token_page(request, "email")
    if token and request.method == "POST":
        try:
            _accounts(request).confirm_email_change(token)
        except InvalidToken:
            request.response.status_int = 404
            return {"token": None, "title": _("Confirm your new email address"), "button": ""}
        _flash(request, _("Your new email address is confirmed."))
        return HTTPSeeOther(request.route_url("account"))
    return {"token": token, "title": _("Confirm your new email address"),
            "button": _("Confirm my new address")}


# One's own account ---------------------------------------------------------------------------

def _account_page(request, **forms_given):
    user = request.user
    accounts = _accounts(request)
    values = {
        "preferences": forms.PreferencesForm(
            request, data={"display_name": user.display_name,
                           "locale": user.locale or request.locale_name,
                           "french_register": user.french_register or "",
                           "timezone": user.timezone or request.registry.settings["cortege.default_timezone"]}),
        "password_form": forms.PasswordForm(request),
        "email_form": forms.EmailForm(request),
        "delete_form": forms.DeleteAccountForm(request),
        "invite_form": forms.InviteForm(request),
        "can_invite": accounts.can_invite(user),
        "sessions": _open_sessions(request),
        "invitations": [],
        "section": None,
        "now": utcnow(),
    }
    values.update(forms_given)
    if values["can_invite"]:
        values["invitations"] = accounts.invitations_by(user)
    return values


@view_config(route_name="account", renderer="accounts/account.jinja2", permission=ACCOUNT)
def account(request):
    return _account_page(request)


def _post_view(route_name):
    return view_config(route_name=route_name, request_method="POST",
                       renderer="accounts/account.jinja2", permission=ACCOUNT)


@_post_view("account_preferences")
def account_preferences(request):
    form = forms.PreferencesForm(request)
    if form.validate():
        try:
            _accounts(request).update_preferences(
                request.user, form.display_name.data, form.locale.data, form.timezone.data,
                form.french_register.data if form.french_register is not None else None)
        except AccountError as exc:
            form.add_error(exc.field, exc.message)
        else:
            response = HTTPSeeOther(request.route_url("account"))
            response.set_cookie("cortege_locale", form.locale.data, max_age=365 * 24 * 3600,
                                httponly=True, samesite="Lax",
                                secure=request.registry.settings["cortege.secure_cookies"])
            with language(request, form.locale.data,  # said in the language just chosen
                          french_register(request, request.user)):
                _flash(request, _("Your preferences are saved."))
            return response
    return _account_page(request, preferences=form, section="preferences")


def _attempt(request, form, rule: str, error_field: str, action):
    """Validate ``form``, count the attempt, run ``action()``; a refusal lands on the form.

    Returns ``action``'s response, or None when the page must show the form again.
    """
    if not form.validate():
        return None
    error = _too_many(request, rule, request.matched_route.name, str(request.user.id))
    if error:
        form.add_error(error_field, error)
        return None
    try:
        return action()
    except AccountError as exc:
        form.add_error(exc.field, exc.message)
        return None


@_post_view("account_password")
def account_password(request):
    form = forms.PasswordForm(request)

    def change():
        _accounts(request).change_password(
            request.user, form.current_password.data, form.new_password.data)
        # Every session ended with the change; this browser carries on in a new one.
        headers = remember(request, request.user.id, user=request.user)
        _flash(request, _("Your password is changed. Your other sessions were logged out."))
        return HTTPSeeOther(request.route_url("account"), headers=headers)

    return (_attempt(request, form, "10/hour", "current_password", change)
            or _account_page(request, password_form=form, section="password"))


@_post_view("account_email")
def account_email(request):
    form = forms.EmailForm(request)

    def change():
        _accounts(request).request_email_change(request.user, form.password.data, form.email.data)
        _flash(request, _("We sent a link to your new address. Your address changes once "
                          "you follow it."))
        return HTTPSeeOther(request.route_url("account"))

    return (_attempt(request, form, "5/hour", "email", change)
            or _account_page(request, email_form=form, section="email"))


def _open_sessions(request) -> list[dict]:
    current = request.login_session.key
    return [{"session": session, "device": describe_device(request, session.user_agent),
             "current": session.key == current}
            for session in _accounts(request).sessions(request.user)]


@_post_view("account_sessions")
def account_sessions(request):
    _accounts(request).end_sessions(request.user, keep=request.login_session.key)
    _flash(request, _("Your other sessions were logged out."))
    return HTTPSeeOther(request.route_url("account"))


@_post_view("account_session_end")
def account_session_end(request):
    """End one session from the list (this one too: that is logging out)."""
    key = request.POST.get("key", "")[:64]
    if key == request.login_session.key:
        return HTTPSeeOther(request.route_url("home"), headers=forget(request))
    _accounts(request).end_session(request.user, key)
    _flash(request, _("That session is logged out."))
    return HTTPSeeOther(request.route_url("account", _anchor="sessions"))


@view_config(route_name="account_export", permission=ACCOUNT)
def account_export(request):
    data = _accounts(request).export_data(request.user)
    response = Response(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json", charset="utf-8",
    )
    response.content_disposition = f'attachment; filename="{request.user.username}-data.json"'
    response.cache_control.no_store = True
    return response


@_post_view("account_delete")
def account_delete(request):
    form = forms.DeleteAccountForm(request)
    if form.validate():
        from core.accounts.passwords import verify_password

        if not verify_password(request.user.password_hash, form.password.data):
            form.add_error("password", _("Your current password is not right."))
        else:
            _accounts(request).delete_account(request.user, actor=request.user)
            headers = forget(request)
            _flash(request, _("Your account is deleted. Thank you for having been part of it."))
            return HTTPSeeOther(request.route_url("home"), headers=headers)
    return _account_page(request, delete_form=form, section="delete")


@_post_view("account_invite")
def account_invite(request):
    accounts = _accounts(request)
    if not accounts.can_invite(request.user):
        raise HTTPNotFound()
    form = forms.InviteForm(request)

    def send():
        accounts.invite(request.user, form.email.data)
        _flash(request, _("Your invitation is sent."))
        return HTTPSeeOther(request.route_url("account"))

    return (_attempt(request, form, "20/day", "email", send)
            or _account_page(request, invite_form=form, section="invite"))


# Personal data of the account itself ---------------------------------------------------------

def export_account(request, user) -> dict:
    return {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "status": user.status,
        "locale": user.locale,
        "french_register": user.french_register,
        "timezone": user.timezone,
        "created_at": user.created_at.isoformat(),
        "email_confirmed_at": user.email_confirmed_at.isoformat() if user.email_confirmed_at else None,
        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
        "sessions": [{"created_at": session.created_at.isoformat(),
                      "last_seen_at": session.last_seen_at.isoformat(),
                      "browser": session.user_agent}
                     for session in _accounts(request).sessions(user)],
    }


def erase_account(request, user) -> None:
    """Keep the row (and its username, so nobody can take it over) but nothing personal."""
    user.email = f"deleted-{user.id}@invalid"
    user.email_key = user.email
    user.display_name = ""
    user.password_hash = None
    user.locale = None
    user.french_register = None
    user.timezone = None
    user.last_login_at = None
    user.status = "deleted"
