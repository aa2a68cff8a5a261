"""What other parts of the site may ask of comments: ``request.find_service(ICommentService)``.

Methods that change something take the acting member and check themselves what that actor
may do, whoever calls them; they refuse with ``core.errors.ActionError`` subclasses carrying
the sentence to show, and publish the events of ``plugins.comments.events``.
"""

from zope.interface import Interface

from core.errors import ActionError


class ICommentService(Interface):
    """Comments on every kind of content that takes them."""

    def kinds():
        """The content types that take comments (``core.content.ContentType``)."""

    def content(kind, content_id, viewer):
        """The row ``content_id`` of ``kind`` if it takes comments and ``viewer`` may see it,
        else None."""

    def visible(viewer):
        """The SQL condition on Comment of the comments ``viewer`` may see: those of the
        contents they may see, neither deleted nor hidden (site admins see hidden ones)."""

    def thread(kind, row, viewer, after=None, limit=None):
        """A page of the content's comments, oldest first, each with its replies:
        ``Page(items=[Entry], next_cursor)``; hidden ones only for its moderators."""

    def counts(kind, content_ids, viewer):
        """{content id: number of comments ``viewer`` may see}, for contents of ``kind``."""

    def comment(comment_id, viewer):
        """(comment, content type, content row) if ``viewer`` may see the comment (its
        moderators see it hidden too), else None."""

    def may_moderate(kind, row, actor):
        """Site admins and moderators (``comments.moderate``), the content's owner, its
        group's moderators, and whoever the kind's ``moderators`` callable allows."""

    def is_open(kind, row):
        """Whether the content takes new comments: its kind's ``open`` and its switch."""

    def may_comment(kind, row, actor):
        """Whether ``actor`` may comment on the content now."""

    def post(actor, kind, row, body, parent=None):
        """Write a comment (or a reply to ``parent``); publishes CommentPosted and the
        mentions of the text."""

    def edit(actor, comment, body):
        """Change the text: its author within ``comments.edit_minutes``, its moderators."""

    def delete(actor, comment):
        """Delete it (its author or a moderator); one with replies keeps its place, empty."""

    def report(actor, comment, reason):
        """Flag it for the content's moderators."""

    def set_hidden(actor, comment, hidden):
        """Hide it or show it again (moderators); closes its open reports."""

    def dismiss_reports(actor, comment):
        """Close its open reports, leaving it shown (moderators)."""

    def set_closed(actor, kind, row, closed):
        """Close or reopen the content's comments (moderators)."""

    def participant_ids(kind, content_id):
        """The content's owner and the authors of its comments (whom a notifier may tell,
        after checking that each may still see the content)."""


class CommentError(ActionError):
    """An action on comments refused, with a sentence saying why."""
