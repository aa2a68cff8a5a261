"""search index

Revision ID: 5e4c1a9b7d20
Revises:
Create Date: 2026-12-01 18:40:00
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = '5e4c1a9b7d20'
down_revision = None
branch_labels = None
depends_on = None

# PostgreSQL: accents removed (unaccent), then each language's stemmer; the document holds
# the words of both, so that a query in either language finds them.
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TEXT SEARCH CONFIGURATION cortege_fr (COPY = french)",
    ("ALTER TEXT SEARCH CONFIGURATION cortege_fr ALTER MAPPING FOR hword, hword_part, word "
     "WITH unaccent, french_stem"),
    "CREATE TEXT SEARCH CONFIGURATION cortege_en (COPY = english)",
    ("ALTER TEXT SEARCH CONFIGURATION cortege_en ALTER MAPPING FOR hword, hword_part, word "
     "WITH unaccent, english_stem"),
    # unaccent() is only STABLE (its dictionary may change): indexes need an IMMUTABLE name.
    ("CREATE FUNCTION search_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
     "STRICT AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$"),
    "ALTER TABLE search_entry ADD COLUMN document tsvector",
    # Each part is put 100 positions after the one before (then the marker is removed), so
    # that a phrase never runs from a title into its body, or from French into English.
    """CREATE FUNCTION search_entry_document() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  gap tsvector := 'cortegegap:100'::tsvector;
BEGIN
  NEW.document := ts_delete(
       setweight(to_tsvector('cortege_fr', coalesce(NEW.title, '')), 'A') || gap
    || setweight(to_tsvector('cortege_fr', coalesce(NEW.body, '')), 'B') || gap
    || setweight(to_tsvector('cortege_en', coalesce(NEW.title, '')), 'A') || gap
    || setweight(to_tsvector('cortege_en', coalesce(NEW.body, '')), 'B'),
    'cortegegap'::text);
  RETURN NEW;
END $$""",
    ("CREATE TRIGGER search_entry_document BEFORE INSERT OR UPDATE OF title, body "
     "ON search_entry FOR EACH ROW EXECUTE FUNCTION search_entry_document()"),
    "CREATE INDEX ix_search_entry_document ON search_entry USING gin (document)",
    ("CREATE INDEX ix_search_entry_names ON search_entry "
     "USING gin (search_unaccent(title) gin_trgm_ops) WHERE is_name"),
]

# SQLite: an FTS5 table whose content is search_entry's title and body, kept by triggers.
SQLITE = [
    ("CREATE VIRTUAL TABLE search_entry_fts USING fts5(title, body, content='search_entry', "
     "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"),
    """CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
  INSERT INTO search_entry_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END""",
    """CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
  INSERT INTO search_entry_fts(search_entry_fts, rowid, title, body)
  VALUES ('delete', old.id, old.title, old.body);
END""",
    """CREATE TRIGGER search_entry_fts_update AFTER UPDATE OF title, body ON search_entry BEGIN
  INSERT INTO search_entry_fts(search_entry_fts, rowid, title, body)
  VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO search_entry_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END""",
]


def upgrade() -> None:
    op.create_table('search_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('is_name', sa.Boolean(), nullable=False),
    sa.Column('changed_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entry')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        batch_op.create_index('ix_search_entry_kind_row_id', ['kind', 'row_id'], unique=True)
    statements = SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_entry_fts")
    op.drop_table('search_entry')
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION search_entry_document()")
        op.execute("DROP FUNCTION search_unaccent(text)")
        op.execute("DROP TEXT SEARCH CONFIGURATION cortege_fr")
        op.execute("DROP TEXT SEARCH CONFIGURATION cortege_en")
