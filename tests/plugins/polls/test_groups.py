"""Polls run by a group: its members are the electorate; the group's visibility rules hold."""

import pytest
from sqlalchemy import select

from plugins.polls.models import Ballot, Poll
from tests.plugins.polls.conftest import token


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "tools", "polls"]


@pytest.fixture
def section(make_group, add_member, make_user):
    """A group with an admin, a moderator, two members and a banned one, and an outsider."""

    def factory(status="public"):
        people = {name: make_user() for name in
                  ("admin", "moderator", "member", "other", "banned", "outsider")}
        group = make_group(f"Section {status}", status=status, slug=f"section-{status}")
        for name in ("admin", "moderator"):
            add_member(group, people[name], role=name)
        add_member(group, people["member"])
        add_member(group, people["other"])
        add_member(group, people["banned"], state="banned")
        return group, people

    return factory


def group_poll(make_poll, group, **values):
    return make_poll(["Yes", "No"], group=group, **values)


class TestElectorate:
    def test_only_the_groups_members_vote(self, section, make_poll, login, vote, dbsession,
                                          poll_service):
        group, people = section("public")
        poll = group_poll(make_poll, group)
        service = poll_service
        assert service.electorate_size(poll) == 4
        assert {name for name, person in people.items() if service.may_vote(poll, person)} == {
            "admin", "moderator", "member", "other"}

        vote(people["member"], poll, {"choice": poll.options[0].id})
        for name in ("outsider", "banned"):
            browser = login(people[name])
            page = browser.get(f"/tools/polls/{poll.id}")  # a public group's poll is seen
            assert not page.html.find(id="ballot-form") and page.html.find(id="not-in-electorate")
            refused = browser.post(f"/tools/polls/{poll.id}", {
                "csrf_token": token(page), "choice": str(poll.options[1].id)}, status=400)
            assert "Only the members this poll consults" in refused.text
        assert [b.choices for b in dbsession.scalars(
            select(Ballot).where(Ballot.poll_id == poll.id))] == [[poll.options[0].id]]

    def test_the_page_says_who_is_consulted(self, section, make_poll, login):
        group, people = section("public")
        poll = group_poll(make_poll, group)
        page = login(people["member"]).get(f"/tools/polls/{poll.id}")
        assert f"Consults the members of the group {group.name}." in page.text
        assert "4 voters may take part" in page.text


class TestVisibility:
    @pytest.mark.parametrize("status", ["private", "hidden"])
    def test_outsiders_get_404_everywhere(self, section, make_poll, login, status):
        group, people = section(status)
        poll = group_poll(make_poll, group, title="Inner question")
        outsider = login(people["outsider"])
        outsider.get(f"/tools/polls/{poll.id}", status=404)
        outsider.get(f"/tools/polls/group/{group.slug}", status=404)
        outsider.get(f"/tools/polls/new?group={group.slug}", status=404)
        assert "Inner question" not in outsider.get("/tools/polls").text
        member = login(people["member"])
        assert "Inner question" in member.get("/tools/polls").text
        assert "Inner question" in member.get(f"/tools/polls/group/{group.slug}").text
        member.get(f"/tools/polls/{poll.id}", status=200)

    def test_the_group_list_holds_only_its_polls(self, section, make_poll, login):
        group, people = section("public")
        group_poll(make_poll, group, title="Group question")
        make_poll(title="Site question")
        page = login(people["outsider"]).get(f"/tools/polls/group/{group.slug}")
        assert [h.text for h in page.html.select(".polls-list h2")] == ["Group question"]


class TestCreating:
    def test_group_admins_and_moderators_create_group_polls(self, section, login, dbsession):
        group, people = section("private")
        for name in ("admin", "moderator"):
            browser = login(people[name])
            assert "New poll" in browser.get(f"/tools/polls/group/{group.slug}").text
            page = browser.get(f"/tools/polls/new?group={group.slug}")
            form = page.forms["poll-form"]
            form["title"], form["options"] = f"Asked by the {name}", "Yes\nNo"
            form["closes_at"] = "2099-01-01T10:00"
            form.submit(status=303)
        polls = dbsession.scalars(select(Poll).where(Poll.group_id == group.id)).all()
        assert sorted(p.title for p in polls) == ["Asked by the admin", "Asked by the moderator"]

    def test_plain_members_cannot(self, section, login):
        group, people = section("public")
        browser = login(people["member"])
        assert "New poll" not in browser.get(f"/tools/polls/group/{group.slug}").text
        browser.get(f"/tools/polls/new?group={group.slug}", status=403)

    def test_the_group_admin_may_close_a_group_poll(self, section, make_poll, login):
        group, people = section("public")
        poll = group_poll(make_poll, group)
        admin = login(people["admin"])
        page = admin.get(f"/tools/polls/{poll.id}")
        admin.post(f"/tools/polls/{poll.id}/close", {"csrf_token": token(page)}, status=303)
        assert "Closed on" in admin.get(f"/tools/polls/{poll.id}").text
        member = login(people["member"])
        page = member.get(f"/tools/polls/{poll.id}")
        assert not page.html.find(id="close-form")


def test_the_groups_tools_tab_leads_to_its_polls(section, make_poll, login):
    group, people = section("private")
    group_poll(make_poll, group, title="Inner question")
    member = login(people["member"])
    tab = member.get(f"/groups/{group.slug}/tools")
    link = tab.html.find("a", href=lambda href: href and href.endswith(
        f"/tools/polls/group/{group.slug}"))
    assert link is not None
    assert "Inner question" in member.get(link["href"]).text
