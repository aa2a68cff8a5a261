"""Test fixtures for comments, for this plugin's tests and any other's (``pytest11`` entry
point ``cortege_comments``):

``make_comment``  ``make_comment(kind, row, author=None, body="...", parent=None, **columns)``:
                  a comment on ``row`` (a content of the content type ``kind``) as the pages
                  would store it, flushed; without ``author``, a new member wrote it.

It also registers the content sample of ``comments.comment`` for the cross-plugin privacy
test: a comment on a petition (of the site or of a group) whose text holds the marker, looked
for on the comments' own page and on the petition's page.
"""

from __future__ import annotations

import pytest

from core.testing import register_content_sample


def new_comment(kind, row, author=None, body="A fair point.", parent=None, **columns):
    from core.db import utcnow
    from plugins.comments.models import Comment

    columns.setdefault("created_at", utcnow())
    return Comment(kind=kind, content_id=row.id, author_id=author.id if author else None,
                   body=body, parent_id=parent.id if parent is not None else None,
                   hidden=columns.pop("hidden", False), deleted=columns.pop("deleted", False),
                   **columns)


@pytest.fixture
def make_comment(dbsession, make_user):
    def factory(kind, row, author=None, body="A fair point.", parent=None, **columns):
        comment = new_comment(kind, row, author or make_user(), body, parent, **columns)
        dbsession.add(comment)
        dbsession.flush()
        return comment

    return factory


def _sample(dbsession, *, owner, group, marker):
    from plugins.petitions.testing import new_petition

    petition = new_petition(owner, group, title="Petition with comments")
    dbsession.add(petition)
    dbsession.flush()
    comment = new_comment("petitions.petition", petition, owner, f"Comment {marker}")
    dbsession.add(comment)
    dbsession.flush()
    return comment


register_content_sample(
    "comments.comment", _sample,
    lambda comment: [f"/comments/petitions.petition/{comment.content_id}",
                     f"/tools/petitions/{comment.content_id}"])
