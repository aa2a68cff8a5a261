"""The pytest plugin's own promises: isolation, query counting, outbox."""

import pytest
from sqlalchemy import func, select

from core.accounts.models import User


def test_query_counter_fails_past_the_bound(max_queries, testapp, dbsession):
    with max_queries(20) as counter:
        testapp.get("/")
    assert counter.count >= 1
    with pytest.raises(pytest.fail.Exception, match="queries, more than 0"), max_queries(0):
        testapp.get("/")


@pytest.mark.parametrize("round_", [1, 2])
def test_each_test_starts_from_an_empty_database(round_, make_user, dbsession):
    assert dbsession.scalar(select(func.count()).select_from(User)) == 0
    make_user("only-one")
    assert dbsession.scalar(select(func.count()).select_from(User)) == 1


def test_request_writes_are_visible_to_the_test_and_rolled_back_after(
    make_user, login, dbsession
):
    user = make_user("writer")
    login(user)
    dbsession.expire_all()
    assert dbsession.get(User, user.id).last_login_at is not None
