"""The rules of petitions: who sees them, how signatures are taken, counted and exported."""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
import zoneinfo

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from zope.interface import implementer

from core.accounts.interfaces import AccountError
from core.accounts.models import User, may_receive_mail
from core.accounts.services import email_key, normalise_email, token_hash
from core.db import utcnow
from core.text import spreadsheet_safe
from plugins.groups.interfaces import group_service
from plugins.petitions import _
from plugins.petitions.interfaces import IPetitionService, SignatureError
from plugins.petitions.models import CLOSED, OPEN, NewsletterConsent, Petition, Signature


def site_today(request) -> dt.date:
    """Today where the site is: end dates are read in the site's time zone, for everyone."""
    zone = zoneinfo.ZoneInfo(request.registry.settings["cortege.default_timezone"])
    return utcnow().astimezone(zone).date()


def is_open(request, petition: Petition) -> bool:
    if petition.status != OPEN:
        return False
    return petition.ends_on is None or petition.ends_on >= site_today(request)


@implementer(IPetitionService)
class PetitionService:
    def __init__(self, request):
        self.request = request
        self.dbsession = request.dbsession
        self.settings = request.registry.settings

    # Seeing ------------------------------------------------------------------------------

    def visible(self, viewer):
        groups = group_service(self.request)
        if groups is None:
            return Petition.group_id.is_(None)
        return or_(Petition.group_id.is_(None),
                   Petition.group_id.in_(groups.content_visible_ids(viewer)))

    def may_mail(self, petition, email_key) -> bool:
        """Whether mail about ``petition`` may go to the address ``email_key``: any address
        when strangers may see the petition, else only that of an active account that may
        see it, by the pages' rule (``visible``). A member who types someone else's address
        on a private group's petition sends them nothing."""
        shown = select(Petition.id).where(Petition.id == petition.id)
        if self.dbsession.scalar(shown.where(self.visible(None))) is not None:
            return True
        return self.dbsession.scalar(select(User.id).where(
            User.email_key == email_key, may_receive_mail(),
            shown.where(self.visible(User)).exists())) is not None

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

    def create(self, author, group_id=None, **values):
        petition = Petition(author_id=author.id if author else None, group_id=group_id,
                            status=OPEN, **values)
        self.dbsession.add(petition)
        self.dbsession.flush()
        return petition

    def close(self, petition):
        if petition.status != CLOSED:
            petition.status = CLOSED
            petition.closed_at = utcnow()

    def signatures_csv(self, petition) -> str:
        """The confirmed signatures, oldest first, as CSV for a spreadsheet."""
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

    def sign(self, petition, data, locale, user=None):
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
        values["user_id"] = user.id if user is not None and user.email_key == key else None
        existing = self.dbsession.scalar(select(Signature).where(
            Signature.petition_id == petition.id, Signature.email_key == key))
        if existing is None:
            existing = self._insert(petition, values)
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
        return existing

    def _insert(self, petition, values):
        """A new unconfirmed signature; if the same address signs at the same moment, theirs."""
        signature = Signature(petition_id=petition.id, **values)
        try:
            with self.dbsession.begin_nested():
                self.dbsession.add(signature)
                self.dbsession.flush()
        except IntegrityError:
            return self.dbsession.scalar(select(Signature).where(
                Signature.petition_id == petition.id, Signature.email_key == values["email_key"]))
        return signature

    def _mail(self, petition, signature, kind, email, locale, token=None):
        if not self.may_mail(petition, signature.email_key):
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
        self.request.send_mail(email, subject, f"petitions/mail/{kind}.txt.jinja2", values,
                               locale=locale)

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

    def confirm(self, token):
        signature = self.pending(token)
        if signature is not None and signature.confirmed_at is None:
            signature.confirmed_at = utcnow()
        return signature

    def withdraw(self, token):
        signature = self.by_token(token)
        if signature is None:
            return None
        petition_id = signature.petition_id
        self.dbsession.delete(signature)
        self.dbsession.flush()
        return self.dbsession.get(Petition, petition_id)

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
