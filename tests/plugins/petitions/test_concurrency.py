"""Signatures taken and confirmed at the same moment are all counted, once each (the count
is derived from the rows; requests in threads, on a database that commits)."""

from __future__ import annotations

from pyramid_mailer.interfaces import IMailer
from sqlalchemy import func, select

from plugins.petitions.models import Petition, Signature
from tests.plugins.petitions.conftest import fill_signature, link_in


def test_signatures_at_once_are_all_counted(committed_site):
    (petition,) = committed_site.add(Petition(title="Save the river", text="Protect it.",
                                              addressee="the council", goal=100))
    path = f"/tools/petitions/{petition.id}"
    outbox = committed_site.app.registry.getUtility(IMailer).outbox
    signers = [(committed_site.browser(), f"signer{number}-{petition.id}@example.org")
               for number in range(10)]

    def sign(signer):
        browser, email = signer
        fill_signature(browser.get(path), name="Ana", email=email).submit(status=303)
        # The same person sending the form twice at once still signs once.
        fill_signature(browser.get(path), name="Ana", email=email).submit(status=303)

    committed_site.at_once(sign, signers)
    links = {link_in(message) for message in outbox
             if message.recipients[0].endswith(f"-{petition.id}@example.org")}

    def confirm(link):
        page = committed_site.browser().get(link, expect_errors=True)
        if page.status_int == 404:  # replaced by the same person's other attempt
            return 0
        page.forms["token-form"].submit(status=303)
        return 1

    assert sum(committed_site.at_once(confirm, sorted(links))) == 10

    with committed_site.session() as session:
        confirmed = session.scalar(select(func.count()).select_from(Signature).where(
            Signature.petition_id == petition.id, Signature.confirmed_at.is_not(None)))
        rows = session.scalar(select(func.count()).select_from(Signature).where(
            Signature.petition_id == petition.id))
    assert confirmed == rows == 10
    page = committed_site.browser().get(path)
    assert page.html.select_one("progress")["value"] == "10"
