"""Group petitions: seen, signed and organised as the group's status and roles say."""

import pytest
from sqlalchemy import select

from plugins.petitions.models import Petition
from tests.plugins.petitions.conftest import fill_signature, signatures


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "tools", "petitions"]


@pytest.fixture
def world(make_group, add_member, make_user, make_petition, login, make_testapp):
    people = {name: make_user(name) for name in
              ("chief", "moderator", "member", "outsider", "site-admin")}
    people["site-admin"].role = "admin"
    groups = {}
    for status in ("public", "private", "hidden"):
        groups[status] = group = make_group(f"Section {status}", status=status,
                                            slug=f"section-{status}")
        add_member(group, people["chief"], role="admin")
        add_member(group, people["member"])
        add_member(group, people["moderator"], role="moderator")
    petitions = {status: make_petition(f"Petition of the {status} group", group=group,
                                       author=people["chief"])
                 for status, group in groups.items()}
    site = make_petition(title="Petition of the site")
    return {"people": people, "groups": groups, "petitions": petitions, "site": site,
            "browsers": Browsers(people, login, make_testapp)}


class Browsers(dict):
    """Each viewer's browser, logged in on first use only (logging in costs a password hash)."""

    def __init__(self, people, login, make_testapp):
        super().__init__()
        self.people, self.login, self.make_testapp = people, login, make_testapp

    def __missing__(self, name):
        self[name] = self.make_testapp() if name == "stranger" else self.login(self.people[name])
        return self[name]


SEES = {
    "stranger": {"public"},
    "outsider": {"public"},
    "member": {"public", "private", "hidden"},
    "moderator": {"public", "private", "hidden"},
    "chief": {"public", "private", "hidden"},
    "site-admin": {"public", "private", "hidden"},
}


@pytest.mark.parametrize("viewer", sorted(SEES))
def test_who_sees_group_petitions_everywhere(world, viewer):
    browser = world["browsers"][viewer]
    listed = [a.text for a in browser.get("/tools/petitions").html.select(".petition-card h2 a")]
    expected = {f"Petition of the {status} group" for status in SEES[viewer]}
    assert set(listed) == expected | {"Petition of the site"}
    for status, petition in world["petitions"].items():
        url = f"/tools/petitions/{petition.id}"
        group_url = f"/tools/petitions/group/{world['groups'][status].slug}"
        if status in SEES[viewer]:
            page = browser.get(url)
            assert page.html.h1.text == petition.title
            assert browser.get(group_url).html.select(".petition-card")
            assert browser.get(url + "/signers").status_int == 200
        else:
            # Not 403: a group's petitions, like the group itself, are not there for outsiders.
            browser.get(url, status=404)
            browser.get(url + "/signers", status=404)
            browser.get(group_url, status=404)
            browser.get(f"/tools/petitions/new?group={world['groups'][status].slug}",
                        status=404)


def test_an_outsider_cannot_sign_a_private_group_petition(world, dbsession):
    petition = world["petitions"]["private"]
    browser = world["browsers"]["outsider"]
    token = browser.get("/tools/petitions").html.select_one("input[name=csrf_token]")["value"]
    browser.post(f"/tools/petitions/{petition.id}/sign", {
        "csrf_token": token, "name": "Out", "email": "out@example.org", "consent": "y"},
        status=404)
    assert signatures(dbsession, petition) == []


def test_a_member_signs_the_private_group_petition(world, outbox, dbsession):
    petition = world["petitions"]["private"]
    page = world["browsers"]["member"].get(f"/tools/petitions/{petition.id}")
    assert page.html.select_one(".site-main a[href$='/group/section-private']")
    fill_signature(page, email=world["people"]["member"].email).submit(status=303)
    assert len(signatures(dbsession, petition)) == 1 and len(outbox) == 1


def test_the_tools_tab_leads_to_the_groups_petitions(world):
    group = world["groups"]["private"]
    page = world["browsers"]["member"].get(f"/groups/{group.slug}/tools")
    link = page.html.select_one("#tool-petitions a")
    assert link["href"] == f"http://localhost/tools/petitions/group/{group.slug}"
    listing = world["browsers"]["member"].get(link["href"])
    assert [a.text for a in listing.html.select(".petition-card h2 a")] == [
        "Petition of the private group"]
    world["browsers"]["outsider"].get(f"/groups/{group.slug}/tools", status=404)


@pytest.mark.parametrize("who", ["chief", "moderator"])
def test_group_admins_and_moderators_start_and_organise(world, who, dbsession):
    group = world["groups"]["hidden"]
    browser = world["browsers"][who]
    listing = browser.get(f"/tools/petitions/group/{group.slug}")
    form = listing.click(href="group=").forms["petition-form"]
    form["title"], form["text"], form["addressee"], form["goal"] = (
        "Our own petition", "Text", "the prefect", "50")
    page = form.submit(status=303).follow()
    petition = dbsession.scalars(select(Petition).order_by(Petition.id.desc())).first()
    assert petition.group_id == group.id and petition.title == "Our own petition"
    # Organisers of every petition of their group, not only their own.
    other = world["petitions"]["hidden"]
    assert browser.get(f"/tools/petitions/{other.id}/signatures.csv").status_int == 200
    other_page = browser.get(f"/tools/petitions/{other.id}")
    other_page.forms["close-form"].submit(status=303)
    dbsession.refresh(other)
    assert other.status == "closed"
    assert page.html.select_one("#export-link")


def test_a_plain_member_neither_starts_nor_organises(world, dbsession):
    group = world["groups"]["public"]
    browser = world["browsers"]["member"]
    listing = browser.get(f"/tools/petitions/group/{group.slug}")
    assert not listing.html.select("#new-petition")
    browser.get(f"/tools/petitions/new?group={group.slug}", status=403)
    petition = world["petitions"]["public"]
    browser.get(f"/tools/petitions/{petition.id}/signatures.csv", status=403)
    token = listing.html.select_one("input[name=csrf_token]")["value"]
    browser.post(f"/tools/petitions/{petition.id}/close", {"csrf_token": token}, status=403)
    dbsession.refresh(petition)
    assert petition.status == "open"


def test_the_seeder_gives_a_public_group_a_petition(make_group, registry, dbsession):
    from core.jobs import job_request
    from core.seeding import SeedContext
    from plugins.petitions.seed import seed_petitions

    make_group("Hidden one", status="hidden")
    public = make_group("Open one", status="public")
    with job_request(registry) as request, request.tm:
        seed_petitions(SeedContext(request, {}))
    grouped = dbsession.scalars(select(Petition).where(Petition.group_id.is_not(None))).all()
    assert [petition.group_id for petition in grouped] == [public.id]
