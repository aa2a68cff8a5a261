"""Sessions kept on the server: logging out, logging out everywhere, a password change, a
suspension and a deleted account end every copy of the cookie at once; the account page lists
the open sessions. Each test runs with the sessions in the database and in Redis."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import redis
from sqlalchemy import select, update

from core.accounts.models import UserSession
from core.accounts.sessions import LIFETIME, TOUCH_INTERVAL, session_key
from core.testing import TEST_PASSWORD
from tests.core.test_ratelimit import REDIS, redis_answers

GOOD_PASSWORD = "a much longer passphrase 42"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


@pytest.fixture(params=["database", "redis"])
def storage(request):
    """The sessions' store for this test; a Redis one under a key prefix of its own."""
    if request.param == "database":
        yield {"cortege.session_storage": "database"}
        return
    if not redis_answers():
        pytest.skip(f"Redis does not answer at {REDIS}; start it to test the Redis sessions")
    prefix = f"cortege-test-{uuid.uuid4().hex}:"
    yield {"cortege.session_storage": REDIS, "cortege.session_key_prefix": prefix}
    client = redis.Redis.from_url(REDIS)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def cortege_settings(cortege_settings, storage):
    return {**cortege_settings, **storage}


def copy_of(browser, make_testapp):
    """Another browser holding a copy of ``browser``'s session cookie."""
    thief = make_testapp()
    thief.set_cookie("cortege_session", browser.cookies["cortege_session"])
    return thief


def is_stranger(browser) -> bool:
    return "/login" in browser.get("/account", status=303).location


def is_member(browser) -> bool:
    return browser.get("/account").status_int == 200


def log_out(browser):
    page = browser.get("/")
    next(form for form in page.forms.values() if form.action.endswith("/logout")).submit(
        status=303)


def test_a_copy_of_the_cookie_is_a_stranger_after_logout(make_user, login, make_testapp):
    user = make_user()
    browser = login(user)
    copy = copy_of(browser, make_testapp)
    assert is_member(copy)
    log_out(browser)
    assert is_stranger(browser) and is_stranger(copy)


def test_log_out_everywhere_ends_every_other_session_and_its_copies(make_user, login,
                                                                   make_testapp):
    user = make_user()
    here, elsewhere = login(user), login(user)
    copy = copy_of(elsewhere, make_testapp)
    here.get("/account").forms["sessions-form"].submit(status=303)
    assert is_member(here)
    assert is_stranger(elsewhere) and is_stranger(copy)


def test_a_password_change_ends_every_other_session(make_user, login, make_testapp):
    user = make_user()
    here, elsewhere = login(user), login(user)
    copies = [copy_of(here, make_testapp), copy_of(elsewhere, make_testapp)]
    form = here.get("/account").forms["password-form"]
    form["current_password"], form["new_password"] = TEST_PASSWORD, GOOD_PASSWORD
    form.submit(status=303)
    assert is_member(here)  # this browser goes on, in a new session
    assert is_stranger(elsewhere) and all(is_stranger(copy) for copy in copies)


def test_a_password_reset_ends_every_session(make_user, login, make_testapp, testapp, outbox):
    user = make_user()
    browser = login(user)
    form = testapp.get("/password/forgot").forms["forgot-form"]
    form["email"] = user.email
    form.submit(status=303)
    link = next(line for line in outbox[-1].body.splitlines() if "/password/reset/" in line)
    form = testapp.get(link.strip()[len("http://localhost"):]).forms["reset-form"]
    form["password"] = GOOD_PASSWORD
    form.submit(status=303)
    assert is_stranger(browser)


def test_suspension_ends_every_session_for_good(make_user, login, make_testapp):
    member = make_user()
    browser = login(member)
    copy = copy_of(browser, make_testapp)
    admin = login(make_user(role="admin"))
    for action in ("suspend", "reinstate"):
        page = admin.get(f"/admin/members?q={member.username}")
        page.forms[f"{action}-{member.id}"].submit(status=303)
        assert is_stranger(browser) and is_stranger(copy)  # reinstating revives nothing


def test_a_deleted_account_leaves_no_session(make_user, login, make_testapp, app, dbsession):
    user = make_user()
    browser, other = login(user), login(user)
    form = browser.get("/account").forms["delete-form"]
    form["password"], form["confirm"] = TEST_PASSWORD, True
    form.submit(status=303)
    assert is_stranger(other)
    store = app.registry["cortege.session_store"]
    assert store.sessions_of(dbsession, user.id) == []


def test_the_account_page_lists_open_sessions_and_ends_one(make_user, login, make_testapp):
    user = make_user()
    here = login(user)
    here.extra_environ["HTTP_USER_AGENT"] = FIREFOX
    phone = make_testapp(HTTP_USER_AGENT=IPHONE)
    form = phone.get("/login").forms["login-form"]
    form["login"], form["password"] = user.username, TEST_PASSWORD
    form.submit(status=303)
    copy = copy_of(phone, make_testapp)

    page = here.get("/account")
    items = page.html.select(".session-list__item")
    assert len(items) == 2
    phone_item = next(item for item in items if "Mobile Safari 17 on iOS" in item.text)
    assert phone_item.find("em") is None and phone_item.find("form") is not None
    mine = next(item for item in items if item is not phone_item)
    assert mine.find("em").text == "this session" and mine.find("form") is None

    ending = next(form for form in page.forms.values()
                  if form.action.endswith("/account/sessions/end"))
    response = ending.submit(status=303)
    assert "That session is logged out." in response.follow().text
    assert is_stranger(phone) and is_stranger(copy) and is_member(here)
    assert len(here.get("/account").html.select(".session-list__item")) == 1


def test_a_member_cannot_end_someone_elses_session(make_user, login, app, dbsession):
    victim = login(make_user())
    key = session_key(_token_of(app, dbsession, victim))
    attacker = login(make_user())
    token = attacker.get("/account").html.select_one("input[name=csrf_token]")["value"]
    attacker.post("/account/sessions/end", {"csrf_token": token, "key": key}, status=303)
    assert is_member(victim)


def _token_of(app, dbsession, browser) -> str:
    """The token inside ``browser``'s signed cookie, read the way the site reads it."""
    from pyramid.request import Request
    from pyramid.scripting import prepare

    request = Request.blank("/", headers={
        "Cookie": f"cortege_session={browser.cookies['cortege_session']}"})
    env = prepare(request=request, registry=app.registry)
    try:
        return request.session["auth.token"]
    finally:
        env["closer"]()


def test_an_unused_session_runs_out(make_user, login, app, dbsession, storage):
    user = make_user()
    browser = login(user)
    key = session_key(_token_of(app, dbsession, browser))
    age(app, dbsession, key, LIFETIME + dt.timedelta(minutes=1))
    assert is_stranger(browser)


def age(app, dbsession, key: str, by: dt.timedelta) -> None:
    """Make the session ``key`` look last used ``by`` ago."""
    store = app.registry["cortege.session_store"]
    if hasattr(store, "redis"):
        session = store._load(key, store.redis.get(store._name(key)))
        session.last_seen_at -= by
        with store.redis.pipeline() as pipe:
            store._save(pipe, session)
            pipe.execute()
    else:
        row = dbsession.scalar(select(UserSession).where(UserSession.key == key))
        dbsession.execute(update(UserSession).where(UserSession.key == key)
                          .values(last_seen_at=row.last_seen_at - by))
        dbsession.flush()
        dbsession.expire_all()


def last_seen(app, dbsession, key):
    store = app.registry["cortege.session_store"]
    dbsession.expire_all()
    (session,) = [s for s in store.sessions_of(dbsession, _user_id(app, dbsession, key))
                  if s.key == key]
    return session.last_seen_at


def _user_id(app, dbsession, key):
    store = app.registry["cortege.session_store"]
    if hasattr(store, "redis"):
        return store._load(key, store.redis.get(store._name(key))).user_id
    return dbsession.scalar(select(UserSession.user_id).where(UserSession.key == key))


def test_reading_is_one_lookup_and_last_seen_is_written_only_now_and_then(
        make_user, login, app, dbsession, query_counter, storage):
    user = make_user()
    browser = login(user)
    key = session_key(_token_of(app, dbsession, browser))
    seen = last_seen(app, dbsession, key)
    query_counter.statements.clear()
    browser.get("/account")
    statements = list(query_counter.statements)
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE USER_SESSIONS")]
    assert last_seen(app, dbsession, key) == seen
    if storage["cortege.session_storage"] == "database":  # one query: the session and its user
        lookups = [s for s in statements if "user_sessions" in s]
        assert len(lookups) == 2, lookups  # this request's, and the account page's list
        assert "JOIN user_sessions" in lookups[0]

    age(app, dbsession, key, TOUCH_INTERVAL + dt.timedelta(seconds=1))
    before = last_seen(app, dbsession, key)
    browser.get("/")
    assert last_seen(app, dbsession, key) > before + TOUCH_INTERVAL
