"""Each kind of viewer a content type's condition must be right for, around one group."""

from __future__ import annotations


def viewers_of(group, make_user, add_member, dbsession):
    """By name: a member of ``group`` (``None``: no group), a suspended member, a banned one,
    an outsider, a site admin, and a stranger (None)."""
    people = {"member": make_user(), "suspended": make_user(), "banned": make_user(),
              "outsider": make_user(), "admin": make_user(role="admin"), "stranger": None}
    if group is not None:
        add_member(group, people["member"])
        add_member(group, people["suspended"])
        add_member(group, people["banned"], state="banned")
    people["suspended"].status = "suspended"
    dbsession.flush()
    return people


def browser_of(person, login, make_testapp):
    """The viewer's browser: logged in when they may log in, a stranger's otherwise."""
    if person is not None and person.status == "active":
        return login(person)
    return make_testapp()
