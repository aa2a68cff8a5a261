"""`cortege user add` and `cortege user role` on a real database."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from core.cli import main as cortege
from core.db import normalise_url
from tests.core.test_migrations import write_ini

PASSWORD = "violet harbour seventeen lanterns"


@pytest.fixture
def ini(tmp_path, scratch_database_url):
    path = write_ini(tmp_path / "site.ini", scratch_database_url)
    assert cortege(["db", "upgrade", str(path)]) == 0
    yield path, scratch_database_url


def role_of(url: str, username: str):
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return connection.execute(
                text("SELECT role, status FROM users WHERE username = :u"), {"u": username}
            ).one_or_none()
    finally:
        engine.dispose()


def test_add_admin_then_change_roles(ini, capsys):
    path, url = ini
    assert cortege(["user", "add", str(path), "--email", "chief@example.org", "--name", "Chief",
                    "--username", "chief", "--password", PASSWORD, "--admin"]) == 0
    assert "Created chief (admin)" in capsys.readouterr().out
    assert tuple(role_of(url, "chief")) == ("admin", "active")
    assert cortege(["user", "add", str(path), "--email", "rosa@example.org", "--name", "Rosa",
                    "--password", PASSWORD]) == 0
    assert tuple(role_of(url, "rosa")) == ("member", "active")
    assert cortege(["user", "role", str(path), "rosa", "moderator"]) == 0
    assert role_of(url, "rosa")[0] == "moderator"


@pytest.mark.parametrize(("arguments", "message"), [
    (["--email", "nope", "--name", "X", "--password", PASSWORD], "valid email"),
    (["--email", "alice@example.org", "--name", "X", "--password", "short"], "at least 10"),
    (["--email", "a@example.org", "--name", "X", "--username", "a b", "--password", PASSWORD],
     "letters, digits"),
])
def test_add_refuses_bad_input_in_one_sentence(ini, capsys, arguments, message):
    path, _url = ini
    assert cortege(["user", "add", str(path), *arguments]) == 1
    assert message in capsys.readouterr().err


def test_duplicates_and_unknown_roles_are_refused(ini, capsys):
    path, _url = ini
    add = ["user", "add", str(path), "--email", "chief@example.org", "--name", "Chief",
           "--username", "chief", "--password", PASSWORD, "--admin"]
    assert cortege(add) == 0
    assert cortege(add) == 1
    assert "already registered" in capsys.readouterr().err
    assert cortege(["user", "role", str(path), "chief", "emperor"]) == 1
    assert "role" in capsys.readouterr().err
    # The only admin cannot step down.
    assert cortege(["user", "role", str(path), "chief", "member"]) == 1
    assert "only administrator" in capsys.readouterr().err
    assert cortege(["user", "role", str(path), "nobody", "admin"]) == 1
    assert "No member" in capsys.readouterr().err
