"""Alembic environment shared by the core and every plugin (see core.migrate)."""

from alembic import context

from core.db import metadata
from core.migrate import beyond_models, is_version_table, table_owner

config = context.config
connection = config.attributes["connection"]
owner = config.attributes["owner"]
plugin_names = config.attributes["plugin_names"]


def _table_name(obj, name, type_):
    if type_ == "table":
        return name
    table = getattr(obj, "table", None)
    return getattr(table, "name", None)


def include_object(obj, name, type_, reflected, compare_to):
    table = _table_name(obj, name, type_)
    if table is None:
        return True
    return not is_version_table(table) and table_owner(table, plugin_names) == owner


def include_name(name, type_, parent_names):
    if beyond_models(name, type_, parent_names):
        return False
    if type_ == "table":
        return not is_version_table(name) and table_owner(name, plugin_names) == owner
    return True


context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=config.attributes["version_table"],
    include_object=include_object,
    include_name=include_name,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
