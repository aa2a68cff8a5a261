"""Test fixtures of the groups plugin, for its own tests and for any plugin's tests.

Published as a pytest plugin (the ``pytest11`` entry point ``cortege_groups``), so that every
test where Cortège is installed gets them without importing them, beside ``core.testing``'s:

``make_group``   ``make_group(name=None, status="public", creator=None, **columns)`` adds a
                 ``Group`` row (flushed) and returns it: ``status`` is ``public``, ``private``
                 or ``hidden``; ``creator`` (a User) only sets ``created_by_id``, it makes
                 nobody a member. ``slug`` defaults to the name's (a hidden group made here
                 keeps that plain address; the service gives real ones a random ending).
                 For short set-ups, ``admin=user`` and ``members=[user, (user, "moderator")]``
                 add memberships, and ``make_group.join`` is ``add_member``.
``add_member``   ``add_member(group, user, role="member", state="member", **columns)`` gives
                 ``user`` a place in ``group`` (or changes the one they have) and counts the
                 members again. A removed member is simply one without a place.
``group_type``   ``group_type("watch-group")``: a type the migrations seed, by key.

Group roles and membership states (``plugins.groups.models``), which every rule reads:

- ``state`` is ``member`` (in the group, with a ``role``), ``invited`` (waiting for their
  answer; ``invited_by_id`` is the inviter), ``requested`` (asked to join a private group,
  waiting for the admins' answer) or ``banned`` (may not join nor ask). Only ``member``
  counts: the others see what a stranger to the group sees, except that the invited may know
  of a hidden group to answer.
- ``role`` of a member is ``member``, ``moderator`` (answers requests, withdraws invitations,
  removes and bans plain members) or ``admin`` (all of that, and roles, settings, deletion;
  a group keeps at least one). Site admins may do everything in every group. The principals
  ``group:<id>:member``, ``:moderator`` and ``:admin`` follow the role (each holds those
  below it).

The module also registers the content sample of ``groups.group`` for the privacy property
test (``core.testing.register_content_sample``): a hidden group, outside any other group,
with the marker in its name and description, shown on its page and first in the directory by
creation date.
A group's own page cannot be a sample *in* a private group: a private group's page is meant
for everyone (its content is not).
"""

from __future__ import annotations

import secrets

import pytest

from core.testing import register_content_sample

STATES = ("member", "invited", "requested", "banned")


def new_group(dbsession, name=None, status="public", creator=None, **columns):
    """A Group row, added and flushed."""
    from plugins.groups.models import Group
    from plugins.groups.services import fold, slugify

    name = name or f"Group {secrets.token_hex(3)}"
    columns.setdefault("description", f"About {name}.")
    group = Group(slug=columns.pop("slug", None) or slugify(name), name=name,
                  sort_name=fold(name), status=status,
                  created_by_id=creator.id if creator is not None else None, **columns)
    dbsession.add(group)
    dbsession.flush()
    return group


def put_member(dbsession, group, user, role="member", state="member", **columns):
    """Give ``user`` a place in ``group`` (or change theirs); count the members again."""
    from sqlalchemy import func, select

    from plugins.groups.models import Membership

    if state not in STATES:
        raise ValueError(f"state must be one of {STATES}")
    membership = dbsession.get(Membership, (group.id, user.id))
    if membership is None:
        membership = Membership(group_id=group.id, user_id=user.id)
        dbsession.add(membership)
    membership.role, membership.state = role, state
    for key, value in columns.items():
        setattr(membership, key, value)
    dbsession.flush()
    group.member_count = dbsession.scalar(select(func.count()).select_from(Membership).where(
        Membership.group_id == group.id, Membership.state == "member"))
    dbsession.flush()
    return membership


@pytest.fixture
def add_member(dbsession):
    """``add_member(group, user, role="member", state="member", **columns)``."""

    def add(group, user, role="member", state="member", **columns):
        return put_member(dbsession, group, user, role, state, **columns)

    return add


@pytest.fixture
def make_group(dbsession, add_member):
    """``make_group(name=None, status="public", creator=None, **columns)``; see the module."""

    def factory(name=None, status="public", creator=None, *, admin=None, members=(),
                **columns):
        group = new_group(dbsession, name, status, creator, **columns)
        people = ([(admin, "admin")] if admin is not None else []) + [
            member if isinstance(member, tuple) else (member, "member") for member in members]
        for person, role in people:
            add_member(group, person, role=role)
        return group

    factory.join = add_member
    return factory


@pytest.fixture
def group_type(dbsession):
    """``group_type("watch-group")``: a seeded type by key (default ``local-section``)."""
    from plugins.groups.models import GroupType

    def find(key="local-section"):
        return dbsession.query(GroupType).filter_by(key=key).one()

    return find


# -- the content sample of groups.group --------------------------------------------------------


def _sample_group(dbsession, *, owner, group, marker):
    hidden = new_group(dbsession, marker, "hidden", owner, description=f"{marker} plans")
    put_member(dbsession, hidden, owner, role="admin")
    return hidden


def _group_surfaces(group):
    return [f"/groups/{group.slug}", "/groups?sort=newest"]


register_content_sample("groups.group", _sample_group, _group_surfaces, in_groups=False)
