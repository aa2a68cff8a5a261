"""Accounts publish what happens to them; the account service checks who asks."""

import re

import pytest
from sqlalchemy import select

from core.accounts.interfaces import IAccountService
from core.accounts.models import User
from core.errors import Forbidden
from core.events import StoredEvent
from core.jobs import job_request
from tests.core.test_accounts import register


def events(dbsession):
    return [(row.name, row.actor_id, row.payload)
            for row in dbsession.scalars(select(StoredEvent).order_by(StoredEvent.id))]


def test_registering_and_confirming_publish_events(testapp, dbsession, outbox):
    register(testapp)
    user = dbsession.scalars(select(User).where(User.username == "rosa")).one()
    assert events(dbsession) == [("accounts.registered", user.id, {"actor_id": user.id,
                                                                   "user_id": user.id})]
    [message] = outbox
    link = re.search(r"https?://\S+/register/confirm/\S+", message.body).group(0)
    testapp.get(link).forms["confirm-form"].submit(status=303)
    assert events(dbsession)[-1][:2] == ("accounts.activated", user.id)


def test_admin_actions_publish_events_with_the_admin_as_actor(make_user, login, dbsession):
    admin, member = make_user(role="admin"), make_user()
    browser = login(admin)
    page = browser.get("/admin/members")
    token = page.html.select_one('input[name="csrf_token"]')["value"]
    for action, data in (("suspend", {}), ("reinstate", {}), ("role", {"role": "moderator"})):
        browser.post(f"/admin/members/{member.id}/{action}", {"csrf_token": token, **data},
                     status=303)
    assert [(name, actor) for name, actor, _payload in events(dbsession)] == [
        ("accounts.suspended", admin.id), ("accounts.reinstated", admin.id),
        ("accounts.role_changed", admin.id)]
    assert events(dbsession)[-1][2]["role"] == "moderator"


def test_the_service_refuses_administration_to_a_member_whoever_calls_it(make_user, registry,
                                                                        dbsession):
    member, other = make_user(), make_user()
    with job_request(registry) as request:
        accounts = request.find_service(IAccountService)
        with pytest.raises(Forbidden):
            accounts.suspend(other, actor=member)
        with pytest.raises(Forbidden):
            accounts.set_role(member, "admin", actor=member)
        with pytest.raises(Forbidden):
            accounts.delete_account(other, actor=member)
    dbsession.expire_all()
    assert dbsession.get(User, other.id).status == "active"
    assert dbsession.get(User, member.id).role == "member"
