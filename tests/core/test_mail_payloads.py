"""Every mail the project can send, triggered as members trigger it, with text that looks like
a format string or a template in every member-written field that reaches the mail: the text
comes out as it was written, and nothing else comes out (no other member's address or
password hash, no secret, no evaluated expression).

Each mail template has a scenario here; a new ``*.txt.jinja2`` under core/, plugins/ or
examples/ without one fails ``test_every_mail_template_has_a_scenario``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pyramid.interfaces import IBeforeRender
from sqlalchemy import select

from core.accounts.models import User
from core.testing import TEST_PASSWORD
from plugins.agenda.models import Event
from plugins.forums.models import Category, Forum
from plugins.petitions.models import Petition
from plugins.profiles.fieldtypes import fold
from plugins.profiles.models import Profile
from tests.core.test_accounts import GOOD_PASSWORD, link_in, register, set_site

ROOT = Path(__file__).resolve().parents[2]
NEW_EMAIL = "new{0}%s{x.__class__}@example.org"
# What str.format, %-formatting, a Jinja2 template or a TranslationString would act on; a
# format call fails on "{0}" before anything else is read.
FORMAT = "{0} {x.__class__} %s %(name)s {{ 7*7 }} ${title}"
# What str.format would fill from the values of each mail: another member's address and
# password hash, or a class name.
LEAK = "{user.password_hash} {user.__class__}"
LEAKS = {
    "accounts/mail/invitation.txt.jinja2": "{inviter.email} {inviter.password_hash}",
    "forums/mail/new_post.txt.jinja2": "{author.email} {author.password_hash}",
    "agenda/mail/message.txt.jinja2": "{sender.email} {sender.password_hash}",
    "petitions/mail/confirm.txt.jinja2": "{petition.__class__}",
    "petitions/mail/already.txt.jinja2": "{petition.__class__}",
    "petitions/mail/goal_reached.txt.jinja2": "{petition.__class__}",
    "phonebank/mail/campaign.txt.jinja2": "{group.__class__} {campaign.__class__}",
    **{f"groups/mail/{name}.txt.jinja2": "{person.email} {person.password_hash}"
       for name in ("request", "invited", "accepted", "declined")},
}


def mail_templates() -> set[str]:
    """Every mail template the project ships, by the name it is rendered under."""
    found = set()
    for top in ("core", "plugins", "examples"):
        for path in (ROOT / top).rglob("*.txt.jinja2"):
            parts = path.relative_to(ROOT).parts
            if "templates" in parts:
                found.add("/".join(parts[parts.index("templates") + 1:]))
    return found


class Mails:
    """The mails sent during a test, each with the template it was rendered from."""

    def __init__(self, registry, outbox):
        self.registry, self.outbox = registry, outbox
        self.templates: list[str] = []
        self.seen: list[tuple[str, object]] = []

    def __call__(self, event):
        name = event.get("renderer_name") or ""
        if name.endswith(".txt.jinja2"):
            self.templates.append(name)

    def take(self) -> list[tuple[str, object]]:
        """The mails sent since the last call, as (template, message)."""
        assert len(self.templates) == len(self.outbox), (self.templates, self.outbox)
        pairs = list(zip(self.templates, self.outbox, strict=True))
        self.templates.clear()
        self.outbox.clear()
        self.seen += pairs
        return pairs

    def of(self, template: str) -> list:
        return [message for name, message in self.take() if name == template]


@pytest.fixture
def mails(app, outbox):
    recorder = Mails(app.registry, outbox)
    app.registry.registerHandler(recorder, (IBeforeRender,))
    try:
        yield recorder
    finally:
        app.registry.unregisterHandler(recorder, (IBeforeRender,))


def csrf(browser) -> str:
    return browser.get("/account").html.select_one('input[name="csrf_token"]')["value"]


URL = re.compile(r"https?://\S+")
ADDRESS = re.compile(r"[^\s<>\"'“”(),:]+@[\w-]+(?:\.[\w-]+)+")


def check(message, subject=(), body=(), addresses=()):
    """The values appear as written; nothing a format string or a template could pull out."""
    everything = f"{message.subject}\n{message.body}"
    for value in subject:
        assert value in message.subject, (value, message.subject)
    for value in body:
        assert value in message.body, (value, message.body)
    assert "\n" not in message.subject
    without_links = URL.sub("", everything)
    for leak in ("49", "<class", "$argon2", "test-secret", "{{{{", "}}}}", "{{0}}"):
        assert leak not in without_links, (leak, everything)
    allowed = {*message.recipients, *addresses}
    assert set(ADDRESS.findall(without_links)) <= allowed, everything


class Scene:
    """What a scenario works with: browsers, the database, the mails, and ``written(label)``,
    a member-written value (a word telling the fields apart, then the payload)."""

    def __init__(self, payload, testapp, login, make_user, dbsession, mails, make_request):
        self.payload, self.testapp, self.login = payload, testapp, login
        self.make_user, self.db, self.mails = make_user, dbsession, mails
        self.make_request = make_request

    def written(self, label: str) -> str:
        return f"{label} {self.payload}"

    def member(self, username, **values):
        """A member with a profile whose display name carries the payload."""
        values.setdefault("display_name", self.written(username.title()))
        user = self.make_user(username, **values)
        self.db.add(Profile(user_id=user.id, sort_name=fold(user.display_name),
                            last_active_at=user.created_at))
        self.db.flush()
        return user

    def browser(self, username, **values):
        return self.login(self.member(username, **values))


# -- the scenarios: one per mail template ----------------------------------------------------


def confirm(t):
    register(t.testapp, display_name=t.written("Rosa"))
    (message,) = t.mails.of("accounts/mail/confirm.txt.jinja2")
    check(message, body=[t.written("Rosa")])


def already_registered(t):
    t.member("owner", email="owner@example.org")
    register(t.testapp, email="owner@example.org", display_name=t.written("Intruder"))
    (message,) = t.mails.of("accounts/mail/already_registered.txt.jinja2")
    assert message.recipients == ["owner@example.org"]
    check(message, body=[t.written("Owner")])
    assert "Intruder" not in message.body


def awaiting_approval(t):
    set_site(t.db, registration="approval")
    t.member("chief", role="admin")
    register(t.testapp, display_name=t.written("Rosa"))
    (sent,) = t.mails.of("accounts/mail/confirm.txt.jinja2")
    t.testapp.get(link_in(sent)).forms["confirm-form"].submit()
    (message,) = t.mails.of("accounts/mail/awaiting_approval.txt.jinja2")
    check(message, body=[t.written("Chief"), t.written("Rosa")])


def approved(t):
    browser = t.browser("chief", role="admin")
    waiting = t.member("waiting", status="awaiting_approval")
    browser.post(f"/admin/members/{waiting.id}/approve", {"csrf_token": csrf(browser)})
    (message,) = t.mails.of("admin/mail/approved.txt.jinja2")
    assert message.recipients == [waiting.email]
    check(message, body=[t.written("Waiting")])


def invitation(t):
    set_site(t.db, registration="invitation", members_may_invite=True)
    form = t.browser("inviter").get("/account").forms["invite-form"]
    form["email"] = "guest@example.org"
    form.submit(status=303)
    (message,) = t.mails.of("accounts/mail/invitation.txt.jinja2")
    check(message, subject=[t.written("Inviter")], body=[t.written("Inviter")])


def reset(t):
    t.member("louise")
    form = t.testapp.get("/password/forgot").forms["forgot-form"]
    form["email"] = "louise@example.org"
    form.submit()
    (message,) = t.mails.of("accounts/mail/reset.txt.jinja2")
    check(message, body=[t.written("Louise")])


def password_changed(t):
    form = t.browser("louise").get("/account").forms["password-form"]
    form["current_password"], form["new_password"] = TEST_PASSWORD, GOOD_PASSWORD
    form.submit(status=303)
    (message,) = t.mails.of("accounts/mail/password_changed.txt.jinja2")
    check(message, body=[t.written("Louise")])


def email_change(t):
    form = t.browser("louise").get("/account").forms["email-form"]
    form["email"], form["password"] = NEW_EMAIL, TEST_PASSWORD
    form.submit(status=303)
    sent = dict(t.mails.take())
    to_new = sent["accounts/mail/email_change.txt.jinja2"]
    assert to_new.recipients == [NEW_EMAIL]
    check(to_new, body=[t.written("Louise")])
    notice = sent["accounts/mail/email_change_notice.txt.jinja2"]
    assert notice.recipients == ["louise@example.org"]
    check(notice, body=[t.written("Louise"), NEW_EMAIL], addresses=[NEW_EMAIL])


def group_action(t, browser, path, **data):
    return browser.post(f"/groups/{t.group_slug}/{path}", {"csrf_token": csrf(browser), **data})


def new_group(t, status):
    boss = t.browser("boss")
    form = boss.get("/groups/new").forms["group-form"]
    form["name"], form["slug"], form["status"] = t.written("Group"), "the-group", status
    form["description"] = t.written("Description")
    # A hidden group's address gets a random ending: take it from where the form leads.
    t.group_slug = form.submit(status=303).location.rstrip("/").rsplit("/", 1)[1]
    return boss


def group_request(t):
    boss = new_group(t, "private")
    group_action(t, t.browser("asker"), "membership", action="join")
    (message,) = t.mails.of("groups/mail/request.txt.jinja2")
    check(message, subject=[t.written("Asker"), t.written("Group")],
          body=[t.written("Boss"), t.written("Asker"), t.written("Group")])
    return boss, t.db.scalar(select(User).where(User.username == "asker"))


def group_answered(action, template):
    def scenario(t):
        boss, asker = group_request(t)
        group_action(t, boss, "manage", action=action, user_id=str(asker.id))
        (message,) = t.mails.of(template)
        check(message, subject=[t.written("Group")],
              body=[t.written("Asker"), t.written("Group")])

    return scenario


def group_invited(t):
    boss = new_group(t, "hidden")
    guest = t.member("guest")
    group_action(t, boss, "invite", username="guest")
    (message,) = t.mails.of("groups/mail/invited.txt.jinja2")
    check(message, subject=[t.written("Boss"), t.written("Group")],
          body=[t.written("Guest"), t.written("Boss"), t.written("Group")])
    return t.login(guest)


def group_accepted(t):
    group_action(t, group_invited(t), "membership", action="accept")
    (message,) = t.mails.of("groups/mail/accepted.txt.jinja2")
    check(message, subject=[t.written("Guest"), t.written("Group")],
          body=[t.written("Boss"), t.written("Guest"), t.written("Group")])


def group_declined(t):
    group_action(t, group_invited(t), "membership", action="decline")
    (message,) = t.mails.of("groups/mail/declined.txt.jinja2")
    check(message, subject=[t.written("Guest"), t.written("Group")],
          body=[t.written("Boss"), t.written("Guest"), t.written("Group")])


def new_post(t):
    category = Category(title="General", description="", position=1)
    t.db.add(category)
    t.db.flush()
    t.db.add(Forum(slug="debates", title="Debates", description="", category_id=category.id,
                   position=1, closed=False, topic_count=0, post_count=0))
    t.db.flush()
    form = t.browser("alice").get("/forums/debates/new").forms["topic-form"]
    form["title"], form["body"], form["subscribe"] = t.written("Topic"), t.written("Text"), True
    topic = form.submit(status=303).location.replace("http://localhost", "")
    form = t.browser("bob").get(topic).forms["reply"]
    form["body"] = t.written("Reply")
    form.submit()
    (message,) = t.mails.of("forums/mail/new_post.txt.jinja2")
    assert message.recipients == ["alice@example.org"]
    check(message, subject=[t.written("Topic")], body=[
        t.written("Alice"), t.written("Bob"), t.written("Topic"), t.written("Reply")])


ONLINE = "https://example.org/{0}%s{x.__class__}{{7*7}}"
PLACE = ("Venue", "Address", "City")


def new_event(t, capacity=""):
    browser = t.browser("organiser")
    form = browser.get("/agenda/new").forms["event-form"]
    values = {"title": t.written("Event"), "description": t.written("Description"),
              "start_date": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
              "start_time": "10:00", "end_time": "12:00", "timezone": "Europe/Paris",
              "online_url": ONLINE, "capacity": capacity,
              **{name.lower(): t.written(name) for name in PLACE}}
    for name, value in values.items():
        form[name] = value
    form.submit(status=303)
    return browser, t.db.scalar(select(Event).where(Event.title == t.written("Event")))


def rsvp(browser, event, status="going"):
    form = browser.get(f"/agenda/{event.id}").forms["rsvp-form"]
    form["status"] = status
    form.submit(status=303)


def event_message(t):
    organiser, event = new_event(t)
    rsvp(t.browser("going"), event)
    form = organiser.get(f"/agenda/{event.id}/message").forms["message-form"]
    form["subject"], form["body"] = t.written("Subject"), t.written("Body")
    form.submit(status=303)
    (message,) = t.mails.of("agenda/mail/message.txt.jinja2")
    check(message, subject=[t.written("Event"), t.written("Subject")], body=[
        t.written("Going"), t.written("Organiser"), t.written("Event"), t.written("Body")])


def event_cancelled(t):
    organiser, event = new_event(t)
    rsvp(t.browser("going"), event)
    organiser.get(f"/agenda/{event.id}/cancel").forms["cancel-form"].submit(status=303)
    (message,) = t.mails.of("agenda/mail/cancelled.txt.jinja2")
    check(message, subject=[t.written("Event")],
          body=[t.written("Going"), t.written("Event")])


def event_promoted(t):
    _, event = new_event(t, capacity="1")
    first = t.browser("first")
    rsvp(first, event)
    rsvp(t.browser("waiting"), event)
    rsvp(first, event, "not_going")
    (message,) = t.mails.of("agenda/mail/promoted.txt.jinja2")
    check(message, subject=[t.written("Event")],
          body=[t.written("Waiting"), t.written("Event")])


def event_changed(t):
    organiser, event = new_event(t)
    rsvp(t.browser("going"), event)
    form = organiser.get(f"/agenda/{event.id}/edit").forms["event-form"]
    form["venue"] = t.written("Moved")
    form.submit(status=303)
    (message,) = t.mails.of("agenda/mail/changed.txt.jinja2")
    check(message, subject=[t.written("Event")], body=[
        t.written("Going"), t.written("Event"), t.written("Moved"), ONLINE])


def event_reminder(t):
    from core.jobs import job_request
    from plugins.agenda.notices import queue_reminders

    _, event = new_event(t)
    rsvp(t.browser("going"), event)
    registry = t.testapp.app.registry
    with job_request(registry) as request, request.tm:  # as the periodic task does it
        assert queue_reminders(request, now=event.starts_at - dt.timedelta(hours=1)) == 1
    (message,) = t.mails.of("agenda/mail/reminder.txt.jinja2")
    check(message, subject=[t.written("Event")], body=[
        t.written("Going"), t.written("Event"), ONLINE, *map(t.written, PLACE)])


def sign(t, petition_id, name, newsletter=False):
    form = t.testapp.get(f"/tools/petitions/{petition_id}").forms["sign-form"]
    form["name"], form["email"], form["consent"] = name, "signer@example.org", True
    form["newsletter"] = newsletter
    form.submit(status=303)


def petition_confirm(t, goal="100"):
    form = t.browser("author", role="moderator").get("/tools/petitions/new").forms[
        "petition-form"]
    form["title"], form["text"] = t.written("Petition"), t.written("Text")
    form["addressee"], form["goal"] = t.written("Mayor"), goal
    form.submit(status=303)
    petition = t.db.scalar(select(Petition).where(Petition.title == t.written("Petition")))
    sign(t, petition.id, t.written("Signer"), newsletter=goal == "1")
    (message,) = t.mails.of("petitions/mail/confirm.txt.jinja2")
    check(message, body=[t.written("Signer"), t.written("Petition")])
    return petition, message


def petition_already(t):
    petition, message = petition_confirm(t)
    t.testapp.get(link_in(message)).forms["token-form"].submit()
    sign(t, petition.id, t.written("Again"))
    (message,) = t.mails.of("petitions/mail/already.txt.jinja2")
    check(message, body=[t.written("Petition")])


def petition_goal_reached(t):
    _, message = petition_confirm(t, goal="1")
    t.testapp.get(link_in(message)).forms["token-form"].submit()
    (message,) = t.mails.of("petitions/mail/goal_reached.txt.jinja2")
    check(message, subject=[t.written("Petition")],
          body=[t.written("Signer"), t.written("Petition")])


def phonebank_campaign(t):
    boss = new_group(t, "public")
    callee = t.browser("callee")
    group_action(t, callee, "membership", action="join")
    form = callee.get("/tools/phonebank").forms["phonebank-consent-form"]
    form["phone"], form["agree"] = "+33 6 12 34 56 78", True
    form.submit(status=303)
    form = boss.get(f"/tools/phonebank/group/{t.group_slug}").forms["phonebank-campaign-form"]
    form["title"], form["script"] = t.written("Campaign"), t.written("Script")
    form.submit(status=303)
    (message,) = t.mails.of("phonebank/mail/campaign.txt.jinja2")
    assert message.recipients == ["callee@example.org"]
    check(message, subject=[t.written("Group"), t.written("Campaign")],
          body=[t.written("Callee"), t.written("Group"), t.written("Campaign")])


def notification_at_once(t):
    boss = new_group(t, "hidden")
    t.member("guest")
    group_action(t, boss, "invite", username="guest")
    (message,) = t.mails.of("notifications/mail/notification.txt.jinja2")
    assert message.recipients == ["guest@example.org"]
    check(message, subject=[t.written("Boss"), t.written("Group")],
          body=[t.written("Boss"), t.written("Group")])


def notification_digest(t):
    from core.jobs import job_request
    from plugins.notifications.services import schedule_digests

    boss = new_group(t, "hidden")
    guest = t.browser("guest", timezone="UTC")
    form = guest.get("/account/notifications").forms["notification-preferences-form"]
    form["type:groups.invitation"] = "daily"
    form.submit(status=303)
    group_action(t, boss, "invite", username="guest")
    t.mails.take()
    morning = dt.datetime.now(dt.UTC).replace(hour=7) + dt.timedelta(days=1)
    with job_request(guest.app.registry) as request, request.tm:
        schedule_digests(request, now=morning)
    (message,) = t.mails.of("notifications/mail/digest.txt.jinja2")
    check(message, body=[t.written("Boss"), t.written("Group")])
def covoiturage_seat_taken(t):
    _, event = new_event(t)
    driver = t.browser("driver")
    form = driver.get(f"/covoiturage/event/{event.id}").forms["offer-form"]
    form["leaves_from"], form["seats"] = t.written("Place"), "2"
    form.submit(status=303)
    page = t.browser("passenger").get(f"/covoiturage/event/{event.id}")
    (take,) = [form for form in page.forms.values() if form.action.endswith("/take")]
    take.submit(status=303)
    (message,) = t.mails.of("covoiturage/mail/seat_taken.txt.jinja2")
    assert message.recipients == ["driver@example.org"]
    check(message, subject=[t.written("Passenger")],
          body=[t.written("Passenger"), t.written("Place")])


SCENARIOS = {
    "accounts/mail/confirm.txt.jinja2": confirm,
    "accounts/mail/already_registered.txt.jinja2": already_registered,
    "accounts/mail/awaiting_approval.txt.jinja2": awaiting_approval,
    "admin/mail/approved.txt.jinja2": approved,
    "accounts/mail/invitation.txt.jinja2": invitation,
    "accounts/mail/reset.txt.jinja2": reset,
    "accounts/mail/password_changed.txt.jinja2": password_changed,
    "accounts/mail/email_change.txt.jinja2": email_change,
    "accounts/mail/email_change_notice.txt.jinja2": email_change,
    "groups/mail/request.txt.jinja2": group_request,
    "groups/mail/approved.txt.jinja2": group_answered(
        "approve", "groups/mail/approved.txt.jinja2"),
    "groups/mail/rejected.txt.jinja2": group_answered(
        "reject", "groups/mail/rejected.txt.jinja2"),
    "groups/mail/invited.txt.jinja2": group_invited,
    "groups/mail/accepted.txt.jinja2": group_accepted,
    "groups/mail/declined.txt.jinja2": group_declined,
    "forums/mail/new_post.txt.jinja2": new_post,
    "agenda/mail/message.txt.jinja2": event_message,
    "agenda/mail/cancelled.txt.jinja2": event_cancelled,
    "agenda/mail/changed.txt.jinja2": event_changed,
    "agenda/mail/promoted.txt.jinja2": event_promoted,
    "agenda/mail/reminder.txt.jinja2": event_reminder,
    "petitions/mail/confirm.txt.jinja2": petition_confirm,
    "petitions/mail/already.txt.jinja2": petition_already,
    "petitions/mail/goal_reached.txt.jinja2": petition_goal_reached,
    "phonebank/mail/campaign.txt.jinja2": phonebank_campaign,
    "notifications/mail/notification.txt.jinja2": notification_at_once,
    "notifications/mail/digest.txt.jinja2": notification_digest,
    "covoiturage/mail/seat_taken.txt.jinja2": covoiturage_seat_taken,
}


@pytest.fixture
def cortege_plugins(cortege_plugins):
    """Those of development.ini, and the examples (installed beside), for their mail."""
    return [*cortege_plugins, "phonebank", "covoiturage"]


def test_every_mail_template_has_a_scenario():
    assert mail_templates() == set(SCENARIOS)


@pytest.mark.parametrize("kind", ["format", "leak"])
@pytest.mark.parametrize("template", sorted(SCENARIOS))
def test_member_text_is_mailed_as_written(template, kind, testapp, login, make_user, dbsession,
                                          mails, make_request):
    payload = FORMAT if kind == "format" else LEAKS.get(template, LEAK)
    SCENARIOS[template](Scene(payload, testapp, login, make_user, dbsession, mails,
                              make_request))
    mails.take()
    assert template in {name for name, _ in mails.seen}
    for name, message in mails.seen:  # every other mail the scenario caused, too
        check(message, addresses=[NEW_EMAIL])
