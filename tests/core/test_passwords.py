"""Password hashes: OWASP's argon2id parameters, old hashes upgraded at login, and a bound on
the hashes that run at once in a process."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select

from core.accounts import passwords
from core.accounts.models import User
from core.testing import TEST_PASSWORD


def parameters(password_hash):
    found = extract_parameters(password_hash)
    return found.type.name, found.memory_cost, found.time_cost, found.parallelism


def test_new_hashes_use_owasp_parameters():
    assert parameters(passwords.hash_password("violet harbour")) == ("ID", 19 * 1024, 2, 1)


@pytest.mark.parametrize("old", [
    PasswordHasher(),  # argon2-cffi's default, used before: 64 MiB, 3 iterations, 4 lanes
    PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1),
], ids=["64-MiB", "weaker"])
def test_old_password_hashes_are_upgraded_at_login(old, make_user, login, dbsession):
    user = make_user("louise")
    user.password_hash = old.hash(TEST_PASSWORD)
    dbsession.flush()
    login(user)
    dbsession.refresh(user)
    assert parameters(user.password_hash) == ("ID", 19 * 1024, 2, 1)
    assert passwords.verify_password(user.password_hash, TEST_PASSWORD)
    assert not passwords.needs_rehash(user.password_hash)


def test_a_login_records_its_time_at_most_once_an_hour(make_user, login, dbsession,
                                                       query_counter):
    user = make_user("louise")
    login(user)
    dbsession.refresh(user)
    first = user.last_login_at
    assert first is not None
    query_counter.statements.clear()
    login(user)  # a second login soon after writes nothing to the member's row
    assert not [s for s in query_counter.statements
                if s.lstrip().upper().startswith("UPDATE USERS")]
    dbsession.refresh(user)
    assert user.last_login_at == first


def test_hashes_at_once_are_bounded_per_process(committed_site):
    """Eight hashes and six logins asked at once: never more than the setting (2) run."""
    gate = passwords.gate
    assert gate.size == 2
    gate.reset_peak()
    committed_site.at_once(passwords.hash_password, [f"password {n}" for n in range(8)])
    assert gate.peak == 2
    members = [committed_site.make_user() for _ in range(6)]
    gate.reset_peak()
    browsers = committed_site.at_once(committed_site.login, members)
    assert gate.peak == 2
    with committed_site.session() as session:
        logged = session.scalars(select(User.last_login_at).where(
            User.id.in_([member.id for member in members]))).all()
    assert len(browsers) == 6 and all(logged)
