"""Signing: double opt-in by email, one signature per address, consent, honeypot, limits."""

import datetime as dt

from plugins.petitions.models import NewsletterConsent
from tests.plugins.petitions.conftest import fill_signature, link_in, signatures


def count_on(page):
    return page.html.select_one("progress")["value"]


def test_a_signature_counts_only_once_confirmed(testapp, make_petition, sign, outbox,
                                                dbsession):
    petition = make_petition()
    response = sign(petition, status=303)
    page = response.follow()
    assert "Check your inbox" in page.text
    assert count_on(page) == "0"
    [message] = outbox
    assert message.recipients == ["ana@example.org"]
    assert "Save the river" in message.body
    [signature] = signatures(dbsession, petition)
    assert signature.confirmed_at is None
    # Following the link shows a button; only the button confirms.
    confirm_page = testapp.get(link_in(message))
    assert "You are signing “Save the river” as Ana Lopez." in confirm_page.text
    assert signatures(dbsession, petition)[0].confirmed_at is None
    page = confirm_page.forms["token-form"].submit().follow()
    assert "Your signature is confirmed and counts." in page.text
    assert count_on(page) == "1"
    assert signatures(dbsession, petition)[0].confirmed_at is not None


def test_the_same_address_in_another_case_signs_once(make_petition, sign, confirm, outbox,
                                                     dbsession, make_testapp):
    petition = make_petition()
    sign(petition, email="Ana.Lopez@Example.org", status=303)
    confirm(outbox[0])
    outbox.clear()
    again = sign(petition, browser=make_testapp(), email="ana.lopez@EXAMPLE.ORG",
                 name="Someone Else", status=303)
    # The page says what it says to everyone; the address is told by mail.
    assert "Check your inbox" in again.follow().text
    [message] = outbox
    assert "has already signed it" in message.body
    assert "/confirm/" not in message.body
    [signature] = signatures(dbsession, petition)
    assert signature.name == "Ana Lopez" and signature.confirmed_at is not None


def test_signing_again_before_confirming_replaces_the_first_attempt(make_petition, sign,
                                                                    testapp, outbox, dbsession):
    petition = make_petition()
    sign(petition, email="ana@example.org", status=303)
    sign(petition, email="ANA@example.org", name="Ana L.", status=303)
    first, second = outbox
    [signature] = signatures(dbsession, petition)
    assert signature.name == "Ana L."
    # The first link no longer works; the second does.
    assert "This link does not work" in testapp.get(link_in(first), status=404).text
    testapp.get(link_in(second)).forms["token-form"].submit(status=303)
    assert signatures(dbsession, petition)[0].confirmed_at is not None


def test_consent_is_required_and_recorded_with_its_exact_words(make_petition, sign, testapp,
                                                               outbox, dbsession):
    petition = make_petition(ask_postcode=True)
    page = testapp.get(f"/tools/petitions/{petition.id}")
    shown = page.html.select_one("label[for=consent]").text
    assert "(name, email address, postcode)" in shown and "the city council" in shown
    refused = fill_signature(page, consent=False, postcode="69001").submit(status=400)
    assert "Tick the box to agree" in refused.text
    assert signatures(dbsession, petition) == [] and outbox == []
    fill_signature(page, postcode="69001", show_name=True).submit(status=303)
    [signature] = signatures(dbsession, petition)
    assert signature.consent_text.split("\n") == [
        shown, "Show my name in the public list of signers"]
    assert signature.postcode == "69001"
    assert abs(signature.consented_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_the_newsletter_opt_in_is_a_separate_record(make_petition, sign, dbsession):
    petition = make_petition()
    sign(petition, email="yes@example.org", newsletter=True, status=303)
    sign(petition, email="no@example.org", status=303)
    yes, no = signatures(dbsession, petition)
    assert yes.newsletter is not None and "receive news" in yes.newsletter.consent_text
    assert no.newsletter is None
    assert dbsession.query(NewsletterConsent).count() == 1


def test_the_honeypot_takes_nothing_and_says_the_same(make_petition, testapp, outbox,
                                                      dbsession):
    petition = make_petition()
    page = testapp.get(f"/tools/petitions/{petition.id}")
    trap = page.html.select_one(".petition-sign__trap")
    assert trap["aria-hidden"] == "true" and trap.input["tabindex"] == "-1"
    response = fill_signature(page, website="http://spam.example").submit(status=303)
    assert "Check your inbox" in response.follow().text
    assert signatures(dbsession, petition) == [] and outbox == []


def test_bad_input_gets_sentences_and_takes_nothing(make_petition, testapp, dbsession, outbox):
    petition = make_petition(ask_postcode=True, ask_comment=True)
    page = testapp.get(f"/tools/petitions/{petition.id}")
    response = fill_signature(page, name="", email="not an address", postcode="",
                              comment="x" * 1001).submit(status=400)
    errors = [p.text for p in response.html.select(".field__error")]
    assert "Give your name." in errors
    assert "Give your postcode." in errors
    assert any("1000" in error for error in errors)
    response = fill_signature(page, email="no-at-sign.example.org", postcode="69001",
                              comment="").submit(status=400)
    assert "Enter a valid email address" in response.text
    assert signatures(dbsession, petition) == [] and outbox == []


def test_too_many_signatures_from_one_connection(make_petition, sign, dbsession, registry):
    petition = make_petition()
    rule = registry.settings["petitions.sign_rate"]
    allowed = int(rule.split("/")[0])
    for number in range(allowed):
        sign(petition, email=f"person{number}@example.org", status=303)
    refused = sign(petition, email="one-more@example.org", status=429)
    assert "Too many signatures from your connection" in refused.text
    assert len(signatures(dbsession, petition)) == allowed


def test_a_closed_or_ended_petition_takes_no_signature(make_petition, testapp, dbsession):
    from core.db import utcnow

    closed = make_petition(status="closed")
    ended = make_petition(ends_on=utcnow().date() - dt.timedelta(days=2))
    for petition in (closed, ended):
        page = testapp.get(f"/tools/petitions/{petition.id}")
        assert "sign-form" not in page.forms
        assert page.html.select_one("#petition-closed")
        csrf = page.html.select_one("input[name=csrf_token]")
        token = csrf["value"] if csrf else testapp.get("/login").forms["login-form"]["csrf_token"].value
        testapp.post(f"/tools/petitions/{petition.id}/sign",
                     {"csrf_token": token, "name": "A", "email": "a@example.org",
                      "consent": "y"}, status=303)
        assert signatures(dbsession, petition) == []


def test_a_link_not_followed_before_closing_does_not_count(make_petition, sign, testapp, outbox,
                                                           dbsession):
    petition = make_petition()
    sign(petition, status=303)
    petition.status = "closed"
    dbsession.flush()
    page = testapp.get(link_in(outbox[0])).forms["token-form"].submit()
    assert "could not be counted" in page.text
    assert signatures(dbsession, petition)[0].confirmed_at is None


def test_an_expired_link_does_not_confirm(make_petition, sign, testapp, outbox, dbsession):
    petition = make_petition()
    sign(petition, status=303)
    [signature] = signatures(dbsession, petition)
    signature.consented_at -= dt.timedelta(days=8)
    dbsession.flush()
    assert "This link does not work" in testapp.get(link_in(outbox[0]), status=404).text
    testapp.post(link_in(outbox[0]), {"csrf_token": "x"}, status=400)
    assert signatures(dbsession, petition)[0].confirmed_at is None


def test_a_signer_withdraws_with_the_mailed_link(make_petition, sign, confirm, testapp, outbox,
                                                 dbsession):
    petition = make_petition()
    sign(petition, status=303)
    confirm(outbox[0])
    page = testapp.get(link_in(outbox[0], "withdraw"))
    page.forms["token-form"].submit(status=303)
    assert signatures(dbsession, petition) == []
    assert count_on(testapp.get(f"/tools/petitions/{petition.id}")) == "0"


def test_a_member_finds_the_form_filled_and_signs_in_french(make_petition, make_user, login,
                                                             outbox, dbsession):
    petition = make_petition(show_names=False)
    member = make_user("louise", locale="fr", display_name="Louise Michel")
    browser = login(member)
    page = browser.get(f"/tools/petitions/{petition.id}")
    form = page.forms["sign-form"]
    assert form["name"].value == "Louise Michel" and form["email"].value == member.email
    assert "show_name" not in form.fields
    form["consent"] = True
    form.submit(status=303)
    [signature] = signatures(dbsession, petition)
    assert signature.user_id == member.id and signature.locale == "fr"
    assert signature.consent_text.startswith("J’accepte")
    assert "Confirmez votre signature" in outbox[0].subject
