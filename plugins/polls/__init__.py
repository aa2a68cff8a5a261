"""Polls: consultations of the members, for the whole site or for one group's members.

Single and multiple choice, approval, ranked choice (instant runoff or Condorcet-Schulze) and
majority judgment; anonymous or named ballots; results after closing or live, drawn as
accessible SVG charts. Other plugins add counting methods with
``config.add_counting_method`` (see ``plugins.polls.methods``).

Page regions (``config.add_region_item``, see ``core.regions``):

``polls.poll.aside``  beside a poll, after its ballot and results; context: ``poll`` and
                      ``group`` (or None)

Events, content type and subscribers: ``plugins.polls.events`` and
``plugins.polls.subscribers``; test fixtures: ``plugins.polls.testing``.
"""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin, Setting, aspositiveint

_ = TranslationStringFactory("polls")

plugin = Plugin(
    name="polls",
    package=__name__,
    title=_("Polls"),
    description=_("Consultations of the members: choices, rankings and majority judgment, "
                  "for the whole site or a group."),
    version="1.0",
    requires=("tools",),
    optional=("groups",),
    settings={
        "page_size": Setting(20, aspositiveint, "Polls per page of the list."),
        "max_options": Setting(30, aspositiveint, "Most options a poll may offer."),
        "secret_min_ballots": Setting(
            5, aspositiveint, "Fewest ballots a secret poll needs before its results show, "
            "live or closed, so that a small count cannot tell how anyone voted (1: always "
            "show)."),
    },
    includeme="plugins.polls.routes:includeme",
)
