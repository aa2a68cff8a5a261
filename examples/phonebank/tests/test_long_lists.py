"""A call list longer than ``phonebank.list_size``: the next to call first, counts for all."""

from __future__ import annotations

import pytest

from phonebank.models import PhonebankCall


@pytest.fixture
def cortege_settings(cortege_settings):
    return {**cortege_settings, "phonebank.list_size": "3"}


def test_the_list_shows_the_next_to_call_and_counts_everyone(login, make_user, make_group,
                                                             add_member, agree, make_campaign,
                                                             dbsession):
    olga = make_user("olga", display_name="Olga")
    people = [make_user(f"m{n}", display_name=f"Member {n}") for n in range(5)]
    group = make_group("Section Lille", slug="lille")
    add_member(group, olga, role="admin")
    for person in people:
        add_member(group, person)
    for person in people:
        agree(person)
    run = make_campaign(group)
    for person, outcome in ((people[0], "reached"), (people[1], "no_answer")):
        dbsession.add(PhonebankCall(campaign_id=run.id, callee_id=person.id, caller_id=olga.id,
                                    outcome=outcome))
    dbsession.flush()
    page = login(olga).get(f"/tools/phonebank/{run.id}")
    names = [row.select_one("td").text.strip() for row in page.html.select(".phonebank-callee")]
    assert names == ["Member 2", "Member 3", "Member 4"]
    assert "1 of 5 members done." in page.text
    assert "The first 3 members to call are shown" in page.text
