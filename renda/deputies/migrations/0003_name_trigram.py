"""A trigram index for searching deputies by any part of their name (issue 15 §4), PostgreSQL only.

`name__contains` (LIKE '%…%') cannot use a b-tree; pg_trgm's GIN index serves it. Other databases
(SQLite, and a 信创 database without pg_trgm) skip this migration and keep working without the index.
"""

from django.db import migrations

INDEX = "deputy_name_trgm"


def _postgresql_with_trgm(schema_editor) -> bool:
    if schema_editor.connection.vendor != "postgresql":
        return False
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        return cursor.fetchone() is not None


def forwards(apps, schema_editor):
    if not _postgresql_with_trgm(schema_editor):
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    table = apps.get_model("deputies", "Deputy")._meta.db_table
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON "{table}" USING gin ("name" gin_trgm_ops)')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("deputies", "0002_congress_constituency_contact_contactassignment_and_more")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
