"""The rules of private messages, whoever calls them: pages, jobs, other plugins."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import and_, exists, false, func, insert, or_, select, update
from sqlalchemy.orm import aliased
from zope.interface import Interface, implementer
from zope.sqlalchemy import mark_changed

from core.accounts.models import User, for_viewer
from core.db import utcnow
from core.errors import ActionError, Forbidden, NotFound, RateLimited
from core.extensions import plugin_enabled
from plugins.messages import _
from plugins.messages.models import (
    CONNECTIONS,
    EVERYONE,
    NOBODY,
    WHO_MAY_WRITE,
    Conversation,
    Message,
    Participant,
    Report,
    WritingRule,
)

CONTENT_TYPE = "messages.conversation"
MODERATE = "messages.moderate"
NEW_MESSAGE = "messages.new"
REPORT_OUTCOME = "messages.report_outcome"
MOST_BODY = 10000
LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


class MessageError(ActionError):
    """A message refused by a rule (400), with a sentence the writer can act on."""


class IMessageService(Interface):
    """Conversations, as their participants and the moderators see them."""


def active(user):
    return user if user is not None and getattr(user, "status", None) == "active" else None


def visible_conversations(request, viewer):
    """The content type's condition: the conversations ``viewer`` takes part in."""
    if viewer is None:
        return false()
    user_id = User.id if viewer is User else viewer.id
    return Conversation.id.in_(for_viewer(
        select(Participant.conversation_id).where(Participant.user_id == user_id), viewer))


def _seen_by(participant_user_id, is_admin):
    """Messages a participant may read (apart from what they cleared)."""
    return or_(Message.admins_only.is_(False), is_admin, Message.sender_id == participant_user_id)


@implementer(IMessageService)
class MessageService:
    def __init__(self, request):
        self.request = request
        self.db = request.dbsession
        self.settings = request.registry.settings

    # -- who may write to whom -------------------------------------------------------------

    def _social(self):
        from plugins.social.interfaces import social_service

        return social_service(self.request)

    def blocked(self, user_id: int, other_id: int) -> bool:
        social = self._social()
        return social is not None and bool(social.blocked(user_id, other_id))

    def _groups_on(self) -> bool:
        return plugin_enabled(self.request.registry, "groups")

    def share_a_group(self, user_id: int, other_id: int) -> bool:
        if not self._groups_on():
            return False
        from plugins.groups.models import MEMBER, Membership

        mine, theirs = aliased(Membership), aliased(Membership)
        return self.db.scalar(select(exists().where(
            mine.user_id == user_id, mine.state == MEMBER, theirs.user_id == other_id,
            theirs.state == MEMBER, theirs.group_id == mine.group_id))) or False

    def admin_of_their_group(self, user_id: int, other_id: int) -> bool:
        """Whether ``user_id`` is an admin of a group ``other_id`` belongs to."""
        if not self._groups_on():
            return False
        from plugins.groups.models import MEMBER, Membership

        mine, theirs = aliased(Membership), aliased(Membership)
        return self.db.scalar(select(exists().where(
            mine.user_id == user_id, mine.state == MEMBER, mine.role == "admin",
            theirs.user_id == other_id, theirs.state == MEMBER,
            theirs.group_id == mine.group_id))) or False

    def who_may_write(self, user) -> str:
        rule = self.db.get(WritingRule, user.id)
        return rule.who_may_write if rule is not None else EVERYONE

    def set_who_may_write(self, actor, value: str) -> None:
        if active(actor) is None:
            raise Forbidden(_("Log in to change this."))
        if value not in WHO_MAY_WRITE:
            raise MessageError(_("Choose one of the options."))
        rule = self.db.get(WritingRule, actor.id)
        if rule is None:
            self.db.add(WritingRule(user_id=actor.id, who_may_write=value))
        else:
            rule.who_may_write = value
        self.db.flush()

    def may_write_to(self, actor, recipient) -> bool:
        """Whether ``actor`` may start a conversation with ``recipient``."""
        if active(actor) is None or active(recipient) is None or actor.id == recipient.id:
            return False
        if self.blocked(actor.id, recipient.id):
            return False
        if self.admin_of_their_group(actor.id, recipient.id):
            return True
        rule = self.who_may_write(recipient)
        if rule == EVERYONE:
            return True
        if rule == CONNECTIONS:
            social = self._social()
            if social is not None and social.connected(actor.id, recipient.id):
                return True
            return self.share_a_group(actor.id, recipient.id)
        return False

    # -- limits -----------------------------------------------------------------------------

    def is_new(self, actor) -> bool:
        days = self.settings["messages.new_account_days"]
        return actor.created_at > utcnow() - dt.timedelta(days=days)

    def _check_text(self, actor, body: str) -> str:
        body = (body or "").strip()
        if not body:
            raise MessageError(_("Write something first."))
        if len(body) > MOST_BODY:
            raise MessageError(_("A message holds at most ${most} characters.",
                                 mapping={"most": MOST_BODY}))
        most = self.settings["messages.new_account_links"]
        if self.is_new(actor) and len(LINK.findall(body)) > most:
            raise MessageError(_("New accounts may put at most ${most} links in a message; "
                                 "write again with fewer links.", mapping={"most": most}))
        return body

    def _check_rate(self, actor) -> None:
        verdict = self.request.ratelimiter.hit(self.settings["messages.send_rate"],
                                               "messages-send", str(actor.id))
        if not verdict.allowed:
            raise RateLimited(_("You are sending messages too fast. Wait ${seconds} seconds, "
                                "then send yours again.",
                                mapping={"seconds": verdict.retry_after}))

    def recipients_today(self, actor) -> int:
        """Members ``actor`` started conversations with in the last day."""
        since = utcnow() - dt.timedelta(days=1)
        return self.db.scalar(
            select(func.count(func.distinct(Participant.user_id)))
            .join(Conversation, Conversation.id == Participant.conversation_id)
            .where(Conversation.started_by_id == actor.id, Conversation.created_at >= since,
                   Conversation.group_id.is_(None), Participant.user_id != actor.id)) or 0

    # -- writing ----------------------------------------------------------------------------

    def start(self, actor, recipients: list, subject: str, body: str) -> Conversation:
        """A conversation of ``actor`` with ``recipients`` (Users), and its first message."""
        if active(actor) is None:
            raise Forbidden(_("Log in to write to members."))
        people = {user.id: user for user in recipients if user is not None and user.id != actor.id}
        if not people:
            raise MessageError(_("Name at least one member to write to."))
        if len(people) > self.settings["messages.most_recipients"]:
            raise MessageError(_("A conversation has at most ${most} recipients.",
                                 mapping={"most": self.settings["messages.most_recipients"]}))
        refused = [user for user in people.values() if not self.may_write_to(actor, user)]
        if refused:
            raise MessageError(_("${name} does not receive messages from you.",
                                 mapping={"name": refused[0].display_name}))
        body = self._check_text(actor, body)
        if self.is_new(actor):
            most = self.settings["messages.new_account_daily_recipients"]
            if self.recipients_today(actor) + len(people) > most:
                raise MessageError(_("New accounts may write to at most ${most} members a day. "
                                     "Write again tomorrow.", mapping={"most": most}))
        self._check_rate(actor)
        conversation = Conversation(subject=(subject or "").strip()[:200],
                                    started_by_id=actor.id, created_at=utcnow())
        self.db.add(conversation)
        self.db.flush()
        self.db.execute(insert(Participant), [
            {"conversation_id": conversation.id, "user_id": user_id, "is_admin": False,
             "last_message_id": 0, "last_read_id": 0, "archived": False, "cleared_id": 0,
             "joined_at": utcnow()} for user_id in [actor.id, *sorted(people)]])
        self._post(actor, conversation, body, admins_only=False)
        return conversation

    def start_group(self, actor, group, subject: str, body: str) -> Conversation:
        """A group's admin writes to all its members."""
        from plugins.groups.interfaces import group_service

        groups = group_service(self.request)
        if active(actor) is None or groups is None or groups.role(group, actor) != "admin":
            raise Forbidden(_("Only the group's admins write to all its members."))
        body = self._check_text(actor, body)
        self._check_rate(actor)
        from plugins.groups.models import MEMBER, Membership

        members = self.db.execute(select(Membership.user_id, Membership.role).where(
            Membership.group_id == group.id, Membership.state == MEMBER)).all()
        conversation = Conversation(subject=(subject or "").strip()[:200], group_id=group.id,
                                    started_by_id=actor.id, created_at=utcnow())
        self.db.add(conversation)
        self.db.flush()
        social_blocked = set()
        social = self._social()
        if social is not None:
            social_blocked = set(self.db.scalars(social.blocked_ids(actor.id)).all())
        self.db.execute(insert(Participant), [
            {"conversation_id": conversation.id, "user_id": user_id,
             "is_admin": role == "admin", "last_message_id": 0, "last_read_id": 0,
             "archived": False, "cleared_id": 0, "joined_at": utcnow()}
            for user_id, role in members if user_id not in social_blocked])
        self._post(actor, conversation, body, admins_only=False)
        return conversation

    def reply(self, actor, conversation: Conversation, body: str,
              admins_only: bool = False) -> Message:
        participant = self.participant(conversation, actor)
        if active(actor) is None or participant is None:
            raise NotFound(_("This conversation does not exist, or you are not in it."))
        if conversation.group_id is None:
            others = self.db.scalars(select(Participant.user_id).where(
                Participant.conversation_id == conversation.id,
                Participant.user_id != actor.id)).all()
            if any(self.blocked(actor.id, other) for other in others):
                raise MessageError(_("You may not write in this conversation any more."))
            admins_only = False
        body = self._check_text(actor, body)
        self._check_rate(actor)
        return self._post(actor, conversation, body, admins_only=bool(admins_only))

    def _post(self, actor, conversation, body: str, admins_only: bool) -> Message:
        message = Message(conversation_id=conversation.id, sender_id=actor.id, body=body,
                          admins_only=admins_only, created_at=utcnow())
        self.db.add(message)
        self.db.flush()
        readers = Participant.conversation_id == conversation.id
        if admins_only:
            readers = and_(readers, or_(Participant.is_admin.is_(True),
                                        Participant.user_id == actor.id))
        self.db.execute(update(Conversation).where(Conversation.id == conversation.id)
                        .values(last_message_id=message.id))
        self.db.execute(update(Participant).where(readers)
                        .values(last_message_id=message.id, archived=False))
        self.db.execute(update(Participant).where(
            Participant.conversation_id == conversation.id, Participant.user_id == actor.id)
            .values(last_read_id=message.id))
        mark_changed(self.db)
        self._notify(actor, conversation, message, readers)
        return message

    def _notify(self, actor, conversation, message, readers) -> None:
        if not plugin_enabled(self.request.registry, "notifications"):
            return
        from plugins.notifications.services import notify

        notify(self.request, NEW_MESSAGE,
               self.db.scalars(select(Participant.user_id).where(
                   readers, Participant.user_id != actor.id)).all(),
               (CONTENT_TYPE, conversation.id), actor.id)

    # -- reading ----------------------------------------------------------------------------

    def participant(self, conversation, user) -> Participant | None:
        if user is None:
            return None
        return self.db.get(Participant, (conversation.id, user.id))

    def get(self, conversation_id: int, viewer):
        """(conversation, participant) if ``viewer`` takes part in it, else None."""
        if active(viewer) is None:
            return None
        row = self.db.execute(
            select(Conversation, Participant).join(
                Participant, Participant.conversation_id == Conversation.id)
            .where(Conversation.id == conversation_id, Participant.user_id == viewer.id)).first()
        return (row[0], row[1]) if row else None

    def inbox(self, viewer, archived: bool, before: int | None, limit: int) -> list:
        """(conversation, participant) rows, newest message first, by key."""
        query = (select(Conversation, Participant)
                 .join(Conversation, Conversation.id == Participant.conversation_id)
                 .where(Participant.user_id == viewer.id, Participant.archived.is_(archived),
                        Participant.last_message_id > Participant.cleared_id))
        if before is not None:
            query = query.where(Participant.last_message_id < before)
        return self.db.execute(query.order_by(Participant.last_message_id.desc())
                               .limit(limit)).all()

    def unread_count(self, viewer) -> int:
        return self.db.scalar(select(func.count()).select_from(Participant).where(
            Participant.user_id == viewer.id,
            Participant.last_message_id > Participant.last_read_id,
            Participant.last_message_id > Participant.cleared_id)) or 0

    def participants(self, conversations) -> dict[int, list]:
        """{conversation id: [User]} of the conversations given, in one query."""
        ids = [c.id for c in conversations]
        found: dict[int, list] = {i: [] for i in ids}
        if not ids:
            return found
        rows = self.db.execute(
            select(Participant.conversation_id, User).join(User, User.id == Participant.user_id)
            .where(Participant.conversation_id.in_(ids), Participant.conversation_id.in_(
                select(Conversation.id).where(Conversation.id.in_(ids),
                                              Conversation.group_id.is_(None))))
            .order_by(Participant.conversation_id, User.id)).all()
        for conversation_id, user in rows:
            found[conversation_id].append(user)
        return found

    def messages(self, conversation, participant, before: int | None, limit: int) -> list:
        """(message, sender) the participant may read, newest first, by key."""
        query = (select(Message, User).outerjoin(User, User.id == Message.sender_id)
                 .where(Message.conversation_id == conversation.id,
                        Message.id > participant.cleared_id,
                        _seen_by(participant.user_id, participant.is_admin)))
        if before is not None:
            query = query.where(Message.id < before)
        return self.db.execute(query.order_by(Message.id.desc()).limit(limit)).all()

    def mark_read(self, participant) -> None:
        if participant.last_read_id < participant.last_message_id:
            self.db.execute(update(Participant).where(
                Participant.conversation_id == participant.conversation_id,
                Participant.user_id == participant.user_id,
                Participant.last_read_id < participant.last_message_id)
                .values(last_read_id=participant.last_message_id))
            mark_changed(self.db)

    def archive(self, actor, conversation, archived: bool = True) -> None:
        participant = self._own(actor, conversation)
        participant.archived = archived
        self.db.flush()

    def delete_for_me(self, actor, conversation) -> None:
        """The conversation leaves the actor's inbox, with what it held; a new message brings
        it back, alone."""
        participant = self._own(actor, conversation)
        participant.cleared_id = participant.last_message_id
        participant.last_read_id = participant.last_message_id
        self.db.flush()

    def _own(self, actor, conversation) -> Participant:
        participant = self.participant(conversation, active(actor))
        if participant is None:
            raise NotFound(_("This conversation does not exist, or you are not in it."))
        return participant

    # -- reports ----------------------------------------------------------------------------

    def visible_message(self, message_id: int, viewer):
        """(message, conversation, participant) if ``viewer`` may read the message."""
        if active(viewer) is None:
            return None
        row = self.db.execute(
            select(Message, Conversation, Participant)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .join(Participant, and_(Participant.conversation_id == Conversation.id,
                                    Participant.user_id == viewer.id))
            .where(Message.id == message_id, Message.id > Participant.cleared_id,
                   _seen_by(Participant.user_id, Participant.is_admin))).first()
        return tuple(row) if row else None

    def report(self, actor, message_id: int, reason: str) -> Report:
        found = self.visible_message(message_id, actor)
        if found is None:
            raise NotFound(_("This message does not exist, or you may not see it."))
        message = found[0]
        if message.sender_id == actor.id:
            raise MessageError(_("You cannot report your own message."))
        verdict = self.request.ratelimiter.hit("10/hour", "messages-report", str(actor.id))
        if not verdict.allowed:
            raise RateLimited(_("You sent many reports already. Wait ${seconds} seconds.",
                                mapping={"seconds": verdict.retry_after}))
        existing = self.db.scalars(select(Report).where(
            Report.message_id == message.id, Report.reporter_id == actor.id,
            Report.resolved_at.is_(None))).first()
        if existing is not None:
            return existing
        report = Report(message_id=message.id, reporter_id=actor.id,
                        reason=(reason or "").strip()[:1000], created_at=utcnow())
        self.db.add(report)
        self.db.flush()
        return report

    def open_reports(self, before: int | None, limit: int) -> list:
        query = (select(Report, Message, Conversation)
                 .join(Message, Message.id == Report.message_id)
                 .join(Conversation, Conversation.id == Message.conversation_id)
                 .where(Report.resolved_at.is_(None)))
        if before is not None:
            query = query.where(Report.id < before)
        return self.db.execute(query.order_by(Report.id.desc()).limit(limit)).all()

    def resolve(self, actor, report_id: int, outcome: str) -> Report:
        from core.security import actor_may

        if active(actor) is None or not actor_may(self.request, actor, MODERATE):
            raise Forbidden(_("Only moderators handle reports."))
        if outcome not in ("dismissed", "removed"):
            raise MessageError(_("Choose what to do with the message."))
        report = self.db.get(Report, report_id)
        if report is None or report.resolved_at is not None:
            raise NotFound(_("This report is handled already."))
        now = utcnow()
        self.db.execute(update(Report).where(Report.message_id == report.message_id,
                                             Report.resolved_at.is_(None))
                        .values(resolved_at=now, resolved_by_id=actor.id, outcome=outcome))
        message = self.db.get(Message, report.message_id)
        if outcome == "removed":
            message.body = ""
            message.removed = "moderated"
        self.db.flush()
        mark_changed(self.db)
        if plugin_enabled(self.request.registry, "notifications") and report.reporter_id:
            from plugins.notifications.services import notify

            # The moderator is not named.
            notify(self.request, REPORT_OUTCOME, [report.reporter_id],
                   (CONTENT_TYPE, message.conversation_id))
        return report

    # -- personal data ----------------------------------------------------------------------

    def export_for(self, user) -> list:
        rows = self.db.execute(
            select(Conversation, Participant).join(
                Participant, Participant.conversation_id == Conversation.id)
            .where(Participant.user_id == user.id).order_by(Conversation.id)).all()
        result = []
        for conversation, participant in rows:
            messages = self.db.execute(
                select(Message, User).outerjoin(User, User.id == Message.sender_id)
                .where(Message.conversation_id == conversation.id,
                       _seen_by(user.id, participant.is_admin))
                .order_by(Message.id)).all()
            result.append({
                "subject": conversation.subject, "group_id": conversation.group_id,
                "archived": participant.archived,
                "messages": [{"from": "me" if m.sender_id == user.id else (
                    sender.display_name if sender is not None and sender.status != "deleted"
                    else None), "body": m.body, "sent_at": m.created_at.isoformat(),
                    "to_admins_only": m.admins_only} for m, sender in messages],
            })
        rule = self.db.get(WritingRule, user.id)
        return {"who_may_write": rule.who_may_write if rule else EVERYONE,
                "conversations": result}

    def erase_for(self, user) -> None:
        """The member's messages lose their bodies (others see "former member" wrote
        something removed); their settings and reports go."""
        self.db.execute(update(Message).where(Message.sender_id == user.id)
                        .values(body="", removed="erased"))
        self.db.execute(update(Report).where(Report.reporter_id == user.id)
                        .values(reporter_id=None, reason=""))
        self.db.execute(WritingRule.__table__.delete().where(WritingRule.user_id == user.id))
        mark_changed(self.db)


def message_service_factory(context, request):
    return MessageService(request)


__all__ = ["NOBODY", "IMessageService", "MessageError", "MessageService"]
