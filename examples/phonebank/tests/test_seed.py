"""The demo seeder: the first group's members agree to be called and it runs a campaign."""

from __future__ import annotations

from core.seeding import SeedContext
from pyramid.request import Request
from pyramid.scripting import prepare

from phonebank.models import PhonebankCampaign, PhonebankConsent
from phonebank.seed import seed_phonebank


def test_the_seeder_fills_the_first_group_once(app, connection, make_user, make_group,
                                               add_member):
    members = [make_user() for _ in range(3)]
    group = make_group("Section Lille", slug="lille")
    for member in members:
        add_member(group, member)
    request = Request.blank("/", environ={"cortege.test_connection": connection,
                                          "HTTP_HOST": "localhost"})
    env = prepare(request=request, registry=app.registry)
    request.tm.begin()
    try:
        context = SeedContext(request=request, options={})
        seed_phonebank(context)
        seed_phonebank(context)
        campaigns = request.dbsession.query(PhonebankCampaign).all()
        assert [c.group_id for c in campaigns] == [group.id]
        assert request.dbsession.query(PhonebankConsent).count() == 3
        assert context.notes == ["Phone bank: 3 members agreed to be called, one campaign."]
    finally:
        request.tm.abort()
        env["closer"]()
