"""The poll service: visibility, electorate, ballots and counting. Views stay thin."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete, exists, false, func, select, update
from sqlalchemy.exc import IntegrityError
from zope.interface import implementer

from core.accounts.models import User
from core.content import visible_condition
from core.db import utcnow
from core.errors import Forbidden, NotFound
from core.events import publish
from core.security import actor_may
from plugins.groups.interfaces import group_service
from plugins.polls import _
from plugins.polls.counting import GRADES
from plugins.polls.events import PollClosed, PollOpened, VoteCast
from plugins.polls.interfaces import IPollService, PollError
from plugins.polls.methods import CHOICE, POLL_KINDS, counting_method
from plugins.polls.methods import GRADES as GRADES_KIND
from plugins.polls.models import LIVE, Ballot, Option, Participation, Poll

VOTE = "polls.vote"
CREATE = "polls.create"
MANAGE = "polls.manage"
CONTENT_TYPE = "polls.poll"


def visible_polls(request, viewer):
    """The content type's condition, the one rule of who sees a poll: members only (polls
    consult members; strangers are asked to log in), the site's polls for every member, a
    group's for whoever may see the group's content (``IGroupService.content_visible_ids``);
    a group's polls are nobody's while the groups plugin is off."""
    if viewer is None:
        return false()
    of_site = Poll.group_id.is_(None)
    groups = group_service(request)
    if groups is None:
        return of_site
    return of_site | Poll.group_id.in_(groups.content_visible_ids(viewer))


def digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


@implementer(IPollService)
class PollService:
    def __init__(self, request):
        self.request = request
        self.dbsession = request.dbsession
        self.groups = group_service(request)

    # Seeing polls

    def visible(self, viewer):
        return visible_condition(self.request, CONTENT_TYPE, viewer)

    def find(self, poll_id, viewer):
        return self.dbsession.scalar(
            select(Poll).where(Poll.id == poll_id, self.visible(viewer)))

    def listing(self, viewer, group=None, before=None, limit=20):
        query = select(Poll).where(self.visible(viewer))
        if group is not None:
            query = query.where(Poll.group_id == group.id)
        if before is not None:
            query = query.where(Poll.id < before)
        return self.dbsession.scalars(query.order_by(Poll.id.desc()).limit(limit)).all()

    def group_of(self, poll):
        if poll.group_id is None or self.groups is None:
            return None
        return self.groups.get(poll.group_id)

    # Who may do what

    def electorate(self, poll):
        """A SELECT of the ids of the members who may vote."""
        if poll.group_id is not None:
            group = self.group_of(poll)
            if group is None:  # the groups plugin is off, or the group is gone: nobody
                return select(User.id).where(False)
            return self.groups.member_ids(group)
        return select(User.id).where(User.status == "active")

    def electorate_size(self, poll):
        return self.dbsession.scalar(
            select(func.count()).select_from(self.electorate(poll).subquery()))

    def may_vote(self, poll, user):
        if user is None:
            return False
        return bool(self.dbsession.scalar(
            select(exists().where(self.electorate(poll).subquery().c[0] == user.id))))

    def may_create(self, user, group=None) -> bool:
        """Site polls: holders of polls.create. Group polls: the group's admins and
        moderators, and holders of polls.manage."""
        if user is None or not actor_may(self.request, user, VOTE):
            return False
        if group is None:
            return actor_may(self.request, user, CREATE)
        if actor_may(self.request, user, MANAGE):
            return True
        return self.groups is not None and self.groups.role(group, user) in ("admin", "moderator")

    def may_manage(self, poll, user) -> bool:
        """The poll's author, its group's admins, and holders of polls.manage."""
        if user is None or not user.can_log_in:
            return False
        if poll.author_id == user.id or actor_may(self.request, user, MANAGE):
            return True
        group = self.group_of(poll)
        return group is not None and self.groups.role(group, user) == "admin"

    def has_voted(self, poll, user):
        if user is None:
            return False
        return bool(self.dbsession.scalar(select(exists().where(
            Participation.poll_id == poll.id, Participation.user_id == user.id))))

    def turnout(self, poll):
        return self.dbsession.scalar(
            select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll.id))

    def named_ballot(self, poll, user):
        if user is None or poll.anonymous:
            return None
        return self.dbsession.scalar(
            select(Ballot).where(Ballot.poll_id == poll.id, Ballot.user_id == user.id))

    # Creating

    def create(self, author, values: dict, group=None) -> Poll:
        if group is not None and (self.groups is None
                                  or not self.groups.can_see_content(group, author)):
            raise NotFound(_("This group does not exist, or you may not see it."))
        if not self.may_create(author, group):
            raise Forbidden(_("You may not create a poll here."))
        kind = POLL_KINDS[values["kind"]]
        labels = values["options"]
        minimum, maximum = 1, len(labels)
        if values["kind"] == "single":
            maximum = 1
        elif values["kind"] == "multiple":
            minimum, maximum = values["min_choices"], values["max_choices"]
        elif values["kind"] == "approval":
            minimum = 0
        method = counting_method(self.request.registry, values["method"])
        if method is None or method.ballot_kind != kind.ballot_kind:
            raise PollError(_("Choose a counting method that suits this kind of poll."))
        poll = Poll(
            title=values["title"], description=values.get("description", ""),
            kind=kind.name, method=method.name, min_choices=minimum, max_choices=maximum,
            group_id=group.id if group is not None else None,
            opens_at=values["opens_at"], closes_at=values["closes_at"],
            anonymous=values["anonymous"], changeable=values["changeable"],
            results=values["results"], author_id=author.id,
            opening_published=values["opens_at"] <= utcnow(),
        )
        poll.options = [Option(position=index, label=label) for index, label in enumerate(labels)]
        self.dbsession.add(poll)
        self.dbsession.flush()
        if group is not None:
            self.groups.touch(group)
        if poll.opening_published:  # opens at once; else the periodic task will say so
            publish(self.request, PollOpened(actor_id=author.id, poll_id=poll.id,
                                             group_id=poll.group_id))
        return poll

    def close(self, poll, actor) -> None:
        """Close the poll now (its organisers only: ``may_manage``)."""
        if self.find(poll.id, actor) is None:
            raise NotFound(_("This poll does not exist, or you may not see it."))
        if not self.may_manage(poll, actor):
            raise Forbidden(_("Only the organisers of this poll may close it."))
        now = utcnow()
        if now < poll.closes_at:
            poll.closes_at = max(now, poll.opens_at)
            if not poll.opening_published:  # closed before it opened: it never will
                poll.opening_published = True
            self.dbsession.flush()
        self._published(poll, Poll.closing_published, PollClosed, actor)

    def _published(self, poll, flag, event_class, actor=None) -> bool:
        """Publish the poll's opening or closing once: the first to set ``flag`` does."""
        changed = self.dbsession.execute(
            update(Poll).where(Poll.id == poll.id, flag.is_(False)).values({flag: True})
            .execution_options(synchronize_session="fetch")).rowcount
        if changed:
            publish(self.request, event_class(actor_id=actor.id if actor else None,
                                              poll_id=poll.id, group_id=poll.group_id))
        return bool(changed)

    def publish_due(self, now=None, limit=500) -> int:
        """Publish the openings and closings whose time has come (the periodic task
        ``polls.publish_due``); returns how many."""
        now = now or utcnow()
        done = 0
        for flag, when, event_class in ((Poll.opening_published, Poll.opens_at, PollOpened),
                                        (Poll.closing_published, Poll.closes_at, PollClosed)):
            due = self.dbsession.scalars(select(Poll).where(flag.is_(False), when <= now)
                                         .order_by(when, Poll.id).limit(limit)).all()
            done += sum(self._published(poll, flag, event_class) for poll in due)
        return done

    # Ballots

    def check_ballot(self, poll, form_data):
        ballot_kind = POLL_KINDS[poll.kind].ballot_kind
        ids = {option.id for option in poll.options}
        if ballot_kind == CHOICE:
            return self._check_choices(poll, form_data.getall("choice"), ids)
        if ballot_kind == GRADES_KIND:
            return self._check_grades(poll, form_data)
        return self._check_ranking(poll, form_data)

    def _check_choices(self, poll, raw, ids):
        try:
            chosen = [int(value) for value in raw]
        except ValueError:
            raise PollError(_("This ballot names an option the poll does not offer.")) from None
        if not set(chosen) <= ids or len(set(chosen)) != len(chosen):
            raise PollError(_("This ballot names an option the poll does not offer."))
        if len(chosen) < poll.min_choices:
            if poll.min_choices == 1:
                raise PollError(_("Choose an option."))
            raise PollError(_("Choose at least ${count} options.",
                              mapping={"count": poll.min_choices}))
        if len(chosen) > poll.max_choices:
            if poll.max_choices == 1:
                raise PollError(_("Choose only one option."))
            raise PollError(_("Choose at most ${count} options.",
                              mapping={"count": poll.max_choices}))
        return sorted(chosen)

    def _check_ranking(self, poll, form_data):
        ranks = {}
        for option in poll.options:
            raw = form_data.get(f"rank_{option.id}", "").strip()
            if not raw:
                continue
            if not raw.isdigit() or not 1 <= int(raw) <= len(poll.options):
                raise PollError(_("Give each option you rank a number from 1 to ${count}.",
                                  mapping={"count": len(poll.options)}))
            ranks[option.id] = int(raw)
        if not ranks:
            raise PollError(_("Rank at least one option: 1 for your first choice."))
        if len(set(ranks.values())) != len(ranks):
            raise PollError(_("Give each rank to one option only: two options share a rank."))
        return sorted(ranks, key=ranks.__getitem__)

    def _check_grades(self, poll, form_data):
        grades = {}
        for option in poll.options:
            raw = form_data.get(f"grade_{option.id}", "").strip()
            if not raw.isdigit() or int(raw) >= len(GRADES):
                raise PollError(_("Give every option a grade."))
            grades[str(option.id)] = int(raw)
        return grades

    def vote(self, poll, user, ballot, change_code=None):
        now = utcnow()
        if now < poll.opens_at:
            raise PollError(_("This poll is not open yet."))
        if poll.is_closed(now):
            raise PollError(_("This poll is closed: ballots are no longer accepted."))
        if not self.may_vote(poll, user):
            raise PollError(_("Only the members this poll consults may vote in it."))
        if self.has_voted(poll, user):
            return self._change(poll, user, ballot, change_code, now)
        code = None
        row = Ballot(poll_id=poll.id, choices=ballot)
        if poll.anonymous:
            if poll.changeable:
                code = secrets.token_urlsafe(12)
                row.change_key = digest(code)
        else:
            row.user_id, row.updated_at = user.id, now
        try:
            with self.dbsession.begin_nested():
                self.dbsession.add(Participation(poll_id=poll.id, user_id=user.id, voted_at=now))
                self.dbsession.flush()
        except IntegrityError:
            raise PollError(_("You have already voted in this poll.")) from None
        self.dbsession.add(row)
        self.dbsession.flush()
        publish(self.request, VoteCast(actor_id=user.id, poll_id=poll.id))
        return code

    def _change(self, poll, user, ballot, change_code, now):
        if not poll.changeable:
            raise PollError(_("You have already voted in this poll, and its ballots cannot "
                              "be changed."))
        if poll.anonymous:
            code = (change_code or "").strip()
            row = self.dbsession.scalar(select(Ballot).where(
                Ballot.poll_id == poll.id, Ballot.change_key == digest(code))) if code else None
            if row is None:
                raise PollError(_("Enter the change code you were given when you voted: "
                                  "your ballot is secret, so only that code can find it."))
        else:
            row = self.named_ballot(poll, user)
            row.updated_at = now
        row.choices = ballot
        self.dbsession.flush()

    # Results

    def results_state(self, poll) -> str:
        """Whether the results may be shown: "shown", "after_closing" (they show once the
        poll has closed) or "too_few" (a secret poll with fewer ballots than
        ``polls.secret_min_ballots``: a count of two ballots, one each way, would tell each
        voter how the other voted). A secret poll that closes with too few ballots never
        shows its results, only its turnout. Every surface that shows results asks here."""
        if poll.results != LIVE and not poll.is_closed(utcnow()):
            return "after_closing"
        minimum = self.request.registry.settings["polls.secret_min_ballots"]
        if poll.anonymous and minimum > 1 and self.turnout(poll) < minimum:
            return "too_few"
        return "shown"

    def results_visible(self, poll):
        return self.results_state(poll) == "shown"

    def ballots(self, poll):
        return self.dbsession.scalars(
            select(Ballot.choices).where(Ballot.poll_id == poll.id)).all()

    def method(self, poll):
        return counting_method(self.request.registry, poll.method)

    def count(self, poll):
        ballots = self.ballots(poll)
        if POLL_KINDS[poll.kind].ballot_kind == GRADES_KIND:
            ballots = [{int(key): grade for key, grade in ballot.items()} for ballot in ballots]
        options = [option.id for option in poll.options]
        return self.method(poll).count(options, ballots)

    def named_ballots(self, poll):
        """(voter or None, choices) of a named poll, in the voters' order of names."""
        rows = self.dbsession.execute(
            select(User, Ballot.choices).outerjoin(User, User.id == Ballot.user_id)
            .where(Ballot.poll_id == poll.id).order_by(User.display_name, Ballot.id)).all()
        return [(user, choices) for user, choices in rows]

    # A group deleted

    def forget_group(self, group_id) -> None:
        """Delete the polls of group ``group_id`` with their options, ballots and the record
        of who voted (the group is being deleted)."""
        polls = select(Poll.id).where(Poll.group_id == group_id)
        for model in (Ballot, Participation, Option):
            self.dbsession.execute(delete(model).where(model.poll_id.in_(polls)))
        self.dbsession.execute(delete(Poll).where(Poll.group_id == group_id))
        self.dbsession.flush()

    # Personal data

    def export(self, user) -> dict:
        authored = self.dbsession.scalars(
            select(Poll).where(Poll.author_id == user.id).order_by(Poll.id)).all()
        voted = self.dbsession.execute(
            select(Poll, Participation.voted_at).join(Participation)
            .where(Participation.user_id == user.id).order_by(Participation.voted_at)).all()
        named = {ballot.poll_id: ballot.choices for ballot in self.dbsession.scalars(
            select(Ballot).where(Ballot.user_id == user.id))}
        labels = self._option_labels({poll.id for poll, _voted in voted})
        return {
            "polls_created": [{"id": poll.id, "title": poll.title,
                               "created_at": poll.created_at.isoformat()} for poll in authored],
            "votes": [{
                "poll": poll.title,
                "voted_at": voted_at.isoformat(),
                "ballot": self._readable(poll, named[poll.id], labels)
                if poll.id in named else None,
                "anonymous": poll.anonymous,
            } for poll, voted_at in voted],
        }

    def _option_labels(self, poll_ids) -> dict:
        if not poll_ids:
            return {}
        return dict(self.dbsession.execute(
            select(Option.id, Option.label).where(Option.poll_id.in_(poll_ids))).all())

    def _readable(self, poll, choices, labels):
        if isinstance(choices, dict):
            return {labels.get(int(key), key): GRADES[grade] for key, grade in choices.items()}
        return [labels.get(option, option) for option in choices]

    def erase(self, user) -> None:
        """Forget that the member voted; named ballots stay counted but lose their name."""
        self.dbsession.execute(delete(Participation).where(Participation.user_id == user.id))
        self.dbsession.execute(
            update(Ballot).where(Ballot.user_id == user.id).values(user_id=None, updated_at=None))
        self.dbsession.execute(
            update(Poll).where(Poll.author_id == user.id).values(author_id=None))


def poll_service_factory(context, request):
    return PollService(request)
