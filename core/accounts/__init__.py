"""Accounts: people, their passwords and their sessions.

What plugins use of accounts comes from here: ``IAccountService`` (find it with
``request.find_service``), the keys accounts are compared by (``username_key``,
``email_key``), ``normalise_email`` and ``token_hash`` (how a token sent by mail is kept).
The model is ``core.accounts.models.User``.
"""

from core.accounts.interfaces import IAccountService
from core.accounts.services import email_key, normalise_email, token_hash, username_key
from core.accounts.sessions import session_store_from_settings
from core.i18n import _
from core.security import ACCOUNT

__all__ = ["IAccountService", "email_key", "includeme", "normalise_email", "token_hash",
           "username_key"]


def includeme(config):
    config.include("core.accounts.events")
    from core.accounts.passwords import configure_hashing

    configure_hashing(config.get_settings()["cortege.password_hashing_concurrency"])
    config.include("pyramid_services")
    config.registry["cortege.session_store"] = session_store_from_settings(config.get_settings())
    config.register_service_factory(
        "core.accounts.services.account_service_factory", IAccountService
    )
    config.add_route("login", "/login")
    config.add_route("logout", "/logout")
    config.add_route("register", "/register")
    config.add_route("register_sent", "/register/sent")
    config.add_route("confirm_email", "/register/confirm/{token}")
    config.add_route("password_forgot", "/password/forgot")
    config.add_route("password_sent", "/password/sent")
    config.add_route("password_reset", "/password/reset/{token}")
    config.add_route("confirm_email_change", "/account/email/confirm/{token}")
    config.add_route("account", "/account")
    config.add_route("account_preferences", "/account/preferences")
    config.add_route("account_password", "/account/password")
    config.add_route("account_email", "/account/email")
    config.add_route("account_sessions", "/account/sessions")
    config.add_route("account_session_end", "/account/sessions/end")
    config.add_route("account_export", "/account/export.json")
    config.add_route("account_delete", "/account/delete")
    config.add_route("account_invite", "/account/invitations")
    config.add_nav_item("user", "account", _("Your account"), "account", permission=ACCOUNT, order=90,
                        icon="settings")
    config.add_personal_data_provider(
        "account",
        export="core.accounts.views.export_account",
        erase="core.accounts.views.erase_account",
    )
    config.scan("core.accounts.views")
