"""Accounts: people, their passwords and their sessions."""

from core.accounts.interfaces import IAccountService


def includeme(config):
    config.include("pyramid_services")
    config.register_service_factory(
        "core.accounts.services.account_service_factory", IAccountService
    )
    config.add_route("login", "/login")
    config.add_route("logout", "/logout")
    config.add_personal_data_provider(
        "account",
        export="core.accounts.views.export_account",
        erase="core.accounts.views.erase_account",
    )
    config.scan("core.accounts.views")
