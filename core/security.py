"""Who is asking, and what they may do: one security policy for the whole site."""

from __future__ import annotations

import secrets

from pyramid.authorization import (
    ALL_PERMISSIONS,
    DENY_ALL,
    ACLHelper,
    Allow,
    Authenticated,
    Everyone,
)
from pyramid.csrf import LegacySessionCSRFStoragePolicy
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.session import SignedCookieSessionFactory

from core.extensions import register_item, registered
from core.i18n import _

ROLES = ("member", "moderator", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}

# Permissions of the core; plugins declare theirs with config.declare_permission.
VIEW = "view"  # see the site's public pages (everyone, or members on a members-only site)
ACCOUNT = "account"  # use one's own account
ADMIN = "admin.access"  # enter the admin area
PUBLIC = NO_PERMISSION_REQUIRED  # login, registration, landing and privacy pages


def role_principals(role: str) -> list[str]:
    """A role holds the roles below it: an admin is also a moderator and a member."""
    rank = ROLE_RANK.get(role, -1)
    return [f"role:{name}" for name in ROLES if ROLE_RANK[name] <= rank]


def add_principal_finder(config, name, finder):
    """``finder(request, user)`` returns extra principals, e.g. ``group:12:admin``."""
    register_item(config, "cortege principal finders", name, config.maybe_dotted(finder))


class SecurityPolicy:
    """Session authentication, ACL authorisation, deny by default."""

    def __init__(self):
        self.acl = ACLHelper()

    def identity(self, request):
        return request.user

    def authenticated_userid(self, request):
        user = request.user
        return None if user is None else user.id

    def effective_principals(self, request) -> list[str]:
        return principals_of(request, request.user)

    def permits(self, request, context, permission):
        return self.acl.permits(context, request.effective_principals, permission)

    def remember(self, request, userid, **kw):
        user = kw["user"]
        request.session.invalidate()  # a fresh session at login: nothing carried over
        request.session["auth.userid"] = userid
        request.session["auth.epoch"] = user.session_epoch
        request.session.new_csrf_token()
        return []

    def forget(self, request, **kw):
        request.session.invalidate()
        return []


def principals_of(request, user) -> list[str]:
    """The principals ``user`` holds (a User, or None for a stranger), whoever the request is
    for. Suspended and deleted members hold what a stranger holds, as when they ask."""
    principals = [Everyone]
    if user is not None and user.can_log_in:
        principals += [Authenticated, f"user:{user.id}", *role_principals(user.role)]
        for finder in registered(request.registry, "cortege principal finders"):
            principals.extend(finder(request, user))
    return principals


def actor_may(request, actor, permission: str, context=None) -> bool:
    """Whether ``actor`` (a User or None) holds ``permission`` on ``context`` (an object with
    an ``__acl__``; the site's root by default): what a service checks when it is given the
    actor rather than reading ``request.user``, so that a view, a job or a command calling it
    meet the same rules."""
    context = context if context is not None else RootFactory(request)
    return bool(ACLHelper().permits(context, principals_of(request, actor), permission))


def _user(request):
    from core.accounts.models import User

    userid = request.session.get("auth.userid")
    if userid is None:
        return None
    user = request.dbsession.get(User, userid)
    # A changed epoch (logout everywhere, password change, suspension) ends old sessions.
    if user is None or not user.can_log_in or user.session_epoch != request.session.get("auth.epoch"):
        return None
    return user


def _effective_principals(request):
    return request.registry["cortege.security_policy"].effective_principals(request)


class RootFactory:
    """The site's root context: the ACL comes from the permissions plugins declared."""

    def __init__(self, request):
        self.request = request

    @property
    def __acl__(self):
        return site_acl(self.request)


def site_acl(request) -> list:
    acl = list(_static_acl(request.registry))
    if request.site_settings.visibility == "public":
        acl.insert(0, (Allow, Everyone, VIEW))
    else:
        acl.insert(0, (Allow, Authenticated, VIEW))
    return acl


def _static_acl(registry) -> tuple:
    """The grants plugins declared, computed once the configuration is complete."""
    cached = registry.get("cortege.static_acl")
    if cached is not None:
        return cached
    acl = [(Allow, "role:admin", ALL_PERMISSIONS)]
    for permission in registered(registry, "cortege permissions"):
        for role in permission.roles:
            acl.append((Allow, f"role:{role}", permission.name))
    acl.append(DENY_ALL)
    registry["cortege.static_acl"] = tuple(acl)
    return registry["cortege.static_acl"]


def security_headers_tween_factory(handler, registry):
    csp = registry.settings["cortege.content_security_policy"]

    def tween(request):
        response = handler(request)
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if not request.path.startswith("/_debug_toolbar"):
            headers.setdefault("X-Frame-Options", "DENY")
            headers.setdefault("Content-Security-Policy", csp)
            headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        if request.registry.settings["cortege.secure_cookies"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    return tween


def new_epoch() -> str:
    return secrets.token_urlsafe(16)


def includeme(config):
    settings = config.get_settings()
    policy = SecurityPolicy()
    config.registry["cortege.security_policy"] = policy
    config.set_session_factory(
        SignedCookieSessionFactory(
            settings["cortege.session_secret"],
            cookie_name="cortege_session",
            secure=settings["cortege.secure_cookies"],
            httponly=True,
            samesite="Lax",
            timeout=14 * 24 * 3600,
            reissue_time=3600,
        )
    )
    config.set_security_policy(policy)
    config.set_csrf_storage_policy(LegacySessionCSRFStoragePolicy())
    config.set_default_csrf_options(require_csrf=True)
    config.set_default_permission(VIEW)
    config.set_root_factory(RootFactory)
    config.add_request_method(_user, "user", reify=True)
    config.add_request_method(_effective_principals, "effective_principals", reify=True)
    config.add_directive("add_principal_finder", add_principal_finder, action_wrap=False)
    config.add_tween("core.security.security_headers_tween_factory")
    config.declare_permission(VIEW, _("See the site's pages"), roles=())
    config.declare_permission(ACCOUNT, _("Use one's own account"), roles=("member",))
    config.declare_permission(ADMIN, _("Enter the admin area"))
