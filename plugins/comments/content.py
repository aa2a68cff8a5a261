"""The ``comments.comment`` content type: a comment is seen by whoever sees its content."""

from __future__ import annotations

from core.text import plain_text
from plugins.comments import _
from plugins.comments.models import Comment
from plugins.comments.services import CONTENT_TYPE, comment_url, visible_comments

LABEL_LENGTH = 80


def label(comment) -> str:
    text = plain_text(comment.body)
    return text if len(text) <= LABEL_LENGTH else text[:LABEL_LENGTH - 1].rstrip() + "…"


def includeme(config):
    config.add_content_type(CONTENT_TYPE, _("Comment"), Comment, visible=visible_comments,
                            url=comment_url, label=label, owner="author_id",
                            created="created_at", updated="edited_at",
                            text=lambda comment: plain_text(comment.body))
