"""The audit log is append-only in the database itself: a trigger refuses every UPDATE and
DELETE statement on the table, whoever sends it (the ORM, raw SQL, psql).

Statement-level, so even a statement that would touch no row is refused. TRUNCATE is left
to the table's owner: Django's test runner empties tables with it, and a production role
that must not have it is refused by privileges (docs: REVOKE TRUNCATE), not by a trigger.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION audit_auditentry_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditentry is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditentry_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_auditentry_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
