"""What other plugins may ask of groups.

Find the service with ``request.find_service(IGroupService)``. Every listing of group content,
in this plugin and in others, filters with ``content_visible_ids(viewer)``, so that one rule
decides everywhere who sees what; who may know of a group at all is ``visible(viewer)``, the
condition of the content type ``groups.group``.

Tabs on a group's page: ``config.add_group_tab(name, title, view, renderer=None, order=100,
permission=None, visible=None)`` (the signature of ``add_profile_tab``) adds ``/groups/{slug}/{name}``; ``view(request, group)`` returns the template
values (or None for 404). The template is ``renderer`` when given, else the returned dict's
``"renderer"``, else ``<plugin>/group_<name>.jinja2``. The tab is listed, and its view
called, only for viewers who may see the group's content (and hold ``permission``).
"""

from zope.interface import Interface

from core.errors import ActionError
from core.extensions import plugin_enabled


def groups_enabled(registry) -> bool:
    """Whether the groups plugin is on (plugins that work without it ask first)."""
    return plugin_enabled(registry, "groups")


def group_service(request):
    """The groups service when the groups plugin is on, else None."""
    return request.find_service(IGroupService) if groups_enabled(request.registry) else None


STATUSES = ("public", "private", "hidden")
ROLES = ("member", "moderator", "admin")


class IGroupService(Interface):
    """Groups and the rules that say who sees them."""

    def get(group_id):
        """The Group row or None (no visibility check)."""

    def find(slug, viewer=None):
        """The Group if ``viewer`` (a User or None) may know it exists, else None."""

    def content_visible_ids(viewer):
        """A SQLAlchemy SELECT of group ids whose content ``viewer`` may see: public groups
        (when the viewer may see the site at all), private and hidden groups where the viewer
        is a member (not banned), every group for site admins. Use it as
        ``Event.group_id.in_(groups.content_visible_ids(request.user))``.

        ``viewer`` may also be ``core.accounts.models.User`` itself, standing for each user
        of the query the SELECT goes into: mail recipients are chosen that way, with the
        rule of the pages, e.g. ``select(User).join(Subscription).join(Topic).where(
        Topic.group_id.in_(groups.content_visible_ids(User)))``."""

    def listed_ids(viewer):
        """SELECT of the ids of the groups ``viewer`` may know of: public and private groups
        for whoever may see the site, and the hidden groups they belong to or are invited to;
        every group for site admins. ``viewer`` may be ``User`` itself, as for
        ``content_visible_ids``. It is the rule of the content type ``groups.group``: the
        directory, its counts, a group's page and mail about a group all follow it."""

    def visible(viewer):
        """``Group.id IN listed_ids(viewer)`` as a condition on ``Group``: the visibility
        condition of the content type ``groups.group`` (read it through ``core.content``)."""

    def shown_memberships(member, viewer):
        """SELECT of the ids of the groups ``member`` belongs to that ``viewer`` may see them
        in: public groups for whoever may see the site, private and hidden groups only for
        those who may see their members (their members, site admins), all of them for the
        member. Every list or count of a person's groups shown to others selects from it."""

    def role(group, user):
        """'admin' | 'moderator' | 'member' | None (banned, requested and invited give None)."""

    def can_see_content(group, user):
        """True when ``user`` (or None) may see the group's content."""

    def member_ids(group):
        """SELECT of user ids of the group's members (any role, not banned)."""

    def touch(group):
        """Record activity in the group now (the directory's "recently active" order): call
        it when content is added to the group."""

    # Changes. Each takes the acting member as ``actor`` (a User; None, or an account that is
    # not active, is a stranger and may do nothing), checks what they may do, publishes its
    # event (``plugins.groups.events``) in the same transaction, and refuses with
    # ``GroupError`` (400, a sentence for the form), ``core.errors.NotFound`` (404: the actor
    # may not know the group, or see its members), ``Forbidden`` (403: they may see it but not
    # do this) or ``RateLimited`` (429), whoever calls it: a view, a job, a command.

    def create(values, actor):
        """A new group from the form's values; the actor is its first admin."""

    def update(group, values, actor):
        """Change the group's settings (group admins and site admins)."""

    def delete(group, actor):
        """Delete the group with its memberships (group admins and site admins);
        ``GroupDeleted`` is published first, in the same transaction, so that every plugin
        deletes the group's content with it."""

    def join(group, actor):
        """Join a public group, ask to join a private one, or accept an invitation; returns
        the actor's state afterwards ('member' or 'requested')."""

    def leave(group, actor):
        """Leave the group (its last admin may not)."""

    def invite(group, person, actor):
        """Invite ``person`` (as the group's invitation policy allows); someone who asked to
        join becomes a member. Returns their state afterwards."""

    def approve(group, person, actor):
        """Accept ``person``'s request to join (group moderators and admins)."""

    def set_role(group, person, role, actor):
        """Make a member a plain member, moderator or admin (group admins); a group keeps at
        least one admin."""

    def remove(group, person, actor):
        """Take a member out of the group (moderators, for plain members; admins)."""

    def ban(group, person, actor):
        """Ban ``person`` from the group, member or not (as for ``remove``)."""


class GroupError(ActionError):
    """An action refused by a group rule (400): ``message`` says why in words the person can
    act on; views show it next to the form or in a flash message."""
