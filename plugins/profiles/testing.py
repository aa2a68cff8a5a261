"""Test fixtures of the profiles plugin, for its own tests and for any plugin's tests.

Published as a pytest plugin (the ``pytest11`` entry point ``cortege_profiles``), beside
``core.testing``'s fixtures:

``make_member``  ``make_member(username=None, **columns)``: an active member with a profile
                 row, as registration gives them (``make_user`` makes none); any ``User``
                 column may be given.
``make_field``   ``make_field("City", "city", group="About", **columns)``: a profile field of
                 a registered type, in a field group made on first use; ``default_visibility``
                 is ``members`` unless given.
``answer``       ``answer(user, field, "Paris", visibility=None)``: a member's values of a
                 field, stored as the service stores them (``visibility`` is the member's
                 choice, else the field's default).

The module also registers the content sample of ``profiles.profile`` for the privacy property
test (``core.testing.register_content_sample``): a member whose display name is the marker,
on their page and first in the directory by arrival. Profiles belong to no group.
"""

from __future__ import annotations

import pytest

from core.testing import register_content_sample


def new_member(dbsession, username=None, **columns):
    """An active member with a profile row, added and flushed."""
    from core.testing import new_user
    from plugins.profiles.fieldtypes import fold
    from plugins.profiles.models import Profile

    user = new_user(username, **columns)
    dbsession.add(user)
    dbsession.flush()
    dbsession.add(Profile(user_id=user.id, sort_name=fold(user.display_name),
                          last_active_at=user.created_at))
    dbsession.flush()
    return user


@pytest.fixture
def make_member(dbsession):
    """``make_member(username=None, **columns)``: a member with a profile."""

    def factory(username=None, **columns):
        return new_member(dbsession, username, **columns)

    return factory


@pytest.fixture
def make_field(dbsession):
    """``make_field("City", "city", default_visibility="public")`` in a group "About"."""
    from plugins.profiles.models import MEMBERS, Field, FieldGroup

    groups = {}

    def factory(name, type="text", group="About", **columns):
        if group not in groups:
            groups[group] = FieldGroup(name=group, description="", position=len(groups) + 1)
            dbsession.add(groups[group])
            dbsession.flush()
        columns.setdefault("default_visibility", MEMBERS)
        field = Field(group_id=groups[group].id, name=name, type=type, help_text="",
                      options=columns.pop("options", []), position=len(groups) * 100 + 1,
                      **columns)
        dbsession.add(field)
        dbsession.flush()
        return field

    return factory


@pytest.fixture
def answer(dbsession):
    """``answer(user, field, "Paris", visibility="public")`` stores values directly."""
    from plugins.profiles.fieldtypes import fold
    from plugins.profiles.models import Value

    def store(user, field, *strings, visibility=None):
        for string in strings:
            dbsession.add(Value(user_id=user.id, field_id=field.id, value=string,
                                search=fold(string),
                                visibility=visibility or field.default_visibility,
                                chosen_visibility=visibility))
        dbsession.flush()

    return store


# -- the content sample of profiles.profile ----------------------------------------------------


def _sample_profile(dbsession, *, owner, group, marker):
    return new_member(dbsession, display_name=marker)


def _profile_surfaces(user):
    return [f"/members/{user.username}", "/members?sort=newest"]


register_content_sample("profiles.profile", _sample_profile, _profile_surfaces,
                        in_groups=False)
