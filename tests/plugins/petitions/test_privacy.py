"""Signers' privacy: only those who agreed are listed; their data exported and erased."""

import json

from sqlalchemy import func, select

from core.testing import TEST_PASSWORD
from plugins.petitions.models import NewsletterConsent, Signature
from tests.plugins.petitions.conftest import fill_signature, signatures


def signed_and_confirmed(sign, confirm, outbox, petition, **fields):
    outbox.clear()
    sign(petition, status=303, **fields)
    confirm(outbox[0])


def test_only_confirmed_signers_who_agreed_are_listed(make_petition, sign, confirm, outbox,
                                                       testapp):
    petition = make_petition()
    signed_and_confirmed(sign, confirm, outbox, petition, name="Shown Signer",
                         email="shown@example.org", show_name=True)
    signed_and_confirmed(sign, confirm, outbox, petition, name="Quiet Signer",
                         email="quiet@example.org")
    sign(petition, name="Pending Signer", email="pending@example.org", show_name=True,
         status=303)
    for url in (f"/tools/petitions/{petition.id}", f"/tools/petitions/{petition.id}/signers"):
        page = testapp.get(url)
        assert [li.contents[0].strip() for li in page.html.select("#signers li")] == [
            "Shown Signer"]
        assert "Quiet Signer" not in page.text and "Pending Signer" not in page.text
        assert "quiet@example.org" not in page.text and "shown@example.org" not in page.text
    assert testapp.get(f"/tools/petitions/{petition.id}").html.select_one(
        "progress")["value"] == "2"


def test_a_petition_that_hides_names_lists_nobody(make_petition, sign, confirm, outbox,
                                                  testapp, dbsession):
    petition = make_petition(show_names=False)
    signed_and_confirmed(sign, confirm, outbox, petition, name="Hidden Name")
    page = testapp.get(f"/tools/petitions/{petition.id}")
    assert "Hidden Name" not in page.text and not page.html.select("#signers")
    testapp.get(f"/tools/petitions/{petition.id}/signers", status=404)
    # A signer cannot ask to be shown where the organisers chose to show nobody.
    assert signatures(dbsession, petition)[0].show_name is False


def test_a_signer_cannot_be_shown_by_a_forged_field(make_petition, testapp, dbsession):
    petition = make_petition(show_names=False)
    page = testapp.get(f"/tools/petitions/{petition.id}")
    token = page.forms["sign-form"]["csrf_token"].value
    testapp.post(f"/tools/petitions/{petition.id}/sign", {
        "csrf_token": token, "name": "Forger", "email": "f@example.org", "consent": "y",
        "show_name": "y"}, status=303)
    assert signatures(dbsession, petition)[0].show_name is False


def test_export_holds_the_members_signatures_signed_in_or_not(make_petition, make_user, login,
                                                             sign, confirm, outbox, testapp):
    petition = make_petition(title="Shared cause", ask_postcode=True)
    other = make_petition(title="Other cause")
    member = make_user("louise", email="louise@example.org")
    signed_and_confirmed(sign, confirm, outbox, petition, email="LOUISE@example.org",
                         postcode="69001", newsletter=True)
    browser = login(member)
    signed_and_confirmed(sign, confirm, outbox, other, browser=browser, email="louise@example.org")
    sign(petition, email="someone@example.org", postcode="13001", status=303)
    data = json.loads(browser.get("/account/export.json").body)["petitions"]
    assert [s["petition"] for s in data["signatures"]] == ["Shared cause", "Other cause"]
    first = data["signatures"][0]
    assert first["postcode"] == "69001" and first["newsletter"]["consent_text"]
    assert first["consent_text"].startswith("I agree") and first["confirmed_at"]
    assert "someone@example.org" not in json.dumps(data)


def test_deleting_the_account_erases_the_signers_data(make_petition, make_user, login, sign,
                                                      confirm, outbox, dbsession):
    petition = make_petition(ask_postcode=True)
    pending = make_petition(title="Pending one")
    member = make_user("louise", email="louise@example.org")
    signed_and_confirmed(sign, confirm, outbox, petition, name="Louise M",
                         email="louise@example.org", postcode="69001", show_name=True,
                         newsletter=True)
    sign(pending, email="Louise@Example.org", status=303)
    signed_and_confirmed(sign, confirm, outbox, petition, name="Kept Signer",
                         email="kept@example.org", postcode="75001", newsletter=True)
    browser = login(member)
    form = browser.get("/account").forms["delete-form"]
    form["password"], form["confirm"] = TEST_PASSWORD, True
    form.submit(status=303)
    # The confirmed signature still counts, with nothing of the person in it.
    erased, kept = signatures(dbsession, petition)
    assert (erased.name, erased.email, erased.email_key, erased.postcode) == ("", None, None, None)
    assert erased.show_name is False and erased.confirmed_at is not None
    assert kept.name == "Kept Signer" and kept.postcode == "75001"
    assert signatures(dbsession, pending) == []
    assert dbsession.scalar(select(func.count()).select_from(NewsletterConsent)) == 1
    assert "Louise" not in " ".join(dbsession.scalars(select(Signature.name)))


def test_a_signature_with_another_address_is_not_tied_to_the_member(make_petition, make_user,
                                                                   login, dbsession):
    petition = make_petition()
    member = make_user("louise", email="louise@example.org")
    browser = login(member)
    page = browser.get(f"/tools/petitions/{petition.id}")
    fill_signature(page, email="friend@example.org").submit(status=303)
    fill_signature(page, email="Louise@example.org").submit(status=303)
    friend, own = signatures(dbsession, petition)
    assert friend.user_id is None and own.user_id == member.id
    data = json.loads(browser.get("/account/export.json").body)["petitions"]
    assert [s["email"] for s in data["signatures"]] == ["Louise@example.org"]
