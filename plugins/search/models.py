"""The search index: one row per thing that can be found, its text and its date.

What makes the text searchable is kept by the migration beside this table and is named in
``info["beyond_models"]`` (so that comparing the schema with the models leaves it alone):

- PostgreSQL: the ``document`` column (``tsvector``: title weighted A, body B, each through
  the ``cortege_fr`` and ``cortege_en`` configurations, which remove accents), filled by a
  trigger; a GIN index on it; a trigram GIN index on the names of members and groups.
- SQLite: the FTS5 table ``search_entry_fts`` (``porter unicode61 remove_diacritics 2``),
  external content of this table, kept by triggers.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime

BEYOND_MODELS = ("document", "ix_search_entry_document", "ix_search_entry_names",
                 "search_entry_fts", "search_entry_fts_*")


class SearchEntry(Base):
    __tablename__ = "search_entry"
    __table_args__ = (
        Index("ix_search_entry_kind_row_id", "kind", "row_id", unique=True),
        {"sqlite_autoincrement": True, "info": {"beyond_models": BEYOND_MODELS}},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))  # a content type's name
    row_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    # A member's or a group's name: also found by resemblance ("Dupond" finds "Dupont").
    is_name: Mapped[bool] = mapped_column(Boolean, default=False)
    # The content's last change (or creation): recency breaks ties of relevance.
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
