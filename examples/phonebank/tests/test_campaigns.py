"""Campaigns: the call list, logging calls, progress per caller, and who may see what."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from phonebank.models import PhonebankCall, PhonebankConsent


@pytest.fixture
def section(make_user, make_group, add_member, agree):
    """A group with an organiser, two members who agreed, one who did not, one banned."""
    people = {name: make_user(name, display_name=name.title())
              for name in ("olga", "alice", "bruno", "chloe", "dan", "outsider")}
    group = make_group("Section Lille", slug="lille")
    add_member(group, people["olga"], role="moderator")
    for name in ("alice", "bruno", "chloe"):
        add_member(group, people[name])
    add_member(group, people["dan"], state="banned")
    for name in ("alice", "bruno", "dan", "outsider"):
        agree(people[name], phone=f"+33 6 00 00 00 {len(name):02d}")
    return group, people


def callees(page):
    return [row.select_one("td").text.strip() for row in page.html.select(".phonebank-callee")]


def test_the_phone_bank_is_a_tool_of_the_hub(login, make_user):
    page = login(make_user()).get("/tools")
    assert page.html.select_one("#tool-phonebank a")["href"] == "http://localhost/tools/phonebank"


def test_the_groups_tools_tab_leads_to_its_phone_bank(section, login, testapp):
    _group, people = section
    page = login(people["alice"]).get("/groups/lille/tools")
    link = page.html.select_one("#tool-phonebank a")
    assert link["href"] == "http://localhost/tools/phonebank/group/lille"
    stranger = testapp.get("/groups/lille/tools")
    assert "The group's tools" in stranger.text
    assert stranger.html.select_one("#tool-phonebank") is None  # members only


def test_an_organiser_opens_a_campaign_for_the_members_who_agreed(section, login):
    _group, people = section
    browser = login(people["olga"])
    form = browser.get("/tools/phonebank/group/lille").forms["phonebank-campaign-form"]
    form["title"], form["script"] = "Saturday market", "1. Introduce yourself.\n2. Ask."
    page = form.submit().follow()
    assert "The campaign is open" in page.text
    assert page.html.select_one(".phonebank-script ol") is not None
    assert callees(page) == ["Alice", "Bruno"]
    assert "+33 6 00 00 00 05" in page.text
    assert "0 of 2 members done." in page.text


def test_calls_are_logged_and_counted_per_caller(section, login, make_campaign, max_queries,
                                                 make_user, add_member, agree, dbsession):
    group, people = section
    run = make_campaign(group)
    olga = login(people["olga"])
    form = olga.get(f"/tools/phonebank/{run.id}/call/{people['alice'].id}").forms[
        "phonebank-call-form"]
    form["outcome"], form["note"] = "reached", "Comes on Saturday"
    assert "Call logged." in form.submit().follow().text
    form = olga.get(f"/tools/phonebank/{run.id}/call/{people['bruno'].id}").forms[
        "phonebank-call-form"]
    form["outcome"] = "no_answer"
    form.submit()
    with max_queries(10):
        page = olga.get(f"/tools/phonebank/{run.id}")
    # Still to call first; done at the end.
    assert callees(page) == ["Bruno", "Alice"]
    assert "1 of 2 members done." in page.text
    rows = [[cell.text for cell in tr.select("td")]
            for tr in page.html.select(".phonebank-callers tbody tr")]
    assert rows == [["Olga", "2", "1"]]
    totals = [(dt.text, dd.text) for dt, dd in zip(page.html.select(".phonebank-totals dt"),
                                                   page.html.select(".phonebank-totals dd"))]
    assert totals == [("Reached: we talked", "1"), ("No answer", "1")]
    assert "No answer" in page.html.select_one(f"#callee-{people['bruno'].id}").text

    # As many queries with a longer list and more callers.
    for number in range(12):
        member = make_user(f"zoe-{number}")
        add_member(group, member, role="moderator" if number < 3 else "member")
        agree(member)
        dbsession.add(PhonebankCall(campaign_id=run.id, callee_id=member.id,
                                    caller_id=member.id, outcome="voicemail"))
    dbsession.flush()
    with max_queries(10):
        page = olga.get(f"/tools/phonebank/{run.id}")
    assert len(callees(page)) == 14
    assert len(page.html.select(".phonebank-callers tbody tr")) == 13


def test_a_member_not_on_the_list_cannot_be_logged(section, login, make_campaign, dbsession):
    group, people = section
    run = make_campaign(group)
    olga = login(people["olga"])
    for name in ("chloe", "dan", "outsider"):
        olga.get(f"/tools/phonebank/{run.id}/call/{people[name].id}", status=404)
    form = olga.get(f"/tools/phonebank/{run.id}/call/{people['alice'].id}").forms[
        "phonebank-call-form"]
    form["outcome"] = "reached"
    # Alice withdraws while the caller has her page open.
    dbsession.execute(delete(PhonebankConsent).where(
        PhonebankConsent.user_id == people["alice"].id))
    page = form.submit().follow()
    assert "This member is not on the call list any more." in page.text
    assert dbsession.query(PhonebankCall).count() == 0


def test_a_closed_campaign_logs_no_more_calls(section, login, make_campaign, dbsession):
    group, people = section
    run = make_campaign(group)
    olga = login(people["olga"])
    form = olga.get(f"/tools/phonebank/{run.id}/call/{people['alice'].id}").forms[
        "phonebank-call-form"]
    page = olga.get(f"/tools/phonebank/{run.id}").forms["phonebank-close-form"].submit().follow()
    assert "The campaign is closed." in page.text
    assert "phonebank-close-form" not in page.forms
    form["outcome"] = "reached"
    assert "This campaign is closed" in form.submit().follow().text
    assert dbsession.query(PhonebankCall).count() == 0


def test_members_who_do_not_organise_see_no_number(section, login, make_campaign):
    group, people = section
    run = make_campaign(group)
    alice = login(people["alice"])
    page = alice.get("/tools/phonebank/group/lille")
    assert "Market leafleting" in page.text
    assert "phonebank-campaign-form" not in page.forms
    assert "+33" not in page.text
    alice.get(f"/tools/phonebank/{run.id}", status=403)
    alice.get(f"/tools/phonebank/{run.id}/call/{people['bruno'].id}", status=403)
    token = alice.get("/tools/phonebank").forms[
        "phonebank-consent-form"]["csrf_token"].value
    alice.post("/tools/phonebank/group/lille", {"title": "Mine", "script": "x",
                                                "csrf_token": token}, status=403)


def test_a_hidden_groups_phone_bank_is_not_found_by_outsiders(login, make_user, make_group,
                                                              add_member, make_campaign):
    organiser, outsider = make_user("olga"), make_user("outsider")
    group = make_group("Secret", status="hidden", slug="secret")
    add_member(group, organiser, role="admin")
    run = make_campaign(group)
    stranger = login(outsider)
    stranger.get("/tools/phonebank/group/secret", status=404)
    stranger.get(f"/tools/phonebank/{run.id}", status=404)
    assert "Market leafleting" in login(organiser).get(f"/tools/phonebank/{run.id}").text


def test_a_caller_finds_their_campaigns_on_the_tool_page(section, login, make_campaign):
    group, people = section
    make_campaign(group, title="Saturday market")
    page = login(people["olga"]).get("/tools/phonebank")
    assert [a.text for a in page.html.select(".phonebank-campaigns a")] == ["Saturday market"]
    assert not login(people["alice"]).get("/tools/phonebank").html.select(".phonebank-campaigns")


def test_deleting_the_group_deletes_its_campaigns_and_calls(make_user, make_group, add_member,
                                                            agree, make_campaign, login,
                                                            dbsession):
    from phonebank.models import PhonebankCampaign

    chief, alice = make_user("chief"), make_user("alice")
    group = make_group("Cell", status="hidden", slug="cell")
    add_member(group, chief, role="admin")
    add_member(group, alice)
    agree(alice)
    run_id = make_campaign(group).id
    browser = login(chief)
    form = browser.get(f"/tools/phonebank/{run_id}/call/{alice.id}").forms[
        "phonebank-call-form"]
    form["outcome"] = "reached"
    form.submit()
    assert dbsession.query(PhonebankCall).count() == 1
    delete_form = browser.get("/groups/cell/delete").forms["delete-form"]
    delete_form["confirm"] = "cell"
    delete_form.submit(status=303)
    dbsession.expire_all()
    assert dbsession.query(PhonebankCampaign).count() == 0
    assert dbsession.query(PhonebankCall).count() == 0
    browser.get(f"/tools/phonebank/{run_id}", status=404)
