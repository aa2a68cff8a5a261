"""What the petitions add to the site: their service, routes, region, tool, data and events."""

from plugins.groups.interfaces import groups_enabled
from plugins.petitions import _
from plugins.petitions.interfaces import IPetitionService
from plugins.petitions.services import CREATE, ORGANISE
from plugins.petitions.views import PetitionContext, erase_signatures, export_signatures


def includeme(config):
    from plugins.petitions.seed import seed_petitions
    from plugins.petitions.services import petition_service_factory

    config.register_service_factory(petition_service_factory, IPetitionService)
    config.declare_permission(CREATE, _("Start a petition of the site"), roles=("moderator",))
    config.declare_permission(ORGANISE, _("Organise any petition: export its signatures and "
                                          "close it"), roles=())
    with_groups = groups_enabled(config.registry)
    factory = PetitionContext
    config.add_route("petitions_index", "/tools/petitions")
    config.add_route("petitions_new", "/tools/petitions/new")
    config.add_route("petitions_confirm", "/tools/petitions/confirm/{token}")
    config.add_route("petitions_withdraw", "/tools/petitions/withdraw/{token}")
    config.add_route("petitions_show", r"/tools/petitions/{id:\d+}", factory=factory, ids="id")
    config.add_route("petitions_sign", r"/tools/petitions/{id:\d+}/sign", factory=factory, ids="id")
    config.add_route("petitions_signers", r"/tools/petitions/{id:\d+}/signers", factory=factory,
                     ids="id")
    config.add_route("petitions_export", r"/tools/petitions/{id:\d+}/signatures.csv",
                     factory=factory, ids="id")
    config.add_route("petitions_close", r"/tools/petitions/{id:\d+}/close", factory=factory,
                     ids="id")
    config.add_route("petitions_group", "/tools/petitions/group/{slug}")  # 404 without groups
    config.add_route("petitions_news_stop", "/tools/petitions/news/stop/{token}")
    config.add_region("petitions.petition.aside", _("Beside the petition"))
    config.add_militant_tool(
        "petitions", _("Petitions"),
        _("Gather signatures for a cause, online, with or without an account."),
        "petition", "petitions_index", None, group_instances=with_groups, order=10,
        group_route_name="petitions_group")
    config.add_personal_data_provider("petitions", export=export_signatures,
                                      erase=erase_signatures)
    config.include("plugins.petitions.subscribers")
    config.add_seeder("petitions", seed_petitions,
                      options={"signatures": (0, "how many signatures to add in bulk")})
    config.scan(".views")
    config.include("plugins.petitions.home")
