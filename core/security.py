"""Who is asking, and what they may do: one security policy for the whole site."""

from __future__ import annotations

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
from pyramid.tweens import INGRESS

from core.extensions import PERMISSIONS, PRINCIPAL_FINDERS, register_item, registered
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
    register_item(config, PRINCIPAL_FINDERS, name, config.maybe_dotted(finder))


def principals_of(request, user) -> list[str]:
    """The principals ``user`` holds (a User, or None for a stranger), whoever the request is
    for: those of the request's own member, or of the actor a service was given in a job or
    a command. Suspended and deleted members hold what a stranger holds, as when they ask."""
    principals = [Everyone]
    if user is not None and user.can_log_in:
        principals += [Authenticated, f"user:{user.id}", *role_principals(user.role)]
        for finder in registered(request.registry, PRINCIPAL_FINDERS):
            principals.extend(finder(request, user))
    return principals


def actor_may(request, actor, permission: str, context=None) -> bool:
    """Whether ``actor`` (a User or None) holds ``permission`` on ``context`` (an object with
    an ``__acl__``; the site's root by default): what a service checks when it is given the
    actor rather than reading ``request.user``, so that a view, a job or a command calling it
    meet the same rules."""
    if actor is not None and actor is request.user:
        principals = request.effective_principals
    else:
        principals = principals_of(request, actor)
    context = context if context is not None else RootFactory(request)
    return bool(ACLHelper().permits(context, principals, permission))


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
        """Open a session kept on the server; the cookie carries only its token."""
        user = kw["user"]
        request.session.invalidate()  # a fresh session at login: nothing carried over
        token = session_store(request).open(request.dbsession, user,
                                            request.user_agent or "")
        request.session[TOKEN] = token
        request.session.new_csrf_token()
        return []

    def forget(self, request, **kw):
        """End this session on the server: every copy of the cookie stops working."""
        session = request.login_session
        if session is not None:
            session_store(request).end(request.dbsession, session.user_id, session.key)
        request.session.invalidate()
        return []


TOKEN = "auth.token"  # the session cookie's key for the token of the server-side session


def session_store(request):
    """The ``core.accounts.sessions.ISessionStore`` that ``cortege.session_storage`` names."""
    return request.registry["cortege.session_store"]


def _login(request):
    """``(user, OpenSession)`` when the cookie's token names an open session of a member who
    may log in, else ``(None, None)``."""
    token = request.session.get(TOKEN)
    if not isinstance(token, str):
        return None, None
    store = session_store(request)
    found = store.identify(request.dbsession, token)
    if found is None or not found[0].can_log_in:
        return None, None
    user, session = found
    store.touch(request.dbsession, session)
    return user, session


def _user(request):
    return request.login_state[0]


def _login_session(request):
    return request.login_state[1]


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
    for permission in registered(registry, PERMISSIONS):
        for role in permission.roles:
            acl.append((Allow, f"role:{role}", permission.name))
    acl.append(DENY_ALL)
    registry["cortege.static_acl"] = tuple(acl)
    return registry["cortege.static_acl"]


def add_security_headers(request, response):
    """The headers every response carries, error pages included; returns ``response``."""
    settings = request.registry.settings
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path_info.startswith("/_debug_toolbar"):
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Content-Security-Policy", settings["cortege.content_security_policy"])
        headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
    if settings["cortege.secure_cookies"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def security_headers_tween_factory(handler, registry):
    """The outermost tween: security headers on every response. An error that escaped the
    exception views (raised by a tween, or by the commit) gets the site's error page here."""

    def tween(request):
        try:
            response = handler(request)
        except Exception:  # noqa: BLE001 (handed to the exception views, which log it)
            response = request.invoke_exception_view(reraise=True)
        return add_security_headers(request, response)

    return tween


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
    config.add_request_method(_login, "login_state", reify=True)
    config.add_request_method(_user, "user", reify=True)
    config.add_request_method(_login_session, "login_session", reify=True)
    config.add_request_method(_effective_principals, "effective_principals", reify=True)
    config.add_directive("add_principal_finder", add_principal_finder, action_wrap=False)
    config.add_tween("core.security.security_headers_tween_factory", under=INGRESS)
    config.declare_permission(VIEW, _("See the site's pages"), roles=())
    config.declare_permission(ACCOUNT, _("Use one's own account"), roles=("member",))
    config.declare_permission(ADMIN, _("Enter the admin area"))
