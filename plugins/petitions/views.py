"""Pages of petitions under /tools/petitions: list, start, read and sign, confirm, organise."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from core.errors import Conflict
from core.input import parse_id
from core.security import PUBLIC, VIEW, site_acl
from core.text import render_markdown
from plugins.groups.interfaces import groups_enabled
from plugins.petitions import _
from plugins.petitions.forms import PetitionForm, sign_form
from plugins.petitions.interfaces import IPetitionService, SignatureError
from plugins.petitions.models import Petition
from plugins.petitions.services import ORGANISE, group_service, is_open, site_today


def petitions(request):
    return request.find_service(IPetitionService)


class PetitionContext:
    """The petition of the URL if the viewer may see it (else None); its organisers may
    organise it. A petition that does not exist and one the viewer may not see look the
    same: views answer 404 for both, and neither grants more than the site does."""

    def __init__(self, request):
        self.request = request
        # The route's ``ids`` predicate gave an id the column can hold.
        self.petition = petitions(request).get_visible(request.matchdict["id"], request.user)

    @property
    def __acl__(self):
        if self.petition is None:
            return site_acl(self.request)
        return petitions(self.request).organisers_acl(self.petition)


def _petition(request):
    petition = request.context.petition
    if petition is None:
        raise HTTPNotFound()
    return petition


def consent_wording(request, petition) -> str:
    """The exact sentence a signer ticks, in their language; it is stored as shown."""
    fields = [_("name"), _("email address")]
    if petition.ask_postcode:
        fields.append(_("postcode"))
    if petition.ask_comment:
        fields.append(_("comment"))
    translate = request.localizer.translate
    return translate(_(
        "I agree that the organisers of this petition keep what I give in this form "
        "(${fields}) to count my signature, and that they may hand the list of signatures to "
        "${addressee}. I can withdraw my signature at any time with the link I receive.",
        mapping={"fields": ", ".join(translate(field) for field in fields),
                 "addressee": petition.addressee}))


def newsletter_wording(request) -> str:
    return request.localizer.translate(_(
        "I would like to receive news of this campaign from its organisers by email. "
        "I can unsubscribe at any time."))


def _page_marker(request) -> int | None:
    return parse_id(request.GET.get("before"))


def _listing(request, petitions_, status, group=None):
    size = request.registry.settings["petitions.page_size"]
    rows = petitions_.listing(request.user, status=status, group_id=group.id if group else None,
                              before=_page_marker(request), limit=size + 1)
    more = len(rows) > size
    rows = rows[:size]
    return {"petitions": rows, "counts": petitions_.counts(p.id for p in rows),
            "next_before": rows[-1].id if more else None, "status": status}


def _status(request) -> str:
    return "closed" if request.GET.get("status") == "closed" else "open"


@view_config(route_name="petitions_index", renderer="petitions/index.jinja2", permission=VIEW)
def index(request):
    service = petitions(request)
    values = _listing(request, service, _status(request))
    values.update(group=None, can_create=service.may_start(request.user),
                  new_url=request.route_url("petitions_new"))
    return values


def _group_from(request, slug):
    """The group named by ``slug`` whose content the viewer may see, else 404."""
    groups = group_service(request)
    group = groups.find(slug, request.user) if groups and slug else None
    if group is None or not groups.can_see_content(group, request.user):
        raise HTTPNotFound()
    return group


@view_config(route_name="petitions_group", renderer="petitions/index.jinja2", permission=VIEW)
def group_index(request):
    group = _group_from(request, request.matchdict["slug"])
    service = petitions(request)
    values = _listing(request, service, _status(request), group)
    values.update(group=group, can_create=service.may_start(request.user, group),
                  new_url=request.route_url("petitions_new", _query={"group": group.slug}))
    return values


@view_config(route_name="petitions_new", renderer="petitions/new.jinja2", permission=VIEW)
def new(request):
    service = petitions(request)
    group = None
    slug = request.params.get("group")
    if slug:
        if not groups_enabled(request.registry):
            raise HTTPNotFound()
        group = _group_from(request, slug)
    if not service.may_start(request.user, group):
        raise HTTPNotFound() if group is not None and request.user is None else HTTPForbidden()
    form = PetitionForm(request, site_today(request))
    if request.method == "POST" and form.validate():
        petition = service.create(request.user, form.values(), group)
        request.session.flash(request.localizer.translate(_("Your petition is open.")))
        return HTTPSeeOther(request.route_url("petitions_show", id=petition.id))
    return {"form": form, "group": group}


def _petition_page(request, form):
    petition = _petition(request)
    service = petitions(request)
    count = service.counts([petition.id])[petition.id]
    open_ = is_open(request, petition)
    if form is not None and open_:
        form.consent.label.text = consent_wording(request, petition)
        form.newsletter.label.text = newsletter_wording(request)
    return {
        "petition": petition, "count": count, "is_open": open_,
        "group": service.group_of(petition), "text": render_markdown(petition.text),
        "form": form if open_ else None,
        "signers": service.public_signers(petition, limit=10),
        "may_organise": request.has_permission(ORGANISE),
    }


@view_config(route_name="petitions_show", request_method="GET", renderer="petitions/show.jinja2",
             permission=VIEW)
def show(request):
    form = sign_form(request, _petition(request))
    if request.user is not None and request.method == "GET":
        form.name.data = request.user.display_name
        form.email.data = request.user.email
    return _petition_page(request, form)


@view_config(route_name="petitions_sign", request_method="POST",
             renderer="petitions/show.jinja2", permission=VIEW)
def sign(request):
    """Take a signature; robots that fill the hidden field are told the same as people."""
    petition = _petition(request)
    show_url = request.route_url("petitions_show", id=petition.id)
    if not is_open(request, petition):  # the page says so; nothing to take
        return HTTPSeeOther(show_url)
    form = sign_form(request, petition)
    thanks = _("Thank you! Check your inbox: your signature counts once you follow the link "
               "we sent you.")
    if form.website.data:
        request.session.flash(request.localizer.translate(thanks))
        return HTTPSeeOther(show_url)
    verdict = request.ratelimiter.hit(request.registry.settings["petitions.sign_rate"],
                                      "petitions-sign", request.client_addr or "")
    if not verdict.allowed:
        values = _petition_page(request, form)
        values["error"] = request.localizer.translate(_(
            "Too many signatures from your connection. Try again in ${seconds} seconds.",
            mapping={"seconds": verdict.retry_after}))
        request.response.status_int = 429
        return values
    if form.validate():
        data = {field.name: field.data for field in form}
        data["consent_text"] = consent_wording(request, petition)
        if data.get("show_name"):
            data["consent_text"] += "\n" + form.show_name.label.text
        data["newsletter_text"] = newsletter_wording(request)
        try:
            petitions(request).sign(petition, data, request.locale_name, request.user)
        except SignatureError as error:
            form.add_error(error.field, error.message)
        except Conflict:  # closed meanwhile: the page says so
            return HTTPSeeOther(show_url)
        else:
            request.session.flash(request.localizer.translate(thanks))
            return HTTPSeeOther(show_url)
    request.response.status_int = 400
    return _petition_page(request, form)


@view_config(route_name="petitions_signers", renderer="petitions/signers.jinja2",
             permission=VIEW)
def signers(request):
    petition = _petition(request)
    if not petition.show_names:
        raise HTTPNotFound()
    size = request.registry.settings["petitions.page_size"]
    rows = petitions(request).public_signers(petition, before=_page_marker(request),
                                             limit=size + 1)
    return {"petition": petition, "signers": rows[:size],
            "next_before": rows[size - 1].id if len(rows) > size else None}


@view_config(route_name="petitions_export", permission=ORGANISE)
def export(request):
    petition = _petition(request)
    body = petitions(request).signatures_csv(petition, request.user)
    response = Response(body=body.encode("utf-8-sig"), content_type="text/csv", charset="utf-8")
    response.content_disposition = f'attachment; filename="petition-{petition.id}-signatures.csv"'
    response.cache_control.no_store = True
    return response


@view_config(route_name="petitions_close", request_method="POST", permission=ORGANISE)
def close(request):
    petition = _petition(request)
    petitions(request).close(petition, request.user)
    request.session.flash(request.localizer.translate(_("The petition is closed.")))
    return HTTPSeeOther(request.route_url("petitions_show", id=petition.id))


def _token_page(request, action):
    service = petitions(request)
    token = request.matchdict["token"]
    signature = service.pending(token) if action == "confirm" else service.by_token(token)
    if signature is None:
        request.response.status_int = 404
        return None, {"signature": None, "petition": None, "action": action}
    petition = request.dbsession.get(Petition, signature.petition_id)
    return signature, {"signature": signature, "petition": petition, "action": action}


@view_config(route_name="petitions_confirm", renderer="petitions/token.jinja2", permission=PUBLIC)
def confirm(request):
    """A GET shows what will be confirmed; only the button confirms (mail scanners follow
    links, they do not press buttons)."""
    signature, values = _token_page(request, "confirm")
    if signature is not None and request.method == "POST":
        try:
            petitions(request).confirm(request.matchdict["token"], request.user)
        except Conflict:
            values["closed"] = True
            return values
        request.session.flash(request.localizer.translate(_(
            "Your signature is confirmed and counts. Thank you!")))
        return HTTPSeeOther(request.route_url("petitions_show", id=signature.petition_id)
                            if _still_visible(request, signature.petition_id)
                            else request.route_url("home"))
    return values


@view_config(route_name="petitions_withdraw", renderer="petitions/token.jinja2",
             permission=PUBLIC)
def withdraw(request):
    signature, values = _token_page(request, "withdraw")
    if signature is not None and request.method == "POST":
        petitions(request).withdraw(request.matchdict["token"], request.user)
        request.session.flash(request.localizer.translate(_("Your signature is withdrawn.")))
        return HTTPSeeOther(request.route_url("home"))
    return values


@view_config(route_name="petitions_news_stop", renderer="petitions/news_stop.jinja2",
             permission=PUBLIC)
def news_stop(request):
    """The link in news of a petition: a GET shows a button, the button stops the news."""
    service = petitions(request)
    token = request.matchdict["token"]
    signature = service.news_signature(token)
    if signature is None:
        request.response.status_int = 404
        return {"petition": None}
    if request.method == "POST":
        service.stop_news(token)
        request.session.flash(request.localizer.translate(_(
            "You will receive no more news of this petition.")))
        return HTTPSeeOther(request.route_url("home"))
    return {"petition": request.dbsession.get(Petition, signature.petition_id)}


def _still_visible(request, petition_id) -> bool:
    return petitions(request).get_visible(petition_id, request.user) is not None


def export_signatures(request, user):
    return petitions(request).export_for(user)


def erase_signatures(request, user):
    petitions(request).erase_for(user)
