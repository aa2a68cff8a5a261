"""The seeder: demo fields, answers and pictures; answers in bulk for large volumes; and the
migration that gives members who joined earlier their profile row."""

import os

from sqlalchemy import create_engine, text

from core.cli import main as cortege
from core.db import normalise_url


def write_ini(path, url, uploads, plugins="profiles"):
    path.write_text(
        "[app:main]\nuse = egg:cortege\n"
        f"sqlalchemy.url = {url}\ncortege.plugins = {plugins}\n"
        "cortege.session_secret = test-secret-for-the-command-line\n"
        f"cortege.mail_backend = memory\ncortege.uploads_directory = {uploads}\n",
        encoding="utf-8",
    )
    return path


def scalar(url, sql):
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def test_seed_gives_every_member_a_profile_answers_and_some_pictures(tmp_path,
                                                                     scratch_database_url):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, tmp_path / "uploads")
    assert cortege(["db", "upgrade", str(ini)]) == 0
    assert cortege(["seed", str(ini), "--members", "300"]) == 0
    users = scalar(scratch_database_url, "SELECT count(*) FROM users")
    assert users == 14 + 300
    assert scalar(scratch_database_url, "SELECT count(*) FROM profiles_profile") == users
    answered = scalar(scratch_database_url,
                      "SELECT count(DISTINCT user_id) FROM profiles_value")
    assert answered == users
    assert scalar(scratch_database_url, "SELECT count(*) FROM profiles_field") >= 10
    # Political fields are never public by default.
    assert scalar(scratch_database_url, "SELECT count(*) FROM profiles_field "
                  "WHERE political AND default_visibility = 'public'") == 0
    pictures = scalar(scratch_database_url,
                      "SELECT count(*) FROM profiles_profile WHERE avatar IS NOT NULL")
    assert pictures == 6
    assert len(os.listdir(tmp_path / "uploads" / "avatars")) == pictures * 3
    # A second run adds members and answers only for those who have none.
    assert cortege(["seed", str(ini), "--members", "20"]) == 0
    assert scalar(scratch_database_url, "SELECT count(*) FROM profiles_profile") == users + 20
    assert scalar(scratch_database_url, "SELECT count(*) FROM profiles_field_group") == 3


def test_enabling_profiles_later_gives_existing_members_a_profile(tmp_path,
                                                                 scratch_database_url):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, tmp_path / "uploads",
                    plugins="")
    assert cortege(["db", "upgrade", str(ini)]) == 0
    assert cortege(["seed", str(ini)]) == 0
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, tmp_path / "uploads")
    assert cortege(["db", "upgrade", str(ini)]) == 0
    assert scalar(scratch_database_url, "SELECT count(*) FROM profiles_profile") == 14
    assert scalar(scratch_database_url, "SELECT sort_name FROM profiles_profile "
                  "WHERE user_id = (SELECT id FROM users WHERE username = 'admin')") \
        == "admin cortege"
