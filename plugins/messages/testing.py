"""Test fixtures of private messages (``pytest11`` entry point ``cortege_messages``).

It registers the content sample of ``messages.conversation`` for the cross-plugin privacy
test (``core.testing.register_content_sample``): a conversation whose subject holds the
marker, with its owner alone as a participant, looked for on its page and in the inbox.
Conversations are nobody's but their participants', site admins included, so the sample
lives outside groups.
"""

from __future__ import annotations

from core.testing import register_content_sample


def new_conversation(dbsession, participants, subject="Hello", body="Hello", sender=None):
    """A conversation of ``participants`` (Users) with one message, flushed."""
    from core.db import utcnow
    from plugins.messages.models import Conversation, Message, Participant

    sender = sender or participants[0]
    conversation = Conversation(subject=subject, started_by_id=sender.id, created_at=utcnow())
    dbsession.add(conversation)
    dbsession.flush()
    message = Message(conversation_id=conversation.id, sender_id=sender.id, body=body,
                      admins_only=False, created_at=utcnow())
    dbsession.add(message)
    dbsession.flush()
    conversation.last_message_id = message.id
    for user in participants:
        dbsession.add(Participant(conversation_id=conversation.id, user_id=user.id,
                                  is_admin=False, last_message_id=message.id,
                                  last_read_id=message.id if user is sender else 0,
                                  archived=False, cleared_id=0, joined_at=utcnow()))
    dbsession.flush()
    return conversation


def _sample(dbsession, *, owner, group, marker):
    return new_conversation(dbsession, [owner], subject=f"Conversation {marker}")


register_content_sample("messages.conversation", _sample,
                        lambda conversation: [f"/messages/{conversation.id}", "/messages"],
                        in_groups=False)
