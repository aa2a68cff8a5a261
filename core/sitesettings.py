"""Site settings that admins change in /admin, kept in the database."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base

REGISTRATION_MODES = ("open", "approval", "invitation", "closed")
VISIBILITY_MODES = ("public", "members")


class SiteSetting(Base):
    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


@dataclass
class SiteSettings:
    site_name: str
    tagline: str = ""
    privacy_page: str = ""
    registration: str = "open"
    visibility: str = "public"
    members_may_invite: bool = False


def load_site_settings(dbsession, default_name: str) -> SiteSettings:
    rows = dbsession.execute(select(SiteSetting.key, SiteSetting.value)).all()
    known = {field.name for field in fields(SiteSettings)}
    values = {key: json.loads(value) for key, value in rows if key in known}
    values.setdefault("site_name", default_name)
    return SiteSettings(**values)


def save_site_settings(dbsession, settings: SiteSettings) -> None:
    for field in fields(SiteSettings):
        value = json.dumps(getattr(settings, field.name))
        row = dbsession.get(SiteSetting, field.name)
        if row is None:
            dbsession.add(SiteSetting(key=field.name, value=value))
        else:
            row.value = value
    dbsession.flush()


def _site_settings(request) -> SiteSettings:
    return load_site_settings(request.dbsession, request.registry.settings["cortege.site_name"])


def includeme(config):
    config.add_request_method(_site_settings, "site_settings", reify=True)
