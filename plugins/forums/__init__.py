"""Forums: site forums in categories and, with the groups plugin on, a forum in every group.

Topics and replies in Markdown, quoting, editing within a window, moderation (hide, move,
close, stick, reports), subscriptions by email, unread markers and search. With profiles on,
member pages get "Topics" and "Replies" tabs.

On the spine (see ``docs/architecture.md``, section 14):

- domain events ``forums.topic_*`` and ``forums.post_*`` (``plugins.forums.events``),
  published by ``ForumService`` (``plugins.forums.services``), which takes the actor;
  rows are written with their counters by ``plugins.forums.writing``;
- content types ``forums.forum``, ``forums.topic``, ``forums.post``
  (``plugins.forums.content``), whose conditions every page, count, search and mail uses;
- mail to subscribers from the subscriber ``forums.notify_subscribers``
  (``plugins.forums.notify``);
- test fixtures and content samples in ``plugins.forums.testing`` (pytest11).

Page regions where other plugins add boxes (``config.add_region_item``):

``forums.index.header``  above the list of forums on /forums (no context)
``forums.forum.header``  above a forum's topics, on a site forum and on a group's Forum tab
                         (``forum``, ``group`` or None, ``context``: the forum's ACL context)
``forums.topic.footer``  below a topic's posts and reply form (``topic``, ``forum``,
                         ``group`` or None, ``context``: the forum's ACL context)
"""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin, Setting, asbool, asint, aspositiveint, asrate

_ = TranslationStringFactory("forums")

plugin = Plugin(
    name="forums",
    package=__name__,
    title=_("Forums"),
    description=_("Discussion forums for the site and for every group, with moderation, "
                  "subscriptions by email and search."),
    version="1.0",
    optional=("profiles", "groups"),
    settings={
        "topics_per_page": Setting(30, aspositiveint, "Topics per page of a forum."),
        "posts_per_page": Setting(25, aspositiveint, "Posts per page of a topic."),
        "edit_minutes": Setting(
            60, asint, "Minutes during which authors may edit their posts (0: never; "
            "moderators may always)."),
        "subscribe_authors": Setting(
            True, asbool, "Subscribe members to the topics they start and answer."),
        "post_rate": Setting(
            "6/minute", asrate, "How often one member may post (a rate such as 6/minute)."),
        "new_member_days": Setting(
            3, asint, "For how many days after joining a member counts as new."),
        "new_member_links": Setting(
            2, asint, "Most links a new member may put in one post."),
        "mail_batch": Setting(
            200, aspositiveint, "Most subscribers one job mails about a new post; more are "
            "split into several jobs."),
    },
    includeme="plugins.forums.routes:includeme",
)
