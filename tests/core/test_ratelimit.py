"""Rate limits: in memory, in Redis, and failing open when Redis is away."""

import logging
import re
import uuid

import pytest
import webtest

from core.ratelimit import RateLimiter
from core.testing import TEST_PASSWORD, build_app

REDIS = "redis://127.0.0.1:6379/0"
UNREACHABLE = "redis://127.0.0.1:1"
RETRY = re.compile(r"Try again in (\d+) seconds\.")


def attempt(browser, login: str, password: str, **headers):
    form = browser.get("/login", headers=headers).forms["login-form"]
    form["login"], form["password"] = login, password
    return form.submit(headers=headers)


def use_up_login_attempts(limiter, address="127.0.0.1", count=10):
    """What failed logins from ``address`` leave behind, without a password hash each."""
    for _ in range(count):
        limiter.hit("10/minute", "login", address)


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_limiter():
    """A limiter on the local Redis under a key prefix of its own, cleared afterwards."""
    if not redis_answers():
        pytest.skip(f"Redis does not answer at {REDIS}; start it to test the Redis storage")
    limiter = RateLimiter(REDIS, key_prefix=f"cortege-test-{uuid.uuid4().hex}")
    yield limiter
    limiter.reset()  # deletes only the keys under this limiter's prefix


def test_memory_limit_blocks_and_says_when_to_retry():
    limiter = RateLimiter("memory://")
    assert [limiter.hit("3/minute", "sign", "a").allowed for _ in range(3)] == [True] * 3
    verdict = limiter.hit("3/minute", "sign", "a")
    assert not verdict.allowed and 1 <= verdict.retry_after <= 60
    assert limiter.hit("3/minute", "sign", "b").allowed  # another key has its own count
    assert limiter.hit("3/minute", "post", "a").allowed  # and so has another action


def test_login_is_limited_per_address(testapp, app, make_testapp, make_user):
    user = make_user()
    # The login form allows 10 attempts a minute from one address; the tenth goes through HTTP.
    use_up_login_attempts(app.registry["cortege.ratelimiter"], count=9)
    assert "do not match" in attempt(testapp, user.username, "not the password").text
    page = attempt(testapp, user.username, TEST_PASSWORD)  # even the right password waits
    assert page.status_int == 200
    seconds = int(RETRY.search(page.html.find(class_="alert").text).group(1))
    assert 1 <= seconds <= 60
    assert "Log out" not in testapp.get("/").text
    elsewhere = make_testapp(REMOTE_ADDR="192.0.2.7")
    assert attempt(elsewhere, user.username, TEST_PASSWORD).status_int == 303


def test_limit_message_is_translated(testapp, app, make_user):
    user = make_user()
    use_up_login_attempts(app.registry["cortege.ratelimiter"])
    page = attempt(testapp, user.username, TEST_PASSWORD, **{"Accept-Language": "fr"})
    assert re.search(r"Trop de tentatives\. Réessayez dans \d+ secondes\.", page.text)


def test_redis_limit_is_shared_between_processes(redis_limiter):
    other_process = RateLimiter(REDIS, key_prefix=redis_limiter.storage.key_prefix)
    assert redis_limiter.hit("2/minute", "sign", "a").allowed
    assert other_process.hit("2/minute", "sign", "a").allowed
    verdict = redis_limiter.hit("2/minute", "sign", "a")
    assert not verdict.allowed and 1 <= verdict.retry_after <= 60
    assert not other_process.hit("2/minute", "sign", "a").allowed
    assert redis_limiter.hit("2/minute", "sign", "b").allowed


def test_login_limit_with_redis(redis_limiter, cortege_settings, cortege_engine, connection,
                                make_user):
    app = build_app({**cortege_settings, "cortege.ratelimit_storage": REDIS}, cortege_engine)
    app.registry["cortege.ratelimiter"] = redis_limiter  # the same storage, under our prefix
    address = f"2001:db8::{uuid.uuid4().hex[:4]}"
    browser = webtest.TestApp(app, extra_environ={
        "cortege.test_connection": connection, "HTTP_HOST": "localhost", "REMOTE_ADDR": address})
    user = make_user()
    assert attempt(browser, user.username, "not the password").status_int == 200
    use_up_login_attempts(redis_limiter, address)
    assert RETRY.search(attempt(browser, user.username, TEST_PASSWORD).text)


class TestRedisAway:
    @pytest.fixture
    def cortege_settings(self, cortege_settings):
        return {**cortege_settings, "cortege.ratelimit_storage": UNREACHABLE}

    def test_login_fails_open_with_a_log_line(self, testapp, make_user, caplog):
        user = make_user()
        with caplog.at_level(logging.WARNING, logger="core.ratelimit"):
            for _ in range(2):
                page = attempt(testapp, user.username, "not the password")
                assert page.status_int == 200 and "do not match" in page.text
            assert attempt(testapp, user.username, TEST_PASSWORD).status_int == 303
        lines = [r.getMessage() for r in caplog.records if r.name == "core.ratelimit"]
        assert len(lines) == 3  # one per attempt
        assert all(f"rate limit storage {UNREACHABLE} unavailable" in line for line in lines)
        assert all("\n" not in line for line in lines)
