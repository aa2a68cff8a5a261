"""Kinds of poll, and the ``add_counting_method`` directive through which methods are added.

A poll's kind fixes what its ballot holds (a ballot kind, see ``plugins.polls.counting``);
its counting method is any registered method for that ballot kind. Another plugin adds one
in its ``includeme``::

    def borda(options, ballots):  # pure: option keys and ballots in, a counting.Result out
        ...

    config.add_counting_method(
        "borda", _("Borda count"), "ranking", borda,
        description=_("Points by rank: the last place gets 0, each place above one more."),
        score_title=_("Points"),
        tie_break=_("Equal points keep the order of the options on the poll."),
    )

The method is then offered for every ranked-choice poll, and its results are drawn from
``Result.scores``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.extensions import plugin_of, register_item, registered, registered_map
from plugins.polls import _, counting

CHOICE, RANKING, GRADES = "choice", "ranking", "grades"
BALLOT_KINDS = (CHOICE, RANKING, GRADES)
CATEGORY = "polls counting methods"


@dataclass(frozen=True)
class PollKind:
    name: str
    title: Any
    ballot_kind: str
    help: Any


POLL_KINDS = {
    kind.name: kind for kind in (
        PollKind("single", _("Single choice"), CHOICE, _("Each voter chooses one option.")),
        PollKind("multiple", _("Multiple choice"), CHOICE,
                 _("Each voter chooses between a minimum and a maximum number of options.")),
        PollKind("approval", _("Approval"), CHOICE,
                 _("Each voter approves of as many options as they like.")),
        PollKind("ranked", _("Ranked choice"), RANKING,
                 _("Each voter ranks the options in order of preference.")),
        PollKind("judgment", _("Majority judgment"), GRADES,
                 _("Each voter grades every option, from excellent to reject.")),
    )
}

GRADE_TITLES = (
    _("Excellent"), _("Very good"), _("Good"), _("Fairly good"), _("Passable"),
    _("Insufficient"), _("To reject"),
)
assert len(GRADE_TITLES) == len(counting.GRADES)


@dataclass(frozen=True)
class CountingMethod:
    name: str
    title: Any
    ballot_kind: str
    count: Callable
    description: Any = None
    score_title: Any = None
    tie_break: Any = None
    order: int = 100
    plugin: str = "core"


def add_counting_method(config, name, title, ballot_kind, count, description=None,
                        score_title=None, tie_break=None, order=100):
    """Register ``count(options, ballots) -> counting.Result`` for polls of ``ballot_kind``
    (``"choice"``, ``"ranking"`` or ``"grades"``)."""
    if ballot_kind not in BALLOT_KINDS:
        raise ValueError(f"the counting method {name!r} needs a ballot kind among "
                         f"{', '.join(BALLOT_KINDS)}, not {ballot_kind!r}")
    method = CountingMethod(name, title, ballot_kind, config.maybe_dotted(count), description,
                            score_title, tie_break, order, plugin_of(config))
    register_item(config, CATEGORY, name, method, title=str(title), order=order)


def counting_methods(registry, ballot_kind: str | None = None) -> list[CountingMethod]:
    return [method for method in registered(registry, CATEGORY)
            if ballot_kind is None or method.ballot_kind == ballot_kind]


def counting_method(registry, name: str) -> CountingMethod | None:
    return registered_map(registry, CATEGORY).get(name)


def includeme(config):
    config.add_directive("add_counting_method", add_counting_method, action_wrap=False)
    config.add_counting_method(
        "plurality", _("Count of votes"), CHOICE, counting.plurality,
        description=_("Each chosen option gets one vote; the most votes win."),
        score_title=_("Votes"),
        tie_break=_("Options with as many votes keep the order in which the poll lists them."),
        order=10)
    config.add_counting_method(
        "instant_runoff", _("Instant runoff"), RANKING, counting.instant_runoff,
        description=_("Round by round, the option with the fewest first preferences is "
                      "eliminated and its ballots go to their next preference, until one "
                      "option has more than half of the ballots still counting."),
        score_title=_("Votes in the last round the option took part in"),
        tie_break=_("When options tie for the fewest votes, the one that had fewer votes in "
                    "the latest earlier round where they differed is eliminated; if they "
                    "never differed, the one listed last on the poll."),
        order=20)
    config.add_counting_method(
        "schulze", _("Condorcet (Schulze method)"), RANKING, counting.schulze,
        description=_("Every option is compared with every other one; an option wins when "
                      "its chain of majorities over each rival is stronger than the rival's "
                      "chain back."),
        score_title=_("Options beaten"),
        tie_break=_("Options that none of the others beats are level; they keep the order "
                    "in which the poll lists them."),
        order=30)
    config.add_counting_method(
        "majority_judgment", _("Majority judgment"), GRADES, counting.majority_judgment,
        description=_("Each option's majority grade is the grade a majority gives it or "
                      "better; the best majority grade wins."),
        score_title=_("Majority grade"),
        tie_break=_("Options with the same majority grade are told apart by setting aside "
                    "that grade one ballot at a time until their majority grades differ; "
                    "options graded exactly alike keep the order of the poll."),
        order=40)
