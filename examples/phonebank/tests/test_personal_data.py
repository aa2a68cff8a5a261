"""The phone bank in the member's data export, and what deleting the account leaves."""

from __future__ import annotations

import json

from core.testing import TEST_PASSWORD

from phonebank.models import PhonebankCall, PhonebankCampaign, PhonebankConsent


def test_export_and_erase(login, make_user, make_group, add_member, agree, make_campaign,
                          dbsession):
    olga, alice = make_user("olga"), make_user("alice")
    group = make_group("Section Lille", slug="lille")
    add_member(group, olga, role="admin")
    add_member(group, alice)
    agree(alice, phone="+33 6 98 76 54 32")
    run = make_campaign(group)
    dbsession.add(PhonebankCall(campaign_id=run.id, callee_id=alice.id, caller_id=olga.id,
                                outcome="reached", note="Will come"))
    dbsession.flush()

    received = json.loads(login(alice).get("/account/export.json").text)["phonebank"]
    assert received["consent"]["phone"] == "+33 6 98 76 54 32"
    assert [(c["campaign"], c["outcome"], c["note"]) for c in received["calls_received"]] == [
        ("Market leafleting", "reached", "Will come")]
    made = json.loads(login(olga).get("/account/export.json").text)["phonebank"]
    assert made["consent"] is None and len(made["calls_made"]) == 1

    for person in (olga, alice):
        browser = login(person)
        form = browser.get("/account").forms["delete-form"]
        form["password"], form["confirm"] = TEST_PASSWORD, True
        assert form.submit().status_int == 303
    dbsession.expire_all()
    assert dbsession.query(PhonebankConsent).count() == 0
    assert dbsession.query(PhonebankCall).count() == 0
    assert dbsession.get(PhonebankCampaign, run.id).created_by_id is None
