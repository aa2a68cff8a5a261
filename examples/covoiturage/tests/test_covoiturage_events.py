"""A seat taken is a domain event; the driver hears of it by mail, in their language, as long
as they may still see the event when the mail leaves."""

from __future__ import annotations

from sqlalchemy import text


def take(browser, offer):
    page = browser.get(f"/covoiturage/event/{offer.event_id}")
    token = page.html.find("input", {"name": "csrf_token"})["value"]
    return browser.post(f"/covoiturage/offer/{offer.id}/take", {"csrf_token": token},
                        status=303)


def test_the_driver_is_told_in_their_language(login, make_user, make_event, make_offer,
                                              outbox, dbsession):
    driver = make_user(locale="fr")
    offer = make_offer(make_event(), driver=driver, leaves_from="Croix-Rousse")
    take(login(make_user(display_name="Rosa")), offer)
    (mail,) = [m for m in outbox if m.recipients == [driver.email]]
    assert "Rosa prend une place dans votre voiture" in mail.subject
    assert "départ : Croix-Rousse" in mail.body
    names = dbsession.execute(text("SELECT name FROM events ORDER BY id")).scalars().all()
    assert "covoiturage.seat_taken" in names


def test_no_mail_for_a_driver_who_may_no_longer_see_the_event(
        login, make_user, make_event, make_offer, make_group, add_member, outbox, hold_jobs,
        registry, dbsession):
    from core.jobs import drain

    driver, passenger = make_user(), make_user()
    group = make_group(status="private")
    add_member(group, driver)
    add_member(group, passenger)
    offer = make_offer(make_event(visibility="group", group_id=group.id), driver=driver)
    take(login(passenger), offer)
    dbsession.execute(text("DELETE FROM groups_membership WHERE user_id = :id"),
                      {"id": driver.id})
    dbsession.flush()
    drain(registry)
    assert [m for m in outbox if m.recipients == [driver.email]] == []
