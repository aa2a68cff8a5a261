"""Profiles on the spine: ``profiles.profile`` decides who has a page anyone may see, a change
of profile is published with its actor, and the service checks who edits, whoever calls it."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from core.content import may_see, visible_ids
from core.errors import Forbidden
from core.events import StoredEvent
from core.jobs import job_request
from plugins.profiles.interfaces import IProfileService
from plugins.profiles.models import FieldGroup, Value


def published(dbsession):
    return [(row.name, row.actor_id, row.payload) for row in dbsession.scalars(
        select(StoredEvent).order_by(StoredEvent.id))]


@pytest.fixture
def cortege_settings(cortege_settings, tmp_path_factory):
    folder = tmp_path_factory.getbasetemp() / "spine-avatars"
    return {**cortege_settings, "profiles.avatar_directory": str(folder)}


def test_a_profile_changed_by_its_member_or_an_admin_is_published(
        login, make_member, make_field, dbsession):
    camille, boss = make_member("camille"), make_member("boss", role="admin")
    city = make_field("City", "city")
    for editor in (camille, boss):
        form = login(editor).get("/members/camille/edit").forms["profile-form"]
        form[city.form_name] = "Lyon"
        form.submit(status=303)
    picture = io.BytesIO()
    Image.new("RGB", (300, 300), (200, 20, 20)).save(picture, "PNG")
    form = login(camille).get("/members/camille/edit").forms["avatar-form"]
    form["image"] = ("me.png", picture.getvalue(), "image/png")
    form.submit(status=303)
    payload = {"actor_id": camille.id, "user_id": camille.id}
    assert published(dbsession) == [
        ("profiles.updated", camille.id, payload),
        ("profiles.updated", boss.id, {**payload, "actor_id": boss.id}),
        ("profiles.updated", camille.id, payload)]


def test_only_the_member_and_admins_change_a_profile_whoever_calls(
        make_member, make_field, registry, dbsession):
    camille, other = make_member("camille"), make_member("other")
    gone = make_member("gone", role="admin", status="suspended")
    boss = make_member("boss", role="admin")
    city = make_field("City", "city")
    with job_request(registry) as request:
        request.tm.begin()
        try:
            service = request.find_service(IProfileService)
            for actor in (None, other, gone):
                with pytest.raises(Forbidden):
                    service.save_values(camille, {city: "Lyon"}, actor=actor)
                with pytest.raises(Forbidden):
                    service.remove_avatar(camille, actor=actor)
                with pytest.raises(Forbidden):
                    service.add_group("Mine", actor=actor)
            with pytest.raises(Forbidden):
                service.delete_field(city, actor=camille)  # fields are the admins'
            service.save_values(camille, {city: "Lyon"}, actor=boss)
            service.update_group(service.groups[0], "About you", actor=boss)
            request.tm.commit()
        except BaseException:
            request.tm.abort()
            raise
    dbsession.expire_all()
    assert dbsession.scalars(select(Value.value).where(Value.user_id == camille.id)).all() \
        == ["Lyon"]
    assert dbsession.scalars(select(FieldGroup.name)).all() == ["About you"]
    assert [(name, actor) for name, actor, _ in published(dbsession)] == [
        ("profiles.updated", boss.id)]


def test_one_rule_for_every_surface_of_a_profile(make_member, login, testapp, registry,
                                                 dbsession):
    from core.sitesettings import load_site_settings, save_site_settings

    camille = make_member("camille", display_name="Camille Zorro")
    away = make_member("away", display_name="Away Zorro", status="suspended")
    member = login(make_member("reader"))
    with job_request(registry) as request, request.tm:
        seen = set(request.dbsession.scalars(visible_ids(request, "profiles.profile", None)))
        assert camille.id in seen and away.id not in seen
        assert not may_see(request, "profiles.profile", away.id, camille)
    for browser in (testapp, member):
        assert browser.get("/members/camille").status_int == 200
        browser.get("/members/away", status=404)
        search = browser.get("/members", {"q": "zorro"})
        assert "Camille Zorro" in search.text and "Away Zorro" not in search.text
        assert search.html.select_one(".directory__count").text.strip() \
            .startswith("1 ")
    site = load_site_settings(dbsession, "Cortège")
    site.visibility = "members"
    save_site_settings(dbsession, site)
    dbsession.flush()
    with job_request(registry) as request, request.tm:
        assert not may_see(request, "profiles.profile", camille.id, None)
        assert may_see(request, "profiles.profile", camille.id, camille)
    assert testapp.get("/members/camille").status_int == 303  # sent to log in
    assert member.get("/members/camille").status_int == 200
