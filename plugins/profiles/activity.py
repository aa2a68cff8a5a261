"""A member's last-active time, without a database write on every request.

After a successful request by a logged-in member, the time of the last write is read from
the member's session (a signed cookie, so no storage is needed); only when it is older than
``profiles.activity_minutes`` is ``profiles_profile.last_active_at`` updated, in the same
transaction as the request. So a member costs at most one write per interval and per
browser, and the directory's "recently active" order is at most that many minutes behind.
When the database is too busy to take the write, the page is served anyway and a later
request writes it.
"""

from __future__ import annotations

import time

from core.db import try_write
from plugins.profiles.interfaces import IProfileService

SESSION_KEY = "profiles.active_at"


def activity_tween_factory(handler, registry):
    interval = registry.settings["profiles.activity_minutes"] * 60

    def tween(request):
        response = handler(request)
        # Only when the request already looked up its user: no extra query for the others.
        user = request.__dict__.get("user")
        if user is None or response.status_int >= 400 or request.tm.isDoomed():
            return response
        now = int(time.time())
        if now - request.session.get(SESSION_KEY, 0) >= interval:
            # A busy database must not fail the page: the write waits for a later request.
            service = request.find_service(IProfileService)
            if try_write(request.dbsession, lambda: service.touch(user),
                         f"last-active time of member {user.id}"):
                request.session[SESSION_KEY] = now
        return response

    return tween


def includeme(config):
    config.add_tween("plugins.profiles.activity.activity_tween_factory",
                     under="pyramid_tm.tm_tween_factory")
