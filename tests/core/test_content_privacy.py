"""The privacy property of the content contract, across every plugin.

For every registered kind of content, in a public, a private and a hidden group (and outside
any group, where the kind can live there), and for every kind of viewer (a stranger, a member
of the site, a member of another group, a member, a moderator and an admin of the group, a
member who was removed, one who was banned, one who was suspended, and a site admin), the
kind's visibility condition decides, and every surface that shows or lists the content shows
it to exactly those the condition allows. The condition itself must never let anyone outside
a private or hidden group see its content.
"""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import delete, update

from core.accounts.models import User
from core.content import content_types, may_see
from core.extensions import plugin_enabled
from core.jobs import job_request
from core.testing import CONTENT_SAMPLES
from plugins.groups.models import Membership
from plugins.search.interfaces import ISearchService

VIEWERS = ("stranger", "site member", "outsider", "group member", "group moderator",
           "group admin", "removed", "banned", "suspended", "site admin")
# Who may never see the content of a private or hidden group.
OUTSIDERS = {"stranger", "site member", "outsider", "removed", "banned", "suspended"}
STATUSES = ("public", "private", "hidden")

_counter = itertools.count()


@pytest.fixture
def cortege_plugins(cortege_plugins):
    """Every bundled plugin, and the phone bank example, a third party's plugin."""
    return [*cortege_plugins, "phonebank"]


def test_every_kind_of_content_has_a_sample(registry):
    """The property below walks every kind: a kind without a sample would escape it."""
    kinds = {kind.name for kind in content_types(registry)}
    assert kinds, "no content type is registered"
    assert kinds <= CONTENT_SAMPLES.keys(), (
        f"content types without a sample: {sorted(kinds - CONTENT_SAMPLES.keys())}; "
        "register one with core.testing.register_content_sample in the plugin's testing module")


def kinds():
    return sorted(CONTENT_SAMPLES)


@pytest.fixture
def people(make_user, dbsession, make_group, add_member):
    """The viewers, and a group of each status in which each holds the same place."""
    users = {name: make_user(f"viewer-{name.replace(' ', '-')}-{next(_counter)}")
             for name in VIEWERS if name != "stranger"}
    dbsession.execute(update(User).where(User.id == users["site admin"].id).values(role="admin"))
    owner = users["group admin"]
    groups = {}
    other = make_group(status="private", creator=users["outsider"])
    add_member(other, users["outsider"], role="admin")
    for status in STATUSES:
        group = make_group(status=status, creator=owner)
        add_member(group, owner, role="admin")
        add_member(group, users["group moderator"], role="moderator")
        add_member(group, users["group member"])
        add_member(group, users["suspended"])
        add_member(group, users["banned"], state="banned")
        groups[status] = group
    dbsession.flush()
    return users, owner, groups


def remove_from_every_group(user, groups, add_member, dbsession):
    for status in STATUSES:
        add_member(groups[status], user)
        dbsession.execute(delete(Membership).where(Membership.group_id == groups[status].id,
                                                   Membership.user_id == user.id))


@pytest.mark.parametrize("kind", kinds())
def test_every_surface_shows_exactly_what_the_condition_allows(
        kind, people, login, testapp, registry, dbsession, add_member):
    users, owner, groups = people
    sample = CONTENT_SAMPLES[kind]
    contexts = ([None] if sample.without_group else []) + (
        list(STATUSES) if sample.in_groups else [])
    rows = {}
    for context in contexts:
        marker = f"marker-{kind.replace('.', '-')}-{context or 'site'}-{next(_counter)}"
        group = groups[context] if context else None
        rows[context] = (sample.make(dbsession, owner=owner, group=group, marker=marker), marker)
    # The removed member was one, then left every group; the suspended one is suspended now.
    remove_from_every_group(users["removed"], groups, add_member, dbsession)
    searched = False
    if plugin_enabled(registry, "search"):  # samples are written without events
        with job_request(registry) as request, request.tm:
            searched = bool(request.find_service(ISearchService).rebuild(kind))
    browsers = {"stranger": testapp}
    for name, user in users.items():
        browsers[name] = login(user)
    users["suspended"].status = "suspended"
    dbsession.flush()

    failures = []
    for context, (row, marker) in rows.items():
        with job_request(registry) as request, request.tm:
            allowed = {name: may_see(request, kind, row.id, users.get(name))
                       for name in VIEWERS}
        if context in ("private", "hidden"):
            leaks = sorted(name for name in OUTSIDERS if allowed[name])
            assert not leaks, f"{kind} of a {context} group is visible to {leaks}"
            assert allowed["site admin"], f"a site admin may not see {kind} ({context})"
        assert not allowed["suspended"] or allowed["stranger"], (
            f"a suspended member sees more of {kind} ({context}) than a stranger")
        paths = list(sample.surfaces(row))
        if searched:  # the site's search, with the beginning of the marker
            paths.append(f"/search?q={marker[:-1]}")
        for position, path in enumerate(paths):
            for name in VIEWERS:
                page = browsers[name].get(path, expect_errors=True)
                text = page.html.get_text() if path.startswith("/search?") else page.text
                shown = page.status_int == 200 and marker in text  # found words are marked
                if shown != allowed[name]:
                    failures.append(f"{kind} in {context or 'no group'}: {path} as {name} "
                                    f"answers {page.status_int} and "
                                    f"{'shows' if shown else 'does not show'} it; "
                                    f"the condition says {'yes' if allowed[name] else 'no'}")
                if position == 0 and not allowed[name]:
                    assert page.status_int in (303, 403, 404), (
                        f"{path} as {name} answers {page.status_int}")
    assert not failures, "\n".join(failures)


def stream_kinds():
    from plugins.social.verbs import VERBS

    return sorted({verb.subject for verb in VERBS.values()} & CONTENT_SAMPLES.keys())


@pytest.mark.parametrize("kind", stream_kinds())
def test_every_stream_shows_an_entry_exactly_to_those_who_may_see_its_subject(
        kind, people, login, testapp, registry, dbsession, add_member, make_group):
    """The activity streams are a surface of every kind they record: an entry about a row
    shows in the site's stream, its actor's and its group's, and each viewer's own stream,
    to exactly those who may see the row and the content of its group, now; and a group
    turning hidden hides them from everyone outside it at once."""
    from plugins.groups.models import Group
    from plugins.social.models import Entry
    from plugins.social.verbs import VERBS

    users, owner, groups = people
    verb = next(name for name, item in VERBS.items() if item.subject == kind)
    sample = CONTENT_SAMPLES[kind]
    contexts = ([None] if sample.without_group else []) + (
        list(STATUSES) if sample.in_groups else [])
    entries = {}
    for context in contexts:
        marker = f"stream-{kind.replace('.', '-')}-{context or 'site'}-{next(_counter)}"
        group = groups[context] if context else None
        row = sample.make(dbsession, owner=owner, group=group, marker=marker)
        group_id = row.id if kind == "groups.group" else getattr(row, "group_id", None)
        entry = Entry(verb=verb, actor_id=owner.id, subject_kind=kind, subject_id=row.id,
                      group_id=group_id)
        dbsession.add(entry)
        dbsession.flush()
        entries[context] = (row, entry, dbsession.get(Group, group_id) if group_id else None)
    remove_from_every_group(users["removed"], groups, add_member, dbsession)
    # Everyone follows the owner, so that each one's own stream would list the entries.
    from plugins.social.models import Follow

    for user in users.values():
        if user.id != owner.id:
            dbsession.add(Follow(user_id=user.id, subject_kind="member", subject_id=owner.id))
    browsers = {"stranger": testapp}
    for name, user in users.items():
        browsers[name] = login(user)
    users["suspended"].status = "suspended"
    dbsession.flush()
    insiders = {"group member", "group moderator", "group admin", "site admin"}

    def check(context, row, entry, group, outside_sees_group):
        failures = []
        with job_request(registry) as request, request.tm:
            allowed = {name: may_see(request, kind, row.id, users.get(name))
                       and (outside_sees_group or name in insiders or kind == "groups.group")
                       for name in VIEWERS}
        paths = ["/activity", f"/members/{owner.username}/activity"]
        if group is not None and kind != "groups.group":
            paths.append(f"/groups/{group.slug}/activity")
        for name in VIEWERS:
            mine = ["/activity/mine"] if name in users and name != "suspended" else []
            for path in paths + mine:
                page = browsers[name].get(path, expect_errors=True)
                shown = page.status_int == 200 and f'id="entry-{entry.id}"' in page.text
                if shown != allowed[name]:
                    failures.append(f"{kind} in {context or 'no group'}: {path} as {name} "
                                    f"{'shows' if shown else 'does not show'} the entry; "
                                    f"the condition says {'yes' if allowed[name] else 'no'}")
        return failures

    failures = []
    for context, (row, entry, group) in entries.items():
        failures += check(context, row, entry, group, context in (None, "public"))
    assert not failures, "\n".join(failures)
    if "public" in entries:
        row, entry, group = entries["public"]
        dbsession.execute(update(Group).where(Group.id == groups["public"].id)
                          .values(status="hidden"))
        dbsession.flush()
        failures = check("public turned hidden", row, entry, group, False)
        assert not failures, "\n".join(failures)
