"""Organisers: the CSV of confirmed signatures, and closing; nobody else may."""

import csv
import io

from plugins.petitions.models import Petition
from tests.plugins.petitions.conftest import signatures


def read_csv(response):
    assert response.content_type == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(response.body.decode("utf-8-sig"))))


def test_the_author_exports_confirmed_signatures(make_petition, make_user, login, sign, confirm,
                                                 outbox, dbsession):
    author = make_user()
    petition = make_petition(author=author, ask_postcode=True, ask_comment=True)
    sign(petition, name="Ana Lopez", email="Ana@Example.org", postcode="69001",
         comment="=HYPERLINK(\"http://evil\")", newsletter=True, show_name=True, status=303)
    sign(petition, name="Bo Chen", email="bo@example.org", postcode="75011", status=303)
    sign(petition, name="Never Confirmed", email="late@example.org", postcode="13001",
         status=303)
    confirm(outbox[0])
    confirm(outbox[1])
    browser = login(author)
    page = browser.get(f"/tools/petitions/{petition.id}")
    rows = read_csv(page.click(href="signatures.csv"))
    assert [row["name"] for row in rows] == ["Ana Lopez", "Bo Chen"]
    ana, bo = rows
    assert ana["email"] == "Ana@example.org"  # the domain is normalised, the local part kept
    assert ana["postcode"] == "69001" and bo["postcode"] == "75011"
    assert ana["comment"] == "'=HYPERLINK(\"http://evil\")"  # never a formula in a spreadsheet
    assert (ana["newsletter"], bo["newsletter"]) == ("yes", "no")
    assert (ana["name_shown"], bo["name_shown"]) == ("yes", "no")
    assert ana["consent_text"].startswith("I agree that the organisers")
    assert "receive news" in ana["newsletter_consent_text"] and bo["newsletter_consent_text"] == ""
    assert ana["confirmed_at"] and ana["consented_at"]
    assert "Never Confirmed" not in page.click(href="signatures.csv").text


def test_the_csv_has_only_the_columns_asked(make_petition, make_user, login):
    author = make_user()
    petition = make_petition(author=author)
    response = login(author).get(f"/tools/petitions/{petition.id}/signatures.csv")
    header = response.body.decode("utf-8-sig").splitlines()[0]
    assert header == ("confirmed_at,name,email,name_shown,newsletter,consented_at,consent_text,"
                      "newsletter_consent_text")


def test_others_may_not_export_or_close(make_petition, make_user, login, testapp, dbsession):
    petition = make_petition()
    url = f"/tools/petitions/{petition.id}"
    member = login(make_user(role="moderator"))
    page = member.get(url)
    assert not page.html.select("#export-link") and "close-form" not in page.forms
    member.get(url + "/signatures.csv", status=403)
    token = page.forms["sign-form"]["csrf_token"].value
    member.post(url + "/close", {"csrf_token": token}, status=403)
    assert testapp.get(url + "/signatures.csv", status=303).location.startswith(
        "http://localhost/login")
    dbsession.refresh(petition)
    assert petition.status == "open"


def test_an_admin_organises_any_petition(make_petition, make_user, login):
    petition = make_petition()
    browser = login(make_user(role="admin"))
    assert browser.get(f"/tools/petitions/{petition.id}/signatures.csv").status_int == 200


def test_the_author_closes_the_petition(make_petition, make_user, login, dbsession):
    author = make_user()
    petition = make_petition(author=author)
    browser = login(author)
    page = browser.get(f"/tools/petitions/{petition.id}")
    page = page.forms["close-form"].submit(status=303).follow()
    assert "The petition is closed." in page.text
    assert "sign-form" not in page.forms and "close-form" not in page.forms
    dbsession.refresh(petition)
    assert petition.status == "closed" and petition.closed_at is not None
    # Its signatures can still be exported.
    assert browser.get(f"/tools/petitions/{petition.id}/signatures.csv").status_int == 200


def test_a_closed_petition_keeps_its_count(make_petition, sign, confirm, outbox, dbsession,
                                           testapp):
    petition = make_petition()
    sign(petition, status=303)
    confirm(outbox[0])
    dbsession.get(Petition, petition.id).status = "closed"
    dbsession.flush()
    page = testapp.get(f"/tools/petitions/{petition.id}")
    assert page.html.select_one("progress")["value"] == "1"
    assert len(signatures(dbsession, petition)) == 1
