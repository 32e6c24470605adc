"""The table of the ``limits`` cache (rate-limit counters shared by every worker).

Created whatever the cache backend (an unused empty table when the counters are in Redis),
and left alone when it exists.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    call_command("createcachetable", "keqiao_limits_cache", database=schema_editor.connection.alias)


def drop_cache_table(apps, schema_editor) -> None:
    schema_editor.execute("DROP TABLE IF EXISTS keqiao_limits_cache")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_organization_credit_code")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
