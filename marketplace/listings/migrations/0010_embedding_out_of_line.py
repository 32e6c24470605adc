from django.db import migrations

# An embedding is 1.5 kB. Kept in the row it would make listing rows five times wider, and
# every scan that reads many listings (ranking a text search's hits, the lists) five times
# slower; out of line (TOAST) it is read only by what asks for it: the HNSW index keeps its
# own copy, and matching reads the few hundred of its candidates.
SQL = """
ALTER TABLE listings_{table} ALTER COLUMN embedding SET STORAGE EXTERNAL;
ALTER TABLE listings_{table} SET (toast_tuple_target = 256);
"""
REVERSE = """
ALTER TABLE listings_{table} ALTER COLUMN embedding SET STORAGE EXTENDED;
ALTER TABLE listings_{table} RESET (toast_tuple_target);
"""


class Migration(migrations.Migration):
    dependencies = [("listings", "0009_bilingual_and_embeddings")]

    operations = [
        migrations.RunSQL(SQL.format(table=table), REVERSE.format(table=table))
        for table in ("achievement", "challenge")
    ]
