"""What the polls add to the site: their service, routes, region, tool, data and events."""

from plugins.polls import _
from plugins.polls.interfaces import IPollService
from plugins.polls.services import CREATE, MANAGE, VOTE
from plugins.polls.views import erase_polls, export_polls


def includeme(config):
    from plugins.polls import methods, seed
    from plugins.polls.services import poll_service_factory

    config.include(methods)
    config.include("plugins.polls.subscribers")
    config.register_service_factory(poll_service_factory, IPollService)
    config.declare_permission(VOTE, _("See polls and vote in them"), roles=("member",))
    config.declare_permission(CREATE, _("Create polls for the whole site"), roles=("moderator",))
    config.declare_permission(MANAGE, _("Manage every poll"), roles=())
    config.add_route("polls_index", "/tools/polls")
    config.add_route("polls_new", "/tools/polls/new")
    config.add_route("polls_group", "/tools/polls/group/{slug}")
    config.add_route("polls_poll", r"/tools/polls/{id:\d+}", ids="id")
    config.add_route("polls_close", r"/tools/polls/{id:\d+}/close", ids="id")
    config.add_region("polls.poll.aside", _("Beside the poll"))
    config.add_militant_tool(
        name="polls", title=_("Polls"),
        description=_("Consult the members: choices, rankings or majority judgment."),
        icon="poll", route_name="polls_index", permission=VOTE, group_instances=True,
        order=20, group_route_name="polls_group")
    config.add_personal_data_provider("polls", export=export_polls, erase=erase_polls)
    config.include(seed)
    config.scan(".views")
