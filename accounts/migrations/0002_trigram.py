from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def _forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Typo-tolerant search by organisation name (trigram word similarity).
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS organization_name_trgm ON accounts_organization "
            "USING gin (name gin_trgm_ops, name_en gin_trgm_ops)"
        )


def _backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS organization_name_trgm")


class Migration(migrations.Migration):
    """pg_trgm for typo-tolerant search (a no-op on SQLite)."""

    dependencies = [("accounts", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(_forwards, _backwards),
    ]
