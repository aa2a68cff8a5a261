"""What notifications do: fan-out in jobs, the centre, preferences, unsubscribing, digests.

Recipients are decided when each job runs, with the content contract: a member who may not
see the subject then gets nothing. The centre and the digests ask again when they show it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
from collections import defaultdict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pyramid.i18n import TranslationString
from sqlalchemy import delete, func, insert, select, update
from zope.sqlalchemy import mark_changed

from core.accounts.models import User, may_receive_mail
from core.content import may_see, visible_select
from core.extensions import registered_map
from core.jobs import defer
from core.rendering import member_name
from plugins.notifications import _
from plugins.notifications.models import Notification, Preference
from plugins.notifications.types import (
    CHANNELS,
    DAILY,
    DIGESTS,
    EMAIL,
    IN_APP,
    OFF,
    WEEKLY,
    notification_type,
    notification_types,
)

log = logging.getLogger(__name__)

CHUNK_TASK = "notifications.deliver"
DIGEST_TASK = "notifications.digest"
MOST_UNREAD = 99  # the bell says "99+" beyond
DIGEST_MOST = 50  # entries in one digest mail


def notify(request, type_name: str, recipient_ids, subject: tuple[str, int],
           actor_id: int | None = None) -> int:
    """Tell ``recipient_ids`` (the actor left out) about ``subject`` (a content type and an
    id), in jobs of ``notifications.chunk`` members; returns how many jobs were deferred.
    Each job keeps the members who may see the subject when it runs."""
    if notification_type(request.registry, type_name) is None:
        raise LookupError(f"No notification type is called {type_name!r}; declare it with "
                          "config.add_notification_type.")
    ids = sorted({int(user_id) for user_id in recipient_ids} - {actor_id})
    size = request.registry.settings["notifications.chunk"]
    kind, subject_id = subject
    for start in range(0, len(ids), size):
        defer(request, CHUNK_TASK, {"type_name": type_name, "recipient_ids": ids[start:start + size],
                                    "kind": kind, "subject_id": int(subject_id),
                                    "actor_id": actor_id},
              summary=f"{type_name} {kind} {subject_id}: {len(ids[start:start + size])}")
    return (len(ids) + size - 1) // size


def deliver(request, type_name: str, recipient_ids: list, kind: str, subject_id: int,
            actor_id: int | None = None) -> int:
    """The job: write the notifications of these recipients, mail those who want it at once.
    Returns how many were written."""
    ntype = notification_type(request.registry, type_name)
    kinds = registered_map(request.registry, "cortege content types")
    if ntype is None or kind not in kinds:
        return 0
    db = request.dbsession
    channels = dict(db.execute(select(Preference.user_id, Preference.channel).where(
        Preference.user_id.in_(recipient_ids), Preference.type == type_name)).all())
    users = db.scalars(select(User).where(User.id.in_(recipient_ids), may_receive_mail())
                       .order_by(User.id)).all()
    now = dt.datetime.now(dt.UTC)
    rows, mailed = [], []
    seeing = _who_may_see(request, kinds[kind], subject_id, [user.id for user in users])
    for user in users:
        channel = channels.get(user.id, ntype.default_channels)
        if channel not in CHANNELS or channel == OFF or user.id == actor_id:
            continue
        if seeing is None and not may_see(request, kind, subject_id, user):
            continue
        if seeing is not None and user.id not in seeing:
            continue
        rows.append({"recipient_id": user.id, "type": type_name, "subject_kind": kind,
                     "subject_id": subject_id, "actor_id": actor_id, "created_at": now,
                     "digest": channel if channel in DIGESTS else None})
        if channel == EMAIL:
            mailed.append(user)
    if rows:
        db.execute(insert(Notification), rows)
        mark_changed(db)
    if mailed:
        subject_row = db.get(kinds[kind].model, subject_id)
        actor = db.get(User, actor_id) if actor_id else None
        for user in mailed:
            _mail_at_once(request, ntype, user, kinds[kind], subject_row, actor)
    return len(rows)


def _who_may_see(request, kind, subject_id: int, user_ids: list) -> set | None:
    """The ids among ``user_ids`` that may see the subject, in one query: the kind's condition
    with ``User`` itself as the viewer, as mail recipients are chosen (``core.content``).
    None when the kind's condition cannot be built that way, or when its rows are members
    themselves (a profile: the viewer and the subject would be one table): then each is
    asked apart."""
    if not user_ids:
        return set()
    if kind.model is User:
        return None
    try:
        condition = kind.condition(request, User)
    except Exception:
        log.warning("the condition of %s does not take User as the viewer; asking for each "
                    "recipient", kind.name, exc_info=True)
        return None
    subject = select(kind.model.id).where(kind.model.id == subject_id, condition)
    return set(request.dbsession.scalars(select(User.id).where(
        User.id.in_(user_ids), may_receive_mail(), subject.correlate(User).exists())))


# -- words and links ----------------------------------------------------------------------


def actor_name(request, actor) -> str | None:
    return member_name(request, actor) if actor is not None else None


def message_of(ntype, actor, label) -> TranslationString:
    """The type's sentence with the actor's name and the subject's label as values."""
    return TranslationString(ntype.message, mapping={
        "actor": actor if actor is not None else _("Someone"),
        "subject": label or "",
    })


def label_of(kind, row) -> str:
    if row is None:
        return ""
    return kind.label(row) if kind.label else ""


def _sign(request, text: str) -> str:
    secret = request.registry.settings["cortege.session_secret"].encode()
    return hmac.new(secret, f"notifications-unsubscribe:{text}".encode(),
                    hashlib.sha256).hexdigest()[:32]


def unsubscribe_url(request, user_id: int, type_name: str) -> str:
    """A link that stops mail of ``type_name`` (or ``digest``) for this member alone; it works
    without logging in and changes nothing else."""
    return request.route_url("notifications_unsubscribe", user_id=user_id, type_name=type_name,
                             signature=_sign(request, f"{user_id}:{type_name}"))


def _mail_at_once(request, ntype, user, kind, row, actor) -> None:
    link = unsubscribe_url(request, user.id, ntype.name)
    subject = message_of(ntype, actor_name(request, actor), label_of(kind, row))
    values = {"message": subject, "url": kind.url(request, row) if row is not None else None,
              "unsubscribe_url": link,
              "preferences_url": request.route_url("notifications_preferences")}
    request.send_mail(user.email, subject, "notifications/mail/notification.txt.jinja2",
                      values, locale=user.locale, user_id=user.id,
                      about=(kind.name, row.id) if row is not None else None,
                      headers=one_click_headers(link))


def one_click_headers(link: str) -> dict:
    """RFC 8058: the mail client may unsubscribe with one POST to ``link``."""
    return {"List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# -- the centre ---------------------------------------------------------------------------


def _visible_subjects(request, viewer, pairs) -> dict:
    """{(kind, id): row} of the subjects in ``pairs`` that ``viewer`` may see now: one query
    per kind."""
    kinds = registered_map(request.registry, "cortege content types")
    by_kind = defaultdict(set)
    for kind, subject_id in pairs:
        if kind in kinds:
            by_kind[kind].add(subject_id)
    found = {}
    for kind, ids in by_kind.items():
        model = kinds[kind].model
        for row in request.dbsession.scalars(
                visible_select(request, kind, viewer).where(model.id.in_(sorted(ids)))):
            found[(kind, row.id)] = row
    return found


def unread_count(request, viewer) -> int:
    """Unread notifications whose subject ``viewer`` may see, at most MOST_UNREAD + 1, in one
    query."""
    from sqlalchemy import and_, false, or_

    recent = (select(Notification.subject_kind, Notification.subject_id)
              .where(Notification.recipient_id == viewer.id, Notification.read_at.is_(None))
              .order_by(Notification.id.desc()).limit(MOST_UNREAD + 1).subquery())
    kinds = registered_map(request.registry, "cortege content types")
    # One lookup by key per unread row and kind, never the whole set of what the viewer sees.
    shown = [and_(recent.c.subject_kind == name,
                  select(kind.model.id).where(kind.model.id == recent.c.subject_id,
                                              kind.condition(request, viewer)).exists())
             for name, kind in sorted(kinds.items())]
    return request.dbsession.scalar(
        select(func.count()).select_from(recent).where(or_(false(), *shown))) or 0


def entries(request, viewer, before: int | None, limit: int) -> tuple[list[dict], int | None]:
    """The centre's page: entries newest first, below the id ``before``; and the key of the
    next page. Entries whose subject the viewer may no longer see are left out."""
    query = select(Notification).where(Notification.recipient_id == viewer.id)
    if before is not None:
        query = query.where(Notification.id < before)
    rows = request.dbsession.scalars(query.order_by(Notification.id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return describe(request, viewer, rows), (rows[-1].id if more and rows else None)


def describe(request, viewer, rows) -> list[dict]:
    """What people read of ``rows``: the sentence, the link; subjects out of sight left out."""
    subjects = _visible_subjects(request, viewer, [(r.subject_kind, r.subject_id) for r in rows])
    actor_ids = {r.actor_id for r in rows if r.actor_id}
    actors = {}
    if actor_ids:
        actors = {a.id: a for a in request.dbsession.scalars(
            select(User).where(User.id.in_(sorted(actor_ids))))}
    kinds = registered_map(request.registry, "cortege content types")
    result = []
    for row in rows:
        ntype = notification_type(request.registry, row.type)
        subject = subjects.get((row.subject_kind, row.subject_id))
        if ntype is None or subject is None:
            continue
        kind = kinds[row.subject_kind]
        actor = actors.get(row.actor_id)
        name = member_name(request, actor) if row.actor_id else None
        result.append({"id": row.id, "message": message_of(ntype, name, label_of(kind, subject)),
                       "url": kind.url(request, subject), "created_at": row.created_at,
                       "read": row.read_at is not None, "type": row.type})
    return result


def get_own(request, viewer, notification_id: int) -> Notification | None:
    return request.dbsession.scalars(select(Notification).where(
        Notification.id == notification_id, Notification.recipient_id == viewer.id)).first()


def mark_read(request, viewer, notification_id: int | None = None) -> int:
    """Mark one notification (or all of them) of ``viewer`` read; returns how many changed."""
    query = update(Notification).where(Notification.recipient_id == viewer.id,
                                       Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    changed = request.dbsession.execute(
        query.values(read_at=dt.datetime.now(dt.UTC))).rowcount
    mark_changed(request.dbsession)
    return changed


# -- preferences --------------------------------------------------------------------------


def channels_of(request, user) -> dict[str, str]:
    """{type: channel} for every declared type, the defaults where the member chose nothing."""
    chosen = dict(request.dbsession.execute(select(Preference.type, Preference.channel).where(
        Preference.user_id == user.id)).all())
    return {t.name: chosen.get(t.name, t.default_channels)
            for t in notification_types(request.registry)}


def set_channel(request, user_id: int, type_name: str, channel: str) -> None:
    if channel not in CHANNELS or notification_type(request.registry, type_name) is None:
        raise ValueError(type_name)
    db = request.dbsession
    found = db.get(Preference, (user_id, type_name))
    if found is None:
        db.add(Preference(user_id=user_id, type=type_name, channel=channel))
    else:
        found.channel = channel
    db.flush()
    if channel not in DIGESTS:
        # What waited for a digest stays in the centre only.
        db.execute(update(Notification).where(
            Notification.recipient_id == user_id, Notification.type == type_name,
            Notification.digest.is_not(None)).values(digest=None))
        mark_changed(db)


UNSUBSCRIBE = re.compile(r"[a-z0-9_.:-]{1,80}")
SIGNATURE = re.compile(r"[0-9a-f]{32}")


def valid_link(request, user_id, type_name: str, signature: str) -> bool:
    """Whether the parts of an unsubscribe link were signed together by this site."""
    return (user_id is not None and UNSUBSCRIBE.fullmatch(type_name or "") is not None
            and SIGNATURE.fullmatch(signature or "") is not None
            and hmac.compare_digest(_sign(request, f"{user_id}:{type_name}"), signature))


def unsubscribe(request, user_id: int, type_name: str, signature: str) -> str | None:
    """Follow a mailed link: stop mail of that type (keep it in the centre), or, for a digest
    (``digest``), move every type on a digest to the centre only. Returns what was stopped,
    or None when the link is not valid (nothing changes)."""
    if not valid_link(request, user_id, type_name, signature):
        return None
    user = request.dbsession.get(User, user_id)
    if user is None:
        return None
    if type_name == "digest":
        for name, channel in channels_of(request, user).items():
            if channel in DIGESTS:
                set_channel(request, user.id, name, IN_APP)
        return type_name
    ntype = notification_type(request.registry, type_name)
    if ntype is None:
        return None
    if channels_of(request, user)[type_name] in (EMAIL, DAILY, WEEKLY):
        set_channel(request, user.id, type_name, IN_APP)
    return type_name


# -- digests ------------------------------------------------------------------------------


def _zone(name: str | None):
    try:
        return ZoneInfo(name) if name else dt.UTC
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def schedule_digests(request, now: dt.datetime | None = None) -> int:
    """The hourly task: for each member with notifications waiting for a digest whose local
    time has reached the digest hour (Monday's, for weekly ones), defer their digest job,
    once per local day (week). Returns how many were deferred."""
    now = now or dt.datetime.now(dt.UTC)
    hour = request.registry.settings["notifications.digest_hour"]
    db = request.dbsession
    waiting = (select(Notification.recipient_id, Notification.digest)
               .where(Notification.digest.is_not(None)).distinct().subquery())
    deferred = 0
    last = 0
    while True:
        rows = db.execute(
            select(User.id, User.timezone, waiting.c.digest)
            .join(waiting, waiting.c.recipient_id == User.id)
            .where(may_receive_mail(), User.id > last).order_by(User.id).limit(1000)).all()
        if not rows:
            return deferred
        for user_id, zone, digest in rows:
            local = now.astimezone(_zone(zone))
            if local.hour != hour:
                continue
            if digest == WEEKLY:
                if local.weekday() != 0:
                    continue
                year, week, _day = local.isocalendar()
                period = f"{year}-W{week:02d}"
            else:
                period = local.date().isoformat()
            if defer(request, DIGEST_TASK, {"user_id": user_id, "digest": digest},
                     key=f"notifications.digest:{user_id}:{digest}:{period}",
                     summary=f"{digest} digest for {user_id}") is not None:
                deferred += 1
        last = rows[-1][0]


def send_digest(request, user_id: int, digest: str) -> int:
    """One member's digest: what waits for it and they may still see now, in their language;
    everything it carried (or left out) waits no more. Returns how many entries it carried."""
    db = request.dbsession
    user = db.scalars(select(User).where(User.id == user_id, may_receive_mail())).first()
    if user is None or digest not in DIGESTS:
        return 0
    rows = db.scalars(select(Notification).where(
        Notification.digest == digest, Notification.recipient_id == user_id)
        .order_by(Notification.id.desc()).limit(DIGEST_MOST)).all()
    if not rows:
        return 0
    items = describe(request, user, rows)
    db.execute(update(Notification).where(
        Notification.recipient_id == user_id, Notification.digest == digest,
        Notification.id <= rows[0].id).values(digest=None))
    mark_changed(db)
    if not items:
        return 0
    link = unsubscribe_url(request, user_id, "digest")
    subject = (_("Your daily digest: ${count} notifications", mapping={"count": len(items)})
               if digest == DAILY else
               _("Your weekly digest: ${count} notifications", mapping={"count": len(items)}))
    request.send_mail(user.email, subject, "notifications/mail/digest.txt.jinja2",
                      {"items": items, "unsubscribe_url": link,
                       "centre_url": request.route_url("notifications_index"),
                       "preferences_url": request.route_url("notifications_preferences")},
                      locale=user.locale, user_id=user.id, headers=one_click_headers(link))
    return len(items)


def forget_old(request, now: dt.datetime | None = None) -> int:
    """The nightly task: read notifications older than ``notifications.keep_days`` go."""
    now = now or dt.datetime.now(dt.UTC)
    days = request.registry.settings["notifications.keep_days"]
    gone = request.dbsession.execute(delete(Notification).where(
        Notification.read_at.is_not(None),
        Notification.created_at < now - dt.timedelta(days=days))).rowcount
    mark_changed(request.dbsession)
    return gone


# -- personal data ------------------------------------------------------------------------


def export_for(request, user) -> dict:
    db = request.dbsession
    return {
        "preferences": channels_of(request, user),
        "notifications": [
            {"type": n.type, "subject": [n.subject_kind, n.subject_id],
             "created_at": n.created_at.isoformat(),
             "read_at": n.read_at.isoformat() if n.read_at else None}
            for n in db.scalars(select(Notification).where(Notification.recipient_id == user.id)
                                .order_by(Notification.id))],
    }


def erase_for(request, user) -> None:
    db = request.dbsession
    db.execute(delete(Notification).where(Notification.recipient_id == user.id))
    db.execute(delete(Preference).where(Preference.user_id == user.id))
    mark_changed(db)
