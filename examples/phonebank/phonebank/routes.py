"""What the phone bank adds to the site: its service, permission, routes, tool, data and events."""

from phonebank import _
from phonebank.interfaces import IPhonebankService
from phonebank.views import USE, erase_phonebank, export_phonebank


def includeme(config):
    from phonebank import seed
    from phonebank.services import phonebank_service_factory

    config.register_service_factory(phonebank_service_factory, IPhonebankService)
    config.declare_permission(USE, _("Use the phone bank"), roles=("member",))
    config.add_route("phonebank_index", "/tools/phonebank")
    config.add_route("phonebank_consent", "/tools/phonebank/consent")
    config.add_route("phonebank_withdraw", "/tools/phonebank/consent/withdraw")
    config.add_route("phonebank_group", "/tools/phonebank/group/{slug}")
    config.add_route("phonebank_campaign", r"/tools/phonebank/{id:\d+}", ids="id")
    config.add_route("phonebank_call", r"/tools/phonebank/{id:\d+}/call/{user_id:\d+}",
                     ids=("id", "user_id"))
    config.add_route("phonebank_close", r"/tools/phonebank/{id:\d+}/close", ids="id")
    config.add_militant_tool(
        name="phonebank",
        title=_("Phone bank"),
        description=_("Call the members who agreed to be called, with a script, and log how "
                      "each call went."),
        icon="phone",
        route_name="phonebank_index",
        permission=USE,
        group_instances=True,
        order=40,
        group_route_name="phonebank_group",
    )
    config.add_personal_data_provider("phonebank", export=export_phonebank, erase=erase_phonebank)
    config.include("phonebank.subscribers")
    config.include(seed)
    config.scan(".views")
