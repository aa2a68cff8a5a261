"""Event types in the admin area; the seeder's demo events and volume."""

from sqlalchemy import create_engine, select, text

from core.cli import main as cortege
from core.db import normalise_url
from plugins.agenda.models import EventType
from tests.core.test_migrations import write_ini


def type_names(page):
    return [row.select_one("input[name=name]")["value"] for row in page.html.select("#types tbody tr")]


def test_every_site_starts_with_the_usual_types_shown_translated(login, make_user):
    admin = login(make_user(role="admin", locale="fr"))
    names = type_names(admin.get("/admin/agenda"))
    assert names[:3] == ["Réunion", "Tractage", "Porte-à-porte"] and len(names) == 8


def test_admin_adds_renames_orders_and_deletes_types(login, make_user, make_event, dbsession):
    admin = login(make_user(role="admin"))
    page = admin.get("/admin/agenda")
    form = page.forms["type-form"]
    form["name"] = "Pétition en ligne"
    form.submit(status=303)
    added = dbsession.scalar(select(EventType).where(EventType.name == "Pétition en ligne"))
    assert added.slug == "petition-en-ligne"
    added_id = added.id
    page = admin.get("/admin/agenda")
    assert type_names(page)[-1] == "Pétition en ligne"
    csrf = page.html.select_one('input[name="csrf_token"]')["value"]
    admin.post(f"/admin/agenda/types/{added_id}/up", {"csrf_token": csrf}, status=303)
    assert type_names(admin.get("/admin/agenda"))[-2] == "Pétition en ligne"
    admin.post(f"/admin/agenda/types/{added_id}/rename",
               {"csrf_token": csrf, "name": "Online petition"}, status=303)
    assert "Online petition" in type_names(admin.get("/admin/agenda"))
    # A type in use stays; an unused one goes.
    used = make_event(type="social")
    page = admin.post(f"/admin/agenda/types/{used.type_id}/delete", {"csrf_token": csrf}).follow()
    assert "rename it instead" in page.html.select_one(".flash").text
    admin.post(f"/admin/agenda/types/{added_id}/delete", {"csrf_token": csrf}, status=303)
    dbsession.expire_all()
    assert dbsession.get(EventType, added_id) is None


def test_members_may_not_manage_types(login, make_user, testapp):
    login(make_user()).get("/admin/agenda", status=403)
    assert "/login" in testapp.get("/admin/agenda").location


def test_seed_demo_events_then_volume(tmp_path, scratch_database_url):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, plugins="agenda")
    assert cortege(["db", "upgrade", str(ini)]) == 0
    assert cortege(["seed", str(ini), "--events", "500"]) == 0
    engine = create_engine(normalise_url(scratch_database_url))
    try:
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM agenda_event")).scalar()
            assert count == 16 + 12 + 500
            assert connection.execute(text("SELECT count(*) FROM agenda_rsvp")).scalar() > 16
            over = connection.execute(text(
                "SELECT count(*) FROM agenda_event WHERE capacity IS NOT NULL "
                "AND seats_taken > capacity")).scalar()
            assert over == 0
    finally:
        engine.dispose()


def test_seed_gives_groups_some_events(tmp_path, scratch_database_url):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url,
                    plugins="profiles groups agenda")
    ini.write_text(ini.read_text() + f"cortege.uploads_directory = {tmp_path}/uploads\n")
    assert cortege(["db", "upgrade", str(ini)]) == 0
    assert cortege(["seed", str(ini)]) == 0
    engine = create_engine(normalise_url(scratch_database_url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT count(DISTINCT group_id) FROM agenda_event WHERE group_id IS NOT NULL "
                "AND visibility = 'group'")).scalar()
            assert rows >= 2
    finally:
        engine.dispose()
