"""The rules of petitions: who sees them, how signatures are taken, counted and exported."""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
import zoneinfo

from pyramid.authorization import Allow
from sqlalchemy import delete, false, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from webob.cookies import SignedSerializer
from zope.interface import implementer

from core.accounts import email_key, normalise_email, token_hash
from core.accounts.interfaces import AccountError
from core.accounts.models import User, may_receive_mail
from core.content import may_see, visible_condition
from core.db import utcnow
from core.errors import Conflict, Forbidden, NotFound
from core.events import publish
from core.jobs import defer
from core.security import actor_may, site_acl
from core.text import spreadsheet_safe
from plugins.groups.interfaces import group_service
from plugins.petitions import _
from plugins.petitions.events import (
    GoalReached,
    PetitionClosed,
    PetitionLaunched,
    PetitionSigned,
    SignatureConfirmed,
)
from plugins.petitions.interfaces import IPetitionService, SignatureError
from plugins.petitions.models import CLOSED, OPEN, NewsletterConsent, Petition, Signature

CONTENT_TYPE = "petitions.petition"
CREATE = "petitions.create"  # start a petition of the site
ORGANISE = "petitions.organise"  # export and close any petition; authors hold it on theirs
NEWS_CHUNK_TASK = "petitions.goal_news_chunk"
CHUNK = 200  # recipients per job of news


def visible_petitions(request, viewer):
    """The content type's condition, the one rule of who sees a petition: those of the site
    for whoever may see the site, those of a group for whoever may see the group's content
    (``IGroupService.content_visible_ids``); a group's petitions are nobody's while the
    groups plugin is off."""
    if viewer is None and request.site_settings.visibility != "public":
        return false()
    of_site = Petition.group_id.is_(None)
    groups = group_service(request)
    if groups is None:
        return of_site
    return or_(of_site, Petition.group_id.in_(groups.content_visible_ids(viewer)))


def site_today(request) -> dt.date:
    """Today where the site is: end dates are read in the site's time zone, for everyone."""
    zone = zoneinfo.ZoneInfo(request.registry.settings["cortege.default_timezone"])
    return utcnow().astimezone(zone).date()


def is_open(request, petition: Petition) -> bool:
    if petition.status != OPEN:
        return False
    return petition.ends_on is None or petition.ends_on >= site_today(request)


class _Organised:
    """A petition as an ACL context: who may organise it (see ``organisers_acl``)."""

    def __init__(self, acl):
        self.__acl__ = acl


@implementer(IPetitionService)
class PetitionService:
    def __init__(self, request):
        self.request = request
        self.dbsession = request.dbsession
        self.settings = request.registry.settings

    # Seeing ------------------------------------------------------------------------------

    def visible(self, viewer):
        return visible_condition(self.request, CONTENT_TYPE, viewer)

    def sees(self, petition, viewer) -> bool:
        return may_see(self.request, CONTENT_TYPE, petition.id, viewer)

    def mail_recipient(self, petition, address):
        """Where mail about ``petition`` for ``address`` may go, as (address, account id or
        None), or None when it may not go. With an active account of that
        address that may see the petition by the pages' rule (``visible``), the account's
        address and id: the mail is checked again when it leaves. Without one, the address
        itself when strangers may see the petition; else nowhere, so a member who types
        someone else's address on a private group's petition sends them nothing."""
        shown = select(Petition.id).where(Petition.id == petition.id)
        account = self.dbsession.execute(select(User.email, User.id).where(
            User.email_key == email_key(address), may_receive_mail(),
            shown.where(self.visible(User)).exists())).first()
        if account is not None:
            return account.email, account.id
        if self.dbsession.scalar(shown.where(self.visible(None))) is not None:
            return address, None
        return None

    def get_visible(self, petition_id, viewer):
        return self.dbsession.scalar(
            select(Petition).where(Petition.id == petition_id, self.visible(viewer)))

    def group_of(self, petition):
        groups = group_service(self.request)
        if petition.group_id is None or groups is None:
            return None
        return groups.get(petition.group_id)

    def listing(self, viewer, *, status=OPEN, group_id=None, before=None, limit=20):
        """A page of petitions, newest first, keyed by id; ``group_id`` narrows to a group."""
        query = select(Petition).where(self.visible(viewer), Petition.status == status)
        if group_id is not None:
            query = query.where(Petition.group_id == group_id)
        if before is not None:
            query = query.where(Petition.id < before)
        return list(self.dbsession.scalars(query.order_by(Petition.id.desc()).limit(limit)))

    def counts(self, petition_ids):
        ids = list(petition_ids)
        if not ids:
            return {}
        rows = self.dbsession.execute(
            select(Signature.petition_id, func.count())
            .where(Signature.petition_id.in_(ids), Signature.confirmed_at.is_not(None))
            .group_by(Signature.petition_id))
        found = dict(rows.all())
        return {petition_id: found.get(petition_id, 0) for petition_id in ids}

    def public_signers(self, petition, *, before=None, limit=20):
        """Confirmed signers who agreed to show their name, newest first, keyed by id."""
        if not petition.show_names:
            return []
        query = select(Signature.id, Signature.name, Signature.confirmed_at).where(
            Signature.petition_id == petition.id, Signature.confirmed_at.is_not(None),
            Signature.show_name.is_(True))
        if before is not None:
            query = query.where(Signature.id < before)
        return list(self.dbsession.execute(query.order_by(Signature.id.desc()).limit(limit)))

    # Organising --------------------------------------------------------------------------

    def organisers_acl(self, petition) -> list:
        """Who organises ``petition``: its author, its group's admins and moderators, and
        holders of ``petitions.organise`` (site admins); the route's context uses it too."""
        acl = []
        if petition.author_id is not None:
            acl.append((Allow, f"user:{petition.author_id}", ORGANISE))
        if petition.group_id is not None:
            acl.append((Allow, f"group:{petition.group_id}:admin", ORGANISE))
            acl.append((Allow, f"group:{petition.group_id}:moderator", ORGANISE))
        return acl + site_acl(self.request)

    def may_organise(self, petition, actor) -> bool:
        return (actor_may(self.request, actor, ORGANISE, _Organised(self.organisers_acl(petition)))
                and self.sees(petition, actor))

    def _organiser(self, petition, actor):
        if not self.sees(petition, actor):
            raise NotFound(_("This petition does not exist, or you may not see it."))
        if not actor_may(self.request, actor, ORGANISE,
                         _Organised(self.organisers_acl(petition))):
            raise Forbidden(_("Only the organisers of this petition may do this."))

    def may_start(self, actor, group=None) -> bool:
        if actor is None or not actor.can_log_in:
            return False
        if actor_may(self.request, actor, ORGANISE):
            return True
        if group is None:
            return actor_may(self.request, actor, CREATE)
        groups = group_service(self.request)
        return groups is not None and groups.role(group, actor) in ("admin", "moderator")

    def create(self, actor, values, group=None):
        if group is not None:
            groups = group_service(self.request)
            if groups is None or not groups.can_see_content(group, actor):
                raise NotFound(_("This group does not exist, or you may not see it."))
        if not self.may_start(actor, group):
            raise Forbidden(_("You may not start a petition here."))
        petition = Petition(author_id=actor.id, group_id=group.id if group else None,
                            status=OPEN, **values)
        self.dbsession.add(petition)
        self.dbsession.flush()
        if group is not None:
            group_service(self.request).touch(group)
        publish(self.request, PetitionLaunched(actor_id=actor.id, petition_id=petition.id,
                                               group_id=petition.group_id))
        return petition

    def close(self, petition, actor):
        self._organiser(petition, actor)
        closed = self.dbsession.execute(
            update(Petition).where(Petition.id == petition.id, Petition.status != CLOSED)
            .values(status=CLOSED, closed_at=utcnow())
            .execution_options(synchronize_session="fetch")).rowcount
        if closed:
            publish(self.request, PetitionClosed(actor_id=actor.id, petition_id=petition.id))

    def signatures_csv(self, petition, actor) -> str:
        """The confirmed signatures, oldest first, as CSV for a spreadsheet."""
        self._organiser(petition, actor)
        header = ["confirmed_at", "name", "email"]
        if petition.ask_postcode:
            header.append("postcode")
        if petition.ask_comment:
            header.append("comment")
        header += ["name_shown", "newsletter", "consented_at", "consent_text",
                   "newsletter_consent_text"]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        rows = self.dbsession.execute(
            select(Signature, NewsletterConsent)
            .outerjoin(NewsletterConsent, NewsletterConsent.signature_id == Signature.id)
            .where(Signature.petition_id == petition.id, Signature.confirmed_at.is_not(None))
            .order_by(Signature.confirmed_at, Signature.id)
            .execution_options(yield_per=1000))
        for signature, newsletter in rows:
            line = [signature.confirmed_at.isoformat(), signature.name, signature.email]
            if petition.ask_postcode:
                line.append(signature.postcode)
            if petition.ask_comment:
                line.append(signature.comment)
            line += ["yes" if signature.show_name and petition.show_names else "no",
                     "yes" if newsletter else "no", signature.consented_at.isoformat(),
                     signature.consent_text, newsletter.consent_text if newsletter else ""]
            writer.writerow([spreadsheet_safe(value) for value in line])
        return out.getvalue()

    # Signing -----------------------------------------------------------------------------

    def sign(self, petition, data, locale, actor=None):
        if not self.sees(petition, actor):
            raise NotFound(_("This petition does not exist, or you may not see it."))
        if not is_open(self.request, petition):
            raise Conflict(_("This petition is closed: it no longer takes signatures."))
        try:
            email = normalise_email(data.get("email") or "")
        except AccountError as error:
            raise SignatureError("email", error.message) from None
        key = email_key(email)
        values = {
            "name": data["name"].strip(), "email": email, "email_key": key,
            "postcode": (data.get("postcode") or "").strip() or None if petition.ask_postcode
            else None,
            "comment": (data.get("comment") or "").strip() or None if petition.ask_comment
            else None,
            "show_name": bool(data.get("show_name")) and petition.show_names,
            "locale": locale, "consent_text": data["consent_text"], "consented_at": utcnow(),
        }
        # Tied to an account only when it is the account's own address: a member who types
        # someone else's address signs for that person, who confirms it.
        values["user_id"] = actor.id if actor is not None and actor.email_key == key else None
        existing = self.dbsession.scalar(select(Signature).where(
            Signature.petition_id == petition.id, Signature.email_key == key))
        new = existing is None
        if new:
            existing, new = self._insert(petition, values)
        if existing.confirmed_at is not None:
            self._mail(petition, existing, "already", email, locale)
            return None
        for name, value in values.items():  # a new attempt replaces the unconfirmed one
            setattr(existing, name, value)
        if data.get("newsletter"):
            if existing.newsletter is None:
                existing.newsletter = NewsletterConsent(consent_text=data["newsletter_text"])
            else:
                existing.newsletter.consent_text = data["newsletter_text"]
                existing.newsletter.consented_at = utcnow()
        elif existing.newsletter is not None:
            existing.newsletter = None
        token = secrets.token_urlsafe(32)
        existing.token_hash = token_hash(token)
        self._mail(petition, existing, "confirm", email, locale, token=token)
        if new:
            publish(self.request, PetitionSigned(actor_id=actor.id if actor else None,
                                                 petition_id=petition.id,
                                                 signature_id=existing.id))
        return existing

    def _insert(self, petition, values):
        """A new unconfirmed signature, and True; if the same address signs at the same
        moment, theirs, and False."""
        signature = Signature(petition_id=petition.id, **values)
        try:
            with self.dbsession.begin_nested():
                self.dbsession.add(signature)
                self.dbsession.flush()
        except IntegrityError:
            return self.dbsession.scalar(select(Signature).where(
                Signature.petition_id == petition.id,
                Signature.email_key == values["email_key"])), False
        return signature, True

    def _mail(self, petition, signature, kind, email, locale, token=None):
        """The confirmation link, or the notice that the address already signed: to one
        person, about their own action, so it is written in the request (and queued)."""
        recipient = self.mail_recipient(petition, email)
        if recipient is None:
            return
        verdict = self.request.ratelimiter.hit(
            self.settings["petitions.mail_rate"], "petitions-mail", str(petition.id),
            signature.email_key or "")
        if not verdict.allowed:
            return
        values = {"petition": petition, "name": signature.name,
                  "petition_url": self.request.route_url("petitions_show", id=petition.id),
                  "days": self.settings["petitions.confirm_days"]}
        if kind == "confirm":
            subject = _("Confirm your signature")
            values["url"] = self.request.route_url("petitions_confirm", token=token)
            values["withdraw_url"] = self.request.route_url("petitions_withdraw", token=token)
        else:
            subject = _("You have already signed this petition")
        address, user_id = recipient
        self.request.send_mail(address, subject, f"petitions/mail/{kind}.txt.jinja2", values,
                               locale=locale, user_id=user_id,
                               about=(CONTENT_TYPE, petition.id) if user_id else None)

    def by_token(self, token):
        if not token or len(token) > 100:
            return None
        return self.dbsession.scalar(
            select(Signature).where(Signature.token_hash == token_hash(token)))

    def pending(self, token):
        """The signature a link would confirm, or None when the link is bad or stale."""
        signature = self.by_token(token)
        if signature is None:
            return None
        if signature.confirmed_at is None:
            limit = dt.timedelta(days=self.settings["petitions.confirm_days"])
            if signature.consented_at < utcnow() - limit:
                return None
        return signature

    def confirm(self, token, actor=None):
        signature = self.pending(token)
        if signature is None or signature.confirmed_at is not None:
            return signature
        if not is_open(self.request, self.dbsession.get(Petition, signature.petition_id)):
            raise Conflict(_("The petition closed before your signature was confirmed, so it "
                             "could not be counted."))
        confirmed = self.dbsession.execute(
            update(Signature).where(Signature.id == signature.id,
                                    Signature.confirmed_at.is_(None))
            .values(confirmed_at=utcnow()).execution_options(synchronize_session="fetch")
        ).rowcount
        if confirmed:  # once, even when the button is pressed twice at the same moment
            publish(self.request, SignatureConfirmed(
                actor_id=actor.id if actor else None, petition_id=signature.petition_id,
                signature_id=signature.id))
        return signature

    def withdraw(self, token, actor=None):
        signature = self.by_token(token)
        if signature is None:
            return None
        petition_id = signature.petition_id
        self.dbsession.delete(signature)
        self.dbsession.flush()
        return self.dbsession.get(Petition, petition_id)

    # The goal, and news of it ------------------------------------------------------------

    def check_goal(self, petition_id):
        petition = self.dbsession.get(Petition, petition_id)
        if petition is None or petition.goal_reached_at is not None:
            return False
        if self.counts([petition.id])[petition.id] < petition.goal:
            return False
        reached = self.dbsession.execute(
            update(Petition).where(Petition.id == petition.id,
                                   Petition.goal_reached_at.is_(None))
            .values(goal_reached_at=utcnow()).execution_options(synchronize_session="fetch")
        ).rowcount
        if reached:  # once, whichever confirmation's check gets here first
            publish(self.request, GoalReached(actor_id=None, petition_id=petition.id))
        return bool(reached)

    def _news_readers(self, petition):
        """Confirmed signatures of ``petition`` whose signers asked for news of it."""
        return (select(Signature.id)
                .join(NewsletterConsent, NewsletterConsent.signature_id == Signature.id)
                .where(Signature.petition_id == petition.id,
                       Signature.confirmed_at.is_not(None), Signature.email_key.is_not(None)))

    def defer_goal_news(self, petition_id) -> int:
        """Split the news of the goal into jobs of ``CHUNK`` readers (by signature id); each
        finds its recipients when it runs. Returns how many jobs."""
        petition = self.dbsession.get(Petition, petition_id)
        if petition is None:
            return 0
        ids = self.dbsession.scalars(self._news_readers(petition).order_by(Signature.id)).all()
        for start in range(0, len(ids), CHUNK):
            first, last = ids[start], ids[min(start + CHUNK, len(ids)) - 1]
            defer(self.request, NEWS_CHUNK_TASK,
                  {"petition_id": petition.id, "first_id": first, "last_id": last},
                  key=f"{NEWS_CHUNK_TASK}:{petition.id}:{first}",
                  summary=f"news of petition {petition.id}, signatures {first}-{last}")
        return -(-len(ids) // CHUNK)

    def news_recipients(self, petition, first_id, last_id):
        """(signature id, address, locale, name, account id or None) of the readers of news among the
        signatures ``first_id`` to ``last_id``, chosen now by the rule of ``mail_recipient``:
        every one when strangers may see the petition (with the account of their address,
        if active, so the mail is checked again when it leaves), else only active accounts
        that may see it."""
        query = (
            select(Signature.id, Signature.email, Signature.locale, Signature.name,
                   User.email.label("own"),
                   User.locale.label("own_locale"), User.id.label("user_id"))
            .join(Petition, Petition.id == Signature.petition_id)
            .outerjoin(User, (User.email_key == Signature.email_key) & may_receive_mail())
            .where(Signature.id.in_(self._news_readers(petition)),
                   Signature.id.between(first_id, last_id))
            .order_by(Signature.id))
        if self.get_visible(petition.id, None) is None:
            query = query.where(User.id.is_not(None), self.visible(User))
        return [(row.id, row.own or row.email, row.own_locale or row.locale, row.name,
                 row.user_id) for row in self.dbsession.execute(query)]

    def send_goal_news(self, petition_id, first_id, last_id) -> int:
        """Mail the news of the goal to one chunk of its readers; returns how many."""
        petition = self.dbsession.get(Petition, petition_id)
        if petition is None:
            return 0
        recipients = self.news_recipients(petition, first_id, last_id)
        subject = _("“${title}” reached its goal", mapping={"title": petition.title})
        count = self.counts([petition.id])[petition.id]
        for signature_id, address, locale, name, user_id in recipients:
            self.request.send_mail(
                address, subject, "petitions/mail/goal_reached.txt.jinja2",
                {"petition": petition, "name": name, "count": count,
                 "petition_url": self.request.route_url("petitions_show", id=petition.id),
                 "stop_url": self.request.route_url("petitions_news_stop",
                                                    token=self.news_token(signature_id))},
                locale=locale, user_id=user_id,
                about=(CONTENT_TYPE, petition.id) if user_id else None)
        return len(recipients)

    def _news_serializer(self):
        return SignedSerializer(self.settings["cortege.session_secret"], "petitions.news")

    def news_token(self, signature_id) -> str:
        """The token of the link that stops the news for one signature (signed, not stored)."""
        return self._news_serializer().dumps(signature_id).decode("ascii")

    def news_signature(self, token):
        """The signature whose news a stop link names, if it still receives them."""
        try:
            signature_id = self._news_serializer().loads(token.encode("ascii"))
        except (ValueError, UnicodeError):
            return None
        if not isinstance(signature_id, int):
            return None
        signature = self.dbsession.get(Signature, signature_id)
        return signature if signature is not None and signature.newsletter else None

    def stop_news(self, token):
        """The signer of the link receives no more news of the petition; returns the
        petition, or None for a bad link."""
        signature = self.news_signature(token)
        if signature is None:
            return None
        signature.newsletter = None
        self.dbsession.flush()
        return self.dbsession.get(Petition, signature.petition_id)

    # Personal data -----------------------------------------------------------------------

    def _of(self, user):
        return or_(Signature.user_id == user.id, Signature.email_key == user.email_key)

    def export_for(self, user):
        rows = self.dbsession.execute(
            select(Signature, Petition.title, NewsletterConsent)
            .join(Petition, Petition.id == Signature.petition_id)
            .outerjoin(NewsletterConsent, NewsletterConsent.signature_id == Signature.id)
            .where(self._of(user)).order_by(Signature.id))
        signatures = []
        for signature, title, newsletter in rows:
            signatures.append({
                "petition": title, "petition_id": signature.petition_id,
                "name": signature.name, "email": signature.email,
                "postcode": signature.postcode, "comment": signature.comment,
                "name_shown": signature.show_name,
                "consent_text": signature.consent_text,
                "consented_at": signature.consented_at.isoformat(),
                "confirmed_at": (signature.confirmed_at.isoformat()
                                 if signature.confirmed_at else None),
                "newsletter": ({"consent_text": newsletter.consent_text,
                                "consented_at": newsletter.consented_at.isoformat()}
                               if newsletter else None),
            })
        created = self.dbsession.scalars(
            select(Petition).where(Petition.author_id == user.id).order_by(Petition.id))
        return {"signatures": signatures,
                "petitions_created": [{"id": p.id, "title": p.title,
                                       "created_at": p.created_at.isoformat()}
                                      for p in created]}

    def forget_group(self, group_id):
        """Delete the petitions of group ``group_id`` with their signatures and newsletter
        consents (the group is being deleted)."""
        petitions = select(Petition.id).where(Petition.group_id == group_id)
        signatures = select(Signature.id).where(Signature.petition_id.in_(petitions))
        self.dbsession.execute(
            delete(NewsletterConsent).where(NewsletterConsent.signature_id.in_(signatures)))
        self.dbsession.execute(delete(Signature).where(Signature.petition_id.in_(petitions)))
        self.dbsession.execute(delete(Petition).where(Petition.group_id == group_id))
        self.dbsession.flush()

    def erase_for(self, user):
        """Unconfirmed signatures go; confirmed ones stay in the count, with nothing of the
        person left in them."""
        mine = select(Signature.id).where(self._of(user)).scalar_subquery()
        self.dbsession.execute(
            delete(NewsletterConsent).where(NewsletterConsent.signature_id.in_(mine)))
        self.dbsession.execute(
            delete(Signature).where(self._of(user), Signature.confirmed_at.is_(None)))
        for signature in self.dbsession.scalars(select(Signature).where(self._of(user))):
            signature.name = ""
            signature.email = signature.email_key = None
            signature.postcode = signature.comment = None
            signature.show_name = False
            signature.user_id = None
            signature.token_hash = None
        self.dbsession.flush()


def petition_service_factory(context, request):
    return PetitionService(request)
