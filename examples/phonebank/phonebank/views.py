"""The phone bank's pages, and the one place where the plugin registers what it adds."""

from __future__ import annotations

from core.text import render_markdown
from plugins.groups.interfaces import IGroupService
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import delete, select, update

from phonebank import _
from phonebank.forms import CONSENT_WORDING, OUTCOME_TITLES, CallForm, CampaignForm, ConsentForm
from phonebank.interfaces import IPhonebankService, PhonebankError
from phonebank.models import PhonebankCall, PhonebankCampaign, PhonebankConsent

USE = "phonebank.use"


def phonebank(request):
    return request.find_service(IPhonebankService)


def _flash(request, message):
    request.session.flash(request.localizer.translate(message))


def _profile_phone(request) -> str:
    """The phone number of the member's own profile, offered when they agree to be called."""
    from plugins.profiles.interfaces import IProfileService

    for _group, values in request.find_service(IProfileService).sections(request.user):
        for field, value in values:
            if field.type == "phone" and value:
                return str(value)
    return ""


@view_config(route_name="phonebank_index", renderer="phonebank/index.jinja2", permission=USE)
def index(request, form=None):
    consent = phonebank(request).consent(request.user)
    if form is None:
        form = ConsentForm(request, data={"phone": consent.phone if consent
                                          else _profile_phone(request)})
    return {"consent": consent, "form": form,
            "campaigns": phonebank(request).caller_campaigns(request.user)}


@view_config(route_name="phonebank_consent", request_method="POST",
             renderer="phonebank/index.jinja2", permission=USE)
def consent(request):
    form = ConsentForm(request)
    if not form.validate():
        return index(request, form)
    wording = request.localizer.translate(CONSENT_WORDING)
    phonebank(request).give_consent(request.user, form.phone.data, wording)
    _flash(request, _("Thank you: the organisers of your groups may now call you."))
    return HTTPSeeOther(request.route_url("phonebank_index"))


@view_config(route_name="phonebank_withdraw", request_method="POST", permission=USE)
def withdraw(request):
    phonebank(request).withdraw(request.user)
    _flash(request, _("Your number is forgotten: nobody will call you from the phone bank."))
    return HTTPSeeOther(request.route_url("phonebank_index"))


def _group_or_404(request, slug):
    """The group if the viewer may see its content; 404 otherwise, so hidden stays hidden."""
    groups = request.find_service(IGroupService)
    group = groups.find(slug, request.user)
    if group is None or not groups.can_see_content(group, request.user):
        raise HTTPNotFound()
    return group


@view_config(route_name="phonebank_group", renderer="phonebank/group.jinja2", permission=USE)
def group_page(request, form=None):
    group = _group_or_404(request, request.matchdict["slug"])
    service = phonebank(request)
    caller = service.is_caller(group, request.user)
    return {"group": group, "caller": caller,
            "campaigns": service.campaigns(group, request.user),
            "form": form or (CampaignForm(request) if caller else None)}


@view_config(route_name="phonebank_group", request_method="POST",
             renderer="phonebank/group.jinja2", permission=USE)
def create_campaign(request):
    group = _group_or_404(request, request.matchdict["slug"])
    if not phonebank(request).is_caller(group, request.user):
        raise HTTPForbidden()
    form = CampaignForm(request)
    if not form.validate():
        return group_page(request, form)
    campaign = phonebank(request).create_campaign(group, request.user, form.title.data,
                                                  form.script.data)
    _flash(request, _("The campaign is open: call the members on its list."))
    return HTTPSeeOther(request.route_url("phonebank_campaign", id=campaign.id))


def _campaign_for_caller(request):
    """The campaign and its group, for one of the group's callers (404 or 403 otherwise)."""
    return phonebank(request).campaign_for_caller(int(request.matchdict["id"]), request.user)


@view_config(route_name="phonebank_campaign", renderer="phonebank/campaign.jinja2",
             permission=USE)
def campaign_page(request):
    campaign, group = _campaign_for_caller(request)
    service = phonebank(request)
    rows = service.call_list(campaign)
    totals, callers = service.progress(campaign)
    total, done = service.counts(campaign)
    return {"campaign": campaign, "group": group, "rows": rows, "done": done, "total": total,
            "totals": totals, "callers": callers, "outcomes": OUTCOME_TITLES,
            "script": render_markdown(campaign.script)}


@view_config(route_name="phonebank_call", renderer="phonebank/call.jinja2", permission=USE)
def call_page(request, form=None):
    campaign, group = _campaign_for_caller(request)
    callee = phonebank(request).callee(campaign, int(request.matchdict["user_id"]))
    if callee is None:
        raise HTTPNotFound()
    return {"campaign": campaign, "group": group, "callee": callee,
            "form": form or CallForm(request), "outcomes": OUTCOME_TITLES,
            "script": render_markdown(campaign.script)}


@view_config(route_name="phonebank_call", request_method="POST",
             renderer="phonebank/call.jinja2", permission=USE)
def log_call(request):
    campaign, _group = _campaign_for_caller(request)
    form = CallForm(request)
    if not form.validate():
        return call_page(request, form)
    try:
        phonebank(request).log_call(campaign, request.user, int(request.matchdict["user_id"]),
                                    form.outcome.data, form.note.data)
    except PhonebankError as exc:
        _flash(request, exc.message)
    else:
        _flash(request, _("Call logged."))
    return HTTPSeeOther(request.route_url("phonebank_campaign", id=campaign.id))


@view_config(route_name="phonebank_close", request_method="POST", permission=USE)
def close(request):
    campaign, _group = _campaign_for_caller(request)
    phonebank(request).close(campaign, request.user)
    _flash(request, _("The campaign is closed."))
    return HTTPSeeOther(request.route_url("phonebank_campaign", id=campaign.id))


def export_phonebank(request, user) -> dict:
    """The member's consent, the calls about them and the calls they made."""
    dbsession = request.dbsession
    consent = dbsession.get(PhonebankConsent, user.id)
    calls = dbsession.execute(
        select(PhonebankCall, PhonebankCampaign.title)
        .join(PhonebankCampaign, PhonebankCampaign.id == PhonebankCall.campaign_id)
        .where((PhonebankCall.callee_id == user.id) | (PhonebankCall.caller_id == user.id))
        .order_by(PhonebankCall.id)).all()

    def call_data(call, title):
        return {"campaign": title, "outcome": call.outcome, "note": call.note,
                "called_at": call.called_at.isoformat()}

    return {
        "consent": consent and {"phone": consent.phone, "wording": consent.wording,
                                "agreed_at": consent.agreed_at.isoformat()},
        "calls_received": [call_data(c, t) for c, t in calls if c.callee_id == user.id],
        "calls_made": [call_data(c, t) for c, t in calls if c.caller_id == user.id],
    }


def erase_phonebank(request, user) -> None:
    """Forget the number and the calls about the member; calls they made lose their name."""
    dbsession = request.dbsession
    dbsession.execute(delete(PhonebankConsent).where(PhonebankConsent.user_id == user.id))
    dbsession.execute(delete(PhonebankCall).where(PhonebankCall.callee_id == user.id))
    dbsession.execute(update(PhonebankCall).where(PhonebankCall.caller_id == user.id)
                      .values(caller_id=None))
    dbsession.execute(update(PhonebankCampaign).where(PhonebankCampaign.created_by_id == user.id)
                      .values(created_by_id=None))
