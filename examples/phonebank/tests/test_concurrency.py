"""Calls logged at the same moment by several callers are all in the campaign's progress
(derived from the call rows; requests in threads, on a database that commits)."""

from __future__ import annotations

import uuid

from plugins.groups.models import MEMBER, Group, Membership
from sqlalchemy import func, select

from phonebank.models import PhonebankCall, PhonebankCampaign, PhonebankConsent


def test_calls_logged_at_once_are_all_counted(committed_site):
    slug = f"lille-{uuid.uuid4().hex[:8]}"
    (group,) = committed_site.add(Group(slug=slug, name="Lille", sort_name="lille",
                                        status="public", member_count=0))
    callers = [committed_site.make_user() for _ in range(6)]
    callees = [committed_site.make_user() for _ in range(6)]
    committed_site.add(*[Membership(group_id=group.id, user_id=user.id, state=MEMBER,
                                    role="moderator" if user in callers else "member")
                         for user in callers + callees],
                       *[PhonebankConsent(user_id=user.id, phone="+33 6 12 34 56 78",
                                          wording="I agree.") for user in callees])
    (campaign,) = committed_site.add(PhonebankCampaign(group_id=group.id, title="Market",
                                                       script="Say hello."))
    browsers = [committed_site.login(caller) for caller in callers]

    def call_everyone(browser):
        for callee in callees:
            path = f"/tools/phonebank/{campaign.id}/call/{callee.id}"
            token = browser.get(path).html.find("input", {"name": "csrf_token"})["value"]
            browser.post(path, {"csrf_token": token, "outcome": "no_answer", "note": ""},
                         status=303)

    committed_site.at_once(call_everyone, browsers)

    with committed_site.session() as session:
        calls = session.scalar(select(func.count()).select_from(PhonebankCall).where(
            PhonebankCall.campaign_id == campaign.id))
    assert calls == 36
    page = browsers[0].get(f"/tools/phonebank/{campaign.id}")
    assert page.html.select_one(".phonebank-totals dd").text == "36"  # all "no answer"
    per_caller = [row.select("td")[1].text for row in page.html.select(
        ".phonebank-callers tbody tr")]
    assert per_caller == ["6"] * 6
