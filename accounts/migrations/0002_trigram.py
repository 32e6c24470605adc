from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm for typo-tolerant search."""

    dependencies = [("accounts", "0001_initial")]

    operations = [
        TrigramExtension(),
        # Typo-tolerant search by organisation name (trigram word similarity).
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS organization_name_trgm ON accounts_organization "
            "USING gin (name gin_trgm_ops, name_en gin_trgm_ops)",
            "DROP INDEX IF EXISTS organization_name_trgm",
        ),
    ]
