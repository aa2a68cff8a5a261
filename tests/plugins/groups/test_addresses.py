"""Group addresses tell nothing about hidden groups.

A hidden group's address ends with random characters, so nobody asking for an address runs
into it by chance. Asking for an address taken by a group one may know of is refused with a
sentence; asking for one taken by a group one may not know of (possible only with a hidden
group's whole address) is answered like a free address, with a random ending added.
"""

from __future__ import annotations

import re

from sqlalchemy import select, text

from core.migrate import Migrator
from plugins.groups.models import Group

SECRET_SLUG = re.compile(r"^cell-[0-9a-f]{10}$")


def _create(browser, name, slug="", status="public", expect=None):
    form = browser.get("/groups/new").forms["group-form"]
    form["name"], form["slug"], form["status"] = name, slug, status
    return form.submit(status=expect)


def _rename(browser, slug, new_slug, expect=None):
    form = browser.get(f"/groups/{slug}/edit").forms["group-form"]
    form["slug"] = new_slug
    return form.submit(status=expect)


def _slug(response) -> str:
    return response.location.rsplit("/", 1)[1]


def test_hidden_groups_get_addresses_nobody_can_guess(login, make_member, testapp):
    chief = login(make_member("chief"))
    slug = _slug(_create(chief, "Cell", status="hidden", expect=303))
    assert SECRET_SLUG.match(slug)
    # Anyone else asking for "cell" gets it, exactly as if no hidden group were called so.
    other = login(make_member("other"))
    assert _slug(_create(other, "Cell", expect=303)) == "cell"
    testapp.get(f"/groups/{slug}", status=404)
    assert chief.get(f"/groups/{slug}").status_int == 200
    # Turning a group hidden gives it such an address; its old one leads nowhere.
    form = other.get("/groups/cell/edit").forms["group-form"]
    form["status"] = "hidden"
    assert SECRET_SLUG.match(_slug(form.submit(status=303)))
    other.get("/groups/cell", status=404)


def test_an_address_taken_by_a_visible_group_is_refused(login, make_member, make_group):
    ana = make_member("ana")
    make_group("Lille", status="public", admin=ana)
    make_group("Roubaix", status="private", admin=ana)
    make_group("Tourcoing", status="public", admin=ana)
    browser = login(make_member("bob"))
    for slug in ("lille", "roubaix"):
        answer = _create(browser, "Mine", slug=slug, expect=400)
        assert "Another group already has this address" in answer.text
    # The same when renaming.
    answer = _rename(login(ana), "tourcoing", "lille", expect=400)
    assert "Another group already has this address" in answer.text


def test_an_address_taken_by_an_invisible_group_answers_like_a_free_one(
        login, make_member, make_group, dbsession):
    """Even someone who learnt a hidden group's address (a former member, a leaked link)
    cannot use the form to learn whether the group still exists."""
    chief, member, moderator = make_member("chief"), make_member("member"), make_member("modo")
    outsider = make_member("outsider")
    hidden = make_group("Cell", status="hidden", admin=chief, slug="cell-0123456789",
                        members=[member, (moderator, "moderator")])
    make_group("Outsiders", status="public", admin=outsider, slug="outsiders")
    browser = login(outsider)

    free = _create(browser, "Mine", slug="nobody-has-this", expect=303)
    free_page = free.follow()
    taken = _create(browser, "Other", slug=hidden.slug, expect=303)
    taken_page = taken.follow()
    assert [p.text for p in free_page.html.select(".flash, .alert")] == \
        [p.text for p in taken_page.html.select(".flash, .alert")] == ["The group is created."]
    assert _slug(free) == "nobody-has-this"
    assert _slug(taken).startswith(hidden.slug + "-")
    renamed = _rename(browser, "outsiders", hidden.slug, expect=303)
    assert _slug(renamed).startswith(hidden.slug + "-")
    dbsession.expire_all()
    assert dbsession.get(Group, hidden.id).slug == "cell-0123456789"

    # The group's members and moderators know it: they are told, as for any visible group.
    for person in (member, moderator):
        answer = _create(login(person), "Again", slug=hidden.slug, expect=400)
        assert "Another group already has this address" in answer.text


def test_the_migration_gives_existing_hidden_groups_secret_addresses(scratch_database_url):
    migrator = Migrator({"sqlalchemy.url": scratch_database_url,
                         "cortege.plugins": "profiles groups"})
    migrator.upgrade("core")
    migrator.upgrade("profiles")
    migrator.upgrade("groups", "f69de72825dd")
    with migrator.engine.begin() as connection:
        for slug, status in (("cell", "hidden"), ("lille", "public"), ("club", "private")):
            connection.execute(text(
                "INSERT INTO groups_group (slug, name, sort_name, description, status, "
                "invite_policy, postcode, city, member_count, created_at, last_active_at) "
                "VALUES (:slug, :slug, :slug, '', :status, 'members', '', '', 0, "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"), {"slug": slug, "status": status})
    migrator.upgrade("groups")
    with migrator.engine.connect() as connection:
        slugs = set(connection.execute(select(Group.slug)).scalars())
    assert {"lille", "club"} <= slugs and "cell" not in slugs
    assert any(SECRET_SLUG.match(slug) for slug in slugs)
    migrator.engine.dispose()
