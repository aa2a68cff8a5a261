"""Agreeing to be called: the number, the exact words agreed to, and withdrawing."""

from __future__ import annotations

from phonebank.models import PhonebankConsent


def test_a_stranger_is_asked_to_log_in(testapp):
    response = testapp.get("/tools/phonebank")
    assert response.status_int == 303
    assert response.location.startswith("http://localhost/login")


def test_the_number_of_the_members_profile_is_offered(login, make_user, dbsession):
    from plugins.profiles.models import Field, FieldGroup, Value

    louise = make_user("louise")
    box = FieldGroup(name="Contact", position=1)
    dbsession.add(box)
    dbsession.flush()
    phone = Field(group_id=box.id, name="Phone", type="phone", default_visibility="private")
    dbsession.add(phone)
    dbsession.flush()
    dbsession.add(Value(user_id=louise.id, field_id=phone.id, value="+33 6 11 22 33 44",
                        search="+33 6 11 22 33 44", visibility="private"))
    dbsession.flush()
    form = login(louise).get("/tools/phonebank").forms["phonebank-consent-form"]
    assert form["phone"].value == "+33 6 11 22 33 44"
    assert not form["agree"].checked


def test_nobody_is_on_a_list_without_ticking_the_box(login, make_user, dbsession):
    louise = make_user("louise")
    form = login(louise).get("/tools/phonebank").forms["phonebank-consent-form"]
    form["phone"] = "+33 6 11 22 33 44"
    page = form.submit()
    assert page.status_int == 200
    assert "Tick the box to agree to be called." in page.text
    assert dbsession.get(PhonebankConsent, louise.id) is None


def test_a_bad_number_is_refused_with_a_reason(login, make_user):
    form = login(make_user()).get("/tools/phonebank").forms["phonebank-consent-form"]
    form["phone"], form["agree"] = "call me maybe", True
    assert "Give a phone number with digits" in form.submit().text


def test_agreeing_records_the_words_shown_in_the_members_language(login, make_user,
                                                                   dbsession):
    louise = make_user("louise", locale="fr")
    browser = login(louise)
    form = browser.get("/tools/phonebank").forms["phonebank-consent-form"]
    form["phone"], form["agree"] = "06 11 22 33 44", True
    page = form.submit().follow()
    assert "Merci : les organisateurs de vos groupes peuvent désormais vous appeler." in page.text
    consent = dbsession.get(PhonebankConsent, louise.id)
    assert consent.phone == "06 11 22 33 44"
    assert consent.wording.startswith("J’accepte que les organisateurs des groupes")
    assert "06 11 22 33 44" in page.html.select_one("#phonebank-consent").text

    page = page.forms["phonebank-withdraw-form"].submit().follow()
    assert "Votre numéro est oublié" in page.text
    dbsession.expire_all()
    assert dbsession.get(PhonebankConsent, louise.id) is None
