"""Poll pages: the list, a group's polls, creating a poll, voting and the results."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from core.db import utcnow
from core.input import parse_id
from core.text import render_markdown
from plugins.polls import _
from plugins.polls.charts import bar_chart, profile_chart
from plugins.polls.forms import PollForm
from plugins.polls.interfaces import IPollService, PollError
from plugins.polls.methods import GRADE_TITLES, GRADES, POLL_KINDS, RANKING
from plugins.polls.services import VOTE, group_service


def polls(request):
    return request.find_service(IPollService)


def _group_or_404(request, slug):
    groups = group_service(request)
    group = groups.find(slug, request.user) if groups is not None else None
    if group is None or not groups.can_see_content(group, request.user):
        raise HTTPNotFound()
    return group


def _poll_or_404(request):
    poll = polls(request).find(int(request.matchdict["id"]), request.user)
    if poll is None:
        raise HTTPNotFound()
    return poll


def _listing(request, group=None) -> dict:
    service = polls(request)
    size = request.registry.settings["polls.page_size"]
    before = parse_id(request.GET.get("before"))
    rows = service.listing(request.user, group=group, before=before, limit=size + 1)
    more = len(rows) > size
    rows = rows[:size]
    query = {"before": rows[-1].id} if more else None
    next_url = None
    if query:
        next_url = (request.route_url("polls_group", slug=group.slug, _query=query) if group
                    else request.route_url("polls_index", _query=query))
    return {"polls": rows, "group": group, "now": utcnow(), "next_url": next_url,
            "may_create": service.may_create(request.user, group), "kinds": POLL_KINDS}


@view_config(route_name="polls_index", renderer="polls/index.jinja2", permission=VOTE)
def index(request):
    return _listing(request)


@view_config(route_name="polls_group", renderer="polls/index.jinja2", permission=VOTE)
def group_index(request):
    return _listing(request, _group_or_404(request, request.matchdict["slug"]))


@view_config(route_name="polls_new", renderer="polls/new.jinja2", permission=VOTE)
def new_poll(request):
    service = polls(request)
    slug = request.params.get("group", "")
    group = _group_or_404(request, slug) if slug else None
    if not service.may_create(request.user, group):
        raise HTTPForbidden()
    form = PollForm(request).prepare(request, request.registry.settings["polls.max_options"])
    if request.method == "POST" and form.validate():
        values = form.values(request)
        if values is not None:
            poll = service.create(request.user, values, group)
            request.session.flash(request.localizer.translate(_("The poll is ready.")))
            return HTTPSeeOther(request.route_url("polls_poll", id=poll.id))
    if request.method == "POST":
        request.response.status_int = 400
    return {"form": form, "group": group, "kinds": POLL_KINDS}


@view_config(route_name="polls_poll", renderer="polls/poll.jinja2", permission=VOTE)
def poll_page(request):
    poll = _poll_or_404(request)
    service = polls(request)
    values = {"error": None, "change_code": None, "submitted": None}
    if request.method == "POST":
        try:
            ballot = service.check_ballot(poll, request.POST)
            code = service.vote(poll, request.user, ballot, request.POST.get("change_code"))
        except PollError as exc:
            request.response.status_int = 400
            values["error"] = request.localizer.translate(exc.message)
            values["submitted"] = request.POST
        else:
            if code is None:
                request.session.flash(request.localizer.translate(_("Your ballot is recorded.")))
                return HTTPSeeOther(request.route_url("polls_poll", id=poll.id))
            values["change_code"] = code  # shown once, never stored in clear
    context = poll_context(request, service, poll)
    context["prefill"] = prefill(poll, values.pop("submitted"), context["own"])
    return values | context


def prefill(poll, submitted, own) -> dict:
    """What the ballot form shows ticked: the ballot just refused, or the voter's named
    ballot. Choice polls: {option id: True}; ranked: {option id: rank}; graded: {id: grade}."""
    ballot_kind = POLL_KINDS[poll.kind].ballot_kind
    if submitted is not None:
        if ballot_kind == GRADES:
            return {o.id: submitted.get(f"grade_{o.id}", "") for o in poll.options}
        if ballot_kind == RANKING:
            return {o.id: submitted.get(f"rank_{o.id}", "") for o in poll.options}
        return {int(v): True for v in submitted.getall("choice") if v.isdigit()}
    if own is None:
        return {}
    if isinstance(own, dict):
        return {int(key): str(grade) for key, grade in own.items()}
    if ballot_kind == RANKING:
        return {option: str(rank) for rank, option in enumerate(own, start=1)}
    return {option: True for option in own}


@view_config(route_name="polls_close", request_method="POST", permission=VOTE)
def close_poll(request):
    poll = _poll_or_404(request)
    polls(request).close(poll, request.user)
    request.session.flash(request.localizer.translate(_("The poll is closed.")))
    return HTTPSeeOther(request.route_url("polls_poll", id=poll.id))


def poll_context(request, service, poll) -> dict:
    user = request.user
    now = utcnow()
    has_voted = service.has_voted(poll, user)
    may_vote = poll.is_open(now) and service.may_vote(poll, user)
    own = service.named_ballot(poll, user)
    context = {
        "poll": poll,
        "group": service.group_of(poll),
        "kind": POLL_KINDS[poll.kind],
        "method": service.method(poll),
        "description": render_markdown(poll.description),
        "state": "upcoming" if now < poll.opens_at else "closed" if poll.is_closed(now) else "open",
        "may_vote": may_vote,
        "has_voted": has_voted,
        "shows_ballot": may_vote and (not has_voted or poll.changeable),
        "own": own.choices if own is not None else None,
        "may_manage": service.may_manage(poll, user) and not poll.is_closed(now),
        "electorate": service.electorate_size(poll),
        "turnout": service.turnout(poll),
        "grades": list(enumerate(GRADE_TITLES)),
        "results": None,
        "results_state": service.results_state(poll),
        "secret_min_ballots": request.registry.settings["polls.secret_min_ballots"],
    }
    if context["results_state"] == "shown":
        context["results"] = results_context(request, service, poll)
    return context


def results_context(request, service, poll) -> dict:
    """The counted result, in sentences, charts and tables."""
    translate = request.localizer.translate
    number = request.format_number
    method = service.method(poll)
    result = service.count(poll)
    labels = {option.id: option.label for option in poll.options}
    score_title = translate(method.score_title or _("Score"))
    summary = None
    if result.ballots and result.tied:
        summary = translate(_("Tie between ${options}. By the rule below, ${winner} comes first.",
                              mapping={"options": ", ".join(labels[o] for o in result.tied),
                                       "winner": labels[result.winner]}))
    elif result.ballots and result.winner is not None:
        summary = translate(_("${winner} comes first.", mapping={"winner": labels[result.winner]}))
    charts = []
    if method.ballot_kind == GRADES:
        charts.append(profile_chart(request, f"poll-{poll.id}-profiles",
                                    translate(_("Grades received by each option")),
                                    [(labels[o], result.profiles[o]) for o in result.ranking]))
    else:
        charts.append(bar_chart(request, f"poll-{poll.id}-scores", score_title, [
            (labels[o], result.scores.get(o, 0), number(result.scores.get(o, 0)))
            for o in result.ranking]))
    ballots = []
    if not poll.anonymous:
        ballots = [(voter, describe(poll, choices, labels, translate))
                   for voter, choices in service.named_ballots(poll)]
    return {
        "result": result,
        "summary": summary,
        "charts": charts,
        "labels": labels,
        "score_title": score_title,
        "rounds": result.rounds if len(result.rounds) > 1 else [],
        "pairwise": method.ballot_kind == RANKING and bool(result.pairwise),
        "majority_grades": {o: translate(GRADE_TITLES[g]) for o, g in
                            result.majority_grades.items() if g is not None},
        "named_ballots": ballots,
    }


def describe(poll, choices, labels, translate) -> str:
    """A ballot in words, for the list of named ballots."""
    if isinstance(choices, dict):
        return ", ".join(f"{labels.get(int(key), '?')} ({translate(GRADE_TITLES[grade])})"
                         for key, grade in choices.items())
    if POLL_KINDS[poll.kind].ballot_kind == RANKING:
        return " > ".join(labels.get(option, "?") for option in choices)
    return ", ".join(labels.get(option, "?") for option in choices) or "—"


def export_polls(request, user):
    return polls(request).export(user)


def erase_polls(request, user):
    polls(request).erase(user)
