"""Comments: one comment box under every kind of content that asks for it.

A kind of content opts in where it is registered, ``config.add_content_type(...,
comments=Comments(group=..., open=..., moderators=...))`` (``core.content.Comments``): the
agenda's events, petitions, polls (once closed) and the social layer's status updates do.
Comments are threaded one level (replies to a comment, never to a reply), written in
Markdown and sanitised as forum posts are, editable by their authors for a while, deleted by them or by moderators, reported by
readers, hidden by moderators (the site's, the content's owner and organisers, its group's
moderators), and closed per content.

Who sees a comment is exactly who sees its content: the ``comments.comment`` content type's
condition is built on the condition of each commentable kind, so a content that turns
private, or a group that turns hidden, takes its comments and their counts along at once.

On the spine: the domain events of ``plugins.comments.events`` (``CommentPosted`` carries
the content's kind and id, so that whoever notifies finds its owner and participants with
``ICommentService.participant_ids``), mentions (``core.mentions``), and the personal-data
provider ``comments``.

Page regions where the box appears (``plugins.comments.views``): ``agenda.event.after_rsvp``,
``petitions.petition.aside``, ``polls.poll.aside``; other kinds show it with
``{{ comments_box(kind, row) }}`` or a region item of their own (``comments.views.box``).
"""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin, Setting, asint, aspositiveint, asrate

_ = TranslationStringFactory("comments")


plugin = Plugin(
    name="comments",
    package=__name__,
    title=_("Comments"),
    description=_("Comments under events, petitions, polls and any content that asks for "
                  "them, with replies, moderation and reports."),
    version="1.0",
    optional=("groups", "agenda", "petitions", "polls", "social"),
    migrations="plugins.comments:migrations",
    settings={
        "edit_minutes": Setting(
            30, asint, "Minutes during which authors may edit their comments (0: never; "
            "moderators may always)."),
        "post_rate": Setting("5/minute", asrate, "How often one member may comment."),
        "report_rate": Setting("10/hour", asrate, "How often one member may report."),
        "page_size": Setting(30, aspositiveint, "Comments (with their replies) per page."),
        "box_size": Setting(10, aspositiveint,
                            "Comments (with their replies) shown under a content; the rest "
                            "on the comments' own page."),
    },
    includeme="plugins.comments.routes:includeme",
)
