"""Registering, confirming, logging in, resetting, changing and deleting one's account."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import func, select

from core.accounts.models import AccountToken, User
from core.sitesettings import load_site_settings, save_site_settings
from core.testing import TEST_PASSWORD

GOOD_PASSWORD = "violet harbour seventeen lanterns"


def set_site(dbsession, **values):
    settings = load_site_settings(dbsession, "Cortège")
    for key, value in values.items():
        setattr(settings, key, value)
    save_site_settings(dbsession, settings)


def link_in(message) -> str:
    found = re.search(r"https?://\S+", message.body)
    assert found, message.body
    return found.group(0).replace("http://localhost", "")


def register(browser, expect_errors=False, **values):
    page = browser.get("/register")
    form = page.forms["register-form"]
    data = {"email": "rosa@example.org", "display_name": "Rosa L.", "username": "rosa",
            "password": GOOD_PASSWORD, **values}
    for key, value in data.items():
        form[key] = value
    return form.submit()


def count_users(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(User))


def test_register_confirm_and_log_in(testapp, dbsession, outbox, make_testapp):
    page = testapp.get("/register")
    assert "not membership of any party" in page.text
    assert page.html.select_one('a[href$="/privacy"]') is not None

    response = register(testapp)
    assert response.status_int == 303 and response.location.endswith("/register/sent")
    assert "Check your email" in response.follow().text
    user = dbsession.scalars(select(User).where(User.username == "rosa")).one()
    assert user.status == "unconfirmed" and user.email_confirmed_at is None
    assert user.password_hash.startswith("$argon2")

    # Not confirmed yet: logging in says what to do.
    browser = make_testapp()
    form = browser.get("/login").forms["login-form"]
    form["login"], form["password"] = "rosa", GOOD_PASSWORD
    assert "Confirm your email first" in form.submit().text

    [message] = outbox
    assert message.recipients == ["rosa@example.org"]
    assert "Confirm your email" in message.subject
    link = link_in(message)
    # Opening the link changes nothing (mail scanners open links); the button confirms.
    page = testapp.get(link)
    dbsession.refresh(user)
    assert user.status == "unconfirmed"
    confirmed = page.forms["confirm-form"].submit()
    assert confirmed.status_int == 303
    dbsession.refresh(user)
    assert user.status == "active" and user.email_confirmed_at is not None
    assert "Welcome" in confirmed.follow().text
    # Single use.
    assert testapp.get(link, status=404).status_int == 404


def test_registration_mail_is_in_the_registering_language(make_testapp, outbox):
    browser = make_testapp(HTTP_ACCEPT_LANGUAGE="fr")
    register(browser)
    [message] = outbox
    assert "Confirmez votre adresse" in message.subject
    assert "Bonjour Rosa L." in message.body


@pytest.mark.parametrize("username", ["ROSA", "Rosa", "ｒｏｓａ"])
def test_duplicate_username_in_any_case(testapp, dbsession, make_user, username):
    make_user("rosa")
    before = count_users(dbsession)
    page = register(testapp, username=username, email="other@example.org")
    assert page.status_int == 200
    assert "This username is taken" in page.text or "Use 3 to 30" in page.text
    assert page.forms["register-form"]["email"].value == "other@example.org"
    assert page.forms["register-form"]["display_name"].value == "Rosa L."
    assert count_users(dbsession) == before


def test_duplicate_email_tells_nothing_to_the_stranger_and_warns_the_owner(testapp, dbsession,
                                                                           make_user, outbox):
    make_user("rosa", email="Rosa@Example.org")
    before = count_users(dbsession)
    response = register(testapp, username="someone", email="ROSA@example.ORG")
    # Same answer as for a new address: whether an address is registered is not revealed.
    assert response.status_int == 303 and response.location.endswith("/register/sent")
    assert count_users(dbsession) == before
    [message] = outbox
    assert message.recipients == ["Rosa@Example.org"]
    assert "already has an account" in message.body


@pytest.mark.parametrize(("field", "value", "message"), [
    ("email", "not-an-address", "Enter a valid email address"),
    ("email", "", "Enter your email address."),
    ("email", "a" * 250 + "@example.org", "Use at most 254 characters."),
    ("display_name", "", "Enter the name other members will see."),
    ("display_name", "x" * 81, "Use at most 80 characters."),
    ("username", "ab", "Use 3 to 30 letters"),
    ("username", "bad name!", "Use 3 to 30 letters"),
    ("username", "Admin", "This username is reserved"),
    ("username", "u" * 31, "Use at most 30 characters."),
    ("password", "short", "Use at least 10 characters."),
    ("password", "password123", "too common"),
    ("password", "rosa@example.org", "too common"),
    ("password", "", "Enter a password."),
])
def test_registration_refuses_bad_input_clearly(testapp, dbsession, field, value, message):
    before = count_users(dbsession)
    page = register(testapp, **{field: value})
    assert page.status_int == 200
    assert message in page.text
    assert page.html.select_one(".field--error") is not None
    assert count_users(dbsession) == before
    if field != "password":  # what was typed is kept (never the password)
        kept = page.forms["register-form"][field].value
        assert kept == value or (field == "display_name" and kept.strip() == value.strip())


def test_registration_survives_missing_fields_wrong_types_and_bad_bytes(testapp, dbsession):
    before = count_users(dbsession)
    token = testapp.get("/register").forms["register-form"]["csrf_token"].value
    page = testapp.post("/register", {"csrf_token": token})
    assert page.status_int == 200 and "Enter your email address." in page.text
    page = testapp.post("/register", [("csrf_token", token), ("email", "a@b.org"),
                                      ("email", "c@d.org"), ("username", "x" * 5000),
                                      ("display_name", "Ana"), ("password", "p")])
    assert page.status_int == 200
    page = testapp.post("/register", [("csrf_token", token), ("display_name", "\x00")],
                        status=400)  # a NUL is refused in every form
    page = testapp.post("/register", b"csrf_token=" + token.encode() + b"&email=%FF%FE&username=\xff",
                        content_type="application/x-www-form-urlencoded", expect_errors=True)
    assert page.status_int in (200, 400)
    page = testapp.post("/register", {"csrf_token": token},
                        upload_files=[("username", "evil.txt", b"data")], expect_errors=True)
    assert page.status_int in (200, 400)
    assert count_users(dbsession) == before


@pytest.fixture
def registration_extension(app):
    """Adds a plugin's registration field for one test, the way the directive stores it."""
    from core.extensions import RegistrationExtension

    items = app.registry.setdefault("cortege.items", {}).setdefault(
        "cortege registration extensions", {})

    def add(fields, save):
        items["sample"] = (100, len(items), RegistrationExtension("sample", fields, save))

    yield add
    items.pop("sample", None)


def test_plugin_fields_are_asked_and_saved(testapp, dbsession, registration_extension):
    from wtforms import StringField

    saved = {}
    registration_extension(lambda request: {"city": StringField("City")},
                           lambda request, user, data: saved.update(data, user=user.username))
    page = register(testapp, sample_city="Lyon")
    assert page.status_int == 303
    assert saved == {"city": "Lyon", "user": "rosa"}


def test_a_refused_plugin_field_leaves_no_half_created_account(testapp, dbsession,
                                                               registration_extension):
    from wtforms import StringField

    from core.accounts.interfaces import AccountError

    def save(request, user, data):
        raise AccountError("city", "Nowhere is not a city.")

    registration_extension(lambda request: {"city": StringField("City")}, save)
    before = count_users(dbsession)
    page = register(testapp, sample_city="Nowhere")
    assert page.status_int == 200
    assert "Nowhere is not a city." in page.text
    assert page.forms["register-form"]["sample_city"].value == "Nowhere"
    assert count_users(dbsession) == before


def test_log_in_with_email_or_username_in_any_case_and_log_out(make_user, make_testapp):
    user = make_user("louise", email="Louise@example.org")
    for login in ("louise", "LOUISE", "louise@example.org", " Louise@Example.org "):
        browser = make_testapp()
        form = browser.get("/login").forms["login-form"]
        form["login"], form["password"] = login, TEST_PASSWORD
        response = form.submit()
        assert response.status_int == 303, login
        session_before = browser.cookies["cortege_session"]
        assert "Log out" in browser.get("/").text
        logout = next(form for form in browser.get("/").forms.values()
                      if form.action.endswith("/logout"))
        logout.submit()
        assert browser.cookies.get("cortege_session") != session_before
        assert "Log in" in browser.get("/").text
    assert user.id


def test_login_is_rate_limited_and_says_when_to_retry(testapp, make_user):
    make_user("louise")
    for _attempt in range(10):
        form = testapp.get("/login").forms["login-form"]
        form["login"], form["password"] = "louise", "wrong password"
        assert "do not match" in form.submit().text
    form = testapp.get("/login").forms["login-form"]
    form["login"], form["password"] = "louise", TEST_PASSWORD
    page = form.submit()
    assert page.status_int == 200
    assert re.search(r"Try again in \d+ seconds", page.text)


def test_password_reset(make_user, make_testapp, testapp, login, outbox, dbsession):
    user = make_user("louise")
    elsewhere = login(user)
    # An unknown address gets the same answer and no mail.
    form = testapp.get("/password/forgot").forms["forgot-form"]
    form["email"] = "nobody@example.org"
    unknown = form.submit().follow()
    assert not outbox
    form = testapp.get("/password/forgot").forms["forgot-form"]
    form["email"] = "LOUISE@example.org"
    known = form.submit().follow()
    assert unknown.text == known.text
    [message] = outbox
    link = link_in(message)
    page = testapp.get(link)
    form = page.forms["reset-form"]
    form["password"] = "louise"
    assert "Use at least 10 characters." in form.submit().text
    form = testapp.get(link).forms["reset-form"]
    form["password"] = GOOD_PASSWORD
    assert form.submit().status_int == 303
    # The old password no longer works, the new one does, old sessions are over.
    assert elsewhere.get("/account", status=303).location.startswith("http://localhost/login")
    login(user, GOOD_PASSWORD)
    assert testapp.get(link, status=404)


def test_expired_links_do_not_work(make_user, testapp, outbox, dbsession):
    make_user("louise")
    form = testapp.get("/password/forgot").forms["forgot-form"]
    form["email"] = "louise@example.org"
    form.submit()
    link = link_in(outbox[0])
    for row in dbsession.scalars(select(AccountToken)):
        row.expires_at = row.created_at - dt.timedelta(seconds=1)
    dbsession.flush()
    page = testapp.get(link, status=404)
    assert "expired" in page.text


def test_change_password_ends_other_sessions(make_user, login, outbox):
    user = make_user("louise")
    here, elsewhere = login(user), login(user)
    page = here.get("/account")
    form = page.forms["password-form"]
    form["current_password"], form["new_password"] = "wrong", GOOD_PASSWORD
    page = form.submit()
    assert "Your current password is not right." in page.text
    form = page.forms["password-form"]
    form["current_password"], form["new_password"] = TEST_PASSWORD, GOOD_PASSWORD
    assert form.submit().status_int == 303
    assert here.get("/account").status_int == 200
    assert elsewhere.get("/account", status=303).status_int == 303
    assert any("password" in message.subject.lower() for message in outbox)


def test_change_email_is_confirmed_at_the_new_address(make_user, login, outbox, dbsession):
    user = make_user("louise")
    browser = login(user)
    form = browser.get("/account").forms["email-form"]
    form["email"], form["password"] = "new@example.org", "wrong"
    assert "Your current password is not right." in form.submit().text
    form = browser.get("/account").forms["email-form"]
    form["email"], form["password"] = "new@example.org", TEST_PASSWORD
    assert form.submit().status_int == 303
    dbsession.refresh(user)
    assert user.email == "louise@example.org"
    to_new = next(m for m in outbox if m.recipients == ["new@example.org"])
    assert any(m.recipients == ["louise@example.org"] for m in outbox)
    page = browser.get(link_in(to_new))
    page.forms["confirm-form"].submit()
    dbsession.refresh(user)
    assert user.email == "new@example.org" and user.email_key == "new@example.org"


def test_preferences_name_language_and_timezone(make_user, login, dbsession):
    user = make_user("louise")
    browser = login(user)
    form = browser.get("/account").forms["preferences-form"]
    form["display_name"], form["locale"], form["timezone"] = "Louise M.", "fr", "America/Cayenne"
    form.submit()
    dbsession.refresh(user)
    assert (user.display_name, user.locale, user.timezone) == ("Louise M.", "fr", "America/Cayenne")
    assert "Votre compte" in browser.get("/account").text
    form = browser.get("/account").forms["preferences-form"]
    form["display_name"] = ""
    page = form.submit()
    assert "Saisissez" in page.text or "Indiquez" in page.text
    token = page.forms["preferences-form"]["csrf_token"].value
    page = browser.post("/account/preferences", {"csrf_token": token, "display_name": "L",
                                                 "locale": "xx", "timezone": "Mars/Olympus"})
    assert page.html.select(".field__error")
    dbsession.refresh(user)
    assert user.timezone == "America/Cayenne"


class TestWithNotes:
    @pytest.fixture
    def cortege_plugins(self):
        return ["notes"]

    def test_export_gathers_every_plugin(self, make_user, login, dbsession):
        from cortege_samples.notes.models import Note

        user = make_user("louise")
        dbsession.add(Note(author_id=user.id, body="Meeting at the union hall"))
        dbsession.flush()
        response = login(user).get("/account/export.json")
        assert response.content_type == "application/json"
        assert "attachment" in response.headers["Content-Disposition"]
        data = json.loads(response.text)
        assert data["account"]["email"] == "louise@example.org"
        assert data["notes"] == [{"body": "Meeting at the union hall"}]

    def test_delete_account(self, make_user, login, dbsession, testapp, make_testapp):
        from cortege_samples.notes.models import Note

        user = make_user("louise")
        dbsession.add(Note(author_id=user.id, body="private"))
        dbsession.flush()
        browser = login(user)
        form = browser.get("/account").forms["delete-form"]
        form["password"] = "wrong"
        form["confirm"] = True
        assert "Your current password is not right." in form.submit().text
        form = browser.get("/account").forms["delete-form"]
        form["password"] = TEST_PASSWORD
        assert "Tick the box" in form.submit().text
        form = browser.get("/account").forms["delete-form"]
        form["password"], form["confirm"] = TEST_PASSWORD, True
        assert form.submit().status_int == 303
        dbsession.refresh(user)
        assert user.status == "deleted" and user.password_hash is None
        assert "louise@example.org" not in user.email and user.display_name == ""
        assert dbsession.scalar(select(func.count()).select_from(Note)) == 0
        # The session is over, logging in fails, the username cannot be taken again.
        assert browser.get("/account", status=303)
        browser = make_testapp()
        form = browser.get("/login").forms["login-form"]
        form["login"], form["password"] = "louise", TEST_PASSWORD
        assert "do not match" in form.submit().text
        page = register(testapp, username="Louise", email="louise@example.org")
        assert "This username is taken" in page.text


def test_closed_registration(testapp, dbsession):
    set_site(dbsession, registration="closed")
    page = testapp.get("/register", status=403)
    assert "does not take new members" in page.text
    token = testapp.get("/login").forms["login-form"]["csrf_token"].value
    testapp.post("/register", {"csrf_token": token, "email": "a@example.org", "username": "abc",
                               "display_name": "A", "password": GOOD_PASSWORD}, status=403)
    assert count_users(dbsession) == 0 or not dbsession.scalar(
        select(User.id).where(User.username == "abc"))


def test_approval_registration(testapp, dbsession, outbox, make_user, make_testapp):
    set_site(dbsession, registration="approval")
    admin = make_user("chief", role="admin")
    register(testapp)
    testapp.get(link_in(outbox[0])).forms["confirm-form"].submit()
    user = dbsession.scalars(select(User).where(User.username == "rosa")).one()
    assert user.status == "awaiting_approval"
    assert any(m.recipients == [admin.email] for m in outbox)
    browser = make_testapp()
    form = browser.get("/login").forms["login-form"]
    form["login"], form["password"] = "rosa", GOOD_PASSWORD
    assert "has not approved your account" in form.submit().text


def test_invitation_only(testapp, dbsession, outbox, make_user, login, make_testapp):
    set_site(dbsession, registration="invitation", members_may_invite=False)
    assert "invitation only" in testapp.get("/register").text
    member = make_user("louise")
    browser = login(member)
    assert browser.get("/account").forms.get("invite-form") is None
    set_site(dbsession, registration="invitation", members_may_invite=True)
    form = browser.get("/account").forms["invite-form"]
    form["email"] = "louise@example.org"
    assert "already has an account" in form.submit().text
    form = browser.get("/account").forms["invite-form"]
    form["email"] = "rosa@example.org"
    assert form.submit().status_int == 303
    [message] = outbox
    assert message.recipients == ["rosa@example.org"]
    newcomer = make_testapp()
    page = newcomer.get(link_in(message))
    form = page.forms["register-form"]
    form["email"], form["display_name"], form["username"] = "rosa@example.org", "Rosa", "rosa"
    form["password"] = GOOD_PASSWORD
    response = form.submit()
    assert response.status_int == 303
    user = dbsession.scalars(select(User).where(User.username == "rosa")).one()
    assert user.status == "active"
    assert "Rosa" in newcomer.get("/").text
    assert "rosa@example.org" in browser.get("/account").text  # listed as accepted
    # The invitation works once.
    assert "invitation only" in make_testapp().get(link_in(message)).text


def test_reset_requests_are_rate_limited(testapp, make_user, outbox):
    make_user("louise")
    for _attempt in range(3):
        form = testapp.get("/password/forgot").forms["forgot-form"]
        form["email"] = "louise@example.org"
        assert form.submit().status_int == 303
    form = testapp.get("/password/forgot").forms["forgot-form"]
    form["email"] = "louise@example.org"
    page = form.submit()
    assert re.search(r"Try again in \d+ seconds", page.text)
    assert len(outbox) == 3


def test_registrations_are_rate_limited(testapp, dbsession):
    for number in range(10):
        response = register(testapp, username=f"rosa{number}", email=f"rosa{number}@example.org")
        assert response.status_int == 303
    page = register(testapp, username="rosa10", email="rosa10@example.org")
    assert re.search(r"Try again in \d+ seconds", page.text)
    assert not dbsession.scalar(select(User.id).where(User.username == "rosa10"))


def test_invalid_utf8_is_a_clear_400(testapp):
    token = testapp.get("/login").forms["login-form"]["csrf_token"].value
    response = testapp.post("/login", b"csrf_token=" + token.encode() + b"&login=%FF%FE&password=x",
                            content_type="application/x-www-form-urlencoded", expect_errors=True)
    assert response.status_int in (200, 400)
    assert "Internal" not in response.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\t/evil.example",
                                    "/\n/evil.example", "\\\\evil.example"])
def test_login_only_goes_back_to_local_pages(testapp, make_user, target):
    make_user("louise")
    form = testapp.get("/login", {"next": target}).forms["login-form"]
    form["login"], form["password"] = "louise", TEST_PASSWORD
    response = form.submit()
    assert response.status_int == 303
    assert response.location in ("http://localhost/", "/")


def test_login_goes_back_where_the_member_was(testapp, make_user):
    make_user("louise")
    response = testapp.get("/account")
    assert response.status_int == 303
    form = response.follow().forms["login-form"]
    form["login"], form["password"] = "louise", TEST_PASSWORD
    assert form.submit().location.endswith("/account")
