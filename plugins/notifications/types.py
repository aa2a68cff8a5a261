"""Kinds of notification: declared by any plugin with ``config.add_notification_type``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.extensions import plugin_of, register_item, registered, registered_map

TYPES = "cortege notification types"

IN_APP, EMAIL, DAILY, WEEKLY, OFF = "in_app", "email", "daily", "weekly", "off"
CHANNELS = (IN_APP, EMAIL, DAILY, WEEKLY, OFF)
DIGESTS = (DAILY, WEEKLY)


@dataclass(frozen=True)
class NotificationType:
    name: str
    title: Any  # what the preferences page calls it
    default_channels: str  # the channel until the member chooses: one of CHANNELS
    message: Any  # a TranslationString with ${actor} and ${subject}
    order: int = 100
    plugin: str = "core"


def add_notification_type(config, name: str, title, default_channels: str = IN_APP,
                          message=None, order: int = 100) -> None:
    """Declare a kind of notification. ``default_channels`` is what members get until they
    choose: ``in_app`` (the bell only), ``email`` (the bell and a mail at once), ``daily`` or
    ``weekly`` (the bell and a digest), or ``off`` (opt-in types). ``message`` is a
    TranslationString that may use ``${actor}`` (who acted) and ``${subject}`` (the subject's
    label); the title is used without one."""
    if default_channels not in CHANNELS:
        raise ValueError(f"default_channels must be one of {', '.join(CHANNELS)}, "
                         f"not {default_channels!r}")
    item = NotificationType(name, title, default_channels, message or title, order,
                            plugin_of(config))
    register_item(config, TYPES, name, item, title=str(title), order=order)


def notification_types(registry) -> list[NotificationType]:
    return registered(registry, TYPES)


def notification_type(registry, name: str) -> NotificationType | None:
    return registered_map(registry, TYPES).get(name)


def includeme(config):
    config.add_directive("add_notification_type", add_notification_type, action_wrap=False)
